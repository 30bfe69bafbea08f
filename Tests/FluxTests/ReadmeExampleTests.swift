import Flux
import Foundation
import Testing

// The README's examples, compiled and run here so that they cannot rot.

private struct Perceptron: Model {
    var W: Tensor<Float>
    var b: Tensor<Float>
    func callAsFunction(_ x: Tensor<Float>) -> Tensor<Float> { sigmoid(matmul(x, W) + b) }
}

private struct SignDescent: OptimizerRule {
    var stateCount: Int { 0 }
    var isElementwise: Bool { true }
    func update<S: TensorFloatingPoint>(
        _ p: UnsafeMutableBufferPointer<S>, gradient g: UnsafeBufferPointer<S>,
        state: UnsafeBufferPointer<UnsafeMutableBufferPointer<S>>, step: OptimizerStep
    ) {
        let lr = S(step.learningRate)
        for i in 0..<p.count { p[i] -= lr * (g[i] > 0 ? 1 : g[i] < 0 ? -1 : 0) }
    }
}

/// The README's Perceptron, inputs and labels.
private func perceptronExample() -> (Perceptron, Tensor<Float>, Tensor<Float>) {
    var rng = RandomGenerator(seed: 0)
    let model = Perceptron(W: Tensor(randomNormal: [64, 1], using: &rng), b: Tensor(zeros: [1]))
    let x = Tensor<Float>(randomUniform: [32, 64], using: &rng)
    let y = Tensor<Float>(Tensor<Int>(randomIntegers: [32, 1], in: 0..<2, using: &rng))
    return (model, x, y)
}

@Suite struct ReadmeExampleTests {
    @Test func tensorExample() {
        let x: Tensor<Float> = [[1, 2, 3], [4, 5, 6]]
        let y = x * 2 + Tensor<Float>([10, 20, 30])
        var rng = RandomGenerator(seed: 42)
        let w = Tensor<Float>(randomNormal: [3, 4], using: &rng)
        let z = matmul(x, w)
        let g = matmul(x, z, transposeA: true)
        var copy = x
        copy[scalarAt: 0, 0] = 100
        #expect(y.scalars == [12, 24, 36, 18, 30, 42])
        #expect(z.shape == [2, 4] && g.shape == [3, 4])
        #expect(x[scalarAt: 0, 0] == 1)
    }

    @Test func integerTensorExample() {
        let big = Tensor<Int>([Int.max, Int.min])
        #expect((big + 1).scalars == [-9_223_372_036_854_775_808, -9_223_372_036_854_775_807])
        #expect((-big).scalars == [-Int.max, Int.min] && abs(big).scalars == [Int.max, Int.min])
        #expect(Tensor<Int>([Int.max, 1]).sum().scalar == -9_223_372_036_854_775_808)
        #expect((Tensor<Int32>([7, -7]) / 2).scalars == [3, -3])
    }

    @Test func modelExampleLearns() {
        var (model, x, y) = perceptronExample()
        var optimizer = Adam(for: model, learningRate: 1e-2)
        var losses: [Float] = []
        for _ in 1...100 {
            let (loss, grad) = valueWithGradient(at: model) { m in
                binaryCrossEntropy(probabilities: m(x), targets: y)
            }
            optimizer.update(&model, along: grad)
            losses.append(loss)
        }
        #expect(losses.last! < losses.first! * 0.5)
    }

    @Test func compositionExample() {
        let model = Chain {
            Parallel(concatenatingAlongAxis: -1) {
                Dense(64, 32, relu)
                Chain {
                    Dense(64, 32, relu); SkipConnection(Dense(32, 32, relu))
                }
            }
            Dense(64, 10)
            softmax
        }
        #expect(model(Tensor<Float>(zeros: [5, 64])).shape == [5, 10])
        #expect(model.summary.hasSuffix("total: \(model.parameterCount) parameters in 8 tensors"))
    }

    @Test func fitExample() throws {
        var rng = RandomGenerator(seed: 0)
        var model = Dense<Float>(784, 10, using: &rng)
        var optimizer = Adam(for: model, learningRate: 1e-3)
        let x = Tensor<Float>(randomUniform: [8, 784], using: &rng)
        let labels = Tensor<Int>(randomIntegers: [8], in: 0..<10, using: &rng)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("best-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let data = Dataset(inputs: x, labels: labels)
        let parts = data.split(fractions: [0.75, 0.25], shuffledBy: 0)
        let history = try fit(
            &model, optimizer: &optimizer, on: parts[0], validation: parts[1], epochs: 20, batchSize: 32,
            callbacks: [.earlyStopping(monitor: "validation loss", patience: 3), .checkpointBest(to: path)],
            progress: .silent
        ) { m, images, labels in
            softmaxCrossEntropy(logits: m(images), labels: labels)
        }
        #expect(history.series.map(\.name) == ["training loss", "validation loss", "validation accuracy"])
        let trainingLoss = history["training loss"]!.values
        #expect(trainingLoss.last! < trainingLoss.first!)
        let best = try model.loaded(from: path)
        #expect(best.weight == model.weight, "early stopping restored the best model, which was saved")
    }

    @Test func optimizerRuleExample() {
        let model = Perceptron(W: Tensor([[1], [-2]]), b: Tensor([0.5]))
        var signed = Optimizer(for: model, rule: SignDescent(), learningRate: ConstantLearningRate(1e-3))
        var next = model
        signed.update(&next, along: Gradient(Perceptron(W: Tensor([[3], [-0.5]]), b: Tensor([0]))))
        #expect(next.W.isApproximatelyEqual(to: Tensor([[0.999], [-1.999]])) && next.b == model.b)
        #expect(signed.state.isEmpty && signed.step == 1)
    }

    @Test func pureLoopAndDoubleExamples() {
        let (model, x, y) = perceptronExample()
        let optimizer = Adam(for: model, learningRate: 1e-2)
        let before = binaryCrossEntropy(probabilities: model(x), targets: y).scalar
        var state = (model: model, optimizer: optimizer)
        for _ in 1...100 {
            let grad = gradient(at: state.model) { m in binaryCrossEntropy(probabilities: m(x), targets: y) }
            state = state.optimizer.updated(state.model, along: grad)
        }
        #expect(binaryCrossEntropy(probabilities: state.model(x), targets: y).scalar < before * 0.5)
        #expect(state.optimizer.step == 100 && optimizer.step == 0, "the first optimizer value is unchanged")
        let layer = Dense<Double>(8, 16, relu)
        #expect(layer(Tensor<Double>(zeros: [3, 8])).shape == [3, 16])
    }
}
