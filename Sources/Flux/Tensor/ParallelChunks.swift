import CFluxKernels
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// How many cores Flux splits large products and elementwise passes over: the online
/// processors, or `OPENBLAS_NUM_THREADS` when that is set (Flux runs OpenBLAS itself on one
/// thread and splits the work, so the variable keeps its meaning: threads for compute).
@usableFromInline let processorCount: Int = {
    let online = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    guard let text = getenv("OPENBLAS_NUM_THREADS"), let asked = Int(String(cString: text)), asked > 0 else {
        return online
    }
    return asked
}()

/// Elements below which a pass stays on the calling thread: handing work to another thread
/// costs a few microseconds, about what one core needs for 64K elements of Adam.
@usableFromInline let parallelThreshold = 1 << 16

/// Work on a range of elements, split between cores by ``forEachChunk(of:splitting:_:)``.
///
/// A struct rather than a closure: a closure handed to another thread must escape, and
/// making a caller's closure escapable allocates on every call.
@usableFromInline
protocol ChunkedWork {
    /// Does the work for the elements in `range`.
    func callAsFunction(_ range: Range<Int>)
}

/// Runs `work` on consecutive ranges covering `0..<count`: the calling thread takes the
/// first part and the helper threads of ``ChunkWorkers`` the others, when `splitting` (by
/// default, when `count` reaches ``parallelThreshold``) and the helpers are free; otherwise
/// `work` runs once on this thread. Inner bounds are multiples of 16, so no two threads
/// write the same 64-byte line of `Float`s. Nothing is allocated.
@inlinable
func forEachChunk<Work: ChunkedWork>(
    of count: Int, splitting: Bool? = nil, _ work: Work
) {
    let split = splitting ?? (count >= parallelThreshold)
    let parts = split ? min(processorCount, max(1, count / 16)) : 1
    guard parts > 1 else { return work(0..<count) }
    let step = (count / parts + 15) & ~15
    withUnsafePointer(to: work) { pointer in
        let job = ChunkJob(context: UnsafeRawPointer(pointer), count: count, parts: parts, step: step) {
            context, range in context.assumingMemoryBound(to: Work.self).pointee(range)
        }
        if !ChunkWorkers.shared.run(job) {
            for i in 0..<parts { job.run(part: i) }
        }
    }
}

/// One split job: the caller's work (on its stack) and how to call it on part `i`.
@usableFromInline
struct ChunkJob {
    @usableFromInline let context: UnsafeRawPointer
    @usableFromInline let count: Int, parts: Int, step: Int
    /// Calls the work at `context` on a range; a closure without captures (the work's type
    /// is known where it is made), so storing it allocates nothing.
    @usableFromInline let invoke: (UnsafeRawPointer, Range<Int>) -> Void

    @inlinable
    init(
        context: UnsafeRawPointer, count: Int, parts: Int, step: Int,
        invoke: @escaping (UnsafeRawPointer, Range<Int>) -> Void
    ) {
        (self.context, self.count, self.parts, self.step, self.invoke) = (context, count, parts, step, invoke)
    }

    /// Runs part `i` of `parts`.
    @inlinable
    func run(part i: Int) {
        let start = min(i * step, count)
        invoke(context, start..<(i == parts - 1 ? count : min(start + step, count)))
    }
}

/// Helper threads, one per core beyond the first. Between jobs a helper spins for a few
/// hundred microseconds, then parks on a condition variable: waking a parked thread on a virtual
/// machine can take tens of microseconds, about what a split saves, while OpenBLAS's own
/// pool, which spins for 2^28 cycles, fought Flux's work on the other core. A job is handed
/// over without allocating (Dispatch's `concurrentPerform` measured about six allocations
/// per call).
@usableFromInline
final class ChunkWorkers: @unchecked Sendable {
    /// The process's helpers.
    @usableFromInline static let shared = ChunkWorkers(helpers: processorCount - 1)

    /// How long a thread polls before it parks: 20,000 `pause` instructions, a few hundred
    /// microseconds. An LSTM hands a product over at every time step with some tens of
    /// microseconds of other work between: with a tenth of this, the helper parked between
    /// steps and each wake-up cost about what the split saved (lstm 4% slower; mlp and
    /// tiny unchanged either way).
    private static let spins = 20000

    // pthread objects must not move, so they live in allocated memory, not in properties.
    private let lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let wake = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private let finished = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    /// Serialises callers: a second thread that finds the helpers busy does its work alone.
    private let entry = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    /// Counts jobs; a helper starts a job when it sees this change (release/acquire
    /// publishes `job` and `parts`).
    private let generation = Atomic<Int>(0)
    /// Parts still running on helpers.
    private let pending = Atomic<Int>(0)
    // Written by the caller before `generation` changes, read by helpers after.
    @exclusivity(unchecked) private var job: ChunkJob?
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

    /// Runs part 0 of `job` here and the others on the helpers, and returns when all are
    /// done; returns false (running nothing) when the helpers are busy or too few.
    @usableFromInline
    func run(_ job: ChunkJob) -> Bool {
        guard job.parts - 1 <= helpers, !inForkedChild, pthread_mutex_trylock(entry) == 0 else { return false }
        defer { pthread_mutex_unlock(entry) }
        self.job = job
        pending.store(job.parts - 1, ordering: .relaxed)
        pthread_mutex_lock(lock)
        generation.add(1, ordering: .releasing)
        pthread_cond_broadcast(wake)
        pthread_mutex_unlock(lock)
        job.run(part: 0)
        var polls = 0
        while pending.load(ordering: .acquiring) > 0 && polls < Self.spins {
            flux_pause()
            polls += 1
        }
        if pending.load(ordering: .acquiring) > 0 {
            pthread_mutex_lock(lock)
            while pending.load(ordering: .acquiring) > 0 { pthread_cond_wait(finished, lock) }
            pthread_mutex_unlock(lock)
        }
        self.job = nil  // its context points into the caller's stack
        return true
    }

    /// A helper's loop: wait for a new job, run its part `part` if there is one, report.
    fileprivate func serve(part: Int) -> Never {
        var seen = 0
        while true {
            var polls = 0
            while generation.load(ordering: .acquiring) == seen && polls < Self.spins {
                flux_pause()
                polls += 1
            }
            if generation.load(ordering: .acquiring) == seen {
                pthread_mutex_lock(lock)
                while generation.load(ordering: .acquiring) == seen { pthread_cond_wait(wake, lock) }
                pthread_mutex_unlock(lock)
            }
            seen = generation.load(ordering: .acquiring)
            guard let job = self.job, part < job.parts else { continue }
            job.run(part: part)
            if pending.subtract(1, ordering: .releasing).newValue == 0 {
                pthread_mutex_lock(lock)
                pthread_cond_signal(finished)
                pthread_mutex_unlock(lock)
            }
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
