import Flux
import FluxTesting
import Testing

@Suite struct ShapeGradientTests {
    private func projected(
        _ f: @escaping ([Tensor<Double>]) -> Tensor<Double>, at inputs: [Tensor<Double>], seed: UInt64
    )
        -> GradientCheckResult
    {
        checkPullback(of: f, at: inputs, seed: seed)
    }

    @Test(arguments: 0..<8)
    func shapeOperations(seed: Int) {
        var gen = PropertyGenerator(seed: UInt64(600 + seed))
        let shape = gen.shape(rank: 2...4, extent: 2...4)
        let x = gen.tensor(shape)
        let p = Array(0..<shape.count).shuffled(using: &gen.random)
        let functions: [(String, ([Tensor<Double>]) -> Tensor<Double>)] = [
            ("reshape", { $0[0].reshaped(to: [-1]) * $0[0].flattened() }),
            ("transpose", { $0[0].transposed(permutation: p) }),
            ("expand/squeeze", { $0[0].expandingShape(at: 1).squeezingShape(at: 1) }),
            ("slice", { $0[0][TensorRange.reversed, 1...] }),
            ("strided slice", { $0[0][TensorRange.ellipsis, (0..<shape.last!).strided(by: 2)] }),
            ("index", { $0[0][1] * $0[0][0] }),
            ("concatenate", { Tensor(concatenating: [$0[0], $0[0] * $0[0]], alongAxis: -1) }),
            ("stack", { Tensor(stacking: [$0[0], tanh($0[0])], alongAxis: 1) }),
            ("split", { $0[0].split(sizes: [1, shape[0] - 1])[1] }),
            ("gather", { $0[0].gathering(atIndices: Tensor<Int>([1, 0, 1, -1]), alongAxis: 0) }),
        ]
        for (name, f) in functions {
            let result = projected(f, at: [x], seed: UInt64(seed))
            #expect(result.worstRelativeError < 1e-6, "\(name) \(shape): \(result)")
        }
    }

    @Test func sliceAssignmentSendsGradientsToBothSides() {
        var gen = PropertyGenerator(seed: 9)
        let x = gen.tensor([3, 4])
        let v = gen.tensor([4])
        let result = checkPullback(
            of: { xs in
                var y = xs[0] * 1
                y[1] = xs[1] * 2
                return y * y
            }, at: [x, v])
        #expect(result.worstRelativeError < 1e-6, "\(result)")
    }

    @Test func gatherAddsGradientsOfRepeatedIndices() {
        let table = Tensor<Double>([[1, 2], [3, 4]])
        let g = gradient(at: table) { $0.gathering(atIndices: Tensor<Int>([0, 0, 1])).sum() }
        #expect(g.scalars == [2, 2, 1, 1])
    }
}
