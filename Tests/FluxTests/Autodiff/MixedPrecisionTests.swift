import Flux
import FluxTesting
import Testing

/// Converting a traced tensor between Float and Double carries its gradient, converted.
@Suite struct MixedPrecisionTests {
    /// A Double computation with a Float part in the middle: the gradient matches the same
    /// computation in Double to Float's precision, on random shapes and values.
    @Test func doubleThroughFloatAndBack() {
        var gen = PropertyGenerator(seed: 21)
        for _ in 0..<10 {
            let x = gen.tensor(gen.shape(rank: 1...3))
            let reference = gradient(at: x) { x in (tanh(x * 2) * x).sum() }
            let mixed = gradient(at: x) { x in (Tensor<Double>(tanh(Tensor<Float>(x) * 2)) * x).sum() }
            #expect(mixed.isApproximatelyEqual(to: reference, absoluteTolerance: 1e-5, relativeTolerance: 1e-5))
        }
    }

    /// A Float model whose loss is accumulated in Double: the Float parameters get their
    /// gradients across the conversion.
    @Test func floatModelWithDoubleLoss() {
        var rng = RandomGenerator(seed: 22)
        let model = Chain {
            Dense<Float>(3, 4, activation: tanh, using: &rng); Dense<Float>(4, 2, using: &rng)
        }
        let x = Tensor<Float>(randomNormal: [5, 3], using: &rng)
        let y = Tensor<Double>(randomNormal: [5, 2], using: &rng)
        let (loss, grad) = valueWithGradient(at: model) { m in meanSquaredError(Tensor<Double>(m(x)), y) }
        let (floatLoss, floatGrad) = valueWithGradient(at: model) { m in meanSquaredError(m(x), Tensor<Float>(y)) }
        #expect(abs(loss - Double(floatLoss)) < 1e-5)
        for ((path, g), (_, f)) in zip(grad.tensors(), floatGrad.tensors()) {
            #expect(g.isApproximatelyEqual(to: f, absoluteTolerance: 1e-6, relativeTolerance: 1e-4), "\(path)")
        }
    }

    /// A model holding both: every parameter gets its gradient, checked against finite
    /// differences of the Double loss for the Double ones and against the Float-only loss.
    @Test func mixedModelGradientsReachBothTypes() {
        struct Mixed: Model {
            var a: Tensor<Float>
            var b: Tensor<Double>
            func callAsFunction(_ x: Tensor<Double>) -> Tensor<Double> {
                Tensor<Double>(sigmoid(matmul(Tensor<Float>(x), a))) * b
            }
        }
        var rng = RandomGenerator(seed: 23)
        let model = Mixed(a: Tensor(randomNormal: [3, 2], using: &rng), b: Tensor(randomNormal: [2], using: &rng))
        let x = Tensor<Double>(randomNormal: [4, 3], using: &rng)
        let grad = gradient(at: model) { m in m(x).sum() }
        let check = checkGradient(of: { m in m(x).sum() }, at: model)
        #expect(check.worstRelativeError < 1e-6, "\(check)")
        // d/da of sum(sigmoid(x·a) * b), computed in Float by hand.
        let xf = Tensor<Float>(x)
        let s = sigmoid(matmul(xf, model.a))
        let expected = matmul(xf, s * (1 - s) * Tensor<Float>(model.b), transposeA: true)
        #expect(grad.a.isApproximatelyEqual(to: expected, absoluteTolerance: 1e-5, relativeTolerance: 1e-4))
    }

    /// Converting to the same type is the identity, trace and all.
    @Test func sameTypeConversionKeepsTheGradient() {
        let x = Tensor<Float>([1, 2, 3])
        #expect(gradient(at: x) { x in (Tensor<Float>(x) * x).sum() } == x * 2)
    }

    /// Pullbacks across a pair may run several times; the paired tape's records stay.
    @Test func pullbackAcrossThePairRunsTwice() {
        let x = Tensor<Double>([0.5, -1, 2])
        let (value, pullback) = valueWithPullback(at: x) { x in Tensor<Double>(Tensor<Float>(x) * 3) }
        #expect(value == x * 3)
        #expect(pullback(Tensor([1, 1, 1])) == Tensor([3, 3, 3]))
        #expect(pullback(Tensor([1, 0, 2])) == Tensor([3, 0, 6]))
    }

    /// The finite-value check names a conversion that overflows.
    @Test func overflowingConversionIsNamed() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            checkingFiniteValues {
                _ = gradient(at: Tensor<Double>([1e300, 1])) { x in Tensor<Double>(Tensor<Float>(x)).sum() }
            }
        }
        #expect(
            r.standardError.contains("a conversion between Float and Double gave +infinity at element 0"),
            "\(r.standardError)")
    }
}
