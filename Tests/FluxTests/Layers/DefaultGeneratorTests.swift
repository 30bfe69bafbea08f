import Flux
import Testing

@Suite struct DefaultGeneratorTests {
    /// The short forms draw from the default generator: reseeding it replays the same layers,
    /// as torch.manual_seed does. In a process of its own, so that no other test draws
    /// between the seed and the layers.
    @Test func seedingTheDefaultGeneratorReplaysTheShortForms() async {
        await #expect(processExitsWith: .success) {
            RandomGenerator.seedDefault(42)
            let a = Chain {
                Dense(4, 8, relu)
                Dense(8, 2)
            }
            RandomGenerator.seedDefault(42)
            let b = Chain {
                Dense(4, 8, relu)
                Dense(8, 2)
            }
            var rng = RandomGenerator(seed: 42)
            let explicit = Dense<Float>(4, 8, activation: relu, using: &rng)
            precondition(a.body.first.weight == b.body.first.weight && a.body.second.weight == b.body.second.weight)
            precondition(a.body.first.weight == explicit.weight, "the default generator is a RandomGenerator")
        }
    }

    /// Without a seed, every process starts the default generator from the same seed.
    @Test func theDefaultSeedIsTheSameInEveryProcess() async {
        await #expect(processExitsWith: .success) {
            var rng = RandomGenerator(seed: RandomGenerator.defaultSeed)
            let expected = Dense<Float>(3, 5, activation: identity, using: &rng)
            precondition(Dense(3, 5).weight == expected.weight)
        }
    }
}
