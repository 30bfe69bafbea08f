import Flux
import Testing

/// A layer made with a size that is not positive stops, naming the layer and the size,
/// before it allocates or draws anything.
@Suite struct LayerSizeTests {
    @Test func denseWithANegativeOrZeroSizeStops() async {
        let negative = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Dense(1, -2)
        }
        #expect(negative.standardError.contains("Dense: outputs must be positive, got -2"), "\(negative.standardError)")
        let zero = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Dense(0, 3)
        }
        #expect(zero.standardError.contains("Dense: inputs must be positive, got 0"), "\(zero.standardError)")
        let both = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Dense(0, 0, relu)
        }
        #expect(both.standardError.contains("Dense: inputs must be positive, got 0"), "\(both.standardError)")
        let double = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Dense<Double>(4, 0, relu)
        }
        #expect(double.standardError.contains("Dense: outputs must be positive, got 0"), "\(double.standardError)")
        let seeded = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            var rng = RandomGenerator(seed: 1)
            _ = Dense<Float>(-3, 2, activation: tanh, using: &rng)
        }
        #expect(seeded.standardError.contains("Dense: inputs must be positive, got -3"), "\(seeded.standardError)")
    }

    @Test func smallestDenseWorks() {
        let layer = Dense(1, 1)
        #expect(layer(Tensor<Float>(zeros: [2, 1])).shape == [2, 1])
    }

    /// An empty layer array is the identity; an optimizer refuses it for having no parameters.
    @Test func emptyLayerArrayIsTheIdentity() {
        let empty = LayerArray<Dense<Float>>([])
        let x = Tensor<Float>([[1, 2]])
        #expect(empty(x) == x && empty.parameterCount == 0)
    }
}
