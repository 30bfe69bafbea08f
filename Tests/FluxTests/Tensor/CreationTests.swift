import Flux
import Testing

@Suite struct CreationTests {
    @Test func filledTensors() {
        #expect(Tensor<Float>(zeros: [2, 3]).scalars == Array(repeating: 0, count: 6))
        #expect(Tensor<Double>(ones: [2]).scalars == [1, 1])
        #expect(Tensor<Int>(shape: [2, 2], repeating: 7).scalars == [7, 7, 7, 7])
        #expect(Tensor<Float>(zerosLike: Tensor<Float>(ones: [4, 1])).shape == [4, 1])
        #expect(Tensor<Float>(identity: 3) == Tensor<Float>([[1, 0, 0], [0, 1, 0], [0, 0, 1]]))
        #expect(Tensor<Float>(shape: [2, 2], scalars: [1, 2, 3, 4])[scalarAt: 1, 0] == 3)
        #expect(Tensor<Float>(shape: [0], scalars: []).count == 0)
    }

    @Test func rangesAndLinearSpaces() {
        #expect(Tensor<Float>(rangeFrom: 0, to: 5).scalars == [0, 1, 2, 3, 4])
        #expect(Tensor<Double>(rangeFrom: 1, to: 2, stride: 0.25).scalars == [1, 1.25, 1.5, 1.75])
        #expect(Tensor<Int>(rangeFrom: 5, to: 0, stride: -2).scalars == [5, 3, 1])
        #expect(Tensor<Int>(rangeFrom: 0, to: 0).shape == [0])
        #expect(Tensor<Double>(linearSpaceFrom: 0, to: 1, count: 5).scalars == [0, 0.25, 0.5, 0.75, 1])
        #expect(Tensor<Float>(linearSpaceFrom: 3, to: 3, count: 1).scalars == [3])
        #expect(Tensor<Float>(linearSpaceFrom: 0, to: 1, count: 0).shape == [0])
    }

    @Test func seededRandomnessReplays() {
        var a = RandomGenerator(seed: 42)
        var b = RandomGenerator(seed: 42)
        let x = Tensor<Float>(randomNormal: [100], using: &a)
        #expect(x == Tensor<Float>(randomNormal: [100], using: &b))
        var c = RandomGenerator(seed: 43)
        #expect(x != Tensor<Float>(randomNormal: [100], using: &c))
        // Float and Double from the same seed agree to Float precision.
        var d = RandomGenerator(seed: 42)
        let y = Tensor<Double>(randomNormal: [100], using: &d)
        #expect(x == Tensor<Float>(y))
        // The first number of seed 0 is fixed forever (xoshiro256** seeded by SplitMix64,
        // computed independently): a guard for replaying old runs.
        var e = RandomGenerator(seed: 0)
        #expect(e.next() == 11_091_344_671_253_066_420)
    }

    @Test func distributionsHaveTheRightMoments() {
        var rng = RandomGenerator(seed: 1)
        let n = Tensor<Double>(randomNormal: [20000], mean: 2, standardDeviation: 3, using: &rng)
        #expect(abs(n.mean().scalar - 2) < 0.1)
        #expect(abs(n.standardDeviation(alongAxes: [0]).scalar - 3) < 0.1)
        let u = Tensor<Double>(randomUniform: [20000], in: -1..<3, using: &rng)
        #expect(u.min().scalar >= -1 && u.max().scalar < 3)
        #expect(abs(u.mean().scalar - 1) < 0.05)
        let k = Tensor<Int>(randomIntegers: [1000], in: 3..<6, using: &rng)
        #expect(Set(k.scalars) == [3, 4, 5])
    }

    @Test func conversions() {
        #expect(Tensor<Float>(Tensor<Int>([1, 2])).scalars == [1, 2])
        #expect(Tensor<Float>(Tensor<Double>([0.5])).scalars == [0.5])
        #expect(Tensor<Float>(Tensor<Bool>([true, false])).scalars == [1, 0])
    }

    @Test func wrongElementCountAndRaggedLiteralsStop() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(shape: [2, 3], scalars: [1, 2])
        }
        #expect(r.standardError.contains("Tensor(shape:scalars:): shape [2, 3] holds 6 elements, but 2 were given"))
        let s = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let _: Tensor<Float> = [[1, 2], [3]]
        }
        #expect(s.standardError.contains("ragged nesting, shapes [2] and [1]"))
        let t = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor<Float>(zeros: [2, -1])
        }
        #expect(t.standardError.contains("negative extent in shape [2, -1]"))
    }
}
