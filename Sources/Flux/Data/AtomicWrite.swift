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

/// Writes `parts` one after another to `path` atomically: into a new temporary file in the
/// same folder, flushed to disk, then renamed over `path` (rename(2) replaces an existing file
/// in one step) and the folder flushed, so a reader sees the old file or the new one, never a
/// part, even when the process is killed. On failure the temporary file is removed and `path`
/// is untouched. `afterPart` runs after each part is written (tests stop the process there).
///
/// - Throws: `FileWriteError` naming `path`, the step and the system's reason.
func writeAtomically(
    _ parts: [[UInt8]], to path: String, afterPart: (Int) -> Void = { _ in }
) throws(FileWriteError) {
    func failure(_ step: String) -> FileWriteError {
        FileWriteError(path: path, reason: "\(step): " + String(cString: strerror(errno)))
    }
    let slash = path.lastIndex(of: "/")
    let folder = slash.map { String(path[...$0]) } ?? "./"
    let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
    guard !name.isEmpty else { throw FileWriteError(path: path, reason: "the path names a folder, not a file") }
    var template = Array("\(folder).\(name).tmp-XXXXXX".utf8CString)
    let file = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    guard file >= 0 else { throw failure("creating a temporary file in the same folder") }
    let temporary = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    var renamed = false
    defer {
        if !renamed { unlink(temporary) }
    }
    do {
        defer { close(file) }
        for (index, part) in parts.enumerated() {
            var written = 0
            while written < part.count {
                let n = part.withUnsafeBytes { write(file, $0.baseAddress! + written, $0.count - written) }
                if n >= 0 {
                    written += n
                } else if errno != EINTR {
                    throw failure("writing")
                }
            }
            afterPart(index)
        }
        guard fsync(file) == 0 else { throw failure("flushing to disk") }
        _ = fchmod(file, 0o644)  // mkstemp makes it private to its owner
    }
    guard rename(temporary, path) == 0 else { throw failure("renaming the temporary file over it") }
    renamed = true
    let directory = open(folder, O_RDONLY | O_CLOEXEC)
    if directory >= 0 {
        _ = fsync(directory)
        close(directory)
    }
}
