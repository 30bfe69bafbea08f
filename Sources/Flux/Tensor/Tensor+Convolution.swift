/// The 2-D convolution (cross-correlation, as PyTorch and JAX compute it) of channels-last
/// images `x`, `[batch, height, width, inChannels]`, with `weight`, `[kernelHeight,
/// kernelWidth, inChannels / groups, outChannels]`, plus `bias` (`[outChannels]`) when given.
///
/// Output element `(n, i, j, o)` is `bias[o] + Σ weight[a, b, c, o] · x[n, i·sh − top + a·dh,
/// j·sw − left + b·dw, g·(inChannels/groups) + c]` over the kernel and the channels of the
/// group `g` that output channel `o` belongs to (`o / (outChannels / groups)`), with zeros
/// outside the input. A PyTorch `Conv2d` weight `[out, in / groups, kh, kw]` becomes this
/// layout with `permute(2, 3, 1, 0)`.
///
/// It is computed as one matrix product per group on the unfolded input (im2col) with BLAS,
/// and so are both gradients.
/// ```swift
/// let images = Tensor<Float>(zeros: [64, 28, 28, 1])
/// let kernel = Tensor<Float>(zeros: [5, 5, 1, 6])
/// let features = conv2D(images, kernel, padding: .same)      // [64, 28, 28, 6]
/// ```
/// - Precondition: the shapes fit, `groups` divides both channel counts, and the padded
///   input is at least as large as the dilated kernel; otherwise the program stops with a
///   message naming the shapes.
@inlinable
public func conv2D<Scalar: TensorFloatingPoint>(
    _ x: Tensor<Scalar>, _ weight: Tensor<Scalar>, bias: Tensor<Scalar>? = nil, stride: Size2D = 1,
    padding: Padding = .valid, dilation: Size2D = 1, groups: Int = 1
) -> Tensor<Scalar> {
    let geometry = ConvolutionGeometry.forward(
        "conv2D", input: x.shape, weight: weight.shape, stride: stride, padding: padding, dilation: dilation,
        groups: groups)
    checkBias(bias, channels: geometry.outChannels, operation: "conv2D")
    return convolved(x, weight, bias, geometry)
}

/// The 1-D convolution of channels-last sequences `x`, `[batch, length, inChannels]`, with
/// `weight`, `[kernelSize, inChannels / groups, outChannels]`: ``conv2D(_:_:bias:stride:padding:dilation:groups:)``
/// on images one row high. A PyTorch `Conv1d` weight `[out, in / groups, k]` becomes this
/// layout with `permute(2, 1, 0)`.
/// ```swift
/// let sequences = Tensor<Float>(zeros: [8, 100, 16])
/// let filters = Tensor<Float>(zeros: [3, 16, 32])
/// let y = conv1D(sequences, filters, padding: .same)      // [8, 100, 32]
/// ```
@inlinable
public func conv1D<Scalar: TensorFloatingPoint>(
    _ x: Tensor<Scalar>, _ weight: Tensor<Scalar>, bias: Tensor<Scalar>? = nil, stride: Int = 1,
    padding: Padding = .valid, dilation: Int = 1, groups: Int = 1
) -> Tensor<Scalar> {
    guard x.rank == 3, weight.rank == 3 else {
        fail(
            "conv1D: input \(x.shape) and weight \(weight.shape) must be [batch, length, channels] and [kernelSize, inChannels / groups, outChannels]"
        )
    }
    if case .explicit(let before, let after) = padding, before.count != 1 || after.count != 1 {
        fail("conv1D: padding \(padding) needs one value before and one after")
    }
    let geometry = ConvolutionGeometry.forward(
        "conv1D", input: [x.shape[0], 1] + x.shape[1...], weight: [1] + weight.shape, stride: Size2D(1, stride),
        padding: padding.onRows, dilation: Size2D(1, dilation), groups: groups)
    checkBias(bias, channels: geometry.outChannels, operation: "conv1D")
    let y = convolved(x.reshaped(to: geometry.inputShape), weight.reshaped(to: geometry.weightShape), bias, geometry)
    return y.reshaped(to: [geometry.batch, geometry.width.output, geometry.outChannels])
}

