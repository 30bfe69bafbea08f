// Arithmetic with NumPy broadcasting. Each operator has tensor–tensor, tensor–scalar and
// scalar–tensor forms; the compound forms write in place when the storage is not shared.
// Integer tensors wrap around on overflow (two's complement), as NumPy's do: see
// `ElementArithmetic.swift`.

extension Tensor where Scalar: TensorNumeric {
    /// Elementwise sum, broadcasting the shapes; integers wrap on overflow
    /// (`Int.max + 1 == Int.min`).
    @inlinable public static func + (lhs: Tensor, rhs: Tensor) -> Tensor {
        let value = lhs.zipElements(rhs, operation: "add") { elementAdd($0, $1) }
        guard anyTraced(lhs, rhs) else { return value }
        return recording(
            value, lhs, rhs, summingPullback(to: lhs.shape, from: value.shape),
            summingPullback(to: rhs.shape, from: value.shape))
    }
    /// Elementwise difference, broadcasting the shapes; integers wrap on overflow
    /// (`Int.min - 1 == Int.max`).
    @inlinable public static func - (lhs: Tensor, rhs: Tensor) -> Tensor {
        let value = lhs.zipElements(rhs, operation: "subtract") { elementSubtract($0, $1) }
        guard anyTraced(lhs, rhs) else { return value }
        let b = rhs.shape
        let negated: (Tensor) -> Tensor =
            b == value.shape ? { $0.mapElements { .zero - $0 } } : { $0.summed(to: b).mapElements { .zero - $0 } }
        return recording(value, lhs, rhs, summingPullback(to: lhs.shape, from: value.shape), negated)
    }
    /// Elementwise product, broadcasting the shapes; integers wrap on overflow (the product
    /// is kept modulo 2^bitWidth: `Int.max * 2 == -2`).
    @inlinable public static func * (lhs: Tensor, rhs: Tensor) -> Tensor {
        let value = lhs.zipElements(rhs, operation: "multiply") { elementMultiply($0, $1) }
        guard anyTraced(lhs, rhs) else { return value }
        let (x, y) = (lhs.withoutDerivative, rhs.withoutDerivative)
        return recording(
            value, lhs, rhs, { g in g.zipElements(y) { $0 * $1 }.summed(to: x.shape) },
            { g in g.zipElements(x) { $0 * $1 }.summed(to: y.shape) })
    }

    /// The pullback of an operand of `shape` in a broadcasting operation with a result of
    /// shape `result`: the gradient summed down to `shape`, or, when broadcasting did not
    /// stretch the operand, the gradient itself, from a closure with no context to allocate.
    @inlinable
    static func summingPullback(to shape: [Int], from result: [Int]) -> (Tensor) -> Tensor {
        shape == result ? { $0 } : { $0.summed(to: shape) }
    }

    /// This gradient summed down to `shape`, the shape of a broadcast operand: `sum(toShape:)`,
    /// with a direct loop over rows for an operand repeated along the leading axes (a bias).
    /// There the general reduction's bookkeeping dwarfs the additions: for a `[16, 32]`
    /// gradient it took ~5,200 instructions, the loop ~1,300 with the allocation.
    @inlinable
    func summed(to shape: [Int]) -> Tensor {
        if shape == self.shape { return self }
        guard count > 0, !isTraced, shape.count <= rank, isTrailingBlock(shape, of: self.shape) else {
            return sum(toShape: shape)
        }
        return withUnsafeBufferPointer { g in
            Tensor(shape: shape) { out in
                let (pg, po, n) = (g.baseAddress!, out.baseAddress!, out.count)
                po.initialize(from: pg, count: n)
                for r in 1..<g.count / n {
                    let row = pg + r * n
                    for j in 0..<n { po[j] = elementAdd(po[j], row[j]) }
                }
            }
        }
    }

