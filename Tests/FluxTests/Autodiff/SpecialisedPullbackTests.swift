import FluxTesting
import Testing

@testable import Flux

// The elementwise pullbacks are specialised per operation (their per-element math is
// inlined into a vectorised loop), and the arithmetic pullbacks skip the reduction where
// nothing was broadcast. These tests pin each of them to the plain rule it replaced:
// `g · f'(x, y)` computed one element at a time, and `sum(toShape:)` of the broadcast
// product. Float, on shapes long enough for the vector loops and their scalar tails.

/// `g · derivative(x, y)`, one element at a time: the rule a specialised pullback must follow.
private func plainRule(
    _ g: Tensor<Float>, _ x: Tensor<Float>, _ y: Tensor<Float>, _ derivative: (Float, Float) -> Float
) -> Tensor<Float> {
    let (gs, xs, ys) = (g.scalars, x.scalars, y.scalars)
    return Tensor(shape: x.shape, scalars: gs.indices.map { gs[$0] * derivative(xs[$0], ys[$0]) })
}

/// Whether two tensors have the same shape and agree to `tolerance`, relative to the larger
/// magnitude (or absolutely below 1).
private func close(_ a: Tensor<Float>, _ b: Tensor<Float>, tolerance: Float = 1e-5) -> Bool {
    guard a.shape == b.shape else { return false }
    return zip(a.scalars, b.scalars).allSatisfy { abs($0 - $1) <= tolerance * max(1, abs($0), abs($1)) }
}

@Suite struct SpecialisedPullbackTests {
    @Test(arguments: 0..<4)
    func unaryPullbacksFollowTheirDerivative(seed: Int) {
        var rng = RandomGenerator(seed: UInt64(500 + seed))
        let shape = (0..<Int.random(in: 1...3, using: &rng)).map { _ in Int.random(in: 1...23, using: &rng) }
        let x = Tensor<Float>(randomNormal: shape, using: &rng).map { $0 < 0 ? $0 - 0.1 : $0 + 0.1 }
        let positive = Tensor<Float>(randomUniform: shape, in: 0.2..<3, using: &rng)
        let g = Tensor<Float>(randomNormal: shape, using: &rng)
        let (r2, rpi) = (1 / Float(2).squareRoot(), 1 / (2 * Float.pi).squareRoot())
        let rules: [(String, Tensor<Float>, (Tensor<Float>) -> Tensor<Float>, (Float, Float) -> Float)] = [
            ("exp", x, exp, { _, y in y }), ("expm1", x, expm1, { _, y in y + 1 }),
            ("log", positive, log, { x, _ in 1 / x }), ("log1p", positive, log1p, { x, _ in 1 / (1 + x) }),
            ("sqrt", positive, sqrt, { _, y in 1 / (2 * y) }), ("rsqrt", positive, rsqrt, { _, y in -y * y * y / 2 }),
            ("sin", x, sin, { x, _ in Float.cos(x) }), ("cos", x, cos, { x, _ in -Float.sin(x) }),
            ("tanh", x, tanh, { _, y in 1 - y * y }),
            ("erf", x, erf, { x, _ in 2 / Float.pi.squareRoot() * Float.exp(-x * x) }),
            ("sigmoid", x, sigmoid, { _, y in y * (1 - y) }), ("softplus", x, softplus, { x, _ in Float.sigmoid(x) }),
            ("square", x, square, { x, _ in 2 * x }), ("pow 2", x, { pow($0, 2) }, { x, _ in 2 * x }),
            ("pow 3", x, { pow($0, 3) }, { x, _ in 3 * Float.pow(x, 2) }),
            ("2^x", x, { pow(2, $0) }, { _, y in y * Float.log(2) }),
            ("abs", x, abs, { x, _ in x > 0 ? 1 : x < 0 ? -1 : 0 }), ("sign", x, sign, { _, _ in 0 }),
            ("relu", x, relu, { x, _ in x > 0 ? 1 : 0 }),
            ("max 0.1", x, { max($0, 0.1) }, { x, _ in x >= 0.1 ? 1 : 0 }),
            ("0.1 max", x, { max(0.1, $0) }, { x, _ in x >= 0.1 ? 1 : 0 }),
            ("min 0.1", x, { min($0, 0.1) }, { x, _ in x <= 0.1 ? 1 : 0 }),
            ("clamp", x, { clamp($0, min: -0.5, max: 0.5) }, { x, _ in x >= -0.5 && x <= 0.5 ? 1 : 0 }),
            ("leakyRelu", x, { leakyRelu($0, slope: 0.1) }, { x, _ in x > 0 ? 1 : 0.1 }),
            ("elu", x, { elu($0, alpha: 0.5) }, { x, y in x > 0 ? 1 : y + 0.5 }),
            ("gelu", x, gelu, { x, _ in Float.erfc(-x * r2) / 2 + x * rpi * Float.exp(-x * x / 2) }),
            (
                "swish", x, swish,
                { x, _ in
                    let s = Float.sigmoid(x)
                    return s * (1 + x * (1 - s))
                }
            ),
            ("x + 3", x, { $0 + 3 }, { _, _ in 1 }), ("3 + x", x, { 3 + $0 }, { _, _ in 1 }),
            ("x - 3", x, { $0 - 3 }, { _, _ in 1 }), ("3 - x", x, { 3 - $0 }, { _, _ in -1 }),
            ("x * 3", x, { $0 * 3 }, { _, _ in 3 }), ("3 * x", x, { 3 * $0 }, { _, _ in 3 }),
            ("x / 3", x, { $0 / 3 }, { _, _ in 1 / 3 }), ("3 / x", x, { 3 / $0 }, { x, y in -y / x }),
            ("-x", x, { -$0 }, { _, _ in -1 }),
        ]
        for (name, input, f, derivative) in rules {
            let (y, pullback) = valueWithPullback(at: input, of: f)
            let expected = plainRule(g, input, y, derivative)
            // The same arithmetic per element, vectorised or not: equal to the last bit.
            #expect(pullback(g) == expected, "\(name) \(shape)")
        }
    }

