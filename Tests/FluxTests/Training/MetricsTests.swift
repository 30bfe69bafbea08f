import Flux
import FluxTesting
import Testing

@Suite struct MetricsTests {
    // Rows: argmax 1, 0, 2 and 0 (a tie goes to the earlier class); the labels 1, 0, 1, 0.
    let logits = Tensor<Float>([[1, 2, 0], [3, 0, 1], [0, 0, 5], [1, 1, 0]])
    let labels = Tensor<Int>([1, 0, 1, 0])

    @Test func accuracyOnHandComputedCases() {
        #expect(accuracy(logits: logits, labels: labels) == 0.75)
        // Second choices: row 2 is [2, 0] (the tie of 0 and 1 keeps class 0), so it still misses.
        #expect(topKAccuracy(logits: logits, labels: labels, k: 1) == 0.75)
        #expect(topKAccuracy(logits: logits, labels: labels, k: 2) == 0.75)
        #expect(topKAccuracy(logits: logits, labels: labels, k: 3) == 1)
        #expect(accuracy(logits: Tensor<Double>([[0, 1]]), labels: Tensor<Int>([0])) == 0)
        #expect(accuracy(logits: Tensor<Float>(zeros: [0, 3]), labels: Tensor<Int>(zeros: [0])).isNaN)
        #expect(topKAccuracy(logits: Tensor<Float>(zeros: [0, 3]), labels: Tensor<Int>(zeros: [0]), k: 2).isNaN)
    }

    @Test func confusionMatrixOnAHandComputedCase() {
        let m = ConfusionMatrix(
            predictions: Tensor([0, 1, 1, 2, 2, 2, 0]), labels: Tensor([0, 1, 2, 2, 2, 0, 0]), classes: 3)
        #expect(m.counts == Tensor<Int>([[2, 0, 1], [0, 1, 0], [0, 1, 2]]))
        #expect(m[2, 1] == 1 && m[0, 2] == 1 && m.total == 7)
        #expect(m.accuracy == 5.0 / 7)
        #expect(m.precision == [1, 0.5, 2.0 / 3])
        #expect(m.recall == [2.0 / 3, 1, 2.0 / 3])
        #expect(m.f1 == [0.8, 2.0 / 3, 2.0 / 3])
        let table = """
            true \\ predicted  0  1  2
                           0  2  .  1
                           1  .  1  .
                           2  .  1  2
            """
        #expect(m.description == table)
        #expect("\(m)" == table)
    }

