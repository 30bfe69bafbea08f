import Flux
import FluxDistributed

/// Barrier, broadcasts, reductions and gathers, each against what it must give.
func checkCollectives(_ world: Communicator) throws {
    let expect = Expectations(world)
    let n = Double(world.size)
    try world.barrier()
    expect.check(try world.broadcast(UInt64(1000 + world.rank)) == 1000, "broadcast a seed from rank 0")
    expect.check(
        try world.broadcast(UInt64(1000 + world.rank), from: world.size - 1) == UInt64(1000 + world.size - 1),
        "broadcast a seed from the last rank")
    expect.check(
        try world.allReduce([Double(world.rank + 1), 2], .sum) == [n * (n + 1) / 2, 2 * n], "allReduce values, sum")
    expect.check(try world.allReduce(Double(world.rank), .mean) == (n - 1) / 2, "allReduce a value, mean")

    let gathered = try world.gather([Double(world.rank), Double(world.rank) * 10])
    let ragged = try world.gather([Double](repeating: 1, count: world.rank + 1), to: world.size - 1)
    if world.isRoot {
        expect.check(gathered == (0..<world.size).map { [Double($0), Double($0) * 10] }, "gather to rank 0")
    } else {
        expect.check(gathered == nil, "gather gives nil off the root")
    }
    if world.rank == world.size - 1 {
        expect.check(ragged?.map(\.count) == Array(1...world.size), "gather of different lengths to the last rank")
    }

    // Every process starts its model from its own seed; after the broadcast all hold rank
    // 0's, generator and running statistics included (compared as checkpoint bytes).
    var rng = RandomGenerator(seed: UInt64(world.rank) + 11)
    let own = Chain {
        Dense<Float>(3, 4, activation: relu, using: &rng)
        BatchNorm<Float>(4)
        Dropout<Float>(0.5, using: &rng)
        Dense<Float>(4, 2, using: &rng)
    }
    let model = try world.broadcast(own)
    let bytes = model.safeTensors().serialized
    let all = try world.gather(bytes.map(Double.init))
    if let all {
        expect.check(all.allSatisfy { $0 == bytes.map(Double.init) }, "broadcast a model: every rank holds rank 0's")
    }
    if !world.isRoot { expect.check(own.safeTensors().serialized != bytes, "broadcast replaced this rank's own model") }

    // A gradient of all (rank + 1): its sum is n(n + 1)/2 everywhere, its mean (n + 1)/2.
    var filled = Gradient(zerosLike: model)
    filled.base.mapParameters { p in
        if case .float(let t) = p { p = .float(Tensor(shape: t.shape, repeating: Float(world.rank + 1))) }
    }
    let summed = try world.allReduce(filled, .sum)
    let averaged = try world.allReduce(filled, .mean)
    let sums = summed.tensors().flatMap { $0.tensor.scalars }
    let means = averaged.tensors().flatMap { $0.tensor.scalars }
    expect.check(sums.allSatisfy { $0 == Float(n * (n + 1) / 2) }, "allReduce a gradient, sum", "\(sums.prefix(4))")
    expect.check(means.allSatisfy { $0 == Float((n + 1) / 2) }, "allReduce a gradient, mean", "\(means.prefix(4))")

    // A training step moves BatchNorm's running statistics by each process's own data; the
    // reduced gradient carries their mean, so every process's model stays the same.
    let x = Tensor<Float>(randomNormal: [8, 3], mean: Float(world.rank), using: &rng)
    let (_, grad) = valueWithGradient(at: model) { m in m(x).sum() }
    let local = grad.base.stateTensors().flatMap { $0.tensor.scalars.map(Double.init) }
    let reduced = try world.allReduce(grad, .sum).base.stateTensors().flatMap { $0.tensor.scalars.map(Double.init) }
    let sumOfLocal = try world.allReduce(local, .sum)
    expect.check(
        zip(reduced, sumOfLocal).allSatisfy { abs($0 - $1 / n) <= 1e-6 * max(1, abs($0)) },
        "layer state is averaged", "\(reduced.prefix(3)) vs \(sumOfLocal.prefix(3).map { $0 / n })")
    let everywhere = try world.gather(reduced)
    if let everywhere { expect.check(everywhere.allSatisfy { $0 == reduced }, "layer state is the same on every rank") }

    // Resuming from rank 0's run: rank 0 has trained 3 Adam steps, the others none; after the
    // broadcast of the model and the optimizer, 2 more steps leave every process the same.
    var resumed = model
    var optimizer = Adam(for: resumed, learningRate: 0.01)
    let data = Tensor<Float>(ones: [4, 3])
    for _ in 0..<(world.isRoot ? 3 : 0) {
        optimizer.update(&resumed, along: gradient(at: resumed) { m in m(data).sum() })
    }
    (resumed, optimizer) = try world.broadcast(resumed, optimizer)
    for _ in 0..<2 { optimizer.update(&resumed, along: gradient(at: resumed) { m in m(data).sum() }) }
    let checkpoint = try optimizer.safeTensors(resumed).serialized.map(Double.init)
    expect.check(optimizer.step == 5, "the optimizer's step count travels with it", "\(optimizer.step)")
    if let all = try world.gather(checkpoint) {
        expect.check(all.allSatisfy { $0 == checkpoint }, "a resumed run goes on alike on every rank")
    }

    // A root outside the group is refused on every process, before any message.
    do {
        _ = try world.broadcast(model, from: world.size)
        expect.check(false, "a root outside the group is refused", "no error")
    } catch {
        expect.check(
            error
                == .invalidArgument(
                    operation: "broadcast",
                    detail: "rank \(world.size) is not in the group of \(world.size) (0..<\(world.size))"),
            "a root outside the group is refused", "\(error)")
    }
    expect.finish()
}
