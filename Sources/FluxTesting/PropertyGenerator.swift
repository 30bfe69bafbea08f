import Flux

/// Seeded random shapes and tensors for property-based tests: the same seed gives the
/// same cases on every run, so a failure can be replayed.
///
/// ```swift
/// var gen = PropertyGenerator(seed: 7)
/// for _ in 0..<20 {
///     let (a, b) = gen.broadcastableShapes()
///     let x = gen.tensor(a), y = gen.tensor(b)
///     #expect(checkPullback(of: { $0[0] * $0[1] }, at: [x, y]).worstRelativeError < 1e-6)
/// }
/// ```
public struct PropertyGenerator {
    /// The underlying generator; use it for any other random choice in the test.
    public var random: RandomGenerator

    /// A generator seeded with `seed`.
    public init(seed: UInt64) { random = RandomGenerator(seed: seed) }

    /// A shape with a rank in `rank` and extents in `extent`.
    public mutating func shape(rank: ClosedRange<Int> = 0...3, extent: ClosedRange<Int> = 1...4) -> [Int] {
        let r = Int.random(in: rank, using: &random)
        return (0..<r).map { _ in Int.random(in: extent, using: &random) }
    }

    /// Two shapes that broadcast together, with stretched axes (extent 1) and missing
    /// leading axes on either side.
    public mutating func broadcastableShapes(rank: ClosedRange<Int> = 0...3, extent: ClosedRange<Int> = 2...4) -> (
        [Int], [Int]
    ) {
        let full = shape(rank: rank, extent: extent)
        func variant(_ g: inout RandomGenerator) -> [Int] {
            let drop = Int.random(in: 0...full.count, using: &g)
            return full.dropFirst(drop).map { Int.random(in: 0..<3, using: &g) == 0 ? 1 : $0 }
        }
        return (variant(&random), variant(&random))
    }

    /// A `Double` tensor of `shape` with normal elements, or uniform in `range` when given.
    public mutating func tensor(_ shape: [Int], in range: Range<Double>? = nil) -> Tensor<Double> {
        if let range { return Tensor(randomUniform: shape, in: range, using: &random) }
        return Tensor(randomNormal: shape, using: &random)
    }

    /// A `Double` tensor whose elements are at least `gap` away from zero (for functions
    /// with a kink at 0, such as `relu` or `abs`, where finite differences are unreliable).
    public mutating func tensorAwayFromZero(_ shape: [Int], gap: Double = 0.1) -> Tensor<Double> {
        tensor(shape).map { $0 < 0 ? $0 - gap : $0 + gap }
    }
}
