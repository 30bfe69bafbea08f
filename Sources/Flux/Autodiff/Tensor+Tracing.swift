extension Tensor {
    /// The same value, cut off from differentiation: no gradient flows back through it.
    @inlinable
    public var withoutDerivative: Tensor {
        var copy = self
        copy.trace = nil
        return copy
    }

    /// Whether this tensor is being traced by a gradient computation that is still recording.
    @inlinable
    public var isTraced: Bool { liveTrace != nil }

    /// The trace link, if its tape is still recording.
    @inlinable
    var liveTrace: TraceLink<Scalar>? {
        guard let link = trace, link.tape.isRecording else { return nil }
        return link
    }
}

extension Tensor {
    /// `value` recorded as the result of a one-input operation on `self`. Only
    /// floating-point tensors are ever traced, so the pullback only ever sees those.
    ///
    /// Pullbacks must capture untraced values only (``withoutDerivative``): a captured traced
    /// tensor would keep its tape alive from inside the tape.
    @inlinable
    func recording(
        _ value: Tensor, operation: StaticString = #function, pullback: @escaping (Tensor) -> Tensor
    ) -> Tensor {
        guard let link = liveTrace else { return value }
        var out = value.withoutDerivative
        out.trace = TraceLink(
            tape: link.tape, index: link.tape.append(.unary(link.index, pullback), value: value, operation: operation))
        return out
    }

    /// `value` recorded as the result of an operation on `inputs`; the pullback returns one
    /// gradient per input, in order (nil where an input gets none).
    @inlinable
    static func recording(
        _ value: Tensor, inputs: [Tensor], operation: StaticString = #function,
        pullback: @escaping (Tensor) -> [Tensor?]
    ) -> Tensor {
        var tape: Tape<Scalar>? = nil
        var parents: [Int] = []
        parents.reserveCapacity(inputs.count)
        for input in inputs {
            guard let link = input.liveTrace else {
                parents.append(-1)
                continue
            }
            if let tape, tape !== link.tape {
                fail("autodiff: an operation mixes values from two different gradient computations")
            }
            tape = link.tape
            parents.append(link.index)
        }
        guard let tape else { return value }
        var out = value.withoutDerivative
        let record = Pullback<Scalar>.many(parents, pullback)
        out.trace = TraceLink(tape: tape, index: tape.append(record, value: value, operation: operation))
        return out
    }

    /// `value` recorded as the result of an operation on three inputs; the pullback returns
    /// a gradient for each (nil where an input gets none, as a constant must).
    @inlinable
    static func recording(
        _ value: Tensor, _ a: Tensor, _ b: Tensor, _ c: Tensor, operation: StaticString = #function,
        pullback: @escaping (Tensor) -> (Tensor?, Tensor?, Tensor?)
    ) -> Tensor {
        let (ta, tb, tc) = (a.liveTrace, b.liveTrace, c.liveTrace)
        guard let tape = ta?.tape ?? tb?.tape ?? tc?.tape else { return value }
        if ta.map({ $0.tape !== tape }) == true || tb.map({ $0.tape !== tape }) == true
            || tc.map({ $0.tape !== tape }) == true
        {
            fail("autodiff: an operation mixes values from two different gradient computations")
        }
        var out = value.withoutDerivative
        let record = Pullback<Scalar>.ternary(ta?.index ?? -1, tb?.index ?? -1, tc?.index ?? -1, pullback)
        out.trace = TraceLink(tape: tape, index: tape.append(record, value: value, operation: operation))
        return out
    }

    /// A tensor of `shape` whose bytes are all zero: 0 for numbers, `false` for masks.
    @inlinable
    init(zeroBits shape: [Int]) {
        self.init(shape: shape) { out in
            UnsafeMutableRawBufferPointer(out).initializeMemory(as: UInt8.self, repeating: 0)
        }
    }
}

/// `x` cut off from differentiation: the gradient stops here (JAX's `stop_gradient`).
@inlinable
public func withoutDerivative<Scalar>(at x: Tensor<Scalar>) -> Tensor<Scalar> { x.withoutDerivative }

extension Tensor where Scalar: TensorNumeric {
    /// `value` recorded as the result of a two-input operation; each pullback is kept only
    /// when its input is traced.
    @inlinable
    static func recording(
        _ value: Tensor, _ a: Tensor, _ b: Tensor, operation: StaticString = #function,
        _ pullbackA: @escaping (Tensor) -> Tensor, _ pullbackB: @escaping (Tensor) -> Tensor
    ) -> Tensor {
        let (ta, tb) = (a.liveTrace, b.liveTrace)
        guard let tape = ta?.tape ?? tb?.tape else { return value }
        if let ta, let tb, ta.tape !== tb.tape {
            fail("autodiff: an operation mixes values from two different gradient computations")
        }
        var out = value.withoutDerivative
        let record = Pullback<Scalar>.binary(
            ta?.index ?? -1, ta == nil ? nil : pullbackA, tb?.index ?? -1, tb == nil ? nil : pullbackB)
        out.trace = TraceLink(tape: tape, index: tape.append(record, value: value, operation: operation))
        return out
    }

