// The max-pooling kernels. Forward: each output pixel's channels four at a time, their
// maxima kept in registers over the window's taps. Backward: each gradient added where its
// maximum was.

/// `x` max-pooled as `plan` says. When `x` is traced, the forward pass also saves where each
/// maximum is (its position `row · width + column` in its image, as an `Int32`), and the
/// pullback sends each gradient there.
@inlinable
func maxPooled<T: TensorFloatingPoint>(_ x: Tensor<T>, _ plan: PoolingPlan) -> Tensor<T> {
    guard plan.rows.input * plan.columns.input <= Int(Int32.max) else {
        fail("\(plan.operation): input \(plan.inputShape) has more than \(Int32.max) positions per image")
    }
    let traced = x.isTraced && x.count > 0  // an empty input has no gradient to route
    var argmax: [Int32] = []
    let value = x.withUnsafeBufferPointer { input in
        Tensor<T>(shape: plan.outputShape, operation: plan.operation) { out in
            guard traced else {
                return PoolingPart(.max, plan, source: input.baseAddress!, target: out.baseAddress!).run()
            }
            argmax = [Int32](unsafeUninitializedCapacity: out.count) { positions, initialized in
                PoolingPart(
                    .max, plan, source: input.baseAddress!, target: out.baseAddress!, argmax: positions.baseAddress!
                ).run()
                initialized = out.count
            }
        }
    }
    guard traced else { return value }
    let positions = argmax
    return x.recording(value) { g in
        g.withUnsafeBufferPointer { g in
            positions.withUnsafeBufferPointer { positions in
                Tensor(shape: plan.inputShape, operation: plan.operation) { gin in
                    PoolingPart(
                        .maxGradient, plan, source: g.baseAddress!, target: gin.baseAddress!,
                        argmax: UnsafeMutablePointer(mutating: positions.baseAddress!)
                    ).run()
                }
            }
        }
    }
}

/// Writes the maxima of the windows of output rows `rows` into `out`, and where they are
/// into `argmax` when given.
@inlinable
func maxPoolForward<T: TensorFloatingPoint>(
    _ x: UnsafePointer<T>, _ plan: PoolingPlan, _ out: UnsafeMutablePointer<T>,
    argmax: UnsafeMutablePointer<Int32>?, rows: Range<Int>
) {
    // Two copies of the loops, so that the one without positions does not compute them.
    if argmax == nil {
        maxPoolWindows(x, plan, out, nil, rows: rows, tracking: false)
    } else {
        maxPoolWindows(x, plan, out, argmax, rows: rows, tracking: true)
    }
}

/// The loops of ``maxPoolForward(_:_:_:argmax:rows:)``.
@inlinable @inline(__always)
func maxPoolWindows<T: TensorFloatingPoint>(
    _ x: UnsafePointer<T>, _ plan: PoolingPlan, _ out: UnsafeMutablePointer<T>,
    _ argmax: UnsafeMutablePointer<Int32>?, rows: Range<Int>, tracking: Bool
) {
    let (channels, outRows, outColumns) = (plan.channels, plan.rows.output, plan.columns.output)
    let image = plan.rows.input &* plan.columns.input &* channels
    for row in rows {
        let (b, i) = row.quotientAndRemainder(dividingBy: outRows)
        for j in 0..<outColumns {
            let window = WindowTaps(plan, i, j)
            let offset = (row &* outColumns &+ j) &* channels
            func pool<let lanes: Int>(_ maxima: inout WindowMaxima<lanes, T>, _ k: Int) {
                maxima.scan(x + (b &* image &+ k), window, tracking: tracking)
                for q in 0..<lanes { out[offset &+ k &+ q] = maxima.best[q] }
                if tracking { for q in 0..<lanes { argmax![offset &+ k &+ q] = maxima.at[q] } }
            }
            if channels >= 4 {
                forEachChannelGroup(channels) { k in
                    var maxima = WindowMaxima<4, T>(window)
                    pool(&maxima, k)
                }
            } else {
                for k in 0..<channels {
                    var maxima = WindowMaxima<1, T>(window)
                    pool(&maxima, k)
                }
            }
        }
    }
}

