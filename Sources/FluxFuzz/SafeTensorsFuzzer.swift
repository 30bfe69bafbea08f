import Flux

/// Writes mutated safetensors files, reads each with `SafeTensors(contentsOf:)` and holds
/// the outcome to ``referenceSafeTensors(_:)``: the same names, dtypes, shapes, bytes and
/// metadata, or a `CheckpointError` naming the file where the reference rejects it.
///
/// The seeds are valid files, written by `SafeTensors.serialized` (F32, F64 and I64, empty
/// and rank-0 tensors, names and metadata with escapes and Unicode) or by hand (every dtype,
/// fields in any order, white space, no padding). The mutations aim at the header, which the
/// reader must not trust: digits of shapes and offsets changed, numbers replaced by edge
/// values, dtype strings swapped, keys renamed (to each other too: duplicate keys), the
/// data resized, the length prefix set to huge or odd values; then sometimes the CSV
/// fuzzer's byte edits.
struct SafeTensorsFuzzer: FileFuzzer {
    /// Where each input is written before it is read: after a trap, the input that caused it.
    let path: String
    private var random: RandomGenerator
    private let seed: UInt64
    private(set) var tried = 0, accepted = 0, failures: [String] = []

    init(seed: UInt64, path: String) {
        random = RandomGenerator(seed: seed)
        self.seed = seed
        self.path = path
    }

    mutating func tryOne() {
        var (header, data) = Bool.random(using: &random) ? builtSample() : handWrittenSample()
        // A few inputs stay valid, to check that mutations are what the reader rejects.
        let mutated = Int.random(in: 0..<10, using: &random) > 0
        if mutated {
            for _ in 0..<Int.random(in: 1...3, using: &random) { mutateHeader(&header, &data) }
        }
        var bytes = littleEndian(UInt64(header.count)) + header + data
        if mutated, Int.random(in: 0..<6, using: &random) == 0 { mutateLength(&bytes, header: header.count) }
        if mutated, Int.random(in: 0..<4, using: &random) == 0 { mutate(&bytes, using: &random) }
        writeFuzzInput(bytes, to: path)
        if let problem = check(bytes) {
            let hex = bytes.prefix(64).map { String(UInt16($0) | 0x100, radix: 16).dropFirst() }.joined()
            failures.append(
                "input \(tried) (seed \(seed)): \(problem); \(bytes.count) bytes, hex \(hex)"
                    + "\(bytes.count > 64 ? "…" : ""); as text: \(escaped(bytes))")
        }
        tried += 1
    }

    /// The reader's outcome against the reference's, or nil when they agree.
    private mutating func check(_ bytes: [UInt8]) -> String? {
        let expected: ReferenceSafeTensorsFile?
        let rejection: String
        do { (expected, rejection) = (try referenceSafeTensors(bytes), "") } catch {
            (expected, rejection) = (nil, error.reason)
        }
        let file: SafeTensors
        do {
            file = try SafeTensors(contentsOf: path)
        } catch {
            switch error {
            case .malformed(let named, _), .unreadable(let named, _):
                guard named == path else { return "the error names \(named), not the file: \(error)" }
                return expected == nil
                    ? nil : "threw \(error) where the reference reads \(expected!.tensors.count) tensors"
            default: return "threw \(error), not the error expected"
            }
        }
        accepted += 1
        guard let expected else { return "read \(file.names) where the reference rejects the file: \(rejection)" }
        guard file.names.count == Set(file.names).count, Set(file.names) == Set(expected.tensors.keys) else {
            return "names \(file.names), expected \(expected.tensors.keys.sorted())"
        }
        for name in file.names {
            let (entry, wanted) = (file[name]!, expected.tensors[name]!)
            guard entry.dtype.rawValue == wanted.dtype, entry.shape == wanted.shape else {
                return "`\(name)` is \(entry.dtype.rawValue) \(entry.shape), expected \(wanted.dtype) \(wanted.shape)"
            }
            guard entry.bytes == wanted.bytes else { return "`\(name)`'s bytes differ from the reference's" }
        }
        guard file.metadata == expected.metadata else {
            return "metadata \(file.metadata), expected \(expected.metadata)"
        }
        return nil
    }

    /// A valid file's header and data, as `SafeTensors.serialized` writes them: up to four
    /// `Float`, `Double` or `Int` tensors of rank 0 to 3 (extents 0 to 3), and metadata.
    private mutating func builtSample() -> (header: [UInt8], data: [UInt8]) {
        var file = SafeTensors(metadata: metadataSample())
        for _ in 0..<Int.random(in: 0...4, using: &random) {
            let shape = (0..<Int.random(in: 0...3, using: &random)).map { _ in Int.random(in: 0...3, using: &random) }
            let count = shape.reduce(1, *)
            let name = names.randomElement(using: &random)!
            switch Int.random(in: 0..<3, using: &random) {
            case 0:
                file[name] = .init(Tensor<Float>(shape: shape, scalars: (0..<count).map { _ in randomFloat() }))
            case 1:
                file[name] = .init(
                    Tensor<Double>(shape: shape, scalars: (0..<count).map { _ in Double(bitPattern: random.next()) }))
            default:
                file[name] = .init(
                    Tensor<Int>(shape: shape, scalars: (0..<count).map { _ in Int(truncatingIfNeeded: random.next()) }))
            }
        }
        let bytes = file.serialized
        let length = bytes[0..<8].reversed().reduce(0) { $0 << 8 | Int($1) }
        return (Array(bytes[8..<(8 + length)]), Array(bytes[(8 + length)...]))
    }

