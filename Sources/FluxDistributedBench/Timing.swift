import BenchReport
import CAllocationCounter
import Flux
import FluxDistributed

#if canImport(Glibc)
    import Glibc
#endif

/// How the processes' gradients are combined.
enum Mode: String {
    /// Not at all: each process trains alone (Flux's own valueWithGradient).
    case alone
    /// One all-reduce after the backward pass.
    case afterBackward = "after-backward"
    /// Buckets all-reduced during the backward pass.
    case overlapped
}

/// The median time and the mean heap allocations of an Adam step of `model` on `loss`, its
/// gradient combined as `mode` says.
func timedTraining<M: ParameterContainer>(
    _ start: M, _ world: Communicator, mode: Mode, loss: @escaping (M) -> Tensor<Float>
) throws -> StepCost {
    var model = start
    var optimizer = Adam(for: model, learningRate: 1e-3)
    return try timedSteps(world) {
        let grad =
            mode == .alone
            ? valueWithGradient(at: model, of: loss).gradient
            : try world.valueWithGradient(
                at: model, overlapping: mode == .overlapped, bucketBytes: bucketBytes, of: loss
            ).gradient
        optimizer.update(&model, along: grad)
    }
}

/// What a timed step costs on this process.
struct StepCost {
    /// The median time, in seconds.
    var seconds: Double
    /// The mean number of heap allocations (this process's, MPI's included).
    var allocations: Double
}

/// 20 warm-up steps, then steps timed until at least 100 steps and 3 seconds on rank 0 (all
/// processes run as many); this process's median step time and mean allocations.
func timedSteps(_ world: Communicator, _ step: () throws -> Void) throws -> StepCost {
    for _ in 0..<20 { try step() }
    var times: [Double] = []
    var total = 0.0
    var allocations: UInt64 = 0
    var more = true
    while more {
        let allocationsBefore = flux_allocation_count()
        let start = now()
        try step()
        times.append(now() - start)
        allocations += flux_allocation_count() - allocationsBefore
        total += times[times.count - 1]
        // Outside the timed part: every process goes on while rank 0 wants more steps.
        more = try world.allReduce(world.isRoot && (times.count < 100 || total < 3) ? 1 : 0, .sum) > 0
    }
    let steps = times.count
    times.sort()
    return StepCost(seconds: times[steps / 2], allocations: Double(allocations) / Double(steps))
}

/// The bucket size of the overlapped mode: `FLUX_BUCKET_BYTES`, 1 MiB by default.
let bucketBytes = getenv("FLUX_BUCKET_BYTES").flatMap { Int(String(cString: $0)) } ?? 1 << 20
