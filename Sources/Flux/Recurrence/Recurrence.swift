/// A recurrent cell run over whole sequences: a layer of a ``Chain``.
///
/// It takes a `[time, batch, features]` sequence (or `[batch, time, features]` with
/// `batchFirst`) and returns every step's output, `[time, batch, outputs]` (sequence to
/// sequence), or only each sequence's last output, `[batch, outputs]` (sequence to one).
/// Layers stack in a chain:
/// ```swift
/// let model = Chain {
///     Recurrence(LSTMCell<Float>(64, 128))
///     Recurrence(LSTMCell<Float>(128, 128), returnsSequences: false)
///     Dense(128, 10)
/// }
/// ```
/// The state before the first step is zero, or ``initialState`` when it is set: a stored
/// state is a parameter, so it is learned (give it a batch extent of 1 to share it between
/// sequences). For batches of sequences of different lengths, call it with a `mask`; for
/// truncated backpropagation through time, set `truncatingEvery`. To carry the state across
/// calls or generate step by step, use the cell itself (``RecurrentCell``).
public struct Recurrence<Cell: RecurrentCell>: Model {
    /// The cell applied at every step.
    public var cell: Cell
    /// The learned state before the first step, or nil for the zero state.
    public var initialState: Cell.State?
    /// Whether every step's output is returned, or only each sequence's last.
    public var returnsSequences: Bool
    /// Whether sequences are `[batch, time, features]` instead of `[time, batch, features]`.
    public var batchFirst: Bool
    /// Gradients flow back at most this many steps (the state's value carries on); nil for
    /// full backpropagation through time.
    public var truncation: Int?

    /// `cell` over sequences.
    public init(
        _ cell: Cell, initialState: Cell.State? = nil, returnsSequences: Bool = true, batchFirst: Bool = false,
        truncatingEvery truncation: Int? = nil
    ) {
        (self.cell, self.initialState, self.returnsSequences, self.batchFirst, self.truncation) = (
            cell, initialState, returnsSequences, batchFirst, truncation
        )
    }

    /// The outputs for `sequence`, every sequence running its full length.
    @inlinable
    public func callAsFunction(_ sequence: Tensor<Cell.Scalar>) -> Tensor<Cell.Scalar> {
        callAsFunction(sequence, mask: nil)
    }

    /// The outputs for `sequence`, where `mask` (`[time, batch]`, or `[batch, time]` with
    /// `batchFirst`; 1 for a step, 0 for padding, real steps first) says where each sequence
    /// has steps: padded steps leave the state as it was and output zeros, and the last
    /// output of a sequence is that of its last real step. Give the loss the same mask
    /// (`softmaxCrossEntropy(logits:labels:mask:)`) and padding adds nothing to it or to any
    /// gradient.
    @inlinable
    public func callAsFunction(_ sequence: Tensor<Cell.Scalar>, mask: Tensor<Cell.Scalar>?) -> Tensor<Cell.Scalar> {
        run(sequence, mask: mask).output
    }

    /// The outputs and the final state, from `state` (or the initial state).
    @inlinable
    public func run(
        _ sequence: Tensor<Cell.Scalar>, from state: Cell.State? = nil, mask: Tensor<Cell.Scalar>? = nil
    ) -> (output: Tensor<Cell.Scalar>, state: Cell.State) {
        let steps = batchFirst ? sequence.transposed(permutation: [1, 0, 2]) : sequence
        let stepMask = batchFirst ? mask?.transposed() : mask
        let (final, outputs) = cell.fold(
            over: steps, from: state ?? initialState, mask: stepMask, truncatingEvery: truncation)
        guard returnsSequences else { return (lastOutputs(outputs, mask: stepMask), final) }
        return (batchFirst ? outputs.transposed(permutation: [1, 0, 2]) : outputs, final)
    }
}

/// Each sequence's output at its last step: the last of `outputs` (`[time, batch, n]`), or
/// where `mask` (`[time, batch]`) says the sequence ends.
@inlinable
func lastOutputs<S: TensorFloatingPoint>(_ outputs: Tensor<S>, mask: Tensor<S>?) -> Tensor<S> {
    let time = outputs.shape[0]
    guard let mask else { return outputs[time - 1] }
    // 1 at a sequence's last real step: the step is real and the next is not (or there is none).
    let next = Tensor(concatenating: [mask[1...], Tensor(zeros: [1, mask.shape[1]])], alongAxis: 0)
    let isLast = (mask * (1 - next)).withoutDerivative.expandingShape(at: 2)
    return (outputs * isLast).sum(alongAxes: 0)
}
