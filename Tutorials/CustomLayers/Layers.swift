// New layers in a few lines each: stored tensors (or stored models) and a forward pass.
// There is no derivative code and no parameter declaration anywhere.
import Flux

/// The seed's Perceptron, for any width: σ(x · W + b).
struct Perceptron: Model {
    var W: Tensor<Float>
    var b: Tensor<Float>
    init(_ inputs: Int, _ outputs: Int, using rng: inout RandomGenerator) {
        W = Tensor(randomNormal: [inputs, outputs], standardDeviation: 1 / Float(inputs).squareRoot(), using: &rng)
        b = Tensor(zeros: [outputs])
    }
    func callAsFunction(_ x: Tensor<Float>) -> Tensor<Float> { sigmoid(matmul(x, W) + b) }
}

/// A gated linear unit: a value path scaled elementwise by a learned gate in (0, 1).
struct GatedUnit: Model {
    var value: Dense<Float>
    var gate: Perceptron
    init(_ inputs: Int, _ outputs: Int, using rng: inout RandomGenerator) {
        value = Dense(inputs, outputs, using: &rng)
        gate = Perceptron(inputs, outputs, using: &rng)
    }
    func callAsFunction(_ x: Tensor<Float>) -> Tensor<Float> { value(x) * gate(x) }
}

/// A residual block: x + W₂·relu(W₁·x + b₁) + b₂ (the input skips past two layers).
struct ResidualBlock: Model {
    var inner: Dense<Float>
    var outer: Dense<Float>
    init(_ width: Int, using rng: inout RandomGenerator) {
        inner = Dense(width, width, activation: relu, using: &rng)
        outer = Dense(width, width, using: &rng)
    }
    func callAsFunction(_ x: Tensor<Float>) -> Tensor<Float> { x + outer(inner(x)) }
}
