// Training curves as an SVG document: one panel per quantity, stacked, sharing the epoch
// axis. Axes, ticks and the legend's swatches are <line>s and labels <text>s, so that each
// series is exactly one <path>: a reader (or a test) finds a curve per series.

extension TrainingHistory {
    /// The curves as a standalone SVG document to open in a browser.
    ///
    /// One panel per quantity (see `quantities`), stacked top to bottom with "epoch" along
    /// each horizontal axis and the quantity up the vertical one, both with numbered ticks;
    /// a legend right of each panel names its series. Each series is one `<path>`.
    /// NaN and infinite values are not drawn: the curve breaks around them (isolated finite
    /// points show as dots), and the legend says how many were left out. All text is
    /// escaped for XML.
    ///
    /// ```swift
    /// var history = TrainingHistory()
    /// history.record("training loss", 0.7)
    /// history.record("test accuracy", 0.9)
    /// let document: String = history.svg(title: "Digits")
    /// ```
    public func svg(title: String = "Training") -> String {
        let layout = CurvesLayout()
        let quantities = self.quantities
        let height = layout.top + max(1, quantities.count) * layout.panelHeight
        var out = """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" width="\(layout.width)" height="\(height)" \
            viewBox="0 0 \(layout.width) \(height)" font-family="sans-serif" font-size="12">
            <title>\(xmlEscaped(title))</title>
            <rect x="0" y="0" width="\(layout.width)" height="\(height)" fill="white"/>
            <text x="\(layout.width / 2)" y="28" font-size="16" text-anchor="middle">\(xmlEscaped(title))</text>

            """
        if quantities.isEmpty {
            out += "<text x=\"\(layout.width / 2)\" y=\"\(layout.top + 100)\" text-anchor=\"middle\">"
            out += "nothing recorded</text>\n"
        }
        let allEpochs = series.flatMap(\.epochs)
        let epochAxis = Axis(epochsFrom: allEpochs.min() ?? 0, to: allEpochs.max() ?? 1)
        for (p, quantity) in quantities.enumerated() {
            let top = layout.top + p * layout.panelHeight
            let members = series.indices.filter { series[$0].quantity == quantity }
            let finite = members.flatMap { series[$0].values.filter(\.isFinite) }
            let valueAxis = Axis(valuesFrom: finite.min() ?? 0, to: finite.max() ?? 1)
            out += panel(
                quantity, members: members, top: top, layout: layout, epochAxis: epochAxis, valueAxis: valueAxis)
        }
        return out + "</svg>\n"
    }

    /// Writes `svg(title:)` to `path` atomically: into a temporary file in the same folder,
    /// then renamed over `path`, so that a browser reloading it never sees half a drawing.
    ///
    /// ```swift
    /// var history = TrainingHistory()
    /// history.record("training loss", 0.7)
    /// try history.writeSVG(to: "curves.svg")
    /// ```
    /// - Throws: `FileWriteError` naming `path` and the system's reason.
    public func writeSVG(to path: String, title: String = "Training") throws(FileWriteError) {
        try writeAtomically([Array(svg(title: title).utf8)], to: path)
    }

