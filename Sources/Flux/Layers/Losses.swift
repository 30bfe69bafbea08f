// Losses: functions from predictions and targets to a rank-0 tensor, averaged over all
// elements (or over the examples of a batch). All are numerically stable.
//
// An empty batch gives NaN: a mean over no elements is 0 / 0, as `mean()` and PyTorch's
// losses give it, so that a training step on no data shows instead of reporting a perfect
// loss of 0; its gradient is an empty tensor of the input's shape. Examples with no classes
// (`[batch, 0]`) have nothing to sum: a loss of 0. NaN in any input gives NaN.

/// `mean((ŷ − y)²)`; NaN for empty tensors (a mean over no elements).
///
/// One recorded operation, not four: one pass forward, and one pass back to each traced
/// input (`2(ŷ − y)·g/n` to the predictions, its negative to the targets). The gradients
/// round exactly as those of `((ŷ − y) * (ŷ − y)).mean()`; the value is summed pairwise over
/// all elements at once, so it can differ from that composition in the last bits.
@inlinable
public func meanSquaredError<T: TensorFloatingPoint>(_ predicted: Tensor<T>, _ target: Tensor<T>) -> Tensor<T> {
    checkSameShape(predicted, target, "meanSquaredError")
    let (p, t, n) = (predicted.withoutDerivative, target.withoutDerivative, T(predicted.count))
    let sum = p.withUnsafeBufferPointer { a in
        t.withUnsafeBufferPointer { b in pairwiseSquaredDistance(a.baseAddress!, b.baseAddress!, a.count) }
    }
    let value = Tensor<T>(sum / n)
    guard Tensor.anyTraced(predicted, target) else { return value }
    // `2 * (g * (1 / n))` rounds as the composition does: mean's `g · (1/n)`, then `d * d`'s
    // two equal terms added.
    func pullback(_ sign: T) -> (Tensor<T>) -> Tensor<T> {
        { g in
            let s = sign * 2 * (g.scalar * (1 / n))
            return p.zipElements(t) { ($0 - $1) * s }
        }
    }
    return Tensor.recording(value, predicted, target, pullback(1), pullback(-1))
}

/// `Σ (a[i] − b[i])²` over `n` elements, summed as `pairwiseSum` sums (pairwise over blocks
/// of 256, eight accumulators each) so the rounding error grows with log n, without
/// materialising the squares.
@inlinable
func pairwiseSquaredDistance<T: TensorFloatingPoint>(_ a: UnsafePointer<T>, _ b: UnsafePointer<T>, _ n: Int) -> T {
    @inline(__always) func term(_ i: Int) -> T {
        let d = a[i] - b[i]
        return d * d
    }
    if n <= 256 {
        var acc = (T.zero, T.zero, T.zero, T.zero, T.zero, T.zero, T.zero, T.zero)
        var i = 0
        while i + 8 <= n {
            acc.0 += term(i); acc.1 += term(i + 1); acc.2 += term(i + 2); acc.3 += term(i + 3)
            acc.4 += term(i + 4); acc.5 += term(i + 5); acc.6 += term(i + 6); acc.7 += term(i + 7)
            i += 8
        }
        var total = ((acc.0 + acc.1) + (acc.2 + acc.3)) + ((acc.4 + acc.5) + (acc.6 + acc.7))
        while i < n {
            total += term(i)
            i += 1
        }
        return total
    }
    let half = (n / 2 + 7) & ~7
    return pairwiseSquaredDistance(a, b, half) + pairwiseSquaredDistance(a + half, b + half, n - half)
}

/// `mean(|ŷ − y|)`; NaN for empty tensors.
@inlinable
public func meanAbsoluteError<T: TensorFloatingPoint>(_ predicted: Tensor<T>, _ target: Tensor<T>) -> Tensor<T> {
    checkSameShape(predicted, target, "meanAbsoluteError")
    return abs(predicted - target).mean()
}

/// The Huber loss: `½d²` where `|d| ≤ δ`, `δ(|d| − ½δ)` beyond, averaged (`d = ŷ − y`);
/// NaN for empty tensors.
@inlinable
public func huberLoss<T: TensorFloatingPoint>(_ predicted: Tensor<T>, _ target: Tensor<T>, delta: T = 1) -> Tensor<T> {
    checkSameShape(predicted, target, "huberLoss")
    let a = abs(predicted - target)
    let small = min(a, delta)
    return (small * small / 2 + (a - small) * delta).mean()
}

