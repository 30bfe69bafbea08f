/// Matrix products through CBLAS (`cblas_sgemm` / `cblas_dgemm`).
///
/// Transposed operands are passed to BLAS as flags: no transposed copy is ever made.

/// The matrix product of `a` and `b`, each optionally transposed.
///
/// - 2-D × 2-D: `[m, k] × [k, n] -> [m, n]`.
/// - Batched, 3-D × 3-D: `[b, m, k] × [b, k, n] -> [b, m, n]`; a batch extent of 1 on
///   either side is broadcast.
/// - 3-D × 2-D: `[b, m, k] × [k, n] -> [b, m, n]` (one product with the same right
///   matrix for every batch element), and 2-D × 3-D likewise.
/// - A 1-D operand is a row vector on the left or a column vector on the right, and its
///   axis is dropped from the result, as in NumPy.
///
/// `transposeA` / `transposeB` transpose the last two axes of that operand.
///
/// Extents of 0 work as in NumPy: an inner dimension of 0 gives zeros (each entry is an
/// empty sum), an outer one an empty result, and a batch of 0 against a shared operand (a
/// batch of 1, or a matrix) an empty batch, whose gradient for the shared operand is zero.
///
/// ```swift
/// let y = matmul(x, w)                       // [batch, in] × [in, out]
/// let g = matmul(x, dy, transposeA: true)    // xᵀ · dy, without transposing x
/// ```
/// - Precondition: the inner dimensions agree, e.g. `matmul: [3, 4] × [5, 2]: inner dimensions 4 and 5 differ`.
/// - Complexity: O(m·n·k) per batch element.
@inlinable
public func matmul<Scalar: TensorFloatingPoint>(
    _ a: Tensor<Scalar>, _ b: Tensor<Scalar>, transposeA: Bool = false, transposeB: Bool = false
) -> Tensor<Scalar> {
    let ta = transposeA && a.rank >= 2
    let tb = transposeB && b.rank >= 2
    // Built only when a check fails: formatting shapes costs more than a small product.
    var describe: String { "\(a.shape)\(ta ? "ᵀ" : "") × \(b.shape)\(tb ? "ᵀ" : "")" }
    guard (1...3).contains(a.rank), (1...3).contains(b.rank) else {
        fail("matmul: \(describe): operands must have rank 1, 2 or 3")
    }
    // Treat vectors as matrices, and remember which axes to drop afterwards.
    let a3 = a.rank == 1 ? [1, 1, a.shape[0]] : a.rank == 2 ? [1] + a.shape : a.shape
    let b3 = b.rank == 1 ? [1, b.shape[0], 1] : b.rank == 2 ? [1] + b.shape : b.shape
    let (m, k) = ta ? (a3[2], a3[1]) : (a3[1], a3[2])
    let (kb, n) = tb ? (b3[2], b3[1]) : (b3[1], b3[2])
    guard k == kb else { fail("matmul: \(describe): inner dimensions \(k) and \(kb) differ") }
    let (ba, bb) = (a3[0], b3[0])
    guard ba == bb || ba == 1 || bb == 1 else {
        fail("matmul: \(describe): batch sizes \(ba) and \(bb) differ")
    }
    // Not max(ba, bb): a batch of 0 against a shared operand is an empty batch.
    let batch = ba == 1 ? bb : ba
    var shape = a.rank == 3 || b.rank == 3 ? [batch, m, n] : [m, n]
    if b.rank == 1 { shape.removeLast() }
    if a.rank == 1 { shape.remove(at: shape.count - (b.rank == 1 ? 1 : 2)) }
    // x · W with W traced: packed, and its gradient summed over all uses (Tensor+WeightProduct.swift).
    if a.rank == 2, b.rank == 2, !ta, !tb, b.liveTrace != nil { return weightProduct(a, b, adding: nil) }
    let value = batchedProduct(a, a3, ta, b, b3, tb, sumOverBatch: false, shape: shape)
    guard Tensor.anyTraced(a, b) else { return value }
    // C = op(A)·op(B): d op(A) = G·op(B)ᵀ and d op(B) = op(A)ᵀ·G, summed over the batch
    // where that operand was shared. Gradients are computed in the 3-D view, then given
    // the operand's own shape.
    let (x, y) = (a.withoutDerivative, b.withoutDerivative)
    let g3 = [batch, m, n]
    return Tensor.recording(
        value, a, b,
        { g in
            let shared = ba == 1 && batch != 1  // summed over the batch, an empty one included
            return ta
                ? batchedProduct(y, b3, tb, g, g3, true, sumOverBatch: shared, shape: a.shape)
                : batchedProduct(g, g3, false, y, b3, !tb, sumOverBatch: shared, shape: a.shape)
        },
        { g in
            let shared = bb == 1 && batch != 1
            return tb
                ? batchedProduct(g, g3, true, x, a3, ta, sumOverBatch: shared, shape: b.shape)
                : batchedProduct(x, a3, !ta, g, g3, false, sumOverBatch: shared, shape: b.shape)
        })
}

