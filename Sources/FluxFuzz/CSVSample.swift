import Flux

/// A valid comma-separated file of random numbers, with the texts of its fields: lines end
/// in a random mix of `\n`, `\r\n` and `\r`, with or without header lines, a byte order
/// mark, blanks around fields, blank lines, a newline after the last row, blank lines after it.
struct CSVSample {
    /// The file.
    var bytes: [UInt8]
    /// The fields' texts, row by row, as `Double(_:)` and `Float(_:)` read them.
    var fields: [[String]]
    /// How many lines come before the first row.
    var headerLines: Int
    /// The line of each row, from 1.
    var rowLines: [Int] = []

    /// A file of random numbers in a random layout.
    init(using random: inout RandomGenerator, rows: ClosedRange<Int> = 1...12, columns: ClosedRange<Int> = 1...6) {
        let width = Int.random(in: columns, using: &random)
        let fields = (0..<Int.random(in: rows, using: &random)).map { _ in
            (0..<width).map { _ in numberText(using: &random) }
        }
        self.init(fields: fields, using: &random)
    }

    /// `fields` in a random layout; the layout's random draws do not depend on the texts, so
    /// the same generator state lays out other texts of the same shape the same way.
    init(fields: [[String]], using random: inout RandomGenerator) {
        func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &random) < p }
        func blanks() -> String { ["", "", "", " ", "\t", "  ", " \t "].randomElement(using: &random)! }
        var text = chance(0.1) ? "\u{FEFF}" : ""
        var line = 1
        func endLine() {
            // After a "\r" that ended the line before, a "\n" would join it into one "\r\n".
            text += (text.utf8.last == 0x0D ? ["\r\n", "\r"] : ["\n", "\r\n", "\r"]).randomElement(using: &random)!
            line += 1
        }
        self.fields = fields
        headerLines = Int.random(in: 0...2, using: &random)
        for header in 0..<headerLines {
            text += ["a,b,c", "# Größe, x", "", "x\(header);y"].randomElement(using: &random)!
            endLine()
        }
        for (index, row) in fields.enumerated() {
            if chance(0.1) {
                text += blanks()
                endLine()
            }
            rowLines.append(line)
            text += row.map { blanks() + $0 + blanks() }.joined(separator: ",")
            if index < fields.count - 1 { endLine() }
        }
        // After the last row: nothing, a line end, or a line end and blank lines.
        if chance(0.6) {
            endLine()
            for _ in 0..<Int.random(in: 0...2, using: &random) {
                text += blanks()
                if chance(0.5) { endLine() }
            }
        }
        bytes = Array(text.utf8)
    }
}

/// A number as people and programs write them: Swift's shortest round-trip text of a random
/// `Double` (subnormals and `inf` included), decimals of 1 to 25 digits with or without
/// an exponent, small integers, and a few exact spellings at the edges of `Double`.
func numberText(using random: inout RandomGenerator) -> String {
    switch Int.random(in: 0..<10, using: &random) {
    case 0..<3:
        // NaNs print with their payload, and `Double(String)` cannot read "snan(0x…)" back.
        let x = Double(bitPattern: random.next())
        return x.isNaN ? "nan" : "\(x)"
    case 3..<8:
        let digits = (0..<Int.random(in: 1...25, using: &random)).map { _ in
            String(Int.random(in: 0...9, using: &random))
        }
        let point = Int.random(in: 0...digits.count, using: &random)
        var text = ["", "", "-", "+"].randomElement(using: &random)!
        text += digits[..<point].joined() + (point < digits.count || Bool.random(using: &random) ? "." : "")
        text += digits[point...].joined()
        if Bool.random(using: &random) {
            text += ["e", "E"].randomElement(using: &random)! + ["", "-", "+"].randomElement(using: &random)!
            text += String(Int.random(in: 0...(Bool.random(using: &random) ? 25 : 400), using: &random))
        }
        return text
    case 8:
        return String(Int.random(in: -1000...1000, using: &random))
    default:
        return [
            "0", "-0", "0.0", "1e308", "1.7976931348623157e308", "1.8e308", "4.9e-324", "2.4e-324", "1e-400",
            "9007199254740993", "0.1", "1e22", "1e23", "123456789012345678", "inf", "-inf", "nan",
        ].randomElement(using: &random)!
    }
}
