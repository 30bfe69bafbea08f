// Reading bounded ranges of a file, and replacing a file atomically: a temporary file in the
// same folder, written and flushed, then renamed over the old one.
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An open file read by position; every read is checked against the file's size first.
struct ReadableFile {
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

/// Writes `parts` one after another to `path` so that `path` always holds either its old
/// contents or all of the new ones: into a temporary file beside it, flushed to disk, then
/// renamed over it (and the folder flushed). On failure the temporary file is removed.
/// `afterPart` runs after each part is written (the tests stop the process there).
func writeAtomically(
    _ parts: [[UInt8]], to path: String, afterPart: (Int) -> Void = { _ in }
) throws(CheckpointError) {
    func failure(_ what: String) -> CheckpointError {
        .unwritable(path: path, reason: "\(what): \(String(cString: strerror(errno)))")
    }
    let slash = path.lastIndex(of: "/")
    let folder = slash.map { String(path[..<$0]).isEmpty ? "/" : String(path[..<$0]) } ?? "."
    let base = slash.map { String(path[path.index(after: $0)...]) } ?? path
    var template = Array("\(folder)/.\(base).XXXXXX".utf8CString)
    let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    guard descriptor >= 0 else { throw failure("cannot create a temporary file in \(folder)") }
    let temporary = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    var renamed = false
    defer {
        if !renamed { unlink(temporary) }
    }
    do {
        defer { _ = Glibc.close(descriptor) }
        for (index, part) in parts.enumerated() {
            defer { afterPart(index) }
            var done = 0
            while done < part.count {
                let n = part.withUnsafeBytes { write(descriptor, $0.baseAddress! + done, part.count - done) }
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { throw failure("writing \(temporary)") }
                done += n
            }
        }
        guard fsync(descriptor) == 0 else { throw failure("flushing \(temporary)") }
        // mkstemp makes the file readable by its owner only; a checkpoint gets the usual mode.
        _ = fchmod(descriptor, 0o644)
    }
    guard rename(temporary, path) == 0 else { throw failure("renaming \(temporary) over it") }
    renamed = true
    let directory = open(folder, O_RDONLY | O_CLOEXEC)
    if directory >= 0 {
        _ = fsync(directory)
        _ = Glibc.close(directory)
    }
}
