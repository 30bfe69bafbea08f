import Flux
import Foundation
import Testing

// Elementwise math, arithmetic with broadcasting, comparisons and selection on edge inputs:
// empty tensors (one with a huge extent), rank 0, extents of 1, and NaN, ±∞ and ±0. Each
// keeps the broadcast shape and gives IEEE 754's value, checked against libm in `Double`
// element by element, or stops through `fail` with a message naming the operation.

/// NaN wins, as in NumPy's `maximum` and `minimum`.
private func maximum(_ a: Double, _ b: Double) -> Double { a.isNaN || b.isNaN ? .nan : Swift.max(a, b) }
private func minimum(_ a: Double, _ b: Double) -> Double { a.isNaN || b.isNaN ? .nan : Swift.min(a, b) }

/// The elementwise functions of one tensor, each with its reference in `Double`.
private func unaryFunctions<T: TensorFloatingPoint>(
    _: T.Type
) -> [(String, (Tensor<T>) -> Tensor<T>, (Double) -> Double)] {
    [
        ("exp", exp, Foundation.exp), ("expm1", expm1, Foundation.expm1), ("log", log, Foundation.log),
        ("log1p", log1p, Foundation.log1p), ("sqrt", sqrt, Foundation.sqrt),
        ("rsqrt", rsqrt, { 1 / Foundation.sqrt($0) }),
        ("sin", sin, Foundation.sin), ("cos", cos, Foundation.cos), ("tanh", tanh, Foundation.tanh),
        ("erf", erf, Foundation.erf), ("sigmoid", sigmoid, { 1 / (1 + Foundation.exp(-$0)) }),
        ("softplus", softplus, { Foundation.log1p(Foundation.exp(-Swift.abs($0))) + ($0 > 0 ? $0 : 0) }),
        ("square", square, { $0 * $0 }), ("abs", abs, { Swift.abs($0) }),
        ("sign", sign, { $0 > 0 ? 1 : $0 < 0 ? -1 : $0 }), ("relu", relu, { $0 < 0 ? 0 : $0 }),
        ("negate", { -$0 }, { -$0 }), ("pow 3", { pow($0, 3) }, { Foundation.pow($0, 3) }),
        ("pow 2", { pow($0, 2) }, { $0 * $0 }), ("pow 0.5", { pow($0, 0.5) }, { Foundation.pow($0, 0.5) }),
        ("pow base", { pow(2, $0) }, { Foundation.pow(2, $0) }), ("max", { max($0, 0.5) }, { maximum($0, 0.5) }),
        ("min", { min(-0.5, $0) }, { minimum($0, -0.5) }),
        ("clamp", { clamp($0, min: -1, max: 2) }, { $0.isNaN ? .nan : Swift.min(Swift.max($0, -1), 2) }),
        ("+ s", { $0 + 1 }, { $0 + 1 }), ("s -", { 1 - $0 }, { 1 - $0 }), ("* s", { $0 * 2 }, { $0 * 2 }),
        ("/ s", { $0 / 4 }, { $0 / 4 }), ("s /", { 1 / $0 }, { 1 / $0 }),
    ]
}

/// The elementwise functions of two tensors that broadcast, each with its reference.
private func binaryFunctions<T: TensorFloatingPoint>(
    _: T.Type
) -> [(String, (Tensor<T>, Tensor<T>) -> Tensor<T>, (Double, Double) -> Double)] {
    [
        ("+", { $0 + $1 }, { $0 + $1 }), ("-", { $0 - $1 }, { $0 - $1 }), ("*", { $0 * $1 }, { $0 * $1 }),
        ("/", { $0 / $1 }, { $0 / $1 }), ("pow", { pow($0, $1) }, { Foundation.pow($0, $1) }),
        ("max", { max($0, $1) }, maximum), ("min", { min($0, $1) }, minimum),
    ]
}

/// Pairs of shapes at the edges and the shape they broadcast to.
private let broadcastPairs: [([Int], [Int], [Int])] = [
    ([], [], []), ([], [0], [0]), ([1], [0], [0]), ([0], [1], [0]), ([0, 1], [1, 0], [0, 0]),
    ([3, 0], [3, 1], [3, 0]), ([3, 1], [1, 0], [3, 0]), ([0, 3], [3], [0, 3]), ([1, 1, 1], [2, 1, 3], [2, 1, 3]),
    ([2, 1, 3], [1], [2, 1, 3]), ([3], [2, 1, 1], [2, 1, 3]), ([1 << 40, 0], [1, 1], [1 << 40, 0]),
    ([0], [1 << 40, 0], [1 << 40, 0]),
]

@Suite struct EdgeInputMathSweepTests {
    @Test func floatFunctionsOnEdgeShapesAndSpecialValues() {
        expectElementwiseSweep(unaryFunctions(Float.self), tolerance: 3e-7)
    }

