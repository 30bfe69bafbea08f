import Flux
import Testing

/// Shapes whose size overflows `Int`, or that no machine can allocate, stop with a message
/// naming the operation and the shape; shapes near the limits that do fit work.
@Suite struct ShapeSizeTests {
    @Test func elementCountOverflowStops() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(zeros: [Int.max, 2])
        }
        #expect(
            r.standardError.contains(
                "Tensor(zeros:): shape [9223372036854775807, 2] is too large: 9223372036854775807 × 2 × 4 bytes overflows Int"
            ))
        let s = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Int>(shape: [1 << 32, 1 << 32], repeating: 0)
        }
        #expect(s.standardError.contains("Tensor(shape:repeating:): shape [4294967296, 4294967296] is too large"))
    }

    @Test func byteCountOverflowStops() async {
        // 2^62 elements fit in Int; 2^62 Floats of 4 bytes do not.
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(ones: [1 << 62])
        }
        #expect(r.standardError.contains("Tensor(ones:): shape [4611686018427387904] is too large"))
        let s = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Double>(shape: [1 << 61]) { _ in }
        }
        #expect(s.standardError.contains("Tensor(shape:): shape [2305843009213693952] is too large"))
    }

    /// A size that fits in `Int` but not in any machine's memory (2^50 bytes).
    @Test func failedAllocationStops() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(zeros: [1 << 48])
        }
        #expect(
            r.standardError.contains(
                "Tensor(zeros:): cannot allocate 1125899906842624 bytes for a Tensor<Float> of shape [281474976710656]")
        )
        let s = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = matmul(Tensor<Float>(zeros: [1 << 24, 0]), Tensor<Float>(zeros: [0, 1 << 24]))
        }
        #expect(s.standardError.contains("matmul: cannot allocate 1125899906842624 bytes for a Tensor<Float> of shape"))
    }

    /// BLAS takes Int32 dimensions. The operand (8 GB of address space) is never written or
    /// read, so the child process maps it without using the memory.
    @Test func productsBeyondBLASDimensionsStop() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let a = Tensor<Float>(shape: [1, 1 << 31]) { _ in }
            _ = matmul(a, a, transposeB: true)
        }
        #expect(
            r.standardError.contains(
                "matmul: a product of [1, 2147483648] × [2147483648, 1] has a dimension above 2147483647, the most BLAS takes"
            ))
    }

    /// Without elements a tensor may have large extents, as long as their nonzero product
    /// fits (NumPy's rule): then every stride does too.
    @Test func emptyTensorsWithLargeExtents() async {
        let x = Tensor<Float>(zeros: [1 << 40, 0, 1 << 20])
        #expect(x.count == 0 && x.shape == [1 << 40, 0, 1 << 20])
        #expect(x.transposed().shape == [1 << 20, 0, 1 << 40])
        #expect(x[5..., TensorRange.all, ..<3].shape == [(1 << 40) - 5, 0, 3])
        #expect(x.reshaped(to: [1 << 20, 0]).shape == [1 << 20, 0])
        #expect(x.sum(alongAxes: 0).shape == [0, 1 << 20])
        #expect(x.cumulativeSum(alongAxis: 0).shape == x.shape)
        #expect(x.argmax(alongAxis: 2).shape == [1 << 40, 0])
        #expect(x.gathering(atIndices: Tensor<Int>([0, 0]), alongAxis: 2).shape == [1 << 40, 0, 2])
        #expect(Tensor(concatenating: [x, x], alongAxis: 1).shape == x.shape)
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(zeros: [Int.max, 0])
        }
        #expect(r.standardError.contains("Tensor(zeros:): shape [9223372036854775807, 0] is too large"))
    }

    @Test func shapeMakingOperationsNameThemselves() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(identity: 1 << 32)
        }
        #expect(r.standardError.contains("Tensor(identity:): shape [4294967296, 4294967296] is too large"))
        let s = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(oneHotAtIndices: Tensor<Int>([0, 1]), depth: Int.max)
        }
        #expect(s.standardError.contains("Tensor(oneHotAtIndices:depth:): shape [2, 9223372036854775807] is too large"))
        let t = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(1).broadcast(to: [Int.max, 2])
        }
        #expect(t.standardError.contains("broadcast(to:): shape [9223372036854775807, 2] is too large"))
        // Two tensors without elements whose broadcast shape is too large.
        let u = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(zeros: [1 << 40, 1, 0]) + Tensor<Float>(zeros: [1, 1 << 40, 0])
        }
        #expect(u.standardError.contains("add: shape [1099511627776, 1099511627776, 0] is too large"))
        let v = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(concatenating: Array(repeating: Tensor<Float>(zeros: [1 << 60, 0]), count: 8))
        }
        #expect(v.standardError.contains("Tensor(concatenating:): the extents"))
        #expect(v.standardError.contains("along axis 0 add up to more than Int.max"))
        // The joined extent fits in Int; the joined shape's size does not.
        let v2 = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let piece = Tensor<Float>(zeros: [0, 1 << 59, 2])
            _ = Tensor<Float>(concatenating: Array(repeating: piece, count: 8), alongAxis: 1)
        }
        #expect(v2.standardError.contains("Tensor(concatenating:): shape [0, 4611686018427387904, 2] is too large"))
        let w = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>([1, 2]).padded([(Int.max, 1)])
        }
        #expect(
            w.standardError.contains("padded: widths [[9223372036854775807, 1]] around shape [2] give extents beyond"))
        let x = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>([1, 2]).split(sizes: [Int.max, 3])
        }
        #expect(x.standardError.contains("split: sizes [9223372036854775807, 3] do not add up to extent 2"))
    }

    @Test func reshapeToHugeExtentsStops() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(zeros: [0]).reshaped(to: [Int.max, 2, 0])
        }
        #expect(
            r.standardError.contains(
                "reshape: cannot reshape [0] (0 elements) to [9223372036854775807, 2, 0] (too many elements for Int)"))
        let s = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(zeros: [6]).reshaped(to: [-1, Int.max, 2])
        }
        #expect(s.standardError.contains("reshape: cannot reshape [6] (6 elements) to [-1, 9223372036854775807, 2]"))
        let t = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(zeros: [6]).reshaped(to: [Int.max, Int.max])
        }
        #expect(t.standardError.contains("reshape: cannot reshape [6] (6 elements) to [9223372036854775807,"))
    }

    /// Bounds and strides at the ends of `Int` follow Python's slice rules without overflow.
    @Test func slicesWithExtremeBoundsAndStrides() {
        let x = Tensor<Int>(rangeFrom: 0, to: 5)
        #expect(x[(Int.min..<Int.max).strided(by: Int.max)].scalars == [0])
        #expect(x[TensorRange.range(start: nil, end: nil, stride: Int.max)].scalars == [0])
        #expect(x[TensorRange.range(start: nil, end: nil, stride: Int.min)].scalars == [4])
        #expect(x[TensorRange.range(start: Int.max, end: Int.min, stride: Int.min)].scalars == [4])
        #expect(x[TensorRange.range(start: Int.max, end: Int.min, stride: -Int.max)].scalars == [4])
        #expect(x[TensorRange.range(start: Int.min, end: Int.max, stride: -1)].scalars == [])
        #expect(x[TensorRange.range(start: 3, end: Int.min, stride: -2)].scalars == [3, 1])
        #expect(x[...Int.max].scalars == [0, 1, 2, 3, 4])
        #expect(x[0...Int.max].scalars == [0, 1, 2, 3, 4])
        #expect(x[Int.min...].scalars == [0, 1, 2, 3, 4])
        #expect(x[..<Int.min].scalars == [])
        #expect(x[Int.max...].scalars == [])
        let m = Tensor<Int>(rangeFrom: 0, to: 6).reshaped(to: [2, 3])
        #expect(m[TensorRange.all, (0..<3).strided(by: Int.max)] == Tensor<Int>([[0], [3]]))
        var y = x
        y[TensorRange.range(start: nil, end: nil, stride: Int.min)] = Tensor(9)
        #expect(y.scalars == [0, 1, 2, 3, 9])
    }

    @Test func extremeIndicesStop() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Int>([1, 2, 3])[Int.min]
        }
        #expect(
            r.standardError.contains("subscript: index -9223372036854775808 is out of range for axis 0 of shape [3]"))
        let s = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Int>([1, 2, 3])[scalarAt: Int.max]
        }
        #expect(
            s.standardError.contains("subscript: index 9223372036854775807 is out of range for axis 0 of shape [3]"))
    }

    @Test func randomIntegersOverTheWholeRange() {
        var rng = RandomGenerator(seed: 7)
        let k = Tensor<Int>(randomIntegers: [1000], in: Int.min..<Int.max, using: &rng)
        #expect(k.scalars.contains { $0 < Int.min / 2 } && k.scalars.contains { $0 > Int.max / 2 })
        let top = Tensor<Int>(randomIntegers: [10], in: (Int.max - 1)..<Int.max, using: &rng)
        #expect(top.scalars == Array(repeating: Int.max - 1, count: 10))
        let bottom = Tensor<Int>(randomIntegers: [10], in: Int.min..<(Int.min + 2), using: &rng)
        #expect(bottom.scalars.allSatisfy { $0 == Int.min || $0 == Int.min + 1 })
    }
}
