extension Tensor {
    /// The same elements in row-major order under `newShape`; no copy is made.
    ///
    /// One extent may be `-1`: it is inferred from the element count.
    /// - Precondition: the element counts agree, e.g. `reshape: cannot reshape [2, 3] (6 elements) to [4, 2] (8 elements)`.
    @inlinable
    public func reshaped(to newShape: [Int]) -> Tensor {
        let unknown = newShape.indices.filter { newShape[$0] == -1 }
        guard unknown.count <= 1, newShape.allSatisfy({ $0 >= -1 }) else {
            fail("reshape: \(newShape) may hold at most one -1 and no other negative extent")
        }
        var shape = newShape
        if let u = unknown.first {
            shape[u] = 1
            let known = representableSize(of: shape, elementSize: MemoryLayout<Scalar>.stride)?.count ?? 0
            guard known > 0, count % known == 0 else {
                fail("reshape: cannot reshape \(self.shape) (\(count) elements) to \(newShape)")
            }
            shape[u] = count / known
        }
        // A shape too large for Int cannot hold this tensor's elements, which fit.
        guard let size = representableSize(of: shape, elementSize: MemoryLayout<Scalar>.stride), size.count == count
        else {
            let described =
                representableSize(of: shape, elementSize: 1).map { "\($0.count) elements" }
                ?? "too many elements for Int"
            fail("reshape: cannot reshape \(self.shape) (\(count) elements) to \(newShape) (\(described))")
        }
        return reshapedKeepingTraceAny(to: shape)
    }

    /// The elements as a vector (rank 1).
    @inlinable public func flattened() -> Tensor { reshaped(to: [count]) }

    /// Axes `axis...` merged into one: a `[batch, c, h, w]` tensor flattened from axis 1 is `[batch, c·h·w]`.
    @inlinable
    public func flattened(fromAxis axis: Int) -> Tensor {
        let a = axis == rank ? rank : normalizedAxis(axis, rank: rank, operation: "flattened(fromAxis:)", shape: shape)
        return reshaped(to: Array(shape[..<a]) + [shape[a...].reduce(1, *)])
    }

    /// A size-1 axis inserted at `axis` (which may be `rank`, or negative counting from the end of the result).
    @inlinable
    public func expandingShape(at axis: Int) -> Tensor {
        let a = normalizedAxis(axis, rank: rank + 1, operation: "expandingShape(at:)", shape: shape)
        var s = shape
        s.insert(1, at: a)
        return reshapedKeepingTraceAny(to: s)
    }

    /// The given size-1 axes removed.
    ///
    /// - Precondition: each axis has extent 1.
    @inlinable
    public func squeezingShape(at axes: Int...) -> Tensor {
        let list = axes.map { normalizedAxis($0, rank: rank, operation: "squeezingShape(at:)", shape: shape) }
        for a in list where shape[a] != 1 {
            fail("squeezingShape(at:): axis \(a) of shape \(shape) has extent \(shape[a]), not 1")
        }
        return reshapedKeepingTraceAny(to: shape.indices.filter { !list.contains($0) }.map { shape[$0] })
    }

    /// Every size-1 axis removed.
    @inlinable
    public func squeezingShape() -> Tensor { reshapedKeepingTraceAny(to: shape.filter { $0 != 1 }) }

    /// The same storage under another shape with as many elements; the gradient is
    /// reshaped back.
    @inlinable
    func reshapedKeepingTraceAny(to newShape: [Int]) -> Tensor {
        let old = shape
        return recording(sharingStorage(withShape: newShape).withoutDerivative) { g in g.sharingStorage(withShape: old)
        }
    }
}