    @Test func doubleFunctionsOnEdgeShapesAndSpecialValues() {
        expectElementwiseSweep(unaryFunctions(Double.self), tolerance: 1e-14)
    }

    func expectBinaryFunctions<T: TensorFloatingPoint>(_ type: T.Type, tolerance: Double) {
        for (name, f, reference) in binaryFunctions(type) {
            for (sa, sb, expected) in broadcastPairs {
                let (a, b): (Tensor<T>, Tensor<T>) = (specialTensor(sa), specialTensor(sb, offset: 5))
                for (lhs, rhs) in [(a, b), (b, a)] {
                    let y = f(lhs, rhs)
                    #expect(y.shape == expected, "\(name) \(lhs.shape), \(rhs.shape)")
                    guard y.shape == expected else { continue }
                    let (x1, x2) = (lhs.broadcast(to: expected).scalars, rhs.broadcast(to: expected).scalars)
                    for i in 0..<y.count
                    where !agrees(y.scalars[i], reference(Double(x1[i]), Double(x2[i])), tolerance: tolerance) {
                        Issue.record(
                            "\(name)(\(x1[i]), \(x2[i])) = \(y.scalars[i]) (shapes \(lhs.shape), \(rhs.shape))")
                    }
                }
            }
        }
    }

    @Test func floatArithmeticBroadcastsEdgeShapes() { expectBinaryFunctions(Float.self, tolerance: 3e-7) }

    @Test func doubleArithmeticBroadcastsEdgeShapes() { expectBinaryFunctions(Double.self, tolerance: 1e-15) }

