// What changes from one process to several: four lines, marked ①–④ below. The rest is the
// Digits tutorial's loop.
import Flux
import FluxDistributed
import Foundation
import TutorialSupport

/// What a run ends with, on every process.
struct DataParallelResult {
    /// The mean training loss of each epoch, over all processes.
    var losses: [Double]
    /// The test accuracy after the last epoch, over the whole test set.
    var testAccuracy: Double
}

/// Trains the digits CNN on the shipped digits with the processes of `world`, each taking
/// its part of every batch of `settings.batchSize`, and measures it on the test set after
/// every epoch (each process testing its part). `log` gets the lines to print (the caller
/// prints rank 0's); with `folder`, rank 0 saves the trained model there.
func trainDataParallel(
    _ settings: DigitsSettings, on world: Communicator, saveTo folder: String?, log: (String) -> Void
) throws -> DataParallelResult {
    let (trainDigits, testDigits) = try Digits.load(seed: settings.seed)
    let train = Dataset(
        inputs: trainDigits.images.reshaped(to: [trainDigits.count, 8, 8, 1]), labels: trainDigits.labels)
    let examples = settings.trainingLimit.map { train[0..<min($0, train.count)] } ?? train
    let test = Dataset(inputs: testDigits.images.reshaped(to: [testDigits.count, 8, 8, 1]), labels: testDigits.labels)
    log(
        "DataParallel: the digits CNN on \(world.size) processes: \(examples.count) training and \(test.count) test images, "
            + "each process taking \(settings.batchSize / world.size) of every batch of \(settings.batchSize)")
    log("")

    // ① Each process starts from its own seed, as processes on different machines would; the
    //   broadcast gives every one rank 0's model (weights, BatchNorm statistics, generator).
    var rng = RandomGenerator(seed: settings.seed &+ UInt64(world.rank))
    var model = try world.broadcast(makeDigitsCNN(height: 8, width: 8, settings, using: &rng))
    let batchesPerEpoch = examples.batches(size: settings.batchSize, shuffledBy: nil, remainder: .dropLast).count
    var optimizer = Adam(
        for: model,
        learningRate: CosineDecay(peak: settings.learningRate, totalSteps: settings.epochs * batchesPerEpoch))
    var losses: [Double] = []
    var accuracy = 0.0
    for epoch in 1...settings.epochs {
        let start = ContinuousClock.now
        var epochLoss = 0.0
        // ② Every process draws the same order from the seed and the epoch, and keeps its part.
        let batches = examples.batches(
            size: settings.batchSize, shuffledBy: settings.seed, epoch: epoch, remainder: .dropLast)
        for (images, labels) in batches.sharded(for: world).prefetching(2) {
            // ③ The loss and gradient averaged over the processes: the whole batch's.
            let (loss, grad) = try world.valueWithGradient(at: model) { m in
                softmaxCrossEntropy(logits: m(images), labels: labels)
            }
            optimizer.update(&model, along: grad)
            epochLoss += Double(loss)
        }
        let seconds = start.duration(to: .now).seconds
        // ④ Each process tests its part of the test set; the counts are summed.
        let part = test.count / world.size
        let mine =
            world.rank == world.size - 1 ? part * world.rank..<test.count : part * world.rank..<part * (world.rank + 1)
        let predictions = model(test.inputs[mine]).argmax(alongAxis: 1)
        let correct = Tensor<Float>(predictions .== test.labels[mine]).sum().scalar
        accuracy = try world.allReduce(Double(correct), .sum) / Double(test.count)
        losses.append(epochLoss / Double(batches.count))
        log(
            String(format: "epoch %2d  loss %.4f  test accuracy %5.1f%%  ", epoch, losses[epoch - 1], accuracy * 100)
                + "\(Int(Double(batches.count * (settings.batchSize / world.size) * world.size) / seconds).formatted()) examples/s"
        )
    }
    try requireSameModel(model, on: world, log: log)
    if let folder, world.isRoot {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try model.save(to: folder + "/digits.safetensors", metadata: ["processes": "\(world.size)"])
        log("saved \(folder)/digits.safetensors")
    }
    return DataParallelResult(losses: losses, testAccuracy: accuracy)
}

/// Checks that every process ends with the same model, bit for bit (parameters and state):
/// rank 0 compares a checksum of each process's checkpoint bytes with its own.
func requireSameModel<M: ParameterContainer>(_ model: M, on world: Communicator, log: (String) -> Void) throws {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in model.safeTensors().serialized {
        hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
    }
    let halves = [Double(hash >> 32), Double(hash & 0xffff_ffff)]
    if let all = try world.gather(halves) {
        guard all.allSatisfy({ $0 == halves }) else {
            throw DistributedError.mismatch(
                operation: "requireSameModel", rank: all.firstIndex { $0 != halves }!,
                detail: "ended with a model different from rank 0's")
        }
        log("every process holds the same model, bit for bit (\(world.size) process\(world.size == 1 ? "" : "es"))")
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
