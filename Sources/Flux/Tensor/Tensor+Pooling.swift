// Pooling over the spatial axes of channels-last tensors: `[batch, height, width, channels]`
// in 2-D, `[batch, length, channels]` in 1-D. A 1-D input is pooled as an image of height 1
// (a reshape, no copy), so both share the kernels of Tensor+MaxPooling.swift and
// Tensor+AveragePooling.swift.

/// The largest element of each `window` of every channel, the window moved by `stride`
/// (the window itself by default) over the height and width of an NHWC tensor.
///
/// Padding never wins: it counts as −∞ (PyTorch's `MaxPool2d`). A NaN in a window is its
/// maximum. The gradient goes to the first maximal element of each window, in row-major
/// order, as in PyTorch.
/// ```swift
/// let pooled = maxPool2D(image, window: 2)     // [1, 28, 28, 1] → [1, 14, 14, 1]
/// ```
/// - Precondition: `x` is `[batch, height, width, channels]`; sizes are positive; every
///   window covers at least one element of the input, not only padding.
@inlinable
public func maxPool2D<T: TensorFloatingPoint>(
    _ x: Tensor<T>, window: Size2D, stride: Size2D? = nil, padding: Padding = .valid
) -> Tensor<T> {
    maxPooled(x, poolingPlan2D("maxPool2D", x.shape, window: window, stride: stride, padding: padding))
}

/// The mean of each `window` of every channel, the window moved by `stride` (the window
/// itself by default) over the height and width of an NHWC tensor.
///
/// Padding counts as zeros in the mean when `countsPadding` (PyTorch's `AvgPool2d`
/// default, `count_include_pad=True`); otherwise each window's mean is over the input
/// elements it covers only (Keras' `AveragePooling2D(padding="same")`). The gradient of
/// each mean is shared out over its window's input elements in the same proportion.
/// ```swift
/// let smooth = avgPool2D(image, window: 3, stride: 1, padding: .same)   // [1, 28, 28, 1]
/// ```
/// - Precondition: as for ``maxPool2D(_:window:stride:padding:)``.
@inlinable
public func avgPool2D<T: TensorFloatingPoint>(
    _ x: Tensor<T>, window: Size2D, stride: Size2D? = nil, padding: Padding = .valid, countsPadding: Bool = true
) -> Tensor<T> {
    averagePooled(
        x, poolingPlan2D("avgPool2D", x.shape, window: window, stride: stride, padding: padding),
        countsPadding: countsPadding)
}

/// The largest element of each `window` of every channel along the length of a
/// `[batch, length, channels]` tensor; as ``maxPool2D(_:window:stride:padding:)`` in 1-D.
///
/// - Precondition: `x` is `[batch, length, channels]`; every window covers input.
@inlinable
public func maxPool1D<T: TensorFloatingPoint>(
    _ x: Tensor<T>, window: Int, stride: Int? = nil, padding: Padding = .valid
) -> Tensor<T> {
    let plan = poolingPlan1D("maxPool1D", x.shape, window: window, stride: stride, padding: padding)
    return maxPooled(x.reshaped(to: plan.inputShape), plan).reshaped(to: plan.outputShape1D)
}

/// The mean of each `window` of every channel along the length of a
/// `[batch, length, channels]` tensor; as ``avgPool2D(_:window:stride:padding:countsPadding:)`` in 1-D.
///
/// - Precondition: `x` is `[batch, length, channels]`; every window covers input.
@inlinable
public func avgPool1D<T: TensorFloatingPoint>(
    _ x: Tensor<T>, window: Int, stride: Int? = nil, padding: Padding = .valid, countsPadding: Bool = true
) -> Tensor<T> {
    let plan = poolingPlan1D("avgPool1D", x.shape, window: window, stride: stride, padding: padding)
    return averagePooled(x.reshaped(to: plan.inputShape), plan, countsPadding: countsPadding)
        .reshaped(to: plan.outputShape1D)
}

/// The largest element of every channel over the whole image: `[batch, height, width,
/// channels]` becomes `[batch, channels]` (PyTorch's `AdaptiveMaxPool2d(1)` then `flatten`).
///
/// - Precondition: `x` is `[batch, height, width, channels]` with `height, width > 0`.
@inlinable
public func globalMaxPool2D<T: TensorFloatingPoint>(_ x: Tensor<T>) -> Tensor<T> {
    let s = globalPoolingShape("globalMaxPool2D", x.shape, rank: 4)
    return maxPool2D(x, window: Size2D(s[1], s[2])).reshaped(to: [s[0], s[3]])
}

/// The mean of every channel over the whole image: `[batch, height, width, channels]`
/// becomes `[batch, channels]` (PyTorch's `AdaptiveAvgPool2d(1)` then `flatten`).
///
/// - Precondition: `x` is `[batch, height, width, channels]` with `height, width > 0`.
@inlinable
public func globalAvgPool2D<T: TensorFloatingPoint>(_ x: Tensor<T>) -> Tensor<T> {
    _ = globalPoolingShape("globalAvgPool2D", x.shape, rank: 4)
    return x.mean(alongAxes: [1, 2])
}

/// The largest element of every channel over the whole length: `[batch, length, channels]`
/// becomes `[batch, channels]`.
///
/// - Precondition: `x` is `[batch, length, channels]` with `length > 0`.
@inlinable
public func globalMaxPool1D<T: TensorFloatingPoint>(_ x: Tensor<T>) -> Tensor<T> {
    let s = globalPoolingShape("globalMaxPool1D", x.shape, rank: 3)
    return maxPool1D(x, window: s[1]).reshaped(to: [s[0], s[2]])
}

/// The mean of every channel over the whole length: `[batch, length, channels]` becomes
/// `[batch, channels]`.
///
/// - Precondition: `x` is `[batch, length, channels]` with `length > 0`.
@inlinable
public func globalAvgPool1D<T: TensorFloatingPoint>(_ x: Tensor<T>) -> Tensor<T> {
    _ = globalPoolingShape("globalAvgPool1D", x.shape, rank: 3)
    return x.mean(alongAxes: [1])
}
