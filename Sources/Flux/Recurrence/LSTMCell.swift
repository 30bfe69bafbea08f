/// The state of an ``LSTMCell``: its output `hidden` (`h`) and its memory `cell` (`c`),
/// each `[batch, hidden]`.
public struct LSTMState<Scalar: TensorFloatingPoint> {
    /// `h`, also the cell's output.
    public var hidden: Tensor<Scalar>
    /// `c`.
    public var cell: Tensor<Scalar>

    /// A state of the given tensors.
    public init(hidden: Tensor<Scalar>, cell: Tensor<Scalar>) { (self.hidden, self.cell) = (hidden, cell) }
}

/// A long short-term memory cell, with PyTorch's gates and gate order `i, f, g, o`:
///
///     z = x · inputWeight + h · hiddenWeight + bias        (split into i, f, g, o)
///     c' = σ(f) ⊙ c + σ(i) ⊙ tanh(g)
///     h' = σ(o) ⊙ tanh(c')                                  (the output)
///
/// Parameters from PyTorch's `nn.LSTMCell` (or one layer of `nn.LSTM`) load by a transpose:
/// `inputWeight` is `weight_ih.T` (`[inputs, 4·hidden]`), `hiddenWeight` is `weight_hh.T`
/// (`[hidden, 4·hidden]`), and the one `bias` is `bias_ih + bias_hh` (PyTorch's two bias
/// vectors are only ever added). Columns `0..<hidden` are the input gate, then forget, cell
/// and output gates, as PyTorch's rows are.
///
/// The four gates' elementwise work forward, and its pullback, are one recorded operation each.
public struct LSTMCell<Scalar: TensorFloatingPoint>: RecurrentCell {
    /// `[inputs, 4·hidden]`.
    public var inputWeight: Tensor<Scalar>
    /// `[hidden, 4·hidden]`.
    public var hiddenWeight: Tensor<Scalar>
    /// `[4·hidden]`.
    public var bias: Tensor<Scalar>

    /// A cell with the given parameters.
    public init(inputWeight: Tensor<Scalar>, hiddenWeight: Tensor<Scalar>, bias: Tensor<Scalar>) {
        let hidden = hiddenWeight.shape.first ?? 0
        guard inputWeight.rank == 2, hiddenWeight.shape == [hidden, 4 * hidden],
            inputWeight.shape[1] == 4 * hidden, bias.shape == [4 * hidden]
        else {
            fail(
                "LSTMCell: inputWeight \(inputWeight.shape), hiddenWeight \(hiddenWeight.shape) and bias \(bias.shape) do not fit ([inputs, 4·hidden], [hidden, 4·hidden], [4·hidden])"
            )
        }
        (self.inputWeight, self.hiddenWeight, self.bias) = (inputWeight, hiddenWeight, bias)
    }

    /// A cell from `inputs` features to a state of `hidden`, every parameter drawn uniformly
    /// from ±1/√hidden as PyTorch does, from `generator`.
    public init<G: RandomNumberGenerator>(_ inputs: Int, _ hidden: Int, using generator: inout G) {
        let w = recurrentWeights(Scalar.self, "LSTMCell", inputs: inputs, hidden: hidden, gates: 4, using: &generator)
        self.init(inputWeight: w.input, hiddenWeight: w.hidden, bias: w.bias)
    }

    /// A cell from `inputs` features to a state of `hidden`, from the default generator.
    public init(_ inputs: Int, _ hidden: Int) {
        self = RandomGenerator.withDefault { LSTMCell(inputs, hidden, using: &$0) }
    }

    /// The size of the state.
    @inlinable
    public var hiddenSize: Int { hiddenWeight.shape[0] }

    @inlinable
    public func callAsFunction(_ input: (LSTMState<Scalar>, Tensor<Scalar>)) -> (LSTMState<Scalar>, Tensor<Scalar>) {
        step(input.0, projected: projected(input.1))
    }

    /// `x · inputWeight + bias`, the gates' input part, for many rows at once.
    @inlinable
    public func projected(_ inputs: Tensor<Scalar>) -> Tensor<Scalar> { affine(inputs, inputWeight, bias) }

    /// One step from the gates' input part.
    @inlinable
    public func step(_ state: LSTMState<Scalar>, projected: Tensor<Scalar>) -> (LSTMState<Scalar>, Tensor<Scalar>) {
        let (hidden, cell) = lstmGates(weightProduct(state.hidden, hiddenWeight, adding: projected), state.cell)
        return (LSTMState(hidden: hidden, cell: cell), hidden)
    }

    /// The whole sequence as one recorded operation (LSTMSequence.swift): each step's output
    /// written in place, and backpropagation through time by hand.
    @inlinable
    public func fusedFold(
        overProjected steps: Tensor<Scalar>, from state: LSTMState<Scalar>?, mask: Tensor<Scalar>?,
        truncation: Int?
    ) -> (state: LSTMState<Scalar>, outputs: Tensor<Scalar>)? {
        guard steps.rank == 3 else { return nil }
        let start = state ?? zeroState(batchSize: steps.shape[1])
        let (outputs, final) = lstmSequence(
            steps, hiddenWeight, start.hidden, start.cell, mask: mask, truncation: truncation)
        return (final, outputs)
    }

    /// Zeros, `[batchSize, hidden]` each.
    @inlinable
    public func zeroState(batchSize: Int) -> LSTMState<Scalar> {
        LSTMState(hidden: Tensor(zeros: [batchSize, hiddenSize]), cell: Tensor(zeros: [batchSize, hiddenSize]))
    }
}
