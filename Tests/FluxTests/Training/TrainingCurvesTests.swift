import Flux
import Foundation
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// What an SVG document holds, as XMLParser reads it: the elements by name, the texts, and
/// each path's `d`.
private final class SVGContents: NSObject, XMLParserDelegate {
    var elements: [String: Int] = [:]
    var texts: [String] = []
    var paths: [String] = []
    var text: String? = nil
    var error: Error? = nil

    init?(_ document: String) {
        super.init()
        let parser = XMLParser(data: Data(document.utf8))
        parser.delegate = self
        guard parser.parse() else {
            error = parser.parserError
            Issue.record("the SVG is not well-formed: \(String(describing: parser.parserError))")
            return nil
        }
    }

    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        elements[name, default: 0] += 1
        if name == "path" { paths.append(attributes["d"] ?? "") }
        if name == "text" { text = "" }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text? += string }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "text", let text {
            texts.append(text)
            self.text = nil
        }
    }
}

/// A history of three series over five epochs: two losses, one accuracy.
private func sampleHistory() -> TrainingHistory {
    var history = TrainingHistory()
    for epoch in 1...5 {
        history.record("training loss", 2.0 / Double(epoch))
        history.record("test loss", Float(2.5 / Double(epoch) + 0.1))
        history.record("test accuracy", 0.5 + 0.08 * Double(epoch), epoch: epoch)
    }
    return history
}

