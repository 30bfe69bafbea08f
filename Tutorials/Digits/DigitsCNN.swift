// Training the convolutional network of Tutorials/Support/DigitsCNN.swift with Adam on
// shuffled minibatches; nothing here computes a derivative.
import Flux
import Foundation
import TutorialSupport

/// One epoch's progress.
struct EpochReport {
    var epoch: Int
    /// The mean training loss over the epoch's minibatches.
    var loss: Float
    /// The fraction of test images classified correctly after the epoch.
    var testAccuracy: Float
    /// Training speed (the test's evaluation is not counted).
    var examplesPerSecond: Double
}

/// What a run ends with: its progress and the trained model's answer for every test image.
struct DigitsResult {
    var epochs: [EpochReport]
    /// The training loss and test accuracy of every epoch, as curves.
    var history: TrainingHistory
    /// `[test count]`: the predicted digit of each test image.
    var predictions: Tensor<Int>
    /// The test accuracy after the last epoch.
    var testAccuracy: Float { epochs.last?.testAccuracy ?? 0 }
}

/// Trains the network on `train` and measures it on `test` after every epoch. `log` receives
/// the model's summary first, then one line per epoch. With `folder`, the trained model is
/// saved there as `digits.safetensors` (and loaded back, to show that it answers the same)
/// and its curves as `digits-training.svg`.
func trainDigitsCNN(
    _ settings: DigitsSettings, train fullTrain: LabelledImages, test: LabelledImages, saveTo folder: String? = nil,
    log: (String) -> Void = { _ in }
) throws -> DigitsResult {
    let train = settings.trainingLimit.map { fullTrain.prefix($0) } ?? fullTrain
    var rng = RandomGenerator(seed: settings.seed)
    var model = makeDigitsCNN(height: train.size.height, width: train.size.width, settings, using: &rng)
    log(model.summary + "\n")
    let examples = Dataset(inputs: train.images, labels: train.labels)
    let batchesPerEpoch = examples.batches(size: settings.batchSize, shuffledBy: nil).count
    var optimizer = Adam(
        for: model,
        learningRate: CosineDecay(peak: settings.learningRate, totalSteps: settings.epochs * batchesPerEpoch))
    var (reports, predictions) = ([EpochReport](), Tensor<Int>(zeros: [0]))
    var history = TrainingHistory()
    for epoch in 1...settings.epochs {
        let start = ContinuousClock.now
        var losses: [Float] = []
        // A new order every epoch, drawn from the seed and the epoch number: any epoch can be
        // replayed alone. The next batches are gathered on another thread while this one trains.
        for (images, labels) in examples.batches(size: settings.batchSize, shuffledBy: settings.seed, epoch: epoch)
            .prefetching(2)
        {
            // Inside the gradient computation BatchNorm and Dropout train (their `.automatic`
            // mode); their new state (running statistics, generator) reaches `model` through
            // the optimizer's update.
            // The loss takes the logits: softmax and logarithm in one stable step.
            let (loss, grad) = valueWithGradient(at: model) { m in
                softmaxCrossEntropy(logits: m(images), labels: labels)
            }
            optimizer.update(&model, along: grad)
            losses.append(loss)
        }
        let seconds = start.duration(to: .now).seconds
        // Outside a gradient computation the same model infers: running statistics, no dropout.
        predictions = predict(model, test.images)
        let report = EpochReport(
            epoch: epoch, loss: losses.reduce(0, +) / Float(losses.count),
            testAccuracy: Tensor<Float>(predictions .== test.labels).mean().scalar,
            examplesPerSecond: Double(train.count) / seconds)
        reports.append(report)
        history.record("training loss", report.loss)
        history.record("test accuracy", report.testAccuracy)
        log(report.line)
    }
    if let folder {
        // A checkpoint is a safetensors file named by parameter path (`layers.0.weight`),
        // BatchNorm's running statistics included; written atomically.
        let checkpoint = folder + "/digits.safetensors"
        try model.save(to: checkpoint, metadata: ["epochs": "\(settings.epochs)", "seed": "\(settings.seed)"])
        try history.writeSVG(to: folder + "/digits-training.svg", title: "Digits CNN")
        // Any model of the same architecture takes the weights back, however it was started.
        var other = RandomGenerator(seed: settings.seed &+ 1)
        let reloaded = try makeDigitsCNN(height: train.size.height, width: train.size.width, settings, using: &other)
            .loaded(from: checkpoint)
        let same = predict(reloaded, test.images) == predictions
        log(
            "saved \(checkpoint) (\(same ? "reloaded, it answers the same" : "RELOADED, IT ANSWERS DIFFERENTLY")) and \(folder)/digits-training.svg"
        )
    }
    return DigitsResult(epochs: reports, history: history, predictions: predictions)
}

/// The digit `model` sees in each image, computed a few hundred images at a time so that
/// the convolutions' unfolded windows stay small even for MNIST's 10,000 test images.
func predict(_ model: some Model<Tensor<Float>, Tensor<Float>>, _ images: Tensor<Float>) -> Tensor<Int> {
    let count = images.shape[0]
    let digits = stride(from: 0, to: count, by: 500).flatMap { start in
        model(images[start..<min(start + 500, count)]).argmax(alongAxis: 1).scalars
    }
    return Tensor(digits)
}

extension EpochReport {
    /// `epoch  3  loss 0.1234  test accuracy 97.6%  12,345 examples/s`
    var line: String {
        String(format: "epoch %2d  loss %.4f  test accuracy %5.1f%%  ", epoch, Double(loss), Double(testAccuracy) * 100)
            + "\(Int(examplesPerSecond).formatted()) examples/s"
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
