extension Tensor where Scalar: TensorFloatingPoint {
    /// The `k` largest elements along the last axis, largest first, and their indices
    /// (PyTorch's `topk` with `largest` and `sorted`); ties keep the earlier index first.
    /// Differentiable in the values: each chosen element gets its value's gradient, the
    /// others none.
    ///
    /// ```swift
    /// let (scores, classes) = logits.topK(5)      // [batch, 5] each
    /// ```
    /// - Precondition: the tensor has rank ≥ 1 and `0 ≤ k ≤` its last extent.
    @inlinable
    public func topK(_ k: Int) -> (values: Tensor, indices: Tensor<Int>) {
        guard rank >= 1, k >= 0, k <= shape[rank - 1] else {
            fail("topK: k = \(k) for a tensor of shape \(shape) (k must be in 0...\(rank == 0 ? 0 : shape[rank - 1]))")
        }
        let n = shape[rank - 1]
        let rows = n == 0 ? 0 : count / n
        var outShape = shape
        outShape[rank - 1] = k
        var order = [Int](repeating: 0, count: rows * k)
        let values = withUnsafeBufferPointer { x in
            Tensor(shape: outShape) { out in
                for r in 0..<rows {
                    let row = x.baseAddress! + r * n
                    // NaN sorts first, as the largest (PyTorch's rule).
                    let chosen = (0..<n).sorted { a, b in
                        let (u, v) = (row[a], row[b])
                        if u.isNaN != v.isNaN { return u.isNaN }
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
