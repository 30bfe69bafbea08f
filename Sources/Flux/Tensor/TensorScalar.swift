import CBLAS
import CFluxKernels

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A type a ``Tensor`` can hold: a plain value copied bit for bit.
///
/// `Bool` (masks), `Int` and `Int32` (indices, labels), `Float` and `Double` conform.
public protocol TensorScalar: BitwiseCopyable, Sendable, Equatable {}

/// A tensor element with arithmetic and an order: integers and floating-point numbers.
///
/// The requirements are the element arithmetic of tensor operations: the usual operators
/// for floating-point numbers, and for integers their wrapping (two's complement) forms, so
/// that integer tensors wrap on overflow as NumPy's do (see `ElementArithmetic.swift`).
/// Every conforming type gets them by default.
public protocol TensorNumeric: TensorScalar, Numeric, Comparable {
    /// `a + b`, wrapping around on integer overflow.
    static func _add(_ a: Self, _ b: Self) -> Self
    /// `a - b`, wrapping around on integer overflow.
    static func _subtract(_ a: Self, _ b: Self) -> Self
    /// `a * b`, wrapping around on integer overflow.
    static func _multiply(_ a: Self, _ b: Self) -> Self
    /// `-a`; for integers the minimum is its own negation.
    static func _negate(_ a: Self) -> Self
}

/// A floating-point tensor element (`Float` or `Double`): elementary functions and BLAS.
///
/// The requirements are the scalar kernels that Flux's elementwise operations are made of;
/// they are public so that they specialise across modules, not for everyday use.
public protocol TensorFloatingPoint: TensorNumeric, BinaryFloatingPoint
where Magnitude == Self {
    /// `e` raised to `x`.
    static func _exp(_ x: Self) -> Self
    /// The natural logarithm of `x`.
    static func _log(_ x: Self) -> Self
    /// `log(1 + x)`, accurate for small `x`.
    static func _log1p(_ x: Self) -> Self
    /// `exp(x) - 1`, accurate for small `x`.
    static func _expm1(_ x: Self) -> Self
    /// The square root of `x`, as an instruction that vectorises.
    static func _sqrt(_ x: Self) -> Self
    /// `x` raised to `y`.
    static func _pow(_ x: Self, _ y: Self) -> Self
    /// The sine of `x`.
    static func _sin(_ x: Self) -> Self
    /// The cosine of `x`.
    static func _cos(_ x: Self) -> Self
    /// The hyperbolic tangent of `x`.
    static func _tanh(_ x: Self) -> Self
    /// The error function of `x`.
    static func _erf(_ x: Self) -> Self
    /// `1 − erf(x)`, accurate where it is small (large `x`).
    static func _erfc(_ x: Self) -> Self
    /// `y[i] = e^x[i]` for every element of `x`.
    static func _exp(_ x: UnsafeBufferPointer<Self>, into y: UnsafeMutablePointer<Self>)
    /// `y[i] = tanh(x[i])` for every element of `x`.
    static func _tanh(_ x: UnsafeBufferPointer<Self>, into y: UnsafeMutablePointer<Self>)
    /// `y[i] = 1 / (1 + e^-x[i])` for every element of `x`.
    static func _sigmoid(_ x: UnsafeBufferPointer<Self>, into y: UnsafeMutablePointer<Self>)
    /// General matrix product through CBLAS: `C = alpha * op(A) * op(B) + beta * C`, row-major.
    static func _gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Self, a: UnsafePointer<Self>, lda: Int,
        b: UnsafePointer<Self>, ldb: Int,
        beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)
}

extension Bool: TensorScalar {}
extension Int: TensorNumeric {}
extension Int32: TensorNumeric {}

@usableFromInline
func cblasTranspose(_ t: Bool) -> CBLAS_TRANSPOSE { t ? CblasTrans : CblasNoTrans }

