import Flux
import Testing

// The public creation, shape and slicing operations on edge inputs: empty tensors, rank 0,
// extents of 1, and huge extents. Each either returns the right value or stops through
// Flux's `fail` with a message that starts with the operation's name, never with a signal
// and no message (a trap on overflow) and never by hanging.

/// Shapes at the edges: rank 0, empty, all ones, and huge extents without elements.
private let edgeShapes: [[Int]] = [
    [], [0], [1], [1, 1, 1], [0, 3], [3, 0], [2, 1, 3], [1 << 40, 0], [0, 1 << 40],
]

/// The element count of a valid shape.
private func elementCount(_ shape: [Int]) -> Int { shape.contains(0) ? 0 : shape.reduce(1, *) }

@Suite struct EdgeInputSweepTests {
    @Test func creationReturnsTheShapeAsked() {
        var rng = RandomGenerator(seed: 1)
        for s in edgeShapes {
            let n = elementCount(s)
            let made: [(String, [Int], Int)] = [
                ("zeros", Tensor<Float>(zeros: s).shape, Tensor<Float>(zeros: s).count),
                ("ones", Tensor<Double>(ones: s).shape, Tensor<Double>(ones: s).scalars.filter { $0 == 1 }.count),
                ("repeating", Tensor<Int>(shape: s, repeating: 7).shape, Tensor<Int>(shape: s, repeating: 7).count),
                ("Bool", Tensor<Bool>(shape: s, repeating: true).shape, Tensor<Bool>(shape: s, repeating: true).count),
                ("scalars", Tensor<Int32>(shape: s, scalars: Array(repeating: 3, count: n)).shape, n),
                ("body", Tensor<Float>(shape: s) { $0.initialize(repeating: 2) }.shape, n),
                ("zerosLike", Tensor<Float>(zerosLike: Tensor<Float>(ones: s)).shape, n),
                ("randomNormal", Tensor<Float>(randomNormal: s, using: &rng).shape, n),
                ("randomUniform", Tensor<Double>(randomUniform: s, using: &rng).shape, n),
                ("randomIntegers", Tensor<Int>(randomIntegers: s, in: -3..<3, using: &rng).shape, n),
            ]
            for (name, shape, count) in made {
                #expect(shape == s && count == n, "\(name) \(s)")
            }
        }
        #expect(Tensor<Float>(identity: 0).shape == [0, 0])
        #expect(Tensor<Float>(identity: 1) == Tensor<Float>([[1]]))
        #expect(Tensor<Int>(rangeFrom: 0, to: 0).shape == [0])
        #expect(Tensor<Float>(rangeFrom: 1, to: 2).scalars == [1])
        #expect(Tensor<Float>(linearSpaceFrom: 0, to: 1, count: 0).shape == [0])
        #expect(Tensor<Float>(linearSpaceFrom: 2, to: 9, count: 1).scalars == [2])
        #expect(Tensor<Float>(oneHotAtIndices: Tensor<Int>(zeros: [0]), depth: 3).shape == [0, 3])
        #expect(Tensor<Float>(oneHotAtIndices: Tensor<Int>(zeros: [0]), depth: 0).shape == [0, 0])
        #expect(Tensor<Float>(oneHotAtIndices: Tensor<Int>(2), depth: 3).scalars == [0, 0, 1])
        #expect(Tensor<Float>(shape: [], scalars: [4]).scalar == 4)
    }

