import Flux
import FluxTesting
import Testing

@Suite struct DenseTests {
    @Test(arguments: 0..<4)
    func gradientMatchesFiniteDifferences(seed: Int) {
        var gen = PropertyGenerator(seed: UInt64(500 + seed))
        let (n, i, o) = (
            Int.random(in: 1...4, using: &gen.random), Int.random(in: 1...5, using: &gen.random),
            Int.random(in: 1...5, using: &gen.random)
        )
        let activations: [(Tensor<Double>) -> Tensor<Double>] = [identity, tanh, sigmoid, gelu]
        let layer = Dense<Double>(i, o, activation: activations[seed % 4], using: &gen.random)
        let x = gen.tensor([n, i])
        let y = gen.tensor([n, o])
        let result = checkGradient(of: { meanSquaredError($0(x), y) }, at: layer)
        #expect(result.worstRelativeError < 1e-6, "\(result)")
        let grad = gradient(at: layer) { meanSquaredError($0(x), y) }
        #expect(grad.weight.shape == [i, o] && grad.bias.shape == [o])
    }

    @Test func sameSeedSameWeights() {
        var a = RandomGenerator(seed: 9)
        var b = RandomGenerator(seed: 9)
        #expect(Dense<Float>(3, 4, using: &a).weight == Dense<Float>(3, 4, using: &b).weight)
        let limit = Float(6.0 / 7).squareRoot()
        #expect(Dense<Float>(3, 4, using: &a).weight.scalars.allSatisfy { abs($0) <= limit })
    }

    @Test func floatLayerWithPositionalActivationNeedsNoTypeAnnotation() {
        let a = Dense(784, 128, relu)
        let b = Dense(3, 4, tanh)
        #expect(a.weight.shape == [784, 128] && b.bias.shape == [4])
    }
}
