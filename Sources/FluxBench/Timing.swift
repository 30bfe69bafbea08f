import BenchReport
import CAllocationCounter

#if canImport(Glibc)
    import Glibc
#endif

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