    @Test func shapeOperationsOnRankZeroAndOnes() {
        let scalar = Tensor<Float>(5)
        #expect(scalar.reshaped(to: [1, 1, 1]).shape == [1, 1, 1])
        #expect(scalar.reshaped(to: [-1]).shape == [1])
        #expect(Tensor<Float>(ones: [1, 1]).reshaped(to: []).shape == [])
        #expect(scalar.flattened().shape == [1] && scalar.flattened(fromAxis: 0).shape == [1])
        #expect(scalar.expandingShape(at: 0).shape == [1] && scalar.expandingShape(at: -1).shape == [1])
        #expect(scalar.squeezingShape() == scalar && scalar.transposed() == scalar)
        #expect(scalar.broadcast(to: [0, 2]).shape == [0, 2] && scalar.broadcast(to: []) == scalar)
        #expect(scalar.padded([]) == scalar)
        #expect(Tensor(stacking: [scalar, scalar]).scalars == [5, 5])
        #expect(scalar.sum().scalar == 5 && scalar.max().scalar == 5 && scalar.argmax() == 0)
        let ones = Tensor<Float>(ones: [1, 1, 1])
        #expect(ones.squeezingShape().shape == [] && ones.squeezingShape(at: 1).shape == [1, 1])
        #expect(ones.broadcast(to: [2, 1, 3]).shape == [2, 1, 3])
        #expect(ones.transposed(permutation: [2, 0, 1]).shape == [1, 1, 1])
        #expect(ones.sum(alongAxes: 0, 1, 2).scalar == 1)
        #expect(ones.cumulativeSum(alongAxis: 2) == ones)
        #expect(ones.split(count: 1, alongAxis: 2).map(\.shape) == [[1, 1, 1]])
    }

    @Test func shapeOperationsOnEmptyTensors() {
        let e = Tensor<Float>(zeros: [0, 3])
        #expect(e.reshaped(to: [3, 0, 7]).shape == [3, 0, 7] && e.reshaped(to: [-1, 3]).shape == [0, 3])
        #expect(e.transposed().shape == [3, 0])
        #expect(e.padded([(1, 1), (0, 0)]) == Tensor<Float>(zeros: [2, 3]))
        #expect(e.split(count: 3, alongAxis: 1).map(\.shape) == [[0, 1], [0, 1], [0, 1]])
        #expect(e.split(sizes: [0, 0]).map(\.shape) == [[0, 3], [0, 3]])
        #expect(Tensor(concatenating: [e, e]).shape == [0, 3])
        #expect(Tensor(concatenating: [e, Tensor<Float>(ones: [2, 3])]) == Tensor<Float>(ones: [2, 3]))
        #expect(e.gathering(atIndices: Tensor<Int>(zeros: [0]), alongAxis: 1).shape == [0, 0])
        #expect(e.sum(alongAxes: 0) == Tensor<Float>(zeros: [3]) && e.sum().scalar == 0)
        #expect(e.cumulativeSum(alongAxis: 0).shape == [0, 3] && e.cumulativeSum(alongAxis: 1).shape == [0, 3])
        #expect(e.argmax(alongAxis: 1).shape == [0])
        #expect((e + Tensor<Float>(ones: [3])).shape == [0, 3] && (e * e).shape == [0, 3])
        #expect(Tensor<Float>(zeros: [3, 0]).cumulativeSum(alongAxis: 0).shape == [3, 0])
    }

    /// Huge extents without elements: nothing loops over the empty rows, nothing overflows.
    @Test func shapeOperationsOnHugeEmptyTensors() {
        let big = 1 << 40
        let h = Tensor<Float>(zeros: [big, 0])
        #expect(h.transposed().shape == [0, big] && h.reshaped(to: [0, big]).shape == [0, big])
        #expect(h.expandingShape(at: 1).shape == [big, 1, 0])
        #expect(h.broadcast(to: [2, big, 0]).shape == [2, big, 0])
        #expect(h.sum(alongAxes: 0).shape == [0])
        #expect(h.split(count: 2).map(\.shape) == [[big / 2, 0], [big / 2, 0]])
        #expect(Tensor(concatenating: [h, h]).shape == [2 * big, 0])
        #expect(Tensor(stacking: [h, h], alongAxis: 1).shape == [big, 2, 0])
        #expect(h.padded([(1, 1), (0, 0)]).shape == [big + 2, 0])
        #expect(h.cumulativeSum(alongAxis: 0).shape == [big, 0])
        #expect(h.gathering(atIndices: Tensor<Int>([0, -1])).shape == [2, 0])
        #expect((h + Tensor<Float>(ones: [1, 1])).shape == [big, 0] && (h * h).shape == [big, 0])
        #expect(matmul(Tensor<Float>(zeros: [big, 0, 3]), Tensor<Float>(zeros: [3, 0])).shape == [big, 0, 0])
        #expect(h.description.hasSuffix("shape [1099511627776, 0]"))
    }

