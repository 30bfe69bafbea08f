// The average-pooling kernels, laid out as those of Tensor+MaxPooling.swift.

/// `x` average-pooled as `plan` says; padding counts as zeros in the mean when
/// `countsPadding`, and is left out of it otherwise.
@inlinable
func averagePooled<T: TensorFloatingPoint>(_ x: Tensor<T>, _ plan: PoolingPlan, countsPadding: Bool) -> Tensor<T> {
    let value = x.withUnsafeBufferPointer { input in
        Tensor<T>(shape: plan.outputShape, operation: plan.operation) { out in
            PoolingPart(
                .average, plan, source: input.baseAddress!, target: out.baseAddress!, countsPadding: countsPadding
            ).run()
        }
    }
    guard x.isTraced else { return value }
    return x.recording(value) { g in
        g.withUnsafeBufferPointer { g in
            Tensor(shape: plan.inputShape, operation: plan.operation) { gin in
                PoolingPart(
                    .averageGradient, plan, source: g.baseAddress!, target: gin.baseAddress!,
                    countsPadding: countsPadding
                ).run()
            }
        }
    }
}

extension WindowTaps {
    /// What the sum over the window is divided by: the window's area when padding counts,
    /// the input pixels it covers otherwise.
    @inlinable
    func divisor(_ plan: PoolingPlan, countsPadding: Bool) -> Int {
        countsPadding ? plan.rows.window &* plan.columns.window : count
    }
}

/// Writes the means of the windows of output rows `rows` into `out`.
@inlinable
func averagePoolForward<T: TensorFloatingPoint>(
    _ x: UnsafePointer<T>, _ plan: PoolingPlan, _ out: UnsafeMutablePointer<T>, countsPadding: Bool,
    rows: Range<Int>
) {
    let (channels, outRows, outColumns) = (plan.channels, plan.rows.output, plan.columns.output)
    let image = plan.rows.input &* plan.columns.input &* channels
    for row in rows {
        let (b, i) = row.quotientAndRemainder(dividingBy: outRows)
        for j in 0..<outColumns {
            let window = WindowTaps(plan, i, j)
            let (offset, scale) = (
                (row &* outColumns &+ j) &* channels, 1 / T(window.divisor(plan, countsPadding: countsPadding))
            )
            func pool<let lanes: Int>(_ sums: inout InlineArray<lanes, T>, _ k: Int) {
                for ih in window.rows.low..<window.rows.high {
                    for iw in window.columns.low..<window.columns.high {
                        let p = x + (b &* image &+ (ih &* window.width &+ iw) &* channels &+ k)
                        for q in 0..<lanes { sums[q] += p[q] }
                    }
                }
                for q in 0..<lanes { out[offset &+ k &+ q] = sums[q] * scale }
            }
            if channels >= 4 {
                forEachChannelGroup(channels) { k in
                    var sums = InlineArray<4, T>(repeating: 0)
                    pool(&sums, k)
                }
            } else {
                for k in 0..<channels {
                    var sums = InlineArray<1, T>(repeating: 0)
                    pool(&sums, k)
                }
            }
        }
    }
}

/// Writes the gradient of the input rows that output rows `rows` answer for into `gin`:
/// zero, plus each output's gradient `g`, divided as its sum was, added over its window.
@inlinable
func averagePoolBackward<T: TensorFloatingPoint>(
    _ g: UnsafePointer<T>, _ plan: PoolingPlan, _ gin: UnsafeMutablePointer<T>, countsPadding: Bool,
    rows: Range<Int>
) {
    let (channels, outRows, outColumns) = (plan.channels, plan.rows.output, plan.columns.output)
    let (image, rowLength) = (plan.rows.input &* plan.columns.input &* channels, plan.columns.input &* channels)
    for row in rows {
        let (b, i) = row.quotientAndRemainder(dividingBy: outRows)
        let owned = plan.ownedInputRows(i)
        (gin + (b &* image &+ owned.lowerBound &* rowLength)).initialize(repeating: 0, count: owned.count &* rowLength)
    }
    for row in rows {
        let (b, i) = row.quotientAndRemainder(dividingBy: outRows)
        for j in 0..<outColumns {
            let window = WindowTaps(plan, i, j)
            let gy = g + (row &* outColumns &+ j) &* channels
            let scale = 1 / T(window.divisor(plan, countsPadding: countsPadding))
            for ih in window.rows.low..<window.rows.high {
                for iw in window.columns.low..<window.columns.high {
                    let p = gin + (b &* image &+ (ih &* window.width &+ iw) &* channels)
                    for k in 0..<channels { p[k] += gy[k] * scale }
                }
            }
        }
    }
}
