// The shared vocabulary of convolutions and pooling: per-axis sizes, padding, and where a
// sliding window falls on each spatial axis of a channels-last (NHWC) tensor.

/// Two sizes, one per spatial axis of an image (height, then width): a kernel's extents, a
/// stride or a dilation. An integer literal means the same on both axes, an array literal
/// gives both: `kernelSize: 5`, `stride: [2, 1]`.
public struct Size2D: Hashable, Sendable, ExpressibleByIntegerLiteral, ExpressibleByArrayLiteral,
    CustomStringConvertible
{
    /// Along the image's rows (axis 1 of `[batch, height, width, channels]`).
    public var height: Int
    /// Along the image's columns (axis 2).
    public var width: Int

    /// `height` and `width`.
    public init(_ height: Int, _ width: Int) { (self.height, self.width) = (height, width) }

    /// The same size on both axes.
    public init(integerLiteral value: Int) { self.init(value, value) }

    /// `[height, width]`.
    public init(arrayLiteral elements: Int...) {
        guard elements.count == 2 else {
            fail("Size2D: an array literal gives [height, width], got \(elements.count) values \(elements)")
        }
        self.init(elements[0], elements[1])
    }

    /// `[height, width]`.
    @inlinable public var extents: [Int] { [height, width] }

    public var description: String { height == width ? "\(height)" : "\(height)×\(width)" }
}

/// How a convolution or pooling window treats the border of its input.
///
/// - `valid`: no padding; the window stays inside the input.
/// - `same`: the output has `⌈input / stride⌉` positions along each axis. The padding this
///   needs is split in two, and an odd extra element goes on the high side (bottom, right),
///   as TensorFlow and JAX do (PyTorch's `padding="same"` does the same, and allows only
///   stride 1).
/// - `explicit(before:after:)`: the given amounts before and after each spatial axis.
///
/// An integer literal pads every side by that amount, as PyTorch's `padding=2`: `padding: 2`.
public enum Padding: Hashable, Sendable, ExpressibleByIntegerLiteral, CustomStringConvertible {
    case valid
    case same
    /// `before[i]` and `after[i]` elements added to spatial axis `i` (one value each for
    /// `Conv1D`, two for `Conv2D`).
    case explicit(before: [Int], after: [Int])

    /// `amount` on every side of every spatial axis.
    public init(integerLiteral amount: Int) { self = .symmetric(amount) }

    /// `amount` on every side of every spatial axis (PyTorch's `padding=amount`).
    public static func symmetric(_ amount: Int) -> Padding { .explicit(before: [amount], after: [amount]) }

    public var description: String {
        switch self {
        case .valid: "valid"
        case .same: "same"
        case .explicit(let before, let after):
            before == after && Set(before).count == 1 && !before.isEmpty
                ? "\(before[0])" : "before \(before), after \(after)"
        }
    }
}

/// Where a sliding window falls along one spatial axis.
@usableFromInline
struct AxisWindow: Hashable, Sendable {
    /// The input's extent, the window's extent, its step and the gap between its taps.
    @usableFromInline let input: Int
    @usableFromInline let window: Int
    @usableFromInline let stride: Int
    @usableFromInline let dilation: Int
    /// Padding before the first and after the last input element.
    @usableFromInline let before: Int
    @usableFromInline let after: Int
    /// Window positions.
    @usableFromInline let output: Int

    /// The extent the window covers, taps and gaps: `dilation · (window − 1) + 1`.
    @inlinable var span: Int { dilation * (window - 1) + 1 }

    /// The output positions whose window lies wholly inside the input (no padding under it).
    @inlinable var inside: Range<Int> {
        let first = Swift.min((before + stride - 1) / stride, output)
        let room = input + before - span  // the last start inside is `room`, when it is ≥ 0
        guard room >= 0 else { return first..<first }
        return first..<Swift.max(first, Swift.min(output, room / stride + 1))
    }

    @inlinable
    init(input: Int, window: Int, stride: Int, dilation: Int, before: Int, after: Int, output: Int) {
        (self.input, self.window, self.stride, self.dilation) = (input, window, stride, dilation)
        (self.before, self.after, self.output) = (before, after, output)
    }
}

/// The window's placement on each spatial axis, checked: every size positive, padding
/// non-negative, and at least one output position; a failure names `operation` and the shapes.
///
/// `spatial` are the input's spatial extents, `window`, `stride` and `dilation` one value per
/// spatial axis. An explicit padding with one value is used on every axis.
@usableFromInline
func windowGeometry(
    _ operation: @autoclosure () -> String, spatial: [Int], window: [Int], stride: [Int], dilation: [Int],
    padding: Padding
) -> [AxisWindow] {
    let n = spatial.count
    guard window.count == n, stride.count == n, dilation.count == n else {
        fail("\(operation()): window \(window), stride \(stride) and dilation \(dilation) need \(n) values each")
    }
    guard window.allSatisfy({ $0 > 0 }), stride.allSatisfy({ $0 > 0 }), dilation.allSatisfy({ $0 > 0 }) else {
        fail("\(operation()): window \(window), stride \(stride) and dilation \(dilation) must be positive")
    }
    var axes: [AxisWindow] = []
    for i in 0..<n {
        let span = dilation[i] * (window[i] - 1) + 1
        let (before, after): (Int, Int)
        switch padding {
        case .valid:
            (before, after) = (0, 0)
        case .same:
            let output = (spatial[i] + stride[i] - 1) / stride[i]
            let total = Swift.max((output - 1) * stride[i] + span - spatial[i], 0)
            (before, after) = (total / 2, total - total / 2)
        case .explicit(let lows, let highs):
            guard (lows.count == n || lows.count == 1) && (highs.count == n || highs.count == 1) else {
                fail("\(operation()): padding \(padding) needs 1 or \(n) values before and after")
            }
            (before, after) = (lows.count == 1 ? lows[0] : lows[i], highs.count == 1 ? highs[0] : highs[i])
            guard before >= 0, after >= 0 else { fail("\(operation()): padding \(padding) must not be negative") }
        }
        let padded = spatial[i] + before + after
        guard padded >= span else {
            let dilated = dilation.allSatisfy { $0 == 1 } ? "" : " dilated by \(dilation)"
            fail(
                "\(operation()): spatial input \(spatial) padded by \(padding) is smaller than the window \(window)\(dilated) on axis \(i)"
            )
        }
        axes.append(
            AxisWindow(
                input: spatial[i], window: window[i], stride: stride[i], dilation: dilation[i], before: before,
                after: after, output: (padded - span) / stride[i] + 1))
    }
    return axes
}

// Enums hold nothing the parameter walk must search: without these the walk would reflect
// over every stored Padding at every step, looking for tensors.
extension Padding: _NotParameters {}
