// Losses over padded batches: the positions a mask marks as padding add nothing to the loss
// or to any gradient, and the mean is over the real positions only.

/// Softmax cross-entropy averaged over the rows whose `mask` is 1: rows marked 0 (padding,
/// such as the steps after a sequence's end) add nothing, as PyTorch's `ignore_index` does.
///
/// ```swift
/// let mask: Tensor<Float> = [1, 1, 1, 1, 1, 1, 0, 0]     // the last two rows are padding
/// let loss = softmaxCrossEntropy(logits: logits, labels: labels, mask: mask)
/// ```
/// - Parameters:
///   - logits: `[rows, classes]`.
///   - labels: `[rows]`, each in `0..<classes` (any value on a masked row).
///   - mask: `[rows]` of 1 and 0.
/// - Returns: the mean over the real rows; NaN when there are none (a mean over nothing).
@inlinable
public func softmaxCrossEntropy<T: TensorFloatingPoint>(logits: Tensor<T>, labels: Tensor<Int>, mask: Tensor<T>)
    -> Tensor<T>
{
    guard logits.rank == 2, labels.shape == [logits.shape[0]], mask.shape == labels.shape else {
        fail(
            "softmaxCrossEntropy(logits:labels:mask:): logits \(logits.shape), labels \(labels.shape) and mask \(mask.shape) do not fit ([rows, classes], [rows], [rows])"
        )
    }
    let keep = mask.withoutDerivative
    // A masked row's label may be anything (a padding token): it is read as class 0 and its
    // term multiplied by 0.
    let safeLabels = Tensor<Int>(
        shape: labels.shape, scalars: zip(labels.scalars, keep.scalars).map { $1 == 0 ? 0 : $0 })
    let perRow = -(logSoftmax(logits) * Tensor<T>(oneHotAtIndices: safeLabels, depth: logits.shape[1])).sum(
        alongAxes: 1)
    return (perRow * keep).sum() / keep.sum()
}