    private mutating func randomFloat() -> Float { Float(bitPattern: UInt32(truncatingIfNeeded: random.next())) }

    /// A valid file written by hand: any dtypes (F16, BF16, U8 and BOOL most often), fields
    /// in any order, white space around the tokens, sometimes no padding, random data bytes.
    private mutating func handWrittenSample() -> (header: [UInt8], data: [UInt8]) {
        let dtypes = ["F16", "BF16", "U8", "BOOL", "F16", "BF16", "U8", "BOOL"] + allDTypes
        var members: [String] = []
        var data: [UInt8] = []
        var used = Set<String>()
        for _ in 0..<Int.random(in: 0...4, using: &random) {
            let name = names.randomElement(using: &random)!
            guard used.insert(name).inserted else { continue }
            let dtype = dtypes.randomElement(using: &random)!
            let shape = (0..<Int.random(in: 0...3, using: &random)).map { _ in Int.random(in: 0...4, using: &random) }
            let count = shape.reduce(1, *) * dtypeSize[dtype]!
            let begin = data.count
            data += (0..<count).map { _ in
                dtype == "BOOL" ? .random(in: 0...1, using: &random) : .random(in: 0...255, using: &random)
            }
            var fields = [
                "\"dtype\":\(space())\"\(dtype)\"",
                "\"shape\":\(space())[\(shape.map(String.init).joined(separator: ",\(space())"))]",
                "\"data_offsets\":\(space())[\(begin),\(space())\(data.count)]",
            ]
            fields.shuffle(using: &random)
            members.append("\(jsonString(name)):\(space()){\(fields.joined(separator: ",\(space())"))}")
        }
        let metadata = metadataSample()
        if !metadata.isEmpty || Int.random(in: 0..<8, using: &random) == 0 {
            let pairs = metadata.map { "\(jsonString($0.key)):\(space())\(jsonString($0.value))" }
            members.insert("\"__metadata__\":{\(pairs.joined(separator: ","))}", at: 0)
        }
        members.shuffle(using: &random)
        var header = Array("\(space()){\(members.joined(separator: ",\(space())"))}\(space())".utf8)
        if Bool.random(using: &random) { header += repeatElement(UInt8(ascii: " "), count: (8 - header.count % 8) % 8) }
        return (header, data)
    }

    /// Nothing most often, else some JSON white space.
    private mutating func space() -> String {
        Int.random(in: 0..<4, using: &random) > 0
            ? "" : ["", " ", "\n", "\t", "\r\n", "  "].randomElement(using: &random)!
    }

    private mutating func metadataSample() -> [String: String] {
        var metadata: [String: String] = [:]
        for _ in 0..<Int.random(in: 0...3, using: &random) {
            metadata[names.randomElement(using: &random)!] = texts.randomElement(using: &random)!
        }
        return metadata
    }

