import Flux
import FluxTesting
import Testing

@Suite struct ConvolutionTests {
    /// `conv2D` equals the direct convolution on random shapes, strides, paddings, dilations
    /// and groups, in Double and in Float, with and without bias.
    @Test func convolutionMatchesTheDefinition() {
        var gen = PropertyGenerator(seed: 211)
        for trial in 0..<60 {
            let c = ConvolutionCase.random(&gen.random, depthwise: trial % 5 == 4)
            let x = gen.tensor([c.batch, c.height, c.width, c.inChannels])
            let w = gen.tensor([c.kernel.0, c.kernel.1, c.groupInputs, c.outChannels])
            let bias = trial % 2 == 0 ? gen.tensor([c.outChannels]) : nil
            let expected = c.direct(x, w, bias: bias)
            let stride = Size2D(c.stride.0, c.stride.1)
            let dilation = Size2D(c.dilation.0, c.dilation.1)
            let y = conv2D(x, w, bias: bias, stride: stride, padding: c.padding, dilation: dilation, groups: c.groups)
            #expect(y.isApproximatelyEqual(to: expected, absoluteTolerance: 1e-12), "\(c)")
            let yf = conv2D(
                Tensor<Float>(x), Tensor<Float>(w), bias: bias.map { Tensor<Float>($0) }, stride: stride,
                padding: c.padding, dilation: dilation, groups: c.groups)
            #expect(Tensor<Double>(yf).isApproximatelyEqual(to: expected, absoluteTolerance: 1e-4), "\(c) in Float")
        }
    }

    /// `transposedConv2D` equals the scatter through the kernel, the transpose of the
    /// convolution with the same weight, and an output padding recovers the input size.
    @Test func transposedConvolutionMatchesTheDefinition() {
        var gen = PropertyGenerator(seed: 212)
        for trial in 0..<60 {
            var c = ConvolutionCase.random(&gen.random, depthwise: trial % 5 == 4)
            if c.explicit == nil {  // `same` transposed gives input · stride
                c.height = (c.height + c.stride.0 - 1) / c.stride.0 * c.stride.0
                c.width = (c.width + c.stride.1 - 1) / c.stride.1 * c.stride.1
            }
            let p = c.explicit ?? (0, 0, 0, 0)
            let extra =
                c.explicit == nil
                ? Size2D(0, 0)
                : Size2D(
                    (c.height + p.0 + p.1 - c.dilation.0 * (c.kernel.0 - 1) - 1) % c.stride.0,
                    (c.width + p.2 + p.3 - c.dilation.1 * (c.kernel.1 - 1) - 1) % c.stride.1)
            let x = gen.tensor([c.batch, c.rows.out, c.columns.out, c.outChannels])
            let w = gen.tensor([c.kernel.0, c.kernel.1, c.groupInputs, c.outChannels])
            let bias = trial % 2 == 0 ? gen.tensor([c.inChannels]) : nil
            let y = transposedConv2D(
                x, w, bias: bias, stride: Size2D(c.stride.0, c.stride.1), padding: c.padding, outputPadding: extra,
                dilation: Size2D(c.dilation.0, c.dilation.1), groups: c.groups)
            #expect(y.isApproximatelyEqual(to: c.directTransposed(x, w, bias: bias), absoluteTolerance: 1e-12), "\(c)")
        }
    }

    /// `conv1D` is `conv2D` on images one row high.
    @Test func oneDimensionalConvolutionIsOneRowHigh() {
        var gen = PropertyGenerator(seed: 213)
        for _ in 0..<20 {
            var c = ConvolutionCase.random(&gen.random)
            (c.height, c.kernel.0, c.stride.0, c.dilation.0) = (1, 1, 1, 1)
            if let p = c.explicit { c.explicit = (0, 0, p.2, p.3) }
            let x = gen.tensor([c.batch, c.width, c.inChannels])
            let w = gen.tensor([c.kernel.1, c.groupInputs, c.outChannels])
            let padding: Padding =
                c.explicit.map { p in p.2 == 0 && p.3 == 0 ? .valid : .explicit(before: [p.2], after: [p.3]) } ?? .same
            let y = conv1D(x, w, stride: c.stride.1, padding: padding, dilation: c.dilation.1, groups: c.groups)
            let expected = c.direct(
                x.reshaped(to: [c.batch, 1, c.width, c.inChannels]), w.reshaped(to: [1] + w.shape), bias: nil)
            #expect(y.isApproximatelyEqual(to: expected.reshaped(to: y.shape), absoluteTolerance: 1e-12), "\(c)")
        }
    }

