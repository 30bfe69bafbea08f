/// NHWC images enlarged by whole factors, as a layer: ``upsample2D(_:scale:mode:)``
/// (PyTorch's `nn.Upsample(scale_factor=…, mode="nearest")`, or with `mode: .bilinear`,
/// `mode="bilinear", align_corners=False`).
/// ```swift
/// let up = Upsample2D(scale: 2, mode: .bilinear)
/// let larger = up(image)                          // [1, 28, 28, 1] → [1, 56, 56, 1]
/// let wider = Upsample2D(scale: [1, 3])(image)    // nearest: [1, 28, 84, 1]
/// ```
public struct Upsample2D<Scalar: TensorFloatingPoint>: Model {
    /// The factors of the height and of the width.
    public var scale: Size2D
    /// How the new pixels are filled.
    public var mode: UpsampleMode

    /// Upsampling by `scale` with `mode`.
    public init(scale: Size2D, mode: UpsampleMode = .nearest) { self.init(checking: scale, mode) }

    /// The layer, its scale checked (the generic and the `Float` initializer end here).
    init(checking scale: Size2D, _ mode: UpsampleMode) {
        (self.scale, self.mode) = (scale, mode)
        guard scale.height > 0, scale.width > 0 else { fail("\(name): the scale must be positive") }
    }

    /// `x`, `[batch, height, width, channels]`, upsampled.
    @inlinable
    public func callAsFunction(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        guard x.rank == 4 else { failInLayer(name, "input \(x.shape) is not [batch, height, width, channels]") }
        return upsampled(x, UpsamplePlan(name, x.shape, scale: scale, mode: mode))
    }

    /// How messages name the layer: its settings, as they would be written.
    @usableFromInline var name: String { "Upsample2D(scale: \(scale), mode: .\(mode))" }
}

extension Upsample2D where Scalar == Float {
    /// A `Float` layer: `Upsample2D(scale: 2)`.
    public init(scale: Size2D, mode: UpsampleMode = .nearest) { self.init(checking: scale, mode) }
}
