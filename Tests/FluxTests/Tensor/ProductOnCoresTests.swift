import Testing

@testable import Flux

@Suite struct ProductOnCoresTests {
    /// A product large enough to be split between cores (by columns when `C` is wide, by rows
    /// when it is tall) equals one BLAS call over the whole matrices, for every transpose
    /// combination and both values of beta.
    @Test(arguments: 0..<8)
    func splitProductEqualsOneCall(seed: Int) {
        var rng = RandomGenerator(seed: UInt64(seed))
        let tall = seed % 2 == 0
        let (m, n, k) =
            tall
            ? (Int.random(in: 300...420, using: &rng), Int.random(in: 90...140, using: &rng), 70)
            : (Int.random(in: 90...140, using: &rng), Int.random(in: 300...420, using: &rng), 70)
        #expect(m * n * k >= coreSplitThreshold)
        let (ta, tb) = (seed / 2 % 2 == 1, seed / 4 % 2 == 1)
        let beta: Float = seed % 3 == 0 ? 1 : 0
        let a = Tensor<Float>(randomNormal: ta ? [k, m] : [m, k], using: &rng).scalars
        let b = Tensor<Float>(randomNormal: tb ? [n, k] : [k, n], using: &rng).scalars
        let start = Tensor<Float>(randomNormal: [m, n], using: &rng).scalars
        var (split, whole) = (start, start)
        let (lda, ldb) = (ta ? m : k, tb ? k : n)
        productOnCores(
            transposeA: ta, transposeB: tb, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, beta: beta,
            c: &split, ldc: n)
        blasGemm(
            transposeA: ta, transposeB: tb, m: m, n: n, k: k, alpha: 1, a: a, lda: lda, b: b, ldb: ldb, beta: beta,
            c: &whole, ldc: n)
        let worst = zip(split, whole).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0
        #expect(worst <= 1e-5, "\(m)×\(n)×\(k) ta \(ta) tb \(tb) beta \(beta): worst \(worst)")
    }
}