    /// Reverse-mode gradients of every convolution, for its input, weight and bias, match
    /// central finite differences.
    @Test func gradientsMatchFiniteDifferences() {
        var gen = PropertyGenerator(seed: 214)
        for trial in 0..<24 {
            let c = ConvolutionCase.random(&gen.random, depthwise: trial % 6 == 5)
            let stride = Size2D(c.stride.0, c.stride.1)
            let dilation = Size2D(c.dilation.0, c.dilation.1)
            let x = gen.tensor([c.batch, c.height, c.width, c.inChannels])
            let w = gen.tensor([c.kernel.0, c.kernel.1, c.groupInputs, c.outChannels])
            let b = gen.tensor([c.outChannels])
            let r = gen.tensor([c.batch, c.rows.out, c.columns.out, c.outChannels])
            let forward = checkGradient(
                of: { t in
                    (conv2D(
                        t[0], t[1], bias: t[2], stride: stride, padding: c.padding, dilation: dilation, groups: c.groups
                    )
                        * r).sum()
                }, at: [x, w, b])
            #expect(forward.worstRelativeError < 1e-6, "\(c): \(forward)")
            let noBias = checkGradient(
                of: { t in
                    (conv2D(t[0], t[1], stride: stride, padding: c.padding, dilation: dilation, groups: c.groups) * r)
                        .sum()
                }, at: [x, w])
            #expect(noBias.worstRelativeError < 1e-6, "\(c) without bias: \(noBias)")
            guard c.explicit != nil else { continue }
            let p = c.explicit!
            let extra = Size2D(
                (c.height + p.0 + p.1 - c.dilation.0 * (c.kernel.0 - 1) - 1) % c.stride.0,
                (c.width + p.2 + p.3 - c.dilation.1 * (c.kernel.1 - 1) - 1) % c.stride.1)
            let bt = gen.tensor([c.inChannels])
            let back = gen.tensor(x.shape)
            let transposed = checkGradient(
                of: { t in
                    (transposedConv2D(
                        t[0], t[1], bias: t[2], stride: stride, padding: c.padding, outputPadding: extra,
                        dilation: dilation, groups: c.groups) * back).sum()
                }, at: [r, w, bt])
            #expect(transposed.worstRelativeError < 1e-6, "\(c) transposed: \(transposed)")
        }
    }

    /// The layers' parameters get gradients that match finite differences, through the
    /// activation, and a 1×1 convolution (no unfolding) agrees with `Dense` on every pixel.
    @Test func layersDifferentiateAndPointwiseIsDense() {
        var gen = PropertyGenerator(seed: 215)
        var rng = RandomGenerator(seed: 5)
        let x = gen.tensorAwayFromZero([2, 5, 6, 3])
        let conv = Conv2D<Double>(
            3, 4, kernelSize: [3, 2], stride: [2, 1], padding: .same, activation: tanh, using: &rng)
        let r = gen.tensor(conv(x).shape)
        let c2 = checkGradient(of: { (m: Conv2D<Double>) in (m(x) * r).sum() }, at: conv)
        #expect(c2.worstRelativeError < 1e-6, "\(c2)")
        let seq = gen.tensor([2, 7, 4])
        let conv1 = Conv1D<Double>(4, 6, kernelSize: 3, stride: 2, padding: 1, groups: 2, activation: tanh, using: &rng)
        let r1 = gen.tensor(conv1(seq).shape)
        let c1 = checkGradient(of: { (m: Conv1D<Double>) in (m(seq) * r1).sum() }, at: conv1)
        #expect(c1.worstRelativeError < 1e-6, "\(c1)")
        let up = ConvTranspose2D<Double>(3, 2, kernelSize: 3, stride: 2, padding: 1, outputPadding: 1, using: &rng)
        #expect(up(x).shape == [2, 10, 12, 2])
        let ru = gen.tensor([2, 10, 12, 2])
        let ct = checkGradient(of: { (m: ConvTranspose2D<Double>) in (m(x) * ru).sum() }, at: up)
        #expect(ct.worstRelativeError < 1e-6, "\(ct)")

        let pointwise = Conv2D<Double>(3, 5, kernelSize: 1, using: &rng)
        let dense = Dense(weight: pointwise.weight.reshaped(to: [3, 5]), bias: pointwise.bias!)
        #expect(pointwise(x).isApproximatelyEqual(to: dense(x), absoluteTolerance: 1e-12))
        let noBias = Conv2D<Double>(3, 5, kernelSize: 1, useBias: false, using: &rng)
        #expect(noBias.bias == nil && noBias.parameterCount == 15)
        // The optional bias is listed under its layer's type, as the weight is.
        let rows = conv.summary.split(separator: "\n").filter { $0.contains("bias") }
        #expect(rows.count == 1 && rows[0].contains("Conv2D<Double>"), "\(conv.summary)")
    }

