import Flux
import FluxTesting
import Testing

@Suite struct DropoutTests {
    /// In training, about `probability` of the elements are zero and the rest are scaled by
    /// 1 / (1 − p); the same generator gives the same mask; inference passes the input through.
    @Test func dropsAndScalesReproducibly() {
        let x = Tensor<Double>(ones: [200, 50])
        let layer = Dropout<Double>(0.3, generator: RandomGenerator(seed: 9), mode: .training)
        let y = layer(x)
        let zeros = y.scalars.filter { $0 == 0 }.count
        #expect(abs(Double(zeros) / 10_000 - 0.3) < 0.02, "\(zeros) zeros")
        #expect(y.scalars.allSatisfy { $0 == 0 || abs($0 - 1 / 0.7) < 1e-12 })
        #expect(layer(x) == y)  // no training step: the generator has not moved
        #expect(Dropout<Double>(0.3, generator: RandomGenerator(seed: 9), mode: .inference)(x) == x)
        #expect(Dropout<Double>(0, generator: RandomGenerator(seed: 9), mode: .training)(x) == x)
    }

    /// With a fixed generator the training-mode layer is a fixed function: its gradient (the
    /// mask, scaled) matches finite differences.
    @Test func gradientMatchesFiniteDifferencesWithAFixedGenerator() {
        var gen = PropertyGenerator(seed: 304)
        let layer = Dropout<Double>(0.4, generator: RandomGenerator(seed: 2), mode: .training)
        for _ in 0..<5 {
            let x = gen.tensor(gen.shape(rank: 1...3))
            let r = gen.tensor(x.shape)
            let check = checkGradient(of: { xs in (layer(xs[0]) * r).sum() }, at: [x])
            #expect(check.worstRelativeError < 1e-6, "\(check)")
            let model = Chain {
                Dense<Double>(x.shape.last!, 3); layer
            }
            let m = checkGradient(of: { m in m(x).sum() }, at: model)
            #expect(m.worstRelativeError < 1e-6, "\(m)")
        }
    }

    /// Each training step draws a new mask and the optimizer returns the advanced generator;
    /// two runs from the same seed train identically.
    @Test func trainingStepsAdvanceTheGeneratorReproducibly() {
        func run() -> (masks: [Tensor<Float>], model: Chain<Sequential<Dense<Float>, Dropout<Float>>>) {
            var rng = RandomGenerator(seed: 11)
            var model = Chain {
                Dense<Float>(4, 8, using: &rng); Dropout<Float>(0.5, using: &rng)
            }
            var optimizer = Adam(for: model)
            var masks: [Tensor<Float>] = []
            let x = Tensor<Float>(ones: [2, 4])
            for _ in 0..<3 {
                let (_, grad) = valueWithGradient(at: model) { m in m(x).sum() }
                masks.append(grad.body.first.bias.map { $0 == 0 ? 0 : 1 })
                optimizer.update(&model, along: grad)
            }
            return (masks, model)
        }
        let (a, b) = (run(), run())
        #expect(a.masks == b.masks)
        #expect(a.masks[0] != a.masks[1] || a.masks[1] != a.masks[2])
        #expect(a.model.body.second.generator == b.model.body.second.generator)
    }

    @Test func aBadProbabilityStops() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Dropout<Float>(1)
        }
        #expect(r.standardError.contains("Dropout: probability must satisfy 0 ≤ probability < 1, got 1.0"))
    }
}
