import Flux
import Testing

/// A layer made with a negative size stops, naming the layer and the size, before it
/// allocates or draws anything; a size of 0 is an empty layer, as PyTorch's `Linear` allows.
@Suite struct LayerSizeTests {
    @Test func denseWithANegativeSizeStops() async {
        let negative = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Dense(1, -2)
        }
        #expect(
            negative.standardError.contains("Dense: outputs must not be negative, got -2"), "\(negative.standardError)")
        let double = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Dense<Double>(4, -1, relu)
        }
        #expect(double.standardError.contains("Dense: outputs must not be negative, got -1"), "\(double.standardError)")
        let seeded = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            var rng = RandomGenerator(seed: 1)
            _ = Dense<Float>(-3, 2, activation: tanh, using: &rng)
        }
        #expect(seeded.standardError.contains("Dense: inputs must not be negative, got -3"), "\(seeded.standardError)")
    }

    @Test func emptyAndSmallestDenseWork() {
        #expect(Dense(1, 1)(Tensor<Float>(zeros: [2, 1])).shape == [2, 1])
        #expect(Dense(0, 3)(Tensor<Float>(zeros: [2, 0])) == Tensor(zeros: [2, 3]))
        #expect(Dense(3, 0, relu)(Tensor<Float>(zeros: [2, 3])).shape == [2, 0])
        #expect(Dense<Double>(0, 0).parameterCount == 0)
    }

    /// An empty layer array is the identity; an optimizer refuses it for having no parameters.
    @Test func emptyLayerArrayIsTheIdentity() {
        let empty = LayerArray<Dense<Float>>([])
        let x = Tensor<Float>([[1, 2]])
        #expect(empty(x) == x && empty.parameterCount == 0)
    }
}
