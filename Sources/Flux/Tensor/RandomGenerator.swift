/// A seedable pseudo-random generator (xoshiro256**): the same seed gives the same numbers
/// on every run and every platform.
///
/// It is a value: copying it copies its state, so a copy replays the same sequence.
/// ```swift
/// var rng = RandomGenerator(seed: 42)
/// let w = Tensor<Float>(randomNormal: [784, 128], using: &rng)
/// ```
public struct RandomGenerator: RandomNumberGenerator, Sendable, Hashable {
    @usableFromInline var s0, s1, s2, s3: UInt64

    /// A generator whose state is derived from `seed` (through SplitMix64).
    public init(seed: UInt64) {
        var z = seed
        func splitMix() -> UInt64 {
            z &+= 0x9E37_79B9_7F4A_7C15
            var x = z
            x = (x ^ (x >> 30)) &* 0xBF58_476D_1CE4_E5B9
            x = (x ^ (x >> 27)) &* 0x94D0_49BB_1331_11EB
            return x ^ (x >> 31)
        }
        (s0, s1, s2, s3) = (splitMix(), splitMix(), splitMix(), splitMix())
    }

    /// The next 64 random bits.
    @inlinable
    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    /// A new generator whose sequence is independent of this one's; advances this one.
    ///
    /// Use it to give each layer or each worker a stream of its own.
    public mutating func split() -> RandomGenerator { RandomGenerator(seed: next()) }
}

extension RandomNumberGenerator {
    /// A uniform `Double` in [0, 1) with 53 random bits.
    @inlinable
    mutating func nextUnitDouble() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// A standard normal `Double` (Box–Muller; one draw of two uniforms per value, for
    /// simplicity of replay).
    @inlinable
    mutating func nextStandardNormal() -> Double {
        let u1 = 1 - nextUnitDouble()  // in (0, 1]: log is finite
        let u2 = nextUnitDouble()
        return Double.sqrt(-2 * Double.log(u1)) * Double.cos(2 * .pi * u2)
    }
}

extension Tensor where Scalar: TensorFloatingPoint {
    /// A tensor of `shape` with elements drawn uniformly from `range` (the upper bound excluded).
    ///
    /// Numbers are drawn in `Double` and rounded, so a `Float` and a `Double` tensor from the
    /// same seed agree to `Float` precision.
    @inlinable
    public init<G: RandomNumberGenerator>(
        randomUniform shape: [Int], in range: Range<Scalar> = 0..<1, using generator: inout G
    ) {
        let (lo, width) = (Double(range.lowerBound), Double(range.upperBound - range.lowerBound))
        self.init(shape: shape, operation: "Tensor(randomUniform:in:)") { out in
            for i in out.indices { out[i] = Scalar(lo + width * generator.nextUnitDouble()) }
        }
    }

    /// A tensor of `shape` with normally distributed elements.
    @inlinable
    public init<G: RandomNumberGenerator>(
        randomNormal shape: [Int], mean: Scalar = 0, standardDeviation: Scalar = 1,
        using generator: inout G
    ) {
        let (mu, sigma) = (Double(mean), Double(standardDeviation))
        self.init(shape: shape, operation: "Tensor(randomNormal:)") { out in
            for i in out.indices { out[i] = Scalar(mu + sigma * generator.nextStandardNormal()) }
        }
    }
}

extension Tensor where Scalar == Int {
    /// A tensor of `shape` with integers drawn uniformly from `range` (any nonempty range,
    /// `Int.min..<Int.max` included).
    @inlinable
    public init<G: RandomNumberGenerator>(randomIntegers shape: [Int], in range: Range<Int>, using generator: inout G) {
        guard !range.isEmpty else { fail("Tensor(randomIntegers:in:): the range \(range) is empty") }
        // The width can exceed Int.max; as a bit pattern it is exact, and so is the sum.
        let width = UInt64(UInt(bitPattern: range.upperBound &- range.lowerBound))
        self.init(shape: shape, operation: "Tensor(randomIntegers:in:)") { out in
            for i in out.indices {
                out[i] = range.lowerBound &+ Int(truncatingIfNeeded: generator.next(upperBound: width))
            }
        }
    }
}
