import Flux
import Testing

@Suite struct TensorSelectionTests {
    @Test func selectSameShapes() {
        let mask: Tensor<Bool> = [true, false, true]
        let a: Tensor<Int> = [1, 2, 3]
        let b: Tensor<Int> = [10, 20, 30]
        #expect(select(mask, a, b).scalars == [1, 20, 3])
        #expect(select(mask, a, 0).scalars == [1, 0, 3])
        #expect(select(mask, -1, b).scalars == [-1, 20, -1])
        #expect(select(mask, 1, 0).scalars == [1, 0, 1])
        // Every element size: 1 (Bool), 4 (Int32, Float) and 8 (Double) bytes.
        #expect(
            select(mask, Tensor<Bool>([false, false, false]), Tensor<Bool>([true, true, true])).scalars
                == [false, true, false])
        #expect(select(mask, Tensor<Int32>([1, 2, 3]), Tensor<Int32>([-1, -2, -3])).scalars == [1, -2, 3])
        let floats = select(mask, Tensor<Float>([1, 2, .nan]), Tensor<Float>([-.infinity, -0.0, 3]))
        #expect(floats.scalars[0] == 1 && floats.scalars[1].sign == .minus && floats.scalars[2].isNaN)
        #expect(select(mask, Tensor<Double>([1, 2, 3]), Tensor<Double>([4, 5, 6])).scalars == [1, 5, 3])
    }

    @Test func selectBroadcastsAllThreeOperands() {
        var rng = RandomGenerator(seed: 5)
        let mask = Tensor<Double>(randomNormal: [4, 1, 1], using: &rng) .> 0
        let a = Tensor<Double>(randomNormal: [3, 1], using: &rng)
        let b = Tensor<Double>(randomNormal: [1, 5], using: &rng)
        let y = select(mask, a, b)
        #expect(y.shape == [4, 3, 5])
        for i in 0..<4 {
            for j in 0..<3 {
                for k in 0..<5 {
                    let expected = mask[scalarAt: i, 0, 0] ? a[scalarAt: j, 0] : b[scalarAt: 0, k]
                    #expect(y[scalarAt: i, j, k] == expected)
                }
            }
        }
        // The mask stretched by the values, and a mask on the inner axis only.
        let rowMask: Tensor<Bool> = [true, false, false, true, true]
        let z = select(rowMask, Tensor<Double>(zeros: [2, 5]), 1)
        #expect(z.scalars == [0, 1, 1, 0, 0, 0, 1, 1, 0, 0])
        let x: Tensor<Float> = [[-1, 2], [3, -4]]
        #expect(select(x .> 0, x, 0.5 * x).scalars == [-0.5, 2, 3, -2])
        #expect(select(Tensor(true), a, b).shape == [3, 5])
    }

    @Test func replacingFollowsTheMask() {
        let x = Tensor<Float>([1, .nan, 3, .nan])
        let cleaned = x.replacing(with: 0, where: x.isNaN)
        #expect(cleaned.scalars == [1, 0, 3, 0])
        let m: Tensor<Float> = [[1, 2], [3, 4]]
        #expect(
            m.replacing(with: Tensor<Float>([10, 20]), where: Tensor<Bool>([[true], [false]])).scalars
                == [10, 20, 3, 4])
        #expect(m.replacing(with: -1, where: Tensor<Bool>([false, true])).scalars == [1, -1, 3, -1])
    }

    @Test func emptyAndScalarShapes() {
        #expect(select(Tensor<Bool>(shape: [0, 2], repeating: true), Tensor<Float>([1, 2]), 0).shape == [0, 2])
        #expect(select(Tensor(false), Tensor<Float>(1), Tensor<Float>(2)).scalars == [2])
    }

    @Test func incompatibleShapesStopWithTheShapes() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let mask = Tensor<Bool>(shape: [2, 3], repeating: true)
            _ = select(mask, Tensor<Float>(zeros: [3]), Tensor<Float>(zeros: [4]))
        }
        #expect(r.standardError.contains("select: shapes [2, 3] and [4] cannot be broadcast"))
    }
}
