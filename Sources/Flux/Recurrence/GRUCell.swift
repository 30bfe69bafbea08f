/// A gated recurrent unit, with PyTorch's equations and gate order `r, z, n`:
///
///     r = σ(x·Wᵢᵣ + bᵢᵣ + h·Wₕᵣ + bₕᵣ)
///     z = σ(x·Wᵢ𝓏 + bᵢ𝓏 + h·Wₕ𝓏 + bₕ𝓏)
///     n = tanh(x·Wᵢₙ + bᵢₙ + r ⊙ (h·Wₕₙ + bₕₙ))
///     h' = (1 − z) ⊙ n + z ⊙ h                              (the output)
///
/// The reset gate multiplies the hidden product *with* its bias, as `torch.nn.GRUCell` does,
/// so the hidden bias is kept apart. From PyTorch: `inputWeight` is `weight_ih.T`
/// (`[inputs, 3·hidden]`), `hiddenWeight` is `weight_hh.T` (`[hidden, 3·hidden]`),
/// `inputBias` is `bias_ih` and `hiddenBias` is `bias_hh` (`[3·hidden]` each), columns in the
/// order `r, z, n`.
public struct GRUCell<Scalar: TensorFloatingPoint>: RecurrentCell {
    /// `[inputs, 3·hidden]`.
    public var inputWeight: Tensor<Scalar>
    /// `[hidden, 3·hidden]`.
    public var hiddenWeight: Tensor<Scalar>
    /// `[3·hidden]`, added to the input product.
    public var inputBias: Tensor<Scalar>
    /// `[3·hidden]`, added to the hidden product (inside the reset gate's product for `n`).
    public var hiddenBias: Tensor<Scalar>

    /// A cell with the given parameters.
    public init(
        inputWeight: Tensor<Scalar>, hiddenWeight: Tensor<Scalar>, inputBias: Tensor<Scalar>,
        hiddenBias: Tensor<Scalar>
    ) {
        let hidden = hiddenWeight.shape.first ?? 0
        guard inputWeight.rank == 2, hiddenWeight.shape == [hidden, 3 * hidden],
            inputWeight.shape[1] == 3 * hidden, inputBias.shape == [3 * hidden], hiddenBias.shape == [3 * hidden]
        else {
            fail(
                "GRUCell: inputWeight \(inputWeight.shape), hiddenWeight \(hiddenWeight.shape), inputBias \(inputBias.shape) and hiddenBias \(hiddenBias.shape) do not fit ([inputs, 3·hidden], [hidden, 3·hidden], [3·hidden], [3·hidden])"
            )
        }
        (self.inputWeight, self.hiddenWeight, self.inputBias, self.hiddenBias) = (
            inputWeight, hiddenWeight, inputBias, hiddenBias
        )
    }

    /// A cell from `inputs` features to a state of `hidden`, every parameter drawn uniformly
    /// from ±1/√hidden as PyTorch does, from `generator`.
    public init<G: RandomNumberGenerator>(_ inputs: Int, _ hidden: Int, using generator: inout G) {
        let w = recurrentWeights(Scalar.self, "GRUCell", inputs: inputs, hidden: hidden, gates: 3, using: &generator)
        let k = Scalar(1 / Double(hidden).squareRoot())
        self.init(
            inputWeight: w.input, hiddenWeight: w.hidden, inputBias: w.bias,
            hiddenBias: Tensor(randomUniform: [3 * hidden], in: -k..<k, using: &generator))
    }

    /// A cell from `inputs` features to a state of `hidden`, from the default generator.
    public init(_ inputs: Int, _ hidden: Int) {
        self = RandomGenerator.withDefault { GRUCell(inputs, hidden, using: &$0) }
    }

    @inlinable
    public func callAsFunction(_ input: (Tensor<Scalar>, Tensor<Scalar>)) -> (Tensor<Scalar>, Tensor<Scalar>) {
        step(input.0, projected: projected(input.1))
    }

    /// `x · inputWeight + inputBias`, the gates' input part, for many rows at once.
    @inlinable
    public func projected(_ inputs: Tensor<Scalar>) -> Tensor<Scalar> { affine(inputs, inputWeight, inputBias) }

    /// One step from the gates' input part.
    @inlinable
    public func step(_ h: Tensor<Scalar>, projected: Tensor<Scalar>) -> (Tensor<Scalar>, Tensor<Scalar>) {
        let fromInput = projected.split(count: 3, alongAxis: 1)
        let fromHidden = affine(h, hiddenWeight, hiddenBias).split(count: 3, alongAxis: 1)
        let r = sigmoid(fromInput[0] + fromHidden[0])
        let z = sigmoid(fromInput[1] + fromHidden[1])
        let n = tanh(fromInput[2] + r * fromHidden[2])
        let next = (1 - z) * n + z * h
        return (next, next)
    }

    /// Zeros, `[batchSize, hidden]`.
    @inlinable
    public func zeroState(batchSize: Int) -> Tensor<Scalar> { Tensor(zeros: [batchSize, hiddenWeight.shape[0]]) }
}
