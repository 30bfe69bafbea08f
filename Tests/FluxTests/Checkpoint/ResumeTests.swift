import Foundation
import Testing

@testable import Flux

@Suite struct ResumeTests {
    typealias Net = Chain<
        Sequential<Sequential<Sequential<Dense<Float>, BatchNorm<Float>>, Dropout<Float>>, Dense<Float>>
    >

    static func make(_ seed: UInt64) -> Net {
        var rng = RandomGenerator(seed: seed)
        return Chain {
            Dense<Float>(4, 8, activation: relu, using: &rng)
            BatchNorm<Float>(8)
            Dropout<Float>(0.3, using: &rng)
            Dense<Float>(8, 3, using: &rng)
        }
    }

    static func step<R: OptimizerRule>(_ model: inout Net, _ optimizer: inout Optimizer<Net, R>, _ i: Int) -> Float {
        var rng = RandomGenerator(seed: UInt64(100 + i))
        let x = Tensor<Float>(randomNormal: [16, 4], using: &rng)
        let labels = Tensor<Int>(randomIntegers: [16], in: 0..<3, using: &rng)
        let (loss, grad) = valueWithGradient(at: model) { m in softmaxCrossEntropy(logits: m(x), labels: labels) }
        optimizer.update(&model, along: grad)
        return loss
    }

    /// Training resumed from a checkpoint (model, running statistics, Dropout's generator,
    /// Adam's moments and step count) follows the uninterrupted run bit for bit.
    @Test func aResumedRunEqualsTheUninterruptedOne() throws {
        var model = Self.make(1)
        var optimizer = Adam(for: model, learningRate: 1e-2)
        let straight = (0..<6).map { Self.step(&model, &optimizer, $0) }
        try withCheckpointFolder { folder in
            let path = folder + "/run.safetensors"
            var first = Self.make(1)
            var firstOptimizer = Adam(for: first, learningRate: 1e-2)
            var resumed = (0..<3).map { Self.step(&first, &firstOptimizer, $0) }
            try firstOptimizer.save(first, to: path, metadata: ["epoch": "1"])
            let other = Self.make(2)
            var (second, secondOptimizer) = try Adam(for: other, learningRate: 1e-2).loaded(from: path, model: other)
            #expect(secondOptimizer.step == 3)
            resumed += (3..<6).map { Self.step(&second, &secondOptimizer, $0) }
            #expect(resumed == straight, "resumed \(resumed) vs \(straight)")
            #expect(second.safeTensors() == model.safeTensors())
            #expect(second.body.first.second.generator == model.body.first.second.generator)
            #expect(try SafeTensors(contentsOf: path).metadata["epoch"] == "1")
        }
    }

    /// Every rule's state resumes: the run split by a checkpoint after step 3 equals the
    /// straight one, bit for bit.
    @Test func everyRulesStateResumes() throws {
        func check<R: OptimizerRule>(_ name: String, _ make: (Net) -> Optimizer<Net, R>) throws {
            var model = Self.make(1)
            var optimizer = make(model)
            let straight = (0..<5).map { Self.step(&model, &optimizer, $0) }
            try withCheckpointFolder { folder in
                var first = Self.make(1)
                var firstOptimizer = make(first)
                var resumed = (0..<3).map { Self.step(&first, &firstOptimizer, $0) }
                try firstOptimizer.save(first, to: folder + "/run.safetensors")
                let other = Self.make(5)
                var (second, secondOptimizer) = try make(other).loaded(from: folder + "/run.safetensors", model: other)
                resumed += (3..<5).map { Self.step(&second, &secondOptimizer, $0) }
                #expect(resumed == straight, "\(name): \(resumed) vs \(straight)")
                #expect(second.safeTensors() == model.safeTensors(), "\(name)")
            }
        }
        try check("SGD with momentum") { SGD(for: $0, learningRate: 0.05, momentum: 0.9) }
        try check("SGD") { SGD(for: $0, learningRate: 0.05) }
        try check("RMSProp") { RMSProp(for: $0, learningRate: 1e-2) }
        try check("AdaGrad") { AdaGrad(for: $0, learningRate: 1e-2) }
        try check("AdamW") { AdamW(for: $0, learningRate: 1e-2) }
    }

    /// Another rule, or a model that does not fit, is refused with what differs.
    @Test func aMismatchedOptimizerOrModelIsNamed() throws {
        try withCheckpointFolder { folder in
            let path = folder + "/run.safetensors"
            let model = Self.make(1)
            try Adam(for: model).save(model, to: path)
            #expect(
                throws: CheckpointError.mismatch(
                    path: path, name: "flux.optimizer", reason: "is \"Adam\", but this optimizer is SGD")
            ) {
                try SGD(for: model, learningRate: 0.1).loaded(from: path, model: model)
            }
            let wider = Chain {
                Dense<Float>(4, 8); Dense<Float>(8, 3); Dense<Float>(3, 1)
            }
            #expect(throws: CheckpointError.self) { try Adam(for: wider).loaded(from: path, model: wider) }
            #expect(
                throws: CheckpointError.mismatch(
                    path: path, name: "flux.step",
                    reason: "is a metadata key; keys starting with `flux.` are Flux's own")
            ) {
                try Adam(for: model).save(model, to: path, metadata: ["flux.step": "1"])
            }
        }
    }
}
