/// How a parameter starts, chosen per layer: `Dense(784, 128, activation: relu, weight: .heNormal(), using: &rng)`.
///
/// The scaled schemes use a tensor's fan-in and fan-out, the numbers of inputs and outputs of
/// the unit it belongs to (for `Dense`'s `[inputs, outputs]` weight: `inputs` and `outputs`).
/// The formulas are PyTorch's `torch.nn.init` ones, so a model initialised the same way
/// starts from the same distributions.
public enum Initializer: Sendable, Equatable {
    /// Glorot (Xavier) uniform: U(−a, a) with `a = gain · √(6 / (fanIn + fanOut))`.
    case glorotUniform(gain: Double = 1)
    /// Glorot (Xavier) normal: N(0, σ²) with `σ = gain · √(2 / (fanIn + fanOut))`.
    case glorotNormal(gain: Double = 1)
    /// He (Kaiming) uniform: U(−a, a) with `a = gain · √(3 / fanIn)`; the default gain √2 is
    /// for `relu` (PyTorch's `kaiming_uniform_` with `nonlinearity="relu"`).
    case heUniform(gain: Double = 2.0.squareRoot())
    /// He (Kaiming) normal: N(0, σ²) with `σ = gain / √fanIn`.
    case heNormal(gain: Double = 2.0.squareRoot())
    /// A random matrix with orthonormal rows or columns (whichever are fewer), times `gain`
    /// (PyTorch's `orthogonal_`): the tensor is seen as `[first extent, the rest]`.
    case orthogonal(gain: Double = 1)
    /// N(0, σ²).
    case normal(standardDeviation: Double)
    /// U(−a, a).
    case uniform(limit: Double)
    /// Every element `value`.
    case constant(Double)
    /// Every element 0.
    case zeros
    /// Every element 1.
    case ones
}

extension Tensor where Scalar: TensorFloatingPoint {
    /// A tensor of `shape` started by `initializer`, for a unit with `fanIn` inputs and
    /// `fanOut` outputs, drawing from `generator`.
    public init<G: RandomNumberGenerator>(
        _ initializer: Initializer, shape: [Int], fanIn: Int, fanOut: Int, using generator: inout G
    ) {
        let operation = "Tensor(\(initializer), shape:fanIn:fanOut:)"
        func scale(_ fans: Int) -> Double {
            guard fans > 0 else { fail("\(operation): the fans of shape \(shape) are \(fanIn) and \(fanOut)") }
            return Double(fans)
        }
        switch initializer {
        case .glorotUniform(let gain):
            self = Tensor(uniformLimit: gain * (6 / scale(fanIn + fanOut)).squareRoot(), shape, &generator)
        case .glorotNormal(let gain):
            self.init(
                randomNormal: shape, standardDeviation: Scalar(gain * (2 / scale(fanIn + fanOut)).squareRoot()),
                using: &generator)
        case .heUniform(let gain):
            self = Tensor(uniformLimit: gain * (3 / scale(fanIn)).squareRoot(), shape, &generator)
        case .heNormal(let gain):
            self.init(
                randomNormal: shape, standardDeviation: Scalar(gain / scale(fanIn).squareRoot()), using: &generator)
        case .orthogonal(let gain):
            self = Tensor(orthogonal: shape, gain: gain, using: &generator)
        case .normal(let sigma):
            self.init(randomNormal: shape, standardDeviation: Scalar(sigma), using: &generator)
        case .uniform(let limit):
            self = Tensor(uniformLimit: limit, shape, &generator)
        case .constant(let value):
            self.init(shape: shape, repeating: Scalar(value))
        case .zeros:
            self.init(zeros: shape)
        case .ones:
            self.init(ones: shape)
        }
    }

    /// U(−limit, limit) (all zeros for a limit of 0).
    private init<G: RandomNumberGenerator>(uniformLimit limit: Double, _ shape: [Int], _ generator: inout G) {
        guard limit > 0 else {
            self.init(zeros: shape)
            return
        }
        self.init(randomUniform: shape, in: Scalar(-limit)..<Scalar(limit), using: &generator)
    }

    /// `gain` times a matrix of orthonormal rows (or columns, whichever are fewer), for
    /// `shape` seen as `[shape[0], the rest]`: Gram–Schmidt on a normal matrix, each vector's
    /// sign fixed so that the distribution is uniform over orthogonal matrices.
    private init<G: RandomNumberGenerator>(orthogonal shape: [Int], gain: Double, using generator: inout G) {
        guard shape.count >= 2 else {
            fail("Tensor(orthogonal, shape:…): an orthogonal tensor needs rank 2 or more; got shape \(shape)")
        }
        let rows = shape[0]
        let columns = shape.dropFirst().reduce(1, *)
        // Orthonormalise the `k` shorter vectors of length `n`.
        let (k, n) = (Swift.min(rows, columns), Swift.max(rows, columns))
        var vectors = Tensor<Double>(randomNormal: [k, n], using: &generator).scalars
        for i in 0..<k {
            for j in 0..<i {
                var dot = 0.0
                for t in 0..<n { dot += vectors[i * n + t] * vectors[j * n + t] }
                for t in 0..<n { vectors[i * n + t] -= dot * vectors[j * n + t] }
            }
            var norm = 0.0
            for t in 0..<n { norm += vectors[i * n + t] * vectors[i * n + t] }
            norm = norm.squareRoot()
            guard norm > 0 else { fail("Tensor(orthogonal, shape: \(shape)): a degenerate draw") }
            for t in 0..<n { vectors[i * n + t] /= norm }
        }
        // Rows orthonormal when there are fewer rows, else columns (the transpose).
        var values = [Scalar](repeating: 0, count: rows * columns)
        for r in 0..<rows {
            for c in 0..<columns {
                values[r * columns + c] = Scalar(gain * (rows <= columns ? vectors[r * n + c] : vectors[c * n + r]))
            }
        }
        self.init(shape: shape, scalars: values)
    }
}
