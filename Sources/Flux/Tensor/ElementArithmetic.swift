// The element arithmetic of tensor operations. Integer tensors wrap around on overflow
// (two's complement), as NumPy's do, in every operation: `+`, `-`, `*`, negation, `abs`,
// `square`, sums and running sums here, and `/` and `%` (`Tensor+IntegerDivision.swift`),
// where `min / -1` is `min`. Swift's own integer operators trap instead, which in a release
// build is a bare signal; an integer tensor never does. For `Float` and `Double` these are
// the plain operators, inlined, so floating-point kernels are unchanged.

extension TensorNumeric {
    /// `a + b`.
    @inlinable @inline(__always) public static func _add(_ a: Self, _ b: Self) -> Self { a + b }
    /// `a - b`.
    @inlinable @inline(__always) public static func _subtract(_ a: Self, _ b: Self) -> Self { a - b }
    /// `a * b`.
    @inlinable @inline(__always) public static func _multiply(_ a: Self, _ b: Self) -> Self { a * b }
    /// `0 - a`, for a type without negation.
    @inlinable @inline(__always) public static func _negate(_ a: Self) -> Self { .zero - a }
}

extension TensorNumeric where Self: FloatingPoint {
    /// `-a` (which, unlike `0 - a`, turns 0 into -0).
    @inlinable @inline(__always) public static func _negate(_ a: Self) -> Self { -a }
}

extension TensorNumeric where Self: FixedWidthInteger {
    /// `a &+ b`: the sum, wrapped to the type's width.
    @inlinable @inline(__always) public static func _add(_ a: Self, _ b: Self) -> Self { a &+ b }
    /// `a &- b`: the difference, wrapped to the type's width.
    @inlinable @inline(__always) public static func _subtract(_ a: Self, _ b: Self) -> Self { a &- b }
    /// `a &* b`: the product, wrapped to the type's width.
    @inlinable @inline(__always) public static func _multiply(_ a: Self, _ b: Self) -> Self { a &* b }
    /// `0 &- a`: the negation, wrapped (`-min` is `min`).
    @inlinable @inline(__always) public static func _negate(_ a: Self) -> Self { 0 &- a }
}

/// `|x|`, wrapping for integers: `abs` of the minimum is the minimum, as in NumPy.
///
/// For floating-point numbers it is `Swift.abs` (-0 gives 0, and NaN loses its sign).
@inlinable @inline(__always)
func wrappingAbs<T: TensorNumeric & SignedNumeric>(_ x: T) -> T { x < .zero ? T._negate(x) : Swift.abs(x) }
