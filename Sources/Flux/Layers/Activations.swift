// Activation functions: models with zero parameters. `relu`, `sigmoid`, `tanh` and
// `softplus` are the elementwise functions of Tensor+Math.swift; the rest are here.
// Every one is differentiable through the operations it is made of or its own pullback.
//
// Edge inputs: an empty tensor gives an empty tensor of its shape, and NaN gives NaN. At ±∞
// each function gives what its formula gives in IEEE arithmetic, as PyTorch's do: the limit
// where the formula reaches it (`sigmoid(−∞) = 0`, `elu(−∞) = −α`, `relu6(∞) = 6`), and NaN
// where it meets ∞ · 0 or ∞ / ∞: `swish`, `gelu` and `mish` at −∞, `softsign` at ±∞.

/// `x` where positive, `slope · x` elsewhere.
@inlinable
public func leakyRelu<T: TensorFloatingPoint>(_ x: Tensor<T>, slope: T) -> Tensor<T> {
    x.elementwiseRecording(x.mapElements { $0 > 0 ? $0 : slope * $0 }) { g, x, _ in
        g.zipElements(x) { g, x in g * (x > 0 ? 1 : slope) }
    }
}

/// `x` where positive, `α(eˣ − 1)` elsewhere.
@inlinable
public func elu<T: TensorFloatingPoint>(_ x: Tensor<T>, alpha: T) -> Tensor<T> {
    x.elementwiseRecording(x.mapElements { $0 > 0 ? $0 : alpha * T.expMinusOne($0) }) { g, x, y in
        g.zipElements(x, y) { g, x, y in g * (x > 0 ? 1 : y + alpha) }
    }
}

/// How ``gelu(_:approximation:)`` computes the normal CDF.
public enum GeluApproximation: Sendable {
    /// Exactly, through the complementary error function (PyTorch's default).
    case none
    /// `½(1 + tanh(√(2/π)(x + 0.044715x³)))`, as PyTorch's `approximate='tanh'` and the
    /// original BERT and GPT-2 code.
    case tanh
}

/// The Gaussian error linear unit `x · Φ(x)`, with Φ the standard normal CDF: exact by
/// default, computed as `x · erfc(−x/√2)/2` so that it stays accurate (tiny, not 0) for
/// large negative `x`; or the tanh approximation. NaN at −∞ (−∞ · 0), as in PyTorch.
@inlinable
public func gelu<T: TensorFloatingPoint>(_ x: Tensor<T>, approximation: GeluApproximation) -> Tensor<T> {
    let (r2, rpi) = (1 / T(2).squareRoot(), 1 / (2 * T.pi).squareRoot())
    guard approximation == .tanh else {
        return x.elementwiseRecording(x.mapElements { $0 * T.erfc(-$0 * r2) / 2 }) { g, x, _ in
            g.zipElements(x) { g, x in g * (T.erfc(-x * r2) / 2 + x * rpi * T.exp(-x * x / 2)) }
        }
    }
    let (c, k) = ((2 / T.pi).squareRoot(), T(0.044715))
    let value = x.mapElements { (x: T) -> T in
        let t: T = T.tanh(c * (x + k * x * x * x))
        return x * (1 + t) / 2
    }
    return x.elementwiseRecording(value) { g, x, _ in
        g.zipElements(x) { g, x in
            let t: T = T.tanh(c * (x + k * x * x * x))
            let slope: T = c * (1 + 3 * k * x * x)
            let half: T = (1 + t) / 2
            return g * (half + x * (1 - t * t) * slope / 2)
        }
    }
}

/// The exact GELU, ``gelu(_:approximation:)`` with `.none`: a function of one tensor, to use
/// as a layer's activation or in a `Chain`.
@inlinable
public func gelu<T: TensorFloatingPoint>(_ x: Tensor<T>) -> Tensor<T> { gelu(x, approximation: .none) }

/// Swish / SiLU: `x · σ(x)`; NaN at −∞ (−∞ · 0), as in PyTorch.
@inlinable
public func swish<T: TensorFloatingPoint>(_ x: Tensor<T>) -> Tensor<T> {
    x.elementwiseRecording(x.mapElements { $0 * T.sigmoid($0) }) { g, x, _ in
        g.zipElements(x) { g, x in
            let s = T.sigmoid(x)
            return g * (s * (1 + x * (1 - s)))
        }
    }
}

/// SiLU, the same function as ``swish(_:)``.
@inlinable public func silu<T: TensorFloatingPoint>(_ x: Tensor<T>) -> Tensor<T> { swish(x) }

/// The identity: `x` unchanged (the activation of a layer without one).
@inlinable public func identity<T: TensorScalar>(_ x: Tensor<T>) -> Tensor<T> { x }

/// `log softmax` along `axis` (the last by default): `x − logΣexp(x)`, without overflow.
/// An axis of extent 1 gives 0 where its element is finite; an empty tensor gives an empty
/// one of the same shape.
///
/// - Precondition: `axis` is an axis of `x` (a rank-0 tensor has none).
@inlinable
public func logSoftmax<T: TensorFloatingPoint>(_ x: Tensor<T>, alongAxis axis: Int) -> Tensor<T> {
    let a = normalizedAxis(axis, rank: x.rank, operation: "logSoftmax", shape: x.shape)
    // Without elements the result is empty, but the sums kept along the axis may not be
    // (`[1 << 40, 0]` would make `[1 << 40, 1]`); the gradient of nothing is nothing.
    if x.count == 0 { return x.recording(x.withoutDerivative) { $0 } }
    return x - x.logSumExp(alongAxes: [a], keepingDimensions: true)
}

/// The softmax along `axis` (the last by default): `eˣ / Σeˣ`, computed without overflow.
/// An axis of extent 1 gives 1 where its element is finite; an empty tensor gives an empty
/// one of the same shape.
///
/// - Precondition: `axis` is an axis of `x` (a rank-0 tensor has none).
@inlinable
public func softmax<T: TensorFloatingPoint>(_ x: Tensor<T>, alongAxis axis: Int) -> Tensor<T> {
    let a = normalizedAxis(axis, rank: x.rank, operation: "softmax", shape: x.shape)
    return exp(logSoftmax(x, alongAxis: a))
}

// One-argument forms, so that the functions are `(Tensor) -> Tensor` values that go
// straight into a `Chain`.

/// `leakyRelu(x, slope: 0.01)`.
@inlinable public func leakyRelu<T: TensorFloatingPoint>(_ x: Tensor<T>) -> Tensor<T> { leakyRelu(x, slope: 0.01) }

/// `elu(x, alpha: 1)`.
@inlinable public func elu<T: TensorFloatingPoint>(_ x: Tensor<T>) -> Tensor<T> { elu(x, alpha: 1) }

/// The softmax along the last axis.
@inlinable public func softmax<T: TensorFloatingPoint>(_ x: Tensor<T>) -> Tensor<T> { softmax(x, alongAxis: -1) }

/// The log-softmax along the last axis.
@inlinable public func logSoftmax<T: TensorFloatingPoint>(_ x: Tensor<T>) -> Tensor<T> { logSoftmax(x, alongAxis: -1) }

/// Every axis after the first merged into one: `[batch, c, h, w]` becomes `[batch, c·h·w]`.
@inlinable public func flatten<T: TensorScalar>(_ x: Tensor<T>) -> Tensor<T> { x.flattened(fromAxis: 1) }
