import CAllocationCounter

#if canImport(Glibc)
    import Glibc
#endif

/// Monotonic time in seconds.
func now() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

/// What the timed steps of a workload cost.
struct StepCost {
    /// The median time of one step, in seconds.
    var seconds: Double
    /// Heap allocations per timed step, the mean over all of them: a steady-state count,
    /// since the warm-up steps (first-use caches, buffer pools filling up) are not counted.
    var allocations: Double
}

/// The peers' protocol (`../shared/peers/README.md`): 20 warm-up steps, then single steps
/// timed until at least `minSteps` steps and `minSeconds` seconds; returns the median step
/// time and the mean allocations of the timed steps.
func measureSteps(_ step: () -> Void) -> StepCost {
    let env = { (name: String, fallback: Double) -> Double in
        getenv(name).flatMap { Double(String(cString: $0)) } ?? fallback
    }
    let warmup = Int(env("PEER_WARMUP", 20))
    let minSteps = Int(env("PEER_MIN_STEPS", 100))
    let minSeconds = env("PEER_MIN_SECONDS", 3)
    for _ in 0..<warmup { step() }
    var times: [Double] = []
    var total = 0.0
    var allocations: UInt64 = 0
    while times.count < minSteps || total < minSeconds {
        // Counted around each step alone, so that growing `times` is not charged to the step.
        let allocationsBefore = flux_allocation_count()
        let start = now()
        step()
        let t = now() - start
        allocations += flux_allocation_count() - allocationsBefore
        times.append(t)
        total += t
    }
    let steps = times.count
    times.sort()
    return StepCost(seconds: times[steps / 2], allocations: Double(allocations) / Double(steps))
}

/// Keeps a result alive so the optimizer cannot drop the work that made it.
@inline(never)
func consume<T>(_ value: T) {
    withExtendedLifetime(value) {}
}

/// One result line in the peers' format: four decimals per field, then the loss with six,
/// as the peers print theirs.
func report(peer: String = "flux", workload: String, _ fields: [(String, Double)], lossStep20: Float? = nil) {
    var text = fields.map { "\($0.0)=\(String(format2: $0.1))" }
    if let loss = lossStep20 { text.append("loss_step20=\(String(format2: Double(loss), decimals: 6))") }
    print("peer=\(peer) workload=\(workload) \(text.joined(separator: " "))")
    fflush(nil)  // lines reach a pipe as they are made
}

extension String {
    /// A number with a fixed count of decimals (four unless told), without Foundation.
    init(format2 x: Double, decimals: Int = 4) {
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
