// Finds the parameter tensors inside any struct, by reflection, so that a model needs no
// parameter declarations. This is the only file that uses the runtime's underscored
// reflection SPI (`_forEachField`); everything else goes through `traverseParameters`.
@_spi(Reflection) import Swift
import Synchronization

/// Receives each parameter tensor of a value, in place, in declaration order.
@usableFromInline
protocol ParameterVisitor {
    /// Called once per parameter tensor; `path` names it, e.g. `layers[1].weight`.
    mutating func visit<S: TensorFloatingPoint>(_ tensor: inout Tensor<S>, path: ParameterPath)
}

/// Where the walk is: a stack of field names and array indices, turned into text
/// (`layers[1].weight`) only when someone asks.
@usableFromInline
struct ParameterPath: CustomStringConvertible {
    enum Component { case field(String), index(Int) }
    var components: [Component] = []
    /// The struct types entered, outermost first: the last one holds the current field.
    var owners: [Any.Type] = []

    @usableFromInline var description: String {
        var text = ""
        for c in components {
            switch c {
            case .field(let name): text += text.isEmpty || name.hasPrefix(".") ? name : "." + name
            case .index(let i): text += "[\(i)]"
            }
        }
        return text
    }
}

/// Walks `value`'s stored properties depth first and calls `visitor` with every floating-point
/// tensor it reaches: directly stored, inside nested structs and tuples, in arrays and in
/// optionals. Tensors inside ``Frozen`` are not parameters; functions and plain numbers are
/// skipped. A tensor that the walk cannot reach (inside a class, an existential such as
/// `any Model`, a dictionary or an enum payload) stops the program with its path, because
/// an optimizer would silently never train it.
@usableFromInline
func traverseParameters<T, V: ParameterVisitor>(_ value: inout T, _ visitor: inout V) {
    var path = ParameterPath()
    traverseParameters(&value, &visitor, path: &path)
}

@usableFromInline
func traverseParameters<T, V: ParameterVisitor>(_ value: inout T, _ visitor: inout V, path: inout ParameterPath) {
    traverse(&value, plan: TraversalPlan.of(T.self), &visitor, path: &path)
}

/// The walk with `T`'s plan already at hand: plans hold their fields' plans, so only the
/// outermost type (and each array's element type) is looked up in the cache.
@usableFromInline
func traverse<T, V: ParameterVisitor>(
    _ value: inout T, plan: TraversalPlan, _ visitor: inout V, path: inout ParameterPath
) {
    switch plan {
    case .nothing:
        return
    case .tensor(let tensorType):
        tensorType._visit(&value, &visitor, path: &path)
    case .fields(let fields):
        path.owners.append(T.self)
        defer { path.owners.removeLast() }
        withUnsafeMutableBytes(of: &value) { raw in
            for field in fields {
                path.components.append(.field(field.name))
                func open<F>(_: F.Type) {
                    let pointer = (raw.baseAddress! + field.offset).assumingMemoryBound(to: F.self)
                    traverse(&pointer.pointee, plan: field.plan, &visitor, path: &path)
                }
                _openExistential(field.type, do: open)
                path.components.removeLast()
            }
        }
    case .container(let containerType):
        containerType._traverseContents(&value, &visitor, path: &path)
    case .opaque(let what):
        if containsTensor(value) {
            fail(
                "parameters: \(path.components.isEmpty ? "the value" : "`\(path)`") of type \(T.self) holds tensors inside \(what), which the parameter walk cannot reach; store them as `var` tensors, nested structs, arrays or optionals (or wrap them in @Frozen)"
            )
        }
    }
}

/// Whether a value reachable through `Mirror` holds a tensor (used only for opaque fields).
func containsTensor(_ value: Any, depth: Int = 0) -> Bool {
    if value is any _FloatingTensor { return true }
    guard depth < 8 else { return false }
    return Mirror(reflecting: value).children.contains { containsTensor($0.value, depth: depth + 1) }
}

/// A floating-point tensor type, seen without its scalar type.
@usableFromInline
protocol _FloatingTensor {
    static func _visit<T, V: ParameterVisitor>(_ value: inout T, _ visitor: inout V, path: inout ParameterPath)
}

extension Tensor: _FloatingTensor where Scalar: TensorFloatingPoint {
    @usableFromInline
    static func _visit<T, V: ParameterVisitor>(_ value: inout T, _ visitor: inout V, path: inout ParameterPath) {
        let path = path
        withUnsafeMutablePointer(to: &value) { p in
            p.withMemoryRebound(to: Tensor.self, capacity: 1) { visitor.visit(&$0.pointee, path: path) }
        }
    }
}

/// A standard container whose elements the walk enters: arrays and optionals.
@usableFromInline
protocol _ParameterContainerType {
    static func _traverseContents<T, V: ParameterVisitor>(
        _ value: inout T, _ visitor: inout V, path: inout ParameterPath)
}

