import Flux
import FluxTesting
import Testing

/// A cell of each kind, with its input and hidden sizes, in Double.
private func cells(inputs: Int, hidden: Int, using rng: inout RandomGenerator) -> (
    RNNCell<Double>, LSTMCell<Double>, GRUCell<Double>
) {
    (
        RNNCell<Double>(inputs, hidden, using: &rng), LSTMCell<Double>(inputs, hidden, using: &rng),
        GRUCell<Double>(inputs, hidden, using: &rng)
    )
}

/// A loss of every output and of the final state's tensors, with fixed random weights.
private func foldLoss<Cell: RecurrentCell>(
    _ cell: Cell, _ x: Tensor<Double>, mask: Tensor<Double>? = nil, truncation: Int? = nil, weights r: Tensor<Double>
) -> Tensor<Double> where Cell.Scalar == Double {
    let (state, outputs) = cell.fold(over: x, mask: mask, truncatingEvery: truncation)
    return (outputs * r).sum() + stateSum(state)
}

/// The sum of the squares of a state's tensors (a tensor or an LSTM state).
private func stateSum<State>(_ state: State) -> Tensor<Double> {
    if let t = state as? Tensor<Double> { return (t * t).sum() }
    if let s = state as? LSTMState<Double> { return (s.hidden * s.hidden).sum() + (s.cell * s.cell).sum() }
    fatalError("a state of type \(State.self)")
}

/// A `[time, batch]` mask whose sequence `b` has `lengths[b]` real steps, then padding.
private func prefixMask(_ lengths: [Int], time: Int) -> Tensor<Double> {
    Tensor(shape: [time, lengths.count], scalars: (0..<time).flatMap { t in lengths.map { t < $0 ? 1 : 0 } })
}

@Suite struct FoldTests {
    /// Reverse mode through unrolled sequences against finite differences, for every cell,
    /// on random lengths, batch sizes and widths; with the input's gradient too.
    @Test func gradientsThroughTimeMatchFiniteDifferences() {
        var gen = PropertyGenerator(seed: 41)
        for _ in 0..<4 {
            let (time, batch) = (Int.random(in: 1...5, using: &gen.random), Int.random(in: 1...3, using: &gen.random))
            let (inputs, hidden) = (
                Int.random(in: 1...3, using: &gen.random), Int.random(in: 1...3, using: &gen.random)
            )
            var rng = gen.random.split()
            let (rnn, lstm, gru) = cells(inputs: inputs, hidden: hidden, using: &rng)
            let x = gen.tensor([time, batch, inputs])
            let r = gen.tensor([time, batch, hidden])
            let checks = [
                checkGradient(of: { foldLoss($0, x, weights: r) }, at: rnn),
                checkGradient(of: { foldLoss($0, x, weights: r) }, at: lstm),
                checkGradient(of: { foldLoss($0, x, weights: r) }, at: gru),
                checkGradient(of: { foldLoss(lstm, $0[0], weights: r) }, at: [x]),
            ]
            for check in checks { #expect(check.worstRelativeError < 1e-6, "\(check)") }
        }
    }

    /// A padded batch gives each sequence the loss and gradient it has alone, unpadded.
    @Test func maskedBatchEqualsEachSequenceAlone() {
        var gen = PropertyGenerator(seed: 42)
        for _ in 0..<4 {
            let lengths = (0..<3).map { _ in Int.random(in: 1...5, using: &gen.random) }
            let time = lengths.max()!
            var rng = gen.random.split()
            let (rnn, lstm, gru) = cells(inputs: 2, hidden: 3, using: &rng)
            let x = gen.tensor([time, 3, 2])
            let r = gen.tensor([time, 3, 3])
            let mask = prefixMask(lengths, time: time)
            for check in [
                checkGradient(of: { foldLoss($0, x, mask: mask, weights: r) }, at: rnn),
                checkGradient(of: { foldLoss($0, x, mask: mask, weights: r) }, at: lstm),
                checkGradient(of: { foldLoss($0, x, mask: mask, weights: r) }, at: gru),
            ] { #expect(check.worstRelativeError < 1e-6, "\(check)") }
            let (loss, grad) = valueWithGradient(at: lstm) { foldLoss($0, x, mask: mask, weights: r) }
            var (alone, aloneGrad) = (0.0, Gradient(zerosLike: lstm))
            for (b, n) in lengths.enumerated() {
                let xb = x[0..<n, b..<(b + 1)]
                let rb = r[0..<n, b..<(b + 1)]
                let (l, g) = valueWithGradient(at: lstm) { foldLoss($0, xb, weights: rb) }
                alone += l
                aloneGrad = aloneGrad + g
            }
            #expect(abs(loss - alone) < 1e-9 * max(1, abs(alone)))
            for ((path, a), (_, b)) in zip(grad.tensors(of: Double.self), aloneGrad.tensors(of: Double.self)) {
                #expect(a.isApproximatelyEqual(to: b, absoluteTolerance: 1e-10), "\(path)")
            }
        }
    }

    /// Truncated backpropagation equals a surrogate loss whose segments restart from the
    /// state's value at each boundary, taken as a constant.
    @Test func truncationEqualsRestartingFromConstantStates() {
        var gen = PropertyGenerator(seed: 43)
        for _ in 0..<4 {
            let time = Int.random(in: 2...7, using: &gen.random)
            let k = Int.random(in: 1...3, using: &gen.random)
            var rng = gen.random.split()
            let (rnn, lstm, gru) = cells(inputs: 2, hidden: 3, using: &rng)
            let x = gen.tensor([time, 2, 2])
            let r = gen.tensor([time, 2, 3])
            func surrogate<Cell: RecurrentCell>(_ cell: Cell, frozen: Cell) -> Tensor<Double>
            where Cell.Scalar == Double {
                var state = frozen.zeroState(batchSize: 2)
                var total = Tensor<Double>(0)
                for start in stride(from: 0, to: time, by: k) {
                    let end = min(start + k, time)
                    let (next, outputs) = cell.fold(over: x[start..<end], from: state)
                    total = total + (outputs * r[start..<end]).sum()
                    if end == time { total = total + stateSum(next) }
                    state = frozen.fold(over: x[start..<end], from: state).state  // the value, no gradient
                }
                return total
            }
            let truncated = gradient(at: lstm) { foldLoss($0, x, truncation: k, weights: r) }
            let restarted = gradient(at: lstm) { surrogate($0, frozen: lstm) }
            for ((path, a), (_, b)) in zip(truncated.tensors(of: Double.self), restarted.tensors(of: Double.self)) {
                #expect(a.isApproximatelyEqual(to: b, absoluteTolerance: 1e-12), "\(path)")
            }
            for check in [
                checkGradient(of: { surrogate($0, frozen: rnn) }, at: rnn),
                checkGradient(of: { surrogate($0, frozen: gru) }, at: gru),
                checkGradient(of: { surrogate($0, frozen: lstm) }, at: lstm),
            ] { #expect(check.worstRelativeError < 1e-6, "\(check)") }
            let truncatedGRU = gradient(at: gru) { foldLoss($0, x, truncation: k, weights: r) }
            let restartedGRU = gradient(at: gru) { surrogate($0, frozen: gru) }
            for ((path, a), (_, b)) in zip(
                truncatedGRU.tensors(of: Double.self), restartedGRU.tensors(of: Double.self))
            {
                #expect(a.isApproximatelyEqual(to: b, absoluteTolerance: 1e-12), "\(path)")
            }
            #expect(
                gradient(at: rnn) { foldLoss($0, x, truncation: k, weights: r) }.tensors(of: Double.self).map(\.tensor)
                    .elementsEqual(
                        gradient(at: rnn) { surrogate($0, frozen: rnn) }.tensors(of: Double.self).map(\.tensor)
                    ) {
                        $0.isApproximatelyEqual(to: $1, absoluteTolerance: 1e-12)
                    })
        }
    }

    /// Stepping by hand gives what the fold gives.
    @Test func steppingByHandEqualsTheFold() {
        var rng = RandomGenerator(seed: 44)
        let cell = GRUCell<Double>(3, 4, using: &rng)
        let x = Tensor<Double>(randomNormal: [5, 2, 3], using: &rng)
        var state = cell.zeroState(batchSize: 2)
        var outputs: [Tensor<Double>] = []
        for step in x.unstacked() {
            let (next, y) = cell(state, step)
            (state, outputs) = (next, outputs + [y])
        }
        let folded = cell.fold(over: x)
        #expect(folded.outputs == Tensor(stacking: outputs) && folded.state == state)
    }
}

/// The LSTM's fused fold over a sequence tensor against the fold that steps the cell (over
/// the same steps as an array), with masks, truncation and a given state: outputs, final
/// state and every gradient.
@Suite struct FusedLSTMTests {
    @Test func fusedFoldEqualsSteppingTheCell() {
        var gen = PropertyGenerator(seed: 45)
        for _ in 0..<8 {
            let (time, batch) = (Int.random(in: 1...6, using: &gen.random), Int.random(in: 1...4, using: &gen.random))
            let (inputs, hidden) = (
                Int.random(in: 1...4, using: &gen.random), Int.random(in: 1...5, using: &gen.random)
            )
            var rng = gen.random.split()
            let cell = LSTMCell<Double>(inputs, hidden, using: &rng)
            let x = gen.tensor([time, batch, inputs])
            let lengths = (0..<batch).map { _ in Int.random(in: 1...time, using: &gen.random) }
            let mask = Bool.random(using: &gen.random) ? prefixMask(lengths, time: time) : nil
            let truncation = Bool.random(using: &gen.random) ? Int.random(in: 1...3, using: &gen.random) : nil
            let start = LSTMState(hidden: gen.tensor([1, hidden]), cell: gen.tensor([1, hidden]))
            let r = gen.tensor([time, batch, hidden])
            func loss(_ state: LSTMState<Double>, _ outputs: Tensor<Double>) -> Tensor<Double> {
                (outputs * r).sum() + (state.hidden * state.hidden).sum() + state.cell.sum()
            }
            let fused = gradient(at: cell, x) { c, x in
                let (s, y) = c.fold(over: x, from: start, mask: mask, truncatingEvery: truncation)
                return loss(s, y)
            }
            let stepped = gradient(at: cell, x) { c, x in
                let (s, ys) = c.fold(
                    over: x.unstacked(), from: start, mask: mask?.unstacked(), truncatingEvery: truncation)
                return loss(s, Tensor(stacking: ys))
            }
            #expect(fused.0.inputWeight.isApproximatelyEqual(to: stepped.0.inputWeight))
            #expect(fused.0.hiddenWeight.isApproximatelyEqual(to: stepped.0.hiddenWeight))
            #expect(fused.0.bias.isApproximatelyEqual(to: stepped.0.bias))
            #expect(fused.1.isApproximatelyEqual(to: stepped.1))
            let a = cell.fold(over: x, from: start, mask: mask)
            let b = cell.fold(over: x.unstacked(), from: start, mask: mask?.unstacked())
            #expect(a.outputs.isApproximatelyEqual(to: Tensor(stacking: b.outputs)))
            #expect(a.state.cell.isApproximatelyEqual(to: b.state.cell))
        }
    }

    /// A learned initial state shared by the batch gets the gradient the stepped fold gives it.
    @Test func learnedSharedStateGradient() {
        var rng = RandomGenerator(seed: 46)
        let layer = Recurrence(
            LSTMCell<Double>(2, 3, using: &rng),
            initialState: LSTMState(
                hidden: Tensor(randomNormal: [1, 3], using: &rng), cell: Tensor(randomNormal: [1, 3], using: &rng)))
        let x = Tensor<Double>(randomNormal: [3, 4, 2], using: &rng)
        let check = checkGradient(of: { m in (m(x) * m(x)).sum() }, at: layer)
        #expect(check.worstRelativeError < 1e-6, "\(check)")
    }
}
