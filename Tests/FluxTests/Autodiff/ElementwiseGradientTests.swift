import Flux
import FluxTesting
import Testing

/// A scalar from any tensor: a fixed random projection, so every output element matters.
private func projected(_ f: @escaping ([Tensor<Double>]) -> Tensor<Double>, shape: [Int], seed: UInt64)
    -> ([Tensor<Double>]) -> Tensor<Double>
{
    var rng = RandomGenerator(seed: seed)
    let r = Tensor<Double>(randomNormal: shape, using: &rng)
    return { (f($0) * r).sum() }
}

private let tolerance = 1e-6

@Suite struct ElementwiseGradientTests {
    @Test(arguments: 0..<12)
    func broadcastingArithmetic(seed: Int) {
        var gen = PropertyGenerator(seed: UInt64(seed))
        let (sa, sb) = gen.broadcastableShapes()
        let a = gen.tensor(sa)
        let b = gen.tensor(sb).map { $0 < 0 ? $0 - 0.5 : $0 + 0.5 }  // away from 0 for division
        let out = (a + b).shape
        let functions: [(String, ([Tensor<Double>]) -> Tensor<Double>)] = [
            ("+", { $0[0] + $0[1] }), ("-", { $0[0] - $0[1] }), ("*", { $0[0] * $0[1] }), ("/", { $0[0] / $0[1] }),
            ("max", { max($0[0], $0[1]) }), ("min", { min($0[0], $0[1]) }),
            ("select", { select($0[0] .> 0, $0[0], $0[1]) }),
            ("reused", { $0[0] * $0[0] + $0[1] * $0[0] - $0[1] }),
        ]
        for (name, f) in functions {
            let result = checkGradient(of: projected(f, shape: out, seed: UInt64(seed)), at: [a, b])
            #expect(result.worstRelativeError < tolerance, "\(name) \(sa) \(sb): \(result)")
        }
    }

    @Test(arguments: 0..<6)
    func unaryFunctions(seed: Int) {
        var gen = PropertyGenerator(seed: UInt64(100 + seed))
        let shape = gen.shape(rank: 0...3)
        let x = gen.tensorAwayFromZero(shape, gap: 0.2)
        let positive = gen.tensor(shape, in: 0.2..<3)
        let functions: [(String, Tensor<Double>, (Tensor<Double>) -> Tensor<Double>)] = [
            ("exp", x, exp), ("expm1", x, expm1), ("log", positive, log), ("log1p", positive, log1p),
            ("sqrt", positive, sqrt), ("rsqrt", positive, rsqrt), ("sin", x, sin), ("cos", x, cos),
            ("tanh", x, tanh), ("erf", x, erf), ("sigmoid", x, sigmoid), ("softplus", x, softplus),
            ("square", x, square), ("abs", x, abs), ("relu", x, relu), ("sign·x", x, { sign($0) * $0 }),
            ("pow 3", x, { pow($0, 3) }), ("pow 2", x, { pow($0, 2) }), ("pow tensor", positive, { pow($0, $0) }),
            ("2^x", x, { pow(2, $0) }), ("clamp", x, { clamp($0, min: -0.5, max: 0.5) }),
            ("max 0.1", x, { max($0, 0.1) }), ("scalar ops", x, { 3 - (2 * $0 + 1) / 4 * $0 - 1 / ($0 * $0 + 1) }),
            ("negate", x, { -$0 }),
        ]
        for (name, input, f) in functions {
            let result = checkGradient(of: projected({ f($0[0]) }, shape: shape, seed: UInt64(seed)), at: [input])
            #expect(result.worstRelativeError < tolerance, "\(name) \(shape): \(result)")
        }
    }

