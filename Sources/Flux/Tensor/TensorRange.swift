/// One entry of a tensor subscript, as in NumPy: an index, a range with a stride, all of
/// an axis, the remaining axes, or a new axis of extent 1.
///
/// ```swift
/// x[1]                                   // row 1 (the axis is dropped)
/// x[0..<2, TensorRange.all, 3...]        // ranges; negative bounds count from the end
/// x[(0..<10).strided(by: 2)]             // every other element
/// x[TensorRange.reversed]                // a negative stride
/// x[TensorRange.ellipsis, 0]             // the first element of the last axis
/// x[TensorRange.newAxis]                 // a leading axis of extent 1
/// ```
public enum TensorRange: TensorRangeExpression, Equatable, Sendable {
    /// One position; the axis is removed. Negative indices count from the end.
    case index(Int)
    /// Positions `start, start + stride, …` before `end`, with Python's rules: nil bounds
    /// mean the whole axis in the stride's direction, negative bounds count from the end,
    /// and bounds beyond the axis are clipped.
    case range(start: Int?, end: Int?, stride: Int)
    /// The whole axis.
    case all
    /// As many whole axes as needed to reach the entries after it.
    case ellipsis
    /// A new axis of extent 1.
    case newAxis

    /// The whole axis in reverse order.
    public static var reversed: TensorRange { .range(start: nil, end: nil, stride: -1) }

    public var tensorRange: TensorRange { self }
}

/// A value that can stand in a tensor subscript.
public protocol TensorRangeExpression {
    /// The entry it stands for.
    var tensorRange: TensorRange { get }
}

extension Int: TensorRangeExpression {
    public var tensorRange: TensorRange { .index(self) }
}

extension Range: TensorRangeExpression where Bound == Int {
    public var tensorRange: TensorRange { .range(start: lowerBound, end: upperBound, stride: 1) }

    /// Every `stride`-th position of this range, as a subscript entry.
    public func strided(by stride: Int) -> TensorRange { .range(start: lowerBound, end: upperBound, stride: stride) }
}

extension ClosedRange: TensorRangeExpression where Bound == Int {
    public var tensorRange: TensorRange { .range(start: lowerBound, end: endAfter(upperBound), stride: 1) }
}

extension PartialRangeFrom: TensorRangeExpression where Bound == Int {
    public var tensorRange: TensorRange { .range(start: lowerBound, end: nil, stride: 1) }
}

extension PartialRangeUpTo: TensorRangeExpression where Bound == Int {
    public var tensorRange: TensorRange { .range(start: nil, end: upperBound, stride: 1) }
}

extension PartialRangeThrough: TensorRangeExpression where Bound == Int {
    public var tensorRange: TensorRange { .range(start: nil, end: endAfter(upperBound), stride: 1) }
}

/// The exclusive end of a range through `last`: nil (the end of the axis) for -1, the last
/// position, and for `Int.max`, which has no successor and lies past every axis anyway.
@usableFromInline
func endAfter(_ last: Int) -> Int? { last == -1 || last == Int.max ? nil : last + 1 }

/// A strided view: where it starts in the buffer, its shape and its strides.
@usableFromInline
struct StridedView: Equatable {
    @usableFromInline var offset: Int
    @usableFromInline var shape: [Int]
    @usableFromInline var strides: [Int]

    /// The view that `entries` select from a contiguous tensor of `shape`.
    @usableFromInline
    init(selecting entries: [TensorRange], from shape: [Int]) {
        let own = contiguousStrides(shape)
        let consuming = entries.filter {
            if case .newAxis = $0 { false } else if case .ellipsis = $0 { false } else { true }
        }.count
        let ellipses = entries.filter { $0 == .ellipsis }.count
        guard ellipses <= 1, consuming <= shape.count else {
            fail("subscript: \(entries.count) entries (\(ellipses) ellipses) for a tensor of shape \(shape)")
        }
        var (offset, outShape, outStrides, axis) = (0, [Int](), [Int](), 0)
        func take(_ entry: TensorRange) {
            switch entry {
            case .index(let i):
                let n = shape[axis]
                let j = i < 0 ? i + n : i
                guard j >= 0 && j < n else {
                    fail("subscript: index \(i) is out of range for axis \(axis) of shape \(shape)")
                }
                offset += j * own[axis]
                axis += 1
            case .range(let start, let end, let step):
                guard step != 0 else { fail("subscript: stride 0 for axis \(axis) of shape \(shape)") }
                let (first, count) = sliceIndices(start: start, end: end, step: step, extent: shape[axis])
                offset += first * own[axis]
                outShape.append(count)
                // With fewer than two positions the stride is never walked, and a huge step
                // times the axis stride could overflow.
                outStrides.append(count > 1 ? own[axis] * step : 0)
                axis += 1
            case .all:
                outShape.append(shape[axis])
                outStrides.append(own[axis])
                axis += 1
            case .newAxis:
                outShape.append(1)
                outStrides.append(0)
            case .ellipsis:
                for _ in 0..<(shape.count - consuming) { take(.all) }
            }
        }
        for entry in entries { take(entry) }
        while axis < shape.count { take(.all) }
        (self.offset, self.shape, self.strides) = (offset, outShape, outStrides)
    }
}

/// The first position and the count of Python's `slice(start, end, step)` on an axis of `extent`.
@usableFromInline
func sliceIndices(start: Int?, end: Int?, step: Int, extent n: Int) -> (first: Int, count: Int) {
    func resolve(_ v: Int?, _ fallback: Int, _ low: Int, _ high: Int) -> Int {
        guard var v else { return fallback }
        if v < 0 { v += n }
        return Swift.min(Swift.max(v, low), high)
    }
    // The counts are ⌈distance / |step|⌉, written so that no step, `Int.min` and `Int.max`
    // included, overflows: truncating division by a negative step negates the quotient.
    if step > 0 {
        let (a, b) = (resolve(start, 0, 0, n), resolve(end, n, 0, n))
        return (a, b > a ? (b - a - 1) / step + 1 : 0)
    }
    let (a, b) = (resolve(start, n - 1, -1, n - 1), resolve(end, -1, -1, n - 1))
    return (a, a > b ? 1 - (a - b - 1) / step : 0)
}
