// A strict reader of the JSON a safetensors header holds: an object whose values are objects
// of strings, integers and arrays of integers. It never trusts its input: every read is
// bounds-checked, nesting is limited, and anything else is an error naming the byte offset.

/// A JSON value of the kinds a safetensors header uses.
enum HeaderValue: Equatable {
    case string(String)
    case integer(Int)
    case array([HeaderValue])
    /// Members in the order they appear (duplicates are refused by the parser).
    case object([(key: String, value: HeaderValue)])
    case other(String)

    static func == (a: HeaderValue, b: HeaderValue) -> Bool {
        switch (a, b) {
        case (.string(let x), .string(let y)): x == y
        case (.integer(let x), .integer(let y)): x == y
        case (.array(let x), .array(let y)): x == y
        case (.object(let x), .object(let y)): x.map(\.key) == y.map(\.key) && x.map(\.value) == y.map(\.value)
        case (.other(let x), .other(let y)): x == y
        default: false
        }
    }
}

/// Parses `bytes` (UTF-8, already validated) as one JSON value; throws a reason with the
/// byte offset where it went wrong.
struct HeaderParser {
    private let bytes: [UInt8]
    private var at = 0
    private static let maximumDepth = 8

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// The one value `bytes` hold, with nothing but white space after it.
    static func parse(_ bytes: [UInt8]) throws(HeaderError) -> HeaderValue {
        var parser = HeaderParser(bytes)
        let value = try parser.value(depth: 0)
        parser.skipSpace()
        guard parser.at == bytes.count else { throw parser.error("text after the JSON value") }
        return value
    }

    private func error(_ reason: String) -> HeaderError { HeaderError(reason: "\(reason) at byte \(at)") }

