import Flux
import FluxTesting
import Testing

/// The loss written out as the operations it fuses: what the fused one must equal.
private func composedMeanSquaredError(_ p: Tensor<Double>, _ t: Tensor<Double>) -> Tensor<Double> {
    let d = p - t
    return (d * d).mean()
}

/// Whether `a` and `b` have one shape and agree to a relative `tolerance` element by element.
private func close(_ a: Tensor<Double>, _ b: Tensor<Double>, tolerance: Double = 1e-12) -> Bool {
    guard a.shape == b.shape else { return false }
    return zip(a.scalars, b.scalars).allSatisfy { abs($0 - $1) <= tolerance * max(abs($0), abs($1), 1e-300) }
}

@Suite struct MeanSquaredErrorTests {
    @Test(arguments: 0..<10)
    func fusedMatchesTheComposition(seed: Int) {
        var gen = PropertyGenerator(seed: UInt64(800 + seed))
        // Ranks up to 4, extents up to 12: the larger shapes span several pairwise blocks (256).
        let shape = gen.shape(rank: 0...4, extent: 1...12)
        let (p, t) = (gen.tensor(shape), gen.tensor(shape))
        #expect(close(meanSquaredError(p, t), composedMeanSquaredError(p, t)), "\(shape)")
        let (fp, ft) = gradient(at: p, t) { meanSquaredError($0, $1) }
        let (cp, ct) = gradient(at: p, t) { composedMeanSquaredError($0, $1) }
        // The same operations per element as the composition: equal to the last bit.
        #expect(fp == cp && ft == ct, "\(shape)")
        // Either side alone: only the traced one gets a pullback.
        let predictionsOnly: Tensor<Double> = gradient(at: p) { meanSquaredError($0, t) }
        let targetsOnly: Tensor<Double> = gradient(at: t) { meanSquaredError(p, $0) }
        #expect(close(predictionsOnly, cp) && close(targetsOnly, ct), "\(shape) one side")
        // Further operations on the loss scale its gradient (a seed other than 1).
        let (sp, st) = gradient(at: p, t) { 3 * meanSquaredError($0, $1) + 1 }
        #expect(close(sp, cp * 3) && close(st, ct * 3), "\(shape) scaled")
    }

    @Test(arguments: 0..<6)
    func gradientsAgainstFiniteDifferences(seed: Int) {
        var gen = PropertyGenerator(seed: UInt64(900 + seed))
        let shape = gen.shape(rank: 0...3, extent: 1...9)
        let (p, t) = (gen.tensor(shape), gen.tensor(shape))
        let both = checkGradient(of: { meanSquaredError($0[0], $0[1]) }, at: [p, t])
        #expect(both.worstRelativeError < 1e-6, "\(shape): \(both)")
        let inside = checkGradient(of: { meanSquaredError(tanh($0[0]) * 2, $0[1] * $0[0]) }, at: [p, t])
        #expect(inside.worstRelativeError < 1e-6, "\(shape) composed: \(inside)")
    }

    @Test func floatSumStaysAccurateOverManyElements() {
        var rng = RandomGenerator(seed: 1)
        let (p, t) = (Tensor<Float>(randomNormal: [300_007], using: &rng), Tensor<Float>(zeros: [300_007]))
        let exact = p.scalars.reduce(0.0) { $0 + Double($1) * Double($1) } / 300_007
        // Summed pairwise, the rounding error grows with log n, not n.
        #expect(abs(Double(meanSquaredError(p, t).scalar) - exact) / exact < 1e-6)
    }

    @Test func edgeCases() {
        #expect(meanSquaredError(Tensor<Double>(3), Tensor(1)).scalar == 4)
        #expect(gradient(at: Tensor<Double>(3)) { meanSquaredError($0, Tensor(1)) }.scalar == 4)
        #expect(meanSquaredError(Tensor<Double>(zeros: [0, 2]), Tensor(zeros: [0, 2])).scalar.isNaN)
        #expect(gradient(at: Tensor<Double>(zeros: [0, 2])) { meanSquaredError($0, $0) }.shape == [0, 2])
    }
}
