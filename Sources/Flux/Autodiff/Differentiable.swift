/// A value that functions can be differentiated at: a tensor, a model, or any parameter
/// container. Its ``Derivative`` is the type of the gradient with respect to it.
///
/// ``Tensor`` (of `Float` or `Double`) and every ``ParameterContainer`` (every ``Model``)
/// conform; conform your own types through ``ParameterContainer``, which takes no code.
public protocol Differentiable {
    /// The gradient's type: `Tensor` for a tensor, ``Gradient`` for a model.
    associatedtype Derivative
}

extension Tensor: Differentiable where Scalar: TensorFloatingPoint {
    public typealias Derivative = Tensor
}

/// A copy of `argument` whose parameters are new leaves on `tape` (or, those of the other
/// floating-point type, on the tape paired with it).
@inlinable
func traced<A: Differentiable, S: TensorFloatingPoint>(_ argument: A, on tape: Tape<S>) -> A {
    // A `Tensor`'s derivative is itself; any other conformer must be a ParameterContainer,
    // whose derivative wraps the value alone (checked first: `derivative(of:from:)` relies on it).
    if A.Derivative.self != A.self, !(A.self is any ParameterContainer.Type) {
        fail(
            "gradient: \(A.self) conforms to Differentiable directly; only tensors and ParameterContainer types (models) can be differentiated at"
        )
    }
    var copy = argument
    // Cast once here, so that the walk below is concrete (no generic code per tensor). The
    // parameters of the other scalar type are leaves of a tape paired with this one (made
    // only if there are any), so that their gradients come back across conversions.
    var (floats, doubles) = (tape as? Tape<Float>, tape as? Tape<Double>)
    // Layer state is bound to this computation, so that training layers record its update.
    let bind = { (field: StateReference) -> Void in field.type?._bind(at: field.field(0), to: tape.stateRecorder) }
    forEachParameter(of: &copy, operation: "gradient", states: bind) { parameter in
        switch parameter.kind {
        case .float:
            parameter.requireNoLiveTrace(as: Float.self)
            if floats == nil { floats = tape.paired(Float.self) }
            parameter.traceLeaf(on: floats!)
        case .double:
            parameter.requireNoLiveTrace(as: Double.self)
            if doubles == nil { doubles = tape.paired(Double.self) }
            parameter.traceLeaf(on: doubles!)
        }
    }
    return copy
}

/// The gradient with respect to `traced` (made by `traced(_:on:)`), read from the tape's
/// gradients: zeros where a parameter got none.
@inlinable
func derivative<A: Differentiable, S: TensorFloatingPoint>(
    of traced: consuming A, from gradients: [Tensor<S>?], on tape: Tape<S>
) -> A.Derivative {
    var copy = traced
    // The other scalar type's gradients are those its paired tape kept, if there is one.
    let floats =
        S.self == Float.self
        ? unsafeBitCast(gradients, to: [Tensor<Float>?].self) : tape.pairedGradients(of: Float.self)
    let doubles =
        S.self == Double.self
        ? unsafeBitCast(gradients, to: [Tensor<Double>?].self) : tape.pairedGradients(of: Double.self)
    // The gradient carries each layer state's update (the optimizer stores it in the model).
    let settle = { (field: StateReference) -> Void in field.type?._settle(at: field.field(0)) }
    forEachParameter(of: &copy, operation: "gradient", states: settle) { parameter in
        switch parameter.kind {
        case .float: parameter.replaceWithGradient(from: floats)
        case .double: parameter.replaceWithGradient(from: doubles)
        }
    }
    // The derivative is the value itself (a tensor) or a `Gradient` holding nothing but it.
    return unsafeBitCast(copy, to: A.Derivative.self)
}

extension ParameterReference {
    /// Stops when the tensor of value 0 is traced by a gradient computation still recording:
    /// an enclosing one, whose gradient would not flow through the new computation.
    @inlinable
    func requireNoLiveTrace<S: TensorFloatingPoint>(as _: S.Type) {
        if tensor(0, as: S.self).pointee.liveTrace != nil { failNested("gradient") }
    }
}
