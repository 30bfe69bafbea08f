import Flux

/// Writes mutated IDX files, reads each with `Tensor(contentsOfIDX:)` (as `Double`, `Float`
/// and `Int` by turns) and holds the outcome to ``referenceIDX(_:)``: the same shape and
/// values, or a ``DataFileError`` naming the file where the reference rejects it.
///
/// The mutations aim at the header, which the reader must not trust: extents set to 0, 1,
/// large or random values, other type bytes and dimension counts, cuts, appended bytes; and
/// sometimes the data is then resized to what the mutated header claims, so that odd but
/// valid files are read too.
struct IDXFuzzer: FileFuzzer {
    /// Where each input is written before it is read: after a trap, the input that caused it.
    let path: String
    private var random: RandomGenerator
    private(set) var tried = 0, accepted = 0, failures: [String] = []

    init(seed: UInt64, path: String) {
        random = RandomGenerator(seed: seed)
        self.path = path
    }

    mutating func tryOne() {
        var bytes = validSample()
        // A few inputs stay valid, to check that mutations are what the reader rejects.
        if Int.random(in: 0..<10, using: &random) > 0 { mutateIDX(&bytes) }
        writeFuzzInput(bytes, to: path)
        let problem =
            switch tried % 3 {
            case 0: check(Double.self, bytes)
            case 1: check(Float.self, bytes)
            default: checkInt(bytes)
            }
        if let problem { failures.append("input \(tried): \(problem); bytes: \(escaped(bytes))") }
        tried += 1
    }

