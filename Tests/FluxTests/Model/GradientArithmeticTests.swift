import Flux
import Testing

private struct Pair: ParameterContainer {
    var a: Tensor<Double>
    var b: [Tensor<Float>]
}

@Suite struct GradientArithmeticTests {
    fileprivate let g = Gradient(Pair(a: Tensor([3, 0]), b: [Tensor([0, 4])]))
    fileprivate let h = Gradient(Pair(a: Tensor([1, 1]), b: [Tensor([2, -2])]))

    @Test func addScaleAndZero() {
        #expect((g + h).a.scalars == [4, 1])
        #expect((g + h).b[0].scalars == [2, 2])
        #expect((g - h).a.scalars == [2, -1])
        #expect((g * 0.5).b[0].scalars == [0, 2])
        #expect((2 * g).a.scalars == [6, 0])
        #expect(g.zeroed.a.scalars == [0, 0] && g.zeroed.b[0].scalars == [0, 0])
        var sum = g
        sum += h
        #expect(sum.a.scalars == [4, 1])
        #expect(g.a.scalars == [3, 0])  // the original value is untouched
    }

    @Test func normAndClipping() {
        #expect(g.globalNorm == 5)
        let clipped = g.clipped(toGlobalNorm: 1)
        #expect(abs(clipped.globalNorm - 1) < 1e-6)
        #expect(clipped.a.isApproximatelyEqual(to: Tensor([0.6, 0])))
        #expect(g.clipped(toGlobalNorm: 10).a == g.a)
        #expect(g.clipped(toValue: 2).a.scalars == [2, 0])
        #expect(g.clipped(toValue: 2).b[0].scalars == [0, 2])
    }

    @Test func accumulatingGradientsOverBatchesEqualsTheFullBatch() {
        var rng = RandomGenerator(seed: 4)
        let layer = Dense<Double>(3, 2, activation: tanh, using: &rng)
        let x = Tensor<Double>(randomNormal: [4, 3], using: &rng)
        let loss = { (m: Dense<Double>, rows: [Int]) in
            rows.map { r in (m(matmul(Tensor<Double>((0..<4).map { $0 == r ? 1.0 : 0 }), x)) * 1).sum() }
                .reduce(Tensor(0), +)
        }
        let full = gradient(at: layer) { loss($0, [0, 1, 2, 3]) }
        let parts = gradient(at: layer) { loss($0, [0, 1]) } + gradient(at: layer) { loss($0, [2, 3]) }
        #expect(full.weight.isApproximatelyEqual(to: parts.weight))
        #expect(full.bias.isApproximatelyEqual(to: parts.bias))
    }
}
