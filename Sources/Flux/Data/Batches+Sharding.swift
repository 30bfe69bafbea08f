// Data-parallel training: every process walks the same batches (the same seed and epoch give
// the same order everywhere) and trains on its own contiguous part of each one.

extension Batches {
    /// Part `index` of `count` of every batch: what one of `count` processes training
    /// data-parallel takes, so that together they see each batch exactly once.
    ///
    /// Every process makes the same batches (the order comes from the seed and the epoch
    /// alone) and keeps its own slice: `size / count` examples of each full batch, the slices
    /// in process order. When `count` does not divide a batch, its last `size % count`
    /// examples are left out (the shuffle leaves out others each epoch), so that every part
    /// has the same size and the mean of the processes' gradients is the gradient of the
    /// batch. A last batch of `.keepLast` smaller than `count` is left out.
    ///
    /// ```swift
    /// let batches = Dataset(inputs: x, labels: y).batches(size: 64, shuffledBy: 7, epoch: epoch)
    /// for (images, labels) in batches.sharded(rank, of: processes) {
    ///     _ = (images, labels)   // 64 / processes examples each
    /// }
    /// ```
    /// - Precondition: `0 <= index < count`, `count <= size`, and the batches not already sharded.
    public func sharded(_ index: Int, of count: Int) -> Batches {
        guard count > 0, (0..<count).contains(index) else {
            fail("Batches.sharded(_:of:): part \(index) of \(count) (it must be in 0..<\(count))")
        }
        guard count <= size else {
            fail("Batches.sharded(_:of:): \(count) parts of batches of \(size) examples leave some parts empty")
        }
        guard shard == nil else { fail("Batches.sharded(_:of:): the batches are already sharded") }
        var copy = self
        copy.shard = (index, count)
        let last = order.count - (self.count - 1) * size
        if self.count > 0, last < count { copy.count -= 1 }
        return copy
    }
}
