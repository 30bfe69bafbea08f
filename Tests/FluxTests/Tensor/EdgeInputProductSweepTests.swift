import Flux
import Testing

// Matrix products on edge inputs: zero rows, columns or inner extent, empty batches against
// shared operands, vectors of length 0 and 1, and NaN and ±∞. BLAS is never called with an
// extent of 0 (its leading dimensions must be at least 1); an empty inner extent gives the
// empty sum, 0, and an empty batch an empty result. Values are checked against a naive
// triple loop in `Double`.

/// `a · b` for row-major `[m, k]` and `[k, n]` matrices, by the definition.
private func naiveProduct(_ a: [Double], _ b: [Double], m: Int, k: Int, n: Int) -> [Double] {
    var c = [Double](repeating: 0, count: m * n)
    for i in 0..<m {
        for j in 0..<n {
            for l in 0..<k { c[i * n + j] += a[i * k + l] * b[l * n + j] }
        }
    }
    return c
}

/// A matrix of `shape` with small integers (exact in any order of summation).
private func counting(_ shape: [Int], from start: Int = 0) -> Tensor<Double> {
    let count = shape.contains(0) ? 0 : shape.reduce(1, *)
    return Tensor(shape: shape, scalars: (0..<count).map { Double(($0 + start) % 7 - 3) })
}

