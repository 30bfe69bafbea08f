// What `fit` calls after every epoch: the user's code, early stopping, checkpoints of the
// best model. A callback is a value; the state it keeps during a run (the best value so
// far, the best model) is made fresh for each run.

/// What a ``FitCallback`` tells `fit` after an epoch.
public enum FitDecision: Sendable, Hashable {
    /// Train the next epoch.
    case `continue`
    /// Stop after this epoch (the other callbacks still see it).
    case stop
}

/// Code that `fit(_:optimizer:on:…)` runs after every epoch, given the epoch number (from
/// 1), the history so far (this epoch included) and the model, and that may stop the
/// training; and once at the end, when it may replace the model
/// (``earlyStopping(monitor:patience:minDelta:mode:restoreBestWeights:)`` puts the best one
/// back).
///
/// ```swift
/// let drawCurves = FitCallback<Dense<Float>> { epoch, history, model in
///     try history.writeSVG(to: "/tmp/curves.svg")
///     return .continue
/// }
/// ```
public struct FitCallback<M> {
    /// One run's handlers, with their own state.
    struct Run {
        var epochEnded: (_ epoch: Int, _ history: TrainingHistory, _ model: M) throws -> FitDecision
        var trainingEnded: (_ history: TrainingHistory, _ model: inout M) throws -> Void = { _, _ in }
    }

    /// Makes the handlers for a new run.
    let start: () -> Run

    init(start: @escaping () -> Run) { self.start = start }

    /// A callback that runs `epochEnded` after every epoch.
    public init(epochEnded: @escaping (_ epoch: Int, _ history: TrainingHistory, _ model: M) throws -> FitDecision) {
        start = { Run(epochEnded: epochEnded) }
    }
}

/// Whether a smaller or a larger value of a monitored quantity is better.
public enum MonitorMode: Sendable, Hashable {
    /// Smaller is better (losses).
    case min
    /// Larger is better (accuracies).
    case max

    /// `.max` for a name that ends in "accuracy", "precision", "recall" or "f1"; `.min`
    /// otherwise.
    static func inferred(from name: String) -> MonitorMode {
        let lowered = name.lowercased()
        return ["accuracy", "precision", "recall", "f1"].contains { lowered.hasSuffix($0) } ? .max : .min
    }
}

/// The best value of one series of the history so far, and when it was reached.
struct MonitoredSeries {
    let name: String
    let mode: MonitorMode
    let minDelta: Double
    let caller: String
    private(set) var best: Double?
    private(set) var bestEpoch: Int?

    init(_ name: String, mode: MonitorMode?, minDelta: Double, caller: String) {
        guard minDelta >= 0, minDelta.isFinite else {
            fail("\(caller): minDelta \(minDelta) is not a finite value ≥ 0")
        }
        (self.name, self.mode, self.minDelta, self.caller) = (name, mode ?? .inferred(from: name), minDelta, caller)
    }

    /// Reads `epoch`'s value and reports whether it improves on the best by more than
    /// `minDelta` (the first finite value does; NaN never does).
    ///
    /// - Precondition: the history has the series at `epoch`.
    mutating func improves(at epoch: Int, in history: TrainingHistory) -> Bool {
        guard let series = history[name], series.epochs.last == epoch, let value = series.values.last else {
            let names = history.series.map { "\"\($0.name)\"" }.joined(separator: ", ")
            fail(
                "\(caller): no value of \"\(name)\" at epoch \(epoch) to monitor (the history has \(names)); "
                    + "a validation quantity needs fit(…, validation:)")
        }
        guard !value.isNaN else { return false }
        let better =
            switch (best, mode) {
            case (nil, _): true
            case (let best?, .min): value < best - minDelta
            case (let best?, .max): value > best + minDelta
            }
        if better { (best, bestEpoch) = (value, epoch) }
        return better
    }
}

extension FitCallback {
    /// Stops the training when `monitor` has not improved for `patience` epochs in a row,
    /// as Keras's `EarlyStopping` does: an epoch improves when its value beats the best so
    /// far by more than `minDelta` (smaller for `.min`, larger for `.max`; by default
    /// `.max` for accuracies and `.min` otherwise). With `restoreBestWeights`, the model
    /// that `fit` leaves is the one of the best epoch, whether training stopped early or ran
    /// all its epochs.
    ///
    /// ```swift
    /// let stopping: FitCallback<Dense<Float>> = .earlyStopping(monitor: "validation loss", patience: 3)
    /// ```
    /// - Precondition: `patience` ≥ 1 and `minDelta` ≥ 0; every epoch records `monitor`.
    public static func earlyStopping(
        monitor: String = "validation loss", patience: Int, minDelta: Double = 0, mode: MonitorMode? = nil,
        restoreBestWeights: Bool = true
    ) -> FitCallback {
        guard patience >= 1 else { fail("earlyStopping: patience \(patience) is not at least 1") }
        _ = MonitoredSeries(monitor, mode: mode, minDelta: minDelta, caller: "earlyStopping")
        return FitCallback {
            let state = MonitorState<M>(
                MonitoredSeries(monitor, mode: mode, minDelta: minDelta, caller: "earlyStopping"))
            return Run(
                epochEnded: { epoch, history, model in
                    if state.series.improves(at: epoch, in: history) {
                        state.epochsWithout = 0
                        if restoreBestWeights { state.bestModel = model }
                        return .continue
                    }
                    state.epochsWithout += 1
                    return state.epochsWithout >= patience ? .stop : .continue
                },
                trainingEnded: { _, model in
                    if let best = state.bestModel { model = best }
                })
        }
    }
}

extension FitCallback where M: ParameterContainer {
    /// Saves the model to `path` (`save(to:metadata:)`, atomically) after every epoch whose
    /// `monitor` value is the best so far by more than `minDelta`, so that the file always
    /// holds the best model seen; its metadata name the epoch and the value. A file that
    /// cannot be written makes `fit` throw `CheckpointError.unwritable(path:reason:)`.
    ///
    /// ```swift
    /// let keepBest: FitCallback<Dense<Float>> = .checkpointBest(to: "/tmp/best.safetensors")
    /// ```
    public static func checkpointBest(
        to path: String, monitor: String = "validation loss", minDelta: Double = 0, mode: MonitorMode? = nil
    ) -> FitCallback {
        _ = MonitoredSeries(monitor, mode: mode, minDelta: minDelta, caller: "checkpointBest")
        return FitCallback {
            let state = MonitorState<M>(
                MonitoredSeries(monitor, mode: mode, minDelta: minDelta, caller: "checkpointBest"))
            return Run(epochEnded: { epoch, history, model in
                if state.series.improves(at: epoch, in: history) {
                    try model.save(to: path, metadata: ["epoch": "\(epoch)", monitor: "\(state.series.best!)"])
                }
                return .continue
            })
        }
    }
}

/// One run's state of an early-stopping or best-checkpoint callback.
private final class MonitorState<M> {
    var series: MonitoredSeries
    var bestModel: M?
    var epochsWithout = 0
    init(_ series: MonitoredSeries) { self.series = series }
}
