import Dispatch

#if canImport(Glibc)
    import Glibc
#endif

/// How many cores elementwise passes may split a large tensor over (the online processors).
@usableFromInline let processorCount = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))

/// Elements below which a pass stays on the calling thread: handing work to another thread
/// costs a few microseconds, about what one core needs for 64K elements of Adam.
@usableFromInline let parallelThreshold = 1 << 16

/// Calls `body` with consecutive ranges covering `0..<count`, on up to `processorCount`
/// threads when `count` reaches ``parallelThreshold``, else once on this thread. Range
/// bounds are multiples of 16, so no two threads write the same 64-byte line of `Float`s.
@inlinable
func forEachChunk(of count: Int, _ body: (Range<Int>) -> Void) {
    let parts = count >= parallelThreshold ? processorCount : 1
    guard parts > 1 else { return body(0..<count) }
    let step = (count / parts + 15) & ~15
    withoutActuallyEscaping(body) { body in
        let task = UncheckedSendable(body)
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            let start = min(part * step, count)
            task.value(start..<(part == parts - 1 ? count : min(start + step, count)))
        }
    }
}

/// A value handed to other threads by a caller that guarantees they touch disjoint parts of it.
@usableFromInline
struct UncheckedSendable<Value>: @unchecked Sendable {
    @usableFromInline let value: Value
    @inlinable init(_ value: Value) { self.value = value }
}
