import Foundation

/// What `SafeTensors(contentsOf:)` should make of a file, by the plainest route: the length
/// prefix assembled byte by byte, the header parsed by Foundation's `JSONSerialization`,
/// every rule of the format checked one by one. Nil where the reader should throw
/// `CheckpointError.malformed`: it throws the reason. Slow, and independent of the reader's code.
func referenceSafeTensors(_ bytes: [UInt8]) throws(ReferenceRejection) -> ReferenceSafeTensorsFile {
    func reject(_ reason: String) -> ReferenceRejection { ReferenceRejection(reason: reason) }
    guard bytes.count >= 8 else { throw reject("shorter than 8 bytes") }
    var declared: UInt64 = 0
    for byte in bytes[0..<8].reversed() { declared = declared * 256 + UInt64(byte) }
    guard declared <= 100_000_000, declared <= UInt64(bytes.count - 8) else {
        throw reject("header length \(declared)")
    }
    let header = Array(bytes[8..<(8 + Int(declared))])
    let data = Array(bytes[(8 + Int(declared))...])
    // UTF-8 only: JSONSerialization would also take UTF-16 and UTF-32, and skip a byte order mark.
    guard String(bytes: header, encoding: .utf8) != nil, !header.starts(with: [0xEF, 0xBB, 0xBF]) else {
        throw reject("not UTF-8, or a byte order mark")
    }
    // JSONSerialization drops a U+FEFF that begins a string or follows an escape, but keeps
    // an escaped one: every U+FEFF is escaped, but one that would itself be escaped by a
    // backslash (an invalid escape).
    var json: [UInt8] = []
    for byte in header {
        json.append(byte)
        guard json.count >= 3, json.suffix(3) == [0xEF, 0xBB, 0xBF] else { continue }
        let backslashes = json.dropLast(3).reversed().prefix { $0 == UInt8(ascii: "\\") }.count
        if backslashes % 2 == 0 { json.replaceSubrange((json.count - 3)..., with: "\\ufeff".utf8) }
    }
    let object: Any
    do { object = try JSONSerialization.jsonObject(with: Data(json), options: [.fragmentsAllowed]) } catch {
        throw reject("JSONSerialization: \((error as NSError).userInfo[NSDebugDescriptionErrorKey] ?? error)")
    }
    guard let members = object as? [String: Any] else { throw reject("not an object") }
    guard !hasDuplicateKeys(json) else { throw reject("a duplicate key") }
    guard isPlainJSON(json) else { throw reject("a trailing comma, fraction, exponent, true, false or null") }
    let sizes = [
        "BOOL": 1, "U8": 1, "I8": 1, "U16": 2, "I16": 2, "F16": 2, "BF16": 2, "U32": 4, "I32": 4, "F32": 4, "U64": 8,
        "I64": 8, "F64": 8,
    ]
    var file = ReferenceSafeTensorsFile()
    var ranges: [(begin: Int, end: Int)] = []
    for (name, value) in members {
        if name == "__metadata__" {
            guard let pairs = value as? [String: Any] else { throw reject("metadata not an object") }
            for (key, text) in pairs {
                guard let text = text as? String else { throw reject("metadata `\(key)` not a string") }
                file.metadata[key] = text
            }
            continue
        }
        guard let fields = value as? [String: Any], Set(fields.keys) == ["dtype", "shape", "data_offsets"],
            let dtype = fields["dtype"] as? String, let size = sizes[dtype],
            let shapeValues = fields["shape"] as? [Any], let offsetValues = fields["data_offsets"] as? [Any],
            offsetValues.count == 2
        else { throw reject("`\(name)`: fields, dtype, shape or offsets") }
        var shape: [Int] = []
        for value in shapeValues {
            guard let extent = integer(value), extent >= 0 else { throw reject("`\(name)`: extent \(value)") }
            shape.append(extent)
        }
        guard let begin = integer(offsetValues[0]), let end = integer(offsetValues[1]), begin >= 0, begin <= end,
            end <= data.count
        else { throw reject("`\(name)`: offsets \(offsetValues) (\(data.count) bytes of data)") }
        // The element count multiplied out in order, as the reference implementation does
        // (an overflow before a zero extent is an error there too).
        var count = 1
        for extent in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: extent)
            guard !overflow else { throw reject("`\(name)`: shape overflows") }
            count = product
        }
        let (byteCount, overflow) = count.multipliedReportingOverflow(by: size)
        guard !overflow, byteCount == end - begin else { throw reject("`\(name)`: size and offsets disagree") }
        ranges.append((begin, end))
        file.tensors[name] = (dtype, shape, Array(data[begin..<end]))
    }
    // Every byte of the data in exactly one tensor; an empty tensor at a boundary between them.
    var owners = [Int](repeating: 0, count: data.count)
    for range in ranges { for i in range.begin..<range.end { owners[i] += 1 } }
    guard owners.allSatisfy({ $0 == 1 }) else { throw reject("the ranges do not tile the data") }
    let boundaries = Set([0, data.count] + ranges.filter { $0.begin < $0.end }.map(\.begin))
    guard ranges.allSatisfy({ $0.begin < $0.end || boundaries.contains($0.begin) }) else {
        throw reject("an empty tensor inside another's bytes")
    }
    return file
}

