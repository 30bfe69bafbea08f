// The handwritten digits that the tutorials learn from (Tutorials/Data/digits.csv).
import Flux
import Foundation

/// Images of handwritten digits: 8×8 pixels flattened to 64 values in [0, 1], and labels 0–9.
public struct Digits {
    /// `[count, 64]`.
    public var images: Tensor<Float>
    /// `[count]`, each in 0...9.
    public var labels: Tensor<Int>

    /// How many images.
    public var count: Int { labels.count }

    /// The data set, keeping only `digits` when given, shuffled with `seed` and split into
    /// a training and a test part.
    ///
    /// - Throws: ``DataFileError`` when the file is missing or malformed.
    public static func load(digits: Set<Int>? = nil, seed: UInt64, testFraction: Double = 0.25) throws
        -> (train: Digits, test: Digits)
    {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../Data/digits.csv").standardized.path
        let table = try Tensor<Float>(contentsOfCSV: path)  // [1797, 65]: 64 pixels, then the digit
        let columns = table.shape[1]
        let values = table.scalars
        var rows: [(pixels: ArraySlice<Float>, label: Int)] = []
        for r in 0..<table.shape[0] {
            let row = values[(r * columns)..<((r + 1) * columns)]
            let label = Int(row.last!)
            if digits?.contains(label) ?? true { rows.append((row.dropLast(), label)) }
        }
        var rng = RandomGenerator(seed: seed)
        rows.shuffle(using: &rng)
        let testCount = Int(Double(rows.count) * testFraction)
        func part(_ slice: ArraySlice<(pixels: ArraySlice<Float>, label: Int)>) -> Digits {
            Digits(
                images: Tensor(
                    shape: [slice.count, columns - 1], scalars: slice.flatMap { $0.pixels.map { $0 / 16 } }),
                labels: Tensor(slice.map(\.label)))
        }
        return (part(rows[testCount...]), part(rows[..<testCount]))
    }
}

/// The fraction of rows whose largest logit is at the label.
public func accuracy(logits: Tensor<Float>, labels: Tensor<Int>) -> Float {
    Tensor<Float>(logits.argmax(alongAxis: 1) .== labels).mean().scalar
}
