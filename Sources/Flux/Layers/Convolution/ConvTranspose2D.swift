/// A transposed 2-D convolution layer (a learned upsampling):
/// `activation(transposedConv2D(x, weight) + bias)` on channels-last images.
///
/// It maps `inChannels` to `outChannels` and grows each spatial extent to `(in − 1) · stride −
/// padding + dilation · (kernel − 1) + 1 + outputPadding` (`in · stride` with `same`).
/// `weight` is `[kernelHeight, kernelWidth, outChannels / groups, inChannels]`, the weight of
/// the ``Conv2D`` from `outChannels` to `inChannels` that it transposes, and `bias` is
/// `[outChannels]`. To port a PyTorch `ConvTranspose2d` (weight `[in, out / groups, kh, kw]`):
/// `weight.permute(2, 3, 1, 0)`, and PyTorch's `padding=p` is `padding: .symmetric(p)` here
/// (an integer literal means the same).
/// ```swift
/// var rng = RandomGenerator(seed: 0)
/// let up = ConvTranspose2D<Float>(16, 8, kernelSize: 4, stride: 2, padding: 1, using: &rng)
/// let y = up(Tensor(zeros: [1, 7, 7, 16]))    // [1, 14, 14, 8]
/// ```
public struct ConvTranspose2D<Scalar: TensorFloatingPoint>: Model {
    /// `[kernelHeight, kernelWidth, outChannels / groups, inChannels]`.
    public var weight: Tensor<Scalar>
    /// `[outChannels]`, or nil for a layer without bias.
    public var bias: Tensor<Scalar>?
    /// The step between the windows of the convolution this one transposes.
    public var stride: Size2D
    /// The padding of the convolution this one transposes: it is cut off the output.
    public var padding: Padding
    /// Extra rows and columns added after the output, to pick one of the sizes a strided
    /// convolution maps to the same input size (smaller than the stride or the dilation).
    public var outputPadding: Size2D
    /// The gap between the kernel's taps (1: adjacent).
    public var dilation: Size2D
    /// Channel groups, as in ``Conv2D``.
    public var groups: Int
    /// Applied to the result; not a parameter.
    public var activation: (Tensor<Scalar>) -> Tensor<Scalar>

    /// A layer with the given parameters.
    public init(
        weight: Tensor<Scalar>, bias: Tensor<Scalar>?, stride: Size2D = 1, padding: Padding = .valid,
        outputPadding: Size2D = 0, dilation: Size2D = 1, groups: Int = 1,
        activation: @escaping (Tensor<Scalar>) -> Tensor<Scalar> = identity
    ) {
        guard weight.rank == 4, weight.shape.allSatisfy({ $0 > 0 }), groups > 0, weight.shape[3] % groups == 0 else {
            fail(
                "ConvTranspose2D: weight \(weight.shape) must be [kernelHeight, kernelWidth, outChannels / groups, inChannels] with positive extents, inChannels divisible by groups (\(groups))"
            )
        }
        checkBias(bias, channels: weight.shape[2] * groups, operation: "ConvTranspose2D")
        (self.weight, self.bias, self.activation) = (weight, bias, activation)
        (self.stride, self.padding, self.outputPadding) = (stride, padding, outputPadding)
        (self.dilation, self.groups) = (dilation, groups)
    }

    /// A layer from `inChannels` to `outChannels` with a `kernelSize` window, its weights and
    /// bias started by the given initializers and drawn from `generator`.
    public init<G: RandomNumberGenerator>(
        _ inChannels: Int, _ outChannels: Int, kernelSize: Size2D, stride: Size2D = 1, padding: Padding = .valid,
        outputPadding: Size2D = 0, dilation: Size2D = 1, groups: Int = 1,
        activation: @escaping (Tensor<Scalar>) -> Tensor<Scalar> = identity, useBias: Bool = true,
        weight weightInitializer: Initializer = .glorotUniform(), bias biasInitializer: Initializer = .zeros,
        using generator: inout G
    ) {
        let (weight, bias): (Tensor<Scalar>, Tensor<Scalar>?) = convolutionParameters(
            "ConvTranspose2D", inChannels: inChannels, outChannels: outChannels, kernel: kernelSize.extents,
            groups: groups, transposed: true, useBias: useBias, weight: weightInitializer, bias: biasInitializer,
            using: &generator)
        self.init(
            weight: weight, bias: bias, stride: stride, padding: padding, outputPadding: outputPadding,
            dilation: dilation, groups: groups, activation: activation)
    }

    /// A layer from `inChannels` to `outChannels` whose weights come from the default generator.
    public init(
        _ inChannels: Int, _ outChannels: Int, kernelSize: Size2D, stride: Size2D = 1, padding: Padding = .valid,
        outputPadding: Size2D = 0, dilation: Size2D = 1, groups: Int = 1,
        activation: @escaping (Tensor<Scalar>) -> Tensor<Scalar> = identity, useBias: Bool = true
    ) {
        self = RandomGenerator.withDefault {
            ConvTranspose2D(
                inChannels, outChannels, kernelSize: kernelSize, stride: stride, padding: padding,
                outputPadding: outputPadding, dilation: dilation, groups: groups, activation: activation,
                useBias: useBias, using: &$0)
        }
    }

    /// The transposed convolution of `x`, `[batch, height, width, inChannels]`.
    @inlinable
    public func callAsFunction(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        let (inChannels, outChannels) = (weight.shape[3], weight.shape[2] * groups)
        guard x.rank == 4, x.shape[3] == inChannels else {
            failInLayer(
                "ConvTranspose2D(\(inChannels) → \(outChannels), kernel \(Size2D(weight.shape[0], weight.shape[1])))",
                "input \(x.shape), expected [batch, height, width, \(inChannels)]")
        }
        return activation(
            transposedConv2D(
                x, weight, bias: bias, stride: stride, padding: padding, outputPadding: outputPadding,
                dilation: dilation, groups: groups))
    }
}
