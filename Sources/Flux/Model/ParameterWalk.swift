// The one walk over parameters: it visits every parameter tensor of one value, or of several
// values of the same type in step (a model, its gradient and an optimizer's state), by the
// byte offsets of the type's ``ParameterLayout``. Nothing here is generic over the model's
// type, so a step pays no generic-metadata lookup, no existential and no reflection.

/// One parameter tensor, as it sits in each of the values being walked.
@usableFromInline
struct ParameterReference {
    /// The tensor's scalar type.
    @usableFromInline let kind: ParameterLayout.ScalarKind
    @usableFromInline let roots: UnsafeMutablePointer<UnsafeMutableRawPointer>
    @usableFromInline let offset: Int
    let entry: ParameterLayout.Entry
    let frame: UnsafePointer<PathFrame>?

    /// The tensor in value `i` (in the order the values were given), as `Tensor<S>`.
    ///
    /// - Precondition: `S` is the scalar type of ``kind``.
    @inlinable
    func tensor<S: TensorFloatingPoint>(_ i: Int, as _: S.Type) -> UnsafeMutablePointer<Tensor<S>> {
        (roots[i] + offset).assumingMemoryBound(to: Tensor<S>.self)
    }

    /// The path from the value, e.g. `layers[1].weight`.
    @usableFromInline var path: String { joinedPath(frame?.pointee.path ?? "", entry.path) }

    /// The type whose stored property holds the tensor, or the optional, array or dictionary
    /// it sits in (nil for a bare tensor).
    var owner: Any.Type? { entry.owner ?? frame?.pointee.owner }
}

/// Where a walk has entered an array element, a dictionary value or an optional: the chain
/// of frames spells the path without building any text until it is asked for.
@usableFromInline
struct PathFrame {
    let parent: UnsafePointer<PathFrame>?
    let entryPath: String
    let index: Int?
    /// A dictionary key, as it reads in the path (`"gate"` for a string).
    var key: String? = nil
    /// The type whose stored property was entered (a layer's optional bias: the layer).
    var owner: Any.Type? = nil

    var path: String {
        let outer = joinedPath(parent?.pointee.path ?? "", entryPath)
        if let key { return outer + "[\(key)]" }
        return index.map { outer + "[\($0)]" } ?? outer
    }
}

extension ParameterLayout.Entry {
    /// The entry's full path under `frame`, for messages.
    func path(under frame: UnsafePointer<PathFrame>?) -> String {
        PathFrame(parent: frame, entryPath: path, index: nil).path
    }
}

/// Calls `body` with every parameter tensor of `value`, in declaration order, and `states`
/// with every ``LayerState`` and ``LayerMode`` field.
@inlinable
func forEachParameter<T>(
    of value: inout T, operation: String, states: ((StateReference) -> Void)? = nil,
    _ body: (ParameterReference) -> Void
) {
    let layout = ParameterLayout.of(T.self)
    withUnsafeMutablePointer(to: &value) { p in
        var root = UnsafeMutableRawPointer(p)
        withUnsafeMutablePointer(to: &root) { roots in
            walkParameters(layout, roots: roots, count: 1, frame: nil, operation: operation, states: states, body)
        }
    }
}

/// Calls `body` with every parameter tensor of `a` and `b` (values of the same type), in step;
/// `b` is only read (its arrays are not made unique).
///
/// - Precondition: arrays inside both have the same lengths and optionals the same nil-ness.
@inlinable
func forEachParameter<T>(of a: inout T, _ b: inout T, operation: String, _ body: (ParameterReference) -> Void) {
    let layout = ParameterLayout.of(T.self)
    withUnsafeMutablePointer(to: &a) { pa in
        withUnsafeMutablePointer(to: &b) { pb in
            var roots = (UnsafeMutableRawPointer(pa), UnsafeMutableRawPointer(pb))
            withUnsafeMutableBytes(of: &roots) { raw in
                let roots = raw.baseAddress!.assumingMemoryBound(to: UnsafeMutableRawPointer.self)
                walkParameters(
                    layout, roots: roots, count: 2, frame: nil, operation: operation, readOnly: 1 << 1,
                    describe: { $0 == 0 ? "the left operand" : "the right operand" }, body)
            }
        }
    }
}

