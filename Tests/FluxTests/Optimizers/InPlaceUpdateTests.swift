import Flux
import Testing

@Suite struct InPlaceUpdateTests {
    /// With no other copy of the model alive, a training step writes the parameters and the
    /// optimizer state where they are: the tape has let go of them by then.
    @Test func aTrainingStepUpdatesUniqueParametersInPlace() {
        var rng = RandomGenerator(seed: 0)
        var model = Dense<Float>(8, 4, activation: relu, using: &rng)
        let x = Tensor<Float>(randomNormal: [3, 8], using: &rng)
        var optimizer = Adam(for: model, learningRate: 1e-3)
        let grad = gradient(at: model) { ($0(x) * $0(x)).mean() }
        optimizer.update(&model, along: grad)  // the steady state: a step after the first
        let before = model.weight.withUnsafeBufferPointer { $0.baseAddress }
        let unique = model.weight.isUniquelyReferenced()
        #expect(unique)
        let moment = optimizer.state[0].weight.withUnsafeBufferPointer { $0.baseAddress }
        optimizer.update(&model, along: grad)
        #expect(model.weight.withUnsafeBufferPointer { $0.baseAddress } == before)
        let after = optimizer.state[0].weight.withUnsafeBufferPointer { $0.baseAddress }
        #expect(after == moment, "the first moment was copied instead of updated in place")
    }
}
