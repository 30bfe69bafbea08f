import BenchReport
import Flux

/// Weights `N(0, 1/fan_in)` and zero biases, as the peers initialise them.
func peerDense(
    _ inputs: Int, _ outputs: Int, _ activation: @escaping (Tensor<Float>) -> Tensor<Float>,
    _ rng: inout RandomGenerator
) -> Dense<Float> {
    Dense(
        weight: Tensor(
            randomNormal: [inputs, outputs], standardDeviation: 1 / Float(inputs).squareRoot(), using: &rng),
        bias: Tensor(zeros: [outputs]), activation: activation)
}

/// Three dense layers, as in the peers' `tiny` and `mlp`.
struct ThreeLayers: Model {
    var first, second, third: Dense<Float>
    func callAsFunction(_ x: Tensor<Float>) -> Tensor<Float> { third(second(first(x))) }
}

/// Times the training steps of `step` (one step, returning its loss) and prints the
/// workload's line: speed, allocations, peak memory and the loss of step 20.
func benchTraining(_ workload: String, _ step: () -> Float) {
    // Steps count from 1 and the 20 warm-up steps are 1...20, so step 20's loss is the
    // peers' `loss_after_warmup`.
    var steps = 0
    var lossStep20 = Float.nan
    let cost = measureSteps {
        let loss = step()
        steps += 1
        if steps == 20 { lossStep20 = loss }
    }
    report(
        workload: workload,
        [
            ("steps_per_s", 1 / cost.seconds), ("ms_per_step", cost.seconds * 1e3),
            ("allocs_per_step", cost.allocations), ("peak_rss_mb", peakResidentMegabytes()),
        ], lossStep20: lossStep20)
}

/// `tiny`: 16×16 input, 16→32 tanh →32 tanh →1, mean squared error, SGD 0.01.
func benchTiny() {
    var rng = RandomGenerator(seed: 0)
    let x = Tensor<Float>(randomNormal: [16, 16], using: &rng)
    let y = Tensor<Float>(randomNormal: [16, 1], using: &rng)
    var model = ThreeLayers(
        first: peerDense(16, 32, tanh, &rng), second: peerDense(32, 32, tanh, &rng),
        third: peerDense(32, 1, identity, &rng))
    var optimizer = SGD(for: model, learningRate: 0.01)
    benchTraining("tiny") {
        let (loss, grad) = valueWithGradient(at: model) { m in meanSquaredError(m(x), y) }
        optimizer.update(&model, along: grad)
        return loss
    }
}

/// The peers' `mlp`: a 784→512 relu →512 relu →10 model, Adam 1e-3, and one batch of 128
/// uniform inputs with labels in 0..<10.
struct MLPTraining {
    var model: ThreeLayers
    var optimizer: Adam<ThreeLayers>
    let x: Tensor<Float>
    let labels: Tensor<Int>

    /// The model and data of the peers' `mlp`, drawn from a seeded generator.
    init() {
        var rng = RandomGenerator(seed: 0)
        x = Tensor<Float>(randomUniform: [128, 784], using: &rng)
        labels = Tensor<Int>(randomIntegers: [128], in: 0..<10, using: &rng)
        model = ThreeLayers(
            first: peerDense(784, 512, relu, &rng), second: peerDense(512, 512, relu, &rng),
            third: peerDense(512, 10, identity, &rng))
        optimizer = Adam(for: model, learningRate: 1e-3)
    }

    /// One training step (softmax cross-entropy, then Adam); returns its loss.
    mutating func step() -> Float {
        let (x, labels) = (x, labels)
        let (loss, grad) = valueWithGradient(at: model) { m in
            softmaxCrossEntropy(logits: m(x), labels: labels)
        }
        optimizer.update(&model, along: grad)
        return loss
    }
}

/// `mlp`: 128×784 uniform input, 784→512 relu →512 relu →10, softmax cross-entropy, Adam 1e-3.
func benchMLP() {
    var training = MLPTraining()
    benchTraining("mlp") { training.step() }
}

/// `mlp-memory`: 10,000 `mlp` steps, with the resident memory after step 1,000 and after
/// step 10,000 and their ratio: memory that a step leaks or a pool that keeps growing shows.
func benchMLPMemory() {
    var training = MLPTraining()
    for _ in 0..<1_000 { _ = training.step() }
    let after1k = residentMegabytes()
    for _ in 1_000..<10_000 { _ = training.step() }
    let after10k = residentMegabytes()
    report(
        workload: "mlp-memory", [("rss_mb_1k", after1k), ("rss_mb_10k", after10k), ("growth", after10k / after1k)])
}

/// `chain`: the `tiny` training step with the layers in a `Chain` and called by hand,
/// alternated over five rounds so that both see the same machine; prints both and the ratio.
func benchChain() {
    var rng = RandomGenerator(seed: 0)
    let x = Tensor<Float>(randomNormal: [16, 16], using: &rng)
    let y = Tensor<Float>(randomNormal: [16, 1], using: &rng)
    let (a, b, c) = (peerDense(16, 32, tanh, &rng), peerDense(32, 32, tanh, &rng), peerDense(32, 1, identity, &rng))
    var byHand = ThreeLayers(first: a, second: b, third: c)
    var chained = Chain {
        a; b; c
    }
    var (handOptimizer, chainOptimizer) = (SGD(for: byHand, learningRate: 0.01), SGD(for: chained, learningRate: 0.01))
    var (handTimes, chainTimes) = ([Double](), [Double]())
    for _ in 0..<5 {
        handTimes.append(
            measureSteps {
                let grad = gradient(at: byHand) { m in meanSquaredError(m(x), y) }
                handOptimizer.update(&byHand, along: grad)
            }.seconds)
        chainTimes.append(
            measureSteps {
                let grad = gradient(at: chained) { m in meanSquaredError(m(x), y) }
                chainOptimizer.update(&chained, along: grad)
            }.seconds)
    }
    let (hand, chain) = (handTimes.sorted()[2], chainTimes.sorted()[2])
    report(peer: "flux-by-hand", workload: "chain", [("steps_per_s", 1 / hand), ("ms_per_step", hand * 1e3)])
    report(workload: "chain", [("steps_per_s", 1 / chain), ("ms_per_step", chain * 1e3), ("of_by_hand", hand / chain)])
}
