// The benchmarks' clock and result lines in the peers' format (`../shared/peers/README.md`),
// shared by `make bench` and `make bench-distributed`.
#if canImport(Glibc)
    import Glibc
#endif

/// Monotonic time in seconds.
public func now() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

/// One result line in the peers' format: four decimals per field, then the loss with six,
/// as the peers print theirs.
public func report(peer: String = "flux", workload: String, _ fields: [(String, Double)], lossStep20: Float? = nil) {
    var text = fields.map { "\($0.0)=\(String(format2: $0.1))" }
    if let loss = lossStep20 { text.append("loss_step20=\(String(format2: Double(loss), decimals: 6))") }
    print("peer=\(peer) workload=\(workload) \(text.joined(separator: " "))")
    fflush(nil)  // lines reach a pipe as they are made
}

extension String {
    /// A number with a fixed count of decimals (four unless told), without Foundation.
    public init(format2 x: Double, decimals: Int = 4) {
        guard x.isFinite else {
            self = "\(x)"
            return
        }
        var unit = 1.0
        for _ in 0..<decimals { unit *= 10 }
        let scaled = (x * unit).rounded()
        let whole = Int(scaled / unit)
        let frac = Int(abs(scaled).truncatingRemainder(dividingBy: unit))
        let fracText = String(frac)
        let sign = x < 0 && whole == 0 ? "-" : ""
        self = "\(sign)\(whole).\(String(repeating: "0", count: decimals - fracText.count))\(fracText)"
    }
}
