import Flux
import FluxTesting
import Testing

@Suite struct AffineGradientTests {
    /// The fused `affine` equals `matmul(x, w) + b` in value and in every gradient, for inputs
    /// of rank 1 to 3 and random sizes, and its reverse mode matches finite differences.
    @Test(arguments: 0..<16)
    func fusedMatchesUnfusedAndFiniteDifferences(seed: Int) {
        var gen = PropertyGenerator(seed: UInt64(500 + seed))
        let (inputs, outputs) = (Int.random(in: 1...6, using: &gen.random), Int.random(in: 1...5, using: &gen.random))
        let batch = gen.shape(rank: 0...2, extent: 1...4)
        let (x, w, b) = (gen.tensor(batch + [inputs]), gen.tensor([inputs, outputs]), gen.tensor([outputs]))
        let r = gen.tensor(batch + [outputs])
        let fused = { (xs: [Tensor<Double>]) in (affine(xs[0], xs[1], xs[2]) * r).sum() }
        let unfused = { (xs: [Tensor<Double>]) in ((matmul(xs[0], xs[1]) + xs[2]) * r).sum() }
        #expect(affine(x, w, b).isApproximatelyEqual(to: matmul(x, w) + b), "\(batch) \(inputs)→\(outputs)")
        let gf = gradient(at: x, w, b) { x, w, b in fused([x, w, b]) }
        let gu = gradient(at: x, w, b) { x, w, b in unfused([x, w, b]) }
        for (a, c) in [(gf.0, gu.0), (gf.1, gu.1), (gf.2, gu.2)] {
            #expect(a.isApproximatelyEqual(to: c), "\(batch) \(inputs)→\(outputs)")
        }
        let check = checkGradient(of: fused, at: [x, w, b])
        #expect(check.worstRelativeError < 1e-7, "\(batch) \(inputs)→\(outputs): \(check)")
    }

    /// Only traced operands get a gradient computed; constants stay constants.
    @Test func constantOperandsGetNoGradient() {
        var gen = PropertyGenerator(seed: 1)
        let (x, w, b) = (gen.tensor([3, 4]), gen.tensor([4, 2]), gen.tensor([2]))
        let gw = gradient(at: w) { w in affine(x, w, b).sum() }
        #expect(gw.isApproximatelyEqual(to: matmul(x, Tensor(ones: [3, 2]), transposeA: true)))
        let gb = gradient(at: b) { b in affine(x, w, b).sum() }
        #expect(gb == Tensor([3, 3]))
    }

    @Test func mismatchedShapesStopWithTheShapes() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = affine(Tensor<Float>(zeros: [2, 3]), Tensor<Float>(zeros: [4, 5]), Tensor<Float>(zeros: [5]))
        }
        #expect(r.standardError.contains("affine: x [2, 3], weight [4, 5] and bias [5] do not fit"))
    }
}
