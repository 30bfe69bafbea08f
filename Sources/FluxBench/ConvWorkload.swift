import BenchReport
import Flux

/// The peers' `conv` model, LeNet-5-like, channels last: two 5×5 convolutions with relu and
/// 2×2 max pooling, then three dense layers.
struct LeNet: Model {
    var conv1, conv2: Conv2D<Float>
    var dense1, dense2, dense3: Dense<Float>
    let pool = MaxPool2D<Float>(2)
    let flatten = Flatten<Float>()

    func callAsFunction(_ x: Tensor<Float>) -> Tensor<Float> {
        let features = flatten(pool(conv2(pool(conv1(x)))))
        return dense3(dense2(dense1(features)))
    }
}

/// A convolution with weights `N(0, 1/fan_in)` (fan in: the kernel's area times its input
/// channels) and zero biases, as the peers initialise it.
func peerConv(_ inputs: Int, _ outputs: Int, kernel: Int, _ rng: inout RandomGenerator) -> Conv2D<Float> {
    let fanIn = Float(inputs * kernel * kernel)
    return Conv2D(
        weight: Tensor(
            randomNormal: [kernel, kernel, inputs, outputs], standardDeviation: 1 / fanIn.squareRoot(), using: &rng),
        bias: Tensor(zeros: [outputs]), activation: relu)
}

/// The peers' `conv` training: 64 images 28×28×1 uniform in [0, 1), labels in 0..<10; conv
/// 5×5 1→6 relu, max pool 2; conv 5×5 6→16 relu, max pool 2; flatten 256 → 120 relu → 84
/// relu → 10; softmax cross-entropy, Adam 1e-3 (../shared/peers/README.md).
struct ConvTraining {
    var model: LeNet
    var optimizer: Adam<LeNet>
    let x: Tensor<Float>
    let labels: Tensor<Int>

    init() {
        var rng = RandomGenerator(seed: 0)
        x = Tensor<Float>(randomUniform: [64, 28, 28, 1], using: &rng)
        labels = Tensor<Int>(randomIntegers: [64], in: 0..<10, using: &rng)
        model = LeNet(
            conv1: peerConv(1, 6, kernel: 5, &rng), conv2: peerConv(6, 16, kernel: 5, &rng),
            dense1: peerDense(256, 120, relu, &rng), dense2: peerDense(120, 84, relu, &rng),
            dense3: peerDense(84, 10, identity, &rng))
        optimizer = Adam(for: model, learningRate: 1e-3)
    }

    /// One training step; returns its loss.
    mutating func step() -> Float {
        let (x, labels) = (x, labels)
        let (loss, grad) = valueWithGradient(at: model) { m in softmaxCrossEntropy(logits: m(x), labels: labels) }
        optimizer.update(&model, along: grad)
        return loss
    }
}

/// `conv`: the peers' LeNet training step.
func benchConv() {
    var training = ConvTraining()
    benchTraining("conv") { training.step() }
}

/// `conv-memory`: 5,000 `conv` steps, with the resident memory after step 500 and after step
/// 5,000 and their ratio: a step that kept fresh storage would show as growth.
func benchConvMemory() {
    var training = ConvTraining()
    for _ in 0..<500 { _ = training.step() }
    let after500 = residentMegabytes()
    for _ in 500..<5_000 { _ = training.step() }
    let after5k = residentMegabytes()
    report(
        workload: "conv-memory", [("rss_mb_500", after500), ("rss_mb_5k", after5k), ("growth", after5k / after500)])
}
