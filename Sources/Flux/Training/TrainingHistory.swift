// What happened during training, epoch by epoch: named series of numbers (losses,
// accuracies, …) to draw as curves (`svg(title:)`) or to read back.

/// Named series of per-epoch values, such as "training loss" and "test accuracy", in the
/// order they were first recorded.
///
/// Each series measures a *quantity*, by default the last word of its name in lower case
/// ("training loss" and "test loss" measure "loss"); `svg(title:)` draws one panel per
/// quantity, so that losses and accuracies each get an axis of their own scale.
/// Values are stored as recorded, NaN and infinities included; the drawing skips them.
///
/// ```swift
/// var history = TrainingHistory()
/// for epoch in 1...3 {
///     history.record("training loss", 1.0 / Double(epoch))
///     history.record("test accuracy", 0.5 + 0.1 * Double(epoch), epoch: epoch)
/// }
/// try history.writeSVG(to: "/tmp/training.svg", title: "Digits")
/// ```
public struct TrainingHistory: Equatable, Sendable {
    /// One named series: a value per recorded epoch, epochs increasing.
    public struct Series: Equatable, Sendable {
        /// The name, as shown in the legend.
        public let name: String
        /// What the series measures; series of the same quantity share a panel.
        public let quantity: String
        /// The epochs recorded, strictly increasing.
        public internal(set) var epochs: [Int] = []
        /// The value at each of `epochs`.
        public internal(set) var values: [Double] = []
    }

    /// Every series, in the order of their first record.
    public private(set) var series: [Series] = []

    /// An empty history.
    public init() {}

    /// The series named `name`, if one was recorded.
    public subscript(name: String) -> Series? { series.first { $0.name == name } }

    /// The quantities of the series, each once, in the order of their first record.
    public var quantities: [String] {
        series.map(\.quantity).reduce(into: []) { if !$0.contains($1) { $0.append($1) } }
    }

    /// Records `value` for the series `name` at `epoch`: by default the epoch after the
    /// series' last one (1 for its first value). A new series measures `quantity`, by default
    /// the last word of its name in lower case.
    ///
    /// - Precondition: `epoch` is after the series' last recorded epoch, and `quantity`, when
    ///   given, is the series' own.
    public mutating func record(
        _ name: String, _ value: some BinaryFloatingPoint, epoch: Int? = nil, quantity: String? = nil
    ) {
        let index: Int
        if let i = series.firstIndex(where: { $0.name == name }) {
            index = i
            if let quantity, quantity != series[i].quantity {
                fail(
                    "TrainingHistory.record: \"\(name)\" measures \"\(series[i].quantity)\", not \"\(quantity)\""
                )
            }
        } else {
            let word = name.split(whereSeparator: { $0 == " " || $0 == "_" || $0 == "-" }).last.map(String.init)
            series.append(Series(name: name, quantity: quantity ?? (word ?? name).lowercased()))
            index = series.count - 1
        }
        let last = series[index].epochs.last
        let epoch = epoch ?? (last ?? 0) + 1
        if let last, epoch <= last {
            fail("TrainingHistory.record: epoch \(epoch) of \"\(name)\" is not after its last epoch \(last)")
        }
        series[index].epochs.append(epoch)
        series[index].values.append(Double(value))
    }
}
