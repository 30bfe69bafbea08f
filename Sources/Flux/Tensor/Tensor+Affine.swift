/// `x · weight + bias`, the affine map of a dense layer, as one operation.
///
/// The bias is written into every row of the result and one matrix product accumulates onto
/// it (BLAS `beta = 1`), so no broadcast sum is made; the pullback gives `g · weightᵀ`,
/// `xᵀ · g` and the column sums of `g`, each only for an operand that is traced.
/// `x` may have any rank ≥ 1: its last axis is the input features and the others are
/// batch axes, kept in the result. An empty batch gives an empty result (and zero gradients
/// for `weight` and `bias`); with no inputs (`in = 0`) every row is the bias.
///
/// ```swift
/// let y = affine(x, weight, bias)        // [batch, in] · [in, out] + [out] -> [batch, out]
/// ```
/// - Precondition: `weight` is `[in, out]`, `bias` is `[out]`, and `x`'s last axis is `in`.
/// - Complexity: O(rows · in · out).
@inlinable
public func affine<Scalar: TensorFloatingPoint>(
    _ x: Tensor<Scalar>, _ weight: Tensor<Scalar>, _ bias: Tensor<Scalar>
) -> Tensor<Scalar> {
    guard weight.rank == 2, bias.rank == 1, bias.shape[0] == weight.shape[1], x.rank >= 1,
        x.shape[x.rank - 1] == weight.shape[0]
    else {
        fail(
            "affine: x \(x.shape), weight \(weight.shape) and bias \(bias.shape) do not fit ([..., in], [in, out] and [out])"
        )
    }
    let (inputs, outputs) = (weight.shape[0], weight.shape[1])
    let rows = inputs == 0 ? x.shape.dropLast().reduce(1, *) : x.count / inputs
    var shape = x.shape
    // Assigning even an equal extent would copy the shared array.
    if shape[shape.count - 1] != outputs { shape[shape.count - 1] = outputs }
    let value = x.withUnsafeBufferPointer { px in
        weight.withUnsafeBufferPointer { pw in
            bias.withUnsafeBufferPointer { pb in
                Tensor<Scalar>(shape: shape, operation: "affine") { out in
                    guard !out.isEmpty else { return }  // `rows` may be huge when there are no outputs
                    for r in 0..<rows { (out.baseAddress! + r * outputs).update(from: pb.baseAddress!, count: outputs) }
                    gemm(
                        batch: 1, m: rows, n: outputs, k: inputs, a: px.baseAddress!, batchedA: false,
                        transposeA: false, b: pw.baseAddress!, batchedB: false, transposeB: false, beta: 1,
                        c: out.baseAddress!)
                }
            }
        }
    }
    let traced = (x.isTraced, weight.isTraced, bias.isTraced)
    guard traced.0 || traced.1 || traced.2 else { return value }
    let (x0, w0, biasShape) = (x.withoutDerivative, weight.withoutDerivative, bias.shape)
    return Tensor.recording(value, x, weight, bias) { g in
        (
            traced.0
                ? matrixProduct(g, w0, rows: rows, inner: outputs, columns: inputs, transposeB: true, shape: x0.shape)
                : nil,
            traced.1
                ? matrixProduct(x0, g, rows: inputs, inner: rows, columns: outputs, transposeA: true, shape: w0.shape)
                : nil,
            traced.2 ? g.summed(to: biasShape) : nil
        )
    }
}

/// `op(a) · op(b)` for operands seen as row-major matrices, the result given `shape`.
@inlinable
func matrixProduct<Scalar: TensorFloatingPoint>(
    _ a: Tensor<Scalar>, _ b: Tensor<Scalar>, rows: Int, inner: Int, columns: Int, transposeA: Bool = false,
    transposeB: Bool = false, shape: [Int]
) -> Tensor<Scalar> {
    a.withUnsafeBufferPointer { pa in
        b.withUnsafeBufferPointer { pb in
            Tensor<Scalar>(shape: shape) { out in
                gemm(
                    batch: 1, m: rows, n: columns, k: inner, a: pa.baseAddress!, batchedA: false,
                    transposeA: transposeA, b: pb.baseAddress!, batchedB: false, transposeB: transposeB, beta: 0,
                    c: out.baseAddress!)
            }
        }
    }
}