// exp, log, log1p and tanh are Flux's own kernels (FastMath.swift), within about 2 ulp of
// libm: glibc's are opaque calls that keep a loop from vectorising.
extension Float: TensorFloatingPoint {
    @inlinable @inline(__always) public static func _exp(_ x: Float) -> Float { _fastExp(x) }
    @inlinable @inline(__always) public static func _log(_ x: Float) -> Float { _fastLog(x) }
    @inlinable @inline(__always) public static func _log1p(_ x: Float) -> Float { _fastLog1p(x) }
    @inlinable public static func _expm1(_ x: Float) -> Float { expm1f(x) }
    @inlinable public static func _sqrt(_ x: Float) -> Float { flux_sqrtf(x) }
    @inlinable public static func _pow(_ x: Float, _ y: Float) -> Float { powf(x, y) }
    @inlinable public static func _sin(_ x: Float) -> Float { sinf(x) }
    @inlinable public static func _cos(_ x: Float) -> Float { cosf(x) }
    @inlinable @inline(__always) public static func _tanh(_ x: Float) -> Float { _fastTanh(x) }
    @inlinable public static func _erf(_ x: Float) -> Float { erff(x) }
    @inlinable public static func _erfc(_ x: Float) -> Float { erfcf(x) }
    // The loops over whole buffers run in CFluxKernels, where they are compiled for the widest
    // vectors the CPU has (tanh is a fifth of a `tiny` step in baseline SSE code).
    @inlinable public static func _exp(_ x: UnsafeBufferPointer<Float>, into y: UnsafeMutablePointer<Float>) {
        if let base = x.baseAddress { flux_exp_f32(base, y, x.count) }
    }
    @inlinable public static func _tanh(_ x: UnsafeBufferPointer<Float>, into y: UnsafeMutablePointer<Float>) {
        if let base = x.baseAddress { flux_tanh_f32(base, y, x.count) }
    }
    @inlinable public static func _sigmoid(_ x: UnsafeBufferPointer<Float>, into y: UnsafeMutablePointer<Float>) {
        if let base = x.baseAddress { flux_sigmoid_f32(base, y, x.count) }
    }
    @inlinable public static func _gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Float, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        cblas_sgemm(
            CblasRowMajor, cblasTranspose(transposeA), cblasTranspose(transposeB),
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
}

extension Double: TensorFloatingPoint {
    @inlinable public static func _exp(_ x: Double) -> Double { Glibc.exp(x) }
    @inlinable public static func _log(_ x: Double) -> Double { Glibc.log(x) }
    @inlinable public static func _log1p(_ x: Double) -> Double { Glibc.log1p(x) }
    @inlinable public static func _expm1(_ x: Double) -> Double { Glibc.expm1(x) }
    @inlinable public static func _sqrt(_ x: Double) -> Double { flux_sqrt(x) }
    @inlinable public static func _pow(_ x: Double, _ y: Double) -> Double { Glibc.pow(x, y) }
    @inlinable public static func _sin(_ x: Double) -> Double { Glibc.sin(x) }
    @inlinable public static func _cos(_ x: Double) -> Double { Glibc.cos(x) }
    @inlinable public static func _tanh(_ x: Double) -> Double { Glibc.tanh(x) }
    @inlinable public static func _erf(_ x: Double) -> Double { Glibc.erf(x) }
    @inlinable public static func _erfc(_ x: Double) -> Double { Glibc.erfc(x) }
    @inlinable public static func _exp(_ x: UnsafeBufferPointer<Double>, into y: UnsafeMutablePointer<Double>) {
        for i in x.indices { y[i] = Glibc.exp(x[i]) }
    }
    @inlinable public static func _tanh(_ x: UnsafeBufferPointer<Double>, into y: UnsafeMutablePointer<Double>) {
        for i in x.indices { y[i] = Glibc.tanh(x[i]) }
    }
    @inlinable public static func _sigmoid(_ x: UnsafeBufferPointer<Double>, into y: UnsafeMutablePointer<Double>) {
        for i in x.indices { y[i] = Double._sigmoid(x[i]) }
    }
    @inlinable public static func _gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Double, a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
        beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        cblas_dgemm(
            CblasRowMajor, cblasTranspose(transposeA), cblasTranspose(transposeB),
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
}
