#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The bytes of the file at `path`, followed by one NUL byte that is not part of the file:
/// a parser can look one byte past the last without a bounds check.
///
/// - Throws: ``DataFileError/unreadable(path:reason:)`` with the system's reason.
func contentsOfFileWithSentinel(_ path: String) throws(DataFileError) -> [UInt8] {
    func failure() -> DataFileError { .unreadable(path: path, reason: String(cString: strerror(errno))) }
    let file = open(path, O_RDONLY | O_CLOEXEC)
    guard file >= 0 else { throw failure() }
    defer { close(file) }
    var info = stat()
    guard fstat(file, &info) == 0 else { throw failure() }
    // Room for the whole file, the sentinel, and one spare byte so that the read that sees
    // the end needs no growth; files whose size `stat` does not know (pipes) grow as read.
    var bytes = [UInt8](repeating: 0, count: max(Int(info.st_size), 0) + 2)
    var count = 0
    while true {
        if count == bytes.count - 1 { bytes.append(contentsOf: repeatElement(0, count: max(bytes.count, 1 << 16))) }
        let n = bytes.withUnsafeMutableBytes { read(file, $0.baseAddress! + count, $0.count - 1 - count) }
        if n > 0 {
            count += n
        } else if n == 0 {
            break
        } else if errno != EINTR {
            throw failure()
        }
    }
    bytes.removeLast(bytes.count - count - 1)
    return bytes
}
