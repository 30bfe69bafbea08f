import Flux

/// Bytes that mean something to a CSV reader or to UTF-8, inserted more often than others.
private let interestingBytes: [UInt8] = Array("\r\n, \t.-+eE0123456789".utf8) + [0x00, 0x80, 0xC3, 0xEF, 0xFF]

/// Texts at the edges of number syntax and of `Double`.
private let tokens = [
    "nan", "NaN", "inf", "-inf", "infinity", "snan", "nan(0x1)", "0x1p3", "1e", "1e+", ".", "-", "+.5", "5.",
    "1e999999", "-1e-999999", "1e99999999999999999999", "99999999999999999999999", "1.8e308", "4.9e-325",
    "\u{FEFF}", "é", "\0", "1,2", "\r\n",
]

/// One to four random edits of `bytes`: a flipped bit, an inserted byte or token, a deleted
/// range, a very long field (up to 100,000 bytes), a duplicated chunk, or a cut.
func mutate(_ bytes: inout [UInt8], using random: inout RandomGenerator) {
    for _ in 0..<Int.random(in: 1...4, using: &random) {
        let position = Int.random(in: 0...bytes.count, using: &random)
        switch Int.random(in: 0..<8, using: &random) {
        case 0 where position < bytes.count:
            bytes[position] ^= 1 << UInt8.random(in: 0..<8, using: &random)
        case 1:
            bytes.insert(
                Bool.random(using: &random)
                    ? interestingBytes.randomElement(using: &random)! : .random(in: 0...255, using: &random),
                at: position)
        case 2:
            bytes.insert(contentsOf: tokens.randomElement(using: &random)!.utf8, at: position)
        case 3:
            bytes.removeSubrange(position..<min(position + Int.random(in: 1...8, using: &random), bytes.count))
        case 4:
            let count = Int.random(
                in: 1...(Int.random(in: 0..<10, using: &random) == 0 ? 100_000 : 100), using: &random)
            let filler = ["1", "0", " ", "9."].randomElement(using: &random)!
            bytes.insert(contentsOf: String(repeating: filler, count: count).utf8, at: position)
        case 5:
            let start = Int.random(in: 0...position, using: &random)
            bytes.insert(contentsOf: bytes[start..<position], at: Int.random(in: 0...bytes.count, using: &random))
        case 6:
            bytes.removeSubrange(position...)
        default:
            let byte = interestingBytes.randomElement(using: &random)!
            bytes.replaceSubrange(position..<min(position + 1, bytes.count), with: [byte])
        }
    }
}
