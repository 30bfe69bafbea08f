#if canImport(Glibc)
    import Glibc
#endif

/// How many cores elementwise passes may split a large tensor over (the online processors).
@usableFromInline let processorCount = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))

/// Elements below which a pass stays on the calling thread: handing work to another thread
/// costs a few microseconds, about what one core needs for 64K elements of Adam.
@usableFromInline let parallelThreshold = 1 << 16

/// Calls `body` with consecutive ranges covering `0..<count`: the calling thread takes the
/// first part and the helper threads of ``ChunkWorkers`` the others, when `count` reaches
/// ``parallelThreshold`` and the helpers are free; otherwise `body` runs once on this
/// thread. Range bounds are multiples of 16, so no two threads write the same 64-byte line
/// of `Float`s. Nothing is allocated.
@inlinable
func forEachChunk(of count: Int, _ body: (Range<Int>) -> Void) {
    let parts = count >= parallelThreshold ? processorCount : 1
    guard parts > 1 else { return body(0..<count) }
    let step = (count / parts + 15) & ~15
    func part(_ i: Int) -> Range<Int> {
        let start = min(i * step, count)
        return start..<(i == parts - 1 ? count : min(start + step, count))
    }
    if !ChunkWorkers.shared.run(parts: parts, { body(part($0)) }) {
        for i in 0..<parts { body(part(i)) }
    }
}

/// Helper threads, one per core beyond the first, parked on a condition variable between
/// jobs. A job is handed over without allocating (Dispatch's `concurrentPerform` measured
/// about six allocations per call), which keeps a training step's allocation count flat.
@usableFromInline
final class ChunkWorkers: @unchecked Sendable {
    /// The process's helpers.
    @usableFromInline static let shared = ChunkWorkers(helpers: processorCount - 1)

    // pthread objects must not move, so they live in allocated memory, not in properties.
    private let lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let wake = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private let finished = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    /// Serialises callers: a second thread that finds the helpers busy does its work alone.
    private let entry = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    // Read and written only while `lock` is held.
    @exclusivity(unchecked) private var job: ((Int) -> Void)?
    @exclusivity(unchecked) private var parts = 0
    @exclusivity(unchecked) private var generation = 0
    @exclusivity(unchecked) private var pending = 0
    private let helpers: Int

    private init(helpers: Int) {
        self.helpers = helpers
        pthread_mutex_init(lock, nil)
        pthread_mutex_init(entry, nil)
        pthread_cond_init(wake, nil)
        pthread_cond_init(finished, nil)
        // A forked child has none of the helper threads: it must not wait for them.
        pthread_atfork(nil, nil) { inForkedChild = true }
        for index in 0..<helpers {
            var thread = pthread_t()
            let context = Unmanaged.passRetained(HelperStart(workers: self, index: index + 1)).toOpaque()
            pthread_create(
                &thread, nil,
                { context in
                    let start = Unmanaged<HelperStart>.fromOpaque(context!).takeRetainedValue()
                    start.workers.serve(part: start.index)
                }, context)
            pthread_detach(thread)
        }
    }

    /// Runs `job(0)` here and `job(1)`…`job(parts - 1)` on the helpers, and returns when all
    /// are done; returns false (running nothing) when the helpers are busy or too few.
    @usableFromInline
    func run(parts: Int, _ job: (Int) -> Void) -> Bool {
        guard parts - 1 <= helpers, !inForkedChild, pthread_mutex_trylock(entry) == 0 else { return false }
        defer { pthread_mutex_unlock(entry) }
        withoutActuallyEscaping(job) { job in
            pthread_mutex_lock(lock)
            (self.job, self.parts, pending) = (job, parts, parts - 1)
            generation += 1
            pthread_cond_broadcast(wake)
            pthread_mutex_unlock(lock)
            job(0)
            pthread_mutex_lock(lock)
            while pending > 0 { pthread_cond_wait(finished, lock) }
            self.job = nil  // the caller's closure must not outlive the call
            pthread_mutex_unlock(lock)
        }
        return true
    }

    /// A helper's loop: wait for a new job, run its part `part` if there is one, report.
    fileprivate func serve(part: Int) -> Never {
        var seen = 0
        while true {
            pthread_mutex_lock(lock)
            while generation == seen { pthread_cond_wait(wake, lock) }
            seen = generation
            var job = part < parts ? self.job : nil
            pthread_mutex_unlock(lock)
            guard job != nil else { continue }
            job!(part)
            job = nil  // let go before reporting: the caller checks that its closure did not escape
            pthread_mutex_lock(lock)
            pending -= 1
            if pending == 0 { pthread_cond_signal(finished) }
            pthread_mutex_unlock(lock)
        }
    }
}

/// Set in a child process made by `fork`, where the helper threads do not exist.
nonisolated(unsafe) private var inForkedChild = false

/// What a helper thread starts with.
private final class HelperStart {
    let workers: ChunkWorkers
    let index: Int
    init(workers: ChunkWorkers, index: Int) { (self.workers, self.index) = (workers, index) }
}
