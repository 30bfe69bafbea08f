// The arithmetic that training needs on gradients: sums (accumulating over batches),
// scaling (averaging), norms and clipping. Each works parameter by parameter.

extension Gradient {
    /// The parameter-wise sum: `(a + b).weight == a.weight + b.weight`.
    public static func + (lhs: Gradient, rhs: Gradient) -> Gradient {
        lhs.combined(with: rhs, operation: "Gradient +", float: { $0 += $1 }, double: { $0 += $1 })
    }

    /// The parameter-wise difference.
    public static func - (lhs: Gradient, rhs: Gradient) -> Gradient {
        lhs.combined(with: rhs, operation: "Gradient -", float: { $0 -= $1 }, double: { $0 -= $1 })
    }

    /// Every parameter's gradient times `factor`.
    public static func * (lhs: Gradient, factor: Double) -> Gradient {
        lhs.mapped(float: { $0 *= Float(factor) }, double: { $0 *= factor })
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
        var total = 0.0
        forEachParameter(of: &copy, operation: "globalNorm") { parameter in
            switch parameter.kind {
            case .float: total += parameter.tensor(0, as: Float.self).pointee.sumOfSquares
            case .double: total += parameter.tensor(0, as: Double.self).pointee.sumOfSquares
            }
        }
        return total.squareRoot()
    }

    /// The gradient scaled so that its ``globalNorm`` is at most `maxNorm` (unchanged if it
    /// already is): the usual guard against exploding gradients.
    public func clipped(toGlobalNorm maxNorm: Double) -> Gradient {
        let norm = globalNorm
        return norm > maxNorm && norm > 0 ? self * (maxNorm / norm) : self
    }

    /// The gradient with every element limited to `-limit...limit`.
    public func clipped(toValue limit: Double) -> Gradient {
        mapped(
            float: { $0 = clamp($0, min: Float(-limit), max: Float(limit)) },
            double: { $0 = clamp($0, min: -limit, max: limit) })
    }

    /// Applies `float` or `double` to every parameter's gradient, by its scalar type.
    func mapped(float: (inout Tensor<Float>) -> Void, double: (inout Tensor<Double>) -> Void) -> Gradient {
        var copy = base
        forEachParameter(of: &copy, operation: "Gradient") { parameter in
            switch parameter.kind {
            case .float: float(&parameter.tensor(0, as: Float.self).pointee)
            case .double: double(&parameter.tensor(0, as: Double.self).pointee)
            }
        }
        return Gradient(copy)
    }

    /// Combines the gradients of the same parameter in both values, in place in a copy of `self`.
    func combined(
        with other: Gradient, operation: String, float: (inout Tensor<Float>, Tensor<Float>) -> Void,
        double: (inout Tensor<Double>, Tensor<Double>) -> Void
    ) -> Gradient {
        var (copy, second) = (base, other.base)
        forEachParameter(of: &copy, &second, operation: operation) { parameter in
            switch parameter.kind {
            case .float: combine(parameter, as: Float.self, operation: operation, float)
            case .double: combine(parameter, as: Double.self, operation: operation, double)
            }
        }
        return Gradient(copy)
    }
}

/// `body(&first, second)` for one parameter of two gradients, after checking their shapes.
private func combine<S: TensorFloatingPoint>(
    _ parameter: ParameterReference, as _: S.Type, operation: String, _ body: (inout Tensor<S>, Tensor<S>) -> Void
) {
    let (a, b) = (parameter.tensor(0, as: S.self), parameter.tensor(1, as: S.self))
    guard a.pointee.shape == b.pointee.shape else {
        fail("\(operation): `\(parameter.path)` has shapes \(a.pointee.shape) and \(b.pointee.shape)")
    }
    body(&a.pointee, b.pointee)
}

extension Tensor where Scalar: TensorFloatingPoint {
    /// `Σ x²` in `Double`.
    fileprivate var sumOfSquares: Double { Double((self * self).sum().scalar) }
}