/// The walk: `count` values laid out by `layout` start at `roots[0..<count]`. A value whose
/// bit is set in `readOnly` is only read: its arrays are entered as they are, not made unique.
/// `operation` names the caller in messages; it is built only for one.
@usableFromInline
func walkParameters(
    _ layout: ParameterLayout, roots: UnsafeMutablePointer<UnsafeMutableRawPointer>, count: Int,
    frame: UnsafePointer<PathFrame>?, operation: @autoclosure () -> String, readOnly: UInt = 0,
    describe: (Int) -> String = { "value \($0)" }, states: ((StateReference) -> Void)? = nil,
    _ body: (ParameterReference) -> Void
) {
    for entry in layout.entries {
        switch entry.kind {
        case .tensor(let kind):
            body(ParameterReference(kind: kind, roots: roots, offset: entry.offset, entry: entry, frame: frame))
        case .state(let type):
            states?(StateReference(type: type, roots: roots, offset: entry.offset, entry: entry, frame: frame))
        case .mode:
            states?(StateReference(type: nil, roots: roots, offset: entry.offset, entry: entry, frame: frame))
        case .array(let type, let element):
            walkArrays(
                type, element, entry, roots: roots, count: count, frame: frame, operation: operation(),
                readOnly: readOnly, describe: describe, states: states, body)
        case .dictionary(let type, let value):
            type._forEachValue(
                at: roots, offset: entry.offset, count: count, readOnly: readOnly,
                mismatch: { key, r in
                    let at = entry.path(under: frame)
                    fail(
                        "\(operation()): `\(at)` has other keys in \(describe(0)) than in \(describe(r)) (key \(key)); the values do not have the same structure"
                    )
                }
            ) { key, values in
                var here = PathFrame(parent: frame, entryPath: entry.path, index: nil, key: key, owner: entry.owner)
                withUnsafePointer(to: &here) {
                    walkParameters(
                        value, roots: values, count: count, frame: $0, operation: operation(), readOnly: readOnly,
                        describe: describe, states: states, body)
                }
            }
        case .optional(let type, let wrapped):
            var (firstNil, firstSome) = (-1, -1)
            for r in 0..<count {
                if type._isNil(at: roots[r] + entry.offset) {
                    if firstNil < 0 { firstNil = r }
                } else if firstSome < 0 {
                    firstSome = r
                }
            }
            if firstSome < 0 { continue }
            guard firstNil < 0 else {
                let at = entry.path(under: frame)
                fail(
                    "\(operation()): `\(at)` is nil in \(describe(firstNil)) but not in \(describe(firstSome)); the values do not have the same structure"
                )
            }
            withUnsafeTemporaryAllocation(of: UnsafeMutableRawPointer.self, capacity: count) { inner in
                for r in 0..<count { inner[r] = roots[r] + entry.offset }
                var here = PathFrame(parent: frame, entryPath: entry.path, index: nil, owner: entry.owner)
                withUnsafePointer(to: &here) {
                    walkParameters(
                        wrapped, roots: inner.baseAddress!, count: count, frame: $0, operation: operation(),
                        readOnly: readOnly, describe: describe, states: states, body)
                }
            }
        case .opaque(let type, let what):
            for r in 0..<count {
                func load<V>(_: V.Type) -> Any { (roots[r] + entry.offset).assumingMemoryBound(to: V.self).pointee }
                guard containsTensor(_openExistential(type, do: load)) else { continue }
                let at = entry.path(under: frame)
                fail(
                    "parameters: \(at.isEmpty ? "the value" : "`\(at)`") of type \(type) holds tensors inside \(what), which the parameter walk cannot reach; store them as `var` tensors, nested structs, arrays or optionals (or wrap them in @Frozen)"
                )
            }
        case .reference(let field):
            for r in 0..<count where field.holdsTensors(ownerAt: roots[r] + entry.offset - field.offset) {
                let holds =
                    field.declaresTensors
                    ? "a type whose stored properties hold tensors" : "an object that holds tensors"
                fail(
                    "parameters: `\(entry.path(under: frame))` is a weak or unowned reference to \(holds) (\(field.referent)); the parameter walk does not follow weak or unowned references, so those tensors would never be trained: store them in the model as `var` tensors, nested structs, arrays or optionals (or make the reference strong, to an object that holds no tensors)"
                )
            }
        }
    }
}

/// Enters the arrays at `entry` of every value (made uniquely referenced, so that a write
/// through the walk stays in that value) and walks their elements in step.
private func walkArrays(
    _ type: any _ParameterArray.Type, _ element: ParameterLayout, _ entry: ParameterLayout.Entry,
    roots: UnsafeMutablePointer<UnsafeMutableRawPointer>, count: Int, frame: UnsafePointer<PathFrame>?,
    operation: @autoclosure () -> String, readOnly: UInt, describe: (Int) -> String,
    states: ((StateReference) -> Void)?, _ body: (ParameterReference) -> Void
) {
    withUnsafeTemporaryAllocation(of: UnsafeMutableRawPointer.self, capacity: count) { bases in
        var length = -1
        func enter(_ r: Int) {
            guard r == count else {
                func visit(_ n: Int, _ base: UnsafeMutableRawPointer?) {
                    if length < 0 { length = n }
                    guard n == length else {
                        let at = entry.path(under: frame)
                        fail(
                            "\(operation()): `\(at)` has \(length) elements in \(describe(0)) but \(n) in \(describe(r)); the values do not have the same structure"
                        )
                    }
                    if let base { bases[r] = base }
                    enter(r + 1)
                }
                let array = roots[r] + entry.offset
                if readOnly & (1 << r) != 0 {
                    type._withElements(at: array, visit)
                } else {
                    type._withUniqueElements(at: array, visit)
                }
                return
            }
            let stride = type.elementStride
            withUnsafeTemporaryAllocation(of: UnsafeMutableRawPointer.self, capacity: count) { inner in
                for i in 0..<max(length, 0) {
                    for k in 0..<count { inner[k] = bases[k] + i * stride }
                    var here = PathFrame(parent: frame, entryPath: entry.path, index: i, owner: entry.owner)
                    withUnsafePointer(to: &here) {
                        walkParameters(
                            element, roots: inner.baseAddress!, count: count, frame: $0, operation: operation(),
                            readOnly: readOnly, describe: describe, states: states, body)
                    }
                }
            }
        }
        enter(0)
    }
}
