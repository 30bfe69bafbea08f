import Flux
import FluxTesting
import Testing

/// `[batch, spatial..., channels]` normalised per example and group of channels by a plain
/// loop, as PyTorch's `nn.GroupNorm` defines it: mean and biased variance over the group's
/// channels at every spatial position, then the per-channel affine part.
func groupNormReference(
    _ x: Tensor<Double>, groups: Int, epsilon: Double, scale: [Double]?, offset: [Double]?
) -> Tensor<Double> {
    let channels = x.shape[x.rank - 1], batch = x.shape[0]
    let positions = x.shape.dropFirst().dropLast().reduce(1, *)
    let width = channels / groups
    let xs = x.scalars
    var ys = [Double](repeating: 0, count: xs.count)
    for n in 0..<batch {
        for g in 0..<groups {
            var indices: [Int] = []
            for p in 0..<positions {
                for c in (g * width)..<((g + 1) * width) { indices.append((n * positions + p) * channels + c) }
            }
            let mean = indices.reduce(0) { $0 + xs[$1] } / Double(indices.count)
            let variance = indices.reduce(0) { $0 + (xs[$1] - mean) * (xs[$1] - mean) } / Double(indices.count)
            for i in indices {
                let c = i % channels
                ys[i] = (xs[i] - mean) / (variance + epsilon).squareRoot() * (scale?[c] ?? 1) + (offset?[c] ?? 0)
            }
        }
    }
    return Tensor(shape: x.shape, scalars: ys)
}

@Suite struct GroupNormTests {
    /// A random `[batch, spatial..., channels]` case: the shape, the groups and the channels.
    static func randomCase(_ gen: inout PropertyGenerator, spatialRank: ClosedRange<Int>) -> (
        shape: [Int], groups: Int, channels: Int
    ) {
        let batch = Int.random(in: 1...3, using: &gen.random)
        let spatial = gen.shape(rank: spatialRank, extent: 1...4)
        let groups = Int.random(in: 1...3, using: &gen.random)
        let channels = groups * Int.random(in: 1...3, using: &gen.random)
        return ([batch] + spatial + [channels], groups, channels)
    }

