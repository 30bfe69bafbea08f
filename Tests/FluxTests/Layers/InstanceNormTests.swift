import Flux
import FluxTesting
import Testing

@Suite struct InstanceNormTests {
    /// A random `[batch, spatial..., channels]` shape with one to three spatial axes.
    static func randomShape(_ gen: inout PropertyGenerator) -> [Int] {
        [Int.random(in: 1...3, using: &gen.random)] + gen.shape(rank: 1...3, extent: 1...4)
            + [Int.random(in: 1...4, using: &gen.random)]
    }

    /// Without the affine part, each example's each channel comes out with mean 0 and
    /// variance 1 over the spatial axes.
    @Test func eachChannelComesOutWithMeanZeroAndVarianceOne() {
        var gen = PropertyGenerator(seed: 307)
        var checked = 0
        while checked < 12 {
            let shape = Self.randomShape(&gen)
            guard shape.dropFirst().dropLast().reduce(1, *) >= 4 else { continue }  // one position has variance 0
            checked += 1
            let x = gen.tensor(shape) * 3 + 1
            let y = InstanceNorm<Double>(channels: shape[shape.count - 1])(x)
            #expect(y.shape == shape)
            let axes = Array(1..<(shape.count - 1))
            let perChannel = [shape[0], shape[shape.count - 1]]
            #expect(
                y.mean(alongAxes: axes).isApproximatelyEqual(to: Tensor(zeros: perChannel), absoluteTolerance: 1e-12),
                "\(shape)")
            #expect(
                y.variance(alongAxes: axes).isApproximatelyEqual(
                    to: Tensor(ones: perChannel), absoluteTolerance: 1e-4, relativeTolerance: 1e-4), "\(shape)")
        }
    }

    /// The values equal a plain loop's (GroupNorm's reference with one channel a group),
    /// and InstanceNorm equals GroupNorm with `groups == channels`, affine or not.
    @Test func matchesAPlainLoopAndGroupNormWithAGroupPerChannel() {
        var gen = PropertyGenerator(seed: 311)
        for trial in 0..<16 {
            let shape = Self.randomShape(&gen)
            let channels = shape[shape.count - 1]
            let epsilon = trial % 3 == 0 ? 0.5 : 1e-5
            let x = gen.tensor(shape) * 2 - 1
            var norm = InstanceNorm<Double>(channels: channels, epsilon: epsilon, affine: trial % 2 == 0)
            var group = GroupNorm<Double>(
                groups: channels, channels: channels, epsilon: epsilon, affine: trial % 2 == 0)
            if norm.scale != nil {
                norm.scale = gen.tensor([channels])
                norm.offset = gen.tensor([channels])
                (group.scale, group.offset) = (norm.scale, norm.offset)
            }
            let expected = groupNormReference(
                x, groups: channels, epsilon: epsilon, scale: norm.scale?.scalars, offset: norm.offset?.scalars)
            let y = norm(x)
            #expect(
                y.isApproximatelyEqual(to: expected, absoluteTolerance: 1e-12, relativeTolerance: 1e-10),
                "\(shape), affine \(norm.scale != nil)")
            #expect(
                y.isApproximatelyEqual(to: group(x), absoluteTolerance: 1e-12, relativeTolerance: 1e-12),
                "\(shape), affine \(norm.scale != nil)")
        }
    }

    /// PyTorch's default: no parameters; with `affine`, `scale` and `offset` of `[channels]`.
    @Test func affineDecidesTheParameters() {
        let plain = InstanceNorm<Float>(channels: 3)
        #expect(plain.parameters().isEmpty && plain.parameterCount == 0)
        #expect(plain.scale == nil && plain.offset == nil)
        #expect((plain.channels, plain.epsilon) == (3, 1e-5))
        let affine = InstanceNorm<Float>(channels: 3, affine: true)
        #expect(affine.parameters().map(\.path) == ["scale", "offset"])
        #expect(affine.scale == Tensor(ones: [3]) && affine.offset == Tensor(zeros: [3]))
        let x = Tensor<Float>(shape: [1, 2, 2, 3], scalars: (0..<12).map { Float($0 * $0) })
        #expect(plain(x) == affine(x))
        #expect(affine(Tensor(zeros: [0, 5, 3])).shape == [0, 5, 3])
    }

    /// The gradients of the parameters and of the input match finite differences.
    @Test func gradientsMatchFiniteDifferences() {
        var gen = PropertyGenerator(seed: 313)
        for trial in 0..<8 {
            let shape = Self.randomShape(&gen)
            let channels = shape[shape.count - 1]
            var norm = InstanceNorm<Double>(channels: channels, affine: trial % 4 != 3)
            if norm.scale != nil {
                norm.scale = gen.tensor([channels])
                norm.offset = gen.tensor([channels])
            }
            let x = gen.tensor(shape) * 3 + 1
            let r = gen.tensor(shape)
            if norm.scale != nil {  // without the affine part there are no parameters to differentiate
                let model = checkGradient(of: { (m: InstanceNorm<Double>) in (m(x) * r).sum() }, at: norm)
                #expect(model.worstRelativeError < 1e-6, "\(shape): \(model)")
            }
            let input = checkGradient(of: { xs in (norm(xs[0]) * r).sum() }, at: [x])
            #expect(input.worstRelativeError < 1e-6, "\(shape): \(input)")
        }
    }

    @Test func aMismatchedInputStops() async {
        let channels = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Chain {
                Dense<Float>(3, 4); InstanceNorm<Float>(channels: 8)
            }(Tensor<Float>(zeros: [2, 5, 3]))
        }
        #expect(
            channels.standardError.contains(
                "InstanceNorm(8 channels) at layers.1: input [2, 5, 4] has 4 channels in its last axis; expected [batch, spatial..., 8] (channels last, rank ≥ 3)"
            ), "\(channels.standardError)")
        let rank = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = InstanceNorm<Float>(channels: 1)(Tensor<Float>(zeros: [2, 1]))
        }
        #expect(
            rank.standardError.contains(
                "InstanceNorm(1 channel): input [2, 1] has rank 2; expected [batch, spatial..., 1] (channels last, rank ≥ 3)"
            ), "\(rank.standardError)")
    }

    @Test func badSizesAndEpsilonsStop() async {
        let zero = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = InstanceNorm<Float>(channels: 0)
        }
        #expect(
            zero.standardError.contains("InstanceNorm: channels must be positive, got 0"), "\(zero.standardError)")
        let epsilon = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = InstanceNorm<Double>(channels: 4, epsilon: -.infinity)
        }
        #expect(
            epsilon.standardError.contains("InstanceNorm: epsilon must be finite and ≥ 0, got -inf"),
            "\(epsilon.standardError)")
    }
}
