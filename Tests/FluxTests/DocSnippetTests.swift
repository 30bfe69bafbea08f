import Foundation
import Testing

// Every ```swift example in the README, in the DocC articles and in `///` comments is
// compiled here against the built library, so that none of them can rot. Examples are
// fragments: each is compiled as the body of a function of its own, after a prelude that
// declares the names examples use without defining them (`x`, `model`, `grad`, …); a
// fragment that defines one of these names shadows the prelude's. Package manifest
// fragments (the README's "use Flux from your package") are checked by SwiftPM itself.

/// One example: where it is and its code.
private struct Snippet: CustomStringConvertible {
    var file: String
    var line: Int
    var code: String
    var description: String { "\(file):\(line)" }
    var isManifest: Bool { code.contains(".package(") }
}

/// The ```swift blocks of a Markdown file, or of the `///` comments of a Swift file.
private func snippets(in file: URL, relativePath: String) throws -> [Snippet] {
    let isSwift = file.pathExtension == "swift"
    var found: [Snippet] = []
    var current: [String]? = nil
    var start = 0
    for (number, rawLine) in try String(contentsOf: file, encoding: .utf8).split(
        separator: "\n", omittingEmptySubsequences: false
    ).enumerated() {
        var line = Substring(rawLine)
        if isSwift {
            let trimmed = line.drop(while: { $0 == " " })
            guard trimmed.hasPrefix("///") else {
                current = nil
                continue
            }
            line = trimmed.dropFirst(3)
            if line.hasPrefix(" ") { line = line.dropFirst() }
        }
        let fence = line.drop(while: { $0 == " " })
        if current == nil, fence.hasPrefix("```swift") {
            (current, start) = ([], number + 2)
        } else if let lines = current, fence.hasPrefix("```") {
            found.append(Snippet(file: relativePath, line: start, code: lines.joined(separator: "\n")))
            current = nil
        } else if current != nil {
            current!.append(String(line))
        }
    }
    return found
}

/// Every example of the project.
private func allSnippets() throws -> [Snippet] {
    var files = ["README.md"]
    let sources = packageRoot.appendingPathComponent("Sources")
    let walker = FileManager.default.enumerator(atPath: sources.path)!
    while let path = walker.nextObject() as? String {
        if path.hasSuffix(".swift") || path.hasSuffix(".md") { files.append("Sources/" + path) }
    }
    return try files.sorted().flatMap { try snippets(in: packageRoot.appendingPathComponent($0), relativePath: $0) }
}

/// The names examples use without defining them. Each example runs in its own function, so
/// a name it declares itself shadows these.
private let prelude = """
    import Flux
    import FluxDistributed
    import FluxTesting
    import Testing

    var rng = RandomGenerator(seed: 0)
    var x = Tensor<Float>(zeros: [8, 784])
    let y = Tensor<Float>(zeros: [8, 10])
    let x64 = Tensor<Double>(zeros: [8, 4]), y64 = Tensor<Double>(zeros: [8, 1])
    let images = x, inputs = Tensor<Float>(zeros: [8, 4]), image = Tensor<Float>(zeros: [1, 28, 28, 1])
    let labels = Tensor<Int>(zeros: [8])
    let logits = Tensor<Float>(zeros: [8, 10]), teacher = Tensor<Float>(zeros: [8, 10])
    let weight = Tensor<Float>(zeros: [784, 10]), bias = Tensor<Float>(zeros: [10])
    let w = weight, dy = y
    let table = Tensor<Float>(zeros: [100, 16]), tokens = Tensor<Int>(zeros: [8, 5])
    var model = Dense<Float>(784, 10)
    let grad = gradient(at: model) { m in m(x).sum() }
    var optimizer = Adam(for: model, learningRate: 1e-3)
    let classifier = Dense<Float>(784, 10), regressor = Dense<Float>(784, 4)
    let depth = 3
    let cell = LSTMCell<Float>(64, 256)
    let steps = [Tensor<Float>](repeating: Tensor(zeros: [32, 64]), count: 4)
    let sequence = Tensor<Float>(zeros: [4, 32, 8])
    let world = try! Communicator.world()
    let (epoch, rank, processes) = (1, 0, 2)
    let train = Dataset(inputs: x, labels: labels)

    """

/// The example as a function of its own (a fragment's `import` lines go to the prelude's).
private func wrapped(_ snippet: Snippet, index: Int) -> String {
    let body = snippet.code.split(separator: "\n", omittingEmptySubsequences: false)
        .filter { !$0.hasPrefix("import ") }
        .map { "    " + $0 }
        .joined(separator: "\n")
    return "// \(snippet)\nfunc example\(index)() throws {\n\(body)\n}\n"
}

@Suite struct DocSnippetTests {
    @Test func everySwiftExampleCompiles() throws {
        guard builtModulesExist() else { return }
        let examples = try allSnippets().filter { !$0.isManifest }
        #expect(examples.count >= 40, "the examples were not found")
        // One file, one compiler run: each example's errors point into its own function.
        let source = prelude + examples.enumerated().map { wrapped($1, index: $0) }.joined(separator: "\n")
        let result = try typecheck(source)
        #expect(result.status == 0, "an example does not compile:\n\(result.output)")
    }

    /// The manifest fragments name the package and product as SwiftPM will find them: a
    /// package that depends on this one by path (through a folder named as in the example)
    /// loads its dependency graph without an error.
    @Test func manifestExamplesResolve() throws {
        let manifests = try allSnippets().filter(\.isManifest)
        #expect(manifests.count >= 2)
        for manifest in manifests {
            let fragment = manifest.code.split(separator: "\n").filter { !$0.contains("FluxTesting") }
                .joined(separator: "\n")
            guard let path = fragment.firstMatch(of: /\.package\(path: "\.\.\/([^"]+)"\)/)?.1 else {
                Issue.record("\(manifest): no .package(path: \"../…\") in the example")
                continue
            }
            let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("manifest-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: scratch) }
            let app = scratch.appendingPathComponent("app")
            try FileManager.default.createDirectory(
                at: app.appendingPathComponent("Sources/Train"), withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(
                at: scratch.appendingPathComponent(String(path)), withDestinationURL: packageRoot)
            try "import Flux\n".write(
                to: app.appendingPathComponent("Sources/Train/main.swift"), atomically: true, encoding: .utf8)
            try """
            // swift-tools-version: 6.0
            import PackageDescription
            let package = Package(
                name: "Train",
            \(fragment)
            )
            """.write(to: app.appendingPathComponent("Package.swift"), atomically: true, encoding: .utf8)
            let result = try run(["swift", "package", "show-dependencies"], in: app)
            #expect(
                result.status == 0 && !result.output.contains("error"),
                "\(manifest) does not resolve:\n\(result.output)")
        }
    }
}
