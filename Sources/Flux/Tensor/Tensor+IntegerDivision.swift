// Integer `/` and `%` with broadcasting. They follow Swift's integers, not NumPy: the
// quotient truncates toward zero and the remainder takes the sign of the dividend
// (`-7 / 2 == -3`, `-7 % 2 == -1`). A zero divisor stops with a message instead of
// trapping silently, and `min / -1` wraps to `min` instead of trapping, as every integer
// tensor operation wraps (`ElementArithmetic.swift`).

extension Tensor where Scalar: TensorNumeric & FixedWidthInteger {
    /// The quotient of `a` by a nonzero `b`, truncated; `min / -1` wraps.
    @inlinable
    static func checkedQuotient(_ a: Scalar, _ b: Scalar, _ operation: @autoclosure () -> String) -> Scalar {
        guard b != 0 else { fail("\(operation()): division by zero") }
        return a.dividedReportingOverflow(by: b).partialValue
    }

    /// The remainder of `a` by a nonzero `b`, with the sign of `a`; `min % -1` is 0.
    @inlinable
    static func checkedRemainder(_ a: Scalar, _ b: Scalar, _ operation: @autoclosure () -> String) -> Scalar {
        guard b != 0 else { fail("\(operation()): division by zero") }
        return a.remainderReportingOverflow(dividingBy: b).partialValue
    }

    /// Elementwise truncating quotient, broadcasting the shapes.
    ///
    /// - Precondition: the shapes broadcast together and no element of `rhs` is 0.
    @inlinable public static func / (lhs: Tensor, rhs: Tensor) -> Tensor {
        lhs.zipElements(rhs, operation: "divide") { checkedQuotient($0, $1, "divide: \(lhs.shape) / \(rhs.shape)") }
    }
    /// Every element divided by `rhs`, truncated.
    ///
    /// - Precondition: `rhs` is not 0.
    @inlinable public static func / (lhs: Tensor, rhs: Scalar) -> Tensor {
        if rhs == 0 { fail("divide: \(lhs.shape) / 0: division by zero") }
        return lhs.mapElements { checkedQuotient($0, rhs, "divide") }
    }
    /// `lhs` divided by every element, truncated.
    ///
    /// - Precondition: no element of `rhs` is 0.
    @inlinable public static func / (lhs: Scalar, rhs: Tensor) -> Tensor {
        rhs.mapElements { checkedQuotient(lhs, $0, "divide: \(lhs) / \(rhs.shape)") }
    }

    /// Elementwise remainder with the sign of `lhs`, broadcasting the shapes.
    ///
    /// - Precondition: the shapes broadcast together and no element of `rhs` is 0.
    @inlinable public static func % (lhs: Tensor, rhs: Tensor) -> Tensor {
        lhs.zipElements(rhs, operation: "remainder") {
            checkedRemainder($0, $1, "remainder: \(lhs.shape) % \(rhs.shape)")
        }
    }
    /// The remainder of every element divided by `rhs`.
    ///
    /// - Precondition: `rhs` is not 0.
    @inlinable public static func % (lhs: Tensor, rhs: Scalar) -> Tensor {
        if rhs == 0 { fail("remainder: \(lhs.shape) % 0: division by zero") }
        return lhs.mapElements { checkedRemainder($0, rhs, "remainder") }
    }
    /// The remainder of `lhs` divided by every element.
    ///
    /// - Precondition: no element of `rhs` is 0.
    @inlinable public static func % (lhs: Scalar, rhs: Tensor) -> Tensor {
        rhs.mapElements { checkedRemainder(lhs, $0, "remainder: \(lhs) % \(rhs.shape)") }
    }

    /// Divides by `rhs` (broadcast to this shape) in place, truncating.
    ///
    /// - Precondition: `rhs` broadcasts to this shape and has no 0.
    @inlinable public static func /= (lhs: inout Tensor, rhs: Tensor) {
        let shapes = (lhs.shape, rhs.shape)
        lhs.zipInPlace(rhs, operation: "divide") { checkedQuotient($0, $1, "divide: \(shapes.0) / \(shapes.1)") }
    }
    /// Divides every element by `rhs` in place, truncating.
    ///
    /// - Precondition: `rhs` is not 0.
    @inlinable public static func /= (lhs: inout Tensor, rhs: Scalar) {
        if rhs == 0 { fail("divide: \(lhs.shape) / 0: division by zero") }
        lhs.mapInPlace { checkedQuotient($0, rhs, "divide") }
    }
    /// Replaces each element with its remainder by `rhs` (broadcast to this shape) in place.
    ///
    /// - Precondition: `rhs` broadcasts to this shape and has no 0.
    @inlinable public static func %= (lhs: inout Tensor, rhs: Tensor) {
        let shapes = (lhs.shape, rhs.shape)
        lhs.zipInPlace(rhs, operation: "remainder") { checkedRemainder($0, $1, "remainder: \(shapes.0) % \(shapes.1)") }
    }
    /// Replaces each element with its remainder by `rhs` in place.
    ///
    /// - Precondition: `rhs` is not 0.
    @inlinable public static func %= (lhs: inout Tensor, rhs: Scalar) {
        if rhs == 0 { fail("remainder: \(lhs.shape) % 0: division by zero") }
        lhs.mapInPlace { checkedRemainder($0, rhs, "remainder") }
    }
}
