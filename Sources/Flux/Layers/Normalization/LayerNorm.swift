/// Layer normalisation: each example's last `normalizedShape.count` axes are shifted to mean 0
/// and scaled to variance 1, then scaled by `scale` and shifted by `offset`, elementwise.
///
/// `y = (x − mean) / √(variance + epsilon) · scale + offset`, with the mean and the biased
/// variance over the normalised axes, as PyTorch's `nn.LayerNorm` (whose `weight` is `scale`
/// and `bias` is `offset`, same shapes). It keeps no running statistics: training and
/// inference compute the same thing.
/// ```swift
/// let norm = LayerNorm<Float>(512)          // over the last axis of [batch, 512]
/// ```
public struct LayerNorm<Scalar: TensorFloatingPoint>: Model {
    /// `normalizedShape`, starting at ones.
    public var scale: Tensor<Scalar>
    /// `normalizedShape`, starting at zeros.
    public var offset: Tensor<Scalar>
    /// Added to the variance; not a parameter (PyTorch's default, 1e-5).
    public var epsilon: Scalar

    /// Normalisation over trailing axes of extents `normalizedShape`.
    public init(_ normalizedShape: [Int], epsilon: Scalar = 1e-5) {
        guard !normalizedShape.isEmpty, normalizedShape.allSatisfy({ $0 > 0 }) else {
            fail("LayerNorm: the normalised shape must be non-empty and positive, got \(normalizedShape)")
        }
        guard epsilon >= 0, epsilon.isFinite else { fail("LayerNorm: epsilon must be finite and ≥ 0, got \(epsilon)") }
        (scale, offset, self.epsilon) = (Tensor(ones: normalizedShape), Tensor(zeros: normalizedShape), epsilon)
    }

    /// Normalisation over a last axis of `features`.
    public init(_ features: Int, epsilon: Scalar = 1e-5) { self.init([features], epsilon: epsilon) }

    /// `x` normalised over its trailing axes.
    @inlinable
    public func callAsFunction(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        let k = scale.rank
        guard x.rank >= k, Array(x.shape.suffix(k)) == scale.shape else {
            failInLayer(
                "LayerNorm(\(scale.shape))", "input \(x.shape) does not end in the normalised shape \(scale.shape)")
        }
        return normalized(x, alongAxes: Array((x.rank - k)..<x.rank), epsilon: epsilon) * scale + offset
    }
}
