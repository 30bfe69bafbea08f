/// Group normalisation over channels-last input: the channels are split into `groups`
/// contiguous groups, and each example's each group is shifted to mean 0 and scaled to
/// variance 1 over all its spatial positions and its channels; then each channel is scaled
/// by `scale` and shifted by `offset`.
///
/// The input is `[batch, spatial..., channels]` with the channels last: `[batch, height,
/// width, channels]` for images, `[batch, length, channels]` for sequences, or `[batch,
/// channels]` (then each group is normalised over its own channels only). For group `g`
/// (channels `g·k ..< (g+1)·k`, with `k = channels / groups`) of example `n`,
/// `y = (x − mean) / √(variance + epsilon) · scale + offset`, with the mean and the biased
/// variance over the group's `k` channels at every spatial position. Statistics are per
/// example, never over the batch, so training and inference compute the same thing and
/// the batch size does not matter.
///
/// This is PyTorch's `nn.GroupNorm(num_groups, num_channels, eps, affine)`: `weight` is
/// `scale` and `bias` is `offset`, both `[channels]`. PyTorch puts the channels in axis 1
/// (`[N, C, H, W]`); permute its input to channels-last when porting, the parameters need
/// no change. With one group it normalises each example over everything (as LayerNorm over
/// `[spatial..., channels]`, but with per-channel affine parameters); with `groups ==
/// channels` it is ``InstanceNorm``.
/// ```swift
/// let norm = GroupNorm<Float>(groups: 8, channels: 64)
/// let y = norm(Tensor<Float>(zeros: [2, 32, 32, 64]))     // [2, 32, 32, 64], 8 channels a group
/// ```
public struct GroupNorm<Scalar: TensorFloatingPoint>: Model {
    /// `[channels]`, starting at ones; `nil` when made with `affine: false` (then the
    /// normalised values are not scaled).
    public var scale: Tensor<Scalar>?
    /// `[channels]`, starting at zeros; `nil` when made with `affine: false` (then the
    /// normalised values are not shifted).
    public var offset: Tensor<Scalar>?
    /// How many contiguous groups the channels are split into.
    public let groups: Int
    /// The extent of the input's last axis.
    public let channels: Int
    /// Added to the variance; not a parameter (PyTorch's default, 1e-5).
    public var epsilon: Scalar

    /// Normalisation of `channels` channels in `groups` groups of `channels / groups`, with
    /// per-channel `scale` and `offset` parameters when `affine` (PyTorch's default).
    ///
    /// - Precondition: `groups` and `channels` are positive, `channels` is a multiple of
    ///   `groups`, and `epsilon` is finite and ≥ 0.
    public init(groups: Int, channels: Int, epsilon: Scalar = 1e-5, affine: Bool = true) {
        guard groups > 0, channels > 0 else {
            fail("GroupNorm: groups and channels must be positive, got groups: \(groups), channels: \(channels)")
        }
        guard channels % groups == 0 else {
            fail("GroupNorm: \(channels) channels do not split into \(groups) groups of equal size")
        }
        guard epsilon >= 0, epsilon.isFinite else { fail("GroupNorm: epsilon must be finite and ≥ 0, got \(epsilon)") }
        (self.groups, self.channels, self.epsilon) = (groups, channels, epsilon)
        (scale, offset) = affine ? (Tensor(ones: [channels]), Tensor(zeros: [channels])) : (nil, nil)
    }

    /// `x`, `[batch, spatial..., channels]`, normalised per example and group.
    @inlinable
    public func callAsFunction(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        checkChannelsLast(x, channels: channels, minimumRank: 2, layer: layerName)
        checkAffineShapes(scale, offset, channels: channels, layer: layerName)
        // [batch, spatial..., groups, channels / groups], reduced over the spatial axes and the last.
        let rank = x.rank
        let grouped = x.reshaped(to: Array(x.shape.dropLast()) + [groups, channels / groups])
        let axes = Array(1..<(rank - 1)) + [rank]
        return scaledAndShifted(
            normalized(grouped, alongAxes: axes, epsilon: epsilon).reshaped(to: x.shape), scale, offset)
    }

    /// `GroupNorm(2 groups, 8 channels)`, for messages.
    @usableFromInline var layerName: String {
        "GroupNorm(\(counted(groups, "group")), \(counted(channels, "channel")))"
    }
}