/// The transposed 2-D convolution of `x`, `[batch, height, width, inChannels]`, with
/// `weight`, `[kernelHeight, kernelWidth, outChannels / groups, inChannels]`: the gradient of
/// ``conv2D(_:_:bias:stride:padding:dilation:groups:)`` with respect to its input, taken as a
/// layer of its own (sometimes called a deconvolution), plus `bias` (`[outChannels]`).
///
/// Each spatial extent grows to `(in − 1) · stride − paddingBefore − paddingAfter +
/// dilation · (kernel − 1) + 1 + outputPadding`, as PyTorch's `ConvTranspose2d` computes it
/// (its `padding=p` is `.symmetric(p)` here); `same` padding gives `in · stride`. A PyTorch
/// `ConvTranspose2d` weight `[in, out / groups, kh, kw]` becomes this layout with
/// `permute(2, 3, 1, 0)`, as a `Conv2d` weight does.
/// ```swift
/// let coarse = Tensor<Float>(zeros: [1, 7, 7, 16])
/// let kernel = Tensor<Float>(zeros: [4, 4, 8, 16])
/// let fine = transposedConv2D(coarse, kernel, stride: 2, padding: 1)   // [1, 14, 14, 8]
/// ```
@inlinable
public func transposedConv2D<Scalar: TensorFloatingPoint>(
    _ x: Tensor<Scalar>, _ weight: Tensor<Scalar>, bias: Tensor<Scalar>? = nil, stride: Size2D = 1,
    padding: Padding = .valid, outputPadding: Size2D = 0, dilation: Size2D = 1, groups: Int = 1
) -> Tensor<Scalar> {
    let geometry = ConvolutionGeometry.transposed(
        "transposedConv2D", input: x.shape, weight: weight.shape, stride: stride, padding: padding,
        dilation: dilation, outputPadding: outputPadding, groups: groups)
    checkBias(bias, channels: geometry.inChannels, operation: "transposedConv2D")
    let (x0, w0) = (x.withoutDerivative, weight.withoutDerivative)
    let columns = geometry.columnGradient(x0, weight: w0)
    var value = geometry.isPointwise ? columns : geometry.folded(columns, bias: bias?.withoutDerivative)
    if geometry.isPointwise, let bias { value = value + bias.withoutDerivative }
    let traced = (x.isTraced, weight.isTraced, bias?.isTraced ?? false)
    guard traced.0 || traced.1 || traced.2 else { return value }
    // The convolution this one transposes, run forward on the output gradient.
    let pullback = { (g: Tensor<Scalar>) -> (Tensor<Scalar>?, Tensor<Scalar>?) in
        let unfolded = geometry.isPointwise ? g : geometry.unfolded(g)
        return (
            traced.0 ? geometry.product(columns: unfolded, weight: w0, bias: nil) : nil,
            traced.1 ? geometry.weightGradient(columns: unfolded, x0) : nil
        )
    }
    guard let bias else {
        return Tensor.recording(value, inputs: [x, weight]) { g in
            let (gx, gw) = pullback(g)
            return [gx, gw]
        }
    }
    let channels = geometry.inChannels
    return Tensor.recording(value, x, weight, bias) { g in
        let (gx, gw) = pullback(g)
        return (gx, gw, traced.2 ? g.summed(to: [channels]) : nil)
    }
}

/// `x` convolved as `geometry` says: forward by one product per group, and a pullback that
/// keeps the unfolded input for the weight gradient.
@inlinable
func convolved<Scalar: TensorFloatingPoint>(
    _ x: Tensor<Scalar>, _ weight: Tensor<Scalar>, _ bias: Tensor<Scalar>?, _ geometry: ConvolutionGeometry
) -> Tensor<Scalar> {
    let x0 = x.withoutDerivative
    let columns = geometry.isPointwise ? x0 : geometry.unfolded(x0)
    let value = geometry.product(columns: columns, weight: weight.withoutDerivative, bias: bias?.withoutDerivative)
    let traced = (x.isTraced, weight.isTraced, bias?.isTraced ?? false)
    guard traced.0 || traced.1 || traced.2 else { return value }
    let w0 = weight.withoutDerivative
    let saved = traced.1 ? columns : nil
    let inputGradient = { (g: Tensor<Scalar>) -> Tensor<Scalar> in
        let columns = geometry.columnGradient(g, weight: w0)
        return geometry.isPointwise ? columns : geometry.folded(columns)
    }
    guard let bias else {
        return Tensor.recording(value, x, weight, inputGradient) { g in geometry.weightGradient(columns: saved!, g) }
    }
    let channels = geometry.outChannels
    return Tensor.recording(value, x, weight, bias) { g in
        (
            traced.0 ? inputGradient(g) : nil, traced.1 ? geometry.weightGradient(columns: saved!, g) : nil,
            traced.2 ? g.summed(to: [channels]) : nil
        )
    }
}

/// Stops naming `operation` unless `bias` is absent or `[channels]`.
@inlinable
func checkBias<Scalar>(_ bias: Tensor<Scalar>?, channels: Int, operation: String) {
    guard let bias, bias.shape != [channels] else { return }
    fail("\(operation): bias \(bias.shape) must be [\(channels)], one per output channel")
}

extension Padding {
    /// This padding for a 1-D input seen as an image one row high: nothing above or below.
    @inlinable var onRows: Padding {
        switch self {
        case .valid, .same: self
        case .explicit(let before, let after):
            .explicit(before: [0] + before, after: [0] + after)
        }
    }
}
