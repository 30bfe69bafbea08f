import Flux

/// Writes mutated CSV files, reads each with `Tensor(contentsOfCSV:)` (as `Double` and as
/// `Float` by turns) and holds the outcome to ``referenceTable(_:headerLines:as:)``: the same
/// values, or a ``DataFileError`` naming the file where the reference rejects it.
struct CSVFuzzer: FileFuzzer {
    /// Where each input is written before it is read: after a trap, the input that caused it.
    let path: String
    private var random: RandomGenerator
    /// Inputs tried so far.
    private(set) var tried = 0
    /// How many of them the reader read (the rest it rejected, as it should).
    private(set) var accepted = 0
    /// What went wrong, one line per failing input.
    private(set) var failures: [String] = []

    init(seed: UInt64, path: String) {
        random = RandomGenerator(seed: seed)
        self.path = path
    }

    mutating func tryOne() {
        let sample = CSVSample(using: &random)
        var bytes = sample.bytes
        // A few inputs stay valid, to check that mutations are what the reader rejects.
        if Int.random(in: 0..<10, using: &random) > 0 { mutate(&bytes, using: &random) }
        let headerLines =
            Int.random(in: 0..<8, using: &random) == 0 ? Int.random(in: -1...3, using: &random) : sample.headerLines
        writeFuzzInput(bytes, to: path)
        let problem = tried % 2 == 0 ? check(Double.self, bytes, headerLines) : check(Float.self, bytes, headerLines)
        if let problem {
            failures.append("input \(tried) (headerLines \(headerLines)): \(problem); bytes: \(escaped(bytes))")
        }
        tried += 1
    }

    /// What is wrong with reading `bytes` as `Scalar`, or nil.
    private mutating func check<Scalar: TensorFloatingPoint & LosslessStringConvertible>(
        _: Scalar.Type, _ bytes: [UInt8], _ headerLines: Int
    ) -> String? {
        let expected = referenceTable(bytes, headerLines: headerLines, as: Scalar.self)
        do {
            let table = try Tensor<Scalar>(contentsOfCSV: path, headerLines: headerLines)
            accepted += 1
            guard let expected else { return "read \(table.shape) where the reference rejects the file" }
            guard table.shape == expected.shape else { return "shape \(table.shape), expected \(expected.shape)" }
            for (index, (value, reference)) in zip(table.scalars, expected.values).enumerated()
            where value != reference && !(value.isNaN && reference.isNaN) {
                return "value \(index) is \(value), expected \(reference)"
            }
            return nil
        } catch let error as DataFileError {
            guard "\(error)".hasPrefix(path + ":") else { return "the error does not start with the path: \(error)" }
            return expected.map { "threw \(error) where the reference reads \($0.shape)" }
        } catch {
            return "threw \(type(of: error)), not a DataFileError: \(error)"
        }
    }
}
