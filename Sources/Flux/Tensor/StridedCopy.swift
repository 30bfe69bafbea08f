// Strided views: a shape and per-axis strides (any sign) over a buffer, starting at an
// offset. Transposes, slices and broadcasts are read and written through them.

/// Copies the strided view `(offset, shape, strides)` of `source` into contiguous `destination`.
@inlinable
func copyStrided<S>(
    from source: UnsafePointer<S>, offset: Int, shape: [Int], strides: [Int], to destination: UnsafeMutablePointer<S>
) {
    guard !shape.contains(0) else { return }
    guard let inner = shape.last, let step = strides.last else {
        destination[0] = source[offset]
        return
    }
    forEachRun(shape, strides, strides) { run, o, _ in
        let (src, dst) = (source + offset + o, destination + run * inner)
        if step == 1 {
            dst.update(from: src, count: inner)
        } else {
            for j in 0..<inner { dst[j] = src[j * step] }
        }
    }
}

/// Writes contiguous `source` into the strided view `(offset, shape, strides)` of
/// `destination`, combining each old element with the new one by `combine`.
@inlinable
func writeStrided<S>(
    _ source: UnsafePointer<S>, into destination: UnsafeMutablePointer<S>, offset: Int, shape: [Int],
    strides: [Int], _ combine: (S, S) -> S
) {
    guard !shape.contains(0) else { return }
    guard let inner = shape.last, let step = strides.last else {
        destination[offset] = combine(destination[offset], source[0])
        return
    }
    forEachRun(shape, strides, strides) { run, o, _ in
        let (src, dst) = (source + run * inner, destination + offset + o)
        for j in 0..<inner { dst[j * step] = combine(dst[j * step], src[j]) }
    }
}

extension Tensor {
    /// The elements of a strided view of this tensor, as a new contiguous tensor.
    @inlinable
    func gatheringView(offset: Int, shape: [Int], strides: [Int]) -> Tensor {
        withUnsafeBufferPointer { x in
            Tensor(shape: shape) { out in
                copyStrided(from: x.baseAddress!, offset: offset, shape: shape, strides: strides, to: out.baseAddress!)
            }
        }
    }

    /// Writes `values` (already of the view's shape) into a strided view of this tensor.
    @inlinable
    mutating func scatteringView(
        _ values: Tensor, offset: Int, shape: [Int], strides: [Int], _ combine: (Scalar, Scalar) -> Scalar
    ) {
        values.withUnsafeBufferPointer { v in
            withUnsafeMutableBufferPointer { x in
                writeStrided(
                    v.baseAddress!, into: x.baseAddress!, offset: offset, shape: shape, strides: strides, combine)
            }
        }
    }
}