/// Binary cross-entropy from probabilities `p` and targets `y` in [0, 1]:
/// `−mean(y log p + (1 − y) log(1 − p))`, with `p` clamped to `[ε, 1 − ε]` so it stays finite;
/// NaN for empty tensors.
///
/// - Precondition: `epsilon ≤ 1/2`.
@inlinable
public func binaryCrossEntropy<T: TensorFloatingPoint>(
    probabilities p: Tensor<T>, targets y: Tensor<T>, epsilon: T = T.ulpOfOne.squareRoot()
) -> Tensor<T> {
    checkSameShape(p, y, "binaryCrossEntropy")
    guard epsilon <= 1 - epsilon else {
        fail("binaryCrossEntropy: epsilon \(epsilon) is above 1/2, so [ε, 1 − ε] holds no probability")
    }
    let q = clamp(p, min: epsilon, max: 1 - epsilon)
    return -(y * log(q) + (1 - y) * log(1 - q)).mean()
}

/// Binary cross-entropy from logits `z` (before the sigmoid), computed stably as
/// `mean(max(z, 0) − z·y + log(1 + e^−|z|))`; NaN for empty tensors.
@inlinable
public func binaryCrossEntropy<T: TensorFloatingPoint>(logits z: Tensor<T>, targets y: Tensor<T>) -> Tensor<T> {
    checkSameShape(z, y, "binaryCrossEntropy")
    return (relu(z) - z * y + softplus(-abs(z))).mean()
}

/// Softmax cross-entropy from logits `[batch, classes]` and integer labels `[batch]`:
/// the mean over examples of `logΣexp(z) − z[label]`. One fused pass forward; the
/// gradient is `(softmax(z) − onehot(label)) / batch`. An empty batch gives NaN.
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
                        out[j] = T.exp(row[j] - m)
                        s += out[j]
                    }
                    let inverse = 1 / s
                    for j in 0..<classes { out[j] *= inverse }
                    total += T.log(s) + m - row[label]
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
/// one-hot rows): the mean over examples of `−Σ y · log softmax(z)` along the last axis;
/// terms with `y = 0` count 0, so a masked class (a logit of −∞) costs nothing where the
/// target gives it no mass (PyTorch's formula gives NaN there, as −∞ · 0).
/// An empty batch (`[0, classes]`) gives NaN; examples without classes (`[batch, 0]`) give 0.
///
/// - Precondition: the shapes agree and have rank ≥ 1.
@inlinable
public func softmaxCrossEntropy<T: TensorFloatingPoint>(logits: Tensor<T>, probabilities y: Tensor<T>) -> Tensor<T> {
    checkSameShape(logits, y, "softmaxCrossEntropy")
    guard logits.rank >= 1 else { fail("softmaxCrossEntropy: logits of shape [] have no axis of classes") }
    return -weightedTerms(y, logSoftmax(logits)).sum() / T(exampleCount(logits.shape))
}

/// `y · l` for tensors of one shape, with 0 wherever `y` is 0 even where `l` is −∞: the
/// terms of a cross-entropy, in one pass like the product. The pullback is the product's
/// (`g · l` to `y`, `g · y` to `l`), so a masked class sends no gradient to its logit.
@inlinable
func weightedTerms<T: TensorFloatingPoint>(_ y: Tensor<T>, _ l: Tensor<T>) -> Tensor<T> {
    let value = y.zipElements(l, operation: "softmaxCrossEntropy") { y, l in y == 0 ? 0 : y * l }
    guard Tensor.anyTraced(y, l) else { return value }
    let (y0, l0) = (y.withoutDerivative, l.withoutDerivative)
    return Tensor.recording(value, y, l, { g in g.zipElements(l0) { $0 * $1 } }, { g in g.zipElements(y0) { $0 * $1 } })
}

