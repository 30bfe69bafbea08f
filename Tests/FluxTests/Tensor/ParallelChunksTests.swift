import Synchronization
import Testing

@testable import Flux

/// Work that runs `body` on its range.
private struct Recorded: ChunkedWork {
    let body: @Sendable (Range<Int>) -> Void
    func callAsFunction(_ range: Range<Int>) { body(range) }
}

@Suite struct ParallelChunksTests {
    /// Every index is visited exactly once, in ranges whose inner bounds are multiples of 16,
    /// for counts below, at and above the threshold.
    @Test(arguments: [0, 1, 1000, parallelThreshold - 1, parallelThreshold, 3 * parallelThreshold + 7])
    func chunksCoverEveryIndexOnce(count: Int) {
        let visits = Mutex([UInt8](repeating: 0, count: count))
        let bounds = Mutex<[Int]>([])
        forEachChunk(
            of: count,
            Recorded { range in
                visits.withLock { v in for i in range { v[i] += 1 } }
                bounds.withLock { $0.append(range.lowerBound) }
            })
        #expect(visits.withLock { $0.allSatisfy { $0 == 1 } }, "count \(count)")
        #expect(bounds.withLock { $0.allSatisfy { $0 % 16 == 0 } })
        #expect(bounds.withLock { $0.count } == (count >= parallelThreshold ? processorCount : 1))
    }

    /// Callers on several threads at once each get their whole range covered: one of them
    /// uses the helper threads, the others do their work alone.
    @Test func concurrentCallersEachFinishTheirWork() async {
        let count = 2 * parallelThreshold + 3
        let totals = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    let sum = Mutex(0)
                    forEachChunk(of: count, Recorded { range in sum.withLock { $0 += range.count } })
                    return sum.withLock { $0 }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(totals == Array(repeating: count, count: 8))
    }
}
