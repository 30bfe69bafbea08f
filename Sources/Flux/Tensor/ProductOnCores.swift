import CBLAS

/// Products of at least this many multiply-adds (`m·n·k`) are split between the cores;
/// below it, waking a helper thread (~10 µs) costs about what the split saves.
@usableFromInline let coreSplitThreshold = 1 << 21

/// `C = op(A)·op(B) + beta·C` (row-major, `alpha = 1`), split between the cores when large.
///
/// Flux keeps OpenBLAS single-threaded and splits a large product itself, by columns of `C`
/// (or by rows when `C` is taller than wide), into one part per core, run on the parked
/// helpers of ``ChunkWorkers``. OpenBLAS's own pool spins for a while after every call
/// (2^28 cycles by default); on `mlp` its workers spun and yielded against Flux's optimizer
/// and elementwise passes on the other core (~16% of the samples), and the step time
/// doubled in some processes. Each part is an ordinary single-threaded BLAS call, so a split
/// product equals the unsplit one up to the order of BLAS's own blocking.
///
/// `m`, `n` and `k` are positive (``gemm(batch:m:n:k:a:batchedA:transposeA:b:batchedB:transposeB:beta:c:)``
/// handles empty products without BLAS), so every leading dimension is at least 1.
@inlinable
func productOnCores<Scalar: TensorFloatingPoint>(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
    a: UnsafePointer<Scalar>, lda: Int, b: UnsafePointer<Scalar>, ldb: Int,
    beta: Scalar, c: UnsafeMutablePointer<Scalar>, ldc: Int
) {
    // CBLAS takes its dimensions as Int32: past that a conversion would trap with no message.
    guard Swift.max(m, n, k, lda, ldb, ldc) <= Int(Int32.max) else {
        fail("matmul: a product of [\(m), \(k)] × [\(k), \(n)] has a dimension above \(Int32.max), the most BLAS takes")
    }
    blasIsSingleThreaded()
    // In Double: m·n·k can exceed Int even when the three matrices fit in memory.
    let split = Double(m) * Double(n) * Double(k) >= Double(coreSplitThreshold)
    let product = PartialProduct(
        transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, beta: beta,
        c: c, ldc: ldc, byColumns: n >= m)
    forEachChunk(of: n >= m ? n : m, splitting: split, product)
}

/// The part of a product that writes a range of columns (or rows) of `C`.
@usableFromInline
struct PartialProduct<Scalar: TensorFloatingPoint>: ChunkedWork {
    @usableFromInline let transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int
    @usableFromInline let a: UnsafePointer<Scalar>, lda: Int, b: UnsafePointer<Scalar>, ldb: Int
    @usableFromInline let beta: Scalar, c: UnsafeMutablePointer<Scalar>, ldc: Int
    @usableFromInline let byColumns: Bool

    @inlinable
    init(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, a: UnsafePointer<Scalar>, lda: Int,
        b: UnsafePointer<Scalar>, ldb: Int, beta: Scalar, c: UnsafeMutablePointer<Scalar>, ldc: Int, byColumns: Bool
    ) {
        (self.transposeA, self.transposeB, self.m, self.n, self.k) = (transposeA, transposeB, m, n, k)
        (self.a, self.lda, self.b, self.ldb, self.beta, self.c, self.ldc) = (a, lda, b, ldb, beta, c, ldc)
        self.byColumns = byColumns
    }

    @inlinable
    func callAsFunction(_ range: Range<Int>) {
        // Steps rounded up to 16 columns can leave the last parts empty on many cores.
        guard !range.isEmpty else { return }
        let j = range.lowerBound
        if byColumns {
            blasGemm(
                transposeA: transposeA, transposeB: transposeB, m: m, n: range.count, k: k, alpha: 1, a: a, lda: lda,
                b: b + (transposeB ? j * ldb : j), ldb: ldb, beta: beta, c: c + j, ldc: ldc)
        } else {
            blasGemm(
                transposeA: transposeA, transposeB: transposeB, m: range.count, n: n, k: k, alpha: 1,
                a: a + (transposeA ? j : j * lda), lda: lda, b: b, ldb: ldb, beta: beta, c: c + j * ldc, ldc: ldc)
        }
    }
}

