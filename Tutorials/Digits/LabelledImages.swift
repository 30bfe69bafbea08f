// Where the images come from: the 8×8 digits shipped in Tutorials/Data, or any pair of
// MNIST-format IDX files. Either way the network sees the same thing: channels-last images
// `[count, height, width, 1]` with pixels in [0, 1], and labels 0–9.
import Flux
import TutorialSupport

/// Grey-scale images of digits and their labels, in the layout convolutions read.
struct LabelledImages {
    /// `[count, height, width, 1]`: Flux's images are channels-last (NHWC), and a grey image
    /// has one channel. Pixels are in [0, 1].
    var images: Tensor<Float>
    /// `[count]`, each in 0...9.
    var labels: Tensor<Int>

    /// How many images.
    var count: Int { labels.count }
    /// Each image's height and width in pixels.
    var size: (height: Int, width: Int) { (images.shape[1], images.shape[2]) }

    /// The examples at `indices`, in that order: a minibatch.
    func batch(_ indices: some Collection<Int>) -> (images: Tensor<Float>, labels: Tensor<Int>) {
        let at = Tensor<Int>(Array(indices))
        return (images.gathering(atIndices: at), labels.gathering(atIndices: at))
    }

    /// The first `n` examples (all of them when there are fewer).
    func prefix(_ n: Int) -> LabelledImages {
        let (images, labels) = batch(0..<min(n, count))
        return LabelledImages(images: images, labels: labels)
    }
}

extension LabelledImages {
    /// The shipped digits (Tutorials/Data/digits.csv), shuffled with `seed` and split 75/25
    /// into training and test sets. Each row of 64 pixels becomes an 8×8 image.
    static func shippedDigits(seed: UInt64) throws -> (train: LabelledImages, test: LabelledImages) {
        let (train, test) = try Digits.load(seed: seed)
        func images(_ d: Digits) -> LabelledImages {
            LabelledImages(images: d.images.reshaped(to: [d.count, 8, 8, 1]), labels: d.labels)
        }
        return (images(train), images(test))
    }

    /// The images and labels of two MNIST-format IDX files: unsigned bytes `[count, height,
    /// width]` (0–255, scaled to [0, 1]) and `[count]` (0–9). Decompress `.gz` files first.
    ///
    /// - Throws: ``DataFileError``, naming the file, when a file is missing, truncated or
    ///   malformed, or when the two do not fit together.
    init(imagesFile: String, labelsFile: String) throws {
        let pixels = try Tensor<Float>(contentsOfIDX: imagesFile)
        let labels = try Tensor<Int>(contentsOfIDX: labelsFile)
        guard pixels.rank == 3 else {
            throw DataFileError.malformed(
                path: imagesFile, reason: "images are [count, height, width]; this file holds \(pixels.shape)")
        }
        // The network pools twice by 2×2, so an image needs at least 4×4 pixels.
        guard pixels.shape[0] > 0, pixels.shape[1] >= 4, pixels.shape[2] >= 4 else {
            throw DataFileError.malformed(
                path: imagesFile, reason: "\(pixels.shape): no images, or images smaller than 4×4")
        }
        guard labels.rank == 1, labels.count == pixels.shape[0] else {
            throw DataFileError.malformed(
                path: labelsFile, reason: "labels \(labels.shape) do not match the \(pixels.shape[0]) images")
        }
        if let bad = labels.scalars.firstIndex(where: { !(0...9).contains($0) }) {
            throw DataFileError.malformed(
                path: labelsFile, reason: "label \(labels.scalars[bad]) at index \(bad) is not a digit 0–9")
        }
        // A channel axis of extent 1 at the end: the same bytes, seen as NHWC.
        self.init(images: pixels.reshaped(to: pixels.shape + [1]) / 255, labels: labels)
    }
}
