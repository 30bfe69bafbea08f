/// An Elman recurrent cell: `h' = activation(x · inputWeight + h · hiddenWeight + bias)`,
/// whose output is its new state.
///
/// With `activation: sigmoid` it is the seed's `Recurrent`; the default `tanh` is PyTorch's
/// `RNNCell`. From PyTorch: `inputWeight` is `weight_ih.T` (`[inputs, hidden]`),
/// `hiddenWeight` is `weight_hh.T` and `bias` is `bias_ih + bias_hh`.
/// ```swift
/// let cell = RNNCell<Float>(8, 16)
/// let (state, outputs) = cell.fold(over: sequence)   // [time, batch, 8] → [time, batch, 16]
/// ```
public struct RNNCell<Scalar: TensorFloatingPoint>: RecurrentCell {
    /// `[inputs, hidden]`.
    public var inputWeight: Tensor<Scalar>
    /// `[hidden, hidden]`.
    public var hiddenWeight: Tensor<Scalar>
    /// `[hidden]`.
    public var bias: Tensor<Scalar>
    /// Applied to the sum; not a parameter.
    public var activation: (Tensor<Scalar>) -> Tensor<Scalar>

    /// A cell with the given parameters.
    public init(
        inputWeight: Tensor<Scalar>, hiddenWeight: Tensor<Scalar>, bias: Tensor<Scalar>,
        activation: @escaping (Tensor<Scalar>) -> Tensor<Scalar> = tanh
    ) {
        let hidden = hiddenWeight.shape.first ?? 0
        guard inputWeight.rank == 2, hiddenWeight.shape == [hidden, hidden], inputWeight.shape[1] == hidden,
            bias.shape == [hidden]
        else {
            fail(
                "RNNCell: inputWeight \(inputWeight.shape), hiddenWeight \(hiddenWeight.shape) and bias \(bias.shape) do not fit ([inputs, hidden], [hidden, hidden], [hidden])"
            )
        }
        (self.inputWeight, self.hiddenWeight, self.bias, self.activation) = (
            inputWeight, hiddenWeight, bias, activation
        )
    }

    /// A cell from `inputs` features to a state of `hidden`, every parameter drawn uniformly
    /// from ±1/√hidden as PyTorch does, from `generator` (or the default generator).
    public init<G: RandomNumberGenerator>(
        _ inputs: Int, _ hidden: Int, activation: @escaping (Tensor<Scalar>) -> Tensor<Scalar> = tanh,
        using generator: inout G
    ) {
        let w = recurrentWeights(Scalar.self, "RNNCell", inputs: inputs, hidden: hidden, gates: 1, using: &generator)
        self.init(inputWeight: w.input, hiddenWeight: w.hidden, bias: w.bias, activation: activation)
    }

    /// A cell from `inputs` features to a state of `hidden`, from the default generator.
    public init(_ inputs: Int, _ hidden: Int, activation: @escaping (Tensor<Scalar>) -> Tensor<Scalar> = tanh) {
        self = RandomGenerator.withDefault { RNNCell(inputs, hidden, activation: activation, using: &$0) }
    }

    @inlinable
    public func callAsFunction(_ input: (Tensor<Scalar>, Tensor<Scalar>)) -> (Tensor<Scalar>, Tensor<Scalar>) {
        step(input.0, projected: projected(input.1))
    }

    /// `x · inputWeight + bias`, for many rows at once.
    @inlinable
    public func projected(_ inputs: Tensor<Scalar>) -> Tensor<Scalar> { affine(inputs, inputWeight, bias) }

    /// One step from the input part.
    @inlinable
    public func step(_ h: Tensor<Scalar>, projected: Tensor<Scalar>) -> (Tensor<Scalar>, Tensor<Scalar>) {
        let next = activation(weightProduct(h, hiddenWeight, adding: projected))
        return (next, next)
    }

    /// Zeros, `[batchSize, hidden]`.
    @inlinable
    public func zeroState(batchSize: Int) -> Tensor<Scalar> { Tensor(zeros: [batchSize, hiddenWeight.shape[0]]) }
}

/// The input weight `[inputs, gates·hidden]`, hidden weight `[hidden, gates·hidden]` and bias
/// `[gates·hidden]` of a recurrent cell, uniform in ±1/√hidden (PyTorch's initialisation).
func recurrentWeights<S: TensorFloatingPoint, G: RandomNumberGenerator>(
    _: S.Type, _ layer: String, inputs: Int, hidden: Int, gates: Int, using generator: inout G
) -> (input: Tensor<S>, hidden: Tensor<S>, bias: Tensor<S>) {
    guard inputs > 0, hidden > 0 else {
        fail("\(layer): inputs and hidden must be positive, got \(inputs) and \(hidden)")
    }
    let k = S(1 / Double(hidden).squareRoot())
    return (
        Tensor(randomUniform: [inputs, gates * hidden], in: -k..<k, using: &generator),
        Tensor(randomUniform: [hidden, gates * hidden], in: -k..<k, using: &generator),
        Tensor(randomUniform: [gates * hidden], in: -k..<k, using: &generator)
    )
}