extension Array: _ParameterContainerType {
    @usableFromInline
    static func _traverseContents<T, V: ParameterVisitor>(
        _ value: inout T, _ visitor: inout V, path: inout ParameterPath
    ) {
        withUnsafeMutablePointer(to: &value) { p in
            p.withMemoryRebound(to: Array.self, capacity: 1) { array in
                let plan = TraversalPlan.of(Element.self)
                guard !plan.isNothing else { return }
                for i in array.pointee.indices {
                    path.components.append(.index(i))
                    traverse(&array.pointee[i], plan: plan, &visitor, path: &path)
                    path.components.removeLast()
                }
            }
        }
    }
}

extension Optional: _ParameterContainerType {
    @usableFromInline
    static func _traverseContents<T, V: ParameterVisitor>(
        _ value: inout T, _ visitor: inout V, path: inout ParameterPath
    ) {
        withUnsafeMutablePointer(to: &value) { p in
            p.withMemoryRebound(to: Optional.self, capacity: 1) { optional in
                guard var wrapped = optional.pointee else { return }
                optional.pointee = nil  // keep the wrapped storage uniquely referenced while it is visited
                traverseParameters(&wrapped, &visitor, path: &path)
                optional.pointee = wrapped
            }
        }
    }
}

/// How the walk handles one type; computed once per type and cached.
@usableFromInline
indirect enum TraversalPlan: @unchecked Sendable {
    /// No parameter can be inside (numbers, strings, functions, frozen values).
    case nothing
    /// A floating-point tensor (its type, cast once here rather than on every visit).
    case tensor(any _FloatingTensor.Type)
    /// A struct or tuple: the fields that may hold parameters.
    case fields([Field])
    /// An array or an optional.
    case container(any _ParameterContainerType.Type)
    /// A class, existential, enum or dictionary: checked for tensors it would hide.
    case opaque(String)

    @usableFromInline
    struct Field {
        let name: String
        let offset: Int
        let type: Any.Type
        let plan: TraversalPlan
    }

    /// Whether no parameter can be inside.
    @usableFromInline var isNothing: Bool {
        if case .nothing = self { return true }
        return false
    }

    private static let cache = Mutex<[ObjectIdentifier: TraversalPlan]>([:])

    @usableFromInline
    static func of(_ type: Any.Type) -> TraversalPlan {
        let key = ObjectIdentifier(type)
        if let plan = cache.withLock({ $0[key] }) { return plan }
        // No placeholder is needed for recursion: a struct can only contain itself through
        // an array or an optional, whose plans do not look at their elements. Two threads
        // may compute the same plan at once; they agree.
        let plan = make(type)
        cache.withLock { $0[key] = plan }
        return plan
    }

    private static func make(_ type: Any.Type) -> TraversalPlan {
        if let tensorType = type as? any _FloatingTensor.Type { return .tensor(tensorType) }
        if type is any _NotParameters.Type || type is any _AnyTensor.Type { return .nothing }
        if let containerType = type as? any _ParameterContainerType.Type { return .container(containerType) }
        switch metadataKind(type) {
        case nil, .class, .foreignClass, .objcClassWrapper: return .opaque("a class instance")
        case .enum: return .opaque("an enum payload")
        case .existential: return .opaque("an existential (`any ...`) value")
        case .function, .metatype, .existentialMetatype: return .nothing
        default: break
        }
        var fields: [Field] = []
        let walked = _forEachField(of: type, options: []) { name, offset, fieldType, kind in
            let plan = of(fieldType)
            if !plan.isNothing {
                fields.append(Field(name: String(cString: name), offset: offset, type: fieldType, plan: plan))
            }
            return true
        }
        guard walked else { return .opaque("a value of type \(type)") }
        return fields.isEmpty ? .nothing : .fields(fields)
    }

    /// The kind word of a type's runtime metadata (Swift ABI); nil for a class, whose first
    /// word is its isa pointer.
    private static func metadataKind(_ type: Any.Type) -> _MetadataKind? {
        let word = unsafeBitCast(type, to: UnsafePointer<UInt>.self).pointee
        return word <= 0x7FF ? _MetadataKind(rawValue: word) : nil
    }
}

/// Types the walk skips: they hold no parameters (or hold tensors that are deliberately not trained).
@usableFromInline
protocol _NotParameters {}

extension String: _NotParameters {}
extension Int: _NotParameters {}
extension Float: _NotParameters {}
extension Double: _NotParameters {}
extension Bool: _NotParameters {}
extension RandomGenerator: _NotParameters {}

/// Any tensor, whatever its scalar type.
@usableFromInline
protocol _AnyTensor {}

extension Tensor: _AnyTensor {}
