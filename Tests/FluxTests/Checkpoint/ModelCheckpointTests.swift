import Foundation
import Testing

@testable import Flux

@Suite struct ModelCheckpointTests {
    /// A trained model of every layer kind with parameters or running statistics saves and
    /// loads into a freshly made one bit for bit, by parameter path.
    @Test func everyLayerRoundTripsBitForBit() throws {
        func make(_ seed: UInt64) -> Chain<some Model<Tensor<Float>, Tensor<Float>>> {
            var rng = RandomGenerator(seed: seed)
            return Chain {
                Conv2D<Float>(1, 4, kernelSize: 3, padding: .same, using: &rng)
                BatchNorm<Float>(4)
                GroupNorm<Float>(groups: 2, channels: 4)
                ConvTranspose2D<Float>(4, 2, kernelSize: 2, stride: 2, using: &rng)
                InstanceNorm<Float>(channels: 2, affine: true)
                MaxPool2D<Float>(2)
                Flatten<Float>()
                LayerNorm<Float>(32)
                Dense<Float>(32, 3, using: &rng)
            }
        }
        var model = make(1)
        var optimizer = Adam(for: model)
        var rng = RandomGenerator(seed: 9)
        let x = Tensor<Float>(randomNormal: [2, 4, 4, 1], using: &rng)
        for _ in 0..<2 {
            let (_, grad) = valueWithGradient(at: model) { m in m(x).sum() }
            optimizer.update(&model, along: grad)
        }
        let saved = model.safeTensors().names
        #expect(saved.contains("layers.1.runningMean") && saved.contains("layers.1.runningVariance"))
        #expect(saved.contains("layers.0.weight") && saved.contains("layers.8.bias"))
        try withCheckpointFolder { folder in
            let path = folder + "/model.safetensors"
            try model.save(to: path, metadata: ["step": "2"])
            let loaded = try make(2).loaded(from: path)
            #expect(loaded.parameters(of: Float.self).map(\.tensor) == model.parameters(of: Float.self).map(\.tensor))
            #expect(loaded.safeTensors() == model.safeTensors())
            #expect(loaded(x) == model(x))
            #expect(try SafeTensors(contentsOf: path).metadata == ["step": "2"])
        }
    }

    /// A strict load names the missing and unexpected tensors; a non-strict one reports them
    /// and loads the rest; a wrong shape always throws, naming the tensor and both shapes.
    @Test func mismatchesAreNamed() throws {
        try withCheckpointFolder { folder in
            let path = folder + "/small.safetensors"
            try Chain {
                Dense<Float>(3, 4); Dense<Float>(4, 2)
            }.save(to: path)
            let bigger = Chain {
                Dense<Float>(3, 4); Dense<Float>(4, 2); Dense<Float>(2, 1)
            }
            #expect(
                throws: CheckpointError.keys(path: path, missing: ["layers.2.weight", "layers.2.bias"], unexpected: [])
            ) { try bigger.loaded(from: path) }
            let (partial, report) = try bigger.loaded(from: path, strict: false)
            #expect(report == CheckpointLoadReport(missing: ["layers.2.weight", "layers.2.bias"], unexpected: []))
            #expect(partial.body.second.weight == bigger.body.second.weight)
            let first = Chain { Dense<Float>(3, 4) }
            let (_, smaller) = try first.loaded(from: path, strict: false)
            let paths = first.parameters(of: Float.self).map(\.path)
            #expect(smaller.missing == paths, "a one-layer chain's paths are \(paths)")
            #expect(
                smaller.unexpected
                    == ["layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias"].filter {
                        !paths.contains($0)
                    })
            #expect(
                throws: CheckpointError.mismatch(
                    path: path, name: "layers.0.weight", reason: "has shape [3, 4], but the model's is [3, 5]")
            ) {
                try Chain {
                    Dense<Float>(3, 5); Dense<Float>(5, 2)
                }.loaded(from: path)
            }
            // Double models load Float checkpoints (and the reverse), converted.
            let asDouble = try Chain(of: Double.self) {
                Dense<Double>(3, 4); Dense<Double>(4, 2)
            }.loaded(from: path)
            #expect(asDouble.body.first.weight.shape == [3, 4])
        }
    }

    /// A process killed in the middle of writing a checkpoint leaves the previous one intact
    /// and loadable (the write goes to a temporary file that is renamed only when complete).
    @Test func aKilledWriteLeavesThePreviousCheckpoint() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("flux-kill-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/model.safetensors"
        let old = Chain {
            Dense<Float>(3, 4); Dense<Float>(4, 2)
        }
        try old.save(to: path)
        setenv("FLUX_KILL_TEST_PATH", path, 1)
        await #expect(processExitsWith: .signal(SIGKILL)) {
            let target = ProcessInfo.processInfo.environment["FLUX_KILL_TEST_PATH"]!
            var file = SafeTensors()
            file["layers.0.weight"] = .init(Tensor<Float>(ones: [3, 4]))
            file["layers.0.bias"] = .init(Tensor<Float>(ones: [4]))
            // Stopped for good after the header and the first tensor's data are on disk.
            try? file.write(to: target) { part in if part == 2 { kill(getpid(), SIGKILL) } }
        }
        let loaded = try Chain {
            Dense<Float>(3, 4); Dense<Float>(4, 2)
        }.loaded(from: path)
        #expect(loaded.safeTensors() == old.safeTensors())
    }
}

/// A layer of the user's own whose state is numbers.
struct CountingLayer: Model {
    var weight = Tensor<Float>(ones: [2])
    @LayerState var calls = 0
    @LayerState var average = 0.5
    @LayerState var seen = false
    func callAsFunction(_ x: Tensor<Float>) -> Tensor<Float> { x * weight }
}

/// A layer whose state no checkpoint can hold.
struct ListLayer: Model {
    var weight = Tensor<Float>(ones: [2])
    @LayerState var history: [Int] = [1, 2]
    func callAsFunction(_ x: Tensor<Float>) -> Tensor<Float> { x * weight }
}

@Suite struct LayerStateCheckpointTests {
    /// Numbers kept as layer state round-trip; a state no checkpoint can hold stops, naming it.
    @Test func numberStatesRoundTripAndOthersStop() async throws {
        var layer = CountingLayer()
        (layer.calls, layer.average, layer.seen) = (7, 0.25, true)
        try withCheckpointFolder { folder in
            try layer.save(to: folder + "/c.safetensors")
            let back = try CountingLayer().loaded(from: folder + "/c.safetensors")
            #expect(back.calls == 7 && back.average == 0.25 && back.seen)
        }
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = ListLayer().safeTensors()
        }
        #expect(r.standardError.contains("the layer state `history` is a Array<Int>, which a checkpoint cannot hold"))
    }
}
