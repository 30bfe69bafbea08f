import Flux
import Testing

/// The mean and the standard deviation of `t`'s elements.
private func moments(_ t: Tensor<Double>) -> (mean: Double, deviation: Double) {
    let mean = t.scalars.reduce(0, +) / Double(t.count)
    let variance = t.scalars.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(t.count)
    return (mean, variance.squareRoot())
}

@Suite struct InitializerTests {
    /// Each scaled scheme has PyTorch's bound or standard deviation (within sampling error on
    /// 40,000 draws), and the same seed gives the same tensor.
    @Test func distributionsMatchTheirFormulas() {
        let (fanIn, fanOut) = (200, 200)
        let cases: [(Initializer, expectedDeviation: Double, bound: Double?)] = [
            (.glorotUniform(), (6.0 / 400).squareRoot() / 3.0.squareRoot(), (6.0 / 400).squareRoot()),
            (.glorotNormal(gain: 2), 2 * (2.0 / 400).squareRoot(), nil),
            (.heUniform(), (2.0 * 3 / 200).squareRoot() / 3.0.squareRoot(), (2.0 * 3 / 200).squareRoot()),
            (.heNormal(), (2.0 / 200).squareRoot(), nil),
            (.normal(standardDeviation: 0.02), 0.02, nil),
            (.uniform(limit: 0.5), 0.5 / 3.0.squareRoot(), 0.5),
        ]
        for (initializer, deviation, bound) in cases {
            var rng = RandomGenerator(seed: 5)
            let t = Tensor<Double>(initializer, shape: [fanIn, fanOut], fanIn: fanIn, fanOut: fanOut, using: &rng)
            let (mean, measured) = moments(t)
            #expect(abs(mean) < 3 * deviation / 200, "\(initializer)")
            #expect(abs(measured / deviation - 1) < 0.03, "\(initializer): \(measured) vs \(deviation)")
            if let bound { #expect(t.scalars.allSatisfy { abs($0) < bound }, "\(initializer)") }
            var again = RandomGenerator(seed: 5)
            #expect(
                t == Tensor<Double>(initializer, shape: [fanIn, fanOut], fanIn: fanIn, fanOut: fanOut, using: &again))
        }
        var rng = RandomGenerator(seed: 6)
        #expect(Tensor<Float>(.zeros, shape: [3], fanIn: 1, fanOut: 1, using: &rng) == Tensor(zeros: [3]))
        #expect(Tensor<Float>(.ones, shape: [3], fanIn: 1, fanOut: 1, using: &rng) == Tensor(ones: [3]))
        #expect(Tensor<Float>(.constant(0.5), shape: [2], fanIn: 1, fanOut: 1, using: &rng) == Tensor([0.5, 0.5]))
    }

    /// Orthogonal: orthonormal rows when there are fewer rows, columns otherwise, times the gain.
    @Test func orthogonalIsOrthogonal() {
        for (shape, gain) in [([4, 9], 1.0), ([9, 4], 2.0), ([5, 5], 1.0), ([3, 2, 2], 1.0)] {
            var rng = RandomGenerator(seed: 7)
            let t = Tensor<Double>(.orthogonal(gain: gain), shape: shape, fanIn: 1, fanOut: 1, using: &rng)
            let m = t.reshaped(to: [shape[0], shape.dropFirst().reduce(1, *)])
            let product = m.shape[0] <= m.shape[1] ? matmul(m, m, transposeB: true) : matmul(m, m, transposeA: true)
            let n = product.shape[0]
            #expect(
                product.isApproximatelyEqual(
                    to: Tensor(identity: n) * gain * gain, absoluteTolerance: 1e-12, relativeTolerance: 1e-12),
                "\(shape)")
        }
    }

    /// A layer takes its initializers per parameter.
    @Test func denseTakesInitializers() {
        var rng = RandomGenerator(seed: 8)
        let layer = Dense<Float>(64, 32, activation: relu, weight: .heNormal(), bias: .constant(0.1), using: &rng)
        var same = RandomGenerator(seed: 8)
        #expect(layer.weight == Tensor(.heNormal(), shape: [64, 32], fanIn: 64, fanOut: 32, using: &same))
        #expect(layer.bias == Tensor(shape: [32], repeating: 0.1))
        var plain = RandomGenerator(seed: 8)
        let glorot = Dense<Float>(64, 32, using: &plain)
        let limit = Float((6.0 / 96).squareRoot())
        #expect(glorot.weight.scalars.allSatisfy { abs($0) < limit } && glorot.bias == Tensor(zeros: [32]))
    }
}
