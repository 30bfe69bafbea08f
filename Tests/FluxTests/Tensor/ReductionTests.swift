import Flux
import Testing

/// Reference reduction in Double by brute force over every index.
private func naiveReduce(
    _ x: Tensor<Double>, axes: Set<Int>, _ combine: ([Double]) -> Double
) -> (shape: [Int], values: [Double]) {
    let shape = x.shape
    let outShape = shape.enumerated().map { axes.contains($0.offset) ? 1 : $0.element }
    var groups = [[Double]](repeating: [], count: outShape.reduce(1, *))
    let values = x.scalars
    for flat in 0..<values.count {
        var rest = flat
        var index = [Int](repeating: 0, count: shape.count)
        for a in stride(from: shape.count - 1, through: 0, by: -1) {
            index[a] = rest % shape[a]
            rest /= shape[a]
        }
        var out = 0
        for a in 0..<shape.count { out = out * outShape[a] + (axes.contains(a) ? 0 : index[a]) }
        groups[out].append(values[flat])
    }
    return (outShape, groups.map(combine))
}

@Suite struct ReductionTests {
    @Test(arguments: 0..<30)
    func everyAxisSubsetAgreesWithBruteForce(seed: Int) {
        var rng = RandomGenerator(seed: UInt64(seed))
        let rank = Int.random(in: 0...4, using: &rng)
        let shape = (0..<rank).map { _ in Int.random(in: 1...4, using: &rng) }
        let x = Tensor<Double>(randomNormal: shape, using: &rng)
        let axes = (0..<rank).filter { _ in Bool.random(using: &rng) }
        let keep = Bool.random(using: &rng)
        let negative = axes.map { $0 - rank }  // negative axes name the same ones
        let checks: [(Tensor<Double>, ([Double]) -> Double)] = [
            (x.sum(alongAxes: negative, keepingDimensions: true), { $0.reduce(0, +) }),
            (x.max(alongAxes: axes, keepingDimensions: true), { $0.max()! }),
            (x.min(alongAxes: axes, keepingDimensions: true), { $0.min()! }),
            (x.mean(alongAxes: axes, keepingDimensions: true), { $0.reduce(0, +) / Double($0.count) }),
            (
                x.variance(alongAxes: axes, correction: 0, keepingDimensions: true),
                { v in
                    let m = v.reduce(0, +) / Double(v.count)
                    return v.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(v.count)
                }
            ),
            (
                x.logSumExp(alongAxes: axes, keepingDimensions: true),
                { v in Foundation_log(v.map { Foundation_exp($0) }.reduce(0, +)) }
            ),
        ]
        for (got, reference) in checks {
            let expected = naiveReduce(x, axes: Set(axes), reference)
            #expect(got.shape == expected.shape)
            for (a, b) in zip(got.scalars, expected.values) { #expect(abs(a - b) < 1e-12 * (1 + abs(b))) }
        }
        let dropped = x.sum(alongAxes: axes, keepingDimensions: keep)
        let expectedShape =
            keep
            ? shape.enumerated().map { axes.contains($0.offset) ? 1 : $0.element }
            : shape.enumerated().filter { !axes.contains($0.offset) }.map(\.element)
        #expect(dropped.shape == expectedShape)
    }

    @Test func wholeTensorReductionsAndArgs() {
        let x: Tensor<Float> = [[3, 7, 7], [-1, 0, 2]]
        #expect(x.sum().scalar == 18)
        #expect(x.sum().shape == [])
        #expect(x.max().scalar == 7)
        #expect(x.min().scalar == -1)
        #expect(x.argmax() == 1)  // first of the tie
        #expect(x.argmin() == 3)
        #expect(x.argmax(alongAxis: 1) == Tensor<Int>([1, 2]))
        #expect(x.argmin(alongAxis: 0) == Tensor<Int>([1, 1, 1]))
        #expect(x.argmax(alongAxis: -2).shape == [3])
        #expect(Tensor<Int>([[1, 2], [3, 4]]).sum(alongAxes: 0) == Tensor<Int>([4, 6]))
        #expect(Tensor<Float>([1, .nan, 3]).argmax() == 1)
        #expect(Tensor<Float>([1, .nan, 3]).max().scalar.isNaN)
    }

    @Test func emptyReductions() {
        #expect(Tensor<Float>(zeros: [0, 3]).sum(alongAxes: 0) == Tensor<Float>(zeros: [3]))
        #expect(Tensor<Float>(zeros: [0]).sum().scalar == 0)
        #expect(Tensor<Double>(zeros: [0]).mean().scalar.isNaN)
    }

    @Test func sampleVarianceAndStandardDeviation() {
        let x = Tensor<Double>([1, 2, 3, 4])
        #expect(x.variance().scalar == 1.25)
        #expect(x.variance(correction: 1).scalar == 5.0 / 3)
        #expect(x.standardDeviation(alongAxes: [0]).scalar == 1.25.squareRoot())
    }

    /// With no degrees of freedom left the divisor is 0, as in PyTorch: `inf`, or NaN for
    /// zero deviations; before, `n - correction < 0` gave a negative variance.
    @Test func varianceWithoutDegreesOfFreedomIsInfiniteOrNaN() {
        let x = Tensor<Double>([1, 2, 3, 4])
        #expect(x.variance(correction: 3).scalar == 5.0)
        #expect(x.variance(correction: 4).scalar == .infinity)
        #expect(x.variance(correction: 5).scalar == .infinity)
        #expect(x.variance(correction: Int.max).scalar == .infinity)
        #expect(x.variance(correction: Int.min).scalar >= 0)
        #expect(Tensor<Float>([7]).variance(correction: 1).scalar.isNaN)
        #expect(Tensor<Float>([7, 7]).variance(correction: 2).scalar.isNaN)
        #expect(x.standardDeviation(alongAxes: [0], correction: 9).scalar == .infinity)
        let m = Tensor<Float>([[1, 3], [5, 5]])
        let v = m.variance(alongAxes: [1], correction: 2)
        #expect(v.scalars[0] == .infinity && v.scalars[1].isNaN)
        #expect(m.variance(alongAxes: [0, 1], correction: 3).scalar == 11)
    }

    @Test func logSumExpIsStable() {
        let x = Tensor<Float>([[1000, 1000], [-1000, -1000]])
        let l = x.logSumExp(alongAxes: [1])
        #expect(abs(l.scalars[0] - (1000 + 0.6931472)) < 1e-3)
        #expect(abs(l.scalars[1] - (-1000 + 0.6931472)) < 1e-3)
        let inf = Float.infinity
        let special = Tensor<Float>(shape: [3, 2], scalars: [-inf, -inf, inf, 0, -inf, 0]).logSumExp(alongAxes: [1])
        #expect(special.scalars == [-inf, inf, 0])
    }

    @Test func largeFloatSumIsAccurate() {
        var rng = RandomGenerator(seed: 5)
        let x = Tensor<Float>(randomUniform: [1 << 22], using: &rng)
        let exact = x.scalars.reduce(0.0) { $0 + Double($1) }
        #expect(abs(Double(x.sum().scalar) - exact) / exact < 1e-6)
    }

    @Test func sumToShapeIsTheAdjointOfBroadcast() {
        var rng = RandomGenerator(seed: 6)
        for (small, big) in [
            ([3], [2, 3]), ([2, 1], [2, 3]), ([1, 3], [4, 2, 3]), ([], [2, 2]), ([4, 1, 1], [4, 5, 6]),
        ] {
            let g = Tensor<Double>(randomNormal: big, using: &rng)
            let s = g.sum(toShape: small)
            #expect(s.shape == small)
            // <broadcast(v), g> == <v, sum(toShape: g)> for any v.
            let v = Tensor<Double>(randomNormal: small, using: &rng)
            let lhs = (v.broadcast(to: big) * g).sum().scalar
            let rhs = (v * s).sum().scalar
            #expect(abs(lhs - rhs) < 1e-10)
        }
    }

    @Test func badAxesStopWithTheShape() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(zeros: [2, 3]).sum(alongAxes: 2)
        }
        #expect(r.standardError.contains("sum: axis 2 is out of range for shape [2, 3]"))
        let s = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(zeros: [2, 3]).sum(alongAxes: 1, -1)
        }
        #expect(s.standardError.contains("sum: axis 1 is given twice for shape [2, 3]"))
        let t = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(zeros: [0, 3]).max(alongAxes: 0)
        }
        #expect(t.standardError.contains("max: cannot reduce the empty axis 0 of shape [0, 3]"))
    }
}

private func Foundation_exp(_ x: Double) -> Double { Double.exp(x) }
private func Foundation_log(_ x: Double) -> Double { Double.log(x) }
