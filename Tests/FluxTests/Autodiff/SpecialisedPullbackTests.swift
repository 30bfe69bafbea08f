import Flux
import FluxTesting
import Testing

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
            ("sin", x, sin, { x, _ in Float._cos(x) }), ("cos", x, cos, { x, _ in -Float._sin(x) }),
            ("tanh", x, tanh, { _, y in 1 - y * y }),
            ("erf", x, erf, { x, _ in 2 / Float.pi.squareRoot() * Float._exp(-x * x) }),
            ("sigmoid", x, sigmoid, { _, y in y * (1 - y) }), ("softplus", x, softplus, { x, _ in Float._sigmoid(x) }),
            ("square", x, square, { x, _ in 2 * x }), ("pow 2", x, { pow($0, 2) }, { x, _ in 2 * x }),
            ("pow 3", x, { pow($0, 3) }, { x, _ in 3 * Float._pow(x, 2) }),
            ("2^x", x, { pow(2, $0) }, { _, y in y * Float._log(2) }),
            ("abs", x, abs, { x, _ in x > 0 ? 1 : x < 0 ? -1 : 0 }), ("sign", x, sign, { _, _ in 0 }),
            ("relu", x, relu, { x, _ in x > 0 ? 1 : 0 }),
            ("max 0.1", x, { max($0, 0.1) }, { x, _ in x >= 0.1 ? 1 : 0 }),
            ("0.1 max", x, { max(0.1, $0) }, { x, _ in x >= 0.1 ? 1 : 0 }),
            ("min 0.1", x, { min($0, 0.1) }, { x, _ in x <= 0.1 ? 1 : 0 }),
            ("clamp", x, { clamp($0, min: -0.5, max: 0.5) }, { x, _ in x >= -0.5 && x <= 0.5 ? 1 : 0 }),
            ("leakyRelu", x, { leakyRelu($0, slope: 0.1) }, { x, _ in x > 0 ? 1 : 0.1 }),
            ("elu", x, { elu($0, alpha: 0.5) }, { x, y in x > 0 ? 1 : y + 0.5 }),
            ("gelu", x, gelu, { x, _ in (1 + Float._erf(x * r2)) / 2 + x * rpi * Float._exp(-x * x / 2) }),
            (
                "swish", x, swish,
                { x, _ in
                    let s = Float._sigmoid(x)
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
}