    /// The shapes PyTorch gives for the same settings, including "same" with an even kernel
    /// (the odd padding element on the high side) and a strided transposed convolution.
    @Test func outputShapesFollowPyTorch() {
        let x = Tensor<Float>(zeros: [1, 28, 28, 1])
        #expect(Conv2D<Float>(1, 6, kernelSize: 5)(x).shape == [1, 24, 24, 6])
        #expect(Conv2D<Float>(1, 6, kernelSize: 4, padding: .same)(x).shape == [1, 28, 28, 6])
        #expect(Conv2D<Float>(1, 6, kernelSize: 3, stride: 2, padding: 1)(x).shape == [1, 14, 14, 6])
        #expect(Conv2D<Float>(1, 6, kernelSize: 3, stride: 2, padding: .same)(x).shape == [1, 14, 14, 6])
        #expect(Conv2D<Float>(1, 2, kernelSize: 3, dilation: 2)(x).shape == [1, 24, 24, 2])
        #expect(ConvTranspose2D<Float>(1, 3, kernelSize: 2, stride: 2)(x).shape == [1, 56, 56, 3])
        #expect(ConvTranspose2D<Float>(1, 3, kernelSize: 3, stride: 2, padding: .same)(x).shape == [1, 56, 56, 3])
        // "same" with a 2-wide kernel pads 0 before and 1 after: the last column sees the padding.
        let ramp = Tensor<Float>(shape: [1, 1, 3, 1], scalars: [1, 2, 3])
        let pairs = conv2D(ramp, Tensor(ones: [1, 2, 1, 1]), padding: .same)
        #expect(pairs.scalars == [3, 5, 3])
    }

    @Test func mismatchedInputsStopWithTheirShapes() async {
        let wrongChannels = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Chain {
                Conv2D<Float>(3, 8, kernelSize: 3); relu
            }(Tensor<Float>(zeros: [1, 8, 8, 4]))
        }
        #expect(
            wrongChannels.standardError.contains(
                "Conv2D(3 → 8, kernel 3) at layers.0: input [1, 8, 8, 4], expected [batch, height, width, 3]"),
            "\(wrongChannels.standardError)")
        let tooSmall = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = conv2D(Tensor<Float>(zeros: [1, 2, 2, 1]), Tensor<Float>(zeros: [3, 3, 1, 1]))
        }
        #expect(tooSmall.standardError.contains("is smaller than the window [3, 3]"), "\(tooSmall.standardError)")
        let groups = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Conv2D<Float>(4, 6, kernelSize: 3, groups: 4)
        }
        #expect(groups.standardError.contains("Conv2D: groups (4) must be positive and divide both 4 and 6"))
        let badBias = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = conv1D(Tensor<Float>(zeros: [1, 5, 2]), Tensor<Float>(zeros: [3, 2, 4]), bias: Tensor(zeros: [3]))
        }
        #expect(badBias.standardError.contains("conv1D: bias [3] must be [4], one per output channel"))
    }
}

