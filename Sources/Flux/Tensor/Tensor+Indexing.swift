extension Tensor {
    /// The slices at `indices` along `axis`, like NumPy's `take`: the result's shape is
    /// `shape[..<axis] + indices.shape + shape[(axis + 1)...]`. Negative indices count from
    /// the end. For floating-point tensors the gradient is added back at each index (an
    /// index used twice gets both gradients).
    ///
    /// ```swift
    /// let embedded = table.gathering(atIndices: tokens, alongAxis: 0)   // [tokens..., width]
    /// ```
    /// - Precondition: every index is within the axis.
    @inlinable
    public func gathering(atIndices indices: Tensor<Int>, alongAxis axis: Int = 0) -> Tensor {
        let a = normalizedAxis(axis, rank: rank, operation: "gathering(atIndices:)", shape: shape)
        let n = shape[a]
        let positions = indices.scalars.map { i -> Int in
            let j = i < 0 ? i + n : i
            guard j >= 0 && j < n else {
                fail("gathering(atIndices:): index \(i) is out of range for axis \(a) of shape \(shape)")
            }
            return j
        }
        let outer = shape[..<a].reduce(1, *)
        let inner = shape[(a + 1)...].reduce(1, *)
        let outShape = Array(shape[..<a]) + indices.shape + Array(shape[(a + 1)...])
        let value = withUnsafeBufferPointer { x in
            Tensor(shape: outShape, operation: "gathering(atIndices:)") { out in
                guard !out.isEmpty else { return }  // `outer` may be huge when nothing is copied
                for o in 0..<outer {
                    for (k, j) in positions.enumerated() {
                        (out.baseAddress! + (o * positions.count + k) * inner)
                            .update(from: x.baseAddress! + (o * n + j) * inner, count: inner)
                    }
                }
            }
        }
        // Only Float and Double tensors are ever traced; each gets a specialised pullback.
        guard isTraced else { return value }
        let full = shape
        return recording(value) { g in
            if Scalar.self == Float.self {
                return unsafeBitCast(
                    scatteringRows(unsafeBitCast(g, to: Tensor<Float>.self), full, positions, outer, n, inner),
                    to: Tensor.self)
            }
            return unsafeBitCast(
                scatteringRows(unsafeBitCast(g, to: Tensor<Double>.self), full, positions, outer, n, inner),
                to: Tensor.self)
        }
    }
}

/// The gradient of a gathering: zeros of `shape` with each gathered row of `g` added back at
/// the position it came from.
@inlinable
func scatteringRows<S: TensorFloatingPoint>(
    _ g: Tensor<S>, _ shape: [Int], _ positions: [Int], _ outer: Int, _ n: Int, _ inner: Int
) -> Tensor<S> {
    var result = Tensor<S>(zeros: shape)
    guard g.count > 0 else { return result }
    g.withUnsafeBufferPointer { pg in
        result.withUnsafeMutableBufferPointer { pr in
            for o in 0..<outer {
                for (k, j) in positions.enumerated() {
                    let (dst, src) = (
                        pr.baseAddress! + (o * n + j) * inner, pg.baseAddress! + (o * positions.count + k) * inner
                    )
                    for i in 0..<inner { dst[i] += src[i] }
                }
            }
        }
    }
    return result
}

extension Tensor where Scalar: TensorNumeric {
    /// One-hot rows: for each index a vector of `depth` zeros with a 1 at the index; the
    /// result has the shape of `indices` with a trailing axis of extent `depth`.
    ///
    /// - Precondition: every index is in `0..<depth`.
    @inlinable
    public init(oneHotAtIndices indices: Tensor<Int>, depth: Int) {
        self.init(shape: indices.shape + [depth], repeating: .zero, operation: "Tensor(oneHotAtIndices:depth:)")
        indices.withUnsafeBufferPointer { idx in
            withUnsafeMutableBufferPointer { out in
                for (k, i) in idx.enumerated() {
                    guard i >= 0 && i < depth else {
                        fail("Tensor(oneHotAtIndices:depth:): index \(i) is outside 0..<\(depth)")
                    }
                    out[k * depth + i] = 1
                }
            }
        }
    }
}
