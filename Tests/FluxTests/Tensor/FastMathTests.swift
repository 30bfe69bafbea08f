import Testing

@testable import Flux

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The `Float` kernels against libm in `Double`, over all magnitudes and densely where
/// training data lives. The bounds asserted are the measured worst errors, rounded up.
@Suite struct FastMathTests {
    /// About a million bit patterns: every sign, exponent and subnormal, inf and NaN.
    static let patterns = Array(bitPatternSweep(stride: 4099))
    /// [-20, 20] in steps of about 4e-5.
    static let dense = Array(linearSweep(from: -20, to: 20, count: 1_000_001))

    func expectAccurate(
        _ name: String, _ f: (Float) -> Float, reference: (Double) -> Double, relative bound: Double
    ) {
        for (sweep, inputs) in [("bit patterns", Self.patterns), ("dense", Self.dense)] {
            let accuracy = Accuracy(inputs, f, reference: reference)
            #expect(accuracy.mismatches.isEmpty, "\(name), \(sweep): \(accuracy)")
            #expect(accuracy.maxRelative <= bound, "\(name), \(sweep): \(accuracy)")
        }
    }

    @Test func expRelativeErrorBelow1e7() {
        expectAccurate("exp", Float.exp, reference: { exp($0) }, relative: 1e-7)
        // Around the overflow and underflow thresholds, where the two-factor scale matters.
        let edges =
            Array(linearSweep(from: 88.5, to: 89.5, count: 10_001))
            + Array(linearSweep(from: -105, to: -86, count: 100_001))
        let accuracy = Accuracy(edges, Float.exp, reference: { exp($0) })
        #expect(accuracy.mismatches.isEmpty, "\(accuracy)")
        #expect(accuracy.maxRelative <= 1e-7, "\(accuracy)")
    }

    @Test func logRelativeErrorBelow1e7() {
        expectAccurate("log", Float.log(_:), reference: { log($0) }, relative: 1e-7)
        let nearOne = Array(linearSweep(from: 0.9, to: 1.1, count: 200_001))
        let accuracy = Accuracy(nearOne, Float.log(_:), reference: { log($0) })
        #expect(accuracy.maxRelative <= 1e-7, "\(accuracy)")
    }

    @Test func log1pRelativeErrorBelow2e7() {
        expectAccurate("log1p", Float.log(onePlus:), reference: { log1p($0) }, relative: 2e-7)
    }

    @Test func tanhRelativeErrorBelow1_5e7() {
        expectAccurate("tanh", Float.tanh, reference: { tanh($0) }, relative: 1.5e-7)
        let accuracy = Accuracy(Self.dense, Float.tanh, reference: { tanh($0) })
        #expect(accuracy.maxAbsolute <= 1e-7, "\(accuracy)")
    }

    @Test func sigmoidRelativeErrorBelow2_5e7() {
        let reference: (Double) -> Double = { 1 / (1 + exp(-$0)) }
        expectAccurate("sigmoid", Float.sigmoid, reference: reference, relative: 2.5e-7)
    }

    @Test func softplusRelativeErrorBelow2_5e7() {
        let reference: (Double) -> Double = { $0 > 0 ? $0 + log1p(exp(-$0)) : log1p(exp($0)) }
        expectAccurate("softplus", Float.softplus, reference: reference, relative: 2.5e-7)
    }

    @Test func specialValues() {
        let inf = Float.infinity
        #expect(Float.exp(inf) == inf && Float.exp(-inf) == 0 && Float.exp(.nan).isNaN)
        #expect(Float.exp(0) == 1 && Float.exp(-0.0) == 1)
        #expect(Float.exp(88.8) == inf && Float.exp(1000) == inf && Float.exp(-104) == 0)
        #expect(Float.exp(88.72) == expf(88.72) || abs(Float.exp(88.72) / expf(88.72) - 1) < 2e-7)
        #expect(Float.exp(-100).isSubnormal && Float.exp(-1000) == 0)
        #expect(Float.exp(Float.greatestFiniteMagnitude) == inf)

        #expect(Float.log(0) == -inf && Float.log(-0.0) == -inf && Float.log(inf) == inf)
        #expect(Float.log(-1).isNaN && Float.log(-inf).isNaN && Float.log(.nan).isNaN)
        #expect(Float.log(1) == 0)
        #expect(abs(Float.log(.leastNonzeroMagnitude) - logf(.leastNonzeroMagnitude)) < 1e-5)
        #expect(abs(Float.log(.greatestFiniteMagnitude) - logf(.greatestFiniteMagnitude)) < 1e-5)

        #expect(Float.log(onePlus: -1) == -inf && Float.log(onePlus: inf) == inf && Float.log(onePlus: -2).isNaN)
        #expect(Float.log(onePlus: 0) == 0 && Float.log(onePlus: -0.0).sign == .minus && Float.log(onePlus: .nan).isNaN)
        #expect(Float.log(onePlus: 1e-30) == 1e-30 && Float.log(onePlus: .greatestFiniteMagnitude).isFinite)

        #expect(Float.tanh(inf) == 1 && Float.tanh(-inf) == -1 && Float.tanh(.nan).isNaN)
        #expect(Float.tanh(20) == 1 && Float.tanh(-20) == -1 && Float.tanh(1e30) == 1)
        #expect(Float.tanh(-0.0).sign == .minus && Float.tanh(0) == 0 && Float.tanh(1e-30) == 1e-30)

        #expect(Float.sigmoid(inf) == 1 && Float.sigmoid(-inf) == 0 && Float.sigmoid(.nan).isNaN)
        #expect(Float.sigmoid(0) == 0.5 && Float.sigmoid(100) == 1 && Float.sigmoid(-200) == 0)
        #expect(Float.sigmoid(-90) > 0)  // e^-90 ≈ 8e-40 is subnormal, not flushed to 0
        #expect(Double.sigmoid(-800) == 0 && Double.sigmoid(-700) > 0 && Double.sigmoid(800) == 1)

        #expect(Float.softplus(inf) == inf && Float.softplus(-inf) == 0 && Float.softplus(.nan).isNaN)
        #expect(Float.softplus(1e30) == 1e30 && Float.softplus(100) == 100)
        #expect(Float.softplus(-100) > 0 && Float.softplus(-200) == 0)
        #expect(Double.softplus(1000) == 1000 && Double.softplus(-1000) == 0)
        #expect(abs(Float.softplus(0) - logf(2)) < 1e-7)
    }

    @Test func doubleCompositionsMatchTheirDefinitions() {
        for x in stride(from: -40.0, through: 40.0, by: 0.01) {
            #expect(close(Double.sigmoid(x), 1 / (1 + exp(-x)), tolerance: 4e-16))
            let softplus = x > 0 ? x + log1p(exp(-x)) : log1p(exp(x))
            #expect(abs(Double.softplus(x) - softplus) <= 4e-16 * max(1, softplus))
        }
    }
}
