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
/// `Int` and `Int32` tensors wrap on overflow (two's complement), as NumPy's do, in every
/// operation (see `ElementArithmetic.swift`); `Float` and `Double` follow IEEE 754.
public protocol TensorNumeric: TensorScalar, Numeric, Comparable {}

/// A floating-point tensor element (`Float` or `Double`), with the elementary functions
/// under the names swift-numerics' `RealModule` gives them (`Float.exp(x)`,
/// `Double.log(onePlus: x)`), so that generic code over the scalar type can use them.
///
/// `Float`'s `exp`, `log`, `log(onePlus:)` and `tanh` are Flux's own vectorisable kernels,
/// within about 2 ulp of the C library's; the others are the C library's.
public protocol TensorFloatingPoint: TensorNumeric, BinaryFloatingPoint
where Magnitude == Self {
    /// `e` raised to `x`.
    static func exp(_ x: Self) -> Self
    /// `exp(x) - 1`, accurate for small `x`.
    static func expMinusOne(_ x: Self) -> Self
    /// The natural logarithm of `x`.
    static func log(_ x: Self) -> Self
    /// `log(1 + x)`, accurate for small `x`.
    static func log(onePlus x: Self) -> Self
    /// The square root of `x` (one instruction, which vectorises).
    static func sqrt(_ x: Self) -> Self
    /// `x` raised to `y`.
    static func pow(_ x: Self, _ y: Self) -> Self
    /// The sine of `x`.
    static func sin(_ x: Self) -> Self
    /// The cosine of `x`.
    static func cos(_ x: Self) -> Self
    /// The hyperbolic tangent of `x`.
    static func tanh(_ x: Self) -> Self
    /// The error function of `x`.
    static func erf(_ x: Self) -> Self
    /// `1 − erf(x)`, accurate where it is small (large `x`).
    static func erfc(_ x: Self) -> Self
}

extension Bool: TensorScalar {}
extension Int: TensorNumeric {}
extension Int32: TensorNumeric {}

// exp, log, log1p and tanh are Flux's own kernels (FastMath.swift), within about 2 ulp of
// libm: glibc's are opaque calls that keep a loop from vectorising.
extension Float: TensorFloatingPoint {
    @inlinable @inline(__always) public static func exp(_ x: Float) -> Float { fastExp(x) }
    @inlinable public static func expMinusOne(_ x: Float) -> Float { expm1f(x) }
    @inlinable @inline(__always) public static func log(_ x: Float) -> Float { fastLog(x) }
    @inlinable @inline(__always) public static func log(onePlus x: Float) -> Float { fastLog1p(x) }
    @inlinable public static func sqrt(_ x: Float) -> Float { flux_sqrtf(x) }
    @inlinable public static func pow(_ x: Float, _ y: Float) -> Float { powf(x, y) }
    @inlinable public static func sin(_ x: Float) -> Float { sinf(x) }
    @inlinable public static func cos(_ x: Float) -> Float { cosf(x) }
    @inlinable @inline(__always) public static func tanh(_ x: Float) -> Float { fastTanh(x) }
    @inlinable public static func erf(_ x: Float) -> Float { erff(x) }
    @inlinable public static func erfc(_ x: Float) -> Float { erfcf(x) }
}

extension Double: TensorFloatingPoint {
    @inlinable public static func exp(_ x: Double) -> Double { Glibc.exp(x) }
    @inlinable public static func expMinusOne(_ x: Double) -> Double { Glibc.expm1(x) }
    @inlinable public static func log(_ x: Double) -> Double { Glibc.log(x) }
    @inlinable public static func log(onePlus x: Double) -> Double { Glibc.log1p(x) }
    @inlinable public static func sqrt(_ x: Double) -> Double { flux_sqrt(x) }
    @inlinable public static func pow(_ x: Double, _ y: Double) -> Double { Glibc.pow(x, y) }
    @inlinable public static func sin(_ x: Double) -> Double { Glibc.sin(x) }
    @inlinable public static func cos(_ x: Double) -> Double { Glibc.cos(x) }
    @inlinable public static func tanh(_ x: Double) -> Double { Glibc.tanh(x) }
    @inlinable public static func erf(_ x: Double) -> Double { Glibc.erf(x) }
    @inlinable public static func erfc(_ x: Double) -> Double { Glibc.erfc(x) }
}

