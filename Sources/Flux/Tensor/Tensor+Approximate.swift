extension Tensor where Scalar: TensorFloatingPoint {
    /// Whether the shapes match and every pair of elements satisfies
    /// `|a − b| ≤ absoluteTolerance + relativeTolerance · |b|` (NumPy's `allclose`).
    ///
    /// - Parameters:
    ///   - other: the tensor compared with; its elements are the reference `b`.
    ///   - absoluteTolerance: the allowed difference near zero.
    ///   - relativeTolerance: the allowed difference in proportion to `|b|`; by default
    ///     about the square root of the scalar type's precision.
    ///   - equalNaNs: whether NaN in the same place in both counts as equal.
    /// - Complexity: O(`count`).
    @inlinable
    public func isApproximatelyEqual(
        to other: Tensor, absoluteTolerance: Scalar = 0,
        relativeTolerance: Scalar = Scalar.sqrt(Scalar.ulpOfOne), equalNaNs: Bool = false
    ) -> Bool {
        guard shape == other.shape else { return false }
        return withUnsafeBufferPointer { a in
            other.withUnsafeBufferPointer { b in
                for i in 0..<a.count {
                    let (x, y) = (a[i], b[i])
                    if x == y { continue }  // also equal infinities
                    if x.isNaN || y.isNaN {
                        if equalNaNs && x.isNaN && y.isNaN { continue }
                        return false
                    }
                    guard (x - y).magnitude <= absoluteTolerance + relativeTolerance * y.magnitude else {
                        return false
                    }
                }
                return true
            }
        }
    }
}
