/// What ``Dataset/batches(size:shuffledBy:epoch:remainder:)`` does with the examples left
/// over when the batch size does not divide the dataset.
public enum BatchRemainder: Sendable, Hashable {
    /// The last batch is smaller: every example is seen once per epoch.
    case keepLast
    /// The leftover examples are skipped this epoch: every batch has the full size (a shuffle
    /// skips other examples each epoch).
    case dropLast
}

extension Dataset {
    /// One epoch's minibatches: consecutive pieces of `size` examples, after a shuffle drawn
    /// from `seed` and `epoch` (in the dataset's order when `seed` is nil).
    ///
    /// Each epoch's order comes from the seed and the epoch number alone, so the same pair
    /// always gives the same batches and epoch 3 can be replayed, after a restart from a
    /// checkpoint for instance, without replaying epochs 1 and 2. Add
    /// ``Batches/prefetching(_:)`` to gather the next batches on another thread while the
    /// current one trains.
    ///
    /// ```swift
    /// let train = Dataset(inputs: x, labels: y)
    /// for epoch in 1...10 {
    ///     for (images, targets) in train.batches(size: 32, shuffledBy: 42, epoch: epoch).prefetching(2) {
    ///         let grad = gradient(at: model) { m in meanSquaredError(m(images), targets) }
    ///         optimizer.update(&model, along: grad)
    ///     }
    /// }
    /// ```
    /// - Precondition: `size` > 0.
    public func batches(
        size: Int, shuffledBy seed: UInt64?, epoch: Int = 0, remainder: BatchRemainder = .keepLast
    ) -> Batches<Input, Label> {
        var order = Array(0..<count)
        if let seed {
            var generator = epochGenerator(seed: seed, epoch: epoch)
            shuffle(&order, using: &generator)
        }
        return Batches(self, order: order, size: size, remainder: remainder)
    }

    /// One epoch's minibatches after a shuffle drawn from `generator` (which advances); see
    /// ``batches(size:shuffledBy:epoch:remainder:)``, whose orders can be replayed from the
    /// seed and epoch alone.
    ///
    /// ```swift
    /// for (images, targets) in Dataset(inputs: x, labels: y).batches(size: 32, shuffledUsing: &rng) {
    ///     _ = (images, targets)
    /// }
    /// ```
    /// - Precondition: `size` > 0.
    public func batches(
        size: Int, shuffledUsing generator: inout RandomGenerator, remainder: BatchRemainder = .keepLast
    ) -> Batches<Input, Label> {
        var order = Array(0..<count)
        shuffle(&order, using: &generator)
        return Batches(self, order: order, size: size, remainder: remainder)
    }
}

/// One epoch's minibatches of a ``Dataset``, in a fixed order: a sequence of
/// `(inputs, labels)` pairs of contiguous tensors, each gathered in one pass when it is
/// needed, or ahead of time on another thread after ``prefetching(_:)``.
///
/// Iterating again gives the same batches.
///
/// ```swift
/// let batches = Dataset(inputs: inputs, labels: labels).batches(size: 3, shuffledBy: 1, remainder: .dropLast)
/// print(batches.count)   // 2 batches of 3; 2 of the 8 examples are left out
/// for (x, y) in batches { print(x.shape, y.shape) }   // [3, 4] [3]
/// ```
public struct Batches<Input: TensorScalar, Label: TensorScalar>: Sequence, Sendable {
    /// A batch: `[n, …]` inputs and `[n, …]` labels.
    public typealias Element = (inputs: Tensor<Input>, labels: Tensor<Label>)

    let dataset: Dataset<Input, Label>
    /// The epoch's order of the examples.
    let order: [Int]
    /// The number of examples in a full batch.
    public let size: Int
    /// The number of batches.
    public internal(set) var count: Int
    /// How many batches a background thread prepares ahead; 0 for none.
    public private(set) var prefetchDepth = 0
    /// This process's part of every batch, after ``sharded(_:of:)``: part `index` of `count`.
    public internal(set) var shard: (index: Int, count: Int)?

    init(_ dataset: Dataset<Input, Label>, order: [Int], size: Int, remainder: BatchRemainder) {
        guard size > 0 else { fail("Dataset.batches(size:): the batch size \(size) is not positive") }
        (self.dataset, self.order, self.size) = (dataset, order, size)
        count = remainder == .keepLast ? (order.count + size - 1) / size : order.count / size
    }

    /// The same batches, prepared up to `depth` ahead on a background thread while the
    /// caller works on the current one; `depth` 0 prepares none ahead.
    ///
    /// The thread starts when iteration starts and ends when the last batch is taken or
    /// the iteration is abandoned (a `break` out of the loop), so stopping early neither
    /// hangs nor leaves a thread behind. Each waiting batch holds memory.
    ///
    /// - Precondition: `depth` ≥ 0.
    public func prefetching(_ depth: Int = 2) -> Batches {
        guard depth >= 0 else { fail("Batches.prefetching(_:): the depth \(depth) is negative") }
        var copy = self
        copy.prefetchDepth = depth
        return copy
    }

    public var underestimatedCount: Int { count }

    /// Batch `index` (in `0..<count`), gathered now: this shard's part of it, when sharded.
    func batch(_ index: Int) -> Element {
        var range = index * size..<Swift.min(index * size + size, order.count)
        if let shard {
            let part = range.count / shard.count
            let start = range.lowerBound + shard.index * part
            range = start..<start + part
        }
        let piece = order.withUnsafeBufferPointer { dataset.rows(at: UnsafeBufferPointer(rebasing: $0[range])) }
        return (piece.inputs, piece.labels)
    }

    public func makeIterator() -> Iterator { Iterator(self) }

    /// Gives the batches in order, gathering each when asked or taking it from the
    /// background thread that ``Batches/prefetching(_:)`` starts.
    public struct Iterator: IteratorProtocol {
        private let batches: Batches
        private var position = 0
        /// The background thread's handle; dropping the last copy of the iterator stops it.
        private let prefetcher: BatchPrefetcher<Input, Label>?

        init(_ batches: Batches) {
            self.batches = batches
            prefetcher =
                batches.prefetchDepth > 0 && batches.count > 0
                ? BatchPrefetcher(batches, depth: batches.prefetchDepth) : nil
        }

        public mutating func next() -> Element? {
            if let prefetcher { return prefetcher.next() }
            guard position < batches.count else { return nil }
            defer { position += 1 }
            return batches.batch(position)
        }
    }
}
