import Flux
import Foundation
import Testing

@testable import FluxFuzz

/// The CSV reader's numbers are exactly `Double(String)`'s and `Float(String)`'s, whether
/// its fast path or `String` parsing reads them.
@Suite struct PlainDecimalTests {
    private func read<Scalar: TensorFloatingPoint>(_ texts: [String], as: Scalar.Type) throws -> [Scalar] {
        let rows = stride(from: 0, to: texts.count, by: 10).map { texts[$0..<min($0 + 10, texts.count)] }
        let lines = rows.map { $0.joined(separator: ",") + String(repeating: ",0", count: 10 - $0.count) }
        let table = try withTemporaryFile(lines.joined(separator: "\n").utf8) { try Tensor<Scalar>(contentsOfCSV: $0) }
        return Array(table.scalars.prefix(texts.count))
    }

    @Test func randomNumbersReadAsStringParsingReadsThem() throws {
        var random = RandomGenerator(seed: 12)
        let texts = (0..<20_000).map { _ in numberText(using: &random) }
        let doubles = try read(texts, as: Double.self)
        let floats = try read(texts, as: Float.self)
        for (index, text) in texts.enumerated() {
            let (double, float) = (Double(text)!, Float(text)!)
            // Bit patterns, so that -0.0 must stay -0.0.
            #expect(doubles[index].bitPattern == double.bitPattern || (double.isNaN && doubles[index].isNaN), "\(text)")
            #expect(floats[index].bitPattern == float.bitPattern || (float.isNaN && floats[index].isNaN), "\(text)")
        }
    }

    /// Decimals next to a point halfway between two `Float`s: rounding them to `Double` first
    /// can land on the halfway point, and rounding that again to `Float` then goes to the
    /// even neighbour instead of the nearer one.
    @Test func floatsAreRoundedOnceNextToHalfwayPoints() throws {
        var random = RandomGenerator(seed: 13)
        let texts = (0..<2_000).map { _ in
            let below = Float.random(in: 1e-3..<1e3, using: &random)
            return String(format: "%.15e", (Double(below) + Double(below.nextUp)) / 2)
        }
        #expect(texts.contains { Float(Double($0)!) != Float($0)! }, "no decimal that rounds wrongly twice")
        #expect(try read(texts, as: Float.self) == texts.map { Float($0)! })
    }
}
