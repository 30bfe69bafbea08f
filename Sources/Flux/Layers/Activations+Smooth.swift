// Smooth activations beyond the basic ones, each with its own one-pass pullback. Constants
// and formulas are PyTorch's (torch.nn.functional), so that ported models compute the same.

/// `log σ(x) = −softplus(−x)`, stable for large `|x|`.
@inlinable
public func logSigmoid<T: TensorFloatingPoint>(_ x: Tensor<T>) -> Tensor<T> {
    x.elementwiseRecording(x.mapElements { -T.softplus(-$0) }) { g, x, _ in
        g.zipElements(x) { g, x in g * T.sigmoid(-x) }
    }
}

/// `x / (1 + |x|)`; NaN at ±∞ (∞ / ∞), as in PyTorch.
@inlinable
public func softsign<T: TensorFloatingPoint>(_ x: Tensor<T>) -> Tensor<T> {
    x.elementwiseRecording(x.mapElements { $0 / (1 + $0.magnitude) }) { g, x, _ in
        g.zipElements(x) { g, x in g / ((1 + x.magnitude) * (1 + x.magnitude)) }
    }
}

/// The scaled exponential linear unit: `λx` where positive, `λα(eˣ − 1)` elsewhere, with
/// `λ ≈ 1.0507` and `α ≈ 1.6733` (Klambauer et al.; PyTorch's constants).
@inlinable
public func selu<T: TensorFloatingPoint>(_ x: Tensor<T>) -> Tensor<T> {
    let (lambda, alpha) = (T(1.0507009873554804934193349852946), T(1.6732632423543772848170429916717))
    return x.elementwiseRecording(x.mapElements { $0 > 0 ? lambda * $0 : lambda * alpha * T.expMinusOne($0) }) {
        g, x, y in g.zipElements(x, y) { g, x, y in g * (x > 0 ? lambda : y + lambda * alpha) }
    }
}

/// The continuously differentiable ELU: `x` where positive, `α(e^(x/α) − 1)` elsewhere.
///
/// - Precondition: `alpha` is not 0 (it divides; PyTorch refuses it too).
@inlinable
public func celu<T: TensorFloatingPoint>(_ x: Tensor<T>, alpha: T = 1) -> Tensor<T> {
    guard alpha != 0 else { fail("celu: alpha is 0, which the formula divides by (tensor of shape \(x.shape))") }
    return x.elementwiseRecording(x.mapElements { $0 > 0 ? $0 : alpha * T.expMinusOne($0 / alpha) }) { g, x, y in
        g.zipElements(x, y) { g, x, y in g * (x > 0 ? 1 : y / alpha + 1) }
    }
}

/// Mish: `x · tanh(softplus(x))` (Misra); NaN at −∞ (−∞ · 0), as in PyTorch.
@inlinable
public func mish<T: TensorFloatingPoint>(_ x: Tensor<T>) -> Tensor<T> {
    x.elementwiseRecording(x.mapElements { $0 * T.tanh(T.softplus($0)) }) { g, x, _ in
        g.zipElements(x) { g, x in
            let t = T.tanh(T.softplus(x))
            return g * (t + x * (1 - t * t) * T.sigmoid(x))
        }
    }
}
