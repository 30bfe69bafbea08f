import Synchronization
import Testing

@testable import Flux

/// `count` examples whose input row `i` is `[i, 10 i]` and whose label is `i`: a batch's
/// labels say which examples it holds, and its inputs must agree.
private func numbered(_ count: Int) -> Dataset<Float, Int> {
    Dataset(
        inputs: Tensor(shape: [count, 2], scalars: (0..<count).flatMap { [Float($0), Float(10 * $0)] }),
        labels: Tensor(Array(0..<count)))
}

/// The labels of each batch, after checking that each input row belongs with its label.
private func labelsOfBatches(_ batches: Batches<Float, Int>) -> [[Int]] {
    batches.map { inputs, labels in
        #expect(inputs.shape == [labels.count, 2])
        #expect(inputs.scalars == labels.scalars.flatMap { [Float($0), Float(10 * $0)] })
        return labels.scalars
    }
}

// Serialized: one test counts the background threads running in the process.
@Suite(.serialized) struct DatasetTests {
    @Test(arguments: [1, 7, 10, 64]) func keepLastSeesEveryExampleOncePerEpoch(size: Int) {
        let data = numbered(50)
        for epoch in 0..<3 {
            let batches = data.batches(size: size, shuffledBy: 9, epoch: epoch)
            let seen = labelsOfBatches(batches)
            #expect(seen.count == batches.count && seen.count == (50 + size - 1) / size)
            #expect(seen.dropLast().allSatisfy { $0.count == size })
            #expect(seen.flatMap { $0 }.sorted() == Array(0..<50))
        }
    }

    @Test func dropLastGivesFullBatchesOnly() {
        let data = numbered(50)
        let batches = data.batches(size: 7, shuffledBy: 3, epoch: 1, remainder: .dropLast)
        let seen = labelsOfBatches(batches)
        #expect(batches.count == 7 && seen.count == 7)
        #expect(seen.allSatisfy { $0.count == 7 })
        #expect(Set(seen.flatMap { $0 }).count == 49)
        #expect(data.batches(size: 64, shuffledBy: 3, remainder: .dropLast).map { $0 }.isEmpty)
    }

    @Test func eachEpochHasItsOwnOrderAndReplaysFromSeedAndEpoch() {
        let data = numbered(40)
        let orders = (0..<4).map { labelsOfBatches(data.batches(size: 8, shuffledBy: 5, epoch: $0)) }
        #expect(Set(orders.map { $0.flatMap { $0 } }).count == 4)
        // Epoch 3 alone, from a fresh call, is epoch 3 of the run.
        #expect(labelsOfBatches(data.batches(size: 8, shuffledBy: 5, epoch: 3)) == orders[3])
        #expect(labelsOfBatches(data.batches(size: 8, shuffledBy: 6, epoch: 3)) != orders[3])
        // Iterating the same batches twice gives the same batches.
        let batches = data.batches(size: 8, shuffledBy: 5, epoch: 2)
        #expect(labelsOfBatches(batches) == labelsOfBatches(batches))
        // Unshuffled batches keep the dataset's order.
        #expect(labelsOfBatches(data.batches(size: 16, shuffledBy: nil)).flatMap { $0 } == Array(0..<40))
    }

    @Test func aGeneratorShuffleAdvancesTheGenerator() {
        let data = numbered(30)
        var rng = RandomGenerator(seed: 2)
        let first = labelsOfBatches(data.batches(size: 4, shuffledUsing: &rng))
        let second = labelsOfBatches(data.batches(size: 4, shuffledUsing: &rng))
        #expect(first != second)
        #expect(first.flatMap { $0 }.sorted() == Array(0..<30))
        var replay = RandomGenerator(seed: 2)
        #expect(labelsOfBatches(data.batches(size: 4, shuffledUsing: &replay)) == first)
    }

    @Test func splitsAreDisjointCoveringAndReproducible() {
        let data = numbered(101)
        let parts = data.split(fractions: [0.8, 0.1, 0.1], shuffledBy: 11)
        #expect(parts.map(\.count) == [81, 10, 10])
        let labels = parts.map(\.labels.scalars)
        #expect(labels.flatMap { $0 }.sorted() == Array(0..<101))
        #expect(labels[0] != Array(0..<81))  // shuffled
        for part in parts {
            #expect(part.inputs.scalars == part.labels.scalars.flatMap { [Float($0), Float(10 * $0)] })
        }
        #expect(data.split(fractions: [0.8, 0.1, 0.1], shuffledBy: 11).map(\.labels) == parts.map(\.labels))
        #expect(data.split(fractions: [0.8, 0.1, 0.1], shuffledBy: 12).map(\.labels) != parts.map(\.labels))
        let counted = data.split(counts: [1, 0, 100], shuffledBy: nil)
        #expect(counted.map(\.labels.scalars) == [[0], [], Array(1..<101)])
        #expect(counted[1].inputs.shape == [0, 2])
    }

    @Test func subscriptGathersRowsInOrder() {
        let data = Dataset(
            inputs: Tensor<Double>(shape: [4, 2, 2], scalars: (0..<16).map(Double.init)),
            labels: Tensor<Float>([[0, 1], [1, 0], [2, 2], [3, 3]]))
        let picked = data[[3, 0, 3]]
        #expect(picked.inputs == Tensor(shape: [3, 2, 2], scalars: [12, 13, 14, 15, 0, 1, 2, 3, 12, 13, 14, 15]))
        #expect(picked.labels == Tensor([[3, 3], [0, 1], [3, 3]]))
        #expect(data[1..<3].labels == Tensor([[1, 0], [2, 2]]))
        #expect(data.count == 4)
    }