/// The maxima of `lanes` consecutive channels over one window, and their positions: the
/// lanes are independent, so they vectorise, and no maximum goes through memory between
/// taps.
@usableFromInline
struct WindowMaxima<let lanes: Int, T: TensorFloatingPoint> {
    @usableFromInline var best: InlineArray<lanes, T>
    @usableFromInline var at: InlineArray<lanes, Int32>

    /// No maximum yet: −∞ at the window's first pixel, which every pixel replaces (so
    /// that a window of −∞ keeps its first pixel).
    @inlinable @inline(__always)
    init(_ window: WindowTaps) {
        best = InlineArray(repeating: -T.infinity)
        at = InlineArray(repeating: Int32(truncatingIfNeeded: window.first))
    }

    /// Takes in every pixel of `window`, row by row; `image` points at the first lane's
    /// element of the image's first pixel.
    @inlinable @inline(__always)
    mutating func scan(_ image: UnsafePointer<T>, _ window: WindowTaps, tracking: Bool) {
        for ih in window.rows.low..<window.rows.high {
            for iw in window.columns.low..<window.columns.high {
                let position = ih &* window.width &+ iw
                let p = image + position &* window.channels
                for q in 0..<lanes {
                    let v = p[q]
                    if tracking { at[q] = beats(v, best[q]) ? Int32(truncatingIfNeeded: position) : at[q] }
                    best[q] = larger(v, best[q])
                }
            }
        }
    }
}

// Both helpers avoid branches on the data, which random inputs mispredict: a loop that
// branched on `v > best || …` ran 4× slower where it did not vectorise.

/// Whether `v` replaces `best` as a window's maximum: it is greater (strictly, so that the
/// first maximum stays), or it is the first NaN. One comparison of two flags,
/// `(v ≤ best) == (best is NaN)`, where `||` and `&&` compiled to branches.
@inlinable @inline(__always)
func beats<T: TensorFloatingPoint>(_ v: T, _ best: T) -> Bool { (v <= best) == (best != best) }

/// The larger of `v` and `best`, NaN if either is: `v > best ? v : best` is one `maxss`
/// instruction (where a select between two numbers compiled to a branch), and the NaN test
/// is predictable.
@inlinable @inline(__always)
func larger<T: TensorFloatingPoint>(_ v: T, _ best: T) -> T { v != v ? v : v > best ? v : best }

/// Writes the gradient of the input rows that output rows `rows` answer for into `gin`:
/// zero, plus each output's gradient `g` added at its maximum.
@inlinable
func maxPoolBackward<T: TensorFloatingPoint>(
    _ g: UnsafePointer<T>, _ argmax: UnsafePointer<Int32>, _ plan: PoolingPlan, _ gin: UnsafeMutablePointer<T>,
    rows: Range<Int>
) {
    let (channels, outRows, outColumns) = (plan.channels, plan.rows.output, plan.columns.output)
    let (pixels, rowLength) = (plan.rows.input &* plan.columns.input, plan.columns.input &* channels)
    for row in rows {
        let (b, i) = row.quotientAndRemainder(dividingBy: outRows)
        let owned = plan.ownedInputRows(i)
        (gin + (b &* pixels &* channels &+ owned.lowerBound &* rowLength))
            .initialize(repeating: 0, count: owned.count &* rowLength)
    }
    for row in rows {
        let image = gin + row / outRows &* pixels &* channels
        var o = row &* outColumns &* channels
        for _ in 0..<outColumns {
            for k in 0..<channels { image[Int(argmax[o &+ k]) &* channels &+ k] += g[o &+ k] }
            o &+= channels
        }
    }
}
