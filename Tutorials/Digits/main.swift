// `make run` (`swift run -c release digits`): a convolutional network learns the 8×8
// handwritten digits shipped in Tutorials/Data, then shows what it still gets wrong.
// `digits --idx <train-images> <train-labels> <test-images> <test-labels>` trains it on
// MNIST-format files instead (decompressed), e.g. MNIST itself.
import Flux
import Foundation
import TutorialSupport

let arguments = Array(CommandLine.arguments.dropFirst())
let usage = "usage: digits [--idx <train-images> <train-labels> <test-images> <test-labels>]"
do {
    let settings = DigitsSettings()
    let (train, test): (LabelledImages, LabelledImages)
    switch arguments.first {
    case nil:
        (train, test) = try LabelledImages.shippedDigits(seed: settings.seed)
    case "--idx" where arguments.count == 5:
        train = try LabelledImages(imagesFile: arguments[1], labelsFile: arguments[2])
        test = try LabelledImages(imagesFile: arguments[3], labelsFile: arguments[4])
    default:
        print(usage)
        exit(2)
    }
    let (height, width) = train.size
    print(
        "Digits: a convolutional network on \(train.count) training and \(test.count) test images of \(height)×\(width)"
    )
    print()
    // The trained model and its training curves go to .build/digits (open the SVG in a browser).
    let folder = ".build/digits"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let result = try trainDigitsCNN(settings, train: train, test: test, saveTo: folder) { print($0) }
    print()
    print(String(format: "test accuracy %.1f%%", Double(result.testAccuracy) * 100))
    print()
    print(confusionTable(predictions: result.predictions, labels: test.labels))
    print()
    print(drawnMistakes(test, predictions: result.predictions))
} catch {
    print("Digits: \(error)")
    exit(1)
}
