import Flux
import Testing

private struct Pair: ParameterContainer {
    var w: Tensor<Double>
    var extra: Tensor<Double>?
}

private func pair(_ w: [Double], extra: [Double]? = nil) -> Pair { Pair(w: Tensor(w), extra: extra.map { Tensor($0) }) }

/// A rule whose number of state tensors can change after its optimizer is made; each step
/// writes every state tensor it is handed, so a missing one would be written out of bounds.
private struct Counting: OptimizerRule {
    var stateCount: Int
    func update<S: TensorFloatingPoint>(
        _ p: UnsafeMutableBufferPointer<S>, gradient g: UnsafeBufferPointer<S>,
        state: UnsafeBufferPointer<UnsafeMutableBufferPointer<S>>, step: OptimizerStep
    ) {
        precondition(state.count == stateCount, "handed \(state.count) state tensors, expected \(stateCount)")
        for (k, s) in state.enumerated() {
            for i in 0..<p.count { s[i] += S(k + 1) * g[i] }
        }
        for i in 0..<p.count { p[i] -= S(step.learningRate) * g[i] }
    }
}

@Suite struct OptimizerStateTests {
    /// Every way in which a state made for one model can differ from the model it is asked to
    /// update stops with the optimizer's name, the path and both sizes, before any write.
    @Test func stateForASmallerModelStops() async {
        let longer = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            var optimizer = SGD(for: pair([1]), learningRate: 0.1, momentum: 0.9)
            var model = pair([1, 2, 3, 4])
            optimizer.update(&model, along: Gradient(zerosLike: model))
        }
        #expect(
            longer.standardError.contains(
                "SGD optimizer: `w` has shape [4] but the optimizer state[0] has shape [1]; the optimizer was made for another model"
            ), "\(longer.standardError)")
        let present = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            var optimizer = RMSProp(for: pair([1]))
            var model = pair([1], extra: [2])
            optimizer.update(&model, along: Gradient(zerosLike: model))
        }
        #expect(
            present.standardError.contains(
                "RMSProp optimizer: `extra` is nil in the optimizer state[0] but not in the model"),
            "\(present.standardError)")
        let second = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            var optimizer = Adam(for: pair([1, 2]))
            var model = pair([1, 2])
            optimizer.update(&model, along: Gradient(pair([1, 2, 3])))
        }
        #expect(
            second.standardError.contains("Adam optimizer: `w` has shape [2] but its gradient has shape [3]"),
            "\(second.standardError)")
    }

    @Test func aStateSlotThatDoesNotExistStopsNamingTheRuleAndItsSlots() async {
        let sgd = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = SGD(for: pair([1]), learningRate: 0.1).state[0]
        }
        #expect(
            sgd.standardError.contains(
                "SGD: the optimizer has no state[0]: SGDRule(momentum: 0.0, nesterov: false, weightDecay: 0.0) keeps 0 state tensors per parameter (no state)"
            ), "\(sgd.standardError)")
        let adam = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Adam(for: pair([1])).state[2]
        }
        #expect(
            adam.standardError.contains("Adam: the optimizer has no state[2]: AdamRule(")
                && adam.standardError.contains("keeps 2 state tensors per parameter (state[0] to state[1])"),
            "\(adam.standardError)")
    }

    @Test func stateSlotsThatExistReadAsBefore() {
        let adam = Adam(for: pair([1, 2]))
        #expect(adam.state.count == 2 && adam.state[1].w == Tensor([0, 0]) && adam.firstMoment.w == adam.state[0].w)
        #expect(
            SGD(for: pair([1]), learningRate: 0.1).velocity == nil
                && SGD(for: pair([1]), learningRate: 0.1).state.isEmpty)
    }

    /// Momentum given after the optimizer is made takes effect, from zero velocity, as
    /// PyTorch makes its momentum buffer at the first step that needs it; taken away, the
    /// velocity goes.
    @Test func changingMomentumReshapesTheState() {
        var model = pair([1, 2])
        var optimizer = SGD(for: model, learningRate: 0.5)
        optimizer.momentum = 0.9
        optimizer.update(&model, along: Gradient(pair([1, -1])))
        #expect(optimizer.velocity?.w == Tensor([1, -1]) && model.w == Tensor([0.5, 2.5]))
        optimizer.update(&model, along: Gradient(pair([1, -1])))
        #expect(optimizer.velocity?.w == Tensor([1.9, -1.9]))
        optimizer.momentum = 0
        optimizer.update(&model, along: Gradient(pair([1, -1])))
        #expect(optimizer.state.isEmpty)
    }

    /// A rule is always handed exactly `stateCount` state tensors, however that count changes.
    @Test func aRuleIsHandedExactlyItsStateCount() {
        var model = pair([1, 2], extra: [3])
        var optimizer = Optimizer(for: model, rule: Counting(stateCount: 1), learningRate: 0.1)
        optimizer.update(&model, along: Gradient(pair([1, 1], extra: [1])))
        optimizer.stateCount = 3
        optimizer.update(&model, along: Gradient(pair([1, 1], extra: [1])))
        #expect(optimizer.state.map(\.w) == [Tensor([2, 2]), Tensor([2, 2]), Tensor([3, 3])])
        optimizer.stateCount = 0
        optimizer.update(&model, along: Gradient(pair([1, 1], extra: [1])))
        #expect(optimizer.state.isEmpty && model.w.isApproximatelyEqual(to: Tensor([0.7, 1.7])))
    }

    @Test func aNegativeStateCountStops() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Optimizer(for: pair([1]), rule: Counting(stateCount: -1), learningRate: 0.1)
        }
        #expect(r.standardError.contains("Counting: stateCount must be ≥ 0, got -1"), "\(r.standardError)")
    }
}
