// Reading bounded ranges of a file: every read checked against the file's size first.
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Bytes read by position, from a file or from memory.
protocol ByteSource {
    /// The number of bytes.
    var size: Int { get }
    /// `count` bytes from `offset`, which the caller has checked lie inside the source.
    func read(count: Int, at offset: Int) throws(CheckpointError) -> [UInt8]
}

/// Bytes already in memory, named `path` in errors.
struct InMemoryBytes: ByteSource {
    let path: String
    let bytes: [UInt8]
    var size: Int { bytes.count }

    func read(count: Int, at offset: Int) throws(CheckpointError) -> [UInt8] {
        precondition(offset >= 0 && count >= 0 && offset + count <= size)
        return Array(bytes[offset..<offset + count])
    }
}

/// An open file read by position; every read is checked against the file's size first.
struct ReadableFile: ByteSource {
    let path: String
    let descriptor: Int32
    let size: Int

    init(_ path: String) throws(CheckpointError) {
        self.path = path
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            let reason = String(cString: strerror(errno))
            _ = Glibc.close(descriptor)
            throw .unreadable(path: path, reason: reason)
        }
        size = Int(info.st_size)
    }

    /// `count` bytes from `offset`, which the caller has checked lie inside the file.
    func read(count: Int, at offset: Int) throws(CheckpointError) -> [UInt8] {
        precondition(offset >= 0 && count >= 0 && offset + count <= size)
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let n = bytes.withUnsafeMutableBytes {
                pread(descriptor, $0.baseAddress! + done, count - done, off_t(offset + done))
            }
            if n > 0 {
                done += n
            } else if n == 0 {
                throw .malformed(
                    path: path, reason: "the file ended at byte \(offset + done) while reading (it changed size)")
            } else if errno != EINTR {
                throw .unreadable(path: path, reason: String(cString: strerror(errno)))
            }
        }
        return bytes
    }

    func close() { _ = Glibc.close(descriptor) }
}
