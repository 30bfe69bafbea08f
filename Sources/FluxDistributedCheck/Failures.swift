import Flux
import FluxDistributed
import Foundation

/// Rank 1's first layer is wider: the broadcast must stop both processes, each naming rank 1
/// and the first parameter that differs.
func checkBroadcastMismatch(_ world: Communicator) throws {
    let expect = Expectations(world)
    var rng = RandomGenerator(seed: 3)
    let model = Chain {
        Dense<Float>(5, world.rank == 1 ? 9 : 8, activation: relu, using: &rng)
        Dense<Float>(world.rank == 1 ? 9 : 8, 2, using: &rng)
    }
    do {
        _ = try world.broadcast(model)
        expect.check(false, "broadcast of different models throws", "it returned")
    } catch {
        print("rank \(world.rank) caught: \(error)")
        expect.check(
            "\(error)"
                == "broadcast: rank 1 has a model that differs from rank 0's: `layers.0.weight` is Float [5, 9] on rank 1 but Float [5, 8] on rank 0",
            "broadcast of different models throws on every rank", "\(error)")
    }
    expect.finish()
}

/// Rank 1 has an extra layer: reducing gradients (either way) must stop both processes.
func checkGradientMismatch(_ world: Communicator) throws {
    let expect = Expectations(world)
    var rng = RandomGenerator(seed: 3)
    let x = Tensor<Float>(ones: [2, 4])
    let expected =
        "rank 1 has a model that differs from rank 0's: it has `layers.2.weight` (Float [3, 3]), which rank 0's lacks"
    if world.rank == 1 {
        let model = Chain {
            Dense<Float>(4, 3, using: &rng)
            Dense<Float>(3, 3, using: &rng)
            Dense<Float>(3, 3, using: &rng)
        }
        try reduceExpectingMismatch(model, x, expected, world, expect)
    } else {
        let model = Chain {
            Dense<Float>(4, 3, using: &rng)
            Dense<Float>(3, 3, using: &rng)
        }
        try reduceExpectingMismatch(model, x, expected, world, expect)
    }
    expect.finish()
}

func reduceExpectingMismatch<M: Model<Tensor<Float>, Tensor<Float>>>(
    _ model: M, _ x: Tensor<Float>, _ expected: String, _ world: Communicator, _ expect: Expectations
) throws {
    let (_, grad) = valueWithGradient(at: model) { m in m(x).sum() }
    do {
        _ = try world.allReduce(grad)
        expect.check(false, "allReduce of different models throws", "it returned")
    } catch {
        expect.check(
            "\(error)" == "allReduce: " + expected, "allReduce of different models throws on every rank", "\(error)")
    }
    for overlapping in [false, true] {
        do {
            _ = try world.valueWithGradient(at: model, overlapping: overlapping) { m in m(x).sum() }
            expect.check(false, "valueWithGradient of different models throws", "it returned")
        } catch {
            expect.check(
                "\(error)" == "valueWithGradient: " + expected,
                "valueWithGradient (overlapping: \(overlapping)) of different models throws on every rank", "\(error)")
        }
    }
    do {
        _ = try world.allReduce([Double](repeating: 1, count: world.rank + 1), .sum)
        expect.check(false, "allReduce of different numbers of values throws", "it returned")
    } catch {
        expect.check(
            "\(error)" == "allReduce: rank 1 passes 2 values where rank 0 passes 1",
            "allReduce of different numbers of values throws on every rank", "\(error)")
    }
    // After the mismatch the processes still agree: a collective goes through.
    expect.check(try world.allReduce(1, .sum) == Double(world.size), "the group works after a mismatch")
}

/// Rank 1 fails to read its data while rank 0 waits for it in a collective: the run must end,
/// naming rank 1 and the file, not hang.
func failOnRankOne(_ world: Communicator) throws {
    if world.rank == 1 {
        _ = try Tensor<Float>(contentsOfIDX: "/nonexistent/shard-1-images.idx")
    }
    try world.barrier()
    _ = try world.allReduce(1, .sum)
    print("rank \(world.rank): UNREACHED past the collective")
}

/// Rank 1 traps (a Swift runtime error) while rank 0 waits in a collective.
func crashOnRankOne(_ world: Communicator) throws {
    if world.rank == 1 {
        let model = Dense<Float>(3, 2)
        _ = model(Tensor<Float>(ones: [2, 4]))  // a shape error: Flux stops the process
    }
    _ = try world.allReduce(1, .sum)
    print("rank \(world.rank): UNREACHED past the collective")
}

/// Without `Communicator.run`, rank 1 exits with status 3 while rank 0 waits in a collective:
/// the exit must stop the group, not wait in MPI_Finalize for rank 0.
func exitOnRankOne() throws {
    let world = try Communicator.world()
    if world.rank == 1 { exit(3) }
    _ = try world.allReduce(1, .sum)
    print("rank \(world.rank): UNREACHED past the collective")
}
