import Flux
import TutorialSupport

/// Two branches over the 64 pixels, a gated unit and a residual path, joined and classified:
/// composition by `Chain` and `Parallel`, each branch a layer declared in Layers.swift.
func makeNetwork(seed: UInt64) -> some Model<Tensor<Float>, Tensor<Float>> {
    var rng = RandomGenerator(seed: seed)
    return Chain {
        Parallel(concatenatingAlongAxis: -1) {
            GatedUnit(64, 32, using: &rng)
            Chain {
                Dense<Float>(64, 32, activation: relu, using: &rng)
                ResidualBlock(32, using: &rng)
            }
        }
        Dense<Float>(64, 10, using: &rng)
    }
}

/// What one report shows.
struct Progress {
    var step: Int
    var loss: Float
    var testAccuracy: Float
}

/// Trains the two-branch network on all ten digits with Adam, a pure fold over the steps.
func trainNetwork(steps: Int, reportEvery: Int, seed: UInt64 = 0) throws -> (summary: String, reports: [Progress]) {
    let (train, test) = try Digits.load(seed: seed)
    let start = makeNetwork(seed: seed)
    var reports: [Progress] = []
    _ = (1...steps).reduce((model: start, optimizer: Adam(for: start, learningRate: 1e-2))) { state, step in
        let (loss, grad) = valueWithGradient(at: state.model) { m in
            softmaxCrossEntropy(logits: m(train.images), labels: train.labels)
        }
        let next = state.optimizer.updated(state.model, along: grad)
        if step == 1 || step % reportEvery == 0 {
            let acc = accuracy(logits: next.model(test.images), labels: test.labels)
            reports.append(Progress(step: step, loss: loss, testAccuracy: acc))
        }
        return next
    }
    return (start.summary, reports)
}
