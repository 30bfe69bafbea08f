extension Tensor {
    /// The axes in reverse order; for a matrix, its transpose.
    ///
    /// To multiply by a transposed matrix, pass `transposeA:`/`transposeB:` to ``matmul(_:_:transposeA:transposeB:)``
    /// instead: it does not copy.
    @inlinable
    public func transposed() -> Tensor { transposed(permutation: Array((0..<rank).reversed())) }

    /// The axes reordered: axis `i` of the result is axis `permutation[i]` of this tensor.
    ///
    /// - Precondition: `permutation` holds each of `0..<rank` once (negative axes allowed).
    @inlinable
    public func transposed(permutation: [Int]) -> Tensor {
        let p = permutation.map { normalizedAxis($0, rank: rank, operation: "transposed(permutation:)", shape: shape) }
        guard p.count == rank, Set(p).count == rank else {
            fail("transposed(permutation:): \(permutation) is not a permutation of the axes of shape \(shape)")
        }
        if p == Array(0..<rank) { return self }
        let strides = contiguousStrides(shape)
        let value = gatheringView(offset: 0, shape: p.map { shape[$0] }, strides: p.map { strides[$0] })
        var inverse = [Int](repeating: 0, count: rank)
        for (i, axis) in p.enumerated() { inverse[axis] = i }
        return recording(value) { g in g.transposed(permutation: inverse) }
    }
}
