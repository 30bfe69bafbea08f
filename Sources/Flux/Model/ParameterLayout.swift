// Finds where the parameter tensors of a type sit, by reflection, once per type. This file and
// HiddenTensors.swift are the only ones that use the runtime's underscored reflection SPI
// (`_forEachField`, `_forEachFieldWithKeyPath`); a walk
// (ParameterWalk.swift) then reaches every tensor by byte offset, with no reflection, no
// existential and no generic-metadata lookup per step.
@_spi(Reflection) import Swift
import Synchronization

/// Where the parameters of one type are: a flat list of entries at byte offsets from the
/// start of a value. Nested structs and tuples are flattened into their owner's list; an
/// array or an optional holds the layout of its element, reached at run time.
@usableFromInline
final class ParameterLayout: @unchecked Sendable {
    /// The floating-point type of a tensor parameter.
    @usableFromInline
    enum ScalarKind: Sendable { case float, double }

    /// What sits at an entry's offset.
    @usableFromInline
    enum Kind {
        /// A floating-point tensor.
        case tensor(ScalarKind)
        /// An array whose elements have parameters.
        case array(any _ParameterArray.Type, ParameterLayout)
        /// A dictionary with `Comparable` keys whose values have parameters, walked in key order.
        case dictionary(any _ParameterDictionary.Type, ParameterLayout)
        /// An optional whose wrapped value has parameters.
        case optional(any _ParameterOptional.Type, ParameterLayout)
        /// A class, existential, enum, unordered dictionary or other collection that could
        /// hold tensors: checked for tensors it would hide.
        case opaque(Any.Type, what: String)
        /// A weak or unowned reference to an object that could hold tensors.
        case reference(ReferenceField)
        /// A ``LayerState`` field: not trained, updated by training steps.
        case state(any _LayerStateField.Type)
        /// A ``LayerMode`` field.
        case mode
    }

    /// One place that holds parameters.
    @usableFromInline
    struct Entry {
        /// Bytes from the start of the value.
        @usableFromInline let offset: Int
        @usableFromInline let kind: Kind
        /// The path from the value, e.g. `first.weight` ("" for the value itself).
        @usableFromInline let path: String
        /// The type whose stored property this is (nil for the value itself).
        @usableFromInline let owner: Any.Type?

        /// Whether the walk only checks this entry for tensors it would hide.
        var isChecked: Bool {
            switch kind {
            case .opaque, .reference: true
            case .tensor, .array, .dictionary, .optional, .state, .mode: false
            }
        }
    }

    /// Every entry, in declaration order. Set once, while the layout is made; read at every
    /// step without a dynamic exclusivity check (no one writes it after that).
    @usableFromInline @exclusivity(unchecked) var entries: [Entry]
    /// Whether ``entries`` is complete; a type that contains itself meets its own layout unfinished.
    private var isFinished = false

    init(entries: [Entry]) { self.entries = entries }

    /// Whether no parameter can be inside (false while unknown).
    var isEmpty: Bool { isFinished && entries.isEmpty }

    private static let cache = Mutex<[ObjectIdentifier: ParameterLayout]>([:])

    /// The layouts being made by one call of ``of(_:)``: a type met again inside itself (a
    /// tree's array of subtrees) gets its unfinished layout, taken to hold parameters. They
    /// are cached together once all are finished, so that no other thread sees one unfinished.
    private struct Building {
        var unfinished: [ObjectIdentifier: ParameterLayout] = [:]
        var finished: [ObjectIdentifier: ParameterLayout] = [:]
    }

    /// The layout of `type`, computed on first use and cached.
    @usableFromInline
    static func of(_ type: Any.Type) -> ParameterLayout {
        if let layout = cache.withLock({ $0[ObjectIdentifier(type)] }) { return layout }
        var building = Building()
        let layout = of(type, building: &building)
        // Two threads may compute the same layouts at once; they agree, and the first stays.
        cache.withLock { $0.merge(building.finished) { first, _ in first } }
        return layout
    }

