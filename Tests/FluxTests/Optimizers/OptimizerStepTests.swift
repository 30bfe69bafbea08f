import Flux
import Testing

private struct Weights: ParameterContainer {
    var w: Tensor<Double>
}

/// Three steps from `p₀ = [1, −2]` along the gradients `[0.5, −1]`, `[0.1, 0.2]`, `[−0.3, 0.4]`
/// with learning rate 0.1; expected values computed by hand from each rule's formula.
private func threeSteps<R: OptimizerRule>(_ optimizer: Optimizer<Weights, R>) -> [[Double]] {
    var (model, optimizer) = (Weights(w: Tensor([1, -2])), optimizer)
    var trajectory: [[Double]] = []
    for g in [[0.5, -1.0], [0.1, 0.2], [-0.3, 0.4]] {
        optimizer.update(&model, along: Gradient(Weights(w: Tensor(g))))
        trajectory.append(model.w.scalars)
    }
    return trajectory
}

private func expectClose(_ got: [[Double]], _ expected: [[Double]], _ name: String) {
    for (row, want) in zip(got, expected) {
        for (x, y) in zip(row, want) { #expect(abs(x - y) < 1e-9, "\(name): \(got) vs \(expected)") }
    }
}

@Suite struct OptimizerStepTests {
    fileprivate let start = Weights(w: Tensor([1, -2]))

    @Test func sgdVariants() {
        expectClose(
            threeSteps(SGD(for: start, learningRate: 0.1)), [[0.95, -1.9], [0.94, -1.92], [0.97, -1.96]], "SGD")
        expectClose(
            threeSteps(SGD(for: start, learningRate: 0.1, momentum: 0.9)),
            [[0.95, -1.9], [0.895, -1.83], [0.8755, -1.807]], "momentum")
        expectClose(
            threeSteps(SGD(for: start, learningRate: 0.1, momentum: 0.9, nesterov: true)),
            [[0.905, -1.81], [0.8455, -1.767], [0.85795, -1.7863]], "Nesterov")
    }

    @Test func adaptiveRules() {
        expectClose(
            threeSteps(RMSProp(for: start, learningRate: 0.1)),
            [
                [0.683772253983161, -1.68377224398316], [0.618539450933135, -1.74900504916085],
                [0.791313126099159, -1.87511837740859],
            ], "RMSProp")
        expectClose(
            threeSteps(AdaGrad(for: start, learningRate: 0.1)),
            [
                [0.90000000002, -1.90000000001], [0.880388386510028, -1.9196116135219],
                [0.931097641785167, -1.95612645068557],
            ], "AdaGrad")
        expectClose(
            threeSteps(Adam(for: start, learningRate: 0.1)),
            [
                [0.900000002, -1.900000001], [0.819695906384652, -1.84889739399049],
                [0.798624611763508, -1.83547343420816],
            ], "Adam")
        expectClose(
            threeSteps(AdamW(for: start, learningRate: 0.1, weightDecay: 0.01)),
            [
                [0.899000002, -1.898000001], [0.817796906382652, -1.84499939398949],
                [0.795907814855125, -1.82973043481317],
            ], "AdamW")
    }

    @Test func updateLeavesThePreviousModelAndOptimizerUnchanged() {
        let model = Weights(w: Tensor([1, -2]))
        let optimizer = Adam(for: model, learningRate: 0.1)
        let grad = Gradient(Weights(w: Tensor([0.5, -1])))
        let (next, nextOptimizer) = optimizer.updated(model, along: grad)
        #expect(model.w.scalars == [1, -2])
        #expect(optimizer.step == 0)
        #expect(optimizer.state[0].w == Tensor(zeros: [2]))
        #expect(nextOptimizer.step == 1)
        #expect(next.w.scalars != model.w.scalars)
        var inPlace = model
        var o = optimizer
        o.update(&inPlace, along: grad)
        #expect(inPlace.w == next.w)
        #expect(model.w.scalars == [1, -2])
    }

    @Test func schedules() {
        #expect(StepDecay(initial: 1, factor: 0.5, every: 2)(step: 3) == 0.5)
        #expect(abs(ExponentialDecay(initial: 1, rate: 0.5, decaySteps: 2)(step: 3) - 0.5) < 1e-12)
        let cosine = CosineDecay(peak: 1, final: 0, warmupSteps: 10, totalSteps: 110)
        #expect(cosine(step: 5) == 0.5)
        #expect(abs(cosine(step: 60) - 0.5) < 1e-12)
        #expect(cosine(step: 110) == 0)
        #expect(cosine(step: 500) == 0)
    }
}

private struct Layers: ParameterContainer {
    var layers: [Tensor<Double>]
    var scale: Tensor<Double>?
}

@Suite struct OptimizerStructureTests {
    /// Arrays and optionals are walked in step with the gradient and the state; the gradient
    /// is only read, so the caller's value is unchanged.
    @Test func arraysAndOptionalsUpdateAndTheGradientStaysAsItWas() {
        let model = Layers(layers: [Tensor([1, 2]), Tensor([3])], scale: Tensor([0.5]))
        let grad = Gradient(Layers(layers: [Tensor([0.1, -0.2]), Tensor([1])], scale: Tensor([2])))
        let kept = grad
        var optimizer = SGD(for: model, learningRate: 0.5, momentum: 0.9)
        var next = model
        optimizer.update(&next, along: grad)
        #expect(next.layers == [Tensor([0.95, 2.1]), Tensor([2.5])] && next.scale == Tensor([-0.5]))
        #expect(grad.base.layers == kept.base.layers && grad.scale == kept.scale)
        #expect(optimizer.velocity?.layers == [Tensor([0.1, -0.2]), Tensor([1])])
        #expect(SGD(for: model, learningRate: 0.1).velocity == nil, "no velocity without momentum")
        let adam = Adam(for: model)
        #expect(adam.firstMoment.layers == adam.state[0].layers && adam.secondMoment.scale == Tensor([0]))
        #expect(
            RMSProp(for: model).meanSquare.scale == Tensor([0]) && AdaGrad(for: model).sumOfSquares.scale == Tensor([0])
        )
        #expect(model.layers == [Tensor([1, 2]), Tensor([3])], "the old model value changed")
    }

    @Test func stateMadeForAnotherModelStopsWithThePath() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            var optimizer = Adam(for: Layers(layers: [Tensor([1, 2])], scale: nil))
            var bigger = Layers(layers: [Tensor([1, 2]), Tensor([3])], scale: nil)
            optimizer.update(&bigger, along: Gradient(zerosLike: bigger))
        }
        #expect(
            r.standardError.contains(
                "Adam optimizer: `layers` has 2 elements in the model but 1 in the optimizer state[0]"))
        let s = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            var optimizer = Adam(for: Layers(layers: [Tensor([1, 2])], scale: nil))
            var wider = Layers(layers: [Tensor([1, 2, 3])], scale: nil)
            optimizer.update(&wider, along: Gradient(zerosLike: wider))
        }
        #expect(
            s.standardError.contains(
                "Adam optimizer: `layers[0]` has shape [3] but the optimizer state[0] has shape [2]; the optimizer was made for another model"
            ))
    }
}
