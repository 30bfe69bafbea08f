import CBLAS

/// Outputs at least this large (in bytes) are written with non-temporal stores.
///
/// A normal store first reads the destination line into cache; for an output far larger
/// than the cache that read is wasted traffic (a third of a unary kernel's). Below the
/// threshold the result is left in cache, where the next operation finds it.
@usableFromInline let streamingThresholdBytes = 16 * 1024 * 1024

/// Bytes computed per block before they are streamed out: four cache lines. Short blocks
/// keep the reads and the streaming writes interleaved (measured: 256 bytes reach ~0.82 of
/// memcpy's bandwidth for relu, 16 KiB blocks ~0.7).
@usableFromInline let streamingBlockBytes = 256

/// Lets `body(destination, start, length)` compute elements `start ..< start + length` of
/// `out` into `destination[0 ..< length]`, then stores them; large outputs go through an
/// L1-resident block and non-temporal stores.
@inlinable
func writeElements<R>(
    into out: UnsafeMutablePointer<R>, count n: Int,
    _ body: (UnsafeMutablePointer<R>, Int, Int) -> Void
) {
    let stride = MemoryLayout<R>.stride
    guard n * stride >= streamingThresholdBytes, streamingBlockBytes % stride == 0,
        Int(bitPattern: out) % 16 == 0
    else { return body(out, 0, n) }
    let block = streamingBlockBytes / stride
    let scratch = UnsafeMutableRawPointer.allocate(byteCount: streamingBlockBytes, alignment: 64)
    defer { scratch.deallocate() }
    let staged = scratch.bindMemory(to: R.self, capacity: block)
    var start = 0
    while start < n {
        let length = min(block, n - start)
        body(staged, start, length)
        let bytes = length * stride
        let whole = bytes & ~15
        flux_stream_copy(UnsafeMutableRawPointer(out + start), scratch, whole)
        if whole < bytes {  // a tail shorter than 16 bytes: plain stores
            (UnsafeMutableRawPointer(out + start) + whole).copyMemory(from: scratch + whole, byteCount: bytes - whole)
        }
        start += length
    }
    flux_store_fence()
}
