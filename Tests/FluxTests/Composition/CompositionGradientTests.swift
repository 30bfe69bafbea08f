import Flux
import FluxTesting
import Testing

private typealias D = Tensor<Double>
private var tanhD: Function<D, D> { Function(tanh) }
private var reluD: Function<D, D> { Function(relu) }

/// Two uses of one stored layer: its gradient is the sum of both.
private struct Siamese: Model {
    var encoder: Dense<Double>
    var head: Dense<Double>
    func callAsFunction(_ pair: (D, D)) -> D { head(encoder(pair.0) * encoder(pair.1)) }
}

@Suite struct CompositionGradientTests {
    @Test(arguments: 0..<6)
    func chainsOfRandomWidthsAndDepths(seed: Int) {
        var gen = PropertyGenerator(seed: UInt64(700 + seed))
        let widths = (0..<4).map { _ in Int.random(in: 1...5, using: &gen.random) }
        let batch = Int.random(in: 1...3, using: &gen.random)
        let model = Chain {
            Dense<Double>(widths[0], widths[1], activation: tanh, using: &gen.random)
            Chain {
                Dense<Double>(widths[1], widths[2], using: &gen.random)
                tanhD
            }
            Dense<Double>(widths[2], widths[3], activation: sigmoid, using: &gen.random)
        }
        let x = gen.tensor([batch, widths[0]])
        let y = gen.tensor([batch, widths[3]])
        let result = checkGradient(of: { meanSquaredError($0(x), y) }, at: model)
        #expect(result.worstRelativeError < 1e-6, "\(widths): \(result)")
        let depth = Int.random(in: 1...4, using: &gen.random)  // an empty model has nothing to differentiate
        let stack = LayerArray(
            (0..<depth).map { _ in Dense<Double>(widths[0], widths[0], activation: tanh, using: &gen.random) })
        let deep = checkGradient(of: { ($0(x) * $0(x)).mean() }, at: stack)
        #expect(deep.worstRelativeError < 1e-6, "depth \(depth): \(deep)")
        #expect(stack.parameterCount == depth * (widths[0] * widths[0] + widths[0]))
    }

    @Test(arguments: 0..<4)
    func parallelBranchesWithEachMerge(seed: Int) {
        var gen = PropertyGenerator(seed: UInt64(800 + seed))
        let (n, i, o) = (
            Int.random(in: 1...3, using: &gen.random), Int.random(in: 1...4, using: &gen.random),
            Int.random(in: 1...4, using: &gen.random)
        )
        let x = gen.tensor([n, i])
        func branch(_ activation: @escaping (D) -> D) -> Dense<Double> {
            Dense<Double>(i, o, activation: activation, using: &gen.random)
        }
        let (a, b, c) = (branch(tanh), branch(sigmoid), branch(identity))
        let concatenated = Parallel(concatenatingAlongAxis: -1) {
            a; b; c
        }
        let added = Parallel(adding: {
            a; b; c
        })
        let multiplied = Parallel(multiplying: {
            a; b
        })
        let custom = Parallel(merge: { $0[0] * 2 - exp($0[1]) }) {
            a; b
        }
        #expect(concatenated(x).shape == [n, 3 * o])
        for (name, check) in [
            ("concatenate", checkGradient(of: { ($0(x) * $0(x)).sum() }, at: concatenated)),
            ("add", checkGradient(of: { ($0(x) * $0(x)).sum() }, at: added)),
            ("multiply", checkGradient(of: { ($0(x) * $0(x)).sum() }, at: multiplied)),
            ("custom", checkGradient(of: { ($0(x) * $0(x)).sum() }, at: custom)),
            (
                "skip",
                checkGradient(
                    of: { ($0(x) * $0(x)).sum() },
                    at: SkipConnection(Dense<Double>(i, i, activation: tanh, using: &gen.random)))
            ),
        ] {
            #expect(check.worstRelativeError < 1e-6, "\(name): \(check)")
        }
    }

    @Test func forkGivesTwoOutputsAndFunctionsTakeSeveralInputs() {
        var rng = RandomGenerator(seed: 1)
        let fork = Fork(
            Dense<Double>(3, 2, using: &rng),
            Chain {
                Dense<Double>(3, 1, using: &rng); reluD
            })
        let x = Tensor<Double>(randomNormal: [4, 3], using: &rng)
        let (first, second) = fork(x)
        #expect(first.shape == [4, 2] && second.shape == [4, 1])
        let join = Function { (pair: (D, D)) in Tensor(concatenating: [pair.0, pair.1], alongAxis: 1) }
        let model = Chain {
            fork; join; Dense<Double>(3, 1, using: &rng)
        }
        #expect(model(x).shape == [4, 1])
        let check = checkGradient(of: { $0(x).sum() }, at: model)
        #expect(check.worstRelativeError < 1e-6, "\(check)")
    }

    @Test func sharedWeightsGetTheSumOfBothUses() {
        var rng = RandomGenerator(seed: 2)
        let model = Siamese(
            encoder: Dense<Double>(3, 4, activation: tanh, using: &rng), head: Dense<Double>(4, 1, using: &rng))
        let a = Tensor<Double>(randomNormal: [2, 3], using: &rng)
        let b = Tensor<Double>(randomNormal: [2, 3], using: &rng)
        let grad = gradient(at: model) { $0((a, b)).sum() }
        // The same function with the encoder's two uses separated: one constant each time.
        let ea = withoutDerivative(at: model.encoder(b))
        let eb = withoutDerivative(at: model.encoder(a))
        let first = gradient(at: model.encoder) { model.head($0(a) * ea).sum() }
        let second = gradient(at: model.encoder) { model.head(eb * $0(b)).sum() }
        #expect(grad.encoder.weight.isApproximatelyEqual(to: first.weight + second.weight))
        #expect(grad.encoder.bias.isApproximatelyEqual(to: first.bias + second.bias))
        let check = checkGradient(of: { $0((a, b)).sum() }, at: model)
        #expect(check.worstRelativeError < 1e-6, "\(check)")
    }
}
