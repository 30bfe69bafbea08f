/// Memory that a communicator's collective operations reuse from step to step: a gradient's
/// worth of megabytes, allocated once instead of at every step (fresh pages cost a page
/// fault each). It only grows. Like MPI itself, a communicator runs one collective operation
/// at a time, so its slots are never used by two at once.
final class Workspace: @unchecked Sendable {
    /// What each slot is for.
    enum Slot: Int, CaseIterable {
        /// Packed Float tensors (``PackedTensors``).
        case floats
        /// Packed Double tensors.
        case doubles
        /// Gradient buckets (``GradientBuckets``).
        case buckets
    }

    private var slots = [UnsafeMutableRawBufferPointer](
        repeating: UnsafeMutableRawBufferPointer(start: nil, count: 0), count: Slot.allCases.count)

    /// Room for `count` values of `T` in `slot` (its contents are left as they were).
    func buffer<T>(_: T.Type, count: Int, in slot: Slot) -> UnsafeMutableBufferPointer<T> {
        let bytes = count * MemoryLayout<T>.stride
        if slots[slot.rawValue].baseAddress == nil || slots[slot.rawValue].count < bytes {
            slots[slot.rawValue].deallocate()
            slots[slot.rawValue] = .allocate(byteCount: max(bytes, 64), alignment: 64)
        }
        return UnsafeMutableBufferPointer(
            start: slots[slot.rawValue].baseAddress!.bindMemory(to: T.self, capacity: count), count: count)
    }

    deinit {
        for slot in slots { slot.deallocate() }
    }
}