    /// One panel: grid, axes with ticks and labels, axis titles, a path per member series and
    /// the legend.
    func panel(
        _ quantity: String, members: [Int], top: Int, layout: CurvesLayout, epochAxis: Axis, valueAxis: Axis
    ) -> String {
        let (left, right) = (Double(layout.left), Double(layout.left + layout.plotWidth))
        let (upper, lower) = (Double(top + 10), Double(top + 10 + layout.plotHeight))
        func x(_ epoch: Double) -> Double { left + (epoch - epochAxis.lower) / epochAxis.span * (right - left) }
        func y(_ value: Double) -> Double { lower - (value - valueAxis.lower) / valueAxis.span * (lower - upper) }
        var out = "<g class=\"panel\">\n"
        for tick in valueAxis.ticks {
            let ty = coordinate(y(tick))
            out += "<line x1=\"\(coordinate(left))\" y1=\"\(ty)\" x2=\"\(coordinate(right))\" y2=\"\(ty)\" "
            out += "stroke=\"#e4e4e4\"/>\n"
            out += "<line x1=\"\(coordinate(left - 5))\" y1=\"\(ty)\" x2=\"\(coordinate(left))\" y2=\"\(ty)\" "
            out += "stroke=\"black\"/>\n"
            out += "<text x=\"\(coordinate(left - 8))\" y=\"\(coordinate(y(tick) + 4))\" text-anchor=\"end\">"
            out += "\(valueAxis.label(tick))</text>\n"
        }
        for tick in epochAxis.ticks {
            let tx = coordinate(x(tick))
            out += "<line x1=\"\(tx)\" y1=\"\(coordinate(lower))\" x2=\"\(tx)\" y2=\"\(coordinate(lower + 5))\" "
            out += "stroke=\"black\"/>\n"
            out += "<text x=\"\(tx)\" y=\"\(coordinate(lower + 18))\" text-anchor=\"middle\">"
            out += "\(epochAxis.label(tick))</text>\n"
        }
        out += "<line x1=\"\(coordinate(left))\" y1=\"\(coordinate(upper))\" x2=\"\(coordinate(left))\" "
        out += "y2=\"\(coordinate(lower))\" stroke=\"black\"/>\n"
        out += "<line x1=\"\(coordinate(left))\" y1=\"\(coordinate(lower))\" x2=\"\(coordinate(right))\" "
        out += "y2=\"\(coordinate(lower))\" stroke=\"black\"/>\n"
        out += "<text x=\"\(coordinate((left + right) / 2))\" y=\"\(coordinate(lower + 38))\" "
        out += "text-anchor=\"middle\">epoch</text>\n"
        let (titleX, titleY) = (coordinate(left - 52), coordinate((upper + lower) / 2))
        out += "<text x=\"\(titleX)\" y=\"\(titleY)\" text-anchor=\"middle\" "
        out += "transform=\"rotate(-90 \(titleX) \(titleY))\">\(xmlEscaped(quantity))</text>\n"
        for (row, index) in members.enumerated() {
            let series = self.series[index]
            let color = curveColors[index % curveColors.count]
            var d: [String] = []
            var dots: [(Double, Double)] = []
            var run: [(Double, Double)] = []
            func endRun() {
                if run.count == 1 { dots.append(run[0]) }
                for (i, point) in run.enumerated() {
                    d.append((i == 0 ? "M" : "L") + "\(coordinate(point.0)) \(coordinate(point.1))")
                }
                run = []
            }
            for (epoch, value) in zip(series.epochs, series.values) {
                if value.isFinite { run.append((x(Double(epoch)), y(value))) } else { endRun() }
            }
            endRun()
            out += "<path d=\"\(d.joined(separator: " "))\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\" "
            out += "stroke-linejoin=\"round\"><title>\(xmlEscaped(series.name))</title></path>\n"
            for dot in dots {
                out += "<circle cx=\"\(coordinate(dot.0))\" cy=\"\(coordinate(dot.1))\" r=\"3\" fill=\"\(color)\"/>\n"
            }
            let legendY = upper + 8 + Double(row) * 20
            let lx = right + 20
            out += "<line x1=\"\(coordinate(lx))\" y1=\"\(coordinate(legendY))\" x2=\"\(coordinate(lx + 24))\" "
            out += "y2=\"\(coordinate(legendY))\" stroke=\"\(color)\" stroke-width=\"2\"/>\n"
            let skipped = series.values.count { !$0.isFinite }
            let note =
                skipped == 0 ? "" : " (\(skipped) non-finite value\(skipped == 1 ? "" : "s") not drawn)"
            out += "<text x=\"\(coordinate(lx + 30))\" y=\"\(coordinate(legendY + 4))\">"
            out += "\(xmlEscaped(series.name + note))</text>\n"
        }
        return out + "</g>\n"
    }
}

/// The fixed geometry of a drawing, in pixels.
struct CurvesLayout {
    var width = 820
    var left = 80
    var plotWidth = 460
    var plotHeight = 220
    /// The title's band above the first panel.
    var top = 44
    /// A panel with its tick labels and axis title below.
    var panelHeight = 290
}

/// A series' colour by its index (the Tableau palette: distinct, readable on white).
let curveColors = [
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22",
]

/// An axis from `lower` to `upper` with ticks at multiples of a round step (1, 2 or 5 times
/// a power of ten), its ends widened to ticks.
struct Axis {
    var lower: Double
    var upper: Double
    var step: Double
    var span: Double { upper - lower }

    /// An axis for values from `low` to `high` (finite): about five ticks; a single value
    /// gets a unit around it.
    init(valuesFrom low: Double, to high: Double) {
        var (low, high) = (low, high)
        if low == high { (low, high) = (low - max(1, abs(low) * 0.1), high + max(1, abs(high) * 0.1)) }
        step = Axis.roundStep((high - low) / 5)
        lower = (low / step).rounded(.down) * step
        upper = (high / step).rounded(.up) * step
    }

    /// An axis for whole epochs: whole-number steps.
    init(epochsFrom low: Int, to high: Int) {
        let (low, high) = low == high ? (Double(low) - 1, Double(high) + 1) : (Double(low), Double(high))
        step = max(1, Axis.roundStep((high - low) / 8))
        lower = (low / step).rounded(.down) * step
        upper = (high / step).rounded(.up) * step
    }

    /// 1, 2 or 5 times a power of ten, at least `raw`.
    static func roundStep(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        var power = 1.0
        while power * 10 <= raw { power *= 10 }
        while power > raw { power /= 10 }
        for multiple in [1.0, 2, 5, 10] where multiple * power >= raw { return multiple * power }
        return 10 * power
    }

    var ticks: [Double] {
        let count = Int((span / step).rounded())
        return (0...count).map { lower + Double($0) * step }
    }

    /// A tick's number with as many decimals as the step needs.
    func label(_ value: Double) -> String {
        var decimals = 0
        var scale = 1.0
        while step * scale < 0.999_999 && decimals < 12 {
            decimals += 1
            scale *= 10
        }
        let rounded = (value * scale).rounded() / scale
        if decimals == 0, abs(rounded) < 1e15 { return String(Int(rounded)) }
        return rounded == 0 ? "0" : "\(rounded)"
    }
}

/// A coordinate to two decimals.
func coordinate(_ value: Double) -> String {
    let rounded = (value * 100).rounded() / 100
    return rounded == rounded.rounded() ? String(Int(rounded)) : "\(rounded)"
}

/// `text` safe inside an XML element or attribute: markup characters as entities, and
/// characters XML 1.0 cannot hold (most control characters) as U+FFFD.
func xmlEscaped(_ text: String) -> String {
    var out = ""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&apos;"
        case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
        case _ where scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF:
            out += "\u{FFFD}"
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out
}
