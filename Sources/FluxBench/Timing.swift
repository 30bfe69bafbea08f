#if canImport(Glibc)
    import Glibc
#endif

/// Monotonic time in seconds.
func now() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

/// The peers' protocol (`../shared/peers/README.md`): 20 warm-up steps, then single steps
/// timed until at least `minSteps` steps and `minSeconds` seconds; returns the median step time.
func medianStepSeconds(_ step: () -> Void) -> Double {
    let env = { (name: String, fallback: Double) -> Double in
        getenv(name).flatMap { Double(String(cString: $0)) } ?? fallback
    }
    let warmup = Int(env("PEER_WARMUP", 20))
    let minSteps = Int(env("PEER_MIN_STEPS", 100))
    let minSeconds = env("PEER_MIN_SECONDS", 3)
    for _ in 0..<warmup { step() }
    var times: [Double] = []
    var total = 0.0
    while times.count < minSteps || total < minSeconds {
        let start = now()
        step()
        let t = now() - start
        times.append(t)
        total += t
    }
    times.sort()
    return times[times.count / 2]
}

/// Keeps a result alive so the optimizer cannot drop the work that made it.
@inline(never)
func consume<T>(_ value: T) {
    withExtendedLifetime(value) {}
}

/// One result line in the peers' format.
func report(peer: String = "flux", workload: String, _ fields: [(String, Double)]) {
    let text = fields.map { "\($0.0)=\(String(format2: $0.1))" }.joined(separator: " ")
    print("peer=\(peer) workload=\(workload) \(text)")
    fflush(nil)  // lines reach a pipe as they are made
}

extension String {
    /// A number with four decimals, without Foundation.
    init(format2 x: Double) {
        let scaled = (x * 10000).rounded()
        let whole = Int(scaled / 10000)
        let frac = Int(abs(scaled).truncatingRemainder(dividingBy: 10000))
        let fracText = String(frac)
        self =
            "\(x < 0 && whole == 0 ? "-" : "")\(whole).\(String(repeating: "0", count: 4 - fracText.count))\(fracText)"
    }
}
