import Flux
import Testing

private struct Tiny: ParameterContainer {
    var w = Tensor<Double>([1, -2])
}

/// A schedule that turns negative at step 3.
private struct FallingBelowZero: LearningRateSchedule {
    func callAsFunction(step: Int) -> Double { 0.2 - 0.1 * Double(step) + 0.05 }
}

/// Runs `steps` steps of `optimizer` on a tiny model.
private func train<R: OptimizerRule>(_ optimizer: Optimizer<Tiny, R>, steps: Int) {
    var (model, optimizer) = (Tiny(), optimizer)
    for _ in 0..<steps { optimizer.update(&model, along: Gradient(Tiny(w: Tensor([0.5, -1])))) }
}

private func expectStop(_ result: ExitTest.Result?, _ message: String) {
    #expect(result.standardError.contains(message), "\(result.standardError)")
}

/// Out-of-range hyperparameters stop where the optimizer, rule or schedule is made, naming
/// the hyperparameter, its range and its value (PyTorch's ranges, and finite).
@Suite struct HyperparameterTests {
    @Test func sgd() async {
        expectStop(
            await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
                _ = SGD(for: Tiny(), learningRate: -0.1)
            }, "SGD: learningRate must be finite and ≥ 0, got -0.1")
        expectStop(
            await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
                _ = SGD(for: Tiny(), learningRate: .nan)
            }, "SGD: learningRate must be finite and ≥ 0, got nan")
        expectStop(
            await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
                _ = SGD(for: Tiny(), learningRate: 0.1, momentum: -0.9)
            }, "SGD: momentum must be finite and ≥ 0, got -0.9")
        expectStop(
            await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
                _ = SGD(for: Tiny(), learningRate: 0.1, weightDecay: -1)
            }, "SGD: weightDecay must be finite and ≥ 0, got -1.0")
        expectStop(
            await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
                _ = SGD(for: Tiny(), learningRate: 0.1, nesterov: true)
            }, "SGD: nesterov requires momentum > 0, got momentum 0.0")
    }

    @Test func adamAndAdamW() async {
        expectStop(
            await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
                _ = Adam(for: Tiny(), beta1: 1)
            }, "Adam: beta1 must satisfy 0 ≤ beta1 < 1, got 1.0")
        expectStop(
            await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
                _ = Adam(for: Tiny(), beta2: -0.1)
            }, "Adam: beta2 must satisfy 0 ≤ beta2 < 1, got -0.1")
        expectStop(
            await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
                _ = Adam(for: Tiny(), epsilon: -1e-8)
            }, "Adam: epsilon must be finite and ≥ 0, got -1e-08")
        expectStop(
            await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
                _ = AdamW(for: Tiny(), weightDecay: .infinity)
            }, "Adam: weightDecay must be finite and ≥ 0, got inf")
        expectStop(
            await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
                _ = AdamW(for: Tiny(), learningRate: -1e-3)
            }, "Adam: learningRate must be finite and ≥ 0, got -0.001")
    }

    @Test func rmsPropAndAdaGrad() async {
        expectStop(
            await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
                _ = RMSProp(for: Tiny(), rho: 1.5)
            }, "RMSProp: rho must satisfy 0 ≤ rho ≤ 1, got 1.5")
        expectStop(
            await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
                _ = RMSProp(for: Tiny(), epsilon: .nan)
            }, "RMSProp: epsilon must be finite and ≥ 0, got nan")
        expectStop(
            await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
                _ = AdaGrad(for: Tiny(), learningRate: -1)
            }, "AdaGrad: learningRate must be finite and ≥ 0, got -1.0")
        expectStop(
            await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
                _ = AdaGradRule(epsilon: -1)
            }, "AdaGrad: epsilon must be finite and ≥ 0, got -1.0")
    }

    @Test func schedules() async {
        expectStop(
            await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
                _ = ConstantLearningRate(-0.5)
            }, "ConstantLearningRate: learningRate must be finite and ≥ 0, got -0.5")
        expectStop(
            await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
                _ = StepDecay(initial: 0.1, factor: -0.5, every: 10)
            }, "StepDecay: factor must be finite and ≥ 0, got -0.5")
        expectStop(
            await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
                _ = StepDecay(initial: 0.1, factor: 0.5, every: 0)
            }, "StepDecay: every must be > 0, got 0")
        expectStop(
            await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
                _ = ExponentialDecay(initial: 0.1, rate: 0.5, decaySteps: 0)
            }, "ExponentialDecay: decaySteps must be finite and > 0, got 0.0")
        expectStop(
            await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
                _ = CosineDecay(peak: .nan, totalSteps: 10)
            }, "CosineDecay: peak must be finite and ≥ 0, got nan")
        expectStop(
            await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
                _ = CosineDecay(peak: 0.1, warmupSteps: 10, totalSteps: 10)
            }, "CosineDecay: totalSteps must be > warmupSteps (10), got 10")
    }

    /// A hyperparameter changed on a live optimizer is checked as one given when it was made.
    @Test func aChangedHyperparameterIsChecked() async {
        expectStop(
            await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
                var optimizer = Adam(for: Tiny())
                optimizer.beta1 = 1
            }, "Adam: beta1 must satisfy 0 ≤ beta1 < 1, got 1.0")
        expectStop(
            await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
                var optimizer = SGD(for: Tiny(), learningRate: 0.1)
                optimizer.rule.weightDecay = -1
            }, "SGD: weightDecay must be finite and ≥ 0, got -1.0")
    }

    /// A schedule whose rate leaves the range at some step stops at that step.
    @Test func aScheduleThatGoesOutOfRangeStopsAtThatStep() async {
        expectStop(
            await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
                train(SGD(for: Tiny(), learningRate: FallingBelowZero()), steps: 5)
            }, "SGD optimizer: the learning rate at step 3 is -0.05")
        expectStop(
            await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
                train(Adam(for: Tiny(), learningRate: ExponentialDecay(initial: 1, rate: 1e200)), steps: 5)
            }, "Adam optimizer: the learning rate at step 3 is inf, from ExponentialDecay(")
        expectStop(
            await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
                var optimizer = SGD(for: Tiny(), learningRate: 0.1)
                optimizer.learningRate = ConstantLearningRate(0.1)
                var model = Tiny()
                optimizer.update(&model, along: Gradient(Tiny()))
                var changed = ConstantLearningRate(0.1)
                changed.value = -1
                optimizer.learningRate = changed
                optimizer.update(&model, along: Gradient(Tiny()))
            }, "SGD optimizer: the learning rate at step 2 is -1.0")
    }

    /// The ends of every range are allowed.
    @Test func boundaryValuesAreAllowed() {
        train(SGD(for: Tiny(), learningRate: 0, momentum: 0, weightDecay: 0), steps: 2)
        train(SGD(for: Tiny(), learningRate: 0.1, momentum: 1e-9, nesterov: true), steps: 2)
        train(Adam(for: Tiny(), learningRate: 0, beta1: 0, beta2: 0, epsilon: 0, weightDecay: 0), steps: 2)
        train(RMSProp(for: Tiny(), rho: 1, epsilon: 1e-8), steps: 2)
        train(RMSProp(for: Tiny(), rho: 0), steps: 2)
        train(AdaGrad(for: Tiny(), learningRate: 0, epsilon: 0), steps: 2)
        train(SGD(for: Tiny(), learningRate: StepDecay(initial: 0, factor: 0, every: 1)), steps: 3)
        train(SGD(for: Tiny(), learningRate: CosineDecay(peak: 0.1, totalSteps: 1)), steps: 3)
        train(SGD(for: Tiny(), learningRate: ExponentialDecay(initial: 0.1, rate: 0)), steps: 3)
    }
}
