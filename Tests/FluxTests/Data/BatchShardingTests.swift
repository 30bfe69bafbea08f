import FluxTesting
import Testing

@testable import Flux

/// `count` examples whose label is their index and whose input row is `[i, -i]`.
private func numbered(_ count: Int) -> Dataset<Float, Int> {
    Dataset(
        inputs: Tensor(shape: [count, 2], scalars: (0..<count).flatMap { [Float($0), -Float($0)] }),
        labels: Tensor(Array(0..<count)))
}

@Suite struct BatchShardingTests {
    /// On random datasets, batch sizes and process counts, the parts of each batch are equal,
    /// contiguous in process order, disjoint, and together the batch less its last
    /// `size % parts` examples; a last batch smaller than the number of parts is left out.
    @Test func partsTileEachBatch() {
        var gen = PropertyGenerator(seed: 921)
        for _ in 0..<40 {
            let count = Int.random(in: 0...60, using: &gen.random)
            let parts = Int.random(in: 1...5, using: &gen.random)
            let size = Int.random(in: parts...20, using: &gen.random)
            let remainder: BatchRemainder = Bool.random(using: &gen.random) ? .keepLast : .dropLast
            let epoch = Int.random(in: 0...3, using: &gen.random)
            let data = numbered(count)
            let whole = Array(data.batches(size: size, shuffledBy: 4, epoch: epoch, remainder: remainder))
            let shards = (0..<parts).map {
                Array(
                    data.batches(size: size, shuffledBy: 4, epoch: epoch, remainder: remainder).sharded($0, of: parts))
            }
            let kept = whole.filter { $0.labels.count >= parts }
            for part in shards { #expect(part.count == kept.count) }
            for (b, batch) in kept.enumerated() {
                let each = batch.labels.count / parts
                let pieces = shards.map { $0[b] }
                #expect(pieces.allSatisfy { $0.labels.count == each && $0.inputs.shape == [each, 2] })
                #expect(pieces.flatMap(\.labels.scalars) == Array(batch.labels.scalars.prefix(each * parts)))
                #expect(
                    pieces.allSatisfy { $0.inputs.scalars == $0.labels.scalars.flatMap { [Float($0), -Float($0)] } })
            }
        }
    }

    /// Sharded batches prefetch the same parts.
    @Test func prefetchedPartsAreTheSame() {
        let batches = numbered(50).batches(size: 8, shuffledBy: 2, epoch: 1).sharded(1, of: 3)
        #expect(batches.map(\.labels) == batches.prefetching(2).map(\.labels))
        #expect(batches.shard?.index == 1 && batches.shard?.count == 3)
    }

    @Test func badPartsStopNamingThem() async {
        let outside = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = numbered(10).batches(size: 4, shuffledBy: nil).sharded(3, of: 3)
        }
        #expect(outside.standardError.contains("Batches.sharded(_:of:): part 3 of 3 (it must be in 0..<3)"))
        let tooMany = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = numbered(10).batches(size: 4, shuffledBy: nil).sharded(0, of: 5)
        }
        #expect(tooMany.standardError.contains("5 parts of batches of 4 examples leave some parts empty"))
        let twice = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = numbered(10).batches(size: 4, shuffledBy: nil).sharded(0, of: 2).sharded(0, of: 2)
        }
        #expect(twice.standardError.contains("the batches are already sharded"))
    }
}
