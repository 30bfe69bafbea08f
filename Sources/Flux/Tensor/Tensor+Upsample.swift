// Upsampling an NHWC image by whole factors: nearest-neighbour copies, or bilinear
// interpolation with half-pixel centres (PyTorch's `align_corners=False`).

/// How ``upsample2D(_:scale:mode:)`` fills the new pixels.
public enum UpsampleMode: Hashable, Sendable {
    /// Each input pixel repeated into a `scale.height × scale.width` block (PyTorch's
    /// `mode="nearest"`).
    case nearest
    /// Bilinear interpolation between the four nearest input pixels, with pixel centres at
    /// half-integers (PyTorch's `mode="bilinear", align_corners=False`, and TensorFlow's
    /// `resize(method="bilinear")`); at the border the edge pixels are repeated.
    case bilinear
}

/// An NHWC image enlarged `scale.height` times in height and `scale.width` times in width.
///
/// For output pixel `o` along an axis of input extent `n` and factor `s`, `.nearest` takes
/// input pixel `⌊o / s⌋`; `.bilinear` interpolates at `max((o + ½) / s − ½, 0)` between the
/// pixels on either side (the last one repeated past the edge). Differentiable: each input
/// pixel gets the gradient of the outputs it contributes to, weighted as it contributed.
/// ```swift
/// let larger = upsample2D(image, scale: 2, mode: .bilinear)     // [1, 56, 56, 1]
/// ```
/// - Precondition: `x` is `[batch, height, width, channels]` and both factors are positive.
@inlinable
public func upsample2D<T: TensorFloatingPoint>(_ x: Tensor<T>, scale: Size2D, mode: UpsampleMode = .nearest)
    -> Tensor<T>
{
    upsampled(x, UpsamplePlan("upsample2D", x.shape, scale: scale, mode: mode))
}

/// The output pixels of an upsampling along one axis: for each, the two input pixels it
/// reads and the weight of the second (0 for nearest).
@usableFromInline
struct UpsampleAxis {
    @usableFromInline let input: Int, output: Int
    @usableFromInline let low: [Int], high: [Int], weight: [Double]

    @usableFromInline
    init(input: Int, scale: Int, mode: UpsampleMode) {
        (self.input, output) = (input, input * scale)
        switch mode {
        case .nearest:
            low = (0..<output).map { $0 / scale }
            (high, weight) = (low, [Double](repeating: 0, count: output))
        case .bilinear:
            let sources = (0..<output).map { Swift.max((Double($0) + 0.5) / Double(scale) - 0.5, 0) }
            low = sources.map { Int($0) }
            high = low.map { $0 < input - 1 ? $0 + 1 : $0 }
            weight = zip(sources, low).map { $0 - Double($1) }
        }
    }
}

/// An upsampling's input and the two axes of its output; failures name `operation`.
@usableFromInline
struct UpsamplePlan {
    @usableFromInline let operation: String
    @usableFromInline let batch: Int, channels: Int
    @usableFromInline let rows: UpsampleAxis, columns: UpsampleAxis

    @usableFromInline
    init(_ operation: String, _ shape: [Int], scale: Size2D, mode: UpsampleMode) {
        guard shape.count == 4 else { fail("\(operation): input \(shape) is not [batch, height, width, channels]") }
        guard scale.height > 0, scale.width > 0 else { fail("\(operation): scale \(scale) must be positive") }
        let (height, o1) = shape[1].multipliedReportingOverflow(by: scale.height)
        let (width, o2) = shape[2].multipliedReportingOverflow(by: scale.width)
        guard !o1, !o2, height.multipliedReportingOverflow(by: width).overflow == false else {
            fail("\(operation): input \(shape) scaled by \(scale) has too many pixels for Int")
        }
        (self.operation, batch, channels) = (operation, shape[0], shape[3])
        rows = UpsampleAxis(input: shape[1], scale: scale.height, mode: mode)
        columns = UpsampleAxis(input: shape[2], scale: scale.width, mode: mode)
    }

    @inlinable var inputShape: [Int] { [batch, rows.input, columns.input, channels] }
    @inlinable var outputShape: [Int] { [batch, rows.output, columns.output, channels] }

    /// Calls `body(output pixel, input pixel, weight)` for the (up to) four input pixels that
    /// each output pixel of an image reads, as offsets in elements from the image's start.
    @inlinable
    func forEachTap<T: TensorFloatingPoint>(_ body: (Int, Int, T) -> Void) {
        let (c, width, outWidth) = (channels, columns.input, columns.output)
        for i in 0..<rows.output {
            let (h0, h1, wh) = (rows.low[i], rows.high[i], T(rows.weight[i]))
            for j in 0..<outWidth {
                let (w0, w1, ww) = (columns.low[j], columns.high[j], T(columns.weight[j]))
                let o = (i * outWidth + j) * c
                body(o, (h0 * width + w0) * c, (1 - wh) * (1 - ww))
                if ww != 0 { body(o, (h0 * width + w1) * c, (1 - wh) * ww) }
                if wh != 0 { body(o, (h1 * width + w0) * c, wh * (1 - ww)) }
                if wh != 0 && ww != 0 { body(o, (h1 * width + w1) * c, wh * ww) }
            }
        }
    }
}

/// `x` upsampled as `plan` says: each output pixel the weighted sum of its taps.
@inlinable
func upsampled<T: TensorFloatingPoint>(_ x: Tensor<T>, _ plan: UpsamplePlan) -> Tensor<T> {
    let c = plan.channels
    let (image, outImage) = (plan.rows.input * plan.columns.input * c, plan.rows.output * plan.columns.output * c)
    let value = x.withUnsafeBufferPointer { input in
        Tensor<T>(shape: plan.outputShape, operation: plan.operation) { out in
            out.initialize(repeating: 0)
            for b in 0..<plan.batch {
                let (source, target) = (input.baseAddress! + b * image, out.baseAddress! + b * outImage)
                plan.forEachTap { (o: Int, s: Int, weight: T) in
                    for k in 0..<c { target[o + k] += weight * source[s + k] }
                }
            }
        }
    }
    guard x.isTraced else { return value }
    return x.recording(value) { g in
        g.withUnsafeBufferPointer { g in
            Tensor(shape: plan.inputShape, operation: plan.operation) { gin in
                gin.initialize(repeating: 0)
                for b in 0..<plan.batch {
                    let (source, target) = (g.baseAddress! + b * outImage, gin.baseAddress! + b * image)
                    plan.forEachTap { (o: Int, s: Int, weight: T) in
                        for k in 0..<c { target[s + k] += weight * source[o + k] }
                    }
                }
            }
        }
    }
}

// Holds no tensors: the parameter walk need not search it.
extension UpsampleMode: _NotParameters {}
