import Flux
import Testing

@Suite struct InPlaceUpdateTests {
    /// With no other copy of the model alive, a training step writes the parameters and the
    /// optimizer state where they are: the tape has let go of them by then.
    @Test func aTrainingStepUpdatesUniqueParametersInPlace() {
        var rng = RandomGenerator(seed: 0)
        var model = Dense<Float>(8, 4, activation: relu, using: &rng)
        let x = Tensor<Float>(randomNormal: [3, 8], using: &rng)
        var optimizer = Adam(for: model, learningRate: 1e-3)
        let grad = gradient(at: model) { ($0(x) * $0(x)).mean() }
        optimizer.update(&model, along: grad)  // the steady state: a step after the first
        let before = model.weight.withUnsafeBufferPointer { $0.baseAddress }
        let unique = model.weight.isUniquelyReferenced()
        #expect(unique)
        let moment = optimizer.firstMoment.weight.withUnsafeBufferPointer { $0.baseAddress }
        optimizer.update(&model, along: grad)
        #expect(model.weight.withUnsafeBufferPointer { $0.baseAddress } == before)
        let after = optimizer.firstMoment.weight.withUnsafeBufferPointer { $0.baseAddress }
        #expect(after == moment, "the first moment was copied instead of updated in place")
    }
}

private struct Wide: ParameterContainer {
    var w: Tensor<Float>
}

@Suite struct SplitUpdateTests {
    /// A tensor large enough to be split between cores is updated exactly as one call of the
    /// rule over the whole buffer updates it, for every built-in elementwise rule.
    @Test func splitUpdateEqualsOneWholePass() {
        var rng = RandomGenerator(seed: 9)
        let count = 3 * 65536 + 5  // above the threshold, and not a multiple of the split
        let start = Wide(w: Tensor(randomNormal: [count], using: &rng))
        let grads = (0..<3).map { _ in Gradient(Wide(w: Tensor(randomNormal: [count], using: &rng))) }
        func check<R: OptimizerRule>(_ rule: R, _ name: String) {
            var optimizer = Optimizer(for: start, rule: rule, learningRate: ConstantLearningRate(0.01))
            var model = start
            var p = start.w.scalars
            var state = [Float](repeating: 0, count: count * rule.stateCount)  // the slots, one after another
            for (t, g) in grads.enumerated() {
                optimizer.update(&model, along: g)
                let step = OptimizerStep(count: t + 1, learningRate: 0.01)
                wholePass(rule, &p, g.w.scalars, &state, step)
            }
            #expect(model.w.scalars == p, "\(name): the split update differs from one whole pass")
        }
        check(AdamRule(), "Adam")
        check(SGDRule(momentum: 0.9, nesterov: true), "SGD")
        check(RMSPropRule(), "RMSProp")
        check(AdaGradRule(), "AdaGrad")
    }
}

/// `rule` applied once to whole buffers; `state` holds the slots one after another.
private func wholePass<R: OptimizerRule>(
    _ rule: R, _ p: inout [Float], _ g: [Float], _ state: inout [Float], _ step: OptimizerStep
) {
    let count = p.count
    state.withUnsafeMutableBufferPointer { s in
        let slots = (0..<rule.stateCount).map { k in
            UnsafeMutableBufferPointer(rebasing: s[k * count..<(k + 1) * count])
        }
        p.withUnsafeMutableBufferPointer { p in
            g.withUnsafeBufferPointer { g in
                slots.withUnsafeBufferPointer { rule.update(p, gradient: g, state: $0, step: step) }
            }
        }
    }
}