    /// A valid file: a random type, 1 to 4 dimensions (sometimes up to 8) of 0 to 6 each,
    /// random bytes for the elements (every bit pattern is a value, NaNs included).
    private mutating func validSample() -> [UInt8] {
        let type = [0x08, 0x09, 0x0B, 0x0C, 0x0D, 0x0E].randomElement(using: &random)!
        let rank =
            Int.random(in: 0..<8, using: &random) == 0
            ? Int.random(in: 1...8, using: &random) : Int.random(in: 1...4, using: &random)
        let shape = (0..<rank).map { _ in Int.random(in: rank > 4 ? 0...2 : 0...6, using: &random) }
        var bytes: [UInt8] = [0, 0, UInt8(type), UInt8(rank)]
        for extent in shape { bytes += bigEndian(UInt32(extent)) }
        let count = shape.reduce(1, *) * elementSize(UInt8(type))
        bytes += (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) }
        return bytes
    }

    /// One to three edits, most of them of the header.
    private mutating func mutateIDX(_ bytes: inout [UInt8]) {
        for _ in 0..<Int.random(in: 1...3, using: &random) {
            let rank = bytes.count > 3 ? Int(bytes[3]) : 0
            switch Int.random(in: 0..<10, using: &random) {
            case 0, 1:  // an extent
                let axis = Int.random(in: 0..<max(rank, 1), using: &random)
                let extent: UInt32 = [0, 1, 2, 7, 28, 255, 256, 60_000, 1 << 31, .max - 1, .max].randomElement(
                    using: &random)!
                let value = Bool.random(using: &random) ? extent : .random(in: 0 ... .max, using: &random)
                let offset = 4 + 4 * axis
                if offset + 4 <= bytes.count { bytes.replaceSubrange(offset..<(offset + 4), with: bigEndian(value)) }
            case 2 where bytes.count > 2:  // the type byte
                bytes[2] =
                    Bool.random(using: &random)
                    ? [0x08, 0x09, 0x0B, 0x0C, 0x0D, 0x0E, 0x0A, 0x00, 0xFF].randomElement(using: &random)!
                    : .random(in: 0...255, using: &random)
            case 3 where bytes.count > 3:  // the dimension count
                bytes[3] = [
                    0, 1, 2, 3, 4, 8, 9, 255, UInt8(truncatingIfNeeded: rank + 1), UInt8(truncatingIfNeeded: rank - 1),
                ].randomElement(using: &random)!
            case 4 where bytes.count > 1:  // the magic's zero bytes, or a gzip file
                if Bool.random(using: &random) {
                    bytes[Int.random(in: 0...1, using: &random)] = .random(in: 1...255, using: &random)
                } else {
                    bytes.replaceSubrange(0..<2, with: [0x1F, 0x8B])
                }
            case 5:  // a cut
                bytes.removeSubrange(Int.random(in: 0...bytes.count, using: &random)...)
            case 6:  // bytes after the end
                bytes += (0..<Int.random(in: 1...16, using: &random)).map { _ in .random(in: 0...255, using: &random) }
            case 7:  // the data resized to what the header now claims, when that is small
                if let claimed = claimedSize(bytes), claimed <= 1 << 16 {
                    if claimed < bytes.count {
                        bytes.removeSubrange(claimed...)
                    } else {
                        bytes += (bytes.count..<claimed).map { _ in .random(in: 0...255, using: &random) }
                    }
                }
            default:  // the CSV fuzzer's byte edits: bit flips, insertions, deletions, copies
                mutate(&bytes, using: &random)
            }
        }
    }

    /// What the reference makes of `bytes` as `Scalar`, against what the reader does.
    private mutating func check<Scalar: TensorFloatingPoint>(_: Scalar.Type, _ bytes: [UInt8]) -> String? {
        let expected = referenceIDX(bytes)
        do {
            let tensor = try Tensor<Scalar>(contentsOfIDX: path)
            accepted += 1
            guard let expected else { return "read \(tensor.shape) where the reference rejects the file" }
            guard tensor.shape == expected.shape else { return "shape \(tensor.shape), expected \(expected.shape)" }
            for (index, (value, reference)) in zip(tensor.scalars, expected.values).enumerated() {
                let wanted = Scalar(reference)
                if value != wanted && !(value.isNaN && wanted.isNaN) {
                    return "value \(index) is \(value), expected \(wanted)"
                }
            }
            return nil
        } catch {
            return judge(error, expected: expected.map { "\($0.shape)" }, refusedAsInteger: false)
        }
    }

    private mutating func checkInt(_ bytes: [UInt8]) -> String? {
        let expected = referenceIDX(bytes)
        do {
            let tensor = try Tensor<Int>(contentsOfIDX: path)
            accepted += 1
            guard let expected, expected.isInteger else {
                return "read \(tensor.shape) where the reference rejects the file"
            }
            guard tensor.shape == expected.shape else { return "shape \(tensor.shape), expected \(expected.shape)" }
            guard tensor.scalars == expected.values.map({ Int($0) }) else {
                return "values differ from the reference's"
            }
            return nil
        } catch {
            let refused = expected.map { !$0.isInteger } ?? false
            return judge(
                error, expected: expected.flatMap { $0.isInteger ? "\($0.shape)" : nil }, refusedAsInteger: refused)
        }
    }

    /// What is wrong with the reader's throwing `error`, when the reference reads the file
    /// as `expected` (nil: rejects it) and `refusedAsInteger` says an integer tensor must be refused.
    private func judge(_ error: DataFileError, expected: String?, refusedAsInteger: Bool) -> String? {
        guard "\(error)".hasPrefix(path + ":") else { return "the error does not start with the path: \(error)" }
        if let expected { return "threw \(error) where the reference reads \(expected)" }
        switch error {
        case .incompatibleScalar where refusedAsInteger, .malformed where !refusedAsInteger: return nil
        default: return "threw \(error), not the error expected"
        }
    }
}

/// Bytes per element of IDX type byte `type` (0 for a byte that is not a type).
private func elementSize(_ type: UInt8) -> Int {
    [0x08: 1, 0x09: 1, 0x0B: 2, 0x0C: 4, 0x0D: 4, 0x0E: 8][type] ?? 0
}

/// The file size `bytes`' header claims, when it has a whole header of a known type whose
/// element count fits in Int.
private func claimedSize(_ bytes: [UInt8]) -> Int? {
    guard bytes.count >= 4, elementSize(bytes[2]) > 0 else { return nil }
    let header = 4 + 4 * Int(bytes[3])
    guard bytes.count >= header else { return nil }
    var size = elementSize(bytes[2])
    for axis in 0..<Int(bytes[3]) {
        let extent = bytes[(4 + 4 * axis)..<(8 + 4 * axis)].reduce(0) { $0 << 8 | Int($1) }
        let (product, overflow) = size.multipliedReportingOverflow(by: extent)
        guard !overflow else { return nil }
        size = product
    }
    return size <= 1 << 20 ? header + size : nil
}

private func bigEndian(_ x: UInt32) -> [UInt8] { [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: x >> $0) } }
