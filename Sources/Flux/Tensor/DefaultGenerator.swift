import Synchronization

/// The process's default generator, behind a lock: what layers' short forms draw from.
private let defaultGenerator = Mutex(RandomGenerator(seed: RandomGenerator.defaultSeed))

extension RandomGenerator {
    /// The seed the default generator starts from in every process, so that a program that
    /// builds its layers with the short forms (`Dense(784, 128, relu)`) gets the same weights
    /// on every run, as PyTorch's default generator does.
    public static let defaultSeed: UInt64 = 0x5EED_F1A5

    /// Reseeds the generator that layers' short forms draw from (`Dense(784, 128, relu)`),
    /// as `torch.manual_seed` does: the layers built after it are the same on every run.
    ///
    /// Passing a generator explicitly (`using: &rng`) stays the way to keep two streams apart;
    /// the default generator is shared by every thread of the process.
    /// ```swift
    /// RandomGenerator.seedDefault(42)
    /// let model = Chain { Dense(784, 128, relu); Dense(128, 10) }
    /// ```
    public static func seedDefault(_ seed: UInt64) {
        defaultGenerator.withLock { $0 = RandomGenerator(seed: seed) }
    }

    /// Calls `body` with the default generator, which it may draw from; other threads wait.
    ///
    /// - Precondition: `body` does not itself use the default generator (it would wait forever).
    public static func withDefault<R>(_ body: (inout RandomGenerator) throws -> R) rethrows -> R {
        try defaultGenerator.withLock { try body(&$0) }
    }
}
