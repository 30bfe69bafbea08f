import Flux
import FluxTesting
import Testing

@Suite struct MatMulGradientTests {
    /// Contracts a product with fixed random vectors so that its gradient is a scalar's.
    private func contracted(_ c: Tensor<Double>, _ rng: inout RandomGenerator) -> (Tensor<Double>) -> Tensor<Double> {
        let shape = c.shape
        let u = Tensor<Double>(randomNormal: [shape[shape.count - 2]], using: &rng)
        let v = Tensor<Double>(randomNormal: [shape[shape.count - 1]], using: &rng)
        let w = shape.count == 3 ? Tensor<Double>(randomNormal: [shape[0]], using: &rng) : nil
        return { c in
            let rows = matmul(c, v)  // [.., m]
            let each = matmul(rows, u)  // [batch] or []
            return w.map { matmul(each, $0) } ?? each
        }
    }

    @Test(arguments: 0..<24)
    func reverseModeMatchesFiniteDifferences(seed: Int) {
        var rng = RandomGenerator(seed: UInt64(seed))
        let (m, n, k) = (
            Int.random(in: 1...5, using: &rng), Int.random(in: 1...5, using: &rng), Int.random(in: 1...5, using: &rng)
        )
        let (ta, tb) = (seed % 2 == 1, seed / 2 % 2 == 1)
        var aShape = ta ? [k, m] : [m, k]
        var bShape = tb ? [n, k] : [k, n]
        let batch = Int.random(in: 2...3, using: &rng)
        switch seed / 4 % 6 {
        case 1: aShape = [batch] + aShape; bShape = [batch] + bShape
        case 2: aShape = [batch] + aShape
        case 3: bShape = [batch] + bShape
        case 4: aShape = [batch] + aShape; bShape = [1] + bShape
        case 5: aShape = [1] + aShape; bShape = [batch] + bShape
        default: break
        }
        let a = Tensor<Double>(randomNormal: aShape, using: &rng)
        let b = Tensor<Double>(randomNormal: bShape, using: &rng)
        let reduce = contracted(matmul(a, b, transposeA: ta, transposeB: tb), &rng)
        let result = checkGradient(
            of: { xs in reduce(matmul(xs[0], xs[1], transposeA: ta, transposeB: tb)) }, at: [a, b])
        #expect(result.worstRelativeError < 1e-7, "\(aShape)\(ta ? "ᵀ" : "") × \(bShape)\(tb ? "ᵀ" : ""): \(result)")
    }

    @Test func vectorOperands() {
        var rng = RandomGenerator(seed: 3)
        let m = Tensor<Double>(randomNormal: [4, 3], using: &rng)
        let u = Tensor<Double>(randomNormal: [4], using: &rng)
        let v = Tensor<Double>(randomNormal: [3], using: &rng)
        let result = checkGradient(of: { xs in matmul(matmul(xs[1], xs[0]), xs[2]) }, at: [m, u, v])
        #expect(result.worstRelativeError < 1e-7, "\(result)")
        let g = gradient(at: u, v) { a, _ in matmul(a, a) }
        #expect(g.0.isApproximatelyEqual(to: 2 * u))
        #expect(g.1 == Tensor(zeros: [3]))
    }
}
