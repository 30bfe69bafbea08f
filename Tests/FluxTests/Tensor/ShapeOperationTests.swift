import Flux
import Testing

/// Row-major index → flat offset.
private func flat(_ index: [Int], _ shape: [Int]) -> Int {
    zip(index, shape).reduce(0) { $0 * $1.1 + $1.0 }
}

/// Every index of `shape`, in row-major order.
private func allIndices(_ shape: [Int]) -> [[Int]] {
    shape.reduce([[]]) { acc, n in acc.flatMap { prefix in (0..<n).map { prefix + [$0] } } }
}

@Suite struct ReshapeTests {
    @Test func reshapeInfersOneExtentAndSharesStorage() {
        let x = Tensor<Float>(rangeFrom: 0, to: 24)
        let y = x.reshaped(to: [2, -1, 4])
        #expect(y.shape == [2, 3, 4])
        #expect(y.scalars == x.scalars)
        #expect(y.flattened().shape == [24])
        #expect(y.flattened(fromAxis: 1).shape == [2, 12])
        #expect(y.expandingShape(at: -1).shape == [2, 3, 4, 1])
        #expect(y.expandingShape(at: 0).squeezingShape(at: 0).shape == [2, 3, 4])
        #expect(Tensor<Int>(zeros: [1, 3, 1]).squeezingShape().shape == [3])
        #expect(Tensor<Float>(5).reshaped(to: [1, 1]).shape == [1, 1])
        #expect(Tensor<Float>(zeros: [0, 3]).reshaped(to: [3, 0]).shape == [3, 0])
    }

    @Test func badReshapesStop() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(zeros: [2, 3]).reshaped(to: [4, 2])
        }
        #expect(r.standardError.contains("reshape: cannot reshape [2, 3] (6 elements) to [4, 2] (8 elements)"))
        let s = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(zeros: [2, 3]).squeezingShape(at: 1)
        }
        #expect(s.standardError.contains("squeezingShape(at:): axis 1 of shape [2, 3] has extent 3, not 1"))
    }
}

@Suite struct TransposeTests {
    @Test(arguments: 0..<10)
    func permutationsAgreeWithIndexArithmetic(seed: Int) {
        var rng = RandomGenerator(seed: UInt64(seed))
        let rank = Int.random(in: 1...4, using: &rng)
        let shape = (0..<rank).map { _ in Int.random(in: 1...4, using: &rng) }
        let x = Tensor<Double>(randomNormal: shape, using: &rng)
        let p = Array(0..<rank).shuffled(using: &rng)
        let y = x.transposed(permutation: p)
        #expect(y.shape == p.map { shape[$0] })
        for index in allIndices(y.shape) {
            var source = [Int](repeating: 0, count: rank)
            for (i, axis) in p.enumerated() { source[axis] = index[i] }
            #expect(y.scalars[flat(index, y.shape)] == x.scalars[flat(source, shape)])
        }
        #expect(y.transposed(permutation: p.indices.map { p.firstIndex(of: $0)! }) == x)
    }

    @Test func matrixTranspose() {
        let m: Tensor<Int> = [[1, 2, 3], [4, 5, 6]]
        #expect(m.transposed() == Tensor<Int>([[1, 4], [2, 5], [3, 6]]))
    }

    @Test func badPermutationStops() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(zeros: [2, 3]).transposed(permutation: [0, 0])
        }
        #expect(r.standardError.contains("[0, 0] is not a permutation of the axes of shape [2, 3]"))
    }
}

@Suite struct SlicingTests {
    /// Python's `list[start:end:step]`, written out.
    private func pythonSlice(_ n: Int, _ start: Int?, _ end: Int?, _ step: Int) -> [Int] {
        var result: [Int] = []
        if step > 0 {
            var i = start.map { $0 < 0 ? max($0 + n, 0) : min($0, n) } ?? 0
            let e = end.map { $0 < 0 ? max($0 + n, 0) : min($0, n) } ?? n
            while i < e { result.append(i); i += step }
        } else {
            var i = start.map { $0 < 0 ? max($0 + n, -1) : min($0, n - 1) } ?? n - 1
            let e = end.map { $0 < 0 ? max($0 + n, -1) : min($0, n - 1) } ?? -1
            while i > e { result.append(i); i += step }
        }
        return result
    }

    @Test(arguments: 0..<20)
    func stridedRangesFollowPythonRules(seed: Int) {
        var rng = RandomGenerator(seed: UInt64(seed))
        let (rows, cols) = (Int.random(in: 0...6, using: &rng), Int.random(in: 1...6, using: &rng))
        let x = Tensor<Int>(shape: [rows, cols], scalars: Array(0..<(rows * cols)))
        func bound() -> Int? { Bool.random(using: &rng) ? nil : Int.random(in: -8...8, using: &rng) }
        let (s, e) = (bound(), bound())
        var step = Int.random(in: -3...3, using: &rng)
        if step == 0 { step = 1 }
        let column = Int.random(in: -cols..<cols, using: &rng)
        let y = x[TensorRange.range(start: s, end: e, stride: step), column]
        let expectedRows = pythonSlice(rows, s, e, step)
        let c = column < 0 ? column + cols : column
        #expect(y.shape == [expectedRows.count])
        #expect(y.scalars == expectedRows.map { $0 * cols + c })
    }

