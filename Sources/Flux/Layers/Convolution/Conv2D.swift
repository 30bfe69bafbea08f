/// A 2-D convolution layer on channels-last images: `activation(conv2D(x, weight) + bias)`.
///
/// Images are `[batch, height, width, channels]` (NHWC) throughout Flux: a window's channels
/// are contiguous, so unfolding an image copies runs of memory and the product that follows
/// gives channels-last output directly, with no transpose; JAX and TensorFlow use the same
/// layout. `weight` is `[kernelHeight, kernelWidth, inChannels / groups, outChannels]` and
/// `bias` `[outChannels]`. To port a PyTorch `Conv2d`: `weight.permute(2, 3, 1, 0)` (its
/// `[out, in / groups, kh, kw]` becomes this layout), the bias as it is, and the input
/// `x.permute(0, 2, 3, 1)`.
///
/// Weights start Glorot-uniform, with PyTorch's fans (`fanIn = kh · kw · in / groups`,
/// `fanOut = kh · kw · out`); biases at zero.
/// ```swift
/// var rng = RandomGenerator(seed: 0)
/// let conv = Conv2D<Float>(1, 6, kernelSize: 5, activation: relu, using: &rng)
/// let features = conv(Tensor(zeros: [64, 28, 28, 1]))    // [64, 24, 24, 6]
/// let depthwise = Conv2D<Float>(32, 32, kernelSize: 3, padding: .same, groups: 32, using: &rng)
/// ```
public struct Conv2D<Scalar: TensorFloatingPoint>: Model {
    /// `[kernelHeight, kernelWidth, inChannels / groups, outChannels]`.
    public var weight: Tensor<Scalar>
    /// `[outChannels]`, or nil for a layer without bias.
    public var bias: Tensor<Scalar>?
    /// The window's step along height and width.
    public var stride: Size2D
    /// How the border is padded.
    public var padding: Padding
    /// The gap between the kernel's taps (1: adjacent).
    public var dilation: Size2D
    /// Channel groups: each output channel sees the input channels of its group only
    /// (`groups == inChannels` is a depthwise convolution).
    public var groups: Int
    /// Applied to the result; not a parameter.
    public var activation: (Tensor<Scalar>) -> Tensor<Scalar>

    /// A layer with the given parameters.
    public init(
        weight: Tensor<Scalar>, bias: Tensor<Scalar>?, stride: Size2D = 1, padding: Padding = .valid,
        dilation: Size2D = 1, groups: Int = 1, activation: @escaping (Tensor<Scalar>) -> Tensor<Scalar> = identity
    ) {
        guard weight.rank == 4, weight.shape.allSatisfy({ $0 > 0 }), groups > 0, weight.shape[3] % groups == 0 else {
            fail(
                "Conv2D: weight \(weight.shape) must be [kernelHeight, kernelWidth, inChannels / groups, outChannels] with positive extents, outChannels divisible by groups (\(groups))"
            )
        }
        checkBias(bias, channels: weight.shape[3], operation: "Conv2D")
        (self.weight, self.bias, self.activation) = (weight, bias, activation)
        (self.stride, self.padding, self.dilation, self.groups) = (stride, padding, dilation, groups)
    }

    /// A layer from `inChannels` to `outChannels` with a `kernelSize` window, its weights and
    /// bias started by the given initializers and drawn from `generator`.
    ///
    /// - Precondition: channel counts and sizes are positive and `groups` divides both
    ///   channel counts (as PyTorch requires).
    public init<G: RandomNumberGenerator>(
        _ inChannels: Int, _ outChannels: Int, kernelSize: Size2D, stride: Size2D = 1, padding: Padding = .valid,
        dilation: Size2D = 1, groups: Int = 1, activation: @escaping (Tensor<Scalar>) -> Tensor<Scalar> = identity,
        useBias: Bool = true, weight weightInitializer: Initializer = .glorotUniform(),
        bias biasInitializer: Initializer = .zeros, using generator: inout G
    ) {
        let (weight, bias): (Tensor<Scalar>, Tensor<Scalar>?) = convolutionParameters(
            "Conv2D", inChannels: inChannels, outChannels: outChannels, kernel: kernelSize.extents, groups: groups,
            transposed: false, useBias: useBias, weight: weightInitializer, bias: biasInitializer, using: &generator)
        self.init(
            weight: weight, bias: bias, stride: stride, padding: padding, dilation: dilation, groups: groups,
            activation: activation)
    }

    /// A layer from `inChannels` to `outChannels` whose weights come from the default
    /// generator (``RandomGenerator/seedDefault(_:)``).
    public init(
        _ inChannels: Int, _ outChannels: Int, kernelSize: Size2D, stride: Size2D = 1, padding: Padding = .valid,
        dilation: Size2D = 1, groups: Int = 1, activation: @escaping (Tensor<Scalar>) -> Tensor<Scalar> = identity,
        useBias: Bool = true
    ) {
        self = RandomGenerator.withDefault {
            Conv2D(
                inChannels, outChannels, kernelSize: kernelSize, stride: stride, padding: padding, dilation: dilation,
                groups: groups, activation: activation, useBias: useBias, using: &$0)
        }
    }

    /// `activation(conv2D(x, weight) + bias)` for `x` of shape `[batch, height, width, inChannels]`.
    @inlinable
    public func callAsFunction(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        let inChannels = weight.shape[2] * groups
        guard x.rank == 4, x.shape[3] == inChannels else {
            failInLayer(
                "Conv2D(\(inChannels) → \(weight.shape[3]), kernel \(Size2D(weight.shape[0], weight.shape[1])))",
                "input \(x.shape), expected [batch, height, width, \(inChannels)]")
        }
        return activation(
            conv2D(x, weight, bias: bias, stride: stride, padding: padding, dilation: dilation, groups: groups))
    }
}

/// A convolution's weight, `[kernel..., inChannels / groups, outChannels]` (or, `transposed`,
/// `[kernel..., outChannels / groups, inChannels]`), and bias, started by the initializers
/// with PyTorch's fans: the group's inputs and all outputs, each times the kernel's size.
func convolutionParameters<Scalar: TensorFloatingPoint, G: RandomNumberGenerator>(
    _ layer: String, inChannels: Int, outChannels: Int, kernel: [Int], groups: Int, transposed: Bool,
    useBias: Bool, weight: Initializer, bias: Initializer, using generator: inout G
) -> (Tensor<Scalar>, Tensor<Scalar>?) {
    guard inChannels > 0, outChannels > 0, kernel.allSatisfy({ $0 > 0 }) else {
        fail("\(layer): channels (\(inChannels) → \(outChannels)) and kernel size \(kernel) must be positive")
    }
    guard groups > 0, inChannels % groups == 0, outChannels % groups == 0 else {
        fail("\(layer): groups (\(groups)) must be positive and divide both \(inChannels) and \(outChannels)")
    }
    let area = kernel.reduce(1, *)
    // PyTorch's fans: dimension 1 of its weight (per group) and dimension 0, times the area.
    let (fanIn, fanOut) =
        transposed ? (area * outChannels / groups, area * inChannels) : (area * inChannels / groups, area * outChannels)
    let shape = transposed ? kernel + [outChannels / groups, inChannels] : kernel + [inChannels / groups, outChannels]
    let w = Tensor<Scalar>(weight, shape: shape, fanIn: fanIn, fanOut: fanOut, using: &generator)
    let b = useBias ? Tensor<Scalar>(bias, shape: [outChannels], fanIn: fanIn, fanOut: fanOut, using: &generator) : nil
    return (w, b)
}
