import Testing

@testable import Flux

/// The pool is process-wide, so each check runs in a process of its own: another test's
/// buffers cannot take the block or refill the pool between the steps.
@Suite struct BufferCacheTests {
    /// A large buffer freed goes to the pool, and the next buffer of its size reuses it: a
    /// training loop that allocates the same shapes every step touches no fresh pages.
    @Test func aFreedLargeBufferIsReused() async {
        await #expect(processExitsWith: .success) {
            let count = 100_000  // 400 KB of Float, above the pooling threshold
            var first: UnsafeMutableRawPointer?
            do {
                let tensor = Tensor<Float>(zeros: [count])
                first = tensor.withUnsafeBufferPointer { UnsafeMutableRawPointer(mutating: $0.baseAddress) }
            }
            let second = Tensor<Float>(zeros: [count])
            let address = second.withUnsafeBufferPointer { UnsafeMutableRawPointer(mutating: $0.baseAddress) }
            precondition(address == first, "the pooled block was not reused")
        }
    }

    @Test func drainEmptiesThePool() async {
        await #expect(processExitsWith: .success) {
            do { _ = Tensor<Double>(zeros: [50_000]) }
            precondition(BufferCache.pooledBytes > 0)
            BufferCache.drain()
            precondition(BufferCache.pooledBytes == 0)
        }
    }
}