    /// The layout of `type`, from the cache, from those being made, or made now.
    private static func of(_ type: Any.Type, building: inout Building) -> ParameterLayout {
        let key = ObjectIdentifier(type)
        if let layout = cache.withLock({ $0[key] }) ?? building.finished[key] ?? building.unfinished[key] {
            return layout
        }
        let layout = ParameterLayout(entries: [])
        building.unfinished[key] = layout
        layout.entries = entries(of: type, path: "", owner: nil, building: &building)
        layout.isFinished = true
        (building.unfinished[key], building.finished[key]) = (nil, layout)
        return layout
    }

    /// The entries of a value of `type` at offset 0 named `path`.
    private static func entries(
        of type: Any.Type, path: String, owner: Any.Type?, building: inout Building
    ) -> [Entry] {
        if type == Tensor<Float>.self { return [Entry(offset: 0, kind: .tensor(.float), path: path, owner: owner)] }
        if type == Tensor<Double>.self { return [Entry(offset: 0, kind: .tensor(.double), path: path, owner: owner)] }
        if let state = type as? any _LayerStateField.Type {
            return [Entry(offset: 0, kind: .state(state), path: wrappedPath(path), owner: owner)]
        }
        if type == LayerMode.self { return [Entry(offset: 0, kind: .mode, path: path, owner: owner)] }
        if type is any _NotParameters.Type || type is any _AnyTensor.Type { return [] }
        if let array = type as? any _ParameterArray.Type {
            let element = of(array.elementType, building: &building)
            return element.isEmpty ? [] : [Entry(offset: 0, kind: .array(array, element), path: path, owner: owner)]
        }
        if let dictionary = type as? any _ParameterDictionary.Type {
            let value = of(dictionary.valueType, building: &building)
            return value.isEmpty
                ? [] : [Entry(offset: 0, kind: .dictionary(dictionary, value), path: path, owner: owner)]
        }
        if let dictionary = type as? any _AnyDictionary.Type {
            // Its keys cannot be put in an order that is the same for every value.
            guard !of(dictionary.valueType, building: &building).isEmpty else { return [] }
            return [
                Entry(
                    offset: 0, kind: .opaque(type, what: "a dictionary whose keys are not Comparable"), path: path,
                    owner: owner)
            ]
        }
        if let optional = type as? any _ParameterOptional.Type {
            let wrapped = of(optional.wrappedType, building: &building)
            return wrapped.isEmpty
                ? [] : [Entry(offset: 0, kind: .optional(optional, wrapped), path: path, owner: owner)]
        }
        let opaque = { (what: String) -> [Entry] in
            // A type that cannot hold a tensor needs no search of its values at each walk.
            guard TensorReach.of(type) != .none else { return [] }
            return [Entry(offset: 0, kind: .opaque(type, what: what), path: path, owner: owner)]
        }
        switch metadataKind(type) {
        case nil, .class, .foreignClass, .objcClassWrapper: return opaque("a class instance")
        case .enum: return opaque("an enum payload")
        case .existential: return opaque("an existential (`any ...`) value")
        case .function, .metatype, .existentialMetatype: return []
        default: break
        }
        var found: [Entry] = []
        if let list = type as? any _NumberedLayers.Type {
            // A chain's nested pairs (or a Parallel's branches) read as one numbered list,
            // `layers.0`, `layers.1`, as users count them and as PyTorch names them.
            for (index, item) in list._numberedLayers.enumerated() {
                for inner in entries(
                    of: item.type, path: joinedPath(path, "\(index)"), owner: type, building: &building)
                {
                    found.append(
                        Entry(
                            offset: item.offset + inner.offset, kind: inner.kind, path: inner.path, owner: inner.owner))
                }
            }
            return found
        }
        let renamed = (type as? any _RenamedFields.Type)?._fieldNames ?? [:]
        let references = metadataKind(type) == .struct ? referenceFields(of: type) : []
        let walked = _forEachField(of: type, options: []) { name, offset, fieldType, _ in
            let field = String(cString: name)
            let fieldPath = joinedPath(path, renamed[field] ?? field)
            if references.contains(field) {
                // Its storage is not a strong reference: the walk must never load it as one.
                found += referenceEntry(fieldType, name: field, at: offset, path: fieldPath, owner: type)
                return true
            }
            for inner in entries(of: fieldType, path: fieldPath, owner: type, building: &building) {
                found.append(
                    Entry(offset: offset + inner.offset, kind: inner.kind, path: inner.path, owner: inner.owner))
            }
            return true
        }
        if let elements = TensorReach.ofElements(type), elements != .none, found.allSatisfy(\.isChecked) {
            // ContiguousArray, ArraySlice, Set and the like keep their elements out of the
            // walk's sight (in storage objects): it can check them, not update them.
            return opaque("a collection other than Array, Dictionary and Optional")
        }
        return walked ? found : opaque("a value of type \(type)")
    }