/// `mean(log cosh(ŷ − y))`: quadratic near zero, linear far from it, smooth everywhere;
/// computed as `|d| + log1p(e^(−2|d|)) − log 2`, which does not overflow. NaN for empty tensors.
@inlinable
public func logCoshLoss<T: TensorFloatingPoint>(_ predicted: Tensor<T>, _ target: Tensor<T>) -> Tensor<T> {
    checkSameShape(predicted, target, "logCoshLoss")
    let d = predicted - target
    let value = d.mapElements { d in d.magnitude + T.log(onePlus: T.exp(-2 * d.magnitude)) - T.log(2) }
    return d.elementwiseRecording(value) { g, d, _ in g.zipElements(d) { g, d in g * T.tanh(d) } }.mean()
}

/// Cross-entropy from predicted probabilities `[batch, classes]` (rows that sum to 1, e.g.
/// after `softmax`) and integer labels `[batch]`: the mean over examples of `−log p[label]`,
/// with `p` clamped to `[ε, 1]` so that it stays finite. From logits, prefer
/// ``softmaxCrossEntropy(logits:labels:)``, which is stabler and faster (PyTorch's `NLLLoss`
/// on `log(p)` is this function; its `CrossEntropyLoss` is the one from logits).
///
/// An empty batch gives NaN.
///
/// - Precondition: probabilities are 2-D, labels 1-D of the batch size, each in `0..<classes`;
///   `epsilon ≤ 1`.
@inlinable
public func crossEntropy<T: TensorFloatingPoint>(
    probabilities p: Tensor<T>, labels: Tensor<Int>, epsilon: T = T.ulpOfOne.squareRoot()
) -> Tensor<T> {
    guard p.rank == 2, labels.shape == [p.shape[0]] else {
        fail("crossEntropy: probabilities \(p.shape) and labels \(labels.shape): expected [batch, classes] and [batch]")
    }
    guard epsilon <= 1 else { fail("crossEntropy: epsilon \(epsilon) is above 1, where probabilities end") }
    checkLabels(labels, classes: p.shape[1], "crossEntropy")
    let chosen = Tensor<T>(Tensor<Int>(oneHotAtIndices: labels, depth: p.shape[1]))
    return -(chosen * log(clamp(p, min: epsilon, max: 1))).sum() / T(p.shape[0])
}

/// The Kullback–Leibler divergence of the predicted distributions from the target ones,
/// `Σ target · (log target − log predicted)` along the last axis, averaged over the other
/// axes; terms with `target = 0` count 0. An empty batch gives NaN; distributions over no
/// classes (`[batch, 0]`) give 0.
///
/// Like every loss it takes the prediction first; the labels say which is which, because a
/// swap of two tensors of the same shape would not be noticed. PyTorch's
/// `kl_div(input, target)` takes log-probabilities as `input`: pass `exp(input)` here.
/// ```swift
/// let loss = klDivergence(predicted: softmax(logits), target: teacher)
/// ```
@inlinable
public func klDivergence<T: TensorFloatingPoint>(
    predicted: Tensor<T>, target: Tensor<T>, epsilon: T = T.leastNormalMagnitude
) -> Tensor<T> {
    checkSameShape(predicted, target, "klDivergence")
    let terms = target * (log(max(target, epsilon)) - log(max(predicted, epsilon)))
    return terms.sum() / T(exampleCount(target.shape))
}

/// The number of examples in a batch of distributions along the last axis: the product of
/// the other extents, so that `[3, 0]` is 3 examples (not 0 / 0) and a rank-0 tensor is one.
@inlinable
func exampleCount(_ shape: [Int]) -> Int { shape.dropLast().reduce(1, *) }

/// Stops `operation` at the first label outside `0..<classes`, naming it and its example.
@inlinable
func checkLabels(_ labels: Tensor<Int>, classes: Int, _ operation: String) {
    labels.withUnsafeBufferPointer { pl in
        for (i, label) in pl.enumerated() where label < 0 || label >= classes {
            fail("\(operation): label \(label) at example \(i) is outside 0..<\(classes)")
        }
    }
}

/// Stops with a message when a loss gets predictions and targets of different shapes.
@inlinable
func checkSameShape<T>(_ a: Tensor<T>, _ b: Tensor<T>, _ operation: String) {
    guard a.shape == b.shape else {
        fail("\(operation): predictions \(a.shape) and targets \(b.shape) differ in shape")
    }
}
