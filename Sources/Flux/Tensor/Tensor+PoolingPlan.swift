// Where pooling windows fall on an NHWC input, checked once; and how a pooling kernel's
// work is split between cores.

/// Where the windows of a pooling fall on an NHWC input (a 1-D input has height 1).
@usableFromInline
struct PoolingPlan {
    /// What failures name: the operation (`maxPool2D`) or the layer (`MaxPool2D(2)`).
    @usableFromInline let operation: String
    @usableFromInline let batch: Int, channels: Int
    /// The windows along the height and along the width.
    @usableFromInline let rows: AxisWindow, columns: AxisWindow

    @usableFromInline
    init(_ operation: String, batch: Int, channels: Int, rows: AxisWindow, columns: AxisWindow) {
        (self.operation, self.batch, self.channels, self.rows, self.columns) =
            (operation, batch, channels, rows, columns)
    }

    @inlinable var inputShape: [Int] { [batch, rows.input, columns.input, channels] }
    @inlinable var outputShape: [Int] { [batch, rows.output, columns.output, channels] }
    /// `[batch, length, channels]` of a 1-D pooling's result.
    @inlinable var outputShape1D: [Int] { [batch, columns.output, channels] }

    /// The input rows that output row `i` of an image answers for in a backward pass (it
    /// zeroes them before adding its gradients): from its window's first row to the next
    /// window's, the first and the last output rows taking the input's edges too. Over all
    /// output rows these split the input's rows, each row to one output row.
    @inlinable
    func ownedInputRows(_ i: Int) -> Range<Int> {
        let start = { (i: Int) in Swift.min(Swift.max(i &* rows.stride &- rows.before, 0), rows.input) }
        return (i == 0 ? 0 : start(i))..<(i == rows.output &- 1 ? rows.input : start(i &+ 1))
    }
}

extension AxisWindow {
    /// The input positions that window `i` covers, padding left out: `low..<high`, never
    /// empty once ``poolingPlan2D(_:_:window:stride:padding:)`` has checked the placement.
    /// (Pooling windows are not dilated.)
    @inlinable
    func taps(_ i: Int) -> (low: Int, high: Int) {
        let start = i * stride - before
        return (Swift.max(start, 0), Swift.min(start + window, input))
    }

    /// Whether some window covers only padding (its first or its last; those between lie
    /// between them).
    var coversOnlyPaddingSomewhere: Bool {
        let (first, last) = (taps(0), taps(output - 1))
        return first.low >= first.high || last.low >= last.high
    }
}

/// The plan of a 2-D pooling of an input of `shape`, checked; failures name `operation`.
@usableFromInline
func poolingPlan2D(_ operation: String, _ shape: [Int], window: Size2D, stride: Size2D?, padding: Padding)
    -> PoolingPlan
{
    guard shape.count == 4 else {
        fail("\(operation): input \(shape) is not [batch, height, width, channels]")
    }
    let stride = stride ?? window
    let axes = windowGeometry(
        operation, spatial: [shape[1], shape[2]], window: window.extents, stride: stride.extents, dilation: [1, 1],
        padding: padding)
    for (i, axis) in axes.enumerated() where axis.coversOnlyPaddingSomewhere {
        fail(
            "\(operation): input \(shape) padded by \(padding) leaves a window \(window) at stride \(stride) over padding only on spatial axis \(i)"
        )
    }
    return PoolingPlan(operation, batch: shape[0], channels: shape[3], rows: axes[0], columns: axes[1])
}

/// The plan of a 1-D pooling of an input of `shape`, as a 2-D one of height 1.
@usableFromInline
func poolingPlan1D(_ operation: String, _ shape: [Int], window: Int, stride: Int?, padding: Padding)
    -> PoolingPlan
{
    guard shape.count == 3 else { fail("\(operation): input \(shape) is not [batch, length, channels]") }
    let stride = stride ?? window
    let axis = windowGeometry(
        operation, spatial: [shape[1]], window: [window], stride: [stride], dilation: [1], padding: padding)[0]
    if axis.coversOnlyPaddingSomewhere {
        fail(
            "\(operation): input \(shape) padded by \(padding) leaves a window \(window) at stride \(stride) over padding only"
        )
    }
    let row = AxisWindow(input: 1, window: 1, stride: 1, dilation: 1, before: 0, after: 0, output: 1)
    return PoolingPlan(operation, batch: shape[0], channels: shape[2], rows: row, columns: axis)
}

