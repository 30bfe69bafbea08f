import Flux
import FluxTesting
import Testing

/// A user's model, generic over its scalar type, with no layer type of the library.
private struct Gated<S: TensorFloatingPoint>: Model {
    var gate: Tensor<S>
    var value: Tensor<S>
    var experts: [String: Dense<S>]
    func callAsFunction(_ x: Tensor<S>) -> Tensor<S> {
        sigmoid(matmul(x, gate)) * tanh(matmul(x, value)) + experts["a"]!(x) - experts["b"]!(x)
    }
}

private func gated<S: TensorFloatingPoint>(_: S.Type, seed: UInt64) -> Gated<S> {
    var rng = RandomGenerator(seed: seed)
    return Gated(
        gate: Tensor(randomNormal: [3, 2], using: &rng), value: Tensor(randomNormal: [3, 2], using: &rng),
        experts: ["a": Dense(3, 2, activation: relu, using: &rng), "b": Dense(3, 2, using: &rng)])
}

@Suite struct PrecisionConversionTests {
    @Test func floatChainConvertsToDoubleAndBack() {
        var rng = RandomGenerator(seed: 11)
        let model = Chain {
            Dense<Float>(4, 8, activation: tanh, using: &rng)
            relu
            Dense<Float>(8, 2, using: &rng)
        }
        let model64 = model.converted(
            into: Chain(of: Double.self) {
                Dense<Double>(4, 8, tanh); relu; Dense<Double>(8, 2)
            })
        for ((path, p), (path64, p64)) in zip(model.parameters(), model64.parameters(of: Double.self)) {
            #expect(path == path64)
            #expect(p.scalars.map(Double.init) == p64.scalars)
        }
        let x = Tensor<Float>(randomNormal: [5, 4], using: &rng)
        #expect(
            Tensor<Double>(model(x)).isApproximatelyEqual(
                to: model64(Tensor<Double>(x)), absoluteTolerance: 1e-5, relativeTolerance: 1e-5))
        // Float → Double → Float is exact.
        let back = model64.converted(
            into: Chain {
                Dense(4, 8, tanh); relu; Dense(8, 2)
            })
        #expect(back.parameters().map(\.tensor) == model.parameters().map(\.tensor))
    }

    @Test func genericUserModelWithDictionaryConverts() {
        let model = gated(Float.self, seed: 3)
        let model64 = model.converted(into: gated(Double.self, seed: 99))
        #expect(model64.parameters(of: Double.self).map(\.path) == model.parameters().map(\.path))
        #expect(model64.gate.scalars == model.gate.scalars.map(Double.init))
        #expect(model64.experts["b"]!.weight.scalars == model.experts["b"]!.weight.scalars.map(Double.init))
    }

    /// The tight check of a Float model: converted into its Double twin.
    @Test func floatModelIsCheckedInDoubleThroughItsTwin() {
        var rng = RandomGenerator(seed: 5)
        let model = gated(Float.self, seed: 8)
        let x = Tensor<Double>(randomNormal: [4, 3], using: &rng)
        let y = Tensor<Double>(randomNormal: [4, 2], using: &rng)
        let twin = model.converted(into: gated(Double.self, seed: 0))
        let result = checkGradient(of: { m in meanSquaredError(m(x), y) }, at: twin)
        #expect(result.worstRelativeError < 1e-6, "\(result)")
        #expect(result.checkedElements == model.parameterCount)
    }

    /// A Float model checked as it is: a correct gradient passes a Float-sized tolerance and a
    /// wrong one (a derivative off by a factor of 1.5) fails it clearly.
    @Test func floatModelIsCheckedInFloat() {
        var rng = RandomGenerator(seed: 6)
        let model = gated(Float.self, seed: 9)
        let x = Tensor<Float>(randomNormal: [4, 3], using: &rng)
        let y = Tensor<Float>(randomNormal: [4, 2], using: &rng)
        let good = checkGradient(of: { m in meanSquaredError(m(x), y) }, at: model)
        #expect(good.worstRelativeError < 1e-2, "\(good)")
        let wrongSquare = differentiable { (t: Tensor<Float>) in (value: t * t, pullback: { g in g * t * 3 }) }
        let bad = checkGradient(of: { m in wrongSquare(m(x) - y).mean() }, at: model)
        #expect(bad.worstRelativeError > 0.2, "\(bad)")
    }

    @Test func mismatchedTemplateStopsNamingTheParameter() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let model = Chain {
                Dense(4, 8, relu); Dense(8, 2)
            }
            _ = model.converted(
                into: Chain(of: Double.self) {
                    Dense<Double>(4, 8, relu); Dense<Double>(8, 3)
                })
        }
        #expect(
            r.standardError.contains("converted(into:): `layers.1.weight` has shape [8, 2] in the model but [8, 3]"),
            "\(r.standardError)")
        let s = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let model = Chain {
                Dense(4, 8, relu); Dense(8, 2)
            }
            _ = model.converted(
                into: Chain(of: Double.self) {
                    Dense<Double>(4, 8, relu); relu; Dense<Double>(8, 2)
                })
        }
        #expect(
            s.standardError.contains("parameter 2 is `layers.1.weight` in"), "\(s.standardError)")
    }
}
