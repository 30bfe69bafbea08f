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

/// The median time of an Adam step of `model` on `loss`, its gradient combined as `mode` says.
func timedTraining<M: ParameterContainer>(
    _ start: M, _ world: Communicator, mode: Mode, loss: @escaping (M) -> Tensor<Float>
) throws -> Double {
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

/// 20 warm-up steps, then steps timed until at least 100 steps and 3 seconds on rank 0 (all
/// processes run as many); this process's median step time.
func timedSteps(_ world: Communicator, _ step: () throws -> Void) throws -> Double {
    for _ in 0..<20 { try step() }
    var times: [Double] = []
    var total = 0.0
    var more = true
    while more {
        let start = monotonicSeconds()
        try step()
        times.append(monotonicSeconds() - start)
        total += times[times.count - 1]
        // Outside the timed part: every process goes on while rank 0 wants more steps.
        more = try world.allReduce(world.isRoot && (times.count < 100 || total < 3) ? 1 : 0, .sum) > 0
    }
    times.sort()
    return times[times.count / 2]
}

func monotonicSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

/// Four decimals.
func format(_ x: Double) -> String {
    let scaled = (x * 10_000).rounded()
    return "\(Int(scaled) / 10_000).\(String(Int(abs(scaled)) % 10_000).leftPadded(to: 4))"
}

extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}

/// The bucket size of the overlapped mode: `FLUX_BUCKET_BYTES`, 1 MiB by default.
let bucketBytes = getenv("FLUX_BUCKET_BYTES").flatMap { Int(String(cString: $0)) } ?? 1 << 20
