import Flux
import FluxTesting
import Testing

// Examples from `///` doc comments, compiled and run here so that they cannot rot.

/// From `Frozen`'s documentation.
private struct Classifier: Model {
    @Frozen var embedding: Tensor<Float>  // pre-trained, kept fixed
    var head: Dense<Float>
    func callAsFunction(_ tokens: Tensor<Int>) -> Tensor<Float> {
        head(embedding.gathering(atIndices: tokens))
    }
}

@Suite struct DocExampleTests {
    @Test func frozenExample() {
        var rng = RandomGenerator(seed: 3)
        let model = Classifier(
            embedding: Tensor(randomNormal: [10, 4], using: &rng), head: Dense<Float>(4, 2, using: &rng))
        #expect(model(Tensor([1, 7])).shape == [2, 2])
        #expect(model.parameters().map(\.path) == ["head.weight", "head.bias"])
    }

    @Test func propertyGeneratorExample() {
        var gen = PropertyGenerator(seed: 7)
        for _ in 0..<20 {
            let (a, b) = gen.broadcastableShapes()
            let x = gen.tensor(a)
            let y = gen.tensor(b)
            #expect(checkPullback(of: { $0[0] * $0[1] }, at: [x, y]).worstRelativeError < 1e-6)
        }
    }
}
