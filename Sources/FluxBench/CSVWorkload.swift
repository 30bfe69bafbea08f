import BenchReport
import Flux
import Foundation

/// `csv`: reads a generated numeric file of 2,000 lines of 1,000 fields (~21 MB, lines of
/// ~10 KB) as `Tensor<Double>`; the median of 5 reads after one warm-up read.
/// `Tools/csv_loadtxt_bench.py` writes the same bytes and times `numpy.loadtxt` on them.
func benchCSV() {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("flux-bench-\(getpid())")
    try! FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("numbers.csv").path
    let bytes = benchmarkCSV(rows: 2000, columns: 1000)
    try! Data(bytes).write(to: URL(fileURLWithPath: path))

    var times: [Double] = []
    for read in 0..<6 {
        let start = now()
        let table = try! Tensor<Double>(contentsOfCSV: path)
        if read > 0 { times.append(now() - start) }
        precondition(table.shape == [2000, 1000], "csv: read \(table.shape)")
    }
    let t = times.sorted()[times.count / 2]
    let megabytes = Double(bytes.count) / 1e6
    report(workload: "csv", [("mb_per_s", megabytes / t), ("ms_per_read", t * 1e3), ("megabytes", megabytes)])
}

/// The benchmark's file: field `i` (row-major) is chosen by a hash of `i`, so that the
/// Python script can write the very same bytes. Half are short decimals (`-12.345678`), the
/// rest integers, 17-digit decimals, numbers with an exponent and one- or two-digit decimals.
func benchmarkCSV(rows: Int, columns: Int) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(rows * columns * 11)
    func append(_ value: UInt64, width: Int = 1) {
        let digits = Array(String(value).utf8)
        out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: max(width - digits.count, 0)))
        out.append(contentsOf: digits)
    }
    func append(_ text: String) { out.append(contentsOf: text.utf8) }
    for row in 0..<rows {
        for column in 0..<columns {
            if column > 0 { append(",") }
            let r = hash(UInt64(row * columns + column))
            let v = r >> 3
            switch r & 7 {
            case 0..<4:
                if v & 1 == 1 { append("-") }
                append((v >> 1) % 100)
                append(".")
                append((v >> 8) % 1_000_000, width: 6)
            case 4:
                append(v % 100_000)
            case 5:
                append(v % 10)
                append(".")
                append((v >> 4) % 10_000_000_000_000_000, width: 16)
            case 6:
                append(v % 10)
                append(".")
                append((v >> 4) % 10_000, width: 4)
                append((v >> 20) & 1 == 1 ? "e-" : "e")
                append((v >> 21) % 40, width: 2)
            default:
                append(v % 10)
                append(".")
                append((v >> 4) % 100)
            }
        }
        append("\n")
    }
    return out
}

/// SplitMix64's output function applied to `i + 1` steps of its increment.
private func hash(_ i: UInt64) -> UInt64 {
    var z = (i &+ 1) &* 0x9E37_79B9_7F4A_7C15
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
}
