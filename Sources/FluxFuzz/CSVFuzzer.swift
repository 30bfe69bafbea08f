import Flux

#if canImport(Glibc)
    import Glibc
#endif

/// Writes mutated CSV files, reads each with `Tensor(contentsOfCSV:)` (as `Double` and as
/// `Float` by turns) and holds the outcome to ``referenceTable(_:headerLines:as:)``: the same
/// values, or a ``DataFileError`` naming the file where the reference rejects it.
struct CSVFuzzer {
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

    /// Tries inputs until `inputs` were tried or `seconds` have passed.
    mutating func run(inputs: Int = .max, seconds: Double = .infinity) {
        let start = monotonicSeconds()
        while tried < inputs, monotonicSeconds() - start < seconds { tryOne() }
    }

    private mutating func tryOne() {
        let sample = CSVSample(using: &random)
        var bytes = sample.bytes
        // A few inputs stay valid, to check that mutations are what the reader rejects.
        if Int.random(in: 0..<10, using: &random) > 0 { mutate(&bytes, using: &random) }
        let headerLines =
            Int.random(in: 0..<8, using: &random) == 0 ? Int.random(in: -1...3, using: &random) : sample.headerLines
        write(bytes)
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

    private func write(_ bytes: [UInt8]) {
        // A new file each time: on ext4, truncating one and writing it again waits for the disk.
        unlink(path)
        guard let file = fopen(path, "wb") else { fatalError("flux-fuzz: cannot write \(path)") }
        precondition(fwrite(bytes, 1, bytes.count, file) == bytes.count, "flux-fuzz: cannot write \(path)")
        fclose(file)
    }
}

/// The first 300 bytes as a Swift string literal would spell them.
private func escaped(_ bytes: [UInt8]) -> String {
    let text = String(decoding: bytes.prefix(300), as: UTF8.self).debugDescription
    return bytes.count > 300 ? "\(text)… (\(bytes.count) bytes)" : text
}

private func monotonicSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}
