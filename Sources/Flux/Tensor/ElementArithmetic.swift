// The element arithmetic of tensor operations. Integer tensors wrap around on overflow
// (two's complement), as NumPy's do, in every operation: `+`, `-`, `*`, negation, `abs`,
// `square`, sums and running sums here, and `/` and `%` (`Tensor+IntegerDivision.swift`),
// where `min / -1` is `min`. Swift's own integer operators trap instead, which in a release
// build is a bare signal; an integer tensor never does. For `Float` and `Double` these are
// the plain operators, inlined, so floating-point kernels are unchanged.

// Internal functions chosen by the scalar type rather than protocol requirements, so that
// users see none of them: once a caller is specialised, the type tests fold away and each
// is one instruction. A `TensorNumeric` type of a user's own gets the plain operators.

/// `a + b`, wrapping around on integer overflow.
@inlinable @inline(__always)
func elementAdd<T: TensorNumeric>(_ a: T, _ b: T) -> T {
    if T.self == Int.self { return wrapped(a, b, as: Int.self, &+) }
    if T.self == Int32.self { return wrapped(a, b, as: Int32.self, &+) }
    return a + b
}

/// `a - b`, wrapping around on integer overflow.
@inlinable @inline(__always)
func elementSubtract<T: TensorNumeric>(_ a: T, _ b: T) -> T {
    if T.self == Int.self { return wrapped(a, b, as: Int.self, &-) }
    if T.self == Int32.self { return wrapped(a, b, as: Int32.self, &-) }
    return a - b
}

/// `a * b`, wrapping around on integer overflow.
@inlinable @inline(__always)
func elementMultiply<T: TensorNumeric>(_ a: T, _ b: T) -> T {
    if T.self == Int.self { return wrapped(a, b, as: Int.self, &*) }
    if T.self == Int32.self { return wrapped(a, b, as: Int32.self, &*) }
    return a * b
}

/// `-a`: for integers the minimum is its own negation; for floating-point numbers 0 becomes -0.
@inlinable @inline(__always)
func elementNegate<T: TensorNumeric>(_ a: T) -> T {
    if T.self == Int.self { return wrapped(.zero, a, as: Int.self, &-) }
    if T.self == Int32.self { return wrapped(.zero, a, as: Int32.self, &-) }
    if T.self == Float.self { return unsafeBitCast(-unsafeBitCast(a, to: Float.self), to: T.self) }
    if T.self == Double.self { return unsafeBitCast(-unsafeBitCast(a, to: Double.self), to: T.self) }
    return .zero - a
}

/// `operation` on `a` and `b` as the integer type `I` that `T` is.
@inlinable @inline(__always)
func wrapped<T: TensorNumeric, I: FixedWidthInteger>(_ a: T, _ b: T, as _: I.Type, _ operation: (I, I) -> I) -> T {
    unsafeBitCast(operation(unsafeBitCast(a, to: I.self), unsafeBitCast(b, to: I.self)), to: T.self)
}

/// `|x|`, wrapping for integers: `abs` of the minimum is the minimum, as in NumPy.
///
/// For floating-point numbers it is `Swift.abs` (-0 gives 0, and NaN loses its sign).
@inlinable @inline(__always)
func wrappingAbs<T: TensorNumeric & SignedNumeric>(_ x: T) -> T { x < .zero ? elementNegate(x) : Swift.abs(x) }
