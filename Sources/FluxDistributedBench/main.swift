// `make bench-distributed`: the peers' `mlp` step (784→512 relu→512 relu→10, softmax
// cross-entropy, Adam 1e-3, one batch of 128) trained data-parallel by the processes of
// `mpirun`, each taking 128 / N rows of the batch.
//
//     flux-distributed-bench MODE      MODE: alone | after-backward | overlapped
//
// `alone` is one process without MPI's all-reduce (Flux's own valueWithGradient): the
// baseline. Each line has the peers' fields plus the processes, the bytes of the gradient
// all-reduced per step, and the time of that all-reduce alone.
import BenchReport
import Flux
import FluxDistributed

#if canImport(Glibc)
    import Glibc
#endif

guard let mode = Mode(rawValue: CommandLine.arguments.dropFirst().first ?? "overlapped") else {
    print("usage: flux-distributed-bench alone|after-backward|overlapped")
    exit(2)
}

Communicator.run { world in
    let batch = 128
    guard batch % world.size == 0 else {
        throw DistributedError.invalidArgument(operation: "bench", detail: "\(world.size) processes do not divide 128")
    }
    var rng = RandomGenerator(seed: 0)
    let x = Tensor<Float>(randomUniform: [batch, 784], using: &rng)
    let labels = Tensor<Int>(randomIntegers: [batch], in: 0..<10, using: &rng)
    let part = batch / world.size
    let (myX, myLabels) = (
        x[part * world.rank..<part * (world.rank + 1)], labels[part * world.rank..<part * (world.rank + 1)]
    )
    let model = try world.broadcast(
        Chain {
            Dense<Float>(784, 512, activation: relu, using: &rng)
            Dense<Float>(512, 512, activation: relu, using: &rng)
            Dense<Float>(512, 10, using: &rng)
        })
    let cost = try timedTraining(model, world, mode: mode) { m in
        softmaxCrossEntropy(logits: m(myX), labels: myLabels)
    }
    // The all-reduce alone, of a gradient of the same size.
    let zeros = Gradient(zerosLike: model)
    let allReduceSeconds = try timedSteps(world) { _ = try world.allReduce(zeros) }.seconds
    let bytes = model.parameterCount * MemoryLayout<Float>.stride
    if world.isRoot {
        report(
            workload: "mlp-\(mode.rawValue)",
            [
                ("processes", Double(world.size)), ("steps_per_s", 1 / cost.seconds),
                ("ms_per_step", cost.seconds * 1000), ("allocs_per_step", cost.allocations),
                ("gradient_bytes", Double(bytes)), ("allreduce_ms", allReduceSeconds * 1000),
            ])
    }
}