/// A new empty folder, removed after `body`.
private func withTemporaryFolder<Result>(_ body: (URL) throws -> Result) throws -> Result {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("flux-curves-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    return try body(folder)
}

/// The path of the first of `names` found on `PATH`.
private func executable(named names: [String]) -> String? {
    let folders = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
    for name in names {
        for folder in folders where FileManager.default.isExecutableFile(atPath: "\(folder)/\(name)") {
            return "\(folder)/\(name)"
        }
    }
    return nil
}

private let chromium = executable(named: ["chromium", "chromium-browser"])

@Suite struct TrainingCurvesTests {
    @Test func recordingKeepsSeriesEpochsAndQuantities() {
        let history = sampleHistory()
        #expect(history.series.map(\.name) == ["training loss", "test loss", "test accuracy"])
        #expect(history.quantities == ["loss", "accuracy"])
        #expect(history["test loss"]?.epochs == [1, 2, 3, 4, 5])
        #expect(history["test loss"]?.values.first == Double(Float(2.6)))
        #expect(history["validation"] == nil)
        var other = TrainingHistory()
        other.record("Top-5 Accuracy", 0.9, epoch: 3)
        other.record("Top-5 Accuracy", 0.95)
        other.record("lr", 0.1, quantity: "learning rate")
        #expect(other["Top-5 Accuracy"]?.epochs == [3, 4] && other.quantities == ["accuracy", "learning rate"])
    }

    /// Well-formed, a path per series and nothing else drawn as a path, every name and axis
    /// title in a text, numbered ticks.
    @Test func svgHasAPathPerSeriesAndLabelledAxes() throws {
        let history = sampleHistory()
        let document = history.svg(title: "Digits")
        let svg = try #require(SVGContents(document))
        #expect(svg.elements["svg"] == 1 && svg.elements["path"] == 3)
        #expect(svg.paths.allSatisfy { $0.split(separator: "L").count == 5 && $0.hasPrefix("M") })
        for name in ["Digits", "training loss", "test loss", "test accuracy", "epoch", "loss", "accuracy"] {
            #expect(svg.texts.contains(name), "no text \"\(name)\" in \(svg.texts)")
        }
        #expect(svg.texts.count { $0 == "epoch" } == 2, "one epoch axis per panel")
        for tick in ["1", "2", "5", "0.5", "0.9"] { #expect(svg.texts.contains(tick), "no tick \(tick)") }
        #expect(!document.contains("nan") && !document.contains("inf"))
    }

    /// NaN and infinities are skipped: the curve breaks around them, single points become
    /// dots, the legend counts what is missing; a series with nothing finite is an empty path.
    @Test func nonFiniteValuesAreSkipped() throws {
        var history = TrainingHistory()
        for value in [1, .nan, 0.5, 0.4, .infinity, 0.3] { history.record("training loss", value) }
        for _ in 0..<3 { history.record("test loss", Double.nan) }
        history.record("test accuracy", -Float.infinity)
        let document = history.svg()
        let svg = try #require(SVGContents(document))
        #expect(svg.elements["path"] == 3)
        #expect(svg.paths[0].split(separator: "M").count == 3 && svg.paths[0].split(separator: "L").count == 2)
        #expect(svg.paths[1] == "" && svg.paths[2] == "")
        #expect(svg.elements["circle"] == 2, "the points at epochs 1 and 6 stand alone")
        #expect(svg.texts.contains("training loss (2 non-finite values not drawn)"))
        #expect(svg.texts.contains("test accuracy (1 non-finite value not drawn)"))
        #expect(!document.lowercased().contains("nan") && !document.contains("inf"))
    }

    @Test func textIsEscaped() throws {
        var history = TrainingHistory()
        history.record("a < b & \"c\" 'd' loss", 1)
        history.record("bell\u{7} loss", 2)
        let svg = try #require(SVGContents(history.svg(title: "</text><script>x</script>")))
        #expect(svg.texts.contains("a < b & \"c\" 'd' loss") && svg.texts.contains("bell\u{FFFD} loss"))
        #expect(svg.texts.contains("</text><script>x</script>") && svg.elements["script"] == nil)
    }

    @Test func edgeCasesStayWellFormed() throws {
        let empty = try #require(SVGContents(TrainingHistory().svg()))
        #expect(empty.elements["path"] == nil && empty.texts.contains("nothing recorded"))
        var one = TrainingHistory()
        one.record("loss", 3)
        let single = try #require(SVGContents(one.svg()))
        #expect(single.elements["path"] == 1 && single.elements["circle"] == 1)
        var flat = TrainingHistory()
        for epoch in [0, 1000] { flat.record("loss", 1e-7, epoch: epoch) }
        let wide = try #require(SVGContents(flat.svg()))
        #expect(wide.texts.contains("1000") && wide.elements["path"] == 1)
    }

    @Test func writingReplacesTheFileAndLeavesNoTemporaryFile() throws {
        let history = sampleHistory()
        try withTemporaryFolder { folder in
            let path = folder.appendingPathComponent("curves.svg").path
            try "old contents".write(toFile: path, atomically: false, encoding: .utf8)
            try history.writeSVG(to: path, title: "Run")
            #expect(try String(contentsOfFile: path, encoding: .utf8) == history.svg(title: "Run"))
            try history.writeSVG(to: path, title: "Run")
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["curves.svg"])

            let missing = folder.appendingPathComponent("no such folder/curves.svg").path
            #expect {
                try history.writeSVG(to: missing)
            } throws: { error in
                let description = "\(error)"
                return description.hasPrefix("\(missing): cannot be written") && description.contains("No such file")
            }
            #expect(throws: FileWriteError.self) { try history.writeSVG(to: folder.path + "/") }
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["curves.svg"])
        }
    }

    @Test func recordingOutOfOrderStopsWithAMessage() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            var history = TrainingHistory()
            history.record("loss", 1, epoch: 3)
            history.record("loss", 1, epoch: 3)
        }
        #expect(r.standardError.contains("TrainingHistory.record: epoch 3 of \"loss\" is not after its last epoch 3"))
        let s = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            var history = TrainingHistory()
            history.record("test loss", 1)
            history.record("test loss", 1, quantity: "accuracy")
        }
        #expect(s.standardError.contains("TrainingHistory.record: \"test loss\" measures \"loss\", not \"accuracy\""))
    }

    /// A browser draws the document: headless Chromium takes a screenshot of it.
    @Test(.enabled(if: chromium != nil, "chromium is not installed (looked for chromium and chromium-browser)"))
    func chromiumRendersTheDocument() throws {
        try withTemporaryFolder { folder in
            let svg = folder.appendingPathComponent("curves.svg")
            let png = folder.appendingPathComponent("curves.png")
            try sampleHistory().writeSVG(to: svg.path, title: "Digits")
            let process = Process()
            process.executableURL = URL(fileURLWithPath: chromium!)
            process.arguments = [
                "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=820,640",
                "--user-data-dir=\(folder.appendingPathComponent("profile").path)",
                "--screenshot=\(png.path)", svg.absoluteString,
            ]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            // A browser that hangs is stopped after two minutes rather than the test run.
            DispatchQueue.global().asyncAfter(deadline: .now() + 120) { if process.isRunning { process.terminate() } }
            process.waitUntilExit()
            let size = (try? FileManager.default.attributesOfItem(atPath: png.path)[.size] as? Int) ?? 0
            #expect(size > 0, "chromium exited with \(process.terminationStatus) and wrote no screenshot")
            let header = try Data(contentsOf: png).prefix(8)
            #expect(header == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        }
    }
}
