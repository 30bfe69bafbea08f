/// A fully connected layer: `activation(x · weight + bias)`.
///
/// `weight` is `[inputs, outputs]` (rows are inputs, so a batch `[n, inputs]` multiplies
/// on the left) and `bias` is `[outputs]`. Weights start Glorot-uniform, biases at zero.
/// ```swift
/// var rng = RandomGenerator(seed: 0)
/// let layer = Dense<Float>(784, 128, activation: relu, using: &rng)
/// let y = layer(x)      // [batch, 128]
/// ```
public struct Dense<Scalar: TensorFloatingPoint>: Model {
    /// `[inputs, outputs]`.
    public var weight: Tensor<Scalar>
    /// `[outputs]`.
    public var bias: Tensor<Scalar>
    /// Applied to the affine result; not a parameter.
    public var activation: (Tensor<Scalar>) -> Tensor<Scalar>

    /// A layer with the given parameters.
    public init(
        weight: Tensor<Scalar>, bias: Tensor<Scalar>,
        activation: @escaping (Tensor<Scalar>) -> Tensor<Scalar> = identity
    ) {
        guard weight.rank == 2, bias.shape == [weight.shape[1]] else {
            fail("Dense: weight \(weight.shape) and bias \(bias.shape) do not fit ([inputs, outputs] and [outputs])")
        }
        (self.weight, self.bias, self.activation) = (weight, bias, activation)
    }

    /// A layer from `inputs` to `outputs` with weights and bias started by the given
    /// initializers (Glorot-uniform weights and zero biases by default), drawn from `generator`.
    ///
    /// ```swift
    /// var rng = RandomGenerator(seed: 1)
    /// let layer = Dense<Float>(784, 128, activation: relu, weight: .heNormal(), using: &rng)
    /// ```
    /// - Precondition: `inputs >= 0` and `outputs >= 0` (every sized initializer comes here);
    ///   a size of 0 makes an empty layer, as PyTorch's `Linear` does.
    public init<G: RandomNumberGenerator>(
        _ inputs: Int, _ outputs: Int, activation: @escaping (Tensor<Scalar>) -> Tensor<Scalar> = identity,
        weight weightInitializer: Initializer = .glorotUniform(), bias biasInitializer: Initializer = .zeros,
        using generator: inout G
    ) {
        guard inputs >= 0 else { fail("Dense: inputs must not be negative, got \(inputs)") }
        guard outputs >= 0 else { fail("Dense: outputs must not be negative, got \(outputs)") }
        let (fanIn, fanOut) = (Swift.max(inputs, 1), Swift.max(outputs, 1))  // an empty layer draws nothing
        self.init(
            weight: Tensor(
                weightInitializer, shape: [inputs, outputs], fanIn: fanIn, fanOut: fanOut, using: &generator),
            bias: Tensor(biasInitializer, shape: [outputs], fanIn: fanIn, fanOut: fanOut, using: &generator),
            activation: activation)
    }

    /// A layer from `inputs` to `outputs` with the activation given positionally, for any
    /// scalar type: `Dense<Double>(8, 16, relu)`. Weights come from the default generator
    /// (``RandomGenerator/seedDefault(_:)``).
    @_disfavoredOverload
    public init(_ inputs: Int, _ outputs: Int, _ activation: @escaping (Tensor<Scalar>) -> Tensor<Scalar>) {
        self.init(inputs, outputs, activation: activation)
    }

    /// A layer from `inputs` to `outputs` with Glorot-uniform weights from the default
    /// generator: the same on every run, and reseeded by ``RandomGenerator/seedDefault(_:)``
    /// (pass `using:` for a generator of your own).
    public init(_ inputs: Int, _ outputs: Int, activation: @escaping (Tensor<Scalar>) -> Tensor<Scalar> = identity) {
        self = RandomGenerator.withDefault { Dense(inputs, outputs, activation: activation, using: &$0) }
    }

    /// `activation(x · weight + bias)` for `x` of shape `[batch, inputs]` (or `[inputs]`).
    @inlinable
    public func callAsFunction(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        guard x.rank >= 1, x.shape[x.rank - 1] == weight.shape[0] else {
            failInLayer(
                "Dense(\(weight.shape[0]) → \(weight.shape[1]))",
                "input \(x.shape), expected last dimension \(weight.shape[0])")
        }
        return activation(affine(x, weight, bias))
    }
}

extension Dense where Scalar == Float {
    /// A `Float` layer from `inputs` to `outputs` with the activation given positionally, as
    /// in Flux: `Dense(784, 128, relu)`. Weights come from the default generator.
    public init(_ inputs: Int, _ outputs: Int, _ activation: @escaping (Tensor<Float>) -> Tensor<Float>) {
        self.init(inputs, outputs, activation: activation)
    }

    /// A `Float` layer from `inputs` to `outputs` without activation: `Dense(64, 10)`.
    public init(_ inputs: Int, _ outputs: Int) {
        self.init(inputs, outputs, activation: identity)
    }
}