    /// Scores with nothing to count are NaN; a class counted but never right has F1 0.
    @Test func emptyClassesGiveNaNScores() {
        let m = ConfusionMatrix(predictions: Tensor([0, 0]), labels: Tensor([0, 1]), classes: 3)
        #expect(m.precision[0] == 0.5 && m.precision[1].isNaN && m.precision[2].isNaN)
        #expect(m.recall[0] == 1 && m.recall[1] == 0 && m.recall[2].isNaN)
        #expect(m.f1[0] == 2.0 / 3 && m.f1[1] == 0 && m.f1[2].isNaN)
        let empty = ConfusionMatrix(classes: 2)
        #expect(empty.total == 0 && empty.accuracy.isNaN && empty.counts == Tensor<Int>(zeros: [2, 2]))
        #expect(
            ConfusionMatrix(logits: Tensor<Float>(zeros: [0, 4]), labels: Tensor<Int>(zeros: [0]))
                == ConfusionMatrix(classes: 4))
    }

    /// Wide counts widen every column; more than ten classes widen the header too.
    @Test func tableAlignsWideCounts() {
        var m = ConfusionMatrix(classes: 12)
        m.add(predictions: Tensor([Int](repeating: 11, count: 1234)), labels: Tensor([Int](repeating: 0, count: 1234)))
        let lines = m.description.split(separator: "\n")
        #expect(lines.count == 13 && Set(lines.map(\.count)).count == 1)
        #expect(lines[1].hasSuffix("  1234") && lines[1].contains("     .") && lines[12].hasSuffix("     ."))
        #expect(lines[0].hasSuffix("    10    11"))
    }

    /// Seeded random logits with many ties (small whole numbers) against plain loops.
    @Test(arguments: 0..<8)
    func randomCasesAgreeWithPlainLoops(seed: Int) {
        var gen = PropertyGenerator(seed: UInt64(1200 + seed))
        let batch = Int.random(in: 1...40, using: &gen.random)
        let classes = Int.random(in: 1...7, using: &gen.random)
        let scalars = (0..<batch * classes).map { _ in Double(Int.random(in: -2...2, using: &gen.random)) }
        let z = Tensor<Double>(shape: [batch, classes], scalars: scalars)
        let y = Tensor<Int>(randomIntegers: [batch], in: 0..<classes, using: &gen.random)
        let truth = y.scalars
        func row(_ i: Int) -> ArraySlice<Double> { scalars[i * classes..<(i + 1) * classes] }
        // The rank of the label among its row: how many classes come before it (larger, or
        // equal and earlier).
        let ranks = (0..<batch).map { i in
            let r = row(i)
            let v = r[r.startIndex + truth[i]]
            return r.indices.count { j in r[j] > v || (r[j] == v && j - r.startIndex < truth[i]) }
        }
        #expect(accuracy(logits: z, labels: y) == Double(ranks.count { $0 == 0 }) / Double(batch))
        for k in 1...classes {
            #expect(topKAccuracy(logits: z, labels: y, k: k) == Double(ranks.count { $0 < k }) / Double(batch))
        }

        let predicted = (0..<batch).map { i in
            let r = row(i)
            return r.indices.first { r[$0] == r.max()! }! - r.startIndex
        }
        var counts = [[Int]](repeating: [Int](repeating: 0, count: classes), count: classes)
        for (p, t) in zip(predicted, truth) { counts[t][p] += 1 }
        let m = ConfusionMatrix(logits: z, labels: y)
        #expect(m == ConfusionMatrix(predictions: Tensor(predicted), labels: y, classes: classes))
        #expect(m.counts.scalars == counts.flatMap { $0 })
        for c in 0..<classes {
            let tp = Double(counts[c][c])
            let column = Double(counts.map { $0[c] }.reduce(0, +))
            let row = Double(counts[c].reduce(0, +))
            #expect(sameNumbers([m.precision[c]], [tp / column]))
            #expect(sameNumbers([m.recall[c]], [tp / row]))
            let f1 =
                tp == 0
                ? (row + column == 0 ? Double.nan : 0) : 2 * (tp / column) * (tp / row) / (tp / column + tp / row)
            #expect(sameNumbers([m.f1[c]], [f1]) || abs(m.f1[c] - f1) < 1e-12, "class \(c)")
        }
        #expect(m.accuracy == accuracy(logits: z, labels: y))

        // Two batches added one after the other count as one.
        let half = batch / 2
        var split = ConfusionMatrix(classes: classes)
        split.add(predictions: Tensor(Array(predicted[..<half])), labels: Tensor(Array(truth[..<half])))
        split.add(predictions: Tensor(Array(predicted[half...])), labels: Tensor(Array(truth[half...])))
        #expect(split == m)
    }

    @Test func mismatchedInputsStopWithAMessage() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = accuracy(logits: Tensor<Float>(zeros: [2, 3]), labels: Tensor<Int>(zeros: [3]))
        }
        #expect(
            r.standardError.contains("accuracy: logits [2, 3] and labels [3]: expected [batch, classes] and [batch]"))
        let s = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = topKAccuracy(logits: Tensor<Float>(zeros: [2, 3]), labels: Tensor<Int>([0, 3]), k: 1)
        }
        #expect(s.standardError.contains("topKAccuracy: label 3 at example 1 is outside 0..<3"))
        let t = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = topKAccuracy(logits: Tensor<Float>(zeros: [2, 3]), labels: Tensor<Int>([0, 1]), k: 4)
        }
        #expect(t.standardError.contains("topKAccuracy: k = 4 for logits [2, 3] (k must be in 1...3)"))
        let u = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = ConfusionMatrix(predictions: Tensor<Int>([0, 2]), labels: Tensor<Int>([0, 1]), classes: 2)
        }
        #expect(u.standardError.contains("ConfusionMatrix: prediction 2 at example 1 is outside 0..<2"))
        let v = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = ConfusionMatrix(logits: Tensor<Float>(zeros: [4]), labels: Tensor<Int>(zeros: [4]))
        }
        #expect(
            v.standardError.contains(
                "ConfusionMatrix: logits [4] and labels [4]: expected [batch, classes] and [batch]"))
        let w = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = ConfusionMatrix(predictions: Tensor<Int>([0, 1]), labels: Tensor<Int>([0]), classes: 2)
        }
        #expect(
            w.standardError.contains("ConfusionMatrix: predictions [2] and labels [1]: expected [batch] and [batch]"))
        let x = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = ConfusionMatrix(classes: 0)
        }
        #expect(x.standardError.contains("ConfusionMatrix: 0 classes (at least 1 is needed)"))
        let y = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = ConfusionMatrix(classes: 2)[0, 2]
        }
        #expect(y.standardError.contains("ConfusionMatrix: [0, 2] is outside a 2×2 matrix"))
    }
}