    /// One edit of the header (or the data's size); the length prefix is set to the result.
    private mutating func mutateHeader(_ header: inout [UInt8], _ data: inout [UInt8]) {
        let digits = header.indices.filter { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(header[$0]) }
        switch Int.random(in: 0..<9, using: &random) {
        case 0...1 where !digits.isEmpty:  // a digit of a shape or offset changed, removed or added
            let at = digits.randomElement(using: &random)!
            let digit = UInt8.random(in: UInt8(ascii: "0")...UInt8(ascii: "9"), using: &random)
            switch Int.random(in: 0..<3, using: &random) {
            case 0: header[at] = digit
            case 1: header.remove(at: at)
            default: header.insert(digit, at: at + Int.random(in: 0...1, using: &random))
            }
        case 2 where !digits.isEmpty:  // a whole number replaced by an edge value
            var (start, end) = (digits.randomElement(using: &random)!, 0)
            while start > 0, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(header[start - 1]) { start -= 1 }
            end = start
            while end < header.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(header[end]) { end += 1 }
            let number =
                Int.random(in: 0..<4, using: &random) == 0
                ? String(Int.random(in: 0...100, using: &random)) : edgeNumbers.randomElement(using: &random)!
            header.replaceSubrange(start..<end, with: number.utf8)
        case 3:  // a dtype string swapped for another, or for one the format lacks
            let strings = stringTokens(header).filter {
                allDTypes.contains(String(decoding: header[$0], as: UTF8.self))
            }
            guard let range = strings.randomElement(using: &random) else { break }
            let replacement = (allDTypes + otherDTypes).randomElement(using: &random)!
            header.replaceSubrange(range, with: replacement.utf8)
        case 4:  // a string renamed: to another one of the header (a duplicate key) or a field name
            let strings = stringTokens(header)
            guard let range = strings.randomElement(using: &random) else { break }
            let replacement =
                Bool.random(using: &random)
                ? Array(header[strings.randomElement(using: &random)!])
                : Array(fieldNames.randomElement(using: &random)!.utf8)
            header.replaceSubrange(range, with: replacement)
        case 5:  // a member or a chunk of the header copied elsewhere in it
            guard header.count > 2 else { break }
            let start = Int.random(in: 0..<header.count, using: &random)
            let end = Int.random(in: start...min(header.count, start + 80), using: &random)
            header.insert(contentsOf: header[start..<end], at: Int.random(in: 0...header.count, using: &random))
        case 6:  // JSON white space, a byte order mark, or a character JSON does not allow
            let insert = [" ", "\n", "\u{FEFF}", "\u{0}", "\u{1F}", "é", "\\", ",", "}", "]", "\""]
                .randomElement(using: &random)!
            header.insert(contentsOf: insert.utf8, at: Int.random(in: 0...header.count, using: &random))
        case 7:  // the data a little longer or shorter
            let change = Int.random(in: -8...8, using: &random)
            if change < 0 {
                data.removeLast(min(-change, data.count))
            } else {
                data += (0..<change).map { _ in .random(in: 0...255, using: &random) }
            }
        default:  // a byte of the header changed
            guard !header.isEmpty else { break }
            header[Int.random(in: 0..<header.count, using: &random)] = .random(in: 0...255, using: &random)
        }
    }

    /// The 8-byte length prefix of `bytes` (whose header has `header` bytes) set to a huge,
    /// odd or random value.
    private mutating func mutateLength(_ bytes: inout [UInt8], header: Int) {
        let length = UInt64(header)
        let values: [UInt64] = [
            0, 1, 2, length &- 1, length + 1, length + 8, UInt64(bytes.count - 8), UInt64(bytes.count - 7),
            100_000_000, 100_000_001, 1 << 31, 1 << 32, 1 << 63, .max, .max - 7, .random(in: 0...1_000, using: &random),
            random.next(),
        ]
        bytes.replaceSubrange(0..<8, with: littleEndian(values.randomElement(using: &random)!))
    }
}

private let allDTypes = SafeTensors.DType.allCases.map(\.rawValue)
private let dtypeSize = Dictionary(uniqueKeysWithValues: SafeTensors.DType.allCases.map { ($0.rawValue, $0.size) })
private let otherDTypes = ["F8_E4M3", "f32", "I128", "", "F32 ", "bool", "FLOAT", "U1"]
private let fieldNames = ["dtype", "shape", "data_offsets", "__metadata__", "offsets", "", "F32"]
private let edgeNumbers = [
    "0", "-0", "-1", "01", "1.0", "1e2", "2E0", "+1", "4294967296", "100000000", "9223372036854775807",
    "9223372036854775808", "18446744073709551615", "18446744073709551616", "99999999999999999999999",
    "4611686018427387904", "3074457345618258603",
]
/// Tensor names and metadata keys: escapes, Unicode, the reserved key's neighbours.
private let names = [
    "weight", "bias", "layer.0.weight", "a", "b", "", "quo\"te", "back\\slash", "new\nline", "tab\t", "\u{1}",
    "é", "日本語", "emoji 🙂", "__metadata", "__metadata__x", "/", "format",
]
private let texts = ["pt", "", "1.0", "é\u{301}", "\"quoted\"", "a\\b", "line\nbreak", "🙂", "\u{7F}", "{}"]

/// The ranges of the contents of `json`'s string tokens, between their quotes.
private func stringTokens(_ json: [UInt8]) -> [Range<Int>] {
    var ranges: [Range<Int>] = []
    var i = 0
    while i < json.count {
        if json[i] == UInt8(ascii: "\"") {
            let start = i + 1
            i += 1
            while i < json.count, json[i] != UInt8(ascii: "\"") { i += json[i] == UInt8(ascii: "\\") ? 2 : 1 }
            if i < json.count { ranges.append(start..<i) }
        }
        i += 1
    }
    return ranges
}

/// `text` as a JSON string literal, escaped as little as JSON allows (control characters,
/// quotes and backslashes), sometimes with `\u` escapes for non-ASCII.
private func jsonString(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case _ where scalar.value < 0x20 || scalar.value >= 0x80 && scalar.value % 2 == 0:
            // Every other non-ASCII scalar escaped, as UTF-16 (a surrogate pair above U+FFFF).
            for unit in String(scalar).utf16 {
                let hex = String(unit, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            }
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}

private func littleEndian(_ x: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: x >> (8 * $0)) } }