    @Test(arguments: 0..<10)
    func reductions(seed: Int) {
        var gen = PropertyGenerator(seed: UInt64(200 + seed))
        let shape = gen.shape(rank: 1...4)
        let x = gen.tensor(shape)
        let axes = (0..<shape.count).filter { _ in Bool.random(using: &gen.random) }
        let keep = Bool.random(using: &gen.random)
        let out = x.sum(alongAxes: axes, keepingDimensions: keep).shape
        let functions: [(String, ([Tensor<Double>]) -> Tensor<Double>)] = [
            ("sum", { $0[0].sum(alongAxes: axes, keepingDimensions: keep) }),
            ("mean", { $0[0].mean(alongAxes: axes, keepingDimensions: keep) }),
            ("max", { $0[0].max(alongAxes: axes, keepingDimensions: keep) }),
            ("min", { $0[0].min(alongAxes: axes, keepingDimensions: keep) }),
            ("variance", { $0[0].variance(alongAxes: axes, correction: 0, keepingDimensions: keep) }),
            ("logSumExp", { $0[0].logSumExp(alongAxes: axes, keepingDimensions: keep) }),
        ]
        for (name, f) in functions {
            let result = checkGradient(of: projected(f, shape: out, seed: UInt64(seed)), at: [x])
            #expect(result.worstRelativeError < tolerance, "\(name) \(shape) axes \(axes): \(result)")
        }
        let whole = checkGradient(of: { $0[0].sum(toShape: [shape.last!]).max() * 2 }, at: [x])
        #expect(whole.worstRelativeError < tolerance, "\(whole)")
    }

    @Test func maxSharesTheGradientAmongTies() {
        let g = gradient(at: Tensor<Double>([1, 3, 3, 2])) { $0.max() }
        #expect(g.scalars == [0, 0.5, 0.5, 0])
    }

    @Test func customPullbackAndStopGradient() {
        let clipped = differentiable { (x: Tensor<Double>) in
            (value: x * 1, pullback: { g in clamp(g, min: -1, max: 1) })
        }
        let x = Tensor<Double>([1, 2])
        #expect(gradient(at: x) { (clipped($0) * 5).sum() }.scalars == [1, 1])
        #expect(gradient(at: x) { ($0 * withoutDerivative(at: $0)).sum() }.scalars == [1, 2])
        let pair = differentiable { (a: Tensor<Double>, b: Tensor<Double>) in
            (value: a * b, pullback: { g in (g * b, g * a) })
        }
        let (ga, gb) = gradient(at: x, Tensor<Double>([3, 4])) { pair($0, $1).sum() }
        #expect(ga.scalars == [3, 4] && gb.scalars == [1, 2])
    }

    @Test func vectorJacobianProduct() {
        let x = Tensor<Double>([1, 2, 3])
        let (value, pullback) = valueWithPullback(at: x) { $0 * $0 }
        #expect(value.scalars == [1, 4, 9])
        #expect(pullback(Tensor([1, 0, 1])).scalars == [2, 0, 6])
        #expect(pullback(Tensor([0, 1, 0])).scalars == [0, 4, 0])
        let check = checkPullback(of: { tanh($0[0] * $0[1]) }, at: [x, Tensor([0.1, -0.2, 0.3])])
        #expect(check.worstRelativeError < tolerance, "\(check)")
    }

    @Test func nonDifferentiableResultIsRefused() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = gradient(at: Tensor<Double>([1, 5, 2])) { x in Tensor<Double>(x.argmax(alongAxis: 0)) }
        }
        #expect(r.standardError.contains("does not depend differentiably on the arguments"))
        let s = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = gradient(at: Tensor<Double>([1, 5, 2])) { x in x * 2 }
        }
        #expect(s.standardError.contains("valueWithGradient: the function returned shape [3]"))
    }

    @Test func threadsTakeGradientsIndependently() async {
        let results = await withTaskGroup(of: Double.self) { group in
            for k in 1...8 {
                group.addTask {
                    let x = Tensor<Double>(shape: [100], repeating: Double(k))
                    return gradient(at: x) { ($0 * $0).sum() }.sum().scalar
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.sorted() == (1...8).map { 200 * Double($0) })
    }
}
