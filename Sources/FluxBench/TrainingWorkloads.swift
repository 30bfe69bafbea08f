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

/// `tiny`: 16×16 input, 16→32 tanh →32 tanh →1, mean squared error, SGD 0.01.
func benchTiny() {
    var rng = RandomGenerator(seed: 0)
    let x = Tensor<Float>(randomNormal: [16, 16], using: &rng)
    let y = Tensor<Float>(randomNormal: [16, 1], using: &rng)
    var model = ThreeLayers(
        first: peerDense(16, 32, tanh, &rng), second: peerDense(32, 32, tanh, &rng),
        third: peerDense(32, 1, identity, &rng))
    var optimizer = SGD(for: model, learningRate: 0.01)
    let t = medianStepSeconds {
        let grad = gradient(at: model) { m in meanSquaredError(m(x), y) }
        optimizer.update(&model, along: grad)
    }
    report(workload: "tiny", [("steps_per_s", 1 / t), ("ms_per_step", t * 1e3)])
}

/// `mlp`: 128×784 uniform input, 784→512 relu →512 relu →10, softmax cross-entropy, Adam 1e-3.
func benchMLP() {
    var rng = RandomGenerator(seed: 0)
    let x = Tensor<Float>(randomUniform: [128, 784], using: &rng)
    let labels = Tensor<Int>(randomIntegers: [128], in: 0..<10, using: &rng)
    var model = ThreeLayers(
        first: peerDense(784, 512, relu, &rng), second: peerDense(512, 512, relu, &rng),
        third: peerDense(512, 10, identity, &rng))
    var optimizer = Adam(for: model, learningRate: 1e-3)
    let t = medianStepSeconds {
        let grad = gradient(at: model) { m in softmaxCrossEntropy(logits: m(x), labels: labels) }
        optimizer.update(&model, along: grad)
    }
    report(workload: "mlp", [("steps_per_s", 1 / t), ("ms_per_step", t * 1e3)])
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
            medianStepSeconds {
                let grad = gradient(at: byHand) { m in meanSquaredError(m(x), y) }
                handOptimizer.update(&byHand, along: grad)
            })
        chainTimes.append(
            medianStepSeconds {
                let grad = gradient(at: chained) { m in meanSquaredError(m(x), y) }
                chainOptimizer.update(&chained, along: grad)
            })
    }
    let (hand, chain) = (handTimes.sorted()[2], chainTimes.sorted()[2])
    report(peer: "flux-by-hand", workload: "chain", [("steps_per_s", 1 / hand), ("ms_per_step", hand * 1e3)])
    report(workload: "chain", [("steps_per_s", 1 / chain), ("ms_per_step", chain * 1e3), ("of_by_hand", hand / chain)])
}
