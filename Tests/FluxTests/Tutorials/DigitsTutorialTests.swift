import Flux
import Foundation
import Testing
import TutorialSupport

@testable import DigitsTutorial

@Suite struct DigitsTutorialTests {
    /// Two short epochs on 400 shipped digits: the loss falls and the test accuracy is far
    /// above chance (0.1); the log starts with the model's summary, then a line per epoch.
    @Test func shortRunLearnsTheShippedDigits() throws {
        let (train, test) = try LabelledImages.shippedDigits(seed: 0)
        #expect(train.images.shape == [1348, 8, 8, 1] && test.count == 449)
        var log: [String] = []
        let result = try withTemporaryDirectory { folder in
            let result = try trainDigitsCNN(.short, train: train, test: test, saveTo: folder.path) { log.append($0) }
            // The checkpoint loads back into a fresh network that answers the same, and the
            // curves are an SVG document with a path per curve.
            #expect(log.last!.contains("reloaded, it answers the same"), "\(log.last!)")
            let checkpoint = try SafeTensors(contentsOf: folder.appendingPathComponent("digits.safetensors").path)
            #expect(checkpoint.names.contains("layers.1.runningMean") && checkpoint.metadata["epochs"] == "3")
            let svg = try String(
                contentsOfFile: folder.appendingPathComponent("digits-training.svg").path, encoding: .utf8)
            #expect(svg.components(separatedBy: "<path").count - 1 == 2)
            return result
        }
        let (first, last) = (result.epochs.first!, result.epochs.last!)
        #expect(last.loss < first.loss, "loss \(result.epochs.map(\.loss))")
        #expect(result.testAccuracy > 0.6, "test accuracy \(result.epochs.map(\.testAccuracy))")
        #expect(log.count == 2 + DigitsSettings.short.epochs)
        #expect(log[0].contains("Conv2D<Float>") && log[0].contains("BatchNorm<Float>"))
        #expect(log[1].hasPrefix("epoch  1  loss ") && log[1].hasSuffix("examples/s"))
        #expect(result.predictions.shape == [test.count])
        #expect(result.history["test accuracy"]?.values.count == DigitsSettings.short.epochs)

        let table = confusionTable(predictions: result.predictions, labels: test.labels)
        #expect(table.split(separator: "\n").count == 11)
        let mistakes = drawnMistakes(test, predictions: result.predictions)
        #expect(mistakes.contains("taken for") && mistakes.contains("@"))
    }

    /// MNIST-format files train the same network: the shipped digits written as IDX files
    /// (bytes 0–255, padded to 12×12, so the network is built for another size) and read back.
    @Test func idxFilesTrainTheNetwork() throws {
        let (train, test) = try LabelledImages.shippedDigits(seed: 1)
        try withTemporaryDirectory { directory in
            let files = ["train-images", "train-labels", "test-images", "test-labels"].map {
                directory.appendingPathComponent($0).path
            }
            try write(imagesIDX(train.prefix(400), padding: 2), to: files[0])
            try write(labelsIDX(train.prefix(400)), to: files[1])
            try write(imagesIDX(test.prefix(200), padding: 2), to: files[2])
            try write(labelsIDX(test.prefix(200)), to: files[3])

            let idxTrain = try LabelledImages(imagesFile: files[0], labelsFile: files[1])
            let idxTest = try LabelledImages(imagesFile: files[2], labelsFile: files[3])
            #expect(idxTrain.images.shape == [400, 12, 12, 1] && idxTest.labels == test.prefix(200).labels)
            #expect(idxTrain.images.max().scalar == 1 && idxTrain.images.min().scalar == 0)
            let result = try trainDigitsCNN(.short, train: idxTrain, test: idxTest)
            #expect(result.epochs.last!.loss < result.epochs.first!.loss, "loss \(result.epochs.map(\.loss))")
            #expect(result.testAccuracy > 0.6, "test accuracy \(result.epochs.map(\.testAccuracy))")
        }
    }

    /// A truncated, missing or mismatched file is an error that names it.
    @Test func badIDXFilesAreReportedByName() throws {
        let (train, _) = try LabelledImages.shippedDigits(seed: 1)
        let few = train.prefix(10)
        try withTemporaryDirectory { directory in
            let (images, labels, truncated) = (
                directory.appendingPathComponent("images").path, directory.appendingPathComponent("labels").path,
                directory.appendingPathComponent("truncated-images").path
            )
            try write(imagesIDX(few), to: images)
            try write(labelsIDX(few), to: labels)
            try write(imagesIDX(few).dropLast(5), to: truncated)
            let nineLabels = directory.appendingPathComponent("nine-labels").path
            try write(labelsIDX(train.prefix(9)), to: nineLabels)
            #expect(try LabelledImages(imagesFile: images, labelsFile: labels).count == 10)

            let missing = directory.appendingPathComponent("missing").path
            for (imagesFile, labelsFile, named, says) in [
                (truncated, labels, truncated, "truncated"), (images, missing, missing, "cannot be read"),
                (labels, labels, labels, "[count, height, width]"), (images, nineLabels, nineLabels, "do not match"),
            ] {
                let error = #expect(throws: DataFileError.self) {
                    try LabelledImages(imagesFile: imagesFile, labelsFile: labelsFile)
                }
                #expect("\(error!)".contains(named) && "\(error!)".contains(says), "\(error!)")
            }
        }
    }
}

/// An IDX file of unsigned bytes: the magic number 0x0000_08_<rank>, one big-endian UInt32
/// per dimension, then the bytes.
private func idx(_ bytes: [UInt8], shape: [Int]) -> [UInt8] {
    var file: [UInt8] = [0, 0, 0x08, UInt8(shape.count)]
    for extent in shape { file += withUnsafeBytes(of: UInt32(extent).bigEndian) { Array($0) } }
    return file + bytes
}

/// The images as an MNIST-style file, `[count, height, width]` bytes 0–255, with `padding`
/// blank pixels around each.
private func imagesIDX(_ set: LabelledImages, padding: Int = 0) -> [UInt8] {
    let (height, width) = set.size
    let padded = (height: height + 2 * padding, width: width + 2 * padding)
    var bytes = [UInt8](repeating: 0, count: set.count * padded.height * padded.width)
    for (i, pixel) in set.images.scalars.enumerated() {
        let (image, row, column) = (i / (height * width), i / width % height, i % width)
        let at = (image * padded.height + row + padding) * padded.width + column + padding
        bytes[at] = UInt8((pixel * 255).rounded())
    }
    return idx(bytes, shape: [set.count, padded.height, padded.width])
}

/// The labels as an MNIST-style file, `[count]` bytes.
private func labelsIDX(_ set: LabelledImages) -> [UInt8] {
    idx(set.labels.scalars.map { UInt8($0) }, shape: [set.count])
}

private func write(_ bytes: some Sequence<UInt8>, to path: String) throws {
    try Data(bytes).write(to: URL(fileURLWithPath: path))
}

/// The result of `body` on a new directory in the temporary directory, removed afterwards.
private func withTemporaryDirectory<Result>(_ body: (URL) throws -> Result) throws -> Result {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("flux-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false)
    defer { try? FileManager.default.removeItem(at: directory) }
    return try body(directory)
}
