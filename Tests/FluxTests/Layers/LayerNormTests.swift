import Flux
import FluxTesting
import Testing

@Suite struct LayerNormTests {
    /// Each example's trailing axes come out with mean 0 and variance 1 (before the affine
    /// part), the affine part applies elementwise, and gradients match finite differences.
    @Test func normalisesAndDifferentiates() {
        var gen = PropertyGenerator(seed: 101)
        for _ in 0..<8 {
            let lead = gen.shape(rank: 1...2)
            let trailing = gen.shape(rank: 1...2, extent: 2...4)
            var norm = LayerNorm<Double>(trailing)
            let x = gen.tensor(lead + trailing) * 3 + 1
            let axes = Array(lead.count..<(lead.count + trailing.count))
            let y = norm(x)
            #expect(y.mean(alongAxes: axes).isApproximatelyEqual(to: Tensor(zeros: lead), absoluteTolerance: 1e-12))
            #expect(
                y.variance(alongAxes: axes).isApproximatelyEqual(
                    to: Tensor(ones: lead), absoluteTolerance: 1e-4, relativeTolerance: 1e-4))
            norm.scale = gen.tensor(trailing)
            norm.offset = gen.tensor(trailing)
            #expect(norm(x).isApproximatelyEqual(to: y * norm.scale + norm.offset))
            let r = gen.tensor(lead + trailing)
            let model = checkGradient(of: { (m: LayerNorm<Double>) in (m(x) * r).sum() }, at: norm)
            #expect(model.worstRelativeError < 1e-6, "\(model)")
            let input = checkGradient(of: { xs in (norm(xs[0]) * r).sum() }, at: [x])
            #expect(input.worstRelativeError < 1e-6, "\(input)")
        }
    }

    @Test func aMismatchedInputStops() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Chain {
                Dense<Float>(3, 4); LayerNorm<Float>(5)
            }(Tensor<Float>(zeros: [2, 3]))
        }
        #expect(
            r.standardError.contains(
                "LayerNorm([5]) at layers.1: input [2, 4] does not end in the normalised shape [5]"),
            "\(r.standardError)")
    }
}
