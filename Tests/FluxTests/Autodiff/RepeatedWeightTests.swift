import FluxTesting
import Testing

@testable import Flux

/// A weight and the matrices it multiplies.
private struct Operands<S: TensorFloatingPoint>: ParameterContainer {
    var w: Tensor<S>
    var xs: [Tensor<S>]
}

/// A weight multiplied by many matrices in one gradient computation: packed once for the
/// products (Float), its gradient summed in one product; both must equal the plain results.
@Suite struct RepeatedWeightTests {
    /// Σₜ f(xₜ · W) with W reused, in Float, against the same in Double, on random sizes
    /// (panels of 32 columns with a remainder, rows in tiles of 8 with a remainder).
    @Test func repeatedProductsAndTheirGradients() {
        var gen = PropertyGenerator(seed: 71)
        for _ in 0..<12 {
            let (m, k, n) = (
                Int.random(in: 1...20, using: &gen.random), Int.random(in: 1...40, using: &gen.random),
                Int.random(in: 1...100, using: &gen.random)
            )
            let uses = Int.random(in: 1...4, using: &gen.random)
            let w = gen.tensor([k, n])
            let xs = (0..<uses).map { _ in gen.tensor([m, k]) }
            func loss<S: TensorFloatingPoint>(_ w: Tensor<S>, _ xs: [Tensor<S>]) -> Tensor<S> {
                var h = xs[0]
                var total = Tensor<S>(0)
                for x in xs {
                    let y = tanh(matmul(x + h[TensorRange.all, 0..<1], w))  // the left operand is traced too
                    total = total + (y * y).sum()
                    h = x
                }
                return total
            }
            let float = gradient(at: Operands(w: Tensor<Float>(w), xs: xs.map { Tensor<Float>($0) })) { o in
                loss(o.w, o.xs)
            }
            let double = gradient(at: Operands(w: w, xs: xs)) { o in loss(o.w, o.xs) }
            #expect(
                Tensor<Double>(float.w).isApproximatelyEqual(
                    to: double.w, absoluteTolerance: 1e-3, relativeTolerance: 1e-3))
            for (a, b) in zip(float.xs, double.xs) {
                #expect(Tensor<Double>(a).isApproximatelyEqual(to: b, absoluteTolerance: 1e-3, relativeTolerance: 1e-3))
            }
            let check = checkGradient(of: { ws in loss(ws[0], xs) }, at: [w])
            #expect(check.worstRelativeError < 1e-6, "\(check)")
        }
    }

    /// The packed kernel against BLAS, including a split between the cores.
    @Test func packedProductEqualsBLAS() {
        var rng = RandomGenerator(seed: 72)
        for (m, k, n) in [(1, 1, 1), (9, 33, 65), (32, 256, 1024), (3, 7, 31)] {
            let a = Tensor<Float>(randomNormal: [m, k], using: &rng)
            let b = Tensor<Float>(randomNormal: [k, n], using: &rng)
            let plain = matmul(a, b)
            #expect(packedProduct(a, PackedMatrix(b, transposed: false)).isApproximatelyEqual(to: plain))
            #expect(packedProduct(a, PackedMatrix(b.transposed(), transposed: true)).isApproximatelyEqual(to: plain))
        }
    }

    /// Projected steps (a lookup of the input weight's rows) are the one-hot product.
    @Test func projectedStepsEqualTheOneHotProduct() {
        var rng = RandomGenerator(seed: 73)
        let cell = LSTMCell<Double>(6, 4, using: &rng)
        let tokens = Tensor<Int>(randomIntegers: [5, 3], in: 0..<6, using: &rng)
        let oneHot = cell.fold(over: Tensor<Double>(oneHotAtIndices: tokens, depth: 6))
        let looked = cell.fold(overProjected: cell.inputWeight.gathering(atIndices: tokens) + cell.bias)
        #expect(looked.outputs.isApproximatelyEqual(to: oneHot.outputs))
        let g1 = gradient(at: cell) { c in c.fold(over: Tensor<Double>(oneHotAtIndices: tokens, depth: 6)).outputs.sum()
        }
        let g2 = gradient(at: cell) { c in
            c.fold(overProjected: c.inputWeight.gathering(atIndices: tokens) + c.bias).outputs.sum()
        }
        #expect(g1.inputWeight.isApproximatelyEqual(to: g2.inputWeight) && g1.bias.isApproximatelyEqual(to: g2.bias))
    }
}
