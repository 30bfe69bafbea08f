import Flux
import Foundation  // as users import it: its scalar overloads must not clash with Flux's
import Testing

@Suite struct TensorMathTests {
    static func random<T: TensorFloatingPoint>(_ shape: [Int], seed: UInt64 = 7, scale: T = 3) -> Tensor<T> {
        var rng = RandomGenerator(seed: seed)
        return Tensor<T>(randomNormal: shape, standardDeviation: scale, using: &rng)
    }

    /// `f(tensor)` against `reference` applied in `Double` to each element.
    func expectMatches<T: TensorFloatingPoint>(
        _ name: String, _ x: Tensor<T>, _ f: (Tensor<T>) -> Tensor<T>, _ reference: (Double) -> Double,
        tolerance: Double
    ) {
        let y = f(x)
        #expect(y.shape == x.shape, "\(name)")
        for (input, output) in Swift.zip(x.scalars, y.scalars) {
            let expected = reference(Double(input))
            #expect(
                close(Double(output), expected, tolerance: tolerance), "\(name)(\(input)) = \(output), not \(expected)")
        }
    }

    func expectUnaryFunctions<T: TensorFloatingPoint>(_: T.Type, tolerance: Double) {
        let x: Tensor<T> = Self.random([3, 4, 5])
        let positive = x.map { $0.magnitude + 1e-3 }
        let unit = x.map { $0 / 10 }
        expectMatches("exp", x, exp, Foundation.exp, tolerance: tolerance)
        expectMatches("expm1", unit, expm1, Foundation.expm1, tolerance: tolerance)
        expectMatches("log", positive, log, Foundation.log, tolerance: tolerance)
        expectMatches("log1p", x.map { $0.magnitude - 0.5 }, log1p, Foundation.log1p, tolerance: tolerance)
        expectMatches("sqrt", positive, sqrt, Foundation.sqrt, tolerance: tolerance)
        expectMatches("rsqrt", positive, rsqrt, { 1 / Foundation.sqrt($0) }, tolerance: tolerance)
        expectMatches("sin", x, sin, Foundation.sin, tolerance: tolerance)
        expectMatches("cos", x, cos, Foundation.cos, tolerance: tolerance)
        expectMatches("tanh", x, tanh, Foundation.tanh, tolerance: tolerance)
        expectMatches("erf", x, erf, Foundation.erf, tolerance: tolerance)
        expectMatches("sigmoid", x, sigmoid, { 1 / (1 + Foundation.exp(-$0)) }, tolerance: tolerance)
        expectMatches(
            "softplus", x, softplus, { Foundation.log1p(Foundation.exp(-Swift.abs($0))) + Swift.max($0, 0) },
            tolerance: tolerance)
        expectMatches("square", x, square, { $0 * $0 }, tolerance: tolerance)
        expectMatches("abs", x, abs, { Swift.abs($0) }, tolerance: 0)
        expectMatches("sign", x, sign, { $0 > 0 ? 1 : $0 < 0 ? -1 : 0 }, tolerance: 0)
        expectMatches("relu", x, relu, { Swift.max($0, 0) }, tolerance: 0)
        expectMatches("pow", positive, { pow($0, 2.5) }, { Foundation.pow($0, 2.5) }, tolerance: tolerance)
        expectMatches("pow 2", x, { pow($0, 2) }, { $0 * $0 }, tolerance: tolerance)
        expectMatches("pow base", unit, { pow(3, $0) }, { Foundation.pow(3, $0) }, tolerance: tolerance)
        expectMatches("clamp", x, { clamp($0, min: -1, max: 2) }, { Swift.min(Swift.max($0, -1), 2) }, tolerance: 0)
        expectMatches("max", x, { max($0, 0.5) }, { Swift.max($0, 0.5) }, tolerance: 0)
        expectMatches("min", x, { min(0.5, $0) }, { Swift.min($0, 0.5) }, tolerance: 0)
    }

    @Test func floatFunctionsMatchLibm() { expectUnaryFunctions(Float.self, tolerance: 3e-7) }

    @Test func doubleFunctionsMatchLibm() { expectUnaryFunctions(Double.self, tolerance: 1e-15) }

    @Test func binaryFunctionsBroadcast() {
        let a: Tensor<Double> = Self.random([4, 1, 3], seed: 1)
        let b: Tensor<Double> = Self.random([5, 1], seed: 2)
        let positive = a.map { Swift.abs($0) + 0.1 }
        for (name, f, g) in [
            ("max", { max($0, $1) }, { Swift.max($0, $1) }),
            ("min", { min($0, $1) }, { Swift.min($0, $1) }),
            ("pow", { pow($0, $1) }, { Foundation.pow($0, $1) }),
        ] as [(String, (Tensor<Double>, Tensor<Double>) -> Tensor<Double>, (Double, Double) -> Double)] {
            let lhs = name == "pow" ? positive : a
            let y = f(lhs, b)
            #expect(y.shape == [4, 5, 3], "\(name)")
            for i in 0..<4 {
                for j in 0..<5 {
                    for k in 0..<3 {
                        #expect(y[scalarAt: i, j, k] == g(lhs[scalarAt: i, 0, k], b[scalarAt: j, 0]), "\(name)")
                    }
                }
            }
        }
        #expect(max(Tensor<Int>([1, 5, -2]), Tensor<Int>([[3], [0]])).scalars == [3, 5, 3, 1, 5, 0])
        #expect(min(2, Tensor<Int32>([1, 5, -2])).scalars == [1, 2, -2])
    }

    @Test func specialValues() {
        let inf = Double.infinity
        let x = Tensor<Float>([.infinity, -.infinity, .nan, 0, -0.0, 1e30, -1e30, 100, -100])
        let exps = exp(x).scalars
        #expect(exps[0] == .infinity && exps[1] == 0 && exps[2].isNaN && exps[3] == 1 && exps[4] == 1)
        #expect(exps[5] == .infinity && exps[6] == 0 && exps[7] == .infinity && exps[8] > 0 && exps[8] < 0x1p-140)
        #expect(
            tanh(x).scalars.enumerated().allSatisfy { i, y in
                i == 2 ? y.isNaN : y == [1, -1, 0, 0, -0.0, 1, -1, 1, -1][i]
            })
        #expect(tanh(x).scalars[4].sign == .minus)
        let sigmoids = sigmoid(x).scalars
        #expect(sigmoids[0] == 1 && sigmoids[1] == 0 && sigmoids[2].isNaN && sigmoids[3] == 0.5)
        #expect(sigmoids[5] == 1 && sigmoids[6] == 0 && sigmoids[7] == 1 && sigmoids[8] > 0 && sigmoids[8] < 0x1p-140)
        let softpluses = softplus(Tensor<Double>([inf, -inf, .nan, 1e300, -1e300, 800, -800])).scalars
        #expect(softpluses[0] == inf && softpluses[1] == 0 && softpluses[2].isNaN)
        #expect(softpluses[3] == 1e300 && softpluses[4] == 0 && softpluses[5] == 800 && softpluses[6] == 0)
        let logs = log(Tensor<Float>([0, -0.0, -1, .infinity, .nan, 1])).scalars
        #expect(logs[0] == -.infinity && logs[1] == -.infinity && logs[2].isNaN && logs[3] == .infinity)
        #expect(logs[4].isNaN && logs[5] == 0)
        #expect(sqrt(Tensor<Double>([-1, 0, inf])).scalars[0].isNaN && rsqrt(Tensor<Double>([0])).scalars == [inf])
        #expect(relu(Tensor<Float>([.nan])).scalars[0].isNaN)
        let signs = sign(Tensor<Double>([-3, -0.0, 0, 2, .nan, -inf])).scalars
        #expect(signs[0] == -1 && signs[1] == 0 && signs[1].sign == .minus && signs[2] == 0 && signs[3] == 1)
        #expect(signs[4].isNaN && signs[5] == -1)
        #expect(sign(Tensor<Int>([-7, 0, 9])).scalars == [-1, 0, 1])
        #expect(abs(Tensor<Int>([-7, 0, 9])).scalars == [7, 0, 9])
        #expect(abs(Tensor<Double>([-0.0, -inf])).scalars[0].sign == .plus)
    }

    @Test func maxAndMinPropagateNaN() {
        let a = Tensor<Double>([.nan, 1, 2, .nan])
        let b = Tensor<Double>([1, .nan, 1, .nan])
        #expect(max(a, b).scalars.map(\.isNaN) == [true, true, false, true])
        #expect(min(a, b).scalars.map(\.isNaN) == [true, true, false, true])
        #expect(max(a, 0).scalars.map(\.isNaN) == [true, false, false, true])
        #expect(max(Double.nan, b).scalars.allSatisfy { $0.isNaN })
        #expect(min(a, 0).scalars[1] == 0 && clamp(a, min: 0, max: 1).scalars[0].isNaN)
    }

    @Test func scalarCallsStillResolveToTheStandardFunctions() {
        // These must compile with Flux imported and give the plain scalar results.
        let two = 2.0
        let a: Double = sqrt(two)
        let b: Double = max(1.0, 2.0)
        let c: Int = min(3, 4)
        let d: Double = exp(1.0) + log(two) + pow(two, 3) + abs(-1.5) + tanh(0.0)
        let e: Float = max(Float(1), 2) + sqrt(Float(4)) + exp(Float(0))
        #expect(a == two.squareRoot() && b == 2 && c == 3)
        #expect(d == Foundation.exp(1.0) + Foundation.log(2.0) + 8 + 1.5)
        #expect(e == 5)
        // Mixed: a tensor and a literal choose the tensor overloads.
        let x = Tensor<Double>([1, 4])
        #expect(max(x, 2).scalars == [2, 4] && sqrt(x).scalars == [1, 2] && pow(x, 0.5).scalars == [1, 2])
    }

    @Test func clampWithInvertedBoundsStops() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = clamp(Tensor<Float>(zeros: [2, 3]), min: 1, max: 0)
        }
        #expect(r.standardError.contains("clamp: the lower bound 1.0 is not at most the upper bound 0.0"))
    }
}
