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

/// A copy of `argument` whose parameters of the tape's scalar type are new leaves on `tape`
/// (those of another scalar type stay constants).
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
    // Cast once here, so that the walk below is concrete (no generic code per tensor).
    let (floats, doubles) = (tape as? Tape<Float>, tape as? Tape<Double>)
    forEachParameter(of: &copy, operation: "gradient") { parameter in
        switch parameter.kind {
        case .float: if let floats { parameter.traceLeaf(on: floats) }
        case .double: if let doubles { parameter.traceLeaf(on: doubles) }
        }
    }
    return copy
}

/// The gradient with respect to `traced` (made by `traced(_:on:)`), read from the tape's
/// gradients: zeros where a parameter got none.
@inlinable
func derivative<A: Differentiable, S: TensorFloatingPoint>(
    of traced: consuming A, from gradients: [Tensor<S>?]
) -> A.Derivative {
    var copy = traced
    // Only tensors of the tape's scalar type got gradients; the others are constants.
    let floats = S.self == Float.self ? unsafeBitCast(gradients, to: [Tensor<Float>?].self) : []
    let doubles = S.self == Double.self ? unsafeBitCast(gradients, to: [Tensor<Double>?].self) : []
    forEachParameter(of: &copy, operation: "gradient") { parameter in
        switch parameter.kind {
        case .float: parameter.replaceWithGradient(from: floats)
        case .double: parameter.replaceWithGradient(from: doubles)
        }
    }
    // The derivative is the value itself (a tensor) or a `Gradient` holding nothing but it.
    return unsafeBitCast(copy, to: A.Derivative.self)
}