    /// `path` without the underscore that a property wrapper's storage adds to its last
    /// member (`bn._runningMean` reads `bn.runningMean`).
    private static func wrappedPath(_ path: String) -> String {
        let last = path.lastIndex(of: ".").map { path.index(after: $0) } ?? path.startIndex
        guard last < path.endIndex, path[last] == "_" else { return path }
        var trimmed = path
        trimmed.remove(at: last)
        return trimmed
    }

    /// The stored properties of the struct `type` that are weak, unowned or unowned(unsafe)
    /// references: those that key-path reflection leaves out (it offers strong ones only)
    /// although their type is one it offers (a class, an optional or an existential).
    private static func referenceFields(of type: Any.Type) -> Set<String> {
        func strongFields<T>(_: T.Type) -> Set<String> {
            var strong = Set<String>()
            _ = _forEachFieldWithKeyPath(of: T.self, options: skippingUnknownFields) { name, _ in
                strong.insert(String(cString: name))
                return true
            }
            return strong
        }
        let strong = _openExistential(type, do: strongFields)
        var references = Set<String>()
        _ = _forEachField(of: type, options: []) { name, _, _, kind in
            let field = String(cString: name)
            if !strong.contains(field) && [.class, .optional, .existential].contains(kind) { references.insert(field) }
            return true
        }
        return references
    }

    /// The entry of a weak or unowned stored property `name` of `owner` at `offset`: none when
    /// the object it refers to cannot hold a tensor.
    private static func referenceEntry(
        _ type: Any.Type, name: String, at offset: Int, path: String, owner: Any.Type
    ) -> [Entry] {
        let referent = (type as? any _ParameterOptional.Type)?.wrappedType ?? type
        let reach = TensorReach.of(referent)
        guard reach != .none else { return [] }
        let field = ReferenceField(
            owner: owner, name: name, offset: offset, referent: referent, declaresTensors: reach == .declared)
        return [Entry(offset: offset, kind: .reference(field), path: path, owner: owner)]
    }
}

/// A weak, unowned or unowned(unsafe) stored property whose object could hold tensors. The
/// walk never follows it: tensors there would never be trained.
@usableFromInline
final class ReferenceField {
    /// The struct that stores it, and its name and offset there.
    let owner: Any.Type, name: String, offset: Int
    /// The type of the object it refers to.
    let referent: Any.Type
    /// Whether that type has tensors among its stored properties; if not (an existential,
    /// say), whether the object holds one is checked at each walk.
    let declaresTensors: Bool

    // A class, so that every layout entry stays as small as it was: the walk copies them.
    init(owner: Any.Type, name: String, offset: Int, referent: Any.Type, declaresTensors: Bool) {
        (self.owner, self.name, self.offset) = (owner, name, offset)
        (self.referent, self.declaresTensors) = (referent, declaresTensors)
    }