@Suite struct ConvolutionBorderTests {
    /// Windows that overhang both borders of a narrow input (padding larger than the input)
    /// read nothing outside it: the result equals the direct definition.
    @Test func windowsWiderThanTheInputStayInside() {
        var gen = PropertyGenerator(seed: 216)
        for (width, window, before, after, stride) in [
            (2, 3, 0, 2, 1), (1, 3, 1, 1, 1), (2, 4, 2, 2, 2), (3, 5, 1, 3, 3),
        ] {
            var c = ConvolutionCase()
            (c.width, c.kernel.1, c.stride.1, c.groupInputs, c.groupOutputs) = (width, window, stride, 2, 2)
            c.explicit = (0, 0, before, after)
            let x = gen.tensor([1, 1, width, 2])
            let w = gen.tensor([1, window, 2, 2])
            let y = conv2D(x, w, stride: Size2D(1, stride), padding: c.padding)
            #expect(y.isApproximatelyEqual(to: c.direct(x, w, bias: nil), absoluteTolerance: 1e-12), "\(c)")
            let g = checkGradient(
                of: { t in conv2D(t[0], t[1], stride: Size2D(1, stride), padding: c.padding).sum() }, at: [x, w])
            #expect(g.worstRelativeError < 1e-6, "\(c): \(g)")
        }
    }
}

@Suite struct ConvolutionWeightGradientTests {
    /// A weight gradient long enough to be summed on several cores (each its share of the
    /// output positions, then added) equals the sum written out.
    @Test func aLongWeightGradientSplitBetweenCoresIsTheSum() {
        var gen = PropertyGenerator(seed: 217)
        let x = gen.tensor([8, 64, 64, 1])
        let r = gen.tensor([8, 62, 62, 8])
        let w = gen.tensor([3, 3, 1, 8])
        let g = gradient(at: w) { w in (conv2D(x, w) * r).sum() }
        let (xs, rs) = (x.scalars, r.scalars)
        var expected = [Double](repeating: 0, count: 72)
        for n in 0..<8 {
            for i in 0..<62 {
                for j in 0..<62 {
                    for a in 0..<3 {
                        for b in 0..<3 {
                            let xv = xs[(n * 64 + i + a) * 64 + j + b]
                            let base = ((n * 62 + i) * 62 + j) * 8
                            for o in 0..<8 { expected[(a * 3 + b) * 8 + o] += xv * rs[base + o] }
                        }
                    }
                }
            }
        }
        #expect(g.isApproximatelyEqual(to: Tensor(shape: [3, 3, 1, 8], scalars: expected), absoluteTolerance: 1e-9))
        let gf = gradient(at: Tensor<Float>(w)) { w in (conv2D(Tensor<Float>(x), w) * Tensor<Float>(r)).sum() }
        #expect(Tensor<Double>(gf).isApproximatelyEqual(to: g, absoluteTolerance: 1e-2, relativeTolerance: 1e-4))
    }
}

@Suite struct ImageLayerEdgeTests {
    /// An empty batch passes through every image layer with the right shape, and the weights'
    /// gradients over it are zeros (as PyTorch's are).
    @Test func emptyBatchesPassThrough() {
        var rng = RandomGenerator(seed: 7)
        let model = Chain {
            Conv2D<Double>(3, 4, kernelSize: 3, padding: 1, using: &rng)
            BatchNorm<Double>(4, mode: .inference)
            MaxPool2D<Double>(2)
            ConvTranspose2D<Double>(4, 2, kernelSize: 2, stride: 2, using: &rng)
            GroupNorm<Double>(groups: 1, channels: 2)
            Flatten<Double>()
        }
        let empty = Tensor<Double>(zeros: [0, 6, 6, 3])
        #expect(model(empty).shape == [0, 72])
        let g = gradient(at: model) { m in m(empty).sum() }
        for (path, tensor) in g.tensors(of: Double.self) {
            #expect(tensor.scalars.allSatisfy { $0 == 0 }, "\(path)")
        }
        #expect(Conv1D<Double>(2, 3, kernelSize: 2, using: &rng)(Tensor(zeros: [0, 5, 2])).shape == [0, 4, 3])
    }
}
