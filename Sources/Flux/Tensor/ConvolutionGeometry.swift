/// The shapes of one 2-D convolution in channels-last layout, checked once: an input
/// `[batch, height, width, inChannels]`, a weight `[kernelHeight, kernelWidth,
/// inChannels / groups, outChannels]` and an output `[batch, outHeight, outWidth, outChannels]`.
///
/// A transposed convolution uses the geometry of the convolution it transposes (its input is
/// that convolution's output), so both share the same three products (ConvolutionKernels.swift).
@usableFromInline
struct ConvolutionGeometry: Sendable {
    @usableFromInline let batch: Int
    @usableFromInline let height: AxisWindow
    @usableFromInline let width: AxisWindow
    @usableFromInline let inChannels: Int
    @usableFromInline let outChannels: Int
    @usableFromInline let groups: Int

    @inlinable
    init(batch: Int, height: AxisWindow, width: AxisWindow, inChannels: Int, outChannels: Int, groups: Int) {
        (self.batch, self.height, self.width) = (batch, height, width)
        (self.inChannels, self.outChannels, self.groups) = (inChannels, outChannels, groups)
    }

    /// Input channels per group.
    @inlinable var groupInputs: Int { inChannels / groups }
    /// Output channels per group.
    @inlinable var groupOutputs: Int { outChannels / groups }
    /// One group's patch: `kernelHeight · kernelWidth · groupInputs` inputs per output.
    @inlinable var patch: Int { height.window * width.window * groupInputs }
    /// Output positions over the whole batch: the rows of the unfolded input.
    @inlinable var rows: Int { batch * height.output * width.output }
    /// Whether the unfolded input is the input itself (a 1×1 kernel, stride 1, no padding,
    /// one group), so that nothing needs to be unfolded.
    @inlinable var isPointwise: Bool {
        height.window == 1 && width.window == 1 && height.stride == 1 && width.stride == 1 && height.before == 0
            && height.after == 0 && width.before == 0 && width.after == 0 && groups == 1
    }

    @inlinable var inputShape: [Int] { [batch, height.input, width.input, inChannels] }
    @inlinable var outputShape: [Int] { [batch, height.output, width.output, outChannels] }
    @inlinable var weightShape: [Int] { [height.window, width.window, groupInputs, outChannels] }
    /// The unfolded input: one row per output position, one patch per group.
    @inlinable var columnsShape: [Int] { [rows, groups * patch] }

    /// Multiply-adds in one of the three products (the forward pass, the input gradient or
    /// the weight gradient).
    @inlinable var multiplyAdds: Double { Double(rows) * Double(patch) * Double(outChannels) }
}

extension ConvolutionGeometry {
    /// The geometry of convolving `input` with `weight`, or a stop naming `operation` and the
    /// shapes when they do not fit.
    @usableFromInline
    static func forward(
        _ operation: String, input: [Int], weight: [Int], stride: Size2D, padding: Padding, dilation: Size2D,
        groups: Int
    ) -> ConvolutionGeometry {
        let kernel = checkedKernel(operation, input: input, weight: weight, groups: groups, channelAxis: 3)
        let axes = windowGeometry(
            "\(operation) of input \(input) with weight \(weight)", spatial: [input[1], input[2]], window: kernel,
            stride: stride.extents, dilation: dilation.extents, padding: padding)
        return ConvolutionGeometry(
            batch: input[0], height: axes[0], width: axes[1], inChannels: input[3], outChannels: weight[3],
            groups: groups)
    }

    /// The geometry of the convolution whose input gradient a transposed convolution of
    /// `input` (that convolution's output) computes: its input extent is
    /// `(input − 1) · stride + dilated kernel − padding + outputPadding` along each axis, or
    /// `input · stride` for `same` padding.
    @usableFromInline
    static func transposed(
        _ operation: String, input: [Int], weight: [Int], stride: Size2D, padding: Padding, dilation: Size2D,
        outputPadding: Size2D, groups: Int
    ) -> ConvolutionGeometry {
        let kernel = checkedKernel(operation, input: input, weight: weight, groups: groups, channelAxis: 2)
        let (strides, dilations, extra) = (stride.extents, dilation.extents, outputPadding.extents)
        guard strides.allSatisfy({ $0 > 0 }), dilations.allSatisfy({ $0 > 0 }) else {
            fail("\(operation): stride \(stride) and dilation \(dilation) must be positive")
        }
        guard (0..<2).allSatisfy({ extra[$0] >= 0 && extra[$0] < Swift.max(strides[$0], dilations[$0]) }) else {
            fail(
                "\(operation): output padding \(outputPadding) must be non-negative and smaller than the stride \(stride) or the dilation \(dilation)"
            )
        }
        var spatial: [Int] = []
        for axis in 0..<2 {
            let span = dilations[axis] * (kernel[axis] - 1) + 1
            let full = (input[axis + 1] - 1) * strides[axis] + span + extra[axis]
            switch padding {
            case .valid: spatial.append(full)
            case .same: spatial.append(input[axis + 1] * strides[axis])
            case .explicit(let before, let after):
                guard before.count == 1 || before.count == 2, after.count == 1 || after.count == 2 else {
                    fail("\(operation): padding \(padding) needs 1 or 2 values before and after")
                }
                let cut = before[before.count == 1 ? 0 : axis] + after[after.count == 1 ? 0 : axis]
                spatial.append(full - cut)
            }
            guard spatial[axis] > 0 else {
                fail("\(operation): input \(input) with weight \(weight) and padding \(padding) leaves no output")
            }
        }
        // The convolution of that extent with the same padding has `input` outputs (an output
        // padding adds trailing elements that no window reaches: they get the bias alone).
        let axes = windowGeometry(
            "\(operation) of input \(input) with weight \(weight)", spatial: spatial, window: kernel,
            stride: strides, dilation: dilations, padding: padding
        ).enumerated().map { axis, window in
            AxisWindow(
                input: window.input, window: window.window, stride: window.stride, dilation: window.dilation,
                before: window.before, after: window.after, output: input[axis + 1])
        }
        return ConvolutionGeometry(
            batch: input[0], height: axes[0], width: axes[1], inChannels: weight[2] * groups,
            outChannels: weight[3], groups: groups)
    }

    /// The kernel's extents, after checking ranks, groups and the channels that must agree
    /// (`channelAxis` is the weight axis that meets the input's channels).
    private static func checkedKernel(
        _ operation: String, input: [Int], weight: [Int], groups: Int, channelAxis: Int
    ) -> [Int] {
        guard input.count == 4, weight.count == 4 else {
            fail(
                "\(operation): input \(input) and weight \(weight) must be [batch, height, width, channels] and [kernelHeight, kernelWidth, inChannels / groups, outChannels]"
            )
        }
        guard groups > 0, weight[3] % groups == 0, weight.allSatisfy({ $0 > 0 }) else {
            fail(
                "\(operation): weight \(weight) must have positive extents and output channels divisible by the \(groups) groups"
            )
        }
        let expected = channelAxis == 3 ? weight[2] * groups : weight[3]
        guard input[3] == expected else {
            fail(
                "\(operation): input \(input) has \(input[3]) channels, but weight \(weight) with \(groups) group\(groups == 1 ? "" : "s") takes \(expected)"
            )
        }
        return [weight[0], weight[1]]
    }
}
