// A convolutional network in Flux, LeNet's shape: convolutions find strokes wherever they
// are in the image, pooling halves the image and keeps the strongest response, and dense
// layers at the end read the digit from what is left. The model is one `Chain`; the Digits
// tutorial trains it on one process, the DataParallel tutorial on several.
import Flux

/// How a run is set up; `.short` is a few seconds' run for the tests.
public struct DigitsSettings: Sendable {
    /// Channels of the first and second convolution.
    public var channels = (first: 16, second: 32)
    /// Width of the hidden dense layer.
    public var hidden = 64
    /// The probability that Dropout zeroes a hidden unit while training.
    public var dropout = 0.25
    public var epochs = 12
    public var batchSize = 32
    /// Adam's learning rate at the start; it decays along a half cosine to 0 at the end.
    public var learningRate = 3e-3
    /// When set, only the first `trainingLimit` training images are used.
    public var trainingLimit: Int? = nil
    /// The seed of the data's split (for the shipped digits), the weights and the shuffles.
    public var seed: UInt64 = 0

    /// The full run's settings.
    public init() {}

    /// A small network, three epochs on 480 images: a few seconds in a debug build.
    public static let short = {
        var settings = DigitsSettings()
        (settings.channels, settings.hidden, settings.epochs) = ((8, 16), 32, 3)
        (settings.batchSize, settings.learningRate, settings.trainingLimit) = (16, 1e-2, 480)
        return settings
    }()
}

/// The network for `height × width` grey images: two convolution blocks, each halving the
/// image, then a classifier over the flattened features. An 8×8 digit becomes 4×4, then 2×2;
/// an MNIST 28×28 one 14×14, then 7×7: only the first dense layer's width depends on it.
public func makeDigitsCNN(height: Int, width: Int, _ settings: DigitsSettings, using rng: inout RandomGenerator)
    -> some Model<Tensor<Float>, Tensor<Float>>
{
    let (c1, c2) = settings.channels
    let features = (height / 4) * (width / 4) * c2
    precondition(features > 0, "DigitsCNN: images of \(height)×\(width) are too small for two 2×2 poolings")
    return Chain {
        // [n, h, w, 1] → [n, h, w, c1]: 3×3 windows, padded so the image keeps its size. No
        // bias: BatchNorm subtracts each channel's mean, which would cancel it, and its
        // offset takes the bias's place.
        Conv2D<Float>(1, c1, kernelSize: 3, padding: .same, useBias: false, using: &rng)
        BatchNorm<Float>(c1)  // batch statistics while training, running ones when testing
        relu
        MaxPool2D(2)  // → [n, h/2, w/2, c1]
        Conv2D<Float>(c1, c2, kernelSize: 3, padding: .same, activation: relu, using: &rng)
        MaxPool2D(2)  // → [n, h/4, w/4, c2]
        Flatten()  // → [n, h/4 · w/4 · c2]
        Dense<Float>(features, settings.hidden, activation: relu, using: &rng)
        Dropout<Float>(settings.dropout, using: &rng)  // only while training
        Dense<Float>(settings.hidden, 10, using: &rng)  // → [n, 10] logits, one per digit
    }
}
