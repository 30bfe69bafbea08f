/// A 1-D convolution layer on channels-last sequences: `activation(conv1D(x, weight) + bias)`.
///
/// Sequences are `[batch, length, channels]`; `weight` is `[kernelSize, inChannels / groups,
/// outChannels]` and `bias` `[outChannels]`. To port a PyTorch `Conv1d`: `weight.permute(2, 1, 0)`
/// and the input `x.permute(0, 2, 1)`. Weights start Glorot-uniform with PyTorch's fans;
/// biases at zero.
/// ```swift
/// var rng = RandomGenerator(seed: 0)
/// let conv = Conv1D<Float>(16, 32, kernelSize: 3, padding: .same, activation: relu, using: &rng)
/// let y = conv(Tensor(zeros: [8, 100, 16]))    // [8, 100, 32]
/// ```
public struct Conv1D<Scalar: TensorFloatingPoint>: Model {
    /// `[kernelSize, inChannels / groups, outChannels]`.
    public var weight: Tensor<Scalar>
    /// `[outChannels]`, or nil for a layer without bias.
    public var bias: Tensor<Scalar>?
    /// The window's step.
    public var stride: Int
    /// How the ends are padded (an explicit padding has one value before and one after).
    public var padding: Padding
    /// The gap between the kernel's taps (1: adjacent).
    public var dilation: Int
    /// Channel groups, as in ``Conv2D``.
    public var groups: Int
    /// Applied to the result; not a parameter.
    public var activation: (Tensor<Scalar>) -> Tensor<Scalar>

    /// A layer with the given parameters.
    public init(
        weight: Tensor<Scalar>, bias: Tensor<Scalar>?, stride: Int = 1, padding: Padding = .valid, dilation: Int = 1,
        groups: Int = 1, activation: @escaping (Tensor<Scalar>) -> Tensor<Scalar> = identity
    ) {
        guard weight.rank == 3, weight.shape.allSatisfy({ $0 > 0 }), groups > 0, weight.shape[2] % groups == 0 else {
            fail(
                "Conv1D: weight \(weight.shape) must be [kernelSize, inChannels / groups, outChannels] with positive extents, outChannels divisible by groups (\(groups))"
            )
        }
        checkBias(bias, channels: weight.shape[2], operation: "Conv1D")
        (self.weight, self.bias, self.activation) = (weight, bias, activation)
        (self.stride, self.padding, self.dilation, self.groups) = (stride, padding, dilation, groups)
    }

    /// A layer from `inChannels` to `outChannels` with a `kernelSize` window, its weights and
    /// bias started by the given initializers and drawn from `generator`.
    public init<G: RandomNumberGenerator>(
        _ inChannels: Int, _ outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Padding = .valid,
        dilation: Int = 1, groups: Int = 1, activation: @escaping (Tensor<Scalar>) -> Tensor<Scalar> = identity,
        useBias: Bool = true, weight weightInitializer: Initializer = .glorotUniform(),
        bias biasInitializer: Initializer = .zeros, using generator: inout G
    ) {
        let (weight, bias): (Tensor<Scalar>, Tensor<Scalar>?) = convolutionParameters(
            "Conv1D", inChannels: inChannels, outChannels: outChannels, kernel: [kernelSize], groups: groups,
            transposed: false, useBias: useBias, weight: weightInitializer, bias: biasInitializer, using: &generator)
        self.init(
            weight: weight, bias: bias, stride: stride, padding: padding, dilation: dilation, groups: groups,
            activation: activation)
    }

    /// A layer from `inChannels` to `outChannels` whose weights come from the default generator.
    public init(
        _ inChannels: Int, _ outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Padding = .valid,
        dilation: Int = 1, groups: Int = 1, activation: @escaping (Tensor<Scalar>) -> Tensor<Scalar> = identity,
        useBias: Bool = true
    ) {
        self = RandomGenerator.withDefault {
            Conv1D(
                inChannels, outChannels, kernelSize: kernelSize, stride: stride, padding: padding, dilation: dilation,
                groups: groups, activation: activation, useBias: useBias, using: &$0)
        }
    }

    /// `activation(conv1D(x, weight) + bias)` for `x` of shape `[batch, length, inChannels]`.
    @inlinable
    public func callAsFunction(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        let inChannels = weight.shape[1] * groups
        guard x.rank == 3, x.shape[2] == inChannels else {
            failInLayer(
                "Conv1D(\(inChannels) → \(weight.shape[2]), kernel \(weight.shape[0]))",
                "input \(x.shape), expected [batch, length, \(inChannels)]")
        }
        return activation(
            conv1D(x, weight, bias: bias, stride: stride, padding: padding, dilation: dilation, groups: groups))
    }
}
