import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Background threads of ``BatchPrefetcher`` still running (for tests: none once every
/// iteration has ended or been dropped).
let runningBatchProducers = Atomic<Int>(0)

/// A thread that gathers a ``Batches``' batches in order into a queue of at most `depth`,
/// and the consumer's end of that queue. Dropping the prefetcher (the iterator that owns
/// it) stops the thread and waits for it: a loop left early leaves no thread behind.
final class BatchPrefetcher<Input: TensorScalar, Label: TensorScalar> {
    private let queue: BatchQueue<Input, Label>
    private let thread: pthread_t

    init(_ batches: Batches<Input, Label>, depth: Int) {
        let queue = BatchQueue<Input, Label>(depth: depth)
        self.queue = queue
        // The thread's entry point is a C function and cannot be generic: it runs a closure.
        let start = ThreadStart {
            for index in 0..<batches.count {
                guard queue.put(batches.batch(index)) else { break }
            }
            queue.finish()
        }
        runningBatchProducers.add(1, ordering: .relaxed)
        var thread = pthread_t()
        let created = pthread_create(
            &thread, nil,
            { context in
                let start = Unmanaged<ThreadStart>.fromOpaque(context!).takeRetainedValue()
                start.body()
                runningBatchProducers.subtract(1, ordering: .releasing)
                return nil
            }, Unmanaged.passRetained(start).toOpaque())
        guard created == 0 else { fail("Batches.prefetching(_:): cannot start a thread (error \(created))") }
        self.thread = thread
    }

    /// The next batch, waiting for the thread to gather it; nil after the last.
    func next() -> Batches<Input, Label>.Element? { queue.take() }

    deinit {
        queue.cancel()
        pthread_join(thread, nil)
    }
}

/// What a producer thread runs.
private final class ThreadStart: Sendable {
    let body: @Sendable () -> Void
    init(_ body: @escaping @Sendable () -> Void) { self.body = body }
}

/// A bounded queue of batches between one producer and one consumer, guarded by a pthread
/// mutex with a condition for each side.
private final class BatchQueue<Input: TensorScalar, Label: TensorScalar>: @unchecked Sendable {
    typealias Element = Batches<Input, Label>.Element

    // pthread objects must not move, so they live in allocated memory, not in properties.
    private let lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let notEmpty = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private let notFull = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private let depth: Int
    // Guarded by `lock`.
    private var waiting: [Element] = []
    private var finished = false
    private var cancelled = false

    init(depth: Int) {
        self.depth = depth
        pthread_mutex_init(lock, nil)
        pthread_cond_init(notEmpty, nil)
        pthread_cond_init(notFull, nil)
    }

    deinit {
        pthread_cond_destroy(notFull)
        pthread_cond_destroy(notEmpty)
        pthread_mutex_destroy(lock)
        for pointer in [notFull, notEmpty] { pointer.deallocate() }
        lock.deallocate()
    }

    /// Producer: waits for room and adds `batch`; false when the consumer has gone.
    func put(_ batch: Element) -> Bool {
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        while waiting.count >= depth && !cancelled { pthread_cond_wait(notFull, lock) }
        guard !cancelled else { return false }
        waiting.append(batch)
        pthread_cond_signal(notEmpty)
        return true
    }

    /// Producer: there are no more batches.
    func finish() {
        pthread_mutex_lock(lock)
        finished = true
        pthread_cond_signal(notEmpty)
        pthread_mutex_unlock(lock)
    }

    /// Consumer: waits for the next batch; nil once the producer has finished and the
    /// queue is empty.
    func take() -> Element? {
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        while waiting.isEmpty && !finished { pthread_cond_wait(notEmpty, lock) }
        guard !waiting.isEmpty else { return nil }
        pthread_cond_signal(notFull)
        return waiting.removeFirst()
    }

    /// Consumer: stop; the producer returns from a waiting or later `put`.
    func cancel() {
        pthread_mutex_lock(lock)
        cancelled = true
        waiting.removeAll()
        pthread_cond_signal(notFull)
        pthread_mutex_unlock(lock)
    }
}
