// What LayerNorm, GroupNorm and InstanceNorm share: normalising over some axes, the optional
// per-channel affine part, and the checks of their inputs and parameters.

/// `(x − mean) / √(variance + epsilon)`, with the mean and the biased variance taken over
/// `axes` (kept, so that they broadcast back over `x`).
@inlinable
func normalized<Scalar: TensorFloatingPoint>(
    _ x: Tensor<Scalar>, alongAxes axes: [Int], epsilon: Scalar
) -> Tensor<Scalar> {
    let centered = x - x.mean(alongAxes: axes, keepingDimensions: true)
    let variance = (centered * centered).mean(alongAxes: axes, keepingDimensions: true)
    return centered / sqrt(variance + epsilon)
}

/// `y · scale + offset`, each part only when the layer has it.
@inlinable
func scaledAndShifted<Scalar: TensorFloatingPoint>(
    _ y: Tensor<Scalar>, _ scale: Tensor<Scalar>?, _ offset: Tensor<Scalar>?
) -> Tensor<Scalar> {
    var result = y
    if let scale { result = result * scale }
    if let offset { result = result + offset }
    return result
}

/// Stops, naming `layer`, unless `x` is `[batch, spatial..., channels]` of rank at least
/// `minimumRank`.
@inlinable
func checkChannelsLast<Scalar>(
    _ x: Tensor<Scalar>, channels: Int, minimumRank: Int, layer: @autoclosure () -> String
) {
    guard x.rank < minimumRank || x.shape[x.rank - 1] != channels else { return }
    let expected = "[batch, spatial..., \(channels)] (channels last, rank ≥ \(minimumRank))"
    failInLayer(
        layer(),
        x.rank < minimumRank
            ? "input \(x.shape) has rank \(x.rank); expected \(expected)"
            : "input \(x.shape) has \(x.shape[x.rank - 1]) channels in its last axis; expected \(expected)")
}

/// Stops, naming `layer`, when an affine parameter was replaced by one of another shape
/// than `[channels]` (it would broadcast wrongly, or fail with a less helpful message).
@usableFromInline
func checkAffineShapes<Scalar: TensorFloatingPoint>(
    _ scale: Tensor<Scalar>?, _ offset: Tensor<Scalar>?, channels: Int, layer: @autoclosure () -> String
) {
    func check(_ name: String, _ parameter: Tensor<Scalar>?) {
        guard let shape = parameter?.shape, shape != [channels] else { return }
        failInLayer(layer(), "\(name) has shape \(shape); expected [\(channels)]")
    }
    check("scale", scale)
    check("offset", offset)
}

/// `1 channel`, `8 channels`.
@usableFromInline
func counted(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }
