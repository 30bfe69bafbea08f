import Flux
import FluxTesting
import Testing

// Each cell against its step equations, written here independently of the library's
// cells (plain tensor operations, PyTorch's layout: weights [gates·hidden, inputs]),
// forward and gradients, on random sizes in Double.

private func σ(_ x: Tensor<Double>) -> Tensor<Double> { 1 / (1 + exp(-x)) }

/// The columns `k·hidden ..< (k+1)·hidden` of `m`.
private func gate(_ m: Tensor<Double>, _ k: Int, _ hidden: Int) -> Tensor<Double> {
    m[TensorRange.all, (k * hidden)..<((k + 1) * hidden)]
}

@Suite struct CellEquationTests {
    @Test func lstmMatchesItsEquations() {
        var gen = PropertyGenerator(seed: 31)
        for _ in 0..<8 {
            let (batch, inputs, hidden) = (
                Int.random(in: 1...4, using: &gen.random), Int.random(in: 1...5, using: &gen.random),
                Int.random(in: 1...4, using: &gen.random)
            )
            var rng = gen.random.split()
            let cell = LSTMCell<Double>(inputs, hidden, using: &rng)
            // PyTorch's tensors, from which ours are the transposes (one bias).
            let (wIH, wHH, b) = (cell.inputWeight.transposed(), cell.hiddenWeight.transposed(), cell.bias)
            let x = Tensor<Double>(randomNormal: [batch, inputs], using: &rng)
            let state = LSTMState(
                hidden: Tensor<Double>(randomNormal: [batch, hidden], using: &rng),
                cell: Tensor<Double>(randomNormal: [batch, hidden], using: &rng))
            func reference(_ wIH: Tensor<Double>, _ wHH: Tensor<Double>, _ b: Tensor<Double>, _ x: Tensor<Double>)
                -> (Tensor<Double>, Tensor<Double>)
            {
                let z = matmul(x, wIH, transposeB: true) + matmul(state.hidden, wHH, transposeB: true) + b
                let (i, f, g, o) = (
                    σ(gate(z, 0, hidden)), σ(gate(z, 1, hidden)), tanh(gate(z, 2, hidden)), σ(gate(z, 3, hidden))
                )
                let c = f * state.cell + i * g
                return (o * tanh(c), c)
            }
            let (next, output) = cell(state, x)
            let (h, c) = reference(wIH, wHH, b, x)
            #expect(next.hidden.isApproximatelyEqual(to: h) && next.cell.isApproximatelyEqual(to: c))
            #expect(output == next.hidden)
            // Gradients of a loss of both results, through the fused gates and the reference.
            let r = Tensor<Double>(randomNormal: [batch, hidden], using: &rng)
            let (gCell, gx) = gradient(at: cell, x) { cell, x in
                let (s, _) = cell(state, x)
                return (s.hidden * r + s.cell * s.cell).sum()
            }
            let (gIH, gHH, gb, gxRef) = gradient(at: wIH, wHH, b, x) { wIH, wHH, b, x in
                let (h, c) = reference(wIH, wHH, b, x)
                return (h * r + c * c).sum()
            }
            #expect(gCell.inputWeight.isApproximatelyEqual(to: gIH.transposed()))
            #expect(gCell.hiddenWeight.isApproximatelyEqual(to: gHH.transposed()))
            #expect(gCell.bias.isApproximatelyEqual(to: gb) && gx.isApproximatelyEqual(to: gxRef))
        }
    }

    @Test func gruMatchesItsEquations() {
        var gen = PropertyGenerator(seed: 32)
        for _ in 0..<8 {
            let (batch, inputs, hidden) = (
                Int.random(in: 1...4, using: &gen.random), Int.random(in: 1...5, using: &gen.random),
                Int.random(in: 1...4, using: &gen.random)
            )
            var rng = gen.random.split()
            let cell = GRUCell<Double>(inputs, hidden, using: &rng)
            let (wIH, wHH) = (cell.inputWeight.transposed(), cell.hiddenWeight.transposed())
            let (bIH, bHH) = (cell.inputBias, cell.hiddenBias)
            let x = Tensor<Double>(randomNormal: [batch, inputs], using: &rng)
            let h = Tensor<Double>(randomNormal: [batch, hidden], using: &rng)
            func reference(_ wIH: Tensor<Double>, _ wHH: Tensor<Double>, _ x: Tensor<Double>) -> Tensor<Double> {
                let gi = matmul(x, wIH, transposeB: true) + bIH
                let gh = matmul(h, wHH, transposeB: true) + bHH
                let r = σ(gate(gi, 0, hidden) + gate(gh, 0, hidden))
                let z = σ(gate(gi, 1, hidden) + gate(gh, 1, hidden))
                let n = tanh(gate(gi, 2, hidden) + r * gate(gh, 2, hidden))
                return (1 - z) * n + z * h
            }
            #expect(cell(h, x).1.isApproximatelyEqual(to: reference(wIH, wHH, x)))
            let r = Tensor<Double>(randomNormal: [batch, hidden], using: &rng)
            let (gCell, gx) = gradient(at: cell, x) { cell, x in (cell(h, x).0 * r).sum() }
            let (gIH, gHH, gxRef) = gradient(at: wIH, wHH, x) { wIH, wHH, x in (reference(wIH, wHH, x) * r).sum() }
            #expect(gCell.inputWeight.isApproximatelyEqual(to: gIH.transposed()))
            #expect(gCell.hiddenWeight.isApproximatelyEqual(to: gHH.transposed()))
            #expect(gx.isApproximatelyEqual(to: gxRef))
        }
    }

    @Test func rnnMatchesItsEquation() {
        var rng = RandomGenerator(seed: 33)
        let cell = RNNCell<Double>(3, 4, activation: sigmoid, using: &rng)
        let (x, h) = (
            Tensor<Double>(randomNormal: [2, 3], using: &rng), Tensor<Double>(randomNormal: [2, 4], using: &rng)
        )
        let expected = σ(matmul(x, cell.inputWeight) + matmul(h, cell.hiddenWeight) + cell.bias)
        #expect(cell(h, x).0.isApproximatelyEqual(to: expected) && cell(h, x).1 == cell(h, x).0)
    }

    /// A learned state shared by the batch ([1, hidden]) broadcasts, and gets its gradient.
    @Test func sharedInitialStateBroadcasts() {
        var rng = RandomGenerator(seed: 34)
        let cell = LSTMCell<Double>(2, 3, using: &rng)
        let shared = LSTMState(
            hidden: Tensor<Double>(randomNormal: [1, 3], using: &rng),
            cell: Tensor<Double>(randomNormal: [1, 3], using: &rng))
        let x = Tensor<Double>(randomNormal: [4, 2], using: &rng)
        let tiled = LSTMState(hidden: shared.hidden.broadcast(to: [4, 3]), cell: shared.cell.broadcast(to: [4, 3]))
        #expect(cell(shared, x).1.isApproximatelyEqual(to: cell(tiled, x).1))
        let result = checkGradient(
            of: { (m: Recurrence<LSTMCell<Double>>) in m(x.expandingShape(at: 0)).sum() },
            at: Recurrence(cell, initialState: shared))
        #expect(result.worstRelativeError < 1e-6, "\(result)")
    }
}
