// Batch normalisation's training step as one operation: per-channel statistics over every
// other axis (channels last, so each row of `[rows, channels]` is read contiguously),
// the normalised output, and a pullback that computes all three gradients in two passes
// instead of the dozen temporaries the composed expression made.

/// `(x − mean) / √(variance + epsilon) · scale + offset` per channel (the last axis of `x`),
/// with the batch's mean and biased variance, recorded as one operation; returns the output
/// and the (untraced) mean and biased variance.
@inlinable
func batchNormalized<Scalar: TensorFloatingPoint>(
    _ x: Tensor<Scalar>, scale: Tensor<Scalar>, offset: Tensor<Scalar>, epsilon: Scalar
) -> (output: Tensor<Scalar>, mean: Tensor<Scalar>, variance: Tensor<Scalar>) {
    let channels = scale.count
    let rows = x.count / channels
    let n = Scalar(rows)
    let (mean, variance) = x.withUnsafeBufferPointer { px in channelStatistics(px, rows: rows, channels: channels) }
    let inverse = variance.map { 1 / Scalar.sqrt($0 + epsilon) }
    let value = x.withUnsafeBufferPointer { px in
        scale.withUnsafeBufferPointer { ps in
            offset.withUnsafeBufferPointer { po in
                Tensor<Scalar>(shape: x.shape, operation: "BatchNorm") { out in
                    // y = x · a + b per channel, with a = scale / σ and b = offset − mean · a.
                    let a = (0..<channels).map { ps[$0] * inverse[$0] }
                    let b = (0..<channels).map { po[$0] - mean[$0] * a[$0] }
                    for r in 0..<rows {
                        let (row, to) = (px.baseAddress! + r * channels, out.baseAddress! + r * channels)
                        for c in 0..<channels { to[c] = row[c] * a[c] + b[c] }
                    }
                }
            }
        }
    }
    let statistics = (Tensor(shape: [channels], scalars: mean), Tensor(shape: [channels], scalars: variance))
    let traced = (x.isTraced, scale.isTraced, offset.isTraced)
    guard traced.0 || traced.1 || traced.2 else { return (value, statistics.0, statistics.1) }
    let (x0, scale0) = (x.withoutDerivative, scale.withoutDerivative)
    let output = Tensor.recording(value, x, scale, offset) { g in
        // With x̂ = (x − mean)/σ: ∂offset = Σ g, ∂scale = Σ g·x̂, and
        // ∂x = scale/σ · (g − Σg/n − x̂ · Σ(g·x̂)/n).
        var sumG = [Scalar](repeating: 0, count: channels)
        var sumGX = [Scalar](repeating: 0, count: channels)
        g.withUnsafeBufferPointer { pg in
            x0.withUnsafeBufferPointer { px in
                sumG.withUnsafeMutableBufferPointer { sg in
                    sumGX.withUnsafeMutableBufferPointer { sgx in
                        mean.withUnsafeBufferPointer { m in
                            for r in 0..<rows {
                                let (grow, xrow) = (pg.baseAddress! + r * channels, px.baseAddress! + r * channels)
                                for c in 0..<channels {
                                    sg[c] += grow[c]
                                    sgx[c] += grow[c] * (xrow[c] - m[c])
                                }
                            }
                        }
                    }
                }
            }
        }
        for c in 0..<channels { sumGX[c] *= inverse[c] }
        let gx: Tensor<Scalar>? =
            traced.0
            ? g.withUnsafeBufferPointer { pg in
                x0.withUnsafeBufferPointer { px in
                    scale0.withUnsafeBufferPointer { ps in
                        Tensor<Scalar>(shape: x0.shape, operation: "BatchNorm") { out in
                            // ∂x = k·g + (k·(x − mean)·(−σ⁻¹·Σ(g·x̂)/n)) + k·(−Σg/n), per channel:
                            // one multiply-add pair per element with the coefficients below.
                            var coefficients = [Scalar](repeating: 0, count: 3 * channels)
                            for c in 0..<channels {
                                let k = ps[c] * inverse[c]
                                let slope = -k * inverse[c] * sumGX[c] / n
                                coefficients[c] = k
                                coefficients[channels + c] = slope
                                coefficients[2 * channels + c] = -k * sumG[c] / n - slope * mean[c]
                            }
                            coefficients.withUnsafeBufferPointer { q in
                                let (k, slope, shift) = (
                                    q.baseAddress!, q.baseAddress! + channels, q.baseAddress! + 2 * channels
                                )
                                for r in 0..<rows {
                                    let (grow, xrow) = (pg.baseAddress! + r * channels, px.baseAddress! + r * channels)
                                    let to = out.baseAddress! + r * channels
                                    for c in 0..<channels { to[c] = k[c] * grow[c] + slope[c] * xrow[c] + shift[c] }
                                }
                            }
                        }
                    }
                }
            } : nil
        return (
            gx, traced.1 ? Tensor(shape: [channels], scalars: sumGX) : nil,
            traced.2 ? Tensor(shape: [channels], scalars: sumG) : nil
        )
    }
    return (output, statistics.0, statistics.1)
}

/// The per-channel mean and biased variance of `[rows, channels]` (two passes: the mean,
/// then the squares about it).
@inlinable
func channelStatistics<Scalar: TensorFloatingPoint>(
    _ x: UnsafeBufferPointer<Scalar>, rows: Int, channels: Int
) -> (mean: [Scalar], variance: [Scalar]) {
    var mean = [Scalar](repeating: 0, count: channels)
    var variance = [Scalar](repeating: 0, count: channels)
    mean.withUnsafeMutableBufferPointer { m in
        for r in 0..<rows {
            let row = x.baseAddress! + r * channels
            for c in 0..<channels { m[c] += row[c] }
        }
        for c in 0..<channels { m[c] /= Scalar(rows) }
        variance.withUnsafeMutableBufferPointer { v in
            for r in 0..<rows {
                let row = x.baseAddress! + r * channels
                for c in 0..<channels {
                    let d = row[c] - m[c]
                    v[c] += d * d
                }
            }
            for c in 0..<channels { v[c] /= Scalar(rows) }
        }
    }
    return (mean, variance)
}