// The loops over whole buffers and the matrix product: internal, chosen by the scalar type
// (the test folds away once the caller is specialised). Float's loops run in CFluxKernels,
// compiled for the widest vectors the CPU has (tanh is a fifth of a `tiny` step in SSE code).

/// `y[i] = e^x[i]` for every element of `x`.
@inlinable
func vectorExp<S: TensorFloatingPoint>(_ x: UnsafeBufferPointer<S>, into y: UnsafeMutablePointer<S>) {
    vectorLoop(x, into: y, floatKernel: flux_exp_f32, S.exp)
}

/// `y[i] = tanh(x[i])` for every element of `x`.
@inlinable
func vectorTanh<S: TensorFloatingPoint>(_ x: UnsafeBufferPointer<S>, into y: UnsafeMutablePointer<S>) {
    vectorLoop(x, into: y, floatKernel: flux_tanh_f32, S.tanh)
}

/// `y[i] = 1 / (1 + e^-x[i])` for every element of `x`.
@inlinable
func vectorSigmoid<S: TensorFloatingPoint>(_ x: UnsafeBufferPointer<S>, into y: UnsafeMutablePointer<S>) {
    vectorLoop(x, into: y, floatKernel: flux_sigmoid_f32, S.sigmoid)
}

/// `y[i] = f(x[i])`: by the C kernel for `Float`, element by element otherwise.
@inlinable @inline(__always)
func vectorLoop<S: TensorFloatingPoint>(
    _ x: UnsafeBufferPointer<S>, into y: UnsafeMutablePointer<S>,
    floatKernel: (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void, _ f: (S) -> S
) {
    guard let base = x.baseAddress else { return }
    if S.self == Float.self {
        floatKernel(
            UnsafeRawPointer(base).assumingMemoryBound(to: Float.self),
            UnsafeMutableRawPointer(y).assumingMemoryBound(to: Float.self), x.count)
    } else {
        for i in x.indices { y[i] = f(x[i]) }
    }
}

@usableFromInline
func cblasTranspose(_ t: Bool) -> CBLAS_TRANSPOSE { t ? CblasTrans : CblasNoTrans }

/// General matrix product through CBLAS: `C = alpha * op(A) * op(B) + beta * C`, row-major.
@inlinable
func blasGemm<S: TensorFloatingPoint>(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
    alpha: S, a: UnsafePointer<S>, lda: Int, b: UnsafePointer<S>, ldb: Int,
    beta: S, c: UnsafeMutablePointer<S>, ldc: Int
) {
    let (ta, tb) = (cblasTranspose(transposeA), cblasTranspose(transposeB))
    let (m, n, k, lda, ldb, ldc) = (Int32(m), Int32(n), Int32(k), Int32(lda), Int32(ldb), Int32(ldc))
    if S.self == Float.self {
        cblas_sgemm(
            CblasRowMajor, ta, tb, m, n, k, unsafeBitCast(alpha, to: Float.self),
            UnsafeRawPointer(a).assumingMemoryBound(to: Float.self),
            lda, UnsafeRawPointer(b).assumingMemoryBound(to: Float.self), ldb, unsafeBitCast(beta, to: Float.self),
            UnsafeMutableRawPointer(c).assumingMemoryBound(to: Float.self), ldc)
    } else {
        cblas_dgemm(
            CblasRowMajor, ta, tb, m, n, k, unsafeBitCast(alpha, to: Double.self),
            UnsafeRawPointer(a).assumingMemoryBound(to: Double.self),
            lda, UnsafeRawPointer(b).assumingMemoryBound(to: Double.self), ldb, unsafeBitCast(beta, to: Double.self),
            UnsafeMutableRawPointer(c).assumingMemoryBound(to: Double.self), ldc)
    }
}
