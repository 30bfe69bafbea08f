#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Why a file could not be written: the path and the system's reason.
public struct FileWriteError: Error, CustomStringConvertible, Equatable {
    /// The file that was to be written.
    public var path: String
    /// What went wrong, e.g. "No such file or directory".
    public var reason: String

    public var description: String { "\(path): cannot be written (\(reason))" }
}

/// Writes `bytes` to `path` atomically: into a new temporary file in the same folder, flushed
/// to disk, then renamed over `path` (rename(2) replaces an existing file in one step), so a
/// reader sees the old file or the new one, never a part. On failure the temporary file is
/// removed and `path` is untouched.
///
/// - Throws: `FileWriteError` naming `path` and the system's reason.
func writeAtomically(_ bytes: some Collection<UInt8>, to path: String) throws(FileWriteError) {
    func failure(_ step: String) -> FileWriteError {
        FileWriteError(path: path, reason: "\(step): " + String(cString: strerror(errno)))
    }
    let slash = path.lastIndex(of: "/")
    let folder = slash.map { String(path[...$0]) } ?? ""
    let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
    guard !name.isEmpty else { throw FileWriteError(path: path, reason: "the path names a folder, not a file") }
    var file: Int32 = -1
    var temporary = ""
    for _ in 0..<16 {
        temporary = folder + "." + name + ".tmp-" + String(UInt32.random(in: 0...UInt32.max), radix: 36)
        file = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        if file >= 0 || errno != EEXIST { break }
    }
    guard file >= 0 else { throw failure("creating a temporary file in the same folder") }
    var renamed = false
    defer {
        if !renamed { unlink(temporary) }
    }
    let contents = Array(bytes)
    var written = 0
    while written < contents.count {
        let n = contents.withUnsafeBytes { write(file, $0.baseAddress! + written, $0.count - written) }
        if n >= 0 {
            written += n
        } else if errno != EINTR {
            let error = failure("writing")
            close(file)
            throw error
        }
    }
    guard fsync(file) == 0 else {
        let error = failure("flushing to disk")
        close(file)
        throw error
    }
    guard close(file) == 0 else { throw failure("closing") }
    guard rename(temporary, path) == 0 else { throw failure("renaming the temporary file over it") }
    renamed = true
}
