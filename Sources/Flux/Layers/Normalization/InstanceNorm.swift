/// Instance normalisation over channels-last input: each example's each channel is shifted
/// to mean 0 and scaled to variance 1 over the spatial positions, then, if `affine`, scaled
/// by `scale` and shifted by `offset`, per channel.
///
/// The input is `[batch, spatial..., channels]` with the channels last and at least one
/// spatial axis: `[batch, height, width, channels]` for images, `[batch, length, channels]`
/// for sequences. For channel `c` of example `n`,
/// `y = (x − mean) / √(variance + epsilon) · scale + offset`, with the mean and the biased
/// variance over the spatial axes. It is ``GroupNorm`` with `groups == channels`.
///
/// This is PyTorch's `nn.InstanceNorm1d`/`2d`/`3d` with their defaults: `affine` false and
/// no running statistics, so training and inference compute the same thing. Its
/// `track_running_stats=True` (normalising by averages gathered in training at inference
/// time) is not offered. With `affine`, PyTorch's `weight` is `scale` and `bias` is `offset`,
/// both `[channels]`. PyTorch puts the channels in axis 1 (`[N, C, H, W]`); permute its
/// input to channels-last when porting.
/// ```swift
/// let norm = InstanceNorm<Float>(channels: 3)
/// let y = norm(Tensor<Float>(zeros: [2, 64, 64, 3]))      // each image's each channel normalised
/// ```
public struct InstanceNorm<Scalar: TensorFloatingPoint>: Model {
    /// `[channels]`, starting at ones; `nil` unless made with `affine: true` (then the
    /// normalised values are not scaled).
    public var scale: Tensor<Scalar>?
    /// `[channels]`, starting at zeros; `nil` unless made with `affine: true` (then the
    /// normalised values are not shifted).
    public var offset: Tensor<Scalar>?
    /// The extent of the input's last axis.
    public let channels: Int
    /// Added to the variance; not a parameter (PyTorch's default, 1e-5).
    public var epsilon: Scalar

    /// Normalisation of `channels` channels, each on its own, with per-channel `scale` and
    /// `offset` parameters when `affine` (not by default, as in PyTorch).
    ///
    /// - Precondition: `channels` is positive and `epsilon` is finite and ≥ 0.
    public init(channels: Int, epsilon: Scalar = 1e-5, affine: Bool = false) {
        guard channels > 0 else { fail("InstanceNorm: channels must be positive, got \(channels)") }
        guard epsilon >= 0, epsilon.isFinite else {
            fail("InstanceNorm: epsilon must be finite and ≥ 0, got \(epsilon)")
        }
        (self.channels, self.epsilon) = (channels, epsilon)
        (scale, offset) = affine ? (Tensor(ones: [channels]), Tensor(zeros: [channels])) : (nil, nil)
    }

    /// `x`, `[batch, spatial..., channels]`, normalised per example and channel over the
    /// spatial axes.
    @inlinable
    public func callAsFunction(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        checkChannelsLast(x, channels: channels, minimumRank: 3, layer: layerName)
        checkAffineShapes(scale, offset, channels: channels, layer: layerName)
        return scaledAndShifted(normalized(x, alongAxes: Array(1..<(x.rank - 1)), epsilon: epsilon), scale, offset)
    }

    /// `InstanceNorm(8 channels)`, for messages.
    @usableFromInline var layerName: String { "InstanceNorm(\(counted(channels, "channel")))" }
}
