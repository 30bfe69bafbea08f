import Flux
import Testing

/// `op(a)·op(b)` by the textbook triple loop, in `Double`, for rank-2 or rank-3 operands
/// (a batch extent of 1 broadcasts).
private func naiveMatmul<S: TensorFloatingPoint>(
    _ a: Tensor<S>, _ b: Tensor<S>, transposeA: Bool, transposeB: Bool
) -> (shape: [Int], values: [Double], scale: [Double]) {
    let a3 = a.rank == 2 ? [1] + a.shape : a.shape
    let b3 = b.rank == 2 ? [1] + b.shape : b.shape
    let (m, k) = transposeA ? (a3[2], a3[1]) : (a3[1], a3[2])
    let n = transposeB ? b3[1] : b3[2]
    let batch = max(a3[0], b3[0])
    let (x, y) = (a.scalars.map(Double.init), b.scalars.map(Double.init))
    var values: [Double] = []
    var scale: [Double] = []
    for t in 0..<batch {
        let (oa, ob) = (a3[0] == 1 ? 0 : t * a3[1] * a3[2], b3[0] == 1 ? 0 : t * b3[1] * b3[2])
        for i in 0..<m {
            for j in 0..<n {
                var s = 0.0
                var sAbs = 0.0
                for p in 0..<k {
                    let u = x[oa + (transposeA ? p * m + i : i * k + p)]
                    let v = y[ob + (transposeB ? j * k + p : p * n + j)]
                    s += u * v
                    sAbs += abs(u * v)
                }
                values.append(s)
                scale.append(sAbs)
            }
        }
    }
    let shape = a.rank == 3 || b.rank == 3 ? [batch, m, n] : [m, n]
    return (shape, values, scale)
}

private func checkAgainstNaive<S: TensorFloatingPoint>(
    _: S.Type, seed: UInt64, batched: Bool, tolerance: Double
) {
    var rng = RandomGenerator(seed: seed)
    for _ in 0..<40 {
        let (m, n, k) = (
            Int.random(in: 1...9, using: &rng), Int.random(in: 1...9, using: &rng),
            Int.random(in: 1...9, using: &rng)
        )
        let (ta, tb) = (Bool.random(using: &rng), Bool.random(using: &rng))
        var aShape = ta ? [k, m] : [m, k]
        var bShape = tb ? [n, k] : [k, n]
        if batched {
            let batch = Int.random(in: 1...4, using: &rng)
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: aShape = [batch] + aShape; bShape = [batch] + bShape
            case 1: aShape = [batch] + aShape; bShape = [1] + bShape
            case 2: aShape = [batch] + aShape
            default: bShape = [batch] + bShape
            }
        }
        let a = Tensor<S>(randomNormal: aShape, using: &rng)
        let b = Tensor<S>(randomNormal: bShape, using: &rng)
        let c = matmul(a, b, transposeA: ta, transposeB: tb)
        let expected = naiveMatmul(a, b, transposeA: ta, transposeB: tb)
        #expect(c.shape == expected.shape, "\(aShape) \(ta) × \(bShape) \(tb)")
        for (i, got) in c.scalars.enumerated() {
            let err = abs(Double(got) - expected.values[i])
            #expect(err <= tolerance * (expected.scale[i] + 1), "\(aShape) × \(bShape) at \(i)")
        }
    }
}

@Suite struct MatMulTests {
    @Test(arguments: [1, 2, 3] as [UInt64])
    func matricesAgreeWithTripleLoop(seed: UInt64) {
        checkAgainstNaive(Float.self, seed: seed, batched: false, tolerance: 1e-6)
        checkAgainstNaive(Double.self, seed: seed, batched: false, tolerance: 1e-14)
    }

    @Test(arguments: [4, 5, 6] as [UInt64])
    func batchesAgreeWithTripleLoop(seed: UInt64) {
        checkAgainstNaive(Float.self, seed: seed, batched: true, tolerance: 1e-6)
        checkAgainstNaive(Double.self, seed: seed, batched: true, tolerance: 1e-14)
    }

    @Test func rowAndColumnShapes() {
        var rng = RandomGenerator(seed: 9)
        for (m, k, n) in [(1, 7, 1), (1, 5, 9), (9, 5, 1), (1, 1, 1), (6, 1, 4), (33, 65, 17)] {
            let a = Tensor<Double>(randomNormal: [m, k], using: &rng)
            let b = Tensor<Double>(randomNormal: [k, n], using: &rng)
            let expected = naiveMatmul(a, b, transposeA: false, transposeB: false)
            let c = matmul(a, b)
            #expect(c.shape == [m, n])
            for (x, y) in Swift.zip(c.scalars, expected.values) { #expect(abs(x - y) < 1e-12) }
        }
    }

    @Test func vectorsAreRowsOnTheLeftAndColumnsOnTheRight() {
        let m: Tensor<Float> = [[1, 2], [3, 4], [5, 6]]
        #expect(matmul(m, Tensor<Float>([1, 1])).scalars == [3, 7, 11])
        #expect(matmul(Tensor<Float>([1, 0, 1]), m).scalars == [6, 8])
        #expect(matmul(Tensor<Float>([1, 2]), Tensor<Float>([3, 4])).shape == [])
        #expect(dot(Tensor<Double>([1, 2, 3]), Tensor<Double>([4, 5, 6])) == 32)
        let o = outer(Tensor<Float>([1, 2]), Tensor<Float>([3, 4, 5]))
        #expect(o == Tensor<Float>([[3, 4, 5], [6, 8, 10]]))
    }

    @Test func emptyInnerDimensionGivesZeros() {
        let c = matmul(Tensor<Float>(zeros: [2, 0]), Tensor<Float>(zeros: [0, 3]))
        #expect(c == Tensor<Float>(zeros: [2, 3]))
        #expect(matmul(Tensor<Float>(zeros: [0, 4]), Tensor<Float>(zeros: [4, 3])).shape == [0, 3])
    }

    @Test func innerDimensionMismatchNamesBothShapes() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = matmul(Tensor<Float>(zeros: [3, 4]), Tensor<Float>(zeros: [5, 2]))
        }
        #expect(r.standardError.contains("matmul: [3, 4] × [5, 2]: inner dimensions 4 and 5 differ"))
    }

    @Test func transposedMismatchShowsTheFlag() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = matmul(Tensor<Float>(zeros: [3, 4]), Tensor<Float>(zeros: [4, 2]), transposeA: true)
        }
        #expect(r.standardError.contains("matmul: [3, 4]ᵀ × [4, 2]: inner dimensions 3 and 4 differ"))
    }

    @Test func batchMismatchAndRankAreReported() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = matmul(Tensor<Float>(zeros: [2, 3, 4]), Tensor<Float>(zeros: [3, 4, 2]))
        }
        #expect(r.standardError.contains("batch sizes 2 and 3 differ"))
        let s = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = matmul(Tensor<Float>(zeros: [1, 2, 3, 4]), Tensor<Float>(zeros: [4, 2]))
        }
        #expect(s.standardError.contains("operands must have rank 1, 2 or 3"))
        let t = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = dot(Tensor<Float>(zeros: [3]), Tensor<Float>(zeros: [4]))
        }
        #expect(t.standardError.contains("dot: [3] · [4]"))
    }
}
