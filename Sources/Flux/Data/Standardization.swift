/// Per-feature standardization: each feature (each position of an example's row) has the
/// training set's mean subtracted and is divided by its standard deviation, so that on the
/// training set every feature has mean 0 and standard deviation 1.
///
/// Fit it on the training inputs only and apply the same value to the validation and test
/// inputs, which then see the training statistics, as new data will.
///
/// ```swift
/// let scale = Standardization(fittedTo: inputs)   // inputs: [8, 4]; mean and deviation: [4]
/// let standardized = scale(inputs)
/// let train = Dataset(inputs: inputs, labels: labels).standardized(by: scale)
/// ```
public struct Standardization<Scalar: TensorFloatingPoint>: Sendable, Equatable {
    /// The mean of each feature: the shape of one example.
    public let mean: Tensor<Scalar>
    /// The standard deviation of each feature (dividing by the count), with 1 in place of
    /// one that is zero, or too small beside the mean to be told from zero at `Scalar`'s
    /// precision: a constant feature becomes 0 rather than a division by zero.
    public let standardDeviation: Tensor<Scalar>

    /// Statistics of each feature over the examples of `inputs` (`[count, …]`), computed in
    /// `Double`.
    ///
    /// - Precondition: `inputs` has at least one axis and one example.
    public init(fittedTo inputs: Tensor<Scalar>) {
        guard inputs.rank >= 1, inputs.shape[0] > 0 else {
            fail("Standardization(fittedTo:): inputs of shape \(inputs.shape) hold no examples to fit")
        }
        let featureShape = Array(inputs.shape.dropFirst())
        let (rows, width) = (inputs.shape[0], featureShape.reduce(1, *))
        var (means, deviations) = ([Double](repeating: 0, count: width), [Double](repeating: 0, count: width))
        inputs.withUnsafeBufferPointer { x in
            for r in 0..<rows {
                for f in 0..<width { means[f] += Double(x[r * width + f]) }
            }
            for f in 0..<width { means[f] /= Double(rows) }
            for r in 0..<rows {
                for f in 0..<width {
                    let d = Double(x[r * width + f]) - means[f]
                    deviations[f] += d * d
                }
            }
        }
        let precision = Double(Scalar.ulpOfOne)
        for f in 0..<width {
            let deviation = (deviations[f] / Double(rows)).squareRoot()
            deviations[f] = deviation <= precision * abs(means[f]) || deviation == 0 ? 1 : deviation
        }
        mean = Tensor(shape: featureShape, scalars: means.map { Scalar($0) })
        standardDeviation = Tensor(shape: featureShape, scalars: deviations.map { Scalar($0) })
    }

    /// Given statistics.
    ///
    /// - Precondition: both have the same shape.
    public init(mean: Tensor<Scalar>, standardDeviation: Tensor<Scalar>) {
        guard mean.shape == standardDeviation.shape else {
            fail(
                "Standardization(mean:standardDeviation:): shapes \(mean.shape) and "
                    + "\(standardDeviation.shape) differ")
        }
        (self.mean, self.standardDeviation) = (mean, standardDeviation)
    }

    /// `(inputs - mean) / standardDeviation` for each example of `inputs` (`[count, …]`).
    ///
    /// - Precondition: an example of `inputs` has the shape of ``mean``.
    public func callAsFunction(_ inputs: Tensor<Scalar>) -> Tensor<Scalar> {
        check(inputs, "Standardization")
        return (inputs - mean) / standardDeviation
    }

    /// The inverse: `inputs * standardDeviation + mean`, from standardized values back to
    /// the original scale (for predictions of a standardized target).
    ///
    /// - Precondition: an example of `inputs` has the shape of ``mean``.
    public func restoringScale(_ inputs: Tensor<Scalar>) -> Tensor<Scalar> {
        check(inputs, "Standardization.restoringScale")
        return inputs * standardDeviation + mean
    }

    private func check(_ inputs: Tensor<Scalar>, _ operation: String) {
        guard inputs.rank >= 1, Array(inputs.shape.dropFirst()) == mean.shape else {
            fail(
                "\(operation): inputs of shape \(inputs.shape) do not hold examples of shape \(mean.shape), "
                    + "the shape it was fitted to")
        }
    }
}

extension Dataset where Input: TensorFloatingPoint {
    /// The examples with their inputs standardized by `standardization`; labels unchanged.
    ///
    /// ```swift
    /// let data = Dataset(inputs: inputs, labels: labels)
    /// let standardized = data.standardized(by: Standardization(fittedTo: data.inputs))
    /// ```
    public func standardized(by standardization: Standardization<Input>) -> Dataset {
        Dataset(inputs: standardization(inputs), labels: labels)
    }
}