/// `op(X)·op(Y)` for 3-D views `[batch, rows, columns]` of `x` and `y` (a batch extent of
/// 1 is shared), either per batch element or summed over the batch; the result gets `shape`
/// (a shape too large stops naming `operation`).
@inlinable
func batchedProduct<Scalar: TensorFloatingPoint>(
    _ x: Tensor<Scalar>, _ x3: [Int], _ tx: Bool, _ y: Tensor<Scalar>, _ y3: [Int], _ ty: Bool,
    sumOverBatch: Bool, shape: [Int], operation: String = "matmul"
) -> Tensor<Scalar> {
    let (m, k) = tx ? (x3[2], x3[1]) : (x3[1], x3[2])
    let n = ty ? y3[1] : y3[2]
    let batch = x3[0] == 1 ? y3[0] : x3[0]
    let (bx, by) = (x3[0] > 1, y3[0] > 1)
    return x.withUnsafeBufferPointer { px in
        y.withUnsafeBufferPointer { py in
            Tensor<Scalar>(shape: shape, operation: operation) { out in
                let (pa, pb, pc) = (px.baseAddress!, py.baseAddress!, out.baseAddress!)
                if sumOverBatch && batch == 0 {
                    out.initialize(repeating: 0)  // a sum over no batch elements
                    return
                }
                guard sumOverBatch && batch > 1 else {
                    return gemm(
                        batch: batch, m: m, n: n, k: k, a: pa, batchedA: bx, transposeA: tx,
                        b: pb, batchedB: by, transposeB: ty, beta: 0, c: pc)
                }
                if tx && !ty && bx && by {
                    // Σᵢ Xᵢᵀ·Yᵢ is one product over the stacked rows: [k·batch]ᵀ × [k·batch, n].
                    return gemm(
                        batch: 1, m: m, n: n, k: k * batch, a: pa, batchedA: false, transposeA: true,
                        b: pb, batchedB: false, transposeB: false, beta: 0, c: pc)
                }
                for i in 0..<batch {
                    gemm(
                        batch: 1, m: m, n: n, k: k, a: pa + (bx ? i * m * k : 0), batchedA: false, transposeA: tx,
                        b: pb + (by ? i * k * n : 0), batchedB: false, transposeB: ty,
                        beta: i == 0 ? 0 : 1, c: pc)
                }
            }
        }
    }
}

/// `C = op(A)·op(B) + beta·C` for each batch element, where a non-batched operand is shared.
///
/// When `A` is batched and not transposed while `B` is shared, the batch is folded into
/// the rows of one product (`[batch·m, k] × [k, n]`), which is one BLAS call instead of `batch`.
@inlinable
func gemm<Scalar: TensorFloatingPoint>(
    batch: Int, m: Int, n: Int, k: Int,
    a: UnsafePointer<Scalar>, batchedA: Bool, transposeA: Bool,
    b: UnsafePointer<Scalar>, batchedB: Bool, transposeB: Bool,
    beta: Scalar, c: UnsafeMutablePointer<Scalar>
) {
    guard m > 0 && n > 0 else { return }
    guard k > 0 else {
        // BLAS leaves C untouched only for beta = 1; an empty sum is zero.
        let count = batch * m * n
        for i in 0..<count { c[i] = beta == 0 ? 0 : beta * c[i] }
        return
    }
    let lda = transposeA ? m : k
    let ldb = transposeB ? k : n
    if batch > 1 && batchedA && !batchedB && !transposeA {
        productOnCores(
            transposeA: false, transposeB: transposeB, m: batch * m, n: n, k: k,
            a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: n)
        return
    }
    for i in 0..<batch {
        productOnCores(
            transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
            a: a + (batchedA ? i * m * k : 0), lda: lda,
            b: b + (batchedB ? i * k * n : 0), ldb: ldb,
            beta: beta, c: c + i * m * n, ldc: n)
    }
}

/// The inner product of two vectors of the same length.
///
/// - Precondition: both are 1-D with the same length.
@inlinable
public func dot<Scalar: TensorFloatingPoint>(_ a: Tensor<Scalar>, _ b: Tensor<Scalar>) -> Scalar {
    guard a.rank == 1, b.rank == 1, a.count == b.count else {
        fail("dot: \(a.shape) · \(b.shape): operands must be vectors of the same length")
    }
    return matmul(a, b).scalar
}

/// The outer product `a bᵀ` of two vectors: shape `[a.count, b.count]`.
///
/// - Precondition: both are 1-D.
@inlinable
public func outer<Scalar: TensorFloatingPoint>(_ a: Tensor<Scalar>, _ b: Tensor<Scalar>) -> Tensor<Scalar> {
    guard a.rank == 1, b.rank == 1 else {
        fail("outer: \(a.shape) ⊗ \(b.shape): operands must be vectors")
    }
    // reshaped, not sharingStorage: the views must stay traced, or the gradient is cut.
    return matmul(a.reshaped(to: [a.count, 1]), b.reshaped(to: [1, b.count]))
}