    @Test(arguments: [1, 2, 5]) func prefetchingGivesTheSameBatches(depth: Int) {
        let data = numbered(97)
        let plain = data.batches(size: 8, shuffledBy: 4, epoch: 7)
        let prefetched = plain.prefetching(depth)
        let a = plain.map { $0 }, b = prefetched.map { $0 }
        #expect(a.count == b.count && a.count == 13)
        #expect(zip(a, b).allSatisfy { $0.inputs == $1.inputs && $0.labels == $1.labels })
        #expect(labelsOfBatches(prefetched) == labelsOfBatches(plain))
        #expect(runningBatchProducers.load(ordering: .acquiring) == 0)
    }

    /// Leaving the loop early, or never taking a batch, stops the thread: the producer is
    /// blocked on a full queue and must be woken, not waited for.
    @Test(.timeLimit(.minutes(1))) func stoppingEarlyEndsTheThread() {
        let data = numbered(1000)
        for depth in [1, 3] {
            var taken = 0
            for (_, labels) in data.batches(size: 10, shuffledBy: 1).prefetching(depth) {
                taken += labels.count
                if taken >= 20 { break }
            }
            #expect(taken == 20)
            #expect(runningBatchProducers.load(ordering: .acquiring) == 0)
            var iterator = data.batches(size: 10, shuffledBy: 1).prefetching(depth).makeIterator()
            _ = iterator.next()
            iterator = data.batches(size: 10, shuffledBy: nil).makeIterator()  // drops the first
            #expect(iterator.next()?.labels.scalars == Array(0..<10))
            #expect(runningBatchProducers.load(ordering: .acquiring) == 0)
        }
        // A prefetching sequence that is never iterated starts no thread.
        _ = data.batches(size: 10, shuffledBy: 1).prefetching(2)
        #expect(runningBatchProducers.load(ordering: .acquiring) == 0)
    }

    @Test func standardizationStatisticsAndConstantFeatures() {
        let x = Tensor<Float>([[1, 5, 0], [3, 5, 0], [5, 5, 0], [7, 5, 0]])
        let scale = Standardization(fittedTo: x)
        #expect(scale.mean == Tensor([4, 5, 0]))
        #expect(scale.standardDeviation == Tensor([Float(5).squareRoot(), 1, 1]))  // population deviation
        let standardized = scale(x)
        #expect(standardized.mean(alongAxes: 0).scalars.allSatisfy { abs($0) < 1e-6 })
        #expect(abs(standardized.variance(alongAxes: [0]).scalars[0] - 1) < 1e-6)
        #expect(standardized.scalars.allSatisfy { $0.isFinite })
        #expect(standardized[0..., 1].scalars == [0, 0, 0, 0])
        // Other splits use the training statistics.
        let other = scale(Tensor<Float>([[4, 6, 2]]))
        #expect(other == Tensor([[0, 1, 2]]))
        #expect(scale.restoringScale(standardized).scalars.elementsEqual(x.scalars) { abs($0 - $1) < 1e-5 })
        // A constant feature that is not exactly representable still counts as constant.
        let tenths = Standardization(fittedTo: Tensor<Float>(shape: [3, 1], repeating: 0.1))
        #expect(tenths.standardDeviation == Tensor([1]))
        // Features of images: statistics have one example's shape.
        let images = Tensor<Double>(shape: [2, 2, 2, 1], scalars: [0, 1, 2, 3, 4, 5, 6, 7])
        let imageScale = Standardization(fittedTo: images)
        #expect(imageScale.mean == Tensor(shape: [2, 2, 1], scalars: [2, 3, 4, 5]))
        #expect(imageScale.standardDeviation == Tensor(shape: [2, 2, 1], repeating: 2))
        let data = Dataset(inputs: images, labels: Tensor<Int>([0, 1])).standardized(by: imageScale)
        #expect(data.inputs.scalars == [-1, -1, -1, -1, 1, 1, 1, 1])
    }

    @Test func oneHotLabels() {
        let data = Dataset(inputs: Tensor<Float>(zeros: [3, 2]), labels: Tensor<Int>([2, 0, 1]))
        let encoded = data.oneHotLabels(classes: 3, as: Float.self)
        #expect(encoded.labels == Tensor([[0, 0, 1], [1, 0, 0], [0, 1, 0]]))
    }

    @Test func mismatchedShapesStopNamingThem() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Dataset(inputs: Tensor<Float>(zeros: [10, 4]), labels: Tensor<Int>(zeros: [9]))
        }
        #expect(
            r.standardError.contains(
                "Dataset(inputs:labels:): inputs of shape [10, 4] and labels of shape [9] do not have the same "
                    + "first extent"),
            "\(r.standardError)")
        let split = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Dataset(inputs: Tensor<Float>(zeros: [10, 4]), labels: Tensor<Int>(zeros: [10]))
                .split(counts: [5, 4], shuffledBy: 0)
        }
        #expect(split.standardError.contains("the counts [5, 4] do not add up to the 10 examples"))
        let index = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Dataset(inputs: Tensor<Float>(zeros: [10, 4]), labels: Tensor<Int>(zeros: [10]))[[3, 10]]
        }
        #expect(index.standardError.contains("Dataset subscript: index 10 is outside 0..<10"))
    }
}