/// Sets OpenBLAS to one thread, once: Flux does the splitting (see ``productOnCores``).
@inlinable
func blasIsSingleThreaded() { _ = singleThreadedBLAS }

/// Evaluated once, on first use (a global's lazy initialisation is thread-safe).
@usableFromInline let singleThreadedBLAS: Void = openblas_set_num_threads(1)

/// `C = Aᵀ·B` for `A` `[k, m]` and `B` `[k, n]` (row-major, leading dimensions `lda`, `ldb`,
/// `ldc`), split between the cores along `k` when `C` is too small to split: a convolution's
/// weight gradient sums over every output position (k in the tens of thousands) into a few
/// hundred numbers. Each core sums its share of `k` into a part of its own, and the parts
/// are added; the result equals the unsplit product up to the order of the sums.
@inlinable
func transposedProductOnCores<Scalar: TensorFloatingPoint>(
    m: Int, n: Int, k: Int, a: UnsafePointer<Scalar>, lda: Int, b: UnsafePointer<Scalar>, ldb: Int,
    c: UnsafeMutablePointer<Scalar>, ldc: Int
) {
    let parts = processorCount
    let small = Swift.max(m, n) < 32  // productOnCores would keep it on one core
    guard parts > 1, small, Double(m) * Double(n) * Double(k) >= Double(coreSplitThreshold) else {
        return productOnCores(
            transposeA: true, transposeB: false, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, beta: 0, c: c,
            ldc: ldc)
    }
    blasIsSingleThreaded()
    let partials = UnsafeMutablePointer<Scalar>.allocate(capacity: (parts - 1) * m * n)
    let ran = UnsafeMutablePointer<Bool>.allocate(capacity: parts)
    ran.initialize(repeating: false, count: parts)
    defer {
        partials.deallocate()
        ran.deallocate()
    }
    let work = ReductionSplitProduct(
        m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc, partials: partials, ran: ran,
        units: parts * 16)
    forEachChunk(of: parts * 16, splitting: true, work)
    for part in 1..<parts where ran[part] {
        let from = partials + (part - 1) * m * n
        for i in 0..<m {
            for j in 0..<n { c[i * ldc + j] += from[i * n + j] }
        }
    }
}

/// One core's share of ``transposedProductOnCores(m:n:k:a:lda:b:ldb:c:ldc:)``: units of 16
/// (the chunk step of ``forEachChunk(of:splitting:_:)``) map to parts, and a part's rows of
/// `k` to its own product.
@usableFromInline
struct ReductionSplitProduct<Scalar: TensorFloatingPoint>: ChunkedWork {
    @usableFromInline let m: Int, n: Int, k: Int, a: UnsafePointer<Scalar>, lda: Int, b: UnsafePointer<Scalar>
    @usableFromInline let ldb: Int, c: UnsafeMutablePointer<Scalar>, ldc: Int
    @usableFromInline let partials: UnsafeMutablePointer<Scalar>, ran: UnsafeMutablePointer<Bool>, units: Int

    @inlinable
    init(
        m: Int, n: Int, k: Int, a: UnsafePointer<Scalar>, lda: Int, b: UnsafePointer<Scalar>, ldb: Int,
        c: UnsafeMutablePointer<Scalar>, ldc: Int, partials: UnsafeMutablePointer<Scalar>,
        ran: UnsafeMutablePointer<Bool>, units: Int
    ) {
        (self.m, self.n, self.k, self.a, self.lda, self.b, self.ldb) = (m, n, k, a, lda, b, ldb)
        (self.c, self.ldc, self.partials, self.ran, self.units) = (c, ldc, partials, ran, units)
    }

    @inlinable
    func callAsFunction(_ range: Range<Int>) {
        guard !range.isEmpty else { return }
        let part = range.lowerBound / 16
        let (first, last) = (range.lowerBound * k / units, range.upperBound * k / units)
        ran[part] = true
        let (target, ld) = part == 0 ? (c, ldc) : (partials + (part - 1) * m * n, n)
        guard last > first else {
            for i in 0..<m { (target + i * ld).update(repeating: 0, count: n) }
            return
        }
        blasGemm(
            transposeA: true, transposeB: false, m: m, n: n, k: last - first, alpha: 1, a: a + first * lda, lda: lda,
            b: b + first * ldb, ldb: ldb, beta: 0, c: target, ldc: ld)
    }
}
