import Flux
import FluxTesting
import Testing

@Suite struct RecurrenceLayerTests {
    /// Stacked recurrent layers in a chain, sequence to one, train on a toy task: whether the
    /// sum of a sequence of ±1 is positive.
    @Test func stackedLayersInAChainLearn() {
        var rng = RandomGenerator(seed: 51)
        var model = Chain {
            Recurrence(GRUCell<Float>(1, 8, using: &rng))
            Recurrence(LSTMCell<Float>(8, 8, using: &rng), returnsSequences: false)
            Dense<Float>(8, 2, using: &rng)
        }
        let signs = Tensor<Float>(Tensor<Int>(randomIntegers: [6, 64, 1], in: 0..<2, using: &rng)) * 2 - 1
        let labels = Tensor<Int>(signs.sum(alongAxes: 0, 2) .> 0)
        var optimizer = Adam(for: model, learningRate: 0.03)
        var losses: [Float] = []
        for _ in 0..<60 {
            let (loss, grad) = valueWithGradient(at: model) { m in softmaxCrossEntropy(logits: m(signs), labels: labels)
            }
            optimizer.update(&model, along: grad)
            losses.append(loss)
        }
        #expect(losses.last! < losses.first! / 3, "\(losses.first!) → \(losses.last!)")
        #expect(model.parameters().map(\.path).first == "layers.0.cell.inputWeight")
    }

    /// Sequence to one with a mask is each sequence's output at its last real step; batch
    /// first is the same layer on transposed data.
    @Test func lastOutputsAndLayouts() {
        var rng = RandomGenerator(seed: 52)
        let cell = LSTMCell<Double>(2, 3, using: &rng)
        let x = Tensor<Double>(randomNormal: [4, 2, 2], using: &rng)
        let mask: Tensor<Double> = [[1, 1], [1, 1], [1, 0], [1, 0]]
        let last = Recurrence(cell, returnsSequences: false)(x, mask: mask)
        let all = cell.fold(over: x).outputs
        #expect(last[0].isApproximatelyEqual(to: all[3, 0]) && last[1].isApproximatelyEqual(to: all[1, 1]))
        let batchFirst = Recurrence(cell, batchFirst: true)(
            x.transposed(permutation: [1, 0, 2]), mask: mask.transposed())
        #expect(
            batchFirst.transposed(permutation: [1, 0, 2]).isApproximatelyEqual(to: Recurrence(cell)(x, mask: mask)))
    }

    /// Bidirectional against two folds by hand: forward as is, backward over each sequence's
    /// real steps reversed; and its gradient against finite differences.
    @Test func bidirectionalEqualsTwoFoldsByHand() {
        var rng = RandomGenerator(seed: 53)
        let (f, b) = (GRUCell<Double>(2, 3, using: &rng), GRUCell<Double>(2, 3, using: &rng))
        let layer = Bidirectional(Recurrence(f), Recurrence(b))
        let x = Tensor<Double>(randomNormal: [4, 2, 2], using: &rng)
        let lengths = [4, 2]
        let mask = Tensor<Double>(shape: [4, 2], scalars: (0..<4).flatMap { t in lengths.map { t < $0 ? 1 : 0 } })
        let y = layer(x, mask: mask)
        #expect(y.shape == [4, 2, 6])
        for (s, n) in lengths.enumerated() {
            let sequence = x[0..<n, s..<(s + 1)]
            let ahead = f.fold(over: sequence).outputs
            let reversed = Tensor(stacking: sequence.unstacked().reversed())
            let behind = Tensor(stacking: b.fold(over: reversed).outputs.unstacked().reversed())
            let expected = Tensor(concatenating: [ahead, behind], alongAxis: 2)
            #expect(y[0..<n, s..<(s + 1)].isApproximatelyEqual(to: expected))
            if n < 4 { #expect(y[n..<4, s].sum().scalar == 0) }  // padding: zeros both ways
        }
        let r = Tensor<Double>(randomNormal: [4, 2, 6], using: &rng)
        let check = checkGradient(of: { m in (m(x, mask: mask) * r).sum() }, at: layer)
        #expect(check.worstRelativeError < 1e-6, "\(check)")
        let summed = Bidirectional(Recurrence(f), Recurrence(b), merge: .sum)(x)
        let halves = Bidirectional(Recurrence(f), Recurrence(b))(x).split(count: 2, alongAxis: 2)
        #expect(summed.isApproximatelyEqual(to: halves[0] + halves[1]))
    }

    /// Unstacking and splitting along the first axis send each piece's gradient to its block.
    @Test func unstackedGradientsReachTheirBlocks() {
        var gen = PropertyGenerator(seed: 54)
        for _ in 0..<10 {
            let shape = gen.shape(rank: 1...3)
            let x = gen.tensor(shape)
            let check = checkGradient(
                of: { xs in
                    xs[0].unstacked().enumerated().map { (i, t) in (t * Double(i + 1)).sum() }.reduce(Tensor(0), +)
                }, at: [x])
            #expect(check.worstRelativeError < 1e-7, "\(check)")
            let pieces = checkGradient(
                of: { xs in xs[0].split(sizes: [shape[0] - 1, 1]).map { ($0 * $0).sum() }.reduce(Tensor(0), +) },
                at: [x])
            #expect(pieces.worstRelativeError < 1e-7, "\(pieces)")
        }
    }
}