    /// Whether any of the operands is traced (so that an operation needs to record itself).
    @inlinable
    static func anyTraced(_ a: Tensor, _ b: Tensor) -> Bool { a.liveTrace != nil || b.liveTrace != nil }
}

/// A differentiable function from a forward computation and its pullback (a custom derivative).
///
/// `forward` receives the input as a constant and returns the output and the pullback, the
/// function that maps the gradient of the output to the gradient of the input. Use it for
/// numerically better derivatives, or for straight-through estimators.
/// ```swift
/// let clipGradient = differentiable { (x: Tensor<Float>) in
///     (value: x, pullback: { g in clamp(g, min: -1, max: 1) })
/// }
/// ```
public func differentiable<Scalar: TensorFloatingPoint>(
    _ forward: @escaping (Tensor<Scalar>) -> (value: Tensor<Scalar>, pullback: (Tensor<Scalar>) -> Tensor<Scalar>)
) -> (Tensor<Scalar>) -> Tensor<Scalar> {
    { x in
        let (value, pullback) = forward(x.withoutDerivative)
        return x.recording(value, operation: "a custom derivative (differentiable { })", pullback: pullback)
    }
}

/// A differentiable function of two tensors from a forward computation and its pullback.
///
/// The pullback maps the gradient of the output to the gradients of both inputs.
public func differentiable<Scalar: TensorFloatingPoint>(
    _ forward:
        @escaping (Tensor<Scalar>, Tensor<Scalar>) -> (
            value: Tensor<Scalar>, pullback: (Tensor<Scalar>) -> (Tensor<Scalar>, Tensor<Scalar>)
        )
) -> (Tensor<Scalar>, Tensor<Scalar>) -> Tensor<Scalar> {
    { a, b in
        let (value, pullback) = forward(a.withoutDerivative, b.withoutDerivative)
        return Tensor.recording(value, inputs: [a, b], operation: "a custom derivative (differentiable { })") { g in
            let (ga, gb) = pullback(g)
            return [ga, gb]
        }
    }
}

extension Tensor where Scalar: TensorNumeric {
    /// `value`, computed elementwise from `self`, recorded with `pullback(g, x, y)`, where `x`
    /// is `self` and `y` is `value`, both untraced.
    ///
    /// Write `pullback` as a closure literal whose per-element math is a second literal passed
    /// to `map` or `zip`: `{ g, _, y in g.zipElements(y) { g, y in g * (1 - y * y) } }`. That loop
    /// specialises and vectorises. (A per-element derivative closure stored in the pullback
    /// could not be inlined: it cost a call per element.)
    @inlinable
    func elementwiseRecording(
        _ value: Tensor, operation: StaticString = #function,
        pullback: @escaping (_ g: Tensor, _ x: Tensor, _ y: Tensor) -> Tensor
    ) -> Tensor {
        guard isTraced else { return value }
        let (x, y) = (withoutDerivative, value.withoutDerivative)
        return recording(value, operation: operation) { g in pullback(g, x, y) }
    }

    /// `value`, computed from `a` and `b` with broadcasting, recorded with pullbacks
    /// `da(g, x, y)` and `db(g, x, y)` (`x`, `y` the untraced operands), each returning the
    /// gradient at the broadcast shape (`g · ∂a`, `g · ∂b`) and summed back to its operand's
    /// shape here. Write them as ``elementwiseRecording(_:pullback:)`` says, with `zip(_:_:_:)`.
    @inlinable
    static func broadcastRecording(
        _ value: Tensor, _ a: Tensor, _ b: Tensor,
        operation: StaticString = #function,
        da: @escaping (_ g: Tensor, _ x: Tensor, _ y: Tensor) -> Tensor,
        db: @escaping (_ g: Tensor, _ x: Tensor, _ y: Tensor) -> Tensor
    ) -> Tensor {
        guard anyTraced(a, b) else { return value }
        let (x, y) = (a.withoutDerivative, b.withoutDerivative)
        return recording(
            value, a, b, operation: operation, { g in da(g, x, y).summed(to: x.shape) },
            { g in db(g, x, y).summed(to: y.shape) })
    }
}
