extension Tensor {
    /// The slices along the first axis: a `[time, batch, features]` sequence as `time`
    /// tensors of shape `[batch, features]` (the inverse of `Tensor(stacking:)`).
    ///
    /// Each slice's gradient is added into its block of this tensor's gradient, so taking all
    /// `n` slices costs one pass over the tensor in the backward pass, not `n`.
    /// - Precondition: the rank is at least 1.
    @inlinable
    public func unstacked() -> [Tensor] {
        guard rank >= 1 else { fail("unstacked: a tensor of rank 0 has no first axis to cut along") }
        let rows = shape[0]
        let inner = Array(shape.dropFirst())
        let size = rows == 0 ? 0 : count / rows
        return (0..<rows).map { block(from: $0 * size, count: size, shape: inner) }
    }

    /// The `count` elements from `start` on, as a tensor of `shape`, recorded so that its
    /// gradient is added into that block of this tensor's.
    @inlinable
    func block(from start: Int, count: Int, shape newShape: [Int]) -> Tensor {
        var value = Tensor(shape: newShape) { out in
            withUnsafeBufferPointer { source in
                guard count > 0 else { return }
                out.baseAddress!.update(from: source.baseAddress! + start, count: count)
            }
        }
        if let link = liveTrace {
            value.trace = TraceLink(
                tape: link.tape,
                index: link.tape.append(.region(link.index, offset: start), value: value, operation: "unstacked()"))
        }
        return value
    }
}
