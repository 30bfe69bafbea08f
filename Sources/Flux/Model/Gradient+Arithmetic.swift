// The arithmetic that training needs on gradients: sums (accumulating over batches),
// scaling (averaging), norms and clipping. Each works parameter by parameter.

extension Gradient {
    /// The parameter-wise sum: `(a + b).weight == a.weight + b.weight`.
    public static func + (lhs: Gradient, rhs: Gradient) -> Gradient {
        lhs.combined(with: rhs, operation: "+")
    }

    /// The parameter-wise difference.
    public static func - (lhs: Gradient, rhs: Gradient) -> Gradient {
        lhs.combined(with: rhs, operation: "-")
    }

    /// Every parameter's gradient times `factor`.
    public static func * (lhs: Gradient, factor: Double) -> Gradient {
        lhs.mapped(Scale(factor: factor))
    }

    /// Every parameter's gradient times `factor`.
    public static func * (factor: Double, rhs: Gradient) -> Gradient { rhs * factor }

    /// Adds `rhs` parameter by parameter, in place where storage is not shared.
    public static func += (lhs: inout Gradient, rhs: Gradient) { lhs = lhs + rhs }

    /// The gradient with every parameter's gradient set to zero.
    public var zeroed: Gradient { Gradient(zerosLike: base) }

    /// The Euclidean norm of all parameters' gradients together, `√Σ g²`.
    public var globalNorm: Double {
        var copy = base
        return copy.applyToParameters(SumOfSquares()).total.squareRoot()
    }

    /// The gradient scaled so that its ``globalNorm`` is at most `maxNorm` (unchanged if it
    /// already is): the usual guard against exploding gradients.
    public func clipped(toGlobalNorm maxNorm: Double) -> Gradient {
        let norm = globalNorm
        return norm > maxNorm && norm > 0 ? self * (maxNorm / norm) : self
    }

    /// The gradient with every element limited to `-limit...limit`.
    public func clipped(toValue limit: Double) -> Gradient {
        mapped(ClampValues(limit: limit))
    }

    /// Applies `function` to every parameter's gradient.
    func mapped<F: ParameterFunction>(_ function: F) -> Gradient {
        var copy = base
        copy.applyToParameters(function)
        return Gradient(copy)
    }

    /// Combines the gradients of the same parameter in both values.
    func combined(with other: Gradient, operation: String) -> Gradient {
        mapped(Combine(others: other.base.flattenedParameters, operation: operation))
    }
}

private struct Scale: ParameterFunction {
    let factor: Double
    func callAsFunction<S: TensorFloatingPoint>(_ parameter: inout Tensor<S>, index: Int) {
        parameter *= S(factor)
    }
}

private struct ClampValues: ParameterFunction {
    let limit: Double
    func callAsFunction<S: TensorFloatingPoint>(_ parameter: inout Tensor<S>, index: Int) {
        parameter = clamp(parameter, min: S(-limit), max: S(limit))
    }
}

private struct SumOfSquares: ParameterFunction {
    var total = 0.0
    mutating func callAsFunction<S: TensorFloatingPoint>(_ parameter: inout Tensor<S>, index: Int) {
        total += Double((parameter * parameter).sum().scalar)
    }
}

private struct Combine: ParameterFunction {
    let others: [Any]
    let operation: String
    func callAsFunction<S: TensorFloatingPoint>(_ parameter: inout Tensor<S>, index: Int) {
        let other: Tensor<S> = others.parameter(index)
        guard other.shape == parameter.shape else {
            fail("Gradient \(operation): parameter \(index) has shapes \(parameter.shape) and \(other.shape)")
        }
        if operation == "+" { parameter += other } else { parameter -= other }
    }
}
