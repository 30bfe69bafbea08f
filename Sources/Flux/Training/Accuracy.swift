// Classification accuracy: how often the largest logit (or one of the k largest) is the
// labelled class. Values are fractions in [0, 1] as `Double`, whatever the scalar type of
// the logits; an empty batch gives NaN (0 / 0, as the losses give it).

/// The fraction of examples whose largest logit is at their label: `argmax(logits[i]) ==
/// labels[i]`. Ties go to the earlier class and NaN counts as the largest value, as in
/// `argmax(alongAxis:)`; an empty batch gives NaN.
///
/// ```swift
/// let fraction = accuracy(logits: model(images), labels: labels)   // 0.0 ... 1.0
/// ```
/// - Precondition: logits are `[batch, classes]` with `classes ≥ 1`, labels `[batch]`, each
///   label in `0..<classes`.
@inlinable
public func accuracy<T: TensorFloatingPoint>(logits: Tensor<T>, labels: Tensor<Int>) -> Double {
    checkClassification(logits: logits, labels: labels, "accuracy")
    guard logits.shape[0] > 0 else { return .nan }
    let predicted = logits.argmax(alongAxis: 1).scalars
    let correct = zip(predicted, labels.scalars).count { $0 == $1 }
    return Double(correct) / Double(predicted.count)
}

/// The fraction of examples whose label is among their `k` largest logits (ties and NaN
/// ordered as in `topK`); `k = 1` is `accuracy(logits:labels:)`, `k = classes` is 1. An
/// empty batch gives NaN.
///
/// ```swift
/// let top5 = topKAccuracy(logits: logits, labels: labels, k: 5)
/// ```
/// - Precondition: the shapes and labels are as for `accuracy(logits:labels:)`, and
///   `1 ≤ k ≤ classes`.
@inlinable
public func topKAccuracy<T: TensorFloatingPoint>(logits: Tensor<T>, labels: Tensor<Int>, k: Int) -> Double {
    checkClassification(logits: logits, labels: labels, "topKAccuracy")
    let classes = logits.shape[1]
    guard k >= 1, k <= classes else {
        fail("topKAccuracy: k = \(k) for logits \(logits.shape) (k must be in 1...\(classes))")
    }
    let batch = logits.shape[0]
    guard batch > 0 else { return .nan }
    let chosen = logits.withoutDerivative.topK(k).indices.scalars
    let truth = labels.scalars
    let correct = (0..<batch).count { i in chosen[i * k..<(i + 1) * k].contains(truth[i]) }
    return Double(correct) / Double(batch)
}

/// Stops `operation` unless `logits` is `[batch, classes]` with `classes ≥ 1` and `labels`
/// is `[batch]` with every label in `0..<classes`.
@inlinable
func checkClassification<T: TensorScalar>(logits: Tensor<T>, labels: Tensor<Int>, _ operation: String) {
    guard logits.rank == 2, labels.shape == [logits.shape[0]] else {
        fail("\(operation): logits \(logits.shape) and labels \(labels.shape): expected [batch, classes] and [batch]")
    }
    guard logits.shape[1] >= 1 else {
        fail("\(operation): logits \(logits.shape) have no classes to choose from")
    }
    checkLabels(labels, classes: logits.shape[1], operation)
}