    /// Before the affine part, each example's each group comes out with mean 0 and variance
    /// 1 over its spatial positions and channels.
    @Test func eachGroupComesOutWithMeanZeroAndVarianceOne() {
        var gen = PropertyGenerator(seed: 211)
        var checked = 0
        while checked < 12 {
            let (shape, groups, channels) = Self.randomCase(&gen, spatialRank: 0...3)
            let groupSize = shape.dropFirst().dropLast().reduce(1, *) * channels / groups
            guard groupSize >= 4 else { continue }  // a single element has variance 0, not 1
            checked += 1
            let x = gen.tensor(shape) * 3 + 1
            let y = GroupNorm<Double>(groups: groups, channels: channels)(x)
            #expect(y.shape == shape)
            let grouped = y.reshaped(to: Array(shape.dropLast()) + [groups, channels / groups])
            let axes = Array(1..<(shape.count - 1)) + [shape.count]
            let perGroup = [shape[0]] + [groups]
            #expect(
                grouped.mean(alongAxes: axes).reshaped(to: perGroup).isApproximatelyEqual(
                    to: Tensor(zeros: perGroup), absoluteTolerance: 1e-12), "\(shape), \(groups) groups")
            #expect(
                grouped.variance(alongAxes: axes).reshaped(to: perGroup).isApproximatelyEqual(
                    to: Tensor(ones: perGroup), absoluteTolerance: 1e-4, relativeTolerance: 1e-4),
                "\(shape), \(groups) groups")
        }
    }

    /// The values equal a plain loop's, with and without the affine part, for ranks 2
    /// (`[batch, channels]`) to 5.
    @Test func matchesAPlainLoop() {
        var gen = PropertyGenerator(seed: 223)
        for trial in 0..<16 {
            let (shape, groups, channels) = Self.randomCase(&gen, spatialRank: 0...3)
            let epsilon = trial % 3 == 0 ? 0.5 : 1e-5
            let x = gen.tensor(shape) * 2 - 1
            var norm = GroupNorm<Double>(groups: groups, channels: channels, epsilon: epsilon, affine: trial % 2 == 0)
            if norm.scale != nil {
                norm.scale = gen.tensor([channels])
                norm.offset = gen.tensor([channels])
            }
            let expected = groupNormReference(
                x, groups: groups, epsilon: epsilon, scale: norm.scale?.scalars, offset: norm.offset?.scalars)
            #expect(
                norm(x).isApproximatelyEqual(to: expected, absoluteTolerance: 1e-12, relativeTolerance: 1e-10),
                "\(shape), \(groups) groups, affine \(norm.scale != nil)")
        }
    }

    /// With `affine` the parameters are `scale` and `offset` of `[channels]`, starting at
    /// ones and zeros; without it there are none.
    @Test func affineDecidesTheParameters() {
        let affine = GroupNorm<Float>(groups: 2, channels: 6)
        #expect(affine.parameters().map(\.path) == ["scale", "offset"])
        #expect(affine.scale == Tensor(ones: [6]) && affine.offset == Tensor(zeros: [6]))
        #expect(affine.parameterCount == 12)
        let plain = GroupNorm<Float>(groups: 2, channels: 6, affine: false)
        #expect(plain.parameters().isEmpty && plain.parameterCount == 0)
        #expect(plain.scale == nil && plain.offset == nil)
        #expect((plain.groups, plain.channels, plain.epsilon) == (2, 6, 1e-5))
        let x = Tensor<Float>(shape: [1, 2, 6], scalars: (0..<12).map { Float($0) })
        #expect(plain(x) == affine(x))
        // An empty batch or an empty spatial axis gives an empty output of the same shape.
        #expect(affine(Tensor(zeros: [0, 3, 6])).shape == [0, 3, 6])
        #expect(affine(Tensor(zeros: [2, 0, 6])).shape == [2, 0, 6])
    }

    /// A dense layer followed by a group normalisation, as a model of its own.
    struct Block: Model {
        var dense: Dense<Float>
        var norm: GroupNorm<Float>
        func callAsFunction(_ x: Tensor<Float>) -> Tensor<Float> { norm(dense(x)) }
    }

    /// Inside a model, the gradient reaches the optional parameters, an optimizer moves
    /// them, and a conversion to `Double` carries them (and leaves absent ones absent).
    @Test func trainsAndConvertsInsideAModel() {
        var rng = RandomGenerator(seed: 229)
        var model = Block(dense: Dense(3, 8, using: &rng), norm: GroupNorm(groups: 2, channels: 8))
        let x = Tensor<Float>(randomNormal: [5, 3], using: &rng)
        let target = Tensor<Float>(randomNormal: [5, 8], using: &rng)
        let grad = gradient(at: model) { m in meanSquaredError(m(x), target) }
        #expect(grad.norm.scale?.shape == [8])
        #expect(grad.norm.offset?.shape == [8])
        var optimizer = Adam(for: model, learningRate: 1e-2)
        optimizer.update(&model, along: grad)
        #expect(model.norm.scale != Tensor<Float>(ones: [8]))
        #expect(model.norm.offset != Tensor<Float>(zeros: [8]))
        let twin = model.norm.converted(into: GroupNorm<Double>(groups: 2, channels: 8))
        #expect(twin.scale == model.norm.scale.map { Tensor<Double>($0) })
        let plain = GroupNorm<Float>(groups: 2, channels: 8, affine: false)
        #expect(plain.converted(into: GroupNorm<Double>(groups: 2, channels: 8, affine: false)).scale == nil)
    }

    /// The gradients of the parameters and of the input match finite differences.
    @Test func gradientsMatchFiniteDifferences() {
        var gen = PropertyGenerator(seed: 227)
        for trial in 0..<8 {
            let (shape, groups, channels) = Self.randomCase(&gen, spatialRank: 0...2)
            var norm = GroupNorm<Double>(groups: groups, channels: channels, affine: trial % 4 != 3)
            if norm.scale != nil {
                norm.scale = gen.tensor([channels])
                norm.offset = gen.tensor([channels])
            }
            let x = gen.tensor(shape) * 3 + 1
            let r = gen.tensor(shape)
            if norm.scale != nil {  // without the affine part there are no parameters to differentiate
                let model = checkGradient(of: { (m: GroupNorm<Double>) in (m(x) * r).sum() }, at: norm)
                #expect(model.worstRelativeError < 1e-6, "\(shape), \(groups) groups: \(model)")
            }
            let input = checkGradient(of: { xs in (norm(xs[0]) * r).sum() }, at: [x])
            #expect(input.worstRelativeError < 1e-6, "\(shape), \(groups) groups: \(input)")
        }
    }

    @Test func aMismatchedInputStops() async {
        let channels = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Chain {
                Dense<Float>(3, 4); GroupNorm<Float>(groups: 2, channels: 8)
            }(Tensor<Float>(zeros: [2, 3]))
        }
        #expect(
            channels.standardError.contains(
                "GroupNorm(2 groups, 8 channels) at layers.1: input [2, 4] has 4 channels in its last axis; expected [batch, spatial..., 8] (channels last, rank ≥ 2)"
            ), "\(channels.standardError)")
        let rank = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = GroupNorm<Float>(groups: 2, channels: 8)(Tensor<Float>(zeros: [8]))
        }
        #expect(
            rank.standardError.contains(
                "GroupNorm(2 groups, 8 channels): input [8] has rank 1; expected [batch, spatial..., 8] (channels last, rank ≥ 2)"
            ), "\(rank.standardError)")
        let scale = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            var norm = GroupNorm<Float>(groups: 2, channels: 4)
            norm.scale = Tensor(ones: [2, 4])
            _ = norm(Tensor<Float>(zeros: [2, 4]))
        }
        #expect(
            scale.standardError.contains("GroupNorm(2 groups, 4 channels): scale has shape [2, 4]; expected [4]"),
            "\(scale.standardError)")
    }

    @Test func badSizesAndEpsilonsStop() async {
        let uneven = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = GroupNorm<Float>(groups: 3, channels: 8)
        }
        #expect(
            uneven.standardError.contains("GroupNorm: 8 channels do not split into 3 groups of equal size"),
            "\(uneven.standardError)")
        let zero = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = GroupNorm<Double>(groups: 0, channels: 8)
        }
        #expect(
            zero.standardError.contains(
                "GroupNorm: groups and channels must be positive, got groups: 0, channels: 8"),
            "\(zero.standardError)")
        let negative = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = GroupNorm<Float>(groups: 1, channels: -4)
        }
        #expect(
            negative.standardError.contains(
                "GroupNorm: groups and channels must be positive, got groups: 1, channels: -4"),
            "\(negative.standardError)")
        let epsilon = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = GroupNorm<Float>(groups: 2, channels: 4, epsilon: -1e-5)
        }
        #expect(
            epsilon.standardError.contains("GroupNorm: epsilon must be finite and ≥ 0, got -1e-05"),
            "\(epsilon.standardError)")
        let nan = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = GroupNorm<Double>(groups: 2, channels: 4, epsilon: .nan)
        }
        #expect(
            nan.standardError.contains("GroupNorm: epsilon must be finite and ≥ 0, got nan"), "\(nan.standardError)")
    }
}
