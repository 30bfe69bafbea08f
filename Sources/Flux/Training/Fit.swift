// The training loop a user would write — minibatches, valueWithGradient, optimizer.update —
// once, with the bookkeeping around it: per-epoch losses and metrics in a history,
// progress, early stopping, checkpoints. Nothing here that the explicit loop cannot do.

/// Trains `model` with `optimizer` for `epochs` epochs on `train` and returns what each
/// epoch measured: the loop of the README's "Models, gradients, optimizers", written once.
///
/// Each epoch takes the batches `train.batches(size: batchSize, shuffledBy: seed, epoch:)`
/// (an order drawn from the seed and the epoch alone, gathered ahead on another thread) and
/// for each runs `valueWithGradient(at: model) { m in loss(m, inputs, labels) }` and
/// `optimizer.update(&model, along:)`. It then records in the history, at that epoch:
///
/// - "training loss": the mean of the batch losses weighted by batch size (with a loss that
///   is a mean, the mean over the epoch's examples, each taken at its step's model);
/// - with `validation`: "validation loss", the loss of the epoch's final model over the
///   validation set (evaluated outside any gradient computation, so Dropout and BatchNorm
///   infer), and "validation <name>" for each of `metrics`; by default
///   ``FitMetric/accuracy``, which a classifier (`Int` labels, `[batch, classes]` scores)
///   records and any other model skips.
///
/// Then each of `callbacks` sees the epoch
/// (``FitCallback/earlyStopping(monitor:patience:minDelta:mode:restoreBestWeights:)``,
/// ``FitCallback/checkpointBest(to:monitor:minDelta:mode:)`` or code of your own), and
/// training stops after an epoch when one of them says so. The same model, optimizer, data
/// and seed give the same history and the same model, bit for bit.
///
/// ```swift
/// let data = Dataset(inputs: x, labels: labels)                // [8, 784] and [8] classes
/// let parts = data.split(fractions: [0.75, 0.25], shuffledBy: 0)
/// let history = try fit(
///     &model, optimizer: &optimizer, on: parts[0], validation: parts[1], epochs: 10, batchSize: 2,
///     callbacks: [.earlyStopping(monitor: "validation loss", patience: 3)]
/// ) { m, images, labels in
///     softmaxCrossEntropy(logits: m(images), labels: labels)
/// }
/// print(history["validation accuracy"]!.values)
/// ```
/// - Parameters:
///   - model: the model to train; it ends as the last epoch's model (or the one a callback
///     puts back).
///   - optimizer: the optimizer, whose state and step count carry on across calls.
///   - train: the training examples.
///   - validation: examples to measure the model on after every epoch; nil for none.
///   - epochs: how many epochs to train (fewer when a callback stops the training).
///   - batchSize: the examples per step; the last batch of an epoch may be smaller.
///   - seed: the shuffle of each epoch's batches; nil keeps the dataset's order.
///   - metrics: what to measure on `validation` besides the loss.
///   - callbacks: what runs after every epoch and at the end.
///   - progress: ``FitProgress/automatic`` (a bar on a terminal, a line per epoch
///     otherwise), ``FitProgress/lines(everySteps:to:)``, ``FitProgress/bar(to:redrawInterval:)``
///     or ``FitProgress/silent``.
///   - loss: the loss of a model on a batch of inputs and labels, one element.
/// - Throws: what a callback throws (a checkpoint that cannot be written); the model and
///   the optimizer are then those of the last epoch.
/// - Precondition: `epochs` ≥ 0 and `batchSize` ≥ 1.
@discardableResult
public func fit<
    M: ParameterContainer, Input: TensorScalar, Label: TensorScalar, S: TensorFloatingPoint, Rule: OptimizerRule
>(
    _ model: inout M, optimizer: inout Optimizer<M, Rule>, on train: Dataset<Input, Label>,
    validation: Dataset<Input, Label>? = nil, epochs: Int, batchSize: Int, seed: UInt64? = 0,
    metrics: [FitMetric<M, Input, Label>] = [.accuracy], callbacks: [FitCallback<M>] = [],
    progress: FitProgress = .automatic,
    loss: (_ model: M, _ inputs: Tensor<Input>, _ labels: Tensor<Label>) -> Tensor<S>
) throws -> TrainingHistory {
    guard epochs >= 0 else { fail("fit: \(epochs) epochs (at least 0)") }
    guard batchSize >= 1 else { fail("fit: batch size \(batchSize) (at least 1)") }
    var history = TrainingHistory()
    let runs = callbacks.map { $0.start() }
    var report = ProgressReport(progress, epochs: epochs, steps: train.batches(size: batchSize, shuffledBy: nil).count)
    for epoch in stride(from: 1, through: epochs, by: 1) {
        report.epochStarted()
        let start = ContinuousClock.now
        var (sum, examples, step) = (0.0, 0, 0)
        for (inputs, labels) in train.batches(size: batchSize, shuffledBy: seed, epoch: epoch).prefetching(2) {
            let (value, gradient) = valueWithGradient(at: model) { m in loss(m, inputs, labels) }
            optimizer.update(&model, along: gradient)
            sum += Double(value) * Double(inputs.shape[0])
            examples += inputs.shape[0]
            step += 1
            report.stepEnded(step, of: epoch, meanLoss: sum / Double(examples), examples: examples)
        }
        let training = start.duration(to: .now)
        history.record("training loss", sum / Double(examples), epoch: epoch)
        if let validation {
            for (name, value) in evaluate(model, on: validation, batchSize: batchSize, metrics: metrics, loss: loss) {
                history.record("validation " + name, value, epoch: epoch)
            }
        }
        report.epochEnded(epoch, history: history, examples: examples, training: training)
        var decisions: [FitDecision] = []
        for run in runs { decisions.append(try run.epochEnded(epoch, history, model)) }
        if decisions.contains(.stop) { break }
    }
    for run in runs { try run.trainingEnded(history, &model) }
    return history
}

/// The loss and the metrics of `model` over `data`, each the mean of its batch means
/// weighted by batch size, in the order "loss", then `metrics` (those that apply).
private func evaluate<M, Input: TensorScalar, Label: TensorScalar, S: TensorFloatingPoint>(
    _ model: M, on data: Dataset<Input, Label>, batchSize: Int, metrics: [FitMetric<M, Input, Label>],
    loss: (M, Tensor<Input>, Tensor<Label>) -> Tensor<S>
) -> [(String, Double)] {
    var lossSum = 0.0
    var metricSums: [Double?] = metrics.map { _ in 0 }
    for (inputs, labels) in data.batches(size: batchSize, shuffledBy: nil) {
        let n = Double(inputs.shape[0])
        lossSum += Double(loss(model, inputs, labels).scalar) * n
        for (i, metric) in metrics.enumerated() {
            metricSums[i] = metricSums[i].flatMap { sum in metric.measure(model, inputs, labels).map { sum + $0 * n } }
        }
    }
    let count = Double(data.count)
    return [("loss", lossSum / count)]
        + zip(metrics, metricSums).compactMap { metric, sum in sum.map { (metric.name, $0 / count) } }
}
