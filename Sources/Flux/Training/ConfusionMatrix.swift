// Which class was taken for which: counts of true classes (rows) against predicted ones
// (columns), with the per-class scores read from them.

/// Counts of each true class (rows) against the predicted class (columns): `counts[t, p]`
/// is how many examples of class `t` were predicted as `p`, so the diagonal is what is
/// right. Batches accumulate with `add(predictions:labels:)`.
///
/// Per-class scores are fractions in [0, 1]: precision `tp / (tp + fp)`, recall
/// `tp / (tp + fn)`, and F1 `2tp / (2tp + fp + fn)` (their harmonic mean, and 0 when the
/// class is counted but never right). A score with nothing to count — precision of a class
/// never predicted, recall of a class never present — is NaN, as a mean over no elements is.
///
/// ```swift
/// var confusion = ConfusionMatrix(classes: 10)
/// confusion.add(predictions: logits.argmax(alongAxis: 1), labels: labels)
/// print(confusion)                       // an aligned table, dots for zeros
/// let worst = confusion.recall.enumerated().min { $0.element < $1.element }
/// let sameMatrix = ConfusionMatrix(logits: logits, labels: labels)
/// ```
public struct ConfusionMatrix: Equatable, Sendable, CustomStringConvertible {
    /// The number of classes: counts are `[classes, classes]`.
    public let classes: Int
    /// Row-major counts: `storage[truth * classes + predicted]`.
    var storage: [Int]

    /// An empty matrix for `classes` classes.
    ///
    /// - Precondition: `classes ≥ 1`.
    public init(classes: Int) {
        guard classes >= 1 else { fail("ConfusionMatrix: \(classes) classes (at least 1 is needed)") }
        self.classes = classes
        storage = [Int](repeating: 0, count: classes * classes)
    }

    /// The matrix of predicted class indices against labels, both `[batch]`.
    ///
    /// - Precondition: the shapes agree and every index is in `0..<classes`.
    public init(predictions: Tensor<Int>, labels: Tensor<Int>, classes: Int) {
        self.init(classes: classes)
        add(predictions: predictions, labels: labels)
    }

    /// The matrix of the largest logit of each example (`argmax` along the classes) against
    /// the labels; `classes` is the logits' second extent.
    ///
    /// - Precondition: logits are `[batch, classes]` with `classes ≥ 1`, labels `[batch]` in
    ///   `0..<classes`.
    public init<T: TensorFloatingPoint>(logits: Tensor<T>, labels: Tensor<Int>) {
        checkClassification(logits: logits, labels: labels, "ConfusionMatrix")
        self.init(classes: logits.shape[1])
        if logits.shape[0] > 0 { add(predictions: logits.argmax(alongAxis: 1), labels: labels) }
    }

    /// Counts one more batch of predicted class indices against labels, both `[batch]`.
    ///
    /// - Precondition: the shapes agree, are 1-D, and every index is in `0..<classes`.
    public mutating func add(predictions: Tensor<Int>, labels: Tensor<Int>) {
        guard predictions.rank == 1, predictions.shape == labels.shape else {
            fail(
                "ConfusionMatrix: predictions \(predictions.shape) and labels \(labels.shape): expected [batch] and [batch]"
            )
        }
        checkLabels(labels, classes: classes, "ConfusionMatrix")
        for (i, p) in predictions.scalars.enumerated() where p < 0 || p >= classes {
            fail("ConfusionMatrix: prediction \(p) at example \(i) is outside 0..<\(classes)")
        }
        for (p, t) in zip(predictions.scalars, labels.scalars) { storage[t * classes + p] += 1 }
    }

    /// How many examples of class `truth` were predicted as `predicted`.
    ///
    /// - Precondition: both are in `0..<classes`.
    public subscript(truth: Int, predicted: Int) -> Int {
        guard (0..<classes).contains(truth), (0..<classes).contains(predicted) else {
            fail("ConfusionMatrix: [\(truth), \(predicted)] is outside a \(classes)×\(classes) matrix")
        }
        return storage[truth * classes + predicted]
    }

    /// The counts as a `[classes, classes]` tensor, rows the true classes.
    public var counts: Tensor<Int> { Tensor(shape: [classes, classes], scalars: storage) }

    /// The number of examples counted.
    public var total: Int { storage.reduce(0, +) }

    /// The fraction of examples on the diagonal; NaN when none is counted.
    public var accuracy: Double { Double(diagonal.reduce(0, +)) / Double(total) }

    /// Per class: the fraction of its predictions that were right, `tp / (tp + fp)`; NaN for
    /// a class never predicted.
    public var precision: [Double] {
        (0..<classes).map { c in Double(self[c, c]) / Double(predictedCount(c)) }
    }

    /// Per class: the fraction of its examples predicted as it, `tp / (tp + fn)`; NaN for a
    /// class with no examples.
    public var recall: [Double] {
        (0..<classes).map { c in Double(self[c, c]) / Double(trueCount(c)) }
    }

    /// Per class: the harmonic mean of precision and recall, `2tp / (2tp + fp + fn)`; 0 for a
    /// class counted but never right, NaN for one neither present nor predicted.
    public var f1: [Double] {
        (0..<classes).map { c in
            let tp = self[c, c]
            return Double(2 * tp) / Double(predictedCount(c) + trueCount(c))
        }
    }

    var diagonal: [Int] { (0..<classes).map { storage[$0 * classes + $0] } }
    func trueCount(_ c: Int) -> Int { storage[c * classes..<(c + 1) * classes].reduce(0, +) }
    func predictedCount(_ c: Int) -> Int { (0..<classes).reduce(0) { $0 + storage[$1 * classes + c] } }

    /// The counts as a table: a header of predicted classes, then a row per true class,
    /// right-aligned, with a dot for each zero so that the mistakes stand out.
    ///
    /// ```text
    /// true \ predicted  0  1  2
    ///                0  5  .  1
    ///                1  .  7  .
    ///                2  2  .  4
    /// ```
    public var description: String {
        let width = max(String(storage.max() ?? 0).count, String(classes - 1).count) + 2
        func cells(_ texts: [String]) -> String {
            texts.map { String(repeating: " ", count: width - $0.count) + $0 }.joined()
        }
        let corner = "true \\ predicted"
        let header = corner + cells((0..<classes).map { "\($0)" })
        let rows = (0..<classes).map { truth in
            let label = "\(truth)"
            return String(repeating: " ", count: max(0, corner.count - label.count)) + label
                + cells(storage[truth * classes..<(truth + 1) * classes].map { $0 == 0 ? "." : "\($0)" })
        }
        return ([header] + rows).joined(separator: "\n")
    }
}
