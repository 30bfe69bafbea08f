/// What fills the border that ``Tensor/padded(_:mode:)`` adds.
public enum PaddingMode<Scalar: TensorScalar>: Sendable {
    /// A constant value (0 for PyTorch's default).
    case constant(Scalar)
    /// The tensor reflected about its edge, the edge itself not repeated: `[1, 2, 3]` padded
    /// by 2 on each side is `[3, 2, 1, 2, 3, 2, 1]` (PyTorch's and NumPy's `reflect`).
    case reflect
}

extension Tensor where Scalar: TensorNumeric {
    /// This tensor with `widths[axis].before` elements added before and `.after` after it
    /// along each axis, filled by `mode` (one pair per axis, as NumPy's `pad` takes them;
    /// PyTorch's `F.pad` lists them from the last axis backwards). Differentiable: the
    /// gradient is the gradient of the kept elements, plus, for `.reflect`, that of their
    /// reflections.
    ///
    /// ```swift
    /// let framed = image.padded([(0, 0), (2, 2), (2, 2), (0, 0)])    // NHWC, 2 pixels of 0
    /// ```
    /// - Precondition: one pair per axis, none negative; for `.reflect`, each nonzero width
    ///   is below that axis's extent (so an axis of extent 1, or an empty one, takes only 0).
    @inlinable
    public func padded(_ widths: [(before: Int, after: Int)], mode: PaddingMode<Scalar> = .constant(0)) -> Tensor {
        guard widths.count == rank, widths.allSatisfy({ $0.before >= 0 && $0.after >= 0 }) else {
            fail(
                "padded: \(widths.count) widths \(widths.map { [$0.before, $0.after] }) for a tensor of shape \(shape)")
        }
        if case .reflect = mode {
            // A width of 0 needs nothing to reflect, even along an empty axis (NumPy's rule).
            for (axis, w) in widths.enumerated()
            where (w.before > 0 && w.before >= shape[axis]) || (w.after > 0 && w.after >= shape[axis]) {
                fail(
                    "padded: reflecting \(w.before) and \(w.after) along axis \(axis) of shape \(shape) needs widths below \(shape[axis])"
                )
            }
        }
        guard let outShape = paddedShape(widths) else {
            fail(
                "padded: widths \(widths.map { [$0.before, $0.after] }) around shape \(shape) give extents beyond Int.max"
            )
        }
        let fill: Scalar? = if case .constant(let c) = mode { c } else { nil }
        // The result is allocated (and its size checked) before the table of one index per element.
        var table: [Int] = []
        let value = withUnsafeBufferPointer { x in
            Tensor(shape: outShape, operation: "padded") { out in
                table = paddingSource(outShape, widths, reflect: fill == nil)
                for (o, s) in table.enumerated() { out[o] = s < 0 ? fill! : x[s] }
            }
        }
        let source = table
        guard isTraced else { return value }
        let inShape = shape
        return recording(value) { g in
            g.withUnsafeBufferPointer { pg in
                Tensor(shape: inShape) { gin in
                    gin.initialize(repeating: .zero)
                    for (o, s) in source.enumerated() where s >= 0 { gin[s] += pg[o] }
                }
            }
        }
    }

    /// The shape with `widths` added to each axis, or nil when an extent overflows `Int`.
    @inlinable
    func paddedShape(_ widths: [(before: Int, after: Int)]) -> [Int]? {
        var result = shape
        for (axis, w) in widths.enumerated() {
            let (a, o1) = shape[axis].addingReportingOverflow(w.before)
            let (b, o2) = a.addingReportingOverflow(w.after)
            if o1 || o2 { return nil }
            result[axis] = b
        }
        return result
    }

    /// For each element of the padded shape, the flat index of the element it copies (-1
    /// for the constant border).
    @inlinable
    func paddingSource(_ outShape: [Int], _ widths: [(before: Int, after: Int)], reflect: Bool) -> [Int] {
        let strides = contiguousStrides(shape)
        let total = outShape.reduce(1, *)
        var source = [Int](repeating: 0, count: total)
        var index = [Int](repeating: 0, count: outShape.count)
        for o in 0..<total {
            var s = 0
            for axis in 0..<outShape.count {
                var i = index[axis] - widths[axis].before
                let n = shape[axis]
                if reflect {
                    i = i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i
                } else if i < 0 || i >= n {
                    s = -1
                    break
                }
                s += i * strides[axis]
            }
            source[o] = s
            var axis = outShape.count - 1
            while axis >= 0 {
                index[axis] += 1
                if index[axis] < outShape[axis] { break }
                index[axis] = 0
                axis -= 1
            }
        }
        return source
    }
}
