extension Tensor {
    /// The tensors joined along an existing axis; their other extents must agree.
    ///
    /// - Precondition: at least one tensor; equal ranks and equal extents off `axis`.
    @inlinable
    public init(concatenating tensors: [Tensor], alongAxis axis: Int = 0) {
        guard let first = tensors.first else { fail("Tensor(concatenating:): no tensors to join") }
        let a = normalizedAxis(axis, rank: first.rank, operation: "Tensor(concatenating:)", shape: first.shape)
        for t in tensors
        where t.rank != first.rank || t.shape.indices.contains(where: { $0 != a && t.shape[$0] != first.shape[$0] }) {
            fail("Tensor(concatenating:): shapes \(tensors.map(\.shape)) differ off axis \(a)")
        }
        var shape = first.shape
        // Tensors without elements can have any extents, so even this sum can overflow.
        guard let extent = checkedTotal(tensors.map { $0.shape[a] }) else {
            fail(
                "Tensor(concatenating:): the extents \(tensors.map { $0.shape[a] }) along axis \(a) add up to more than Int.max"
            )
        }
        shape[a] = extent
        let value = Tensor(shape: shape, operation: "Tensor(concatenating:)") { out in
            // Only now is the shape's size known to fit; `outer` may be huge when nothing is copied.
            guard !out.isEmpty else { return }
            let outer = shape[..<a].reduce(1, *)
            let inner = shape[(a + 1)...].reduce(1, *)
            let row = shape[a] * inner
            var column = 0
            for t in tensors {
                let block = t.shape[a] * inner
                t.withUnsafeBufferPointer { src in
                    for o in 0..<outer {
                        (out.baseAddress! + o * row + column).update(from: src.baseAddress! + o * block, count: block)
                    }
                }
                column += block
            }
        }
        let sizes = tensors.map { $0.shape[a] }
        self = Tensor.recording(value, inputs: tensors) { g in g.split(sizes: sizes, alongAxis: a) }
    }

    /// The tensors joined along a new axis at `axis`; they must have the same shape.
    @inlinable
    public init(stacking tensors: [Tensor], alongAxis axis: Int = 0) {
        guard let first = tensors.first else { fail("Tensor(stacking:): no tensors to stack") }
        for t in tensors where t.shape != first.shape {
            fail("Tensor(stacking:): shapes \(tensors.map(\.shape)) differ")
        }
        let a = normalizedAxis(axis, rank: first.rank + 1, operation: "Tensor(stacking:)", shape: first.shape)
        self.init(concatenating: tensors.map { $0.expandingShape(at: a) }, alongAxis: a)
    }

    /// This tensor cut along `axis` into consecutive pieces of the given extents.
    ///
    /// - Precondition: the sizes are non-negative and add up to the axis's extent.
    @inlinable
    public func split(sizes: [Int], alongAxis axis: Int = 0) -> [Tensor] {
        let a = normalizedAxis(axis, rank: rank, operation: "split", shape: shape)
        guard sizes.allSatisfy({ $0 >= 0 }), checkedTotal(sizes) == shape[a] else {
            fail("split: sizes \(sizes) do not add up to extent \(shape[a]) of axis \(a) of shape \(shape)")
        }
        var start = 0
        // Along the first axis each piece is a contiguous block, whose gradient goes straight
        // into its place; along another axis a piece is a strided slice.
        let inner = a == 0 && shape[0] > 0 ? count / shape[0] : 0
        return sizes.map { size in
            defer { start += size }
            if a == 0 { return block(from: start * inner, count: size * inner, shape: [size] + shape.dropFirst()) }
            return slice(Array(repeating: .all, count: a) + [.range(start: start, end: start + size, stride: 1)])
        }
    }

    /// This tensor cut along `axis` into `count` pieces of equal extent.
    ///
    /// - Precondition: `count` divides the axis's extent.
    @inlinable
    public func split(count: Int, alongAxis axis: Int = 0) -> [Tensor] {
        let a = normalizedAxis(axis, rank: rank, operation: "split", shape: shape)
        guard count > 0, shape[a] % count == 0 else {
            fail("split: axis \(a) of shape \(shape) cannot be cut into \(count) equal pieces")
        }
        return split(sizes: Array(repeating: shape[a] / count, count: count), alongAxis: a)
    }
}

/// The sum of non-negative `extents`, or nil when it overflows `Int`.
@inlinable
func checkedTotal(_ extents: [Int]) -> Int? {
    var total = 0
    for n in extents {
        let (sum, overflow) = total.addingReportingOverflow(n)
        if overflow { return nil }
        total = sum
    }
    return total
}