@Suite struct EdgeInputProductSweepTests {
    /// Every combination of extents 0, 1 and 3, with and without each transpose.
    @Test func matrixProductsWithZeroExtents() {
        for m in [0, 1, 3] {
            for k in [0, 1, 3] {
                for n in [0, 1, 3] {
                    let (a, b) = (counting([m, k]), counting([k, n], from: 2))
                    let expected = Tensor(shape: [m, n], scalars: naiveProduct(a.scalars, b.scalars, m: m, k: k, n: n))
                    for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
                        let y = matmul(ta ? a.transposed() : a, tb ? b.transposed() : b, transposeA: ta, transposeB: tb)
                        #expect(y == expected, "[\(m), \(k)] × [\(k), \(n)] transposes \(ta) \(tb)")
                        let single = matmul(
                            Tensor<Float>(ta ? a.transposed() : a), Tensor<Float>(tb ? b.transposed() : b),
                            transposeA: ta, transposeB: tb)
                        #expect(single == Tensor<Float>(expected), "Float [\(m), \(k)] × [\(k), \(n)]")
                    }
                    let bias = counting([n], from: 5)
                    let affineExpected = expected + bias
                    #expect(affine(a, b, bias) == affineExpected, "affine [\(m), \(k)] · [\(k), \(n)]")
                    #expect(affine(a.reshaped(to: [1, m, k]), b, bias) == affineExpected.reshaped(to: [1, m, n]))
                }
            }
        }
    }

    @Test func batchedProductsWithEmptyAndSharedBatches() {
        let cases: [([Int], [Int], [Int])] = [
            ([0, 2, 3], [3, 4], [0, 2, 4]), ([2, 3], [0, 3, 4], [0, 2, 4]), ([0, 2, 3], [1, 3, 4], [0, 2, 4]),
            ([1, 2, 3], [0, 3, 4], [0, 2, 4]), ([0, 2, 3], [0, 3, 4], [0, 2, 4]), ([2, 0, 3], [2, 3, 4], [2, 0, 4]),
            ([2, 2, 0], [1, 0, 4], [2, 2, 4]), ([1, 2, 0], [3, 0, 4], [3, 2, 4]),
            ([1 << 40, 0, 3], [3, 0], [1 << 40, 0, 0]),
            ([0], [0, 0, 4], [0, 4]), ([3], [0, 3, 2], [0, 2]), ([0, 2, 3], [3], [0, 2]),
        ]
        for (sa, sb, expected) in cases {
            let (a, b) = (counting(sa), counting(sb, from: 1))
            let y = matmul(a, b)
            #expect(y.shape == expected, "\(sa) × \(sb)")
            guard y.count > 0, sa.count == 3, sb.count >= 2 else { continue }
            // Each batch element against the naive product, a batch extent of 1 shared.
            let (m, k, n) = (sa[1], sa[2], sb[sb.count - 1])
            for i in 0..<expected[0] {
                let ai = a[sa[0] == 1 ? 0 : i]
                let bi = sb.count == 3 ? b[sb[0] == 1 ? 0 : i] : b
                #expect(y[i].scalars == naiveProduct(ai.scalars, bi.scalars, m: m, k: k, n: n), "\(sa) × \(sb) at \(i)")
            }
        }
    }

    @Test func vectorProductsAtTheEdges() {
        let empty = Tensor<Double>(zeros: [0])
        #expect(dot(empty, empty) == 0 && dot(Tensor<Double>([2]), Tensor<Double>([-3])) == -6)
        #expect(matmul(empty, Tensor<Double>(zeros: [0, 3])) == Tensor(zeros: [3]))
        #expect(matmul(Tensor<Double>(ones: [2, 0]), empty) == Tensor(zeros: [2]))
        #expect(matmul(Tensor<Double>(ones: [0, 2]), Tensor<Double>([1, 2])).shape == [0])
        #expect(
            outer(empty, Tensor<Double>([1, 2])).shape == [0, 2] && outer(Tensor<Double>([3]), empty).shape == [1, 0])
        #expect(outer(Tensor<Double>([3]), Tensor<Double>([-2])) == Tensor(shape: [1, 1], scalars: [-6]))
        #expect(
            affine(Tensor<Double>([1, 2]), Tensor<Double>(zeros: [2, 0]), Tensor<Double>(zeros: [0])).shape == [0])
        #expect(
            affine(Tensor<Double>(zeros: [0]), Tensor<Double>(zeros: [0, 2]), Tensor<Double>([5, 6])) == Tensor([5, 6]))
        #expect(
            affine(Tensor<Double>(zeros: [2, 0, 3]), Tensor<Double>(ones: [3, 4]), Tensor<Double>(ones: [4])).shape == [
                2, 0, 4,
            ])
    }

    /// BLAS follows IEEE 754: NaN and ∞ · 0 propagate into every sum they enter, and only those.
    @Test func productsPropagateNaNAndInfinity() {
        let a = Tensor<Float>(shape: [2, 2], scalars: [.nan, 1, 2, 3])
        let b = Tensor<Float>(shape: [2, 2], scalars: [0, 1, 0, 1])
        let y = matmul(a, b)
        #expect(y.isNaN.scalars == [true, true, false, false] && y.scalars[2...] == [0, 5])
        let infinite = matmul(Tensor<Float>(shape: [1, 2], scalars: [.infinity, 1]), Tensor<Float>([[0], [2]]))
        #expect(infinite.scalar.isNaN, "∞ · 0 is NaN")
        #expect(
            matmul(Tensor<Double>(shape: [1, 2], scalars: [.infinity, 1]), Tensor<Double>([[1], [2]])).scalar
                == .infinity)
        #expect(dot(Tensor<Double>([.infinity, -.infinity]), Tensor<Double>([1, 1])).isNaN)
        let z = affine(Tensor<Float>([[1, 2]]), Tensor<Float>([[1], [1]]), Tensor<Float>([.nan]))
        #expect(z.scalar.isNaN)
    }

    @Test func productsStopNamingTheOperation() async {
        var r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = matmul(Tensor<Float>(5), Tensor<Float>(zeros: [0]))
        }
        #expect(stopped(r, naming: "matmul: [] × [0]: operands must have rank 1, 2 or 3"))
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = matmul(Tensor<Float>(zeros: [2, 0]), Tensor<Float>(zeros: [1, 3]))
        }
        #expect(stopped(r, naming: "matmul: [2, 0] × [1, 3]: inner dimensions 0 and 1 differ"))
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = matmul(Tensor<Float>(zeros: [0, 2, 3]), Tensor<Float>(zeros: [2, 3, 4]))
        }
        #expect(stopped(r, naming: "matmul: [0, 2, 3] × [2, 3, 4]: batch sizes 0 and 2 differ"))
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = dot(Tensor<Double>(zeros: [0]), Tensor<Double>([1]))
        }
        #expect(stopped(r, naming: "dot: [0] · [1]"))
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = outer(Tensor<Double>(1), Tensor<Double>(zeros: [0]))
        }
        #expect(stopped(r, naming: "outer: [] ⊗ [0]"))
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = affine(Tensor<Float>(5), Tensor<Float>(zeros: [1, 0]), Tensor<Float>(zeros: [0]))
        }
        #expect(stopped(r, naming: "affine: x [], weight [1, 0] and bias [0] do not fit"))
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = affine(Tensor<Float>(zeros: [0, 3]), Tensor<Float>(zeros: [3, 2]), Tensor<Float>(zeros: [0]))
        }
        #expect(stopped(r, naming: "affine"))
    }
}