/// `shape`, checked to have `rank` axes and a positive spatial extent for a global pooling.
@usableFromInline
func globalPoolingShape(_ operation: String, _ shape: [Int], rank: Int) -> [Int] {
    let layout = rank == 4 ? "[batch, height, width, channels]" : "[batch, length, channels]"
    guard shape.count == rank else { fail("\(operation): input \(shape) is not \(layout)") }
    guard shape[1..<(rank - 1)].allSatisfy({ $0 > 0 }) else {
        fail("\(operation): input \(shape) has no position to pool (\(layout))")
    }
    return shape
}

/// The input pixels under one window (padding left out) of an image `width` pixels wide.
@usableFromInline
struct WindowTaps {
    @usableFromInline let rows: (low: Int, high: Int), columns: (low: Int, high: Int)
    @usableFromInline let width: Int, channels: Int

    /// The taps of the window of output pixel `(i, j)`.
    @inlinable @inline(__always)
    init(_ plan: PoolingPlan, _ i: Int, _ j: Int) {
        (rows, columns) = (plan.rows.taps(i), plan.columns.taps(j))
        (width, channels) = (plan.columns.input, plan.channels)
    }

    /// The position (`row · width + column`) of the first pixel.
    @inlinable var first: Int { rows.low &* width &+ columns.low }

    /// How many pixels of the input the window covers.
    @inlinable var count: Int { (rows.high &- rows.low) &* (columns.high &- columns.low) }
}

/// Calls `body(k)` for groups of four channels `k..<k + 4` that cover `0..<channels` (at
/// least four), the last group moved back to end at `channels`. It then overlaps the group
/// before, which is harmless when, as in the forward kernels, a group's results depend on
/// the input alone: a channel computed twice is written twice with the same value.
///
/// Four channels at a time, kept in registers over a window, vectorise. A loop over the
/// channels of each tap vectorised only from eight channels on and ran element by element
/// below, 3× slower on the LeNet benchmark's six.
@inlinable @inline(__always)
func forEachChannelGroup(_ channels: Int, _ body: (Int) -> Void) {
    var k = 0
    while k < channels {
        body(Swift.min(k, channels &- 4))
        k &+= 4
    }
}

/// One pooling kernel over a range of output rows (those of every image, one image after
/// the other: `batch · outputHeight` rows), for ``forEachChunk(of:splitting:_:)``.
@usableFromInline
struct PoolingPart<T: TensorFloatingPoint>: ChunkedWork {
    @usableFromInline
    enum Kernel { case max, maxGradient, average, averageGradient }

    @usableFromInline let kernel: Kernel, plan: PoolingPlan, countsPadding: Bool
    /// The input and the output (forward), or the output's gradient and the input's (backward).
    @usableFromInline let source: UnsafePointer<T>, target: UnsafeMutablePointer<T>
    /// Where each maximum is, written by `max` (when given) and read by `maxGradient`.
    @usableFromInline let argmax: UnsafeMutablePointer<Int32>?

    @inlinable
    init(
        _ kernel: Kernel, _ plan: PoolingPlan, source: UnsafePointer<T>, target: UnsafeMutablePointer<T>,
        argmax: UnsafeMutablePointer<Int32>? = nil, countsPadding: Bool = true
    ) {
        (self.kernel, self.plan, self.countsPadding) = (kernel, plan, countsPadding)
        (self.source, self.target, self.argmax) = (source, target, argmax)
    }

    @inlinable
    func callAsFunction(_ rows: Range<Int>) {
        switch kernel {
        case .max: maxPoolForward(source, plan, target, argmax: argmax, rows: rows)
        case .maxGradient: maxPoolBackward(source, argmax!, plan, target, rows: rows)
        case .average: averagePoolForward(source, plan, target, countsPadding: countsPadding, rows: rows)
        case .averageGradient: averagePoolBackward(source, plan, target, countsPadding: countsPadding, rows: rows)
        }
    }

    /// Runs the kernel over every output row, split between cores when there is enough work
    /// and the parts write apart: a backward pass adds into the input rows under its
    /// windows, so it splits only when windows do not overlap vertically.
    @inlinable
    func run() {
        let rows = plan.batch &* plan.rows.output
        let work = rows &* plan.columns.output &* plan.channels &* plan.rows.window &* plan.columns.window
        let apart = kernel == .max || kernel == .average || plan.rows.stride >= plan.rows.window
        forEachChunk(of: rows, splitting: apart && work >= parallelThreshold, self)
    }
}