    /// `rhs` added to every element; integers wrap on overflow.
    @inlinable public static func + (lhs: Tensor, rhs: Scalar) -> Tensor {
        lhs.recording(lhs.mapElements { elementAdd($0, rhs) }) { $0 }
    }
    /// `lhs` added to every element; integers wrap on overflow.
    @inlinable public static func + (lhs: Scalar, rhs: Tensor) -> Tensor { rhs + lhs }
    /// `rhs` subtracted from every element; integers wrap on overflow.
    @inlinable public static func - (lhs: Tensor, rhs: Scalar) -> Tensor {
        lhs.recording(lhs.mapElements { elementSubtract($0, rhs) }) { $0 }
    }
    /// Every element subtracted from `lhs`; integers wrap on overflow.
    @inlinable public static func - (lhs: Scalar, rhs: Tensor) -> Tensor {
        rhs.recording(rhs.mapElements { elementSubtract(lhs, $0) }) { $0.mapElements { .zero - $0 } }
    }
    /// Every element times `rhs`; integers wrap on overflow.
    @inlinable public static func * (lhs: Tensor, rhs: Scalar) -> Tensor {
        lhs.recording(lhs.mapElements { elementMultiply($0, rhs) }) { $0.mapElements { $0 * rhs } }
    }
    /// `lhs` times every element; integers wrap on overflow.
    @inlinable public static func * (lhs: Scalar, rhs: Tensor) -> Tensor { rhs * lhs }

    /// Adds `rhs` (broadcast to this shape) in place; integers wrap on overflow.
    @inlinable public static func += (lhs: inout Tensor, rhs: Tensor) {
        if anyTraced(lhs, rhs) { return lhs = lhs + rhs }
        lhs.zipInPlace(rhs, operation: "add") { elementAdd($0, $1) }
    }
    /// Subtracts `rhs` (broadcast to this shape) in place; integers wrap on overflow.
    @inlinable public static func -= (lhs: inout Tensor, rhs: Tensor) {
        if anyTraced(lhs, rhs) { return lhs = lhs - rhs }
        lhs.zipInPlace(rhs, operation: "subtract") { elementSubtract($0, $1) }
    }
    /// Multiplies by `rhs` (broadcast to this shape) in place; integers wrap on overflow.
    @inlinable public static func *= (lhs: inout Tensor, rhs: Tensor) {
        if anyTraced(lhs, rhs) { return lhs = lhs * rhs }
        lhs.zipInPlace(rhs, operation: "multiply") { elementMultiply($0, $1) }
    }
    /// Adds `rhs` to every element in place; integers wrap on overflow.
    @inlinable public static func += (lhs: inout Tensor, rhs: Scalar) {
        if lhs.isTraced { return lhs = lhs + rhs }
        lhs.mapInPlace { elementAdd($0, rhs) }
    }
    /// Subtracts `rhs` from every element in place; integers wrap on overflow.
    @inlinable public static func -= (lhs: inout Tensor, rhs: Scalar) {
        if lhs.isTraced { return lhs = lhs - rhs }
        lhs.mapInPlace { elementSubtract($0, rhs) }
    }
    /// Multiplies every element by `rhs` in place; integers wrap on overflow.
    @inlinable public static func *= (lhs: inout Tensor, rhs: Scalar) {
        if lhs.isTraced { return lhs = lhs * rhs }
        lhs.mapInPlace { elementMultiply($0, rhs) }
    }
}

extension Tensor where Scalar: TensorNumeric & SignedNumeric {
    /// Every element negated; for integers the minimum wraps to itself (`-Int.min == Int.min`).
    @inlinable public static prefix func - (x: Tensor) -> Tensor {
        x.recording(x.mapElements { elementNegate($0) }) { $0.mapElements { -$0 } }
    }
}

extension Tensor where Scalar: TensorFloatingPoint {
    /// Elementwise quotient, broadcasting the shapes.
    @inlinable public static func / (lhs: Tensor, rhs: Tensor) -> Tensor {
        let value = lhs.zipElements(rhs, operation: "divide") { $0 / $1 }
        guard anyTraced(lhs, rhs) else { return value }
        let (x, y) = (lhs.withoutDerivative, rhs.withoutDerivative)
        return recording(
            value, lhs, rhs, { g in g.zipElements(y) { $0 / $1 }.summed(to: x.shape) },
            { g in g.zipElements(value.withoutDerivative, y) { g, v, y in -(g * v) / y }.summed(to: y.shape) })
    }
    /// Every element divided by `rhs`.
    @inlinable public static func / (lhs: Tensor, rhs: Scalar) -> Tensor {
        lhs.recording(lhs.mapElements { $0 / rhs }) { $0.mapElements { $0 * (1 / rhs) } }
    }
    /// `lhs` divided by every element.
    @inlinable public static func / (lhs: Scalar, rhs: Tensor) -> Tensor {
        rhs.elementwiseRecording(rhs.mapElements { lhs / $0 }) { g, x, y in
            g.zipElements(x, y) { g, x, y in g * (-y / x) }
        }
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