    /// The compound assignments write in place into the left operand's shape, an empty one included.
    @Test func compoundAssignmentsOnEdgeShapes() {
        for (sa, sb, expected) in broadcastPairs where expected == sa {
            let (a, b): (Tensor<Float>, Tensor<Float>) = (specialTensor(sa), specialTensor(sb, offset: 3))
            var (sum, difference, product, quotient) = (a, a, a, a)
            sum += b
            difference -= b
            product *= b
            quotient /= b
            #expect(sum.isApproximatelyEqual(to: a + b, equalNaNs: true), "+= \(sa) \(sb)")
            #expect(difference.isApproximatelyEqual(to: a - b, equalNaNs: true), "-= \(sa) \(sb)")
            #expect(product.isApproximatelyEqual(to: a * b, equalNaNs: true), "*= \(sa) \(sb)")
            #expect(quotient.isApproximatelyEqual(to: a / b, equalNaNs: true), "/= \(sa) \(sb)")
        }
        var e = Tensor<Int>(zeros: [0, 3])
        e += Tensor<Int>([1, 2, 3])
        e *= Tensor<Int>(5)
        e /= 2
        e.mapInPlace { $0 + 1 }
        e.zipInPlace(Tensor<Int>([[1, 2, 3]])) { $0 * $1 }
        #expect(e.shape == [0, 3] && e.map { Double($0) }.shape == [0, 3])
        #expect(e.zip(Tensor<Bool>(true)) { $1 ? $0 : 0 }.shape == [0, 3])
        let nothing = Tensor<Float>(zeros: [1 << 40, 0])
        #expect(
            nothing.isApproximatelyEqual(to: nothing) && !nothing.isApproximatelyEqual(to: Tensor(zeros: [0, 1 << 40])))
    }

    @Test func integerArithmeticOnEdgeShapes() {
        for (sa, sb, expected) in broadcastPairs {
            let count = { (s: [Int]) in s.contains(0) ? 0 : s.reduce(1, *) }
            let a = Tensor<Int>(shape: sa, scalars: (0..<count(sa)).map { Int.max - $0 })
            let b = Tensor<Int>(shape: sb, scalars: (0..<count(sb)).map { $0 + 1 })
            for (name, y) in [("+", a + b), ("-", a - b), ("*", a * b), ("/", a / b), ("%", a % b), ("max", max(a, b))]
            {
                #expect(y.shape == expected, "\(name) \(sa) \(sb)")
            }
            let (x1, x2) = (a.broadcast(to: expected).scalars, b.broadcast(to: expected).scalars)
            #expect((a + b).scalars == zip(x1, x2).map { $0 &+ $1 }, "+ wraps \(sa) \(sb)")
            #expect((a / b).scalars == zip(x1, x2).map { $0 / $1 }, "/ \(sa) \(sb)")
        }
    }

    /// Every comparison with NaN is false except `.!=`; the masks of NaN and ±∞ are IEEE's.
    @Test func comparisonsAndMasksOnSpecialValues() {
        let x: Tensor<Double> = specialVector()
        let y: Tensor<Double> = specialTensor([specialValues.count], offset: 1)
        let pairs = zip(x.scalars, y.scalars)
        #expect((x .< y).scalars == pairs.map { $0 < $1 } && (x .<= y).scalars == pairs.map { $0 <= $1 })
        #expect((x .> y).scalars == pairs.map { $0 > $1 } && (x .>= y).scalars == pairs.map { $0 >= $1 })
        #expect((x .== y).scalars == pairs.map { $0 == $1 } && (x .!= y).scalars == pairs.map { $0 != $1 })
        #expect((x .== x).scalars == x.scalars.map { !$0.isNaN }, "NaN is not equal to itself")
        #expect((x .!= .nan).all() && !(x .== .nan).any() && !(Double.nan .< x).any())
        #expect(x.isNaN.scalars == specialValues.map(\.isNaN))
        #expect(x.isFinite.scalars == specialValues.map(\.isFinite))
        #expect(x.isInfinite.scalars == specialValues.map(\.isInfinite))
        #expect(x.replacing(with: 0, where: x.isNaN .| x.isInfinite).isFinite.all())
        #expect(select(x .>= 0, x, -x).scalars.dropFirst().allSatisfy { $0 >= 0 }, "|x| by select, NaN first")
    }

    @Test func comparisonsAndSelectionOnEdgeShapes() {
        for (sa, sb, expected) in broadcastPairs {
            let (a, b): (Tensor<Float>, Tensor<Float>) = (specialTensor(sa), specialTensor(sb, offset: 5))
            for (name, mask) in [("<", a .< b), ("==", a .== b), (">=", b .>= a), ("!=", a .!= b)] {
                #expect(mask.shape == expected, "\(name) \(sa) \(sb)")
            }
            let mask = a .< b
            #expect((mask .& (a .== a)).shape == expected && (.!mask .| mask).all() && !(mask .^ mask).any())
            let chosen = select(mask, a, b)
            let (m, x1, x2) = (mask.scalars, a.broadcast(to: expected).scalars, b.broadcast(to: expected).scalars)
            #expect(chosen.shape == expected, "select \(sa) \(sb)")
            #expect(
                chosen.isApproximatelyEqual(
                    to: Tensor(shape: expected, scalars: (0..<m.count).map { m[$0] ? x1[$0] : x2[$0] }), equalNaNs: true
                ),
                "select \(sa) \(sb)")
            #expect(a.replacing(with: b, where: mask).shape == expected && select(mask, 1, 0).shape == expected)
        }
        let none = Tensor<Bool>(shape: [1 << 40, 0], repeating: true)
        #expect(!none.any() && none.all() && (.!none).shape == [1 << 40, 0], "empty masks: any false, all true")
        #expect(select(none, Tensor<Float>(1), Tensor<Float>(2)).shape == [1 << 40, 0])
        #expect(Tensor<Float>(Tensor<Bool>(shape: [0, 2], repeating: true)).shape == [0, 2])
        #expect(Tensor<Double>(Tensor<Int>(zeros: [3, 0])).shape == [3, 0])
        #expect(Tensor<Float>(specialVector() as Tensor<Double>).isNaN.scalars == specialValues.map(\.isNaN))
    }

    @Test func arithmeticStopsNamingTheOperation() async {
        var r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(zeros: [0]) + Tensor<Float>(zeros: [2])
        }
        #expect(stopped(r, naming: "add: shapes [0] and [2] cannot be broadcast together"))
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = pow(Tensor<Double>(zeros: [0, 2]), Tensor<Double>(zeros: [3]))
        }
        #expect(stopped(r, naming: "pow"))
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = max(Tensor<Float>(zeros: [1 << 40, 0]), Tensor<Float>(zeros: [2, 1]))
        }
        #expect(stopped(r, naming: "max"))
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            var a = Tensor<Float>(zeros: [0])
            a += Tensor<Float>(zeros: [2, 0])
        }
        #expect(stopped(r, naming: "add: shape [2, 0] cannot be broadcast into [0] in place"))
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Int>(zeros: [3, 1]) / Tensor<Int>(zeros: [1, 0, 2])
        }
        #expect(stopped(r, naming: "divide"))
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Int32>(7) % Tensor<Int32>([1, 0])
        }
        #expect(stopped(r, naming: "remainder: [] % [2]: division by zero"))
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = clamp(Tensor<Float>(zeros: [0]), min: 1, max: .nan)
        }
        #expect(stopped(r, naming: "clamp"))
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(zeros: [0, 2]) .< Tensor<Float>(zeros: [3])
        }
        #expect(stopped(r, naming: ".<"))
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = select(Tensor<Bool>(shape: [0], repeating: true), Tensor<Float>(zeros: [2]), Tensor<Float>(1))
        }
        #expect(stopped(r, naming: "select"))
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(zeros: [2]).zip(Tensor<Float>(zeros: [0, 3]), operation: "blend") { $0 + $1 }
        }
        #expect(stopped(r, naming: "blend"))
    }
}
