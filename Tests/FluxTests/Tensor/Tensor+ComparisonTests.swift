import Flux
import Testing

@Suite struct TensorComparisonTests {
    @Test func tensorTensorComparisonsBroadcast() {
        let m: Tensor<Float> = [[1, 2, 3], [4, 5, 6]]
        let row: Tensor<Float> = [2, 2, 6]
        let column: Tensor<Float> = [[3], [5]]
        #expect((m .< row).scalars == [true, false, true, false, false, false])
        #expect((m .<= row).scalars == [true, true, true, false, false, true])
        #expect((m .> column).scalars == [false, false, false, false, false, true])
        #expect((m .>= column).scalars == [false, false, true, false, true, true])
        #expect((m .== row).scalars == [false, true, false, false, false, true])
        #expect((m .!= column).scalars == [true, true, false, true, false, true])
        #expect((column .< row).shape == [2, 3])
        #expect((column .< row).scalars == [false, false, true, false, false, true])
    }

    @Test func comparisonsAgreeWithScalarsOnRandomData() {
        var rng = RandomGenerator(seed: 3)
        let a = Tensor<Double>(randomNormal: [4, 1, 5], using: &rng)
        let b = Tensor<Double>(randomNormal: [3, 1], using: &rng)
        let checks: [(String, (Tensor<Double>, Tensor<Double>) -> Tensor<Bool>, (Double, Double) -> Bool)] = [
            (".<", { $0 .< $1 }, { $0 < $1 }), (".<=", { $0 .<= $1 }, { $0 <= $1 }),
            (".>", { $0 .> $1 }, { $0 > $1 }), (".>=", { $0 .>= $1 }, { $0 >= $1 }),
            (".==", { $0 .== $1 }, { $0 == $1 }), (".!=", { $0 .!= $1 }, { $0 != $1 }),
        ]
        for (name, f, g) in checks {
            let mask = f(a, b)
            #expect(mask.shape == [4, 3, 5], "\(name)")
            for i in 0..<4 {
                for j in 0..<3 {
                    for k in 0..<5 {
                        #expect(mask[scalarAt: i, j, k] == g(a[scalarAt: i, 0, k], b[scalarAt: j, 0]), "\(name)")
                    }
                }
            }
        }
    }

    @Test func tensorScalarComparisons() {
        let x: Tensor<Int> = [-1, 0, 1, 2]
        #expect((x .< 1).scalars == [true, true, false, false])
        #expect((x .<= 1).scalars == [true, true, true, false])
        #expect((x .> 0).scalars == [false, false, true, true])
        #expect((x .>= 0).scalars == [false, true, true, true])
        #expect((x .== 0).scalars == [false, true, false, false])
        #expect((x .!= 0).scalars == [true, false, true, true])
        #expect((1 .< x).scalars == [false, false, false, true])
        #expect((1 .<= x).scalars == [false, false, true, true])
        #expect((0 .> x).scalars == [true, false, false, false])
        #expect((0 .>= x).scalars == [true, true, false, false])
        #expect((2 .== x).scalars == [false, false, false, true])
        #expect((2 .!= x).scalars == [true, true, true, false])
        let mask: Tensor<Bool> = [true, false]
        #expect((mask .== true).scalars == [true, false])
    }

    @Test func nanComparesFalseExceptNotEqual() {
        let x = Tensor<Float>([.nan, 1])
        #expect((x .< 2).scalars == [false, true])
        #expect((x .>= Tensor<Float>([.nan, .nan])).scalars == [false, false])
        #expect((x .== x).scalars == [false, true])
        #expect((x .!= x).scalars == [true, false])
    }

    @Test func logicalOperatorsCombineMasksWithoutParentheses() {
        let x: Tensor<Float> = [-2, -0.5, 0.5, 2]
        let inside = x .> -1 .& x .< 1
        #expect(inside.scalars == [false, true, true, false])
        let outside = x .< -1 .| x .> 1
        #expect(outside.scalars == [true, false, false, true])
        #expect((.!inside) == outside)
        #expect((inside .^ Tensor<Bool>([true, true, false, false])).scalars == [true, false, true, false])
        let row: Tensor<Bool> = [true, false]
        let column: Tensor<Bool> = [[true], [false]]
        #expect((row .& column).scalars == [true, false, false, false])
        #expect((row .| column).scalars == [true, true, true, false])
    }

    @Test func anyAndAll() {
        #expect(Tensor<Bool>([false, true]).any() && !Tensor<Bool>([false, true]).all())
        #expect(Tensor<Bool>([[true, true], [true, true]]).all())
        #expect(!Tensor<Bool>(shape: [3], repeating: false).any())
        #expect(!Tensor<Bool>(shape: [0], repeating: false).any() && Tensor<Bool>(shape: [0], repeating: false).all())
        #expect((Tensor<Float>([1, 2, 3]) .> 0).all())
    }

    @Test func nanAndFiniteMasks() {
        let x = Tensor<Double>([0, -1.5, .nan, .infinity, -.infinity, .greatestFiniteMagnitude, -.nan])
        #expect(x.isNaN.scalars == [false, false, true, false, false, false, true])
        #expect(x.isFinite.scalars == [true, true, false, false, false, true, false])
        #expect(x.isInfinite.scalars == [false, false, false, true, true, false, false])
        #expect(Tensor<Float>([.nan, .signalingNaN, 1]).isNaN.scalars == [true, true, false])
        #expect(Tensor<Float>(x.isNaN).scalars == [0, 0, 1, 0, 0, 0, 1])
    }

    @Test func incompatibleShapesStopWithBothShapes() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(zeros: [3, 4]) .< Tensor<Float>(zeros: [2, 1, 5])
        }
        #expect(r.standardError.contains(".<: shapes [3, 4] and [2, 1, 5] cannot be broadcast"))
    }
}