    @Test func rangeSpellings() {
        let x = Tensor<Int>(shape: [4, 5], scalars: Array(0..<20))
        #expect(x[1].scalars == [5, 6, 7, 8, 9])
        #expect(x[1..<3].shape == [2, 5])
        #expect(x[1...2] == x[1..<3])
        #expect(x[2...].shape == [2, 5])
        #expect(x[..<1].shape == [1, 5])
        #expect(x[...(-2)].shape == [3, 5])
        #expect(x[TensorRange.all, (0..<5).strided(by: 2)].scalars == [0, 2, 4, 5, 7, 9, 10, 12, 14, 15, 17, 19])
        #expect(x[TensorRange.reversed, 0].scalars == [15, 10, 5, 0])
        #expect(x[TensorRange.ellipsis, -1].scalars == [4, 9, 14, 19])
        #expect(x[TensorRange.newAxis, 0].shape == [1, 5])
        #expect(x[2..<2].shape == [0, 5])
        #expect(x[1, 2].shape == [])
    }

    @Test func assigningIntoASliceIsCopyOnWrite() {
        let x = Tensor<Float>(zeros: [3, 3])
        var y = x
        y[TensorRange.all, 1] = Tensor(7)
        y[0] = Tensor([1, 2, 3])
        #expect(x == Tensor(zeros: [3, 3]))
        #expect(y.scalars == [1, 2, 3, 0, 7, 0, 0, 7, 0])
        y[TensorRange.reversed, TensorRange.reversed] = Tensor(shape: [3, 3], scalars: (1...9).map(Float.init))
        #expect(y.scalars == (1...9).reversed().map(Float.init))
    }

    @Test func badIndicesStop() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(zeros: [2, 3])[0, 3]
        }
        #expect(r.standardError.contains("subscript: index 3 is out of range for axis 1 of shape [2, 3]"))
        let s = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(zeros: [2, 3])[0, 1, 2]
        }
        #expect(s.standardError.contains("subscript: 3 entries (0 ellipses) for a tensor of shape [2, 3]"))
    }
}

@Suite struct JoiningAndIndexingTests {
    @Test func concatenateStackAndSplitRoundTrip() {
        let a = Tensor<Float>(shape: [2, 2], scalars: [1, 2, 3, 4])
        let b = Tensor<Float>(shape: [2, 1], scalars: [5, 6])
        let c = Tensor(concatenating: [a, b], alongAxis: 1)
        #expect(c.scalars == [1, 2, 5, 3, 4, 6])
        #expect(c.split(sizes: [2, 1], alongAxis: -1) == [a, b])
        #expect(Tensor(concatenating: [a, a], alongAxis: 0).split(count: 2) == [a, a])
        let s = Tensor(stacking: [a, a * 2], alongAxis: 1)
        #expect(s.shape == [2, 2, 2])
        #expect(s.scalars == [1, 2, 2, 4, 3, 4, 6, 8])
        #expect(Tensor(stacking: [Tensor<Int>(1), Tensor<Int>(2)]).scalars == [1, 2])
    }

    @Test func gatherTakesAlongAnAxis() {
        let x = Tensor<Int>(shape: [3, 4], scalars: Array(0..<12))
        let rows = x.gathering(atIndices: Tensor<Int>([2, 0, -1]), alongAxis: 0)
        #expect(rows.scalars == [8, 9, 10, 11, 0, 1, 2, 3, 8, 9, 10, 11])
        let cols = x.gathering(atIndices: Tensor<Int>(shape: [2, 2], scalars: [0, 3, 1, 1]), alongAxis: 1)
        #expect(cols.shape == [3, 2, 2])
        #expect(cols[1].scalars == [4, 7, 5, 5])
        let oneHot = Tensor<Float>(oneHotAtIndices: Tensor<Int>([2, 0]), depth: 3)
        #expect(oneHot == Tensor<Float>([[0, 0, 1], [1, 0, 0]]))
    }

    @Test func badJoinsAndIndicesStop() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor(concatenating: [Tensor<Float>(zeros: [2, 2]), Tensor<Float>(zeros: [3, 3])], alongAxis: 1)
        }
        #expect(r.standardError.contains("Tensor(concatenating:): shapes [[2, 2], [3, 3]] differ off axis 1"))
        let s = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(zeros: [5]).split(count: 2)
        }
        #expect(s.standardError.contains("split: axis 0 of shape [5] cannot be cut into 2 equal pieces"))
        let t = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(zeros: [3, 2]).gathering(atIndices: Tensor<Int>([3]))
        }
        #expect(t.standardError.contains("gathering(atIndices:): index 3 is out of range for axis 0 of shape [3, 2]"))
        let u = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(oneHotAtIndices: Tensor<Int>([4]), depth: 3)
        }
        #expect(u.standardError.contains("index 4 is outside 0..<3"))
    }
}
