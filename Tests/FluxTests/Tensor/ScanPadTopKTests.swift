import Flux
import FluxTesting
import Testing

@Suite struct ScanPadTopKTests {
    @Test func cumulativeSumValuesAndGradient() {
        #expect(Tensor<Double>([1, 2, 3]).cumulativeSum(alongAxis: 0) == Tensor([1, 3, 6]))
        let m = Tensor<Double>([[1, 2], [3, 4], [5, 6]])
        #expect(m.cumulativeSum(alongAxis: 0) == Tensor([[1, 2], [4, 6], [9, 12]]))
        #expect(m.cumulativeSum(alongAxis: -1) == Tensor([[1, 3], [3, 7], [5, 11]]))
        // d/dx_j Σ_i cumsum_i = number of running sums that include x_j: n - j.
        #expect(
            gradient(at: Tensor<Double>([1, 2, 3, 4])) { $0.cumulativeSum(alongAxis: 0).sum() } == Tensor([4, 3, 2, 1]))
    }

    @Test(arguments: 0..<6)
    func gradientsMatchFiniteDifferences(seed: Int) {
        var gen = PropertyGenerator(seed: UInt64(1200 + seed))
        let shape = gen.shape(rank: 1...3, extent: 2...4)
        let x = gen.tensor(shape)
        let axis = Int.random(in: 0..<shape.count, using: &gen.random)
        let widths = shape.map { n in
            (before: Int.random(in: 0..<n, using: &gen.random), after: Int.random(in: 0..<n, using: &gen.random))
        }
        let k = Int.random(in: 0...shape[shape.count - 1], using: &gen.random)
        let functions: [(String, ([Tensor<Double>]) -> Tensor<Double>)] = [
            ("cumulativeSum", { $0[0].cumulativeSum(alongAxis: axis) }),
            ("pad constant", { $0[0].padded(widths, mode: .constant(0.5)) }),
            ("pad reflect", { $0[0].padded(widths, mode: .reflect) }),
            ("topK", { $0[0].topK(k).values }),
        ]
        for (name, f) in functions {
            let check = checkPullback(of: f, at: [x], seed: UInt64(seed))
            #expect(check.worstRelativeError < 1e-7, "\(name) \(shape) axis \(axis) widths \(widths) k \(k): \(check)")
        }
    }

    @Test func paddingLikeNumPy() {
        let x = Tensor<Float>([1, 2, 3])
        #expect(x.padded([(2, 2)], mode: .reflect) == Tensor([3, 2, 1, 2, 3, 2, 1]))
        #expect(x.padded([(1, 2)]) == Tensor([0, 1, 2, 3, 0, 0]))
        let m = Tensor<Float>([[1, 2], [3, 4]])
        #expect(m.padded([(1, 0), (0, 1)], mode: .constant(9)) == Tensor([[9, 9, 9], [1, 2, 9], [3, 4, 9]]))
        #expect(
            m.padded([(1, 1), (1, 1)], mode: .reflect)
                == Tensor([[4, 3, 4, 3], [2, 1, 2, 1], [4, 3, 4, 3], [2, 1, 2, 1]]))
        // Reflected copies send their gradient back to the element they copy.
        #expect(
            gradient(at: Tensor<Double>([1, 2, 3])) { $0.padded([(2, 2)], mode: .reflect).sum() } == Tensor([2, 3, 2]))
    }

    @Test func topKLikePyTorch() {
        let x = Tensor<Float>([[3, 1, 4, 1, 5], [9, 2, 6, 5, 3]])
        let (values, indices) = x.topK(3)
        #expect(values == Tensor([[5, 4, 3], [9, 6, 5]]) && indices == Tensor([[4, 2, 0], [0, 2, 3]]))
        #expect(Tensor<Float>([1, 2, 2]).topK(2).indices == Tensor([1, 2]), "ties keep the earlier index first")
        #expect(Tensor<Float>([1, .nan, 2]).topK(1).indices == Tensor([1]), "NaN counts as the largest")
        #expect(x.topK(0).values.shape == [2, 0])
    }

    @Test func badArgumentsStopWithTheShapes() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>([1, 2, 3]).topK(4)
        }
        #expect(r.standardError.contains("topK: k = 4 for a tensor of shape [3]"))
        let s = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>([1, 2, 3]).padded([(3, 0)], mode: .reflect)
        }
        #expect(s.standardError.contains("padded: reflecting 3 and 0 along axis 0 of shape [3] needs widths below 3"))
    }
}