/// Why the reference rejects a file.
struct ReferenceRejection: Error {
    let reason: String
}

/// The tensors and metadata of a valid safetensors file.
struct ReferenceSafeTensorsFile {
    var tensors: [String: (dtype: String, shape: [Int], bytes: [UInt8])] = [:]
    var metadata: [String: String] = [:]
}

/// `value` as an `Int`, when JSONSerialization made it a number that is one (the caller has
/// checked that the header's numbers are integer literals; a larger one becomes a `Double`
/// or a `UInt64`, whose text `Int` does not take).
private func integer(_ value: Any) -> Int? {
    (value as? NSNumber).flatMap { Int($0.stringValue) }
}

/// Whether an object in `json` (already checked to be valid JSON) has one key twice; keys
/// are compared by Unicode scalars, after their escapes are resolved. JSONSerialization
/// keeps the last of two equal keys without a word.
private func hasDuplicateKeys(_ json: [UInt8]) -> Bool {
    var keys: [Set<[Unicode.Scalar]>?] = []  // one per open object; nil for an array
    var i = 0
    while i < json.count {
        switch json[i] {
        case UInt8(ascii: "{"): keys.append([])
        case UInt8(ascii: "["): keys.append(nil)
        case UInt8(ascii: "}"), UInt8(ascii: "]"): keys.removeLast()
        case UInt8(ascii: "\""):
            let start = i
            i += 1
            while json[i] != UInt8(ascii: "\"") { i += json[i] == UInt8(ascii: "\\") ? 2 : 1 }
            var next = i + 1
            while next < json.count, [0x20, 0x09, 0x0A, 0x0D].contains(json[next]) { next += 1 }
            if next < json.count, json[next] == UInt8(ascii: ":"), case var seen?? = keys.last {
                guard
                    let key = try? JSONSerialization.jsonObject(
                        with: Data(json[start...i]), options: [.fragmentsAllowed]) as? String
                else { return true }  // cannot happen in valid JSON
                if !seen.insert(Array(key.unicodeScalars)).inserted { return true }
                keys[keys.count - 1] = seen
            }
        default: break
        }
        i += 1
    }
    return false
}

/// Whether `json` (which JSONSerialization took) is strict JSON of strings, integers,
/// objects and arrays. JSONSerialization takes a comma before `]` or `}`, which JSON does
/// not. And it makes `1.0` a number equal to 1, which no shape may hold, and `true` one equal
/// to 1; no field of the format takes a fraction, an exponent, `true`, `false` or `null`, and
/// outside strings a letter or a point only occurs in those.
private func isPlainJSON(_ json: [UInt8]) -> Bool {
    var i = 0
    var lastToken: UInt8 = 0  // the last byte outside strings that is not white space
    while i < json.count {
        switch json[i] {
        case UInt8(ascii: "\""):
            i += 1
            while json[i] != UInt8(ascii: "\"") { i += json[i] == UInt8(ascii: "\\") ? 2 : 1 }
        case UInt8(ascii: "."), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"):
            return false
        case UInt8(ascii: "]"), UInt8(ascii: "}"):
            if lastToken == UInt8(ascii: ",") { return false }
        default: break
        }
        if ![0x20, 0x09, 0x0A, 0x0D].contains(json[i]) { lastToken = json[i] }
        i += 1
    }
    return true
}