    private mutating func skipSpace() {
        while at < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[at]) { at += 1 }
    }

    private mutating func value(depth: Int) throws(HeaderError) -> HeaderValue {
        guard depth < Self.maximumDepth else { throw error("JSON nested too deeply") }
        skipSpace()
        guard at < bytes.count else { throw error("unexpected end of JSON") }
        switch bytes[at] {
        case UInt8(ascii: "{"): return try object(depth: depth)
        case UInt8(ascii: "["): return try array(depth: depth)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default:
            for word in ["true", "false", "null"] where bytes[at...].starts(with: word.utf8) {
                at += word.utf8.count
                return .other(word)
            }
            throw error("unexpected character '\(Character(Unicode.Scalar(bytes[at])))'")
        }
    }

    private mutating func expect(_ byte: UInt8) throws(HeaderError) {
        skipSpace()
        guard at < bytes.count, bytes[at] == byte else {
            throw error("expected '\(Character(Unicode.Scalar(byte)))'")
        }
        at += 1
    }

    private mutating func object(depth: Int) throws(HeaderError) -> HeaderValue {
        try expect(UInt8(ascii: "{"))
        var members: [(key: String, value: HeaderValue)] = []
        var keys = Set<String>()
        skipSpace()
        if at < bytes.count, bytes[at] == UInt8(ascii: "}") {
            at += 1
            return .object(members)
        }
        while true {
            skipSpace()
            guard at < bytes.count, bytes[at] == UInt8(ascii: "\"") else { throw error("expected a key") }
            let key = try string()
            guard keys.insert(key).inserted else { throw error("duplicate key \"\(key)\"") }
            try expect(UInt8(ascii: ":"))
            members.append((key, try value(depth: depth + 1)))
            skipSpace()
            guard at < bytes.count else { throw error("unexpected end of JSON in an object") }
            if bytes[at] == UInt8(ascii: ",") {
                at += 1
                continue
            }
            try expect(UInt8(ascii: "}"))
            return .object(members)
        }
    }

    private mutating func array(depth: Int) throws(HeaderError) -> HeaderValue {
        try expect(UInt8(ascii: "["))
        var elements: [HeaderValue] = []
        skipSpace()
        if at < bytes.count, bytes[at] == UInt8(ascii: "]") {
            at += 1
            return .array(elements)
        }
        while true {
            elements.append(try value(depth: depth + 1))
            skipSpace()
            guard at < bytes.count else { throw error("unexpected end of JSON in an array") }
            if bytes[at] == UInt8(ascii: ",") {
                at += 1
                continue
            }
            try expect(UInt8(ascii: "]"))
            return .array(elements)
        }
    }

    /// An integer; a fraction or exponent is read and returned as `.other` (no field here
    /// takes one, and the caller names the field).
    private mutating func number() throws(HeaderError) -> HeaderValue {
        let start = at
        if bytes[at] == UInt8(ascii: "-") { at += 1 }
        // JSON has no leading zeros: `0` alone, or a digit 1–9 first.
        if at + 1 < bytes.count, bytes[at] == UInt8(ascii: "0"),
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[at + 1])
        {
            throw error("a number with a leading zero")
        }
        var value = 0
        var overflow = false
        var digits = 0
        while at < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[at]) {
            let (times, o1) = value.multipliedReportingOverflow(by: 10)
            let (plus, o2) = times.addingReportingOverflow(Int(bytes[at] - UInt8(ascii: "0")))
            (value, overflow, digits, at) = (plus, overflow || o1 || o2, digits + 1, at + 1)
        }
        guard digits > 0 else { throw error("a number without digits") }
        var fractional = false
        while at < bytes.count,
            [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"), UInt8(ascii: "+")]
                .contains(bytes[at]) || (fractional && (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[at]))
                || (fractional && bytes[at] == UInt8(ascii: "-"))
        {
            (fractional, at) = (true, at + 1)
        }
        let text = String(decoding: bytes[start..<at], as: UTF8.self)
        if fractional || overflow { return .other(text) }
        return .integer(bytes[start] == UInt8(ascii: "-") ? -value : value)
    }

    /// A string, its escapes resolved (`\uXXXX` with surrogate pairs).
    private mutating func string() throws(HeaderError) -> String {
        at += 1  // the opening quote
        var out: [UInt8] = []
        while true {
            guard at < bytes.count else { throw error("unterminated string") }
            let byte = bytes[at]
            at += 1
            if byte == UInt8(ascii: "\"") { return String(decoding: out, as: UTF8.self) }
            guard byte >= 0x20 else { throw error("a control character in a string") }
            guard byte == UInt8(ascii: "\\") else {
                out.append(byte)
                continue
            }
            guard at < bytes.count else { throw error("unterminated escape") }
            let escaped = bytes[at]
            at += 1
            switch escaped {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escaped)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var code = try hex4()
                if (0xD800..<0xDC00).contains(code) {
                    guard bytes[at...].starts(with: "\\u".utf8) else { throw error("a lone surrogate") }
                    at += 2
                    let low = try hex4()
                    guard (0xDC00..<0xE000).contains(low) else { throw error("a lone surrogate") }
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let scalar = Unicode.Scalar(code) else { throw error("an invalid \\u escape") }
                out.append(contentsOf: String(Character(scalar)).utf8)
            default: throw error("an invalid escape")
            }
        }
    }

    private mutating func hex4() throws(HeaderError) -> UInt32 {
        guard at + 4 <= bytes.count else { throw error("a short \\u escape") }
        var code: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[at]
            let digit: UInt8
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = b - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = b - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = b - UInt8(ascii: "A") + 10
            default: throw error("a non-hex digit in a \\u escape")
            }
            code = code << 4 | UInt32(digit)
            at += 1
        }
        return code
    }
}

/// Why a header did not parse.
struct HeaderError: Error {
    let reason: String
}

/// `text` as a JSON string literal.
func jsonString(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case _ where scalar.value < 0x20:
            let hex = String(scalar.value, radix: 16)
            out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}
