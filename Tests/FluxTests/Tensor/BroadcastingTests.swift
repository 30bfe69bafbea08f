import Flux
import Testing

@Suite struct BroadcastingTests {
    @Test func rowVectorColumnVectorAndScalar() {
        let m: Tensor<Float> = [[1, 2, 3], [4, 5, 6]]
        #expect((m + Tensor([10, 20, 30])).scalars == [11, 22, 33, 14, 25, 36])
        #expect((m + Tensor<Float>([[100], [200]])).scalars == [101, 102, 103, 204, 205, 206])
        #expect((m * Tensor<Float>(2)).scalars == [2, 4, 6, 8, 10, 12])
        #expect((Tensor<Float>(2) - m).shape == [2, 3])
    }

    @Test func bothOperandsStretch() {
        let col = Tensor<Double>([[1], [2], [3]])  // [3, 1]
        let row = Tensor<Double>([10, 20])  // [2]
        let sum = col + row
        #expect(sum.shape == [3, 2])
        #expect(sum.scalars == [11, 21, 12, 22, 13, 23])
        #expect((row + col) == sum)
    }

    @Test func middleAxisAndHigherRank() {
        var rng = RandomGenerator(seed: 1)
        let a = Tensor<Double>(randomNormal: [2, 3, 4], using: &rng)
        let b = Tensor<Double>(randomNormal: [2, 1, 4], using: &rng)
        let c = a * b
        for i in 0..<2 {
            for j in 0..<3 {
                for k in 0..<4 {
                    #expect(c[scalarAt: i, j, k] == a[scalarAt: i, j, k] * b[scalarAt: i, 0, k])
                }
            }
        }
        let d = Tensor<Double>(randomNormal: [5, 1, 3, 1], using: &rng)
        let e = Tensor<Double>(randomNormal: [4, 1, 6], using: &rng)
        let f = d + e
        #expect(f.shape == [5, 4, 3, 6])
        #expect(f[scalarAt: 4, 3, 2, 5] == d[scalarAt: 4, 0, 2, 0] + e[scalarAt: 3, 0, 5])
        #expect(d.broadcast(to: [5, 4, 3, 6]) + e.broadcast(to: [5, 4, 3, 6]) == f)
    }

    @Test func emptyExtentsBroadcast() {
        let a = Tensor<Float>(zeros: [0, 3])
        #expect((a + Tensor<Float>([1, 2, 3])).shape == [0, 3])
    }

    @Test func inPlaceBroadcastsIntoTheLeftShape() {
        var a = Tensor<Float>(ones: [2, 3])
        a += Tensor<Float>([1, 2, 3])
        #expect(a.scalars == [2, 3, 4, 2, 3, 4])
        a *= Tensor<Float>([[2], [3]])
        #expect(a.scalars == [4, 6, 8, 6, 9, 12])
    }

    @Test func incompatibleShapesStopWithBothShapes() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(zeros: [3, 4]) + Tensor<Float>(zeros: [5])
        }
        #expect(r.standardError.contains("add: shapes [3, 4] and [5] cannot be broadcast"))
    }

    @Test func inPlaceCannotGrowTheLeftOperand() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            var a = Tensor<Float>(zeros: [3])
            a += Tensor<Float>(zeros: [2, 3])
        }
        #expect(r.standardError.contains("add: shape [2, 3] cannot be broadcast into [3] in place"))
    }
}

@Suite struct StreamingWriteTests {
    /// Outputs above the streaming threshold go through staged non-temporal stores; every
    /// element, including a tail shorter than a block and than 16 bytes, must arrive.
    @Test func largeOutputsMatchElementByElement() {
        let n = 4 * 1024 * 1024 + 3  // > 16 MiB of Float, odd tail
        let x = Tensor<Float>(rangeFrom: 0, to: Float(n))
        let y = x.map { $0 * 2 }
        let z = x.zip(y) { $0 + $1 }
        let w = x + 1
        var wrong = 0
        y.withUnsafeBufferPointer { py in
            z.withUnsafeBufferPointer { pz in
                w.withUnsafeBufferPointer { pw in
                    for i in 0..<n where py[i] != 2 * Float(i) || pz[i] != 3 * Float(i) || pw[i] != Float(i) + 1 {
                        wrong += 1
                    }
                }
            }
        }
        #expect(wrong == 0)
        let d = Tensor<Double>(shape: [n], repeating: 1).map { $0 + 0.5 }
        #expect(d.scalars.allSatisfy { $0 == 1.5 })
    }
}