    @Test func slicingWithEdgeEntries() {
        let scalar = Tensor<Float>(5)
        #expect(scalar[TensorRange.ellipsis] == scalar && scalar[TensorRange.newAxis].shape == [1])
        let v = Tensor<Int>(rangeFrom: 0, to: 4)
        #expect(
            v[2..<2].shape == [0] && v[TensorRange.range(start: 3, end: 1, stride: 1)].shape == [0]
                && v[5...].shape == [0])
        #expect(v[..<(-10)].shape == [0] && v[(-10)...] == v && v[-1].scalar == 3)
        #expect(v[TensorRange.reversed].scalars == [3, 2, 1, 0] && v[(0..<4).strided(by: 3)].scalars == [0, 3])
        let e = Tensor<Float>(zeros: [0, 3])
        #expect(e[TensorRange.all, 1].shape == [0] && e[TensorRange.reversed].shape == [0, 3])
        #expect(e[0..<0, 1..<2].shape == [0, 1])
        let ones = Tensor<Float>(ones: [1, 1, 1])
        #expect(ones[0, 0, 0].shape == [] && ones[TensorRange.ellipsis, 0].shape == [1, 1])
        #expect(ones[TensorRange.newAxis, TensorRange.ellipsis, TensorRange.newAxis].shape == [1, 1, 1, 1, 1])
        let big = 1 << 40
        let h = Tensor<Float>(zeros: [big, 0])
        #expect(h[5..<10].shape == [5, 0] && h[TensorRange.reversed].shape == [big, 0])
        #expect(h[big - 1].shape == [0] && h[TensorRange.all, 0..<0].shape == [big, 0])
        #expect(h[(0..<big).strided(by: big - 1)].shape == [2, 0])
        var written = e
        written[TensorRange.all, 1] = Tensor(7)
        #expect(written == e)
        var huge = h
        huge[TensorRange.reversed] = Tensor(7)
        #expect(huge.shape == [big, 0])
    }

    @Test func creationStopsNamingTheOperation() async {
        var r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(zeros: [-1])
        }
        #expect(stopped(r, naming: "Tensor(zeros:)"))
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(ones: [Int.max, Int.max])
        }
        #expect(stopped(r, naming: "Tensor(ones:)"))
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Bool>(shape: [Int.min], repeating: true)
        }
        #expect(stopped(r, naming: "Tensor(shape:repeating:)"))
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(shape: [], scalars: [])
        }
        #expect(stopped(r, naming: "Tensor(shape:scalars:)"))
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(shape: [1 << 62, 4], scalars: [])
        }
        #expect(stopped(r, naming: "Tensor(shape:scalars:)"))
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(identity: -1)
        }
        #expect(stopped(r, naming: "Tensor(identity:)"))
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(linearSpaceFrom: 0, to: 1, count: -1)
        }
        #expect(stopped(r, naming: "Tensor(linearSpaceFrom:to:count:)"))
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            var rng = RandomGenerator(seed: 0)
            _ = Tensor<Float>(randomNormal: [Int.max, 2], using: &rng)
        }
        #expect(stopped(r, naming: "Tensor(randomNormal:)"))
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            var rng = RandomGenerator(seed: 0)
            _ = Tensor<Double>(randomUniform: [-3], using: &rng)
        }
        #expect(stopped(r, naming: "Tensor(randomUniform:in:)"))
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            var rng = RandomGenerator(seed: 0)
            _ = Tensor<Int>(randomIntegers: [2], in: 5..<5, using: &rng)
        }
        #expect(stopped(r, naming: "Tensor(randomIntegers:in:)"))
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(oneHotAtIndices: Tensor<Int>([0]), depth: -1)
        }
        #expect(stopped(r, naming: "Tensor(oneHotAtIndices:depth:)"))
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(oneHotAtIndices: Tensor<Int>([Int.min]), depth: 2)
        }
        #expect(stopped(r, naming: "Tensor(oneHotAtIndices:depth:)"))
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(zeros: [0]).scalar
        }
        #expect(stopped(r, naming: "scalar"))
    }

    @Test func shapeOperationsStopNamingTheOperation() async {
        var r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(zeros: [0]).reshaped(to: [-1, 0])
        }
        #expect(stopped(r, naming: "reshape"))
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(5).reshaped(to: [Int.min])
        }
        #expect(stopped(r, naming: "reshape"))
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(5).flattened(fromAxis: Int.max)
        }
        #expect(stopped(r, naming: "flattened(fromAxis:)"))
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(5).expandingShape(at: Int.min)
        }
        #expect(stopped(r, naming: "expandingShape(at:)"))
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(zeros: [0]).squeezingShape(at: 0)
        }
        #expect(stopped(r, naming: "squeezingShape(at:)"))
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(5).transposed(permutation: [0])
        }
        #expect(stopped(r, naming: "transposed(permutation:)"))
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(zeros: [2]).broadcast(to: [0])
        }
        #expect(stopped(r, naming: "broadcast(to:)"))
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(zeros: [1, 0]).broadcast(to: [Int.max, 0])
        }
        #expect(stopped(r, naming: "broadcast(to:)"))
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(zeros: [0]).padded([(-1, 0)])
        }
        #expect(stopped(r, naming: "padded"))
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(zeros: [1 << 40, 0]).padded([(Int.max - 1, 0), (0, 0)])
        }
        #expect(stopped(r, naming: "padded"))
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(concatenating: [])
        }
        #expect(stopped(r, naming: "Tensor(concatenating:)"))
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(concatenating: [Tensor(1), Tensor(2)])
        }
        #expect(stopped(r, naming: "Tensor(concatenating:)"))
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(stacking: [Tensor(1), Tensor([2])])
        }
        #expect(stopped(r, naming: "Tensor(stacking:)"))
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(zeros: [0]).split(sizes: [Int.max, Int.max, 2])
        }
        #expect(stopped(r, naming: "split"))
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(zeros: [0]).split(count: Int.min)
        }
        #expect(stopped(r, naming: "split"))
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(zeros: [3]).gathering(atIndices: Tensor<Int>([Int.min]))
        }
        #expect(stopped(r, naming: "gathering(atIndices:)"))
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(zeros: [0, 3]).max(alongAxes: 0)
        }
        #expect(stopped(r, naming: "max"))
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(zeros: [1 << 40, 0]).argmax(alongAxis: 1)
        }
        #expect(stopped(r, naming: "argmax"))
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(zeros: [1 << 30, 0, 1 << 30]).sum(alongAxes: 1)
        }
        #expect(stopped(r, naming: "sum"))
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(5).cumulativeSum(alongAxis: 0)
        }
        #expect(stopped(r, naming: "cumulativeSum"))
    }

    @Test func slicingStopsNamingTheOperation() async {
        var r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(5)[0]
        }
        #expect(stopped(r, naming: "subscript"))
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(zeros: [0])[Int.max]
        }
        #expect(stopped(r, naming: "subscript"))
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(zeros: [1 << 40, 0])[Int.min]
        }
        #expect(stopped(r, naming: "subscript"))
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(zeros: [2])[TensorRange.ellipsis, TensorRange.ellipsis]
        }
        #expect(stopped(r, naming: "subscript"))
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(zeros: [2])[(0..<2).strided(by: 0)]
        }
        #expect(stopped(r, naming: "subscript"))
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(ones: [1, 1])[scalarAt: 0, Int.min]
        }
        #expect(stopped(r, naming: "subscript"))
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(5)[scalarAt: 0]
        }
        #expect(stopped(r, naming: "subscript"))
    }
}
