// Pooling layers: the settings of a pooling operation (Tensor+Pooling.swift), and no
// parameters. Each is generic over its scalar type, and a bare name means `Float`, as for
// `Dense`: `MaxPool2D(2)` in a `Float` chain, `MaxPool2D<Double>(2)` in a `Double` one.

/// Max pooling over the height and width of NHWC images, as a layer: ``maxPool2D(_:window:stride:padding:)``
/// (PyTorch's `nn.MaxPool2d`, whose `kernel_size` is `window`).
/// ```swift
/// let features = Chain {
///     MaxPool2D(2)                                   // [1, 28, 28, 1] → [1, 14, 14, 1]
///     MaxPool2D(window: 3, stride: 2, padding: 1)    // → [1, 7, 7, 1]
/// }
/// let pooled = features(image)
/// ```
public struct MaxPool2D<Scalar: TensorFloatingPoint>: Model {
    /// The window's height and width.
    public var window: Size2D
    /// How far the window moves; by default the window itself, so that windows tile.
    public var stride: Size2D
    /// What is added around the input; padding never wins.
    public var padding: Padding

    /// Max pooling over `window`, moved by `stride` (the window by default), with `padding`.
    public init(window: Size2D, stride: Size2D? = nil, padding: Padding = .valid) {
        self.init(checking: window, stride, padding)
    }

    /// The layer, its sizes checked (every public initializer, generic or `Float`, ends here).
    init(checking window: Size2D, _ stride: Size2D?, _ padding: Padding) {
        (self.window, self.stride, self.padding) = (window, stride ?? window, padding)
        checkPoolingSizes(name, window.extents + self.stride.extents)
    }

    /// Max pooling over windows side by side: `MaxPool2D<Double>(2)`.
    public init(_ window: Size2D) { self.init(window: window) }

    /// `x`, `[batch, height, width, channels]`, max-pooled.
    @inlinable
    public func callAsFunction(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        guard x.rank == 4 else { failInLayer(name, "input \(x.shape) is not [batch, height, width, channels]") }
        return maxPooled(x, poolingPlan2D(name, x.shape, window: window, stride: stride, padding: padding))
    }

    /// How messages name the layer: its settings, as they would be written.
    @usableFromInline var name: String { poolingLayerName("MaxPool2D", window, stride, padding) }
}

extension MaxPool2D where Scalar == Float {
    /// A `Float` layer: `MaxPool2D(window: 3, stride: 2, padding: 1)`.
    public init(window: Size2D, stride: Size2D? = nil, padding: Padding = .valid) {
        self.init(checking: window, stride, padding)
    }

    /// A `Float` layer over windows side by side: `MaxPool2D(2)`.
    public init(_ window: Size2D) { self.init(window: window) }
}

/// Average pooling over the height and width of NHWC images, as a layer:
/// ``avgPool2D(_:window:stride:padding:countsPadding:)`` (PyTorch's `nn.AvgPool2d`).
/// ```swift
/// let smooth = AvgPool2D(window: 3, stride: 1, padding: 1, countsPadding: false)
/// let blurred = smooth(image)                    // [1, 28, 28, 1]
/// ```
public struct AvgPool2D<Scalar: TensorFloatingPoint>: Model {
    /// The window's height and width.
    public var window: Size2D
    /// How far the window moves; by default the window itself, so that windows tile.
    public var stride: Size2D
    /// What is added around the input.
    public var padding: Padding
    /// Whether padding counts as zeros in the mean (PyTorch's `count_include_pad`).
    public var countsPadding: Bool

    /// Average pooling over `window`, moved by `stride` (the window by default), with
    /// `padding` counted as zeros in the mean when `countsPadding`.
    public init(window: Size2D, stride: Size2D? = nil, padding: Padding = .valid, countsPadding: Bool = true) {
        self.init(checking: window, stride, padding, countsPadding)
    }

    /// The layer, its sizes checked (every public initializer, generic or `Float`, ends here).
    init(checking window: Size2D, _ stride: Size2D?, _ padding: Padding, _ countsPadding: Bool) {
        (self.window, self.stride, self.padding, self.countsPadding) = (
            window, stride ?? window, padding, countsPadding
        )
        checkPoolingSizes(name, window.extents + self.stride.extents)
    }

    /// Average pooling over windows side by side: `AvgPool2D<Double>(2)`.
    public init(_ window: Size2D) { self.init(window: window) }

    /// `x`, `[batch, height, width, channels]`, average-pooled.
    @inlinable
    public func callAsFunction(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        guard x.rank == 4 else { failInLayer(name, "input \(x.shape) is not [batch, height, width, channels]") }
        let plan = poolingPlan2D(name, x.shape, window: window, stride: stride, padding: padding)
        return averagePooled(x, plan, countsPadding: countsPadding)
    }

    /// How messages name the layer: its settings, as they would be written.
    @usableFromInline var name: String {
        poolingLayerName("AvgPool2D", window, stride, padding, countsPadding: countsPadding)
    }
}

extension AvgPool2D where Scalar == Float {
    /// A `Float` layer: `AvgPool2D(window: 3, stride: 1, padding: 1)`.
    public init(window: Size2D, stride: Size2D? = nil, padding: Padding = .valid, countsPadding: Bool = true) {
        self.init(checking: window, stride, padding, countsPadding)
    }

    /// A `Float` layer over windows side by side: `AvgPool2D(2)`.
    public init(_ window: Size2D) { self.init(window: window) }
}

