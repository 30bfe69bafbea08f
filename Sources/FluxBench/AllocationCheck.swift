import CAllocationCounter
import Foundation

/// Stops the benchmark unless the allocation counter sees this process's allocations.
///
/// `n` arrays made one by one must count as exactly `n`; a counter that the linker had
/// bypassed would otherwise report a flattering zero in every `allocs_per_step`. The first
/// round only warms up: making `[Float]`'s type metadata allocates once per process.
func checkAllocationCounter() {
    let n = 7
    var counted: UInt64 = 0
    for _ in 0..<2 {
        let before = flux_allocation_count()
        for i in 0..<n { consume([Float](repeating: Float(i), count: 1024)) }
        counted = flux_allocation_count() - before
    }
    guard counted == n else {
        FileHandle.standardError.write(Data("flux-bench: \(n) arrays counted as \(counted) allocations\n".utf8))
        exit(1)
    }
}
