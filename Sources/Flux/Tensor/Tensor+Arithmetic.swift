// Arithmetic with NumPy broadcasting. Each operator has tensor–tensor, tensor–scalar and
// scalar–tensor forms; the compound forms write in place when the storage is not shared.

extension Tensor where Scalar: TensorNumeric {
    /// Elementwise sum, broadcasting the shapes.
    @inlinable public static func + (lhs: Tensor, rhs: Tensor) -> Tensor {
        let value = lhs.zip(rhs, operation: "add") { $0 + $1 }
        guard anyTraced(lhs, rhs) else { return value }
        let (a, b) = (lhs.shape, rhs.shape)
        return recording(value, lhs, rhs, { $0.sum(toShape: a) }, { $0.sum(toShape: b) })
    }
    /// Elementwise difference, broadcasting the shapes.
    @inlinable public static func - (lhs: Tensor, rhs: Tensor) -> Tensor {
        let value = lhs.zip(rhs, operation: "subtract") { $0 - $1 }
        guard anyTraced(lhs, rhs) else { return value }
        let (a, b) = (lhs.shape, rhs.shape)
        return recording(value, lhs, rhs, { $0.sum(toShape: a) }, { $0.sum(toShape: b).map { .zero - $0 } })
    }
    /// Elementwise product, broadcasting the shapes.
    @inlinable public static func * (lhs: Tensor, rhs: Tensor) -> Tensor {
        let value = lhs.zip(rhs, operation: "multiply") { $0 * $1 }
        guard anyTraced(lhs, rhs) else { return value }
        let (x, y) = (lhs.withoutDerivative, rhs.withoutDerivative)
        return recording(
            value, lhs, rhs, { g in g.zip(y) { $0 * $1 }.sum(toShape: x.shape) },
            { g in g.zip(x) { $0 * $1 }.sum(toShape: y.shape) })
    }

    /// `rhs` added to every element.
    @inlinable public static func + (lhs: Tensor, rhs: Scalar) -> Tensor {
        lhs.recording(lhs.map { $0 + rhs }) { $0 }
    }
    /// `lhs` added to every element.
    @inlinable public static func + (lhs: Scalar, rhs: Tensor) -> Tensor { rhs + lhs }
    /// `rhs` subtracted from every element.
    @inlinable public static func - (lhs: Tensor, rhs: Scalar) -> Tensor {
        lhs.recording(lhs.map { $0 - rhs }) { $0 }
    }
    /// Every element subtracted from `lhs`.
    @inlinable public static func - (lhs: Scalar, rhs: Tensor) -> Tensor {
        rhs.recording(rhs.map { lhs - $0 }) { $0.map { .zero - $0 } }
    }
    /// Every element times `rhs`.
    @inlinable public static func * (lhs: Tensor, rhs: Scalar) -> Tensor {
        lhs.recording(lhs.map { $0 * rhs }) { $0.map { $0 * rhs } }
    }
    /// `lhs` times every element.
    @inlinable public static func * (lhs: Scalar, rhs: Tensor) -> Tensor { rhs * lhs }

    /// Adds `rhs` (broadcast to this shape) in place.
    @inlinable public static func += (lhs: inout Tensor, rhs: Tensor) {
        if anyTraced(lhs, rhs) { return lhs = lhs + rhs }
        lhs.zipInPlace(rhs, operation: "add") { $0 + $1 }
    }
    /// Subtracts `rhs` (broadcast to this shape) in place.
    @inlinable public static func -= (lhs: inout Tensor, rhs: Tensor) {
        if anyTraced(lhs, rhs) { return lhs = lhs - rhs }
        lhs.zipInPlace(rhs, operation: "subtract") { $0 - $1 }
    }
    /// Multiplies by `rhs` (broadcast to this shape) in place.
    @inlinable public static func *= (lhs: inout Tensor, rhs: Tensor) {
        if anyTraced(lhs, rhs) { return lhs = lhs * rhs }
        lhs.zipInPlace(rhs, operation: "multiply") { $0 * $1 }
    }
    /// Adds `rhs` to every element in place.
    @inlinable public static func += (lhs: inout Tensor, rhs: Scalar) {
        if lhs.isTraced { return lhs = lhs + rhs }
        lhs.mapInPlace { $0 + rhs }
    }
    /// Subtracts `rhs` from every element in place.
    @inlinable public static func -= (lhs: inout Tensor, rhs: Scalar) {
        if lhs.isTraced { return lhs = lhs - rhs }
        lhs.mapInPlace { $0 - rhs }
    }
    /// Multiplies every element by `rhs` in place.
    @inlinable public static func *= (lhs: inout Tensor, rhs: Scalar) {
        if lhs.isTraced { return lhs = lhs * rhs }
        lhs.mapInPlace { $0 * rhs }
    }
}

extension Tensor where Scalar: TensorNumeric & SignedNumeric {
    /// Every element negated.
    @inlinable public static prefix func - (x: Tensor) -> Tensor {
        x.recording(x.map { -$0 }) { $0.map { -$0 } }
    }
}

extension Tensor where Scalar: TensorFloatingPoint {
    /// Elementwise quotient, broadcasting the shapes.
    @inlinable public static func / (lhs: Tensor, rhs: Tensor) -> Tensor {
        let value = lhs.zip(rhs, operation: "divide") { $0 / $1 }
        guard anyTraced(lhs, rhs) else { return value }
        let (x, y) = (lhs.withoutDerivative, rhs.withoutDerivative)
        return recording(
            value, lhs, rhs, { g in g.zip(y) { $0 / $1 }.sum(toShape: x.shape) },
            { g in (g * value.withoutDerivative).zip(y) { -$0 / $1 }.sum(toShape: y.shape) })
    }
    /// Every element divided by `rhs`.
    @inlinable public static func / (lhs: Tensor, rhs: Scalar) -> Tensor {
        lhs.recording(lhs.map { $0 / rhs }) { $0.map { $0 * (1 / rhs) } }
    }
    /// `lhs` divided by every element.
    @inlinable public static func / (lhs: Scalar, rhs: Tensor) -> Tensor {
        rhs.elementwiseRecording(rhs.map { lhs / $0 }) { g, x, y in g.zip(x, y) { g, x, y in g * (-y / x) } }
    }
    /// Divides by `rhs` (broadcast to this shape) in place.
    @inlinable public static func /= (lhs: inout Tensor, rhs: Tensor) {
        if anyTraced(lhs, rhs) { return lhs = lhs / rhs }
        lhs.zipInPlace(rhs, operation: "divide") { $0 / $1 }
    }
    /// Divides every element by `rhs` in place.
    @inlinable public static func /= (lhs: inout Tensor, rhs: Scalar) {
        if lhs.isTraced { return lhs = lhs / rhs }
        lhs.mapInPlace { $0 / rhs }
    }
}
