/// A value that functions can be differentiated at: a tensor, a model, or any parameter
/// container. Its ``Derivative`` is the type of the gradient with respect to it.
///
/// You do not implement the requirements yourself: ``Tensor`` conforms, and every
/// ``ParameterContainer`` (every ``Model``) gets them from its stored properties.
public protocol Differentiable {
    /// The gradient's type: `Tensor` for a tensor, ``Gradient`` for a model.
    associatedtype Derivative

    /// A copy whose parameters of scalar type `S` are new leaves on `tape`.
    func _traced<S: TensorFloatingPoint>(on tape: Tape<S>) -> Self

    /// The gradient, read from a traced copy (made by `_traced(on:)`) and the tape's gradients.
    consuming func _derivative<S: TensorFloatingPoint>(from gradients: [Tensor<S>?]) -> Derivative
}

extension Tensor: Differentiable where Scalar: TensorFloatingPoint {
    public typealias Derivative = Tensor

    public func _traced<S: TensorFloatingPoint>(on tape: Tape<S>) -> Tensor {
        guard let tape = tape as? Tape<Scalar> else { return self }  // another scalar type: a constant
        return leaf(on: tape)
    }

    /// A copy that is a new leaf (a differentiated argument) of `tape`.
    @inlinable
    func leaf(on tape: Tape<Scalar>) -> Tensor {
        var leaf = withoutDerivative
        leaf.trace = TraceLink(
            tape: tape, index: tape.append(.leaf, value: self, operation: "a differentiated argument"))
        return leaf
    }

    public consuming func _derivative<S: TensorFloatingPoint>(from gradients: [Tensor<S>?]) -> Tensor {
        guard let index = trace?.index, let g = gradients[index] as? Tensor else {
            return Tensor(zeros: shape)
        }
        return g
    }
}