    @Test(arguments: 0..<12)
    func binaryPullbacksFollowThePlainRule(seed: Int) {
        var gen = PropertyGenerator(seed: UInt64(600 + seed))
        var rng = RandomGenerator(seed: UInt64(600 + seed))
        let full = gen.shape(rank: 1...3, extent: 1...19)
        // Same shapes; a bias row on either side; then any broadcastable pair.
        let pairs: [([Int], [Int])] = [
            (full, full), (full, Array(full.dropFirst())), (Array(full.dropFirst()), full),
            (full, [1] + full.dropFirst()), gen.broadcastableShapes(extent: 2...9),
        ]
        for (sa, sb) in pairs {
            let a = Tensor<Float>(randomNormal: sa, using: &rng)
            let b = Tensor<Float>(randomNormal: sb, using: &rng).map { $0 < 0 ? $0 - 0.5 : $0 + 0.5 }
            let out = a.zip(b) { $0 + $1 }.shape
            let g = Tensor<Float>(randomNormal: out, using: &rng)
            let (wa, wb) = (a.broadcast(to: out), b.broadcast(to: out))
            let mask = { (keep: (Float, Float) -> Bool) in wa.zip(wb) { keep($0, $1) ? Float(1) : 0 } }
            let rules: [(String, (Tensor<Float>, Tensor<Float>) -> Tensor<Float>, Tensor<Float>, Tensor<Float>)] = [
                ("+", { $0 + $1 }, g, g), ("-", { $0 - $1 }, g, g.map { -$0 }),
                ("*", { $0 * $1 }, g * wb, g * wa), ("/", { $0 / $1 }, g / wb, (g * (wa / wb)).zip(wb) { -$0 / $1 }),
                ("max", { max($0, $1) }, g * mask { $0 >= $1 }, g * mask { $0 < $1 }),
                ("min", { min($0, $1) }, g * mask { $0 <= $1 }, g * mask { $0 > $1 }),
            ]
            for (name, f, fullA, fullB) in rules {
                let (value, pullback) = valueWithPullback(at: a, b, of: f)
                // The value of a broadcast operation against the same operation on copies
                // stretched to one shape (the row fast path against the plain loop).
                #expect(value == f(wa, wb), "\(name) \(sa) \(sb) value")
                let (ga, gb) = pullback(g)
                let (ea, eb) = (fullA.sum(toShape: sa), fullB.sum(toShape: sb))
                if sa == sb {
                    #expect(ga == ea && gb == eb, "\(name) \(sa) \(sb)")
                } else {
                    // Summed in another order than `sum(toShape:)` where the rank is above 2.
                    #expect(close(ga, ea) && close(gb, eb), "\(name) \(sa) \(sb)")
                }
            }
        }
    }

    @Test(arguments: 0..<6)
    func sameShapeAndBiasGradientsAgainstFiniteDifferences(seed: Int) {
        var gen = PropertyGenerator(seed: UInt64(700 + seed))
        let full = gen.shape(rank: 1...3, extent: 1...5)
        let row = Array(full.dropFirst())
        for (sa, sb) in [(full, full), (full, row), (row, full), (full, [1] + row)] {
            let a = gen.tensor(sa)
            let b = gen.tensor(sb).map { $0 < 0 ? $0 - 0.5 : $0 + 0.5 }
            var rng = RandomGenerator(seed: UInt64(seed))
            let r = Tensor<Double>(randomNormal: (a + b).shape, using: &rng)
            let functions: [(String, (Tensor<Double>, Tensor<Double>) -> Tensor<Double>)] = [
                ("+", { $0 + $1 }), ("-", { $0 - $1 }), ("*", { $0 * $1 }), ("/", { $0 / $1 }),
                ("max", { max($0, $1) }), ("min", { min($0, $1) }), ("pow", { pow(abs($0) + 0.5, $1) }),
                ("chain", { tanh($0 * $1 + $0) - sigmoid($1) / ($0 * $0 + 1) }),
            ]
            for (name, f) in functions {
                let result = checkGradient(of: { (f($0[0], $0[1]) * r).sum() }, at: [a, b])
                #expect(result.worstRelativeError < 1e-6, "\(name) \(sa) \(sb): \(result)")
            }
        }
    }

    @Test func sharedGradientBuffersAreNotWrittenThrough() {
        // `+` hands its gradient on unchanged to both operands: a later accumulation into
        // one of them must copy it, not change the other's.
        let (a, b) = (Tensor<Double>([1, 2]), Tensor<Double>([3, 4]))
        let (r, s) = (Tensor<Double>([5, 7]), Tensor<Double>([10, 100]))
        let (ga, gb) = gradient(at: a, b) { a, b in ((a + b) * r).sum() + (a * s).sum() }
        #expect(ga.scalars == [15, 107] && gb.scalars == [5, 7])
        let (ha, hb) = gradient(at: a, b) { a, b in (a * s).sum() + ((a + b) * r).sum() }
        #expect(ha.scalars == [15, 107] && hb.scalars == [5, 7])
        #expect(gradient(at: a) { a in ((a + a) * r).sum() }.scalars == [10, 14])
        let mixed: Tensor<Double> = gradient(at: a) { a in
            let shifted: Tensor<Double> = a + 1 - a * 1
            return (shifted + a).sum()
        }
        #expect(mixed.scalars == [1, 1])
    }
}
