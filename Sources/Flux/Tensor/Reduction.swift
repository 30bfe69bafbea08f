// The kernel behind every reduction: a tensor seen as [outer, n, inner] and reduced over
// the middle axis. Several axes are reduced one at a time (each reduction is associative).

/// Axes normalised, deduplicated-checked and sorted; stops naming the operation on bad input.
@inlinable
func normalizedAxes(_ axes: [Int], of shape: [Int], operation: String) -> [Int] {
    let result = axes.map { normalizedAxis($0, rank: shape.count, operation: operation, shape: shape) }.sorted()
    for i in result.indices.dropFirst() where result[i] == result[i - 1] {
        fail("\(operation): axis \(result[i]) is given twice for shape \(shape)")
    }
    return result
}

/// `shape` with the reduced `axes` set to 1 (kept) or removed.
@inlinable
func reducedShape(_ shape: [Int], axes: [Int], keeping: Bool) -> [Int] {
    keeping
        ? shape.enumerated().map { axes.contains($0.offset) ? 1 : $0.element }
        : shape.enumerated().filter { !axes.contains($0.offset) }.map(\.element)
}

extension Tensor {
    /// Reduces one axis: `out[o, i] = combine(…combine(x[o, 0, i], x[o, 1, i])…, x[o, n−1, i])`,
    /// keeping the axis with extent 1. Rows are combined whole, so the inner loop runs
    /// contiguously and vectorises; a last-axis reduction uses `rowReduce` on each row.
    @inlinable
    func reducing(
        axis: Int, operation: String, empty: Scalar?, _ combine: (Scalar, Scalar) -> Scalar,
        row rowReduce: (UnsafePointer<Scalar>, Int) -> Scalar
    ) -> Tensor {
        let n = shape[axis]
        let outer = shape[..<axis].reduce(1, *)
        let inner = shape[(axis + 1)...].reduce(1, *)
        var outShape = shape
        outShape[axis] = 1
        if n == 0 {
            guard let empty else { fail("\(operation): cannot reduce the empty axis \(axis) of shape \(shape)") }
            return Tensor(shape: outShape, repeating: empty, operation: operation)
        }
        return withUnsafeBufferPointer { x in
            Tensor(shape: outShape, operation: operation) { out in
                guard !out.isEmpty else { return }  // `outer` may be huge when nothing is combined
                let (px, po) = (x.baseAddress!, out.baseAddress!)
                if inner == 1 {
                    for o in 0..<outer { po[o] = rowReduce(px + o * n, n) }
                    return
                }
                for o in 0..<outer {
                    let dst = po + o * inner
                    let src = px + o * n * inner
                    dst.update(from: src, count: inner)
                    for j in 1..<n {
                        let row = src + j * inner
                        for i in 0..<inner { dst[i] = combine(dst[i], row[i]) }
                    }
                }
            }
        }
    }

    /// Reduces several axes (each kept with extent 1, then removed unless `keeping`).
    ///
    /// A tensor without elements is reduced in one step, to `empty` where a reduced axis is
    /// empty (stopping when the reduction has no such value) and to nothing otherwise: axis by
    /// axis, the first step of summing `[0, 1 << 40]` would make `[1, 1 << 40]` on the way to a scalar.
    @inlinable
    func reducing(
        axes: [Int], keeping: Bool, operation: String, empty: Scalar?, _ combine: (Scalar, Scalar) -> Scalar,
        row: (UnsafePointer<Scalar>, Int) -> Scalar
    ) -> Tensor {
        let axes = normalizedAxes(axes, of: shape, operation: operation)
        let outShape = reducedShape(shape, axes: axes, keeping: keeping)
        if count == 0 {
            guard let axis = axes.first(where: { shape[$0] == 0 }) else {
                return Tensor(shape: outShape, operation: operation) { _ in }  // an empty result
            }
            guard let empty else { fail("\(operation): cannot reduce the empty axis \(axis) of shape \(shape)") }
            return Tensor(shape: outShape, repeating: empty, operation: operation)
        }
        var result = self.withoutDerivative
        for axis in axes where shape[axis] != 1 {
            result = result.reducing(axis: axis, operation: operation, empty: empty, combine, row: row)
        }
        return result.sharingStorage(withShape: outShape)
    }
}

/// The sum of `n` elements, pairwise over blocks so that the rounding error grows with
/// log n, not n; each block uses eight accumulators, which the compiler keeps in registers.
/// Integer sums wrap on overflow (in any order, the same result).
@inlinable
func pairwiseSum<Scalar: TensorNumeric>(_ p: UnsafePointer<Scalar>, _ n: Int) -> Scalar {
    if n <= 256 {
        var acc = (
            Scalar.zero, Scalar.zero, Scalar.zero, Scalar.zero, Scalar.zero, Scalar.zero, Scalar.zero, Scalar.zero
        )
        var i = 0
        while i + 8 <= n {
            acc.0 = elementAdd(acc.0, p[i])
            acc.1 = elementAdd(acc.1, p[i + 1])
            acc.2 = elementAdd(acc.2, p[i + 2])
            acc.3 = elementAdd(acc.3, p[i + 3])
            acc.4 = elementAdd(acc.4, p[i + 4])
            acc.5 = elementAdd(acc.5, p[i + 5])
            acc.6 = elementAdd(acc.6, p[i + 6])
            acc.7 = elementAdd(acc.7, p[i + 7])
            i += 8
        }
        let low = elementAdd(elementAdd(acc.0, acc.1), elementAdd(acc.2, acc.3))
        let high = elementAdd(elementAdd(acc.4, acc.5), elementAdd(acc.6, acc.7))
        var total = elementAdd(low, high)
        while i < n {
            total = elementAdd(total, p[i])
            i += 1
        }
        return total
    }
    let half = (n / 2 + 7) & ~7
    return elementAdd(pairwiseSum(p, half), pairwiseSum(p + half, n - half))
}
