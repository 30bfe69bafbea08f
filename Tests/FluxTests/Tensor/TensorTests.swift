import Flux
import Testing

@Suite struct TensorStorageTests {
    @Test func literalGivesShapeAndScalars() {
        let x: Tensor<Float> = [[1, 2, 3], [4, 5, 6]]
        #expect(x.shape == [2, 3])
        #expect(x.scalars == [1, 2, 3, 4, 5, 6])
        #expect(Tensor<Double>([[1, 2], [3, 4]]).shape == [2, 2])
        #expect(Tensor<Float>(7).shape == [])
    }

    @Test func writingACopyLeavesTheOriginal() {
        let a = Tensor<Float>([1, 2, 3])
        var b = a
        b[scalarAt: 0] = 10
        #expect(a.scalars == [1, 2, 3])
        #expect(b.scalars == [10, 2, 3])
    }

    @Test func uniqueStorageIsWrittenInPlace() {
        var a = Tensor<Float>(zeros: [1000])
        let unique = a.isUniquelyReferenced()
        #expect(unique)
        let before = a.withUnsafeBufferPointer { $0.baseAddress }
        a += 1
        #expect(a.withUnsafeBufferPointer { $0.baseAddress } == before)
        let copy = a
        a += 1
        #expect(a.withUnsafeBufferPointer { $0.baseAddress } != before)
        #expect(copy.scalars.allSatisfy { $0 == 1 })
    }
}
