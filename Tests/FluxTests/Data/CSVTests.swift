import Flux
import Foundation
import Testing

@Suite struct CSVTests {
    private func temporaryFile(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("flux-\(UUID().uuidString).csv").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func readsNumbersSkippingHeaderAndBlankLines() throws {
        let path = try temporaryFile("a,b\n1, 2.5\n-3,4e2\n\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let t = try Tensor<Double>(contentsOfCSV: path, headerLines: 1)
        #expect(t == Tensor<Double>([[1, 2.5], [-3, 400]]))
    }

    @Test func errorsNameTheFileAndLine() throws {
        let bad = try temporaryFile("1,2\n3,x\n")
        let ragged = try temporaryFile("1,2\n3\n")
        let empty = try temporaryFile("\n")
        defer { for p in [bad, ragged, empty] { try? FileManager.default.removeItem(atPath: p) } }
        #expect(throws: DataFileError.notANumber(path: bad, line: 2, column: 2, text: "x")) {
            try Tensor<Float>(contentsOfCSV: bad)
        }
        #expect(throws: DataFileError.ragged(path: ragged, line: 2, expected: 2, found: 1)) {
            try Tensor<Float>(contentsOfCSV: ragged)
        }
        #expect(throws: DataFileError.empty(path: empty)) { try Tensor<Float>(contentsOfCSV: empty) }
        #expect(
            "\(DataFileError.ragged(path: "f.csv", line: 2, expected: 2, found: 1))"
                == "f.csv:2: 1 fields where the first line has 2")
    }
}
