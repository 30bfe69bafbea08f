/// Every axis after the batch axis merged into one, as a layer: `[batch, height, width,
/// channels]` becomes `[batch, height · width · channels]` (``flatten(_:)``; no copy).
///
/// The order is row-major, so an NHWC image flattens pixel by pixel, in (row, column,
/// channel) order. PyTorch flattens NCHW in (channel, row, column) order, so the `Linear`
/// after its `Flatten` expects another order of features. To port its weight `w`
/// (`[outputs, channels · height · width]`) to the `Dense` after this layer, permute its rows
/// as well as transposing it:
/// ```swift
/// let (channels, height, width, outputs) = (16, 4, 4, 120)
/// let torchWeight = Tensor<Float>(zeros: [outputs, channels * height * width])
/// let weight = torchWeight.reshaped(to: [outputs, channels, height, width])
///     .transposed(permutation: [2, 3, 1, 0])                   // [height, width, channels, outputs]
///     .reshaped(to: [height * width * channels, outputs])
/// let head = Chain { Flatten(); Dense(weight: weight, bias: Tensor(zeros: [outputs])) }
/// let logits = head(Tensor<Float>(zeros: [8, height, width, channels]))    // [8, 120]
/// ```
public struct Flatten<Scalar: TensorScalar>: Model {
    /// The layer.
    public init() {}

    /// `x` as `[batch, product of the other extents]`.
    ///
    /// - Precondition: `x` has a batch axis (rank ≥ 1); a `[batch]` vector becomes `[batch, 1]`.
    @inlinable
    public func callAsFunction(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        guard x.rank >= 1 else { failInLayer("Flatten", "input \(x.shape) has no batch axis") }
        return x.flattened(fromAxis: 1)
    }
}

extension Flatten where Scalar == Float {
    /// A `Float` layer: `Flatten()`.
    public init() {}
}
