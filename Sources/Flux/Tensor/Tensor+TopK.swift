extension Tensor where Scalar: TensorFloatingPoint {
    /// The `k` largest elements along the last axis, largest first, and their indices
    /// (PyTorch's `topk` with `largest` and `sorted`); ties keep the earlier index first, and
    /// NaN counts as larger than every number. `k = 0` gives empty results, and so does a
    /// tensor without rows (`[0, n]` gives `[0, k]`).
    /// Differentiable in the values: each chosen element gets its value's gradient, the
    /// others none.
    ///
    /// ```swift
    /// let (scores, classes) = logits.topK(5)      // [batch, 5] each
    /// ```
    /// - Precondition: the tensor has rank ≥ 1 and `0 ≤ k ≤` its last extent.
    @inlinable
    public func topK(_ k: Int) -> (values: Tensor, indices: Tensor<Int>) {
        guard rank >= 1 else { fail("topK: a tensor of shape \(shape) has no last axis to choose along") }
        guard k >= 0, k <= shape[rank - 1] else {
            fail("topK: k = \(k) for a tensor of shape \(shape) (k must be in 0...\(shape[rank - 1]))")
        }
        let n = shape[rank - 1]
        let rows = k == 0 ? 0 : count / n  // k ≤ n, so n > 0 here
        var outShape = shape
        outShape[rank - 1] = k
        var order = [Int](repeating: 0, count: rows * k)
        let values = withUnsafeBufferPointer { x in
            Tensor(shape: outShape) { out in
                for r in 0..<rows {
                    let row = x.baseAddress! + r * n
                    // NaN sorts first, as the largest (PyTorch's rule); NaNs among
                    // themselves by index, so that the order is total and ties stay stable.
                    let chosen = (0..<n).sorted { a, b in
                        let (u, v) = (row[a], row[b])
                        if u.isNaN || v.isNaN { return u.isNaN && (!v.isNaN || a < b) }
                        return u > v || (u == v && a < b)
                    }.prefix(k)
                    for (j, i) in chosen.enumerated() {
                        order[r * k + j] = i
                        out[r * k + j] = row[i]
                    }
                }
            }
        }
        let indices = Tensor<Int>(shape: outShape, scalars: order)
        guard isTraced else { return (values, indices) }
        let inShape = shape
        let traced = recording(values) { g in
            g.withUnsafeBufferPointer { pg in
                Tensor(shape: inShape) { gin in
                    gin.initialize(repeating: .zero)
                    for r in 0..<rows {
                        for j in 0..<k { gin[r * n + order[r * k + j]] += pg[r * k + j] }
                    }
                }
            }
        }
        return (traced, indices)
    }
}