    /// Whether the object referred to by this property of the owner at `owner` can hold or
    /// holds tensors. The reference is read as `Mirror` reads it, through a copy of its owner,
    /// never as a strong reference.
    func holdsTensors(ownerAt owner: UnsafeMutableRawPointer) -> Bool {
        if declaresTensors { return true }
        func load<T>(_: T.Type) -> Any { owner.assumingMemoryBound(to: T.self).pointee }
        let value = _openExistential(self.owner, do: load)
        return Mirror(reflecting: value).children.contains { $0.label == name && containsTensor($0.value) }
    }
}

/// `outer` and `inner` joined as a member path: `a` + `b` is `a.b`, `a` + `[1]` is `a[1]`,
/// and a tuple element (named `.0` by the runtime or `0`) reads `a.0`.
@usableFromInline
func joinedPath(_ outer: String, _ inner: String) -> String {
    if outer.isEmpty { return inner }
    if inner.isEmpty { return outer }
    return inner.hasPrefix("[") || inner.hasPrefix(".") ? outer + inner : outer + "." + inner
}

/// An array type whose elements the walk enters.
@usableFromInline
protocol _ParameterArray {
    /// The element type.
    static var elementType: Any.Type { get }
    /// The distance between elements in bytes.
    static var elementStride: Int { get }
    /// Makes the array at `pointer` uniquely referenced and calls `body` with its element
    /// count and the address of its first element (nil when empty).
    static func _withUniqueElements(
        at pointer: UnsafeMutableRawPointer, _ body: (Int, UnsafeMutableRawPointer?) -> Void)
    /// Calls `body` with the element count and first element of the array at `pointer`,
    /// leaving the array as it is (for a value the walk only reads).
    static func _withElements(at pointer: UnsafeMutableRawPointer, _ body: (Int, UnsafeMutableRawPointer?) -> Void)
}

extension Array: _ParameterArray {
    @usableFromInline static var elementType: Any.Type { Element.self }
    @usableFromInline static var elementStride: Int { MemoryLayout<Element>.stride }
    @usableFromInline
    static func _withUniqueElements(
        at pointer: UnsafeMutableRawPointer, _ body: (Int, UnsafeMutableRawPointer?) -> Void
    ) {
        pointer.assumingMemoryBound(to: Array.self).pointee.withUnsafeMutableBufferPointer { elements in
            body(elements.count, elements.baseAddress.map(UnsafeMutableRawPointer.init))
        }
    }
    @usableFromInline
    static func _withElements(at pointer: UnsafeMutableRawPointer, _ body: (Int, UnsafeMutableRawPointer?) -> Void) {
        pointer.assumingMemoryBound(to: Array.self).pointee.withUnsafeBufferPointer { elements in
            body(elements.count, elements.baseAddress.map { UnsafeMutableRawPointer(mutating: $0) })
        }
    }
}

/// A composite whose stored layers read as a numbered list in parameter paths: ``Sequential``
/// pairs (nested to any depth) and a ``Parallel``'s branches.
protocol _NumberedLayers {
    /// Each layer's type and byte offset, in order.
    static var _numberedLayers: [(type: Any.Type, offset: Int)] { get }
}

/// A type whose stored properties read under other names in parameter paths.
protocol _RenamedFields {
    /// The path name of each renamed stored property.
    static var _fieldNames: [String: String] { get }
}

/// The layers of `Layer` at `offset`: its own numbered layers when it has them, else itself.
func numberedLayers<Layer>(_: Layer.Type, at offset: Int) -> [(type: Any.Type, offset: Int)] {
    guard let list = Layer.self as? any _NumberedLayers.Type else { return [(Layer.self, offset)] }
    return list._numberedLayers.map { ($0.type, offset + $0.offset) }
}

/// Any dictionary type.
@usableFromInline
protocol _AnyDictionary {
    /// The value type.
    static var valueType: Any.Type { get }
}

extension Dictionary: _AnyDictionary {
    @usableFromInline static var valueType: Any.Type { Value.self }
}

