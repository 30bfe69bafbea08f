// Where a tensor can hide from the parameter walk: inside a class, an existential, an enum
// payload, a weak or unowned reference, or a collection whose elements the walk does not enter.
// A type is judged once, from the types of its stored properties; a value is searched only
// where its type leaves the answer open, completely (no depth limit) and through cycles.
@_spi(Reflection) import Swift
import Synchronization

/// What the values of a type can hold, judged from the types of their stored properties.
enum TensorReach: Comparable {
    /// No `Float` or `Double` tensor can be inside (outside ``Frozen``).
    case none
    /// It depends on the value: an existential, an enum payload or a class the runtime
    /// cannot describe may hold anything.
    case undetermined
    /// A stored property somewhere inside is a `Float` or `Double` tensor, or a collection of them.
    case declared

    private static let cache = Mutex<[ObjectIdentifier: TensorReach]>([:])

    /// The reach of `type`, computed on first use and cached.
    static func of(_ type: Any.Type) -> TensorReach {
        let key = ObjectIdentifier(type)
        if let reach = cache.withLock({ $0[key] }) { return reach }
        var visiting = Set<ObjectIdentifier>()
        let reach = judge(type, visiting: &visiting)
        cache.withLock { $0[key] = reach }
        return reach
    }

    /// The reach of `type`, where the types in `visiting` are being judged further up (a type
    /// that contains itself, such as a linked node, adds nothing by containing itself).
    /// Only the outermost answer is cached: an inner one may lack what its enclosing types add.
    private static func judge(_ type: Any.Type, visiting: inout Set<ObjectIdentifier>) -> TensorReach {
        if type == Tensor<Float>.self || type == Tensor<Double>.self { return .declared }
        if type is any _NotParameters.Type || type is any _AnyTensor.Type { return .none }
        guard visiting.insert(ObjectIdentifier(type)).inserted else { return .none }
        if let optional = type as? any _ParameterOptional.Type {
            return judge(optional.wrappedType, visiting: &visiting)
        }
        var reach = TensorReach.none
        if let collection = type as? any Collection.Type {
            // Array, Set, Dictionary and the like keep their elements out of sight of the
            // field reflection (tail-allocated storage): judge the element type too.
            reach = judge(elementType(of: collection), visiting: &visiting)
        }
        switch metadataKind(type) {
        case .function, .metatype, .existentialMetatype: return reach
        case .struct, .tuple, nil, .class: break  // nil: a class (its first word is the isa pointer)
        default: return .undetermined  // an existential, an enum, a foreign or opaque type
        }
        let isClass = metadataKind(type) == nil || metadataKind(type) == .class
        let walked = _forEachField(of: type, options: isClass ? classFields : []) { _, _, field, _ in
            reach = max(reach, judge(field, visiting: &visiting))
            return reach != .declared
        }
        return walked || reach == .declared ? reach : .undetermined
    }

    /// The reach of the elements of the collection type `type` (nil if it is not one).
    static func ofElements(_ type: Any.Type) -> TensorReach? {
        (type as? any Collection.Type).map { of(elementType(of: $0)) }
    }
}

/// `_EachFieldOptions.classType`, which Swift 6 cannot read (it is a `static var`).
let classFields = _EachFieldOptions(rawValue: 1 << 0)

/// `_EachFieldOptions.ignoreUnknown`: skip fields (weak, unowned, functions) instead of failing.
let skippingUnknownFields = _EachFieldOptions(rawValue: 1 << 1)

/// The element type of a collection type.
private func elementType<C: Collection>(of _: C.Type) -> Any.Type { C.Element.self }

/// The elements of a collection.
private func elements<C: Collection>(of collection: C) -> [Any] { collection.map { $0 } }

/// The kind word of a type's runtime metadata (Swift ABI); nil for a class, whose first
/// word is its isa pointer.
func metadataKind(_ type: Any.Type) -> _MetadataKind? {
    let word = unsafeBitCast(type, to: UnsafePointer<UInt>.self).pointee
    return word <= 0x7FF ? _MetadataKind(rawValue: word) : nil
}

/// Whether `value` holds a `Float` or `Double` tensor anywhere inside, as `Mirror` reads it
/// (stored properties, superclasses' included, enum payloads, existentials' contents,
/// collection elements, the targets of weak and unowned references).
///
/// The search is complete: it has no depth limit, visits each object once (so a cycle
/// ends it) and keeps its own stack (so a chain of a million nodes does not overflow the
/// thread's); it skips any value whose type cannot hold a tensor.
func containsTensor(_ value: Any) -> Bool {
    var pending = [value]
    var visited = Set<ObjectIdentifier>()
    while let next = pending.popLast() {
        if next is Tensor<Float> || next is Tensor<Double> { return true }
        let type = type(of: next)
        if TensorReach.of(type) == .none { continue }
        if type is AnyClass, !visited.insert(ObjectIdentifier(next as AnyObject)).inserted { continue }
        var mirror: Mirror? = Mirror(reflecting: next)
        if let collection = next as? any Collection, TensorReach.ofElements(type) != TensorReach.none,
            ![.collection, .set, .dictionary].contains(mirror?.displayStyle)
        {
            // A collection's internal buffer shows its storage object, not its elements.
            pending += elements(of: collection)
        }
        while let level = mirror {
            pending.append(contentsOf: level.children.lazy.map(\.value))
            mirror = level.superclassMirror
        }
    }
    return false
}
