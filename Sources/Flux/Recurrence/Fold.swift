// Recurrence as a fold: a cell applied at every step of a sequence.

extension RecurrentCell {
    /// Runs the cell over a sequence given as one `[batch, features]` tensor per time step,
    /// returning the final state and every step's output.
    ///
    /// ```swift
    /// let (state, outputs) = cell.fold(over: steps)                 // sequence to sequence
    /// let last = cell.fold(over: steps).outputs.last!                // sequence to one
    /// ```
    /// - Parameters:
    ///   - inputs: the steps, first to last.
    ///   - state: the state before the first step; the zero state if nil.
    ///   - mask: for batches of sequences of different lengths, one `[batch]` tensor of 1
    ///     and 0 per step (or a `[time, batch]` tensor; see `fold(over:)`):
    ///     where it is 0 the step is padding, the state stays as it was, and the output is
    ///     zero, so it adds nothing to a loss that is masked too or to any gradient.
    ///   - truncation: truncated backpropagation through time: every this many steps the
    ///     state's gradient is cut (its value carries on), so gradients flow back at most
    ///     this many steps.
    @inlinable
    public func fold(
        over inputs: [Tensor<Scalar>], from state: State? = nil, mask: [Tensor<Scalar>]? = nil,
        truncatingEvery truncation: Int? = nil
    ) -> (state: State, outputs: [Tensor<Scalar>]) {
        if let mask, mask.count != inputs.count {
            fail("fold: \(mask.count) mask steps for \(inputs.count) input steps")
        }
        let batch = inputs.first.map { $0.rank > 1 ? $0.shape[0] : 1 } ?? 1
        return foldSteps(inputs, from: state ?? zeroState(batchSize: batch), mask: mask, truncation: truncation) {
            self($0, $1)
        }
    }

    /// The loop of both folds: `step` at every one of `inputs`, with masks and truncation.
    @inlinable
    func foldSteps(
        _ inputs: [Tensor<Scalar>], from start: State, mask: [Tensor<Scalar>]?, truncation: Int?,
        step: (State, Tensor<Scalar>) -> (State, Tensor<Scalar>)
    ) -> (state: State, outputs: [Tensor<Scalar>]) {
        if let truncation, truncation < 1 {
            fail("fold: truncatingEvery must be at least 1, got \(truncation)")
        }
        var state = start
        var outputs: [Tensor<Scalar>] = []
        outputs.reserveCapacity(inputs.count)
        for (t, x) in inputs.enumerated() {
            if let truncation, t > 0, t % truncation == 0 { state = withoutDerivative(state: state) }
            let (next, output) = step(state, x)
            if let mask {
                let keep = mask[t].reshaped(to: [mask[t].count, 1])
                state = blend(next, state, keeping: keep)
                outputs.append(output * keep)
            } else {
                state = next
                outputs.append(output)
            }
        }
        return (state, outputs)
    }

    /// Runs the cell over a `[time, batch, features]` sequence (time first, as PyTorch's
    /// recurrent layers take it by default), returning the final state and the outputs as a
    /// `[time, batch, outputs]` tensor; `mask` is `[time, batch]` (see
    /// `fold(over:)`). For batch-first data, transpose axes 0 and 1
    /// or use ``Recurrence`` with `batchFirst: true`.
    @inlinable
    public func fold(
        over sequence: Tensor<Scalar>, from state: State? = nil, mask: Tensor<Scalar>? = nil,
        truncatingEvery truncation: Int? = nil
    ) -> (state: State, outputs: Tensor<Scalar>) {
        guard sequence.rank == 3 else {
            fail("fold: a sequence is [time, batch, features]; got shape \(sequence.shape)")
        }
        if let mask, mask.shape != Array(sequence.shape.prefix(2)) {
            fail("fold: mask \(mask.shape) for a sequence \(sequence.shape); it must be [time, batch]")
        }
        guard sequence.shape[0] > 0 else {
            fail("fold: the sequence \(sequence.shape) has no time steps")
        }
        // What does not depend on the state is computed for every step in one go.
        let (time, batch) = (sequence.shape[0], sequence.shape[1])
        let rows = projected(sequence.reshaped(to: [time * batch, sequence.shape[2]]))
        return fold(
            overProjected: rows.reshaped(to: [time, batch] + rows.shape.dropFirst()), from: state, mask: mask,
            truncatingEvery: truncation)
    }

    /// Runs the cell over steps already projected (`[time, batch, …]`, each step as
    /// `projected(_:)` makes it): for inputs that are token indices, the rows of the input
    /// weight are the projection, `cell.inputWeight.gathering(atIndices: tokens) + cell.bias`,
    /// the same function as a one-hot product at a fraction of its cost.
    @inlinable
    public func fold(
        overProjected steps: Tensor<Scalar>, from state: State? = nil, mask: Tensor<Scalar>? = nil,
        truncatingEvery truncation: Int? = nil
    ) -> (state: State, outputs: Tensor<Scalar>) {
        guard steps.rank >= 2, steps.shape[0] > 0 else {
            fail("fold: projected steps are [time, batch, …] with at least one step; got shape \(steps.shape)")
        }
        if let truncation, truncation < 1 { fail("fold: truncatingEvery must be at least 1, got \(truncation)") }
        if let mask, mask.shape != Array(steps.shape.prefix(2)) {
            fail("fold: mask \(mask.shape) for steps \(steps.shape); it must be [time, batch]")
        }
        if let fused = fusedFold(overProjected: steps, from: state, mask: mask, truncation: truncation) { return fused }
        let (final, outputs) = foldSteps(
            steps.unstacked(), from: state ?? zeroState(batchSize: steps.shape[1]), mask: mask?.unstacked(),
            truncation: truncation
        ) { step($0, projected: $1) }
        return (final, Tensor(stacking: outputs))
    }
}
