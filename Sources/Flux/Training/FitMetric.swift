// A number `fit` measures on the validation set after every epoch, batch by batch, and
// records in the history as "validation <name>".

/// A quantity measured on the validation set after every epoch of `fit(_:optimizer:on:…)`:
/// its mean over each batch, which `fit` weighs by the batch's size, so that the recorded
/// value is the mean over every validation example. It is recorded as
/// `"validation \(name)"`.
///
/// ```swift
/// let meanError = FitMetric<Dense<Float>, Float, Int>(name: "mean absolute logit") { m, x, _ in
///     Double(abs(m(x)).mean().scalar)
/// }
/// ```
public struct FitMetric<M, Input: TensorScalar, Label: TensorScalar> {
    /// The name, recorded after "validation ".
    public var name: String
    /// The metric's mean over one batch, or nil when it does not apply (nothing is recorded).
    public var measure: (_ model: M, _ inputs: Tensor<Input>, _ labels: Tensor<Label>) -> Double?

    /// A metric named `name` whose mean over a batch is `measure`.
    public init(
        name: String, measure: @escaping (_ model: M, _ inputs: Tensor<Input>, _ labels: Tensor<Label>) -> Double?
    ) {
        (self.name, self.measure) = (name, measure)
    }

    /// Classification accuracy (`accuracy(logits:labels:)`): recorded when the labels are
    /// `Int` class indices `[batch]` and the model maps `Tensor<Input>` to `Float` or `Double`
    /// scores `[batch, classes]` (logits or probabilities: the largest is the prediction);
    /// for any other model or labels it records nothing. `fit(_:optimizer:on:…)`
    /// measures it unless given other metrics.
    ///
    /// ```swift
    /// let metrics: [FitMetric<Dense<Float>, Float, Int>] = [.accuracy]
    /// ```
    public static var accuracy: FitMetric {
        FitMetric(name: "accuracy") { model, inputs, labels in
            guard let labels = labels as? Tensor<Int> else { return nil }
            if let classifier = model as? any Model<Tensor<Input>, Tensor<Float>> {
                return classificationAccuracy(classifier(inputs), labels)
            }
            if let classifier = model as? any Model<Tensor<Input>, Tensor<Double>> {
                return classificationAccuracy(classifier(inputs), labels)
            }
            return nil
        }
    }
}

/// `accuracy(logits:labels:)` when `scores` are `[batch, classes]` and `labels` `[batch]` in
/// `0..<classes`; nil otherwise (a model that is no classifier).
func classificationAccuracy<T: TensorFloatingPoint>(_ scores: Tensor<T>, _ labels: Tensor<Int>) -> Double? {
    guard scores.rank == 2, scores.shape[1] >= 1, labels.shape == [scores.shape[0]],
        labels.scalars.allSatisfy({ (0..<scores.shape[1]).contains($0) })
    else { return nil }
    return accuracy(logits: scores, labels: labels)
}
