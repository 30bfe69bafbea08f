import Flux
import FluxTesting
import Testing

@Suite struct BatchNormTests {
    /// A training step normalises with the batch statistics and returns, in the updated
    /// model, running statistics moved by PyTorch's rule; the model it started from is unchanged.
    @Test func aTrainingStepUpdatesTheRunningStatisticsPurely() {
        var gen = PropertyGenerator(seed: 301)
        let x = gen.tensor([4, 3, 2, 5]) * 2 + 1
        var model = Chain {
            BatchNorm<Double>(5); Dense<Double>(5, 1)
        }
        let before = model
        var optimizer = SGD(for: model, learningRate: 0.1)
        let (_, grad) = valueWithGradient(at: model) { m in m(x).sum() }
        optimizer.update(&model, along: grad)
        let axes = [0, 1, 2]
        let n = 24.0
        let mean = x.mean(alongAxes: axes)
        let unbiased = ((x - mean) * (x - mean)).sum(alongAxes: axes) / (n - 1)
        let bn = model.body.first
        #expect(bn.runningMean.isApproximatelyEqual(to: mean * 0.1, absoluteTolerance: 1e-12))
        #expect(
            bn.runningVariance.isApproximatelyEqual(
                to: Tensor(ones: [5]) * 0.9 + unbiased * 0.1, absoluteTolerance: 1e-12))
        #expect(before.body.first.runningMean == Tensor<Double>(zeros: [5]))
        #expect(before.body.first.runningVariance == Tensor<Double>(ones: [5]))
        // The scale and offset were trained by the same step.
        #expect(bn.scale != before.body.first.scale || bn.offset != before.body.first.offset)
        // Outside a gradient computation the layer infers with the running statistics.
        let y = bn(x)
        let expected = (x - bn.runningMean) / sqrt(bn.runningVariance + 1e-5) * bn.scale + bn.offset
        #expect(y.isApproximatelyEqual(to: expected, absoluteTolerance: 1e-12))
    }

    /// In training mode the output has per-channel mean 0 and variance 1 (before the affine
    /// part), and gradients through the batch statistics match finite differences; in
    /// inference mode too, with the running statistics as constants.
    @Test func gradientsMatchFiniteDifferencesInBothModes() {
        var gen = PropertyGenerator(seed: 302)
        for trial in 0..<6 {
            let shape = [Int.random(in: 2...4, using: &gen.random)] + gen.shape(rank: 0...2, extent: 1...3) + [3]
            let x = gen.tensor(shape) * 1.5 + 0.5
            let r = gen.tensor(shape)
            var bn = BatchNorm<Double>(3, mode: trial % 2 == 0 ? .training : .inference)
            bn.scale = gen.tensor([3])
            bn.offset = gen.tensor([3])
            bn.runningMean = gen.tensor([3])
            bn.runningVariance = gen.tensor([3], in: 0.5..<2)
            if bn.mode == .training {
                var plain = bn
                (plain.scale, plain.offset) = (Tensor(ones: [3]), Tensor(zeros: [3]))
                let y = plain(x)
                let axes = Array(0..<(x.rank - 1))
                #expect(y.mean(alongAxes: axes).isApproximatelyEqual(to: Tensor(zeros: [3]), absoluteTolerance: 1e-12))
            }
            let model = checkGradient(of: { (m: BatchNorm<Double>) in (m(x) * r).sum() }, at: bn)
            #expect(model.worstRelativeError < 1e-6, "\(bn.mode): \(model)")
            let input = checkGradient(of: { xs in (bn(xs[0]) * r).sum() }, at: [x])
            #expect(input.worstRelativeError < 1e-6, "\(bn.mode): \(input)")
        }
    }

    /// `withMode` reaches every layer in a model; `automatic` trains only inside a gradient
    /// computation of the model.
    @Test func modesComposeThroughAModel() {
        var gen = PropertyGenerator(seed: 303)
        let x = gen.tensor([6, 4]) * 3 + 2
        let model = Chain {
            Dense<Double>(4, 4); BatchNorm<Double>(4); Dropout<Double>(0.5)
        }
        let inference = model.withMode(.inference)
        #expect(inference.body.first.second.mode == .inference && inference.body.second.mode == .inference)
        #expect(model.body.first.second.mode == .automatic)
        let stack = LayerArray([BatchNorm<Double>(4), BatchNorm<Double>(4)]).withMode(.training)
        #expect(stack.layers.allSatisfy { $0.mode == .training })
        // Automatic outside a gradient: inference, deterministic, equal to the inference model.
        #expect(model(x) == inference(x))
        // Inside a gradient computation, the automatic model trains and the inference one does not.
        let trained = gradient(at: model) { m in m(x).sum() }
        let inferred = gradient(at: inference) { m in m(x).sum() }
        #expect(trained.base.body.first.second.runningMean != model.body.first.second.runningMean)
        #expect(inferred.base.body.first.second.runningMean == model.body.first.second.runningMean)
    }

    @Test func badInputsStop() async {
        let wrong = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Chain {
                Dense<Float>(3, 4); BatchNorm<Float>(5)
            }(Tensor<Float>(zeros: [2, 3]))
        }
        #expect(
            wrong.standardError.contains("BatchNorm(5) at layers.1: input [2, 4], expected [batch, ..., 5]"),
            "\(wrong.standardError)")
        let single = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = BatchNorm<Float>(2, mode: .training)(Tensor<Float>(zeros: [1, 2]))
        }
        #expect(single.standardError.contains("training needs more than one value per channel"))
        let momentum = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = BatchNorm<Float>(2, momentum: 1.5)
        }
        #expect(momentum.standardError.contains("BatchNorm: momentum must satisfy 0 ≤ momentum ≤ 1, got 1.5"))
    }
}

@Suite struct LayerStateTests {
    /// A layer of the user's own with a ``LayerState`` counter: each training step adds one in
    /// the model the optimizer returns; a call outside a gradient computation changes nothing.
    @Test func aCustomStateCountsTrainingSteps() {
        struct Counter: Model {
            var weight = Tensor<Float>(ones: [1])
            @LayerState var calls = 0
            func callAsFunction(_ x: Tensor<Float>) -> Tensor<Float> {
                $calls.update(to: calls + 1)
                return x * weight
            }
        }
        var model = Counter()
        var optimizer = SGD(for: model, learningRate: 0.1)
        let x = Tensor<Float>([1, 2])
        for _ in 0..<3 {
            _ = model(x)
            let (_, grad) = valueWithGradient(at: model) { m in m(x).sum() }
            optimizer.update(&model, along: grad)
        }
        #expect(model.calls == 3)
        #expect(model.parameters(of: Float.self).map(\.path) == ["weight"])
    }

    /// Converting a trained model to another precision keeps its running statistics.
    @Test func precisionConversionCarriesRunningStatistics() {
        var model = Chain {
            Dense<Float>(3, 4); BatchNorm<Float>(4)
        }
        var optimizer = SGD(for: model, learningRate: 0.1)
        var rng = RandomGenerator(seed: 42)
        let x = Tensor<Float>(randomNormal: [8, 3], using: &rng)
        let (_, grad) = valueWithGradient(at: model) { m in m(x).sum() }
        optimizer.update(&model, along: grad)
        let double = model.converted(
            into: Chain(of: Double.self) {
                Dense<Double>(3, 4); BatchNorm<Double>(4)
            })
        #expect(double.body.second.runningMean == Tensor<Double>(model.body.second.runningMean))
        #expect(double.body.second.runningVariance == Tensor<Double>(model.body.second.runningVariance))
        #expect(double.body.second.runningMean != Tensor(zeros: [4]))
    }
}
