// Losses: functions from predictions and targets to a rank-0 tensor, averaged over all
// elements (or over the examples of a batch). All are numerically stable.

/// `mean((ŷ − y)²)`.
@inlinable
public func meanSquaredError<T: TensorFloatingPoint>(_ predicted: Tensor<T>, _ target: Tensor<T>) -> Tensor<T> {
    checkSameShape(predicted, target, "meanSquaredError")
    let d = predicted - target
    return (d * d).mean()
}

/// `mean(|ŷ − y|)`.
@inlinable
public func meanAbsoluteError<T: TensorFloatingPoint>(_ predicted: Tensor<T>, _ target: Tensor<T>) -> Tensor<T> {
    checkSameShape(predicted, target, "meanAbsoluteError")
    return abs(predicted - target).mean()
}

/// The Huber loss: `½d²` where `|d| ≤ δ`, `δ(|d| − ½δ)` beyond, averaged (`d = ŷ − y`).
@inlinable
public func huberLoss<T: TensorFloatingPoint>(_ predicted: Tensor<T>, _ target: Tensor<T>, delta: T = 1) -> Tensor<T> {
    checkSameShape(predicted, target, "huberLoss")
    let a = abs(predicted - target)
    let small = min(a, delta)
    return (small * small / 2 + (a - small) * delta).mean()
}

/// Binary cross-entropy from probabilities `p` and targets `y` in [0, 1]:
/// `−mean(y log p + (1 − y) log(1 − p))`, with `p` clamped to `[ε, 1 − ε]` so it stays finite.
@inlinable
public func binaryCrossEntropy<T: TensorFloatingPoint>(
    probabilities p: Tensor<T>, targets y: Tensor<T>, epsilon: T = T.ulpOfOne.squareRoot()
) -> Tensor<T> {
    checkSameShape(p, y, "binaryCrossEntropy")
    let q = clamp(p, min: epsilon, max: 1 - epsilon)
    return -(y * log(q) + (1 - y) * log(1 - q)).mean()
}

/// Binary cross-entropy from logits `z` (before the sigmoid), computed stably as
/// `mean(max(z, 0) − z·y + log(1 + e^−|z|))`.
@inlinable
public func binaryCrossEntropy<T: TensorFloatingPoint>(logits z: Tensor<T>, targets y: Tensor<T>) -> Tensor<T> {
    checkSameShape(z, y, "binaryCrossEntropy")
    return (relu(z) - z * y + softplus(-abs(z))).mean()
}

/// Softmax cross-entropy from logits `[batch, classes]` and integer labels `[batch]`:
/// the mean over examples of `logΣexp(z) − z[label]`. One fused pass forward; the
/// gradient is `(softmax(z) − onehot(label)) / batch`.
///
/// - Precondition: logits are 2-D, labels 1-D of the batch size, each in `0..<classes`.
@inlinable
public func softmaxCrossEntropy<T: TensorFloatingPoint>(logits: Tensor<T>, labels: Tensor<Int>) -> Tensor<T> {
    guard logits.rank == 2, labels.shape == [logits.shape[0]] else {
        fail(
            "softmaxCrossEntropy: logits \(logits.shape) and labels \(labels.shape): expected [batch, classes] and [batch]"
        )
    }
    let (batch, classes) = (logits.shape[0], logits.shape[1])
    var probabilities = Tensor<T>(zeros: logits.shape)
    var total = T.zero
    let z = logits.withoutDerivative
    z.withUnsafeBufferPointer { pz in
        labels.withUnsafeBufferPointer { pl in
            probabilities.withUnsafeMutableBufferPointer { pp in
                for i in 0..<batch {
                    let label = pl[i]
                    guard label >= 0 && label < classes else {
                        fail("softmaxCrossEntropy: label \(label) at example \(i) is outside 0..<\(classes)")
                    }
                    let row = pz.baseAddress! + i * classes
                    let out = pp.baseAddress! + i * classes
                    var m = row[0]
                    for j in 1..<classes where row[j] > m { m = row[j] }
                    var s = T.zero
                    for j in 0..<classes {
                        out[j] = T._exp(row[j] - m)
                        s += out[j]
                    }
                    let inverse = 1 / s
                    for j in 0..<classes { out[j] *= inverse }
                    total += T._log(s) + m - row[label]
                }
            }
        }
    }
    let value = Tensor<T>(total / T(batch))
    guard logits.isTraced else { return value }
    let scale = 1 / T(batch)
    return logits.recording(value) { g in
        var d = probabilities
        let factor = g.scalar * scale
        d.withUnsafeMutableBufferPointer { pd in
            labels.withUnsafeBufferPointer { pl in
                for i in 0..<batch { pd[i * classes + pl[i]] -= 1 }
            }
            for i in 0..<pd.count { pd[i] *= factor }
        }
        return d
    }
}

/// Softmax cross-entropy from logits and target distributions of the same shape (e.g.
/// one-hot rows): the mean over examples of `−Σ y · log softmax(z)` along the last axis.
@inlinable
public func softmaxCrossEntropy<T: TensorFloatingPoint>(logits: Tensor<T>, probabilities y: Tensor<T>) -> Tensor<T> {
    checkSameShape(logits, y, "softmaxCrossEntropy")
    let examples = logits.count / Swift.max(logits.shape.last ?? 1, 1)
    return -(y * logSoftmax(logits)).sum() / T(examples)
}

/// The Kullback–Leibler divergence `Σ p (log p − log q)` of distributions `p` from `q`
/// along the last axis, averaged over the other axes; terms with `p = 0` count 0.
@inlinable
public func klDivergence<T: TensorFloatingPoint>(_ p: Tensor<T>, _ q: Tensor<T>, epsilon: T = T.leastNormalMagnitude)
    -> Tensor<T>
{
    checkSameShape(p, q, "klDivergence")
    let examples = p.count / Swift.max(p.shape.last ?? 1, 1)
    let terms = p * (log(max(p, epsilon)) - log(max(q, epsilon)))
    return terms.sum() / T(examples)
}

/// Stops with a message when a loss gets predictions and targets of different shapes.
@inlinable
func checkSameShape<T>(_ a: Tensor<T>, _ b: Tensor<T>, _ operation: String) {
    guard a.shape == b.shape else {
        fail("\(operation): predictions \(a.shape) and targets \(b.shape) differ in shape")
    }
}
