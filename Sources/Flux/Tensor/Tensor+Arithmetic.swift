// Arithmetic with NumPy broadcasting. Each operator has tensor–tensor, tensor–scalar and
// scalar–tensor forms; the compound forms write in place when the storage is not shared.

extension Tensor where Scalar: TensorNumeric {
    /// Elementwise sum, broadcasting the shapes.
    @inlinable public static func + (lhs: Tensor, rhs: Tensor) -> Tensor {
        lhs.zip(rhs, operation: "add") { $0 + $1 }
    }
    /// Elementwise difference, broadcasting the shapes.
    @inlinable public static func - (lhs: Tensor, rhs: Tensor) -> Tensor {
        lhs.zip(rhs, operation: "subtract") { $0 - $1 }
    }
    /// Elementwise product, broadcasting the shapes.
    @inlinable public static func * (lhs: Tensor, rhs: Tensor) -> Tensor {
        lhs.zip(rhs, operation: "multiply") { $0 * $1 }
    }

    /// `rhs` added to every element.
    @inlinable public static func + (lhs: Tensor, rhs: Scalar) -> Tensor { lhs.map { $0 + rhs } }
    /// `lhs` added to every element.
    @inlinable public static func + (lhs: Scalar, rhs: Tensor) -> Tensor { rhs.map { lhs + $0 } }
    /// `rhs` subtracted from every element.
    @inlinable public static func - (lhs: Tensor, rhs: Scalar) -> Tensor { lhs.map { $0 - rhs } }
    /// Every element subtracted from `lhs`.
    @inlinable public static func - (lhs: Scalar, rhs: Tensor) -> Tensor { rhs.map { lhs - $0 } }
    /// Every element times `rhs`.
    @inlinable public static func * (lhs: Tensor, rhs: Scalar) -> Tensor { lhs.map { $0 * rhs } }
    /// `lhs` times every element.
    @inlinable public static func * (lhs: Scalar, rhs: Tensor) -> Tensor { rhs.map { lhs * $0 } }

    /// Adds `rhs` (broadcast to this shape) in place.
    @inlinable public static func += (lhs: inout Tensor, rhs: Tensor) {
        lhs.zipInPlace(rhs, operation: "add") { $0 + $1 }
    }
    /// Subtracts `rhs` (broadcast to this shape) in place.
    @inlinable public static func -= (lhs: inout Tensor, rhs: Tensor) {
        lhs.zipInPlace(rhs, operation: "subtract") { $0 - $1 }
    }
    /// Multiplies by `rhs` (broadcast to this shape) in place.
    @inlinable public static func *= (lhs: inout Tensor, rhs: Tensor) {
        lhs.zipInPlace(rhs, operation: "multiply") { $0 * $1 }
    }
    /// Adds `rhs` to every element in place.
    @inlinable public static func += (lhs: inout Tensor, rhs: Scalar) { lhs.mapInPlace { $0 + rhs } }
    /// Subtracts `rhs` from every element in place.
    @inlinable public static func -= (lhs: inout Tensor, rhs: Scalar) { lhs.mapInPlace { $0 - rhs } }
    /// Multiplies every element by `rhs` in place.
    @inlinable public static func *= (lhs: inout Tensor, rhs: Scalar) { lhs.mapInPlace { $0 * rhs } }
}

extension Tensor where Scalar: TensorNumeric & SignedNumeric {
    /// Every element negated.
    @inlinable public static prefix func - (x: Tensor) -> Tensor { x.map { -$0 } }
}

extension Tensor where Scalar: TensorFloatingPoint {
    /// Elementwise quotient, broadcasting the shapes.
    @inlinable public static func / (lhs: Tensor, rhs: Tensor) -> Tensor {
        lhs.zip(rhs, operation: "divide") { $0 / $1 }
    }
    /// Every element divided by `rhs`.
    @inlinable public static func / (lhs: Tensor, rhs: Scalar) -> Tensor { lhs.map { $0 / rhs } }
    /// `lhs` divided by every element.
    @inlinable public static func / (lhs: Scalar, rhs: Tensor) -> Tensor { rhs.map { lhs / $0 } }
    /// Divides by `rhs` (broadcast to this shape) in place.
    @inlinable public static func /= (lhs: inout Tensor, rhs: Tensor) {
        lhs.zipInPlace(rhs, operation: "divide") { $0 / $1 }
    }
    /// Divides every element by `rhs` in place.
    @inlinable public static func /= (lhs: inout Tensor, rhs: Scalar) { lhs.mapInPlace { $0 / rhs } }
}
