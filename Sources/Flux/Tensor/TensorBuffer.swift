import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where a tensor buffer's elements are and how many.
@usableFromInline
struct TensorBufferHeader<Scalar> {
    @usableFromInline let base: UnsafeMutablePointer<Scalar>
    @usableFromInline let count: Int
    /// Whether the elements live in a pooled block rather than in the object itself.
    @usableFromInline let pooled: Bool

    @inlinable init(base: UnsafeMutablePointer<Scalar>, count: Int, pooled: Bool) {
        (self.base, self.count, self.pooled) = (base, count, pooled)
    }
}

/// The heap storage of a tensor: a fixed number of elements.
///
/// Tensors share a buffer until one of them is written to (copy-on-write). Small buffers
/// keep their elements in the object itself (one allocation per tensor); large ones point
/// into a 64-byte aligned block that goes back to ``BufferCache`` when freed, so that a
/// training loop that allocates the same shapes every step reuses memory whose pages are
/// already mapped.
@usableFromInline
final class TensorBuffer<Scalar: TensorScalar>: ManagedBuffer<TensorBufferHeader<Scalar>, Scalar> {
    // Read through the header's address: `header` itself is a class property, and every
    // access to it would pay a dynamic exclusivity check (~75 instructions).
    /// The first element.
    @inlinable var base: UnsafeMutablePointer<Scalar> { withUnsafeMutablePointerToHeader { $0.pointee.base } }
    /// The number of elements.
    @inlinable var count: Int { withUnsafeMutablePointerToHeader { $0.pointee.count } }

    /// A buffer of `count` elements whose contents are undefined until written, or nil when
    /// the system has no block that large.
    ///
    /// - Precondition: `count` elements in bytes fit in `Int` (``checkedSize(of:elementSize:operation:)``).
    @inlinable
    static func make(uninitializedCount count: Int) -> TensorBuffer? {
        let bytes = count * MemoryLayout<Scalar>.stride
        if bytes >= BufferCache.minimumBytes {
            guard let raw = BufferCache.allocate(byteCount: bytes) else { return nil }
            let block = raw.bindMemory(to: Scalar.self, capacity: count)
            let object = create(minimumCapacity: 0) { _ in
                TensorBufferHeader(base: block, count: count, pooled: true)
            }
            return unsafeDowncast(object, to: TensorBuffer.self)
        }
        let object = create(minimumCapacity: count) { buffer in
            TensorBufferHeader(base: buffer.withUnsafeMutablePointerToElements { $0 }, count: count, pooled: false)
        }
        return unsafeDowncast(object, to: TensorBuffer.self)
    }

    @inlinable
    deinit {
        let (pooled, base, count) = withUnsafeMutablePointerToHeader {
            ($0.pointee.pooled, $0.pointee.base, $0.pointee.count)
        }
        if pooled { BufferCache.free(UnsafeMutableRawPointer(base), byteCount: count * MemoryLayout<Scalar>.stride) }
    }

    /// A new buffer holding the same elements.
    @inlinable
    func copy() -> TensorBuffer {
        guard let other = TensorBuffer.make(uninitializedCount: count) else {
            failAllocation(
                of: [count], bytes: count * MemoryLayout<Scalar>.stride, scalar: Scalar.self, operation: "copy")
        }
        other.base.update(from: base, count: count)
        return other
    }
}

/// A process-wide pool of large freed buffers, keyed by size.
///
/// Fresh memory costs a page fault per 4 KiB on first touch (about 1.2 µs on a virtual
/// machine), which can cost more than the arithmetic that fills it; a buffer taken from the
/// pool is already mapped. Buffers under ``minimumBytes`` go straight to `malloc`, which
/// serves them from warm memory anyway. The pool holds at most ``capacityBytes``.
@usableFromInline
enum BufferCache {
    /// Buffers smaller than this are not pooled.
    @usableFromInline static let minimumBytes = 64 * 1024
    /// The most memory the pool keeps (256 MiB).
    static let capacityBytes = 256 * 1024 * 1024
    @usableFromInline static let alignment = 64

    struct Pool {
        /// Free blocks of each bucket size. A bucket is a class, so that taking and
        /// returning a block mutates it in place, never through the dictionary (whose
        /// `default:` subscript measured 10 allocations per `mlp` step).
        var free: [Int: Bucket] = [:]
        var bytes = 0
    }

    /// The addresses of free blocks of one size (addresses, which are Sendable).
    final class Bucket {
        var addresses: [UInt] = []
        init() { addresses.reserveCapacity(16) }
    }
    static let pool = Mutex(Pool())

    /// Rounds a pooled size up to whole pages, so that near sizes share a bucket.
    static func bucket(_ byteCount: Int) -> Int { (byteCount + 4095) & ~4095 }

    /// A block of at least `byteCount` bytes, 64-byte aligned, or nil when the system has none
    /// that large. Blocks come from `posix_memalign`, which reports a failure where Swift's
    /// `allocate` stops without saying which tensor asked; ``free(_:byteCount:)`` frees them.
    @usableFromInline
    static func allocate(byteCount: Int) -> UnsafeMutableRawPointer? {
        guard byteCount >= minimumBytes else { return system(byteCount: max(byteCount, 1)) }
        guard byteCount <= Int.max - 4095 else { return nil }  // no bucket: more than any machine has
        let size = bucket(byteCount)
        let reused = pool.withLock { pool -> UInt? in
            guard let p = pool.free[size]?.addresses.popLast() else { return nil }
            pool.bytes -= size
            return p
        }
        if let reused, let p = UnsafeMutableRawPointer(bitPattern: reused) { return p }
        return system(byteCount: size)
    }

    /// A fresh aligned block from the system allocator, or nil.
    static func system(byteCount: Int) -> UnsafeMutableRawPointer? {
        var block: UnsafeMutableRawPointer?
        guard posix_memalign(&block, alignment, byteCount) == 0 else { return nil }
        return block
    }

    @usableFromInline
    static func free(_ pointer: UnsafeMutableRawPointer, byteCount: Int) {
        guard byteCount >= minimumBytes else { return systemFree(pointer) }
        let size = bucket(byteCount)
        let kept = pool.withLock { pool -> Bool in
            guard pool.bytes + size <= capacityBytes else { return false }
            if let bucket = pool.free[size] {
                bucket.addresses.append(UInt(bitPattern: pointer))
            } else {
                let bucket = Bucket()
                bucket.addresses.append(UInt(bitPattern: pointer))
                pool.free[size] = bucket
            }
            pool.bytes += size
            return true
        }
        if !kept { systemFree(pointer) }
    }

    /// Frees every pooled buffer (the memory goes back to the system allocator).
    static func drain() {
        let all = pool.withLock { pool -> [UInt] in
            defer { pool = Pool() }
            return pool.free.values.flatMap { $0.addresses }
        }
        for address in all { systemFree(UnsafeMutableRawPointer(bitPattern: address)) }
    }

    /// How many bytes the pool holds now.
    static var pooledBytes: Int { pool.withLock { $0.bytes } }
}

/// Frees a block from ``BufferCache/system(byteCount:)`` (here `free` is the C library's,
/// not the pool's).
private func systemFree(_ block: UnsafeMutableRawPointer?) { free(block) }
