import Flux
import Testing

@Suite struct DescriptionTests {
    @Test func matrixPrintsNestedAndAligned() {
        let x: Tensor<Float> = [[1, 2.5, -3], [4, 5, 600]]
        #expect(x.description == "[[  1.0,   2.5,  -3.0],\n [  4.0,   5.0, 600.0]] shape [2, 3]")
    }

    @Test func scalarsVectorsAndIntegers() {
        #expect(Tensor<Double>(0.125).description == "0.125 shape []")
        #expect(Tensor<Int>([1, 22, 3]).description == "[ 1, 22,  3] shape [3]")
        #expect(Tensor<Bool>([true, false]).description == "[ true, false] shape [2]")
        #expect(Tensor<Float>(zeros: [0, 2]).description == "[] shape [0, 2]")
        #expect(Tensor<Float>(zeros: [3, 0]).description == "[[],\n [],\n []] shape [3, 0]")
        // Empty tensors with huge extents print at once, summarised.
        #expect(Tensor<Float>(zeros: [0, 1 << 40]).description == "[] shape [0, 1099511627776]")
        #expect(
            Tensor<Float>(zeros: [1 << 40, 0]).description
                == "[[],\n [],\n [],\n ...,\n [],\n [],\n []] shape [1099511627776, 0]")
        #expect(Tensor<Float>([.nan, .infinity, 1e-7]).description == "[       nan,        inf, 1.0000e-07] shape [3]")
    }

    @Test func rank3SeparatesBlocksWithABlankLine() {
        let x = Tensor<Int>(shape: [2, 1, 2], scalars: [1, 2, 3, 4])
        #expect(x.description == "[[[1, 2]],\n\n [[3, 4]]] shape [2, 1, 2]")
        #expect(x.debugDescription == "Tensor<Int>([2, 1, 2], [[[1, 2]],\n\n                        [[3, 4]]])")
    }

    @Test func largeTensorsAreSummarised() {
        let x = Tensor<Float>(rangeFrom: 0, to: 2000)
        #expect(x.description == "[   0.0,    1.0,    2.0, ..., 1997.0, 1998.0, 1999.0] shape [2000]")
        let m = Tensor<Int>(shape: [100, 100], scalars: Array(0..<10000))
        let lines = m.description.split(separator: "\n")
        #expect(lines.count == 7)
        #expect(lines[3] == " ...,")
        #expect(lines[0].hasPrefix("[[   0,    1,    2, ...,   97,   98,   99]"))
    }

    @Test func approximateEqualityUsesTolerances() {
        let a = Tensor<Double>([1, 2, 1000])
        #expect(a.isApproximatelyEqual(to: a + 1e-9))
        #expect(!a.isApproximatelyEqual(to: a + 1e-3))
        #expect(a.isApproximatelyEqual(to: a + 1e-3, absoluteTolerance: 1e-2))
        #expect(!a.isApproximatelyEqual(to: Tensor<Double>([1, 2])))
        let n = Tensor<Float>([.nan, 1])
        #expect(!n.isApproximatelyEqual(to: n))
        #expect(n.isApproximatelyEqual(to: n, equalNaNs: true))
        #expect(Tensor<Float>([.infinity]).isApproximatelyEqual(to: Tensor<Float>([.infinity])))
    }
}
