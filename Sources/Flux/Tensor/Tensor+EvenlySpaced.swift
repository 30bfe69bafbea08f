// Ranges and linear spaces. Both count their elements before making them, and element `i`
// is `start + i·step`: a counter that adds `step` stops growing once it is large (a `Float`
// past 2^24 plus 1 is itself), and a loop that waits for it to reach `end` never ends.

extension Tensor where Scalar: TensorNumeric & FixedWidthInteger {
    /// The integers `start, start + step, …` below `end` (above it for a negative step), like
    /// NumPy's `arange`; any bounds of the type work, `Int.min` to `Int.max` included.
    ///
    /// ```swift
    /// Tensor<Int>(rangeFrom: 5, to: 0, stride: -2)   // [5, 3, 1]
    /// ```
    /// - Precondition: `step` is not zero, and the range has few enough elements for memory.
    @inlinable
    public init(rangeFrom start: Scalar, to end: Scalar, stride step: Scalar = 1) {
        let operation = "Tensor(rangeFrom:to:stride:)"
        guard step != 0 else { fail("\(operation): the stride is zero") }
        var count = 0
        if step > 0 ? start < end : start > end {
            // The distance can exceed `Scalar.max`; as a magnitude it is exact.
            let distance = Scalar.Magnitude(truncatingIfNeeded: step > 0 ? end &- start : start &- end)
            let steps = (distance - 1) / step.magnitude + 1
            guard let n = Int(exactly: steps) else {
                fail("\(operation): from \(start) to \(end) by \(step) is \(steps) elements, more than Int counts")
            }
            count = n
        }
        // Every element lies between the bounds, so the wrapping arithmetic is exact.
        self.init(shape: [count], operation: operation) { out in
            for i in 0..<count { out[i] = start &+ Scalar(truncatingIfNeeded: i) &* step }
        }
    }
}

extension Tensor where Scalar: TensorFloatingPoint {
    /// The values `start + i·step` below `end` (above it for a negative step), like NumPy's
    /// `arange`: each is computed from its index, so no rounding error accumulates.
    ///
    /// ```swift
    /// Tensor<Double>(rangeFrom: 1, to: 2, stride: 0.25)   // [1, 1.25, 1.5, 1.75]
    /// ```
    /// - Precondition: the bounds and `step` are finite (not NaN), `step` is not zero, and
    ///   the range has few enough elements for memory.
    @inlinable
    public init(rangeFrom start: Scalar, to end: Scalar, stride step: Scalar = 1) {
        let operation = "Tensor(rangeFrom:to:stride:)"
        guard start.isFinite, end.isFinite, step.isFinite, step != 0 else {
            fail(
                "\(operation): from \(start) to \(end) by \(step): the bounds and the stride must be finite, the stride nonzero"
            )
        }
        // Counted in Double, where a Float range's distance cannot overflow and its indices
        // are exact (a Double range's distance can: then each bound is divided first). The
        // quotient may round either way; the checks below keep exactly the values before `end`.
        let (a, b, s) = (Double(start), Double(end), Double(step))
        let distance = b - a
        let estimate = (distance.isFinite ? distance / s : b / s - a / s).rounded(.up)
        guard estimate < 0x1p63 else {  // also when the distance overflowed to infinity
            fail("\(operation): from \(start) to \(end) by \(step) is \(estimate) elements, more than Int counts")
        }
        func isBeforeEnd(_ i: Int) -> Bool {
            let x = a + Double(i) * s
            return s > 0 ? x < b : x > b
        }
        var count = estimate > 0 ? Int(estimate) : 0
        if count > 0 && !isBeforeEnd(count - 1) { count -= 1 }
        if isBeforeEnd(count) { count += 1 }
        self.init(shape: [count], operation: operation) { out in
            for i in 0..<count { out[i] = start + Scalar(i) * step }
        }
    }

    /// `count` evenly spaced values from `start` to `end`, both included, like NumPy's `linspace`.
    ///
    /// - Precondition: `count >= 0`.
    @inlinable
    public init(linearSpaceFrom start: Scalar, to end: Scalar, count: Int) {
        let operation = "Tensor(linearSpaceFrom:to:count:)"
        guard count >= 0 else { fail("\(operation): negative count \(count)") }
        let step = count > 1 ? (end - start) / Scalar(count - 1) : 0
        self.init(shape: [count], operation: operation) { out in
            for i in 0..<count { out[i] = start + Scalar(i) * step }
            if count > 1 { out[count - 1] = end }
        }
    }
}
