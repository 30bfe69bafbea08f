/// Dropout: while training, each element is zeroed with probability `probability` and the
/// others are scaled by `1 / (1 − probability)`, so the expected value is unchanged; in
/// inference the input passes through (PyTorch's `nn.Dropout`, "inverted" dropout).
///
/// The generator is a value in the layer (``LayerState``): each training step draws its mask
/// from it, and the model the optimizer returns holds the advanced generator, so a run is
/// reproducible from its seed and a step never mutates a model. Whether it trains is the
/// layer's ``mode`` (see ``LayerMode``; by default, inside a gradient computation of the model).
/// ```swift
/// var rng = RandomGenerator(seed: 3)
/// let net = Chain { Dense<Float>(64, 32, activation: relu, using: &rng); Dropout<Float>(0.25, using: &rng); Dense<Float>(32, 10, using: &rng) }
/// ```
public struct Dropout<Scalar: TensorFloatingPoint>: Model {
    /// The probability that an element is zeroed while training, in `0 ..< 1`.
    public var probability: Double {
        didSet { Self.check(probability) }
    }
    /// The generator the next training step's mask comes from.
    @LayerState public var generator: RandomGenerator
    /// Whether the layer drops (``LayerMode``).
    public var mode: LayerMode

    /// Dropout with the given probability, drawing its masks from `generator`.
    public init(_ probability: Double, generator: RandomGenerator, mode: LayerMode = .automatic) {
        Self.check(probability)
        (self.probability, self.generator, self.mode) = (probability, generator, mode)
    }

    /// Dropout with the given probability, its generator split from `generator`.
    public init<G: RandomNumberGenerator>(_ probability: Double, mode: LayerMode = .automatic, using generator: inout G)
    {
        self.init(probability, generator: RandomGenerator(seed: generator.next()), mode: mode)
    }

    /// Dropout with the given probability, its generator split from the default generator
    /// (``RandomGenerator/seedDefault(_:)``).
    public init(_ probability: Double, mode: LayerMode = .automatic) {
        self = RandomGenerator.withDefault { Dropout(probability, mode: mode, using: &$0) }
    }

    private static func check(_ probability: Double) {
        guard probability >= 0, probability < 1 else {
            fail("Dropout: probability must satisfy 0 ≤ probability < 1, got \(probability)")
        }
    }

    /// `x` with elements dropped while training; `x` itself in inference.
    @inlinable
    public func callAsFunction(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        guard probability > 0, mode.isTraining(recording: $generator.isRecording) else { return x }
        var g = generator
        let keep = Scalar(1 - probability)
        let mask = Tensor<Scalar>(randomUniform: x.shape, using: &g).mapElements { $0 < keep ? 1 / keep : 0 }
        $generator.update(to: g)
        return x * mask
    }
}
