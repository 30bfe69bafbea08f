/// Batch normalisation over the last (channel) axis: each channel is shifted to mean 0 and
/// scaled to variance 1 over every other axis (the batch and any spatial axes), then scaled
/// by `scale` and shifted by `offset`.
///
/// While training it normalises with the batch's own statistics and moves the running
/// statistics toward them; in inference it normalises with the running statistics. As in
/// PyTorch's `BatchNorm1d/2d`: `running = (1 − momentum) · running + momentum · batch`
/// with momentum 0.1, the running variance updated with the unbiased batch variance (divided
/// by n − 1) while the batch is normalised with the biased one, epsilon 1e-5 added to the
/// variance, `scale` and `offset` as PyTorch's `weight` and `bias`, and `runningMean`,
/// `runningVariance` as its `running_mean`, `running_var`.
///
/// The running statistics are ``LayerState``: a training step computes their next values and
/// the model returned by the optimizer's update holds them. No forward pass mutates the
/// model. Whether it trains is its ``mode`` (by default, inside a gradient computation of
/// the model; ``ParameterContainer/withMode(_:)`` sets it for a whole model).
/// ```swift
/// let block = Chain { Conv2D<Float>(3, 16, kernelSize: 3, padding: .same, useBias: false); BatchNorm<Float>(16); relu }
/// ```
public struct BatchNorm<Scalar: TensorFloatingPoint>: Model {
    /// `[channels]`, starting at ones.
    public var scale: Tensor<Scalar>
    /// `[channels]`, starting at zeros.
    public var offset: Tensor<Scalar>
    /// `[channels]`, starting at zeros.
    @LayerState public var runningMean: Tensor<Scalar>
    /// `[channels]`, starting at ones.
    @LayerState public var runningVariance: Tensor<Scalar>
    /// How far one training step moves the running statistics toward the batch's.
    public var momentum: Scalar
    /// Added to the variance.
    public var epsilon: Scalar
    /// Whether the layer trains (``LayerMode``).
    public var mode: LayerMode

    /// Normalisation of `channels` channels.
    public init(_ channels: Int, momentum: Scalar = 0.1, epsilon: Scalar = 1e-5, mode: LayerMode = .automatic) {
        guard channels > 0 else { fail("BatchNorm: channels must be positive, got \(channels)") }
        guard momentum >= 0, momentum <= 1 else {
            fail("BatchNorm: momentum must satisfy 0 ≤ momentum ≤ 1, got \(momentum)")
        }
        guard epsilon >= 0, epsilon.isFinite else { fail("BatchNorm: epsilon must be finite and ≥ 0, got \(epsilon)") }
        (scale, offset) = (Tensor(ones: [channels]), Tensor(zeros: [channels]))
        (runningMean, runningVariance) = (Tensor(zeros: [channels]), Tensor(ones: [channels]))
        (self.momentum, self.epsilon, self.mode) = (momentum, epsilon, mode)
    }

    /// `x`, `[batch, ..., channels]`, normalised per channel.
    @inlinable
    public func callAsFunction(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        let channels = scale.count
        guard x.rank >= 2, x.shape[x.rank - 1] == channels else {
            failInLayer(
                "BatchNorm(\(channels))", "input \(x.shape), expected [batch, ..., \(channels)] (channels last)")
        }
        guard mode.isTraining(recording: $runningMean.isRecording) else {
            return (x - runningMean) / sqrt(runningVariance + epsilon) * scale + offset
        }
        let n = x.count / channels
        guard n > 1 else {
            failInLayer(
                "BatchNorm(\(channels))", "input \(x.shape): training needs more than one value per channel")
        }
        // One recorded operation: statistics, output and all three gradients in a few passes.
        let (output, mean, variance) = batchNormalized(x, scale: scale, offset: offset, epsilon: epsilon)
        if $runningMean.isRecording {
            let (m, unbiased) = (momentum, Scalar(n) / Scalar(n - 1))
            $runningMean.update(to: runningMean * (1 - m) + mean * m)
            $runningVariance.update(to: runningVariance * (1 - m) + variance * (m * unbiased))
        }
        return output
    }
}
