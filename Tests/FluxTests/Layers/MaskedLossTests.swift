import Flux
import FluxTesting
import Testing

@Suite struct MaskedLossTests {
    /// The masked loss is the loss of the real rows alone; padded rows get no gradient.
    @Test func maskedRowsAddNothing() {
        var gen = PropertyGenerator(seed: 81)
        for _ in 0..<6 {
            let (rows, classes) = (Int.random(in: 2...8, using: &gen.random), Int.random(in: 2...5, using: &gen.random))
            let logits = gen.tensor([rows, classes])
            var rng = gen.random.split()
            let labels = Tensor<Int>(randomIntegers: [rows], in: 0..<classes, using: &rng)
            var keep = (0..<rows).map { _ in Double(Int.random(in: 0...1, using: &gen.random)) }
            keep[0] = 1
            let mask = Tensor(keep)
            let real = (0..<rows).filter { keep[$0] == 1 }
            let alone = softmaxCrossEntropy(
                logits: Tensor(stacking: real.map { logits[$0] }), labels: Tensor(real.map { labels.scalars[$0] }))
            let masked = softmaxCrossEntropy(logits: logits, labels: labels, mask: mask)
            #expect(abs(masked.scalar - alone.scalar) < 1e-12)
            let g = gradient(at: logits) { softmaxCrossEntropy(logits: $0, labels: labels, mask: mask) }
            for r in 0..<rows where keep[r] == 0 { #expect(g[r] == Tensor(zeros: [classes])) }
            let check = checkGradient(
                of: { softmaxCrossEntropy(logits: $0[0], labels: labels, mask: mask) }, at: [logits])
            #expect(check.worstRelativeError < 1e-6, "\(check)")
        }
    }

    /// A padded batch through a masked recurrent layer and the masked loss has the loss and
    /// the gradient of its sequences trained one by one, unpadded (weighted by their lengths).
    @Test func paddedSequencesTrainLikeTheSequencesAlone() {
        var rng = RandomGenerator(seed: 82)
        let cell = GRUCell<Double>(3, 4, using: &rng)
        let head = Dense<Double>(4, 5, using: &rng)
        let lengths = [4, 2, 3]
        let x = Tensor<Double>(randomNormal: [4, 3, 3], using: &rng)
        let labels = Tensor<Int>(randomIntegers: [4, 3], in: 0..<5, using: &rng)
        let mask = Tensor<Double>(shape: [4, 3], scalars: (0..<4).flatMap { t in lengths.map { t < $0 ? 1 : 0 } })
        func loss(_ cell: GRUCell<Double>) -> Tensor<Double> {
            let h = Recurrence(cell)(x, mask: mask)
            return softmaxCrossEntropy(
                logits: head(h.reshaped(to: [12, 4])), labels: labels.reshaped(to: [12]), mask: mask.reshaped(to: [12]))
        }
        let total = Double(lengths.reduce(0, +))
        var expected = 0.0
        var expectedGradient = Gradient(zerosLike: cell)
        for (b, n) in lengths.enumerated() {
            let xb = x[0..<n, b..<(b + 1)]
            let lb = labels[0..<n, b..<(b + 1)].reshaped(to: [n])
            let (l, g) = valueWithGradient(at: cell) { c in
                softmaxCrossEntropy(logits: head(Recurrence(c)(xb).reshaped(to: [n, 4])), labels: lb)
            }
            expected += l * Double(n) / total
            expectedGradient = expectedGradient + g * (Double(n) / total)
        }
        let (l, g) = valueWithGradient(at: cell, of: loss)
        #expect(abs(l - expected) < 1e-12)
        for ((path, a), (_, b)) in zip(g.tensors(of: Double.self), expectedGradient.tensors(of: Double.self)) {
            #expect(a.isApproximatelyEqual(to: b, absoluteTolerance: 1e-12), "\(path)")
        }
    }
}
