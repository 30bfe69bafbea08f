import Flux
import Testing

@testable import FluxFuzz

@Suite struct CSVTests {
    @Test func readsNumbersSkippingHeaderAndBlankLines() throws {
        let t = try withTemporaryFile("a,b\n1, 2.5\n-3,4e2\n\n".utf8) {
            try Tensor<Double>(contentsOfCSV: $0, headerLines: 1)
        }
        #expect(t == Tensor<Double>([[1, 2.5], [-3, 400]]))
    }

    @Test func errorsNameTheFileAndLine() throws {
        try withTemporaryFile("1,2\n3,x\n".utf8) { bad in
            #expect(throws: DataFileError.notANumber(path: bad, line: 2, column: 2, text: "x")) {
                try Tensor<Float>(contentsOfCSV: bad)
            }
        }
        try withTemporaryFile("1,2\n3\n".utf8) { ragged in
            #expect(throws: DataFileError.ragged(path: ragged, line: 2, expected: 2, found: 1)) {
                try Tensor<Float>(contentsOfCSV: ragged)
            }
        }
        try withTemporaryFile("\n".utf8) { empty in
            #expect(throws: DataFileError.empty(path: empty)) { try Tensor<Float>(contentsOfCSV: empty) }
        }
        #expect(
            "\(DataFileError.ragged(path: "f.csv", line: 2, expected: 2, found: 1))"
                == "f.csv:2: 1 fields where the first line has 2")
    }

    /// Swift reads "\r\n" as one `Character`: a reader that split text on "\n" rejected such
    /// files, or took a header's line end for the first row's and dropped that row.
    @Test(arguments: ["\r\n", "\r"]) func readsWindowsAndOldMacLineEnds(end: String) throws {
        let text = ["x,y", "1,2", "3,4", ""].joined(separator: end)
        let t = try withTemporaryFile(text.utf8) { try Tensor<Double>(contentsOfCSV: $0, headerLines: 1) }
        #expect(t == Tensor<Double>([[1, 2], [3, 4]]))
        try withTemporaryFile("1,2\r\n\r\n3,x\r4,5\n".utf8) { path in
            #expect(throws: DataFileError.notANumber(path: path, line: 3, column: 2, text: "x")) {
                try Tensor<Double>(contentsOfCSV: path)
            }
        }
    }

    @Test func missingValuesAreReportedByLineAndColumn() throws {
        try withTemporaryFile("1,2,3\r\n4,,6\r\n".utf8) { path in
            #expect(throws: DataFileError.missingValue(path: path, line: 2, column: 2)) {
                try Tensor<Double>(contentsOfCSV: path)
            }
        }
        try withTemporaryFile("1,2\n3, \t\n".utf8) { path in
            #expect(throws: DataFileError.missingValue(path: path, line: 2, column: 2)) {
                try Tensor<Double>(contentsOfCSV: path)
            }
        }
        #expect(
            "\(DataFileError.missingValue(path: "f.csv", line: 3, column: 2))"
                == "f.csv:3: field 2 is empty (a missing value)")
    }

    /// A line with a field too many or too few is reported as such, not by the field that
    /// the extra comma left empty.
    @Test func aWrongFieldCountComesBeforeTheFieldsOwnError() throws {
        try withTemporaryFile("1,2\n3,4,\n".utf8) { path in
            #expect(throws: DataFileError.ragged(path: path, line: 2, expected: 2, found: 3)) {
                try Tensor<Double>(contentsOfCSV: path)
            }
        }
        try withTemporaryFile("1,2,3\n,4\n".utf8) { path in
            #expect(throws: DataFileError.ragged(path: path, line: 2, expected: 3, found: 2)) {
                try Tensor<Double>(contentsOfCSV: path)
            }
        }
    }

    @Test func bytesThatAreNoNumberAreQuotedShortly() throws {
        let cases: [(bytes: [UInt8], line: Int, column: Int, text: String)] = [
            (Array("1,2\n1\0,2\n".utf8), 2, 1, "1\0"),  // `Double(String)` would stop at the NUL and take 1
            ([0x31, 0x2C, 0xFF, 0x0A], 1, 2, "\u{FFFD}"),
            (Array("1,\"2\"\n".utf8), 1, 2, "\"2\""),
            (Array("1,0x\r\n".utf8), 1, 2, "0x"),
            (Array("1,\(String(repeating: "7", count: 100_000))x".utf8), 1, 2, String(repeating: "7", count: 64) + "…"),
        ]
        for (bytes, line, column, text) in cases {
            try withTemporaryFile(bytes) { path in
                #expect(throws: DataFileError.notANumber(path: path, line: line, column: column, text: text)) {
                    try Tensor<Float>(contentsOfCSV: path)
                }
            }
        }
    }

    @Test func specialSpellingsReadAsDoubleReadsThem() throws {
        let fields = ["inf", "-inf", "nan", "1e999", "1e-999", "-0", "+.5", "5.", "0x1p3", "  7\t"]
        let t = try withTemporaryFile(fields.joined(separator: ",").utf8) { try Tensor<Double>(contentsOfCSV: $0) }
        #expect(sameNumbers(t.scalars, [.infinity, -.infinity, .nan, .infinity, 0, -0.0, 0.5, 5, 8, 7]))
        #expect(t.scalars[5].sign == .minus)
    }

    @Test func aByteOrderMarkIsSkipped() throws {
        let t = try withTemporaryFile([0xEF, 0xBB, 0xBF] + Array("1,2\n".utf8)) {
            try Tensor<Double>(contentsOfCSV: $0)
        }
        #expect(t == Tensor<Double>([[1, 2]]))
    }

    @Test func aFileThatCannotBeReadIsNamedWithTheReason() {
        for path in ["/nonexistent/data.csv", "/"] {
            #expect {
                try Tensor<Double>(contentsOfCSV: path)
            } throws: { error in
                guard case .unreadable(path, let reason)? = error as? DataFileError else { return false }
                return !reason.isEmpty
            }
        }
    }

    /// Files with random mixes of `\n`, `\r\n` and `\r`, header lines or none, blank lines,
    /// a last line end or none: every number is read back exactly.
    @Test func randomLayoutsReadBackExactly() throws {
        var random = RandomGenerator(seed: 9)
        for _ in 0..<300 {
            let sample = CSVSample(using: &random)
            let shape = [sample.fields.count, sample.fields[0].count]
            try withTemporaryFile(sample.bytes) { path in
                let doubles = try Tensor<Double>(contentsOfCSV: path, headerLines: sample.headerLines)
                let floats = try Tensor<Float>(contentsOfCSV: path, headerLines: sample.headerLines)
                #expect(doubles.shape == shape && floats.shape == shape)
                #expect(sameNumbers(doubles.scalars, sample.fields.joined().map { Double($0)! }))
                #expect(sameNumbers(floats.scalars, sample.fields.joined().map { Float($0)! }))
            }
        }
    }

    /// The same layouts with one field broken: the error names its line, counted across
    /// every kind of line end, and its column.
    @Test func errorsCountLinesAcrossEveryLineEnd() throws {
        var random = RandomGenerator(seed: 10)
        for _ in 0..<300 {
            var fields = CSVSample(using: &random).fields
            let (row, column) = (
                Int.random(in: fields.indices, using: &random), Int.random(in: fields[0].indices, using: &random)
            )
            var layout = random
            let sample = CSVSample(fields: fields, using: &random)
            let missing = fields[0].count > 1 && Bool.random(using: &random)
            fields[row][column] = missing ? "" : "1x"
            let broken = CSVSample(fields: fields, using: &layout)
            let line = sample.rowLines[row]
            try withTemporaryFile(broken.bytes) { path in
                let expected: DataFileError =
                    missing
                    ? .missingValue(path: path, line: line, column: column + 1)
                    : .notANumber(path: path, line: line, column: column + 1, text: "1x")
                #expect(throws: expected) { try Tensor<Double>(contentsOfCSV: path, headerLines: broken.headerLines) }
            }
        }
    }
}