/// A dictionary type whose values the walk enters, in the order of their keys, so that a
/// model, its gradient and an optimizer's state pair the same entries.
@usableFromInline
protocol _ParameterDictionary: _AnyDictionary {
    /// Calls `body` once per key, in ascending order, with the key as a path component and
    /// the addresses of that key's value in each of the `count` dictionaries at
    /// `roots[r] + offset` (written in place unless `readOnly` has bit `r`); calls `mismatch`
    /// with a key and a dictionary index when the dictionaries do not have the same keys.
    static func _forEachValue(
        at roots: UnsafeMutablePointer<UnsafeMutableRawPointer>, offset: Int, count: Int, readOnly: UInt,
        mismatch: (String, Int) -> Void,
        _ body: (String, UnsafeMutablePointer<UnsafeMutableRawPointer>) -> Void)
}

extension Dictionary: _ParameterDictionary where Key: Comparable {
    @usableFromInline
    static func _forEachValue(
        at roots: UnsafeMutablePointer<UnsafeMutableRawPointer>, offset: Int, count: Int, readOnly: UInt,
        mismatch: (String, Int) -> Void,
        _ body: (String, UnsafeMutablePointer<UnsafeMutableRawPointer>) -> Void
    ) {
        func dictionary(_ r: Int) -> UnsafeMutablePointer<Dictionary> {
            (roots[r] + offset).assumingMemoryBound(to: Dictionary.self)
        }
        let keys = dictionary(0).pointee.keys.sorted()
        for r in 1..<Swift.max(count, 1) where dictionary(r).pointee.count != keys.count {
            // Plain loops: a closure here would capture the key's metatype (not Sendable).
            var found = ""
            for key in keys where dictionary(r).pointee.index(forKey: key) == nil {
                found = describe(key)
                break
            }
            if found.isEmpty {
                for key in dictionary(r).pointee.keys where dictionary(0).pointee.index(forKey: key) == nil {
                    found = describe(key) + " (only there)"
                    break
                }
            }
            mismatch(found, r)
        }
        withUnsafeTemporaryAllocation(of: UnsafeMutableRawPointer.self, capacity: count) { values in
            for key in keys {
                func enter(_ r: Int) {
                    guard r < count else { return body(describe(key), values.baseAddress!) }
                    guard let index = dictionary(r).pointee.index(forKey: key) else {
                        return mismatch(describe(key), r)
                    }
                    if readOnly & (1 << r) != 0 {
                        var copy = dictionary(r).pointee.values[index]
                        withUnsafeMutablePointer(to: &copy) {
                            values[r] = UnsafeMutableRawPointer($0)
                            enter(r + 1)
                        }
                    } else {
                        withUnsafeMutablePointer(to: &dictionary(r).pointee.values[index]) {
                            values[r] = UnsafeMutableRawPointer($0)
                            enter(r + 1)
                        }
                    }
                }
                enter(0)
            }
        }
    }

    /// A key as it reads in a path: a string in quotes, anything else as it prints.
    static func describe(_ key: Key) -> String {
        if let text = key as? String { return "\"\(text)\"" }
        return "\(key)"
    }
}

/// An optional type whose wrapped value the walk enters. A single-payload enum keeps its
/// payload at offset 0, so the wrapped value is reached in place.
@usableFromInline
protocol _ParameterOptional {
    /// The wrapped type.
    static var wrappedType: Any.Type { get }
    /// Whether the optional at `pointer` is nil.
    static func _isNil(at pointer: UnsafeMutableRawPointer) -> Bool
}

extension Optional: _ParameterOptional {
    @usableFromInline static var wrappedType: Any.Type { Wrapped.self }
    @usableFromInline
    static func _isNil(at pointer: UnsafeMutableRawPointer) -> Bool {
        pointer.withMemoryRebound(to: Optional.self, capacity: 1) { $0.pointee == nil }
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
