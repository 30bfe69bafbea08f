// How `fit` shows its progress: a bar redrawn in place on a terminal, plain lines in a log,
// or nothing. The text goes to a closure, standard output by default.

import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How `fit(_:optimizer:on:…)` reports its progress, and where the text goes.
///
/// - ``automatic``: on standard output, a bar redrawn in place when it is a terminal, one
///   line per epoch otherwise (a log file, a pipe, CI).
/// - ``bar(to:redrawInterval:)``: `epoch 3/10 [=========>          ] 12/25  loss 0.4123
///   1830 examples/s  ETA 0:04`, redrawn after a carriage return (`\r`) at most every
///   `redrawInterval`; each epoch ends with its line of results and a newline.
/// - ``lines(everySteps:to:)``: `epoch 3/10  training loss 0.4017  validation loss 0.4391
///   validation accuracy 0.8750  1830 examples/s  1.7s`, one per epoch, and with
///   `everySteps` a line every that many steps.
/// - ``silent``: nothing.
///
/// ```swift
/// var log = ""
/// let captured = FitProgress.lines(to: { log += $0 })
/// let onTerminal = FitProgress.bar()
/// ```
public struct FitProgress {
    enum Style {
        case silent
        case bar(redrawInterval: Duration)
        case lines(everySteps: Int?)
    }

    let style: Style
    let output: (String) -> Void

    /// No output.
    public static var silent: FitProgress { FitProgress(style: .silent, output: { _ in }) }

    /// On standard output: a bar when it is a terminal (`isatty`), one line per epoch when
    /// it is not.
    public static var automatic: FitProgress {
        isatty(STDOUT_FILENO) != 0 ? bar() : lines()
    }

    /// A bar redrawn in place after `\r`, at most every `redrawInterval` (and after the last
    /// step), with the epoch's line of results and a newline when it ends; the text goes to
    /// `output`, standard output by default.
    public static func bar(
        to output: @escaping (String) -> Void = FitProgress.writeToStandardOutput,
        redrawInterval: Duration = .milliseconds(100)
    ) -> FitProgress {
        FitProgress(style: .bar(redrawInterval: redrawInterval), output: output)
    }

    /// A line per epoch with its results, and with `everySteps` a line every that many
    /// steps with the epoch's mean loss so far; the text goes to `output`, standard output by
    /// default.
    ///
    /// - Precondition: `everySteps` is nil or ≥ 1.
    public static func lines(
        everySteps: Int? = nil, to output: @escaping (String) -> Void = FitProgress.writeToStandardOutput
    ) -> FitProgress {
        if let everySteps, everySteps < 1 { fail("FitProgress.lines(everySteps:): \(everySteps) is not at least 1") }
        return FitProgress(style: .lines(everySteps: everySteps), output: output)
    }

    /// Writes `text` to standard output at once (after anything `print` wrote before it).
    public static func writeToStandardOutput(_ text: String) {
        print(text, terminator: "")
        fflush(nil)
    }
}

/// The text of one run's progress, written as the run goes.
struct ProgressReport {
    let progress: FitProgress
    let epochs: Int
    let steps: Int
    private var epochStart = ContinuousClock.now
    private var lastDraw: ContinuousClock.Instant?
    private var drawnWidth = 0

    init(_ progress: FitProgress, epochs: Int, steps: Int) {
        (self.progress, self.epochs, self.steps) = (progress, epochs, steps)
    }

    mutating func epochStarted() {
        (epochStart, lastDraw, drawnWidth) = (.now, nil, 0)
    }

    /// After `step` (from 1) of `epoch`, with the epoch's mean loss so far over `examples`.
    mutating func stepEnded(_ step: Int, of epoch: Int, meanLoss: Double, examples: Int) {
        let now = ContinuousClock.now
        let seconds = epochStart.duration(to: now).seconds
        let rate = "\(examplesPerSecond(examples, seconds)) examples/s"
        switch progress.style {
        case .silent: return
        case .bar(let interval):
            if step < steps, let lastDraw, lastDraw.duration(to: now) < interval { return }
            lastDraw = now
            let eta = seconds / Double(step) * Double(steps - step)
            draw("\(barPrefix(epoch, step))  loss \(fixed(meanLoss))  \(rate)  ETA \(clock(eta))")
        case .lines(let every):
            guard let every, step % every == 0 else { return }
            progress.output("\(epochLabel(epoch))  step \(step)/\(steps)  loss \(fixed(meanLoss))  \(rate)\n")
        }
    }

    /// After `epoch`, whose results are the history's values at `epoch`; `training` of the
    /// epoch's time went to the `examples` training examples.
    mutating func epochEnded(_ epoch: Int, history: TrainingHistory, examples: Int, training: Duration) {
        let results = history.series.compactMap { series in
            series.epochs.last == epoch ? "\(series.name) \(fixed(series.values.last!))" : nil
        }
        let total = epochStart.duration(to: .now).seconds
        let tail =
            (results + ["\(examplesPerSecond(examples, training.seconds)) examples/s", "\(decimal(total, 1))s"])
            .joined(separator: "  ")
        switch progress.style {
        case .silent: return
        case .bar:
            draw("\(barPrefix(epoch, steps))  \(tail)")
            progress.output("\n")
        case .lines: progress.output("\(epochLabel(epoch))  \(tail)\n")
        }
    }

    /// `line` over the bar drawn before, after a carriage return, padded with spaces over
    /// whatever of the previous one is longer.
    private mutating func draw(_ line: String) {
        let width = line.count
        progress.output("\r" + line + String(repeating: " ", count: max(0, drawnWidth - width)))
        drawnWidth = width
    }

    private func epochLabel(_ epoch: Int) -> String { "epoch \(epoch)/\(epochs)" }

    /// `epoch 3/10 [=========>          ] 12/25`
    private func barPrefix(_ epoch: Int, _ step: Int) -> String {
        let width = 20
        let filled = steps == 0 ? width : width * step / steps
        let bar =
            filled >= width
            ? String(repeating: "=", count: width)
            : String(repeating: "=", count: filled) + ">" + String(repeating: " ", count: width - filled - 1)
        return "\(epochLabel(epoch)) [\(bar)] \(step)/\(steps)"
    }
}

/// Examples per second, rounded to a whole number (0 when no time was measured).
private func examplesPerSecond(_ examples: Int, _ seconds: Double) -> Int {
    seconds > 0 ? Int((Double(examples) / seconds).rounded()) : 0
}

/// `value` with four decimals (`nan`, `inf` as such).
private func fixed(_ value: Double) -> String { decimal(value, 4) }

/// `value` with `places` decimals, in the C locale.
private func decimal(_ value: Double, _ places: Int) -> String {
    String(format: "%.\(places)f", locale: nil, value)
}

/// `seconds` as `m:ss`, or `h:mm:ss` from an hour on.
private func clock(_ seconds: Double) -> String {
    guard seconds.isFinite else { return "?" }
    let total = Int(seconds.rounded())
    let (h, m, s) = (total / 3600, total / 60 % 60, total % 60)
    let ss = s < 10 ? "0\(s)" : "\(s)"
    if h > 0 { return "\(h):\(m < 10 ? "0" : "")\(m):\(ss)" }
    return "\(m):\(ss)"
}

extension Duration {
    /// The duration in seconds.
    fileprivate var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
