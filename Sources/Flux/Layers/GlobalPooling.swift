// Global pooling layers: one number per channel and example, whatever the image's size.
// A bare name means `Float`: `GlobalAvgPool2D()`; `GlobalAvgPool2D<Double>()` otherwise.

/// The largest element of every channel over the whole image, as a layer: `[batch, height,
/// width, channels]` becomes `[batch, channels]` (``globalMaxPool2D(_:)``; PyTorch's
/// `AdaptiveMaxPool2d(1)` followed by `Flatten()`).
/// ```swift
/// let head = Chain { GlobalMaxPool2D(); Dense(1, 10) }
/// let logits = head(image)                        // [1, 28, 28, 1] → [1, 10]
/// ```
public struct GlobalMaxPool2D<Scalar: TensorFloatingPoint>: Model {
    /// The layer.
    public init() {}

    /// `x`, `[batch, height, width, channels]`, pooled to `[batch, channels]`.
    @inlinable
    public func callAsFunction(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        checkGlobalPoolingInput("GlobalMaxPool2D", x.shape, rank: 4)
        return globalMaxPool2D(x)
    }
}

extension GlobalMaxPool2D where Scalar == Float {
    /// A `Float` layer: `GlobalMaxPool2D()`.
    public init() {}
}

/// The mean of every channel over the whole image, as a layer: `[batch, height, width,
/// channels]` becomes `[batch, channels]` (``globalAvgPool2D(_:)``; PyTorch's
/// `AdaptiveAvgPool2d(1)` followed by `Flatten()`).
/// ```swift
/// let head = Chain { GlobalAvgPool2D(); Dense(1, 10) }
/// let logits = head(image)                        // [1, 28, 28, 1] → [1, 10]
/// ```
public struct GlobalAvgPool2D<Scalar: TensorFloatingPoint>: Model {
    /// The layer.
    public init() {}

    /// `x`, `[batch, height, width, channels]`, averaged to `[batch, channels]`.
    @inlinable
    public func callAsFunction(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        checkGlobalPoolingInput("GlobalAvgPool2D", x.shape, rank: 4)
        return globalAvgPool2D(x)
    }
}

extension GlobalAvgPool2D where Scalar == Float {
    /// A `Float` layer: `GlobalAvgPool2D()`.
    public init() {}
}

/// The largest element of every channel over the whole length, as a layer:
/// `[batch, length, channels]` becomes `[batch, channels]` (``globalMaxPool1D(_:)``).
/// ```swift
/// let pool = GlobalMaxPool1D()
/// let features = pool(sequence)                   // [4, 32, 8] → [4, 8]
/// ```
public struct GlobalMaxPool1D<Scalar: TensorFloatingPoint>: Model {
    /// The layer.
    public init() {}

    /// `x`, `[batch, length, channels]`, pooled to `[batch, channels]`.
    @inlinable
    public func callAsFunction(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        checkGlobalPoolingInput("GlobalMaxPool1D", x.shape, rank: 3)
        return globalMaxPool1D(x)
    }
}

extension GlobalMaxPool1D where Scalar == Float {
    /// A `Float` layer: `GlobalMaxPool1D()`.
    public init() {}
}

/// The mean of every channel over the whole length, as a layer: `[batch, length,
/// channels]` becomes `[batch, channels]` (``globalAvgPool1D(_:)``).
/// ```swift
/// let pool = GlobalAvgPool1D()
/// let features = pool(sequence)                   // [4, 32, 8] → [4, 8]
/// ```
public struct GlobalAvgPool1D<Scalar: TensorFloatingPoint>: Model {
    /// The layer.
    public init() {}

    /// `x`, `[batch, length, channels]`, averaged to `[batch, channels]`.
    @inlinable
    public func callAsFunction(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        checkGlobalPoolingInput("GlobalAvgPool1D", x.shape, rank: 3)
        return globalAvgPool1D(x)
    }
}

extension GlobalAvgPool1D where Scalar == Float {
    /// A `Float` layer: `GlobalAvgPool1D()`.
    public init() {}
}

/// Stops, naming `layer` and where it is in the model, unless `shape` has `rank` axes and a
/// position to pool.
@usableFromInline
func checkGlobalPoolingInput(_ layer: String, _ shape: [Int], rank: Int) {
    let layout = rank == 4 ? "[batch, height, width, channels]" : "[batch, length, channels]"
    guard shape.count == rank else { failInLayer(layer, "input \(shape) is not \(layout)") }
    guard shape[1..<(rank - 1)].allSatisfy({ $0 > 0 }) else {
        failInLayer(layer, "input \(shape) has no position to pool (\(layout))")
    }
}
