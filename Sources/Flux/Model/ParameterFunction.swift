/// An operation on each parameter tensor of a container, whatever its scalar type.
///
/// `index` counts parameters in traversal order, which is the same for every value of one
/// type (with the same array lengths), so a function can pair a parameter with the one in
/// the same place of another container (its gradient, an optimizer moment) through
/// ``ParameterContainer/flattenedParameters``.
public protocol ParameterFunction {
    /// Called once per parameter, in place.
    mutating func callAsFunction<S: TensorFloatingPoint>(_ parameter: inout Tensor<S>, index: Int)
}

struct FunctionVisitor<F: ParameterFunction>: ParameterVisitor {
    var function: F
    var index = 0
    mutating func visit<S: TensorFloatingPoint>(_ tensor: inout Tensor<S>, path: ParameterPath) {
        function(&tensor, index: index)
        index += 1
    }
}

extension ParameterContainer {
    /// Applies `function` to every parameter in place; returns the function (with any state
    /// it gathered).
    @discardableResult
    public mutating func applyToParameters<F: ParameterFunction>(_ function: consuming F) -> F {
        // Consumed, so that state the function carries (an optimizer's moments) has one
        // owner and is written in place.
        var visitor = FunctionVisitor(function: function)
        traverseParameters(&self, &visitor)
        return visitor.function
    }

    /// The parameter tensors in traversal order, each a `Tensor<Float>` or `Tensor<Double>`.
    public var flattenedParameters: [Any] {
        var copy = self
        return copy.applyToParameters(Flatten()).tensors
    }
}

private struct Flatten: ParameterFunction {
    var tensors: [Any] = []
    mutating func callAsFunction<S: TensorFloatingPoint>(_ parameter: inout Tensor<S>, index: Int) {
        tensors.append(parameter)
    }
}

extension Array where Element == Any {
    /// The tensor at `index` of a flattened parameter list, as the scalar type asked for.
    ///
    /// - Precondition: the lists came from values of the same type and shape.
    @inlinable
    public func parameter<S: TensorFloatingPoint>(_ index: Int, as _: S.Type = S.self) -> Tensor<S> {
        guard index < count, let t = self[index] as? Tensor<S> else {
            fail(
                "parameters: parameter \(index) is missing or of another type; the two values do not have the same structure"
            )
        }
        return t
    }
}