/// Max pooling along the length of `[batch, length, channels]` sequences, as a layer:
/// ``maxPool1D(_:window:stride:padding:)`` (PyTorch's `nn.MaxPool1d`, on channels-last input).
/// ```swift
/// let pool = MaxPool1D(window: 3, stride: 2, padding: 1)
/// let pooled = pool(sequence)                    // [4, 32, 8] → [4, 16, 8]
/// ```
public struct MaxPool1D<Scalar: TensorFloatingPoint>: Model {
    /// The window's length.
    public var window: Int
    /// How far the window moves; by default the window itself, so that windows tile.
    public var stride: Int
    /// What is added before and after the input; padding never wins.
    public var padding: Padding

    /// Max pooling over `window`, moved by `stride` (the window by default), with `padding`.
    public init(window: Int, stride: Int? = nil, padding: Padding = .valid) {
        self.init(checking: window, stride, padding)
    }

    /// The layer, its sizes checked (every public initializer, generic or `Float`, ends here).
    init(checking window: Int, _ stride: Int?, _ padding: Padding) {
        (self.window, self.stride, self.padding) = (window, stride ?? window, padding)
        checkPoolingSizes(name, [window, self.stride])
    }

    /// Max pooling over windows side by side: `MaxPool1D<Double>(2)`.
    public init(_ window: Int) { self.init(window: window) }

    /// `x`, `[batch, length, channels]`, max-pooled.
    @inlinable
    public func callAsFunction(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        guard x.rank == 3 else { failInLayer(name, "input \(x.shape) is not [batch, length, channels]") }
        let plan = poolingPlan1D(name, x.shape, window: window, stride: stride, padding: padding)
        return maxPooled(x.reshaped(to: plan.inputShape), plan).reshaped(to: plan.outputShape1D)
    }

    /// How messages name the layer: its settings, as they would be written.
    @usableFromInline var name: String { poolingLayerName("MaxPool1D", window, stride, padding) }
}

extension MaxPool1D where Scalar == Float {
    /// A `Float` layer: `MaxPool1D(window: 3, stride: 2, padding: 1)`.
    public init(window: Int, stride: Int? = nil, padding: Padding = .valid) {
        self.init(checking: window, stride, padding)
    }

    /// A `Float` layer over windows side by side: `MaxPool1D(2)`.
    public init(_ window: Int) { self.init(window: window) }
}

/// Average pooling along the length of `[batch, length, channels]` sequences, as a layer:
/// ``avgPool1D(_:window:stride:padding:countsPadding:)`` (PyTorch's `nn.AvgPool1d`, on
/// channels-last input).
/// ```swift
/// let pool = AvgPool1D(2)
/// let pooled = pool(sequence)                    // [4, 32, 8] → [4, 16, 8]
/// ```
public struct AvgPool1D<Scalar: TensorFloatingPoint>: Model {
    /// The window's length.
    public var window: Int
    /// How far the window moves; by default the window itself, so that windows tile.
    public var stride: Int
    /// What is added before and after the input.
    public var padding: Padding
    /// Whether padding counts as zeros in the mean (PyTorch's `count_include_pad`).
    public var countsPadding: Bool

    /// Average pooling over `window`, moved by `stride` (the window by default), with
    /// `padding` counted as zeros in the mean when `countsPadding`.
    public init(window: Int, stride: Int? = nil, padding: Padding = .valid, countsPadding: Bool = true) {
        self.init(checking: window, stride, padding, countsPadding)
    }

    /// The layer, its sizes checked (every public initializer, generic or `Float`, ends here).
    init(checking window: Int, _ stride: Int?, _ padding: Padding, _ countsPadding: Bool) {
        (self.window, self.stride, self.padding, self.countsPadding) = (
            window, stride ?? window, padding, countsPadding
        )
        checkPoolingSizes(name, [window, self.stride])
    }

    /// Average pooling over windows side by side: `AvgPool1D<Double>(2)`.
    public init(_ window: Int) { self.init(window: window) }

    /// `x`, `[batch, length, channels]`, average-pooled.
    @inlinable
    public func callAsFunction(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        guard x.rank == 3 else { failInLayer(name, "input \(x.shape) is not [batch, length, channels]") }
        let plan = poolingPlan1D(name, x.shape, window: window, stride: stride, padding: padding)
        return averagePooled(x.reshaped(to: plan.inputShape), plan, countsPadding: countsPadding)
            .reshaped(to: plan.outputShape1D)
    }

    /// How messages name the layer: its settings, as they would be written.
    @usableFromInline var name: String {
        poolingLayerName("AvgPool1D", window, stride, padding, countsPadding: countsPadding)
    }
}

extension AvgPool1D where Scalar == Float {
    /// A `Float` layer: `AvgPool1D(window: 3, stride: 1, padding: 1)`.
    public init(window: Int, stride: Int? = nil, padding: Padding = .valid, countsPadding: Bool = true) {
        self.init(checking: window, stride, padding, countsPadding)
    }

    /// A `Float` layer over windows side by side: `AvgPool1D(2)`.
    public init(_ window: Int) { self.init(window: window) }
}

/// `MaxPool2D(2)`, or every setting when one differs from its default:
/// `MaxPool2D(window: 3, stride: 2, padding: 1)`.
@usableFromInline
func poolingLayerName<Size: CustomStringConvertible & Equatable>(
    _ kind: String, _ window: Size, _ stride: Size, _ padding: Padding, countsPadding: Bool = true
) -> String {
    if stride == window && padding == .valid && countsPadding { return "\(kind)(\(window))" }
    let counts = countsPadding ? "" : ", countsPadding: false"
    return "\(kind)(window: \(window), stride: \(stride), padding: \(padding)\(counts))"
}

/// Stops, naming `layer`, unless every size of its window and stride is positive.
func checkPoolingSizes(_ layer: String, _ sizes: [Int]) {
    guard sizes.allSatisfy({ $0 > 0 }) else { fail("\(layer): the window and the stride must be positive") }
}
