#if canImport(Glibc)
    import Glibc
#endif

/// The most resident memory this process has had so far, in MiB (`getrusage`'s
/// `ru_maxrss`): a workload run alone in its process, as `compare.sh` runs them, shows its own.
func peakResidentMegabytes() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024  // Linux reports KiB
}

/// The memory resident right now, in MiB: the second field of `/proc/self/statm`, in pages.
func residentMegabytes() -> Double {
    var bytes = [UInt8](repeating: 0, count: 256)
    let file = open("/proc/self/statm", O_RDONLY)
    guard file >= 0 else { return .nan }
    defer { close(file) }
    let count = read(file, &bytes, bytes.count)
    guard count > 0 else { return .nan }
    let fields = String(decoding: bytes[..<count], as: UTF8.self).split(separator: " ")
    guard fields.count > 1, let pages = Int(fields[1]) else { return .nan }
    return Double(pages * sysconf(Int32(_SC_PAGESIZE))) / (1024 * 1024)
}
