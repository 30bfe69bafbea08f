// The seed's Perceptron: a weight matrix, a bias and σ(W * x + b), trained to tell
// handwritten 3s from 8s. Nothing here computes a derivative: Flux derives it.
import Flux
import TutorialSupport

/// The logistic function, by the seed's name.
func σ(_ x: Tensor<Float>) -> Tensor<Float> { sigmoid(x) }

/// The model: two parameters and a forward expression, nothing else.
struct Perceptron: Model {
    var W: Tensor<Float>
    var b: Tensor<Float>

    init(_ inputs: Int, _ outputs: Int, using rng: inout RandomGenerator) {
        W = Tensor(randomNormal: [inputs, outputs], standardDeviation: 0.01, using: &rng)
        b = Tensor(zeros: [outputs])
    }

    func callAsFunction(_ x: Tensor<Float>) -> Tensor<Float> {
        σ(matmul(x, W) + b)
    }
}

/// Images (pixels scaled to [0, 1]) and 0/1 targets (1 for an 8).
struct Examples {
    var images: Tensor<Float>
    var targets: Tensor<Float>

    init(_ digits: Digits) {
        images = digits.images
        targets = Tensor<Float>(digits.labels .== 8).reshaped(to: [-1, 1])
    }
}

/// The 3s and 8s of the digits data, shuffled with `seed`, split into training and test sets.
func loadThreesAndEights(seed: UInt64) throws -> (train: Examples, test: Examples) {
    let (train, test) = try Digits.load(digits: [3, 8], seed: seed)
    return (Examples(train), Examples(test))
}

/// The fraction of examples whose prediction (probability above ½) matches the target.
func accuracy(_ model: Perceptron, on data: Examples) -> Float {
    let correct = (model(data.images) .> 0.5) .== (data.targets .> 0.5)
    return Tensor<Float>(correct).mean().scalar
}

/// One line per report: the step, the training loss, the test accuracy.
struct Progress {
    var step: Int
    var loss: Float
    var testAccuracy: Float
}

/// Trains a Perceptron by gradient descent, as a fold over the steps: each step maps
/// (model, optimizer) to the next pair, and nothing is mutated in place.
func trainPerceptron(steps: Int, reportEvery: Int, seed: UInt64 = 0) throws -> [Progress] {
    let (train, test) = try loadThreesAndEights(seed: seed)
    var rng = RandomGenerator(seed: seed)
    let start = Perceptron(64, 1, using: &rng)
    var reports: [Progress] = []
    _ = (1...steps).reduce((model: start, optimizer: SGD(for: start, learningRate: 0.5))) { state, step in
        let (loss, grad) = valueWithGradient(at: state.model) { m in
            binaryCrossEntropy(probabilities: m(train.images), targets: train.targets)
        }
        let next = state.optimizer.updated(state.model, along: grad)
        if step == 1 || step % reportEvery == 0 {
            reports.append(Progress(step: step, loss: loss, testAccuracy: accuracy(next.model, on: test)))
        }
        return next
    }
    return reports
}
