#if canImport(Glibc)
    import Glibc
#endif

/// Writes `bytes` to `path`, in a new file: on ext4, truncating one and writing it again
/// waits for the disk.
func writeFuzzInput(_ bytes: [UInt8], to path: String) {
    unlink(path)
    guard let file = fopen(path, "wb") else { fatalError("flux-fuzz: cannot write \(path)") }
    precondition(fwrite(bytes, 1, bytes.count, file) == bytes.count, "flux-fuzz: cannot write \(path)")
    fclose(file)
}

/// The first 300 bytes as a Swift string literal would spell them.
func escaped(_ bytes: [UInt8]) -> String {
    let text = String(decoding: bytes.prefix(300), as: UTF8.self).debugDescription
    return bytes.count > 300 ? "\(text)… (\(bytes.count) bytes)" : text
}

/// Seconds on a clock that only goes forward.
func monotonicSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

/// A fuzzer of one file reader: it writes each input to `path`, reads it, and counts.
protocol FileFuzzer {
    init(seed: UInt64, path: String)
    /// Inputs tried so far.
    var tried: Int { get }
    /// How many of them the reader read (the rest it rejected, as it should).
    var accepted: Int { get }
    /// What went wrong, one line per failing input.
    var failures: [String] { get }
    /// Writes, reads and checks one more input.
    mutating func tryOne()
}

extension FileFuzzer {
    /// Tries inputs until `inputs` were tried or `seconds` have passed.
    mutating func run(inputs: Int = .max, seconds: Double = .infinity) {
        let start = monotonicSeconds()
        while tried < inputs, monotonicSeconds() - start < seconds { tryOne() }
    }
}
