// Shuffles of examples that depend only on a seed (and an epoch), never on the Swift version:
// the standard library's `shuffle(using:)` and `next(upperBound:)` do not promise to draw
// the same numbers in every release, and a recorded run must replay.

/// Shuffles `order` in place (Fisher–Yates, from the end), drawing from `generator`.
func shuffle(_ order: inout [Int], using generator: inout RandomGenerator) {
    var i = order.count - 1
    while i > 0 {
        order.swapAt(i, Int(uniform(below: UInt64(i + 1), using: &generator)))
        i -= 1
    }
}

/// A uniform integer in `0..<bound` (Lemire's multiply-and-reject; `bound` > 0).
func uniform(below bound: UInt64, using generator: inout RandomGenerator) -> UInt64 {
    var product = generator.next().multipliedFullWidth(by: bound)
    if product.low < bound {
        let threshold = (0 &- bound) % bound
        while product.low < threshold { product = generator.next().multipliedFullWidth(by: bound) }
    }
    return product.high
}

/// The generator of `epoch`'s shuffle under `seed`: made from the two directly, so that any
/// epoch's order can be drawn without drawing the epochs before it. (Consecutive epochs get
/// consecutive seeds, which SplitMix makes unrelated; seeds a multiple of its increment apart
/// would share state.)
func epochGenerator(seed: UInt64, epoch: Int) -> RandomGenerator {
    var mixer = RandomGenerator(seed: seed)
    return RandomGenerator(seed: mixer.next() &+ UInt64(truncatingIfNeeded: epoch))
}
