// Elementwise functions as free functions, like NumPy's: `exp(x)`, `max(a, b)`, `pow(x, 2)`.
//
// Every overload takes at least one tensor, so on plain numbers `sqrt(2.0)`, `exp(x)` and
// `max(1, 2)` still resolve to the standard library's and libm's functions. For `Float`,
// `exp`, `log`, `log1p`, `tanh`, `sigmoid` and `softplus` use the vectorising kernels of
// FastMath.swift (relative error below 2.5e-7); `exp`, `tanh` and `sigmoid` run them as
// loops in CFluxKernels, built for AVX-512 and AVX2 as well as the baseline. The other
// functions and every `Double` function use libm.

/// `e` raised to each element.
@inlinable public func exp<T: TensorFloatingPoint>(_ x: Tensor<T>) -> Tensor<T> {
    x.elementwiseRecording(x.mapBuffer { vectorExp($0, into: $1) }) { g, _, y in g.zipElements(y) { g, y in g * y } }
}

/// `e` raised to each element, minus 1: accurate where the elements are near 0.
@inlinable public func expm1<T: TensorFloatingPoint>(_ x: Tensor<T>) -> Tensor<T> {
    x.elementwiseRecording(x.mapElements { T.expMinusOne($0) }) { g, _, y in g.zipElements(y) { g, y in g * (y + 1) } }
}

/// The natural logarithm of each element: -inf at 0, NaN below 0.
@inlinable public func log<T: TensorFloatingPoint>(_ x: Tensor<T>) -> Tensor<T> {
    x.elementwiseRecording(x.mapElements { T.log($0) }) { g, x, _ in g.zipElements(x) { g, x in g * (1 / x) } }
}

/// `log(1 + x)` of each element: accurate where the elements are near 0.
@inlinable public func log1p<T: TensorFloatingPoint>(_ x: Tensor<T>) -> Tensor<T> {
    x.elementwiseRecording(x.mapElements { T.log(onePlus: $0) }) { g, x, _ in
        g.zipElements(x) { g, x in g * (1 / (1 + x)) }
    }
}

/// The square root of each element: NaN below 0.
@inlinable public func sqrt<T: TensorFloatingPoint>(_ x: Tensor<T>) -> Tensor<T> {
    x.elementwiseRecording(x.mapElements { T.sqrt($0) }) { g, _, y in g.zipElements(y) { g, y in g * (1 / (2 * y)) } }
}

/// The reciprocal square root `1 / sqrt(x)` of each element: +inf at +0.
@inlinable public func rsqrt<T: TensorFloatingPoint>(_ x: Tensor<T>) -> Tensor<T> {
    x.elementwiseRecording(x.mapElements { 1 / T.sqrt($0) }) { g, _, y in
        g.zipElements(y) { g, y in g * (-y * y * y / 2) }
    }
}

/// The sine of each element, in radians.
@inlinable public func sin<T: TensorFloatingPoint>(_ x: Tensor<T>) -> Tensor<T> {
    x.elementwiseRecording(x.mapElements { T.sin($0) }) { g, x, _ in g.zipElements(x) { g, x in g * T.cos(x) } }
}

/// The cosine of each element, in radians.
@inlinable public func cos<T: TensorFloatingPoint>(_ x: Tensor<T>) -> Tensor<T> {
    x.elementwiseRecording(x.mapElements { T.cos($0) }) { g, x, _ in g.zipElements(x) { g, x in g * -T.sin(x) } }
}

/// The hyperbolic tangent of each element.
@inlinable public func tanh<T: TensorFloatingPoint>(_ x: Tensor<T>) -> Tensor<T> {
    x.elementwiseRecording(x.mapBuffer { vectorTanh($0, into: $1) }) { g, _, y in
        g.zipElements(y) { g, y in g * (1 - y * y) }
    }
}

/// The error function of each element.
@inlinable public func erf<T: TensorFloatingPoint>(_ x: Tensor<T>) -> Tensor<T> {
    let c = 2 / T.pi.squareRoot()
    return x.elementwiseRecording(x.mapElements { T.erf($0) }) { g, x, _ in
        g.zipElements(x) { g, x in g * (c * T.exp(-x * x)) }
    }
}

/// The logistic function `1 / (1 + e^-x)` of each element, stable for large `|x|`.
@inlinable public func sigmoid<T: TensorFloatingPoint>(_ x: Tensor<T>) -> Tensor<T> {
    x.elementwiseRecording(x.mapBuffer { vectorSigmoid($0, into: $1) }) { g, _, y in
        g.zipElements(y) { g, y in g * (y * (1 - y)) }
    }
}

/// `log(1 + e^x)` of each element, stable for large `|x|` (it is `x` for large `x`).
@inlinable
public func softplus<T: TensorFloatingPoint>(_ x: Tensor<T>) -> Tensor<T> {
    // Not `map`: the kernel (an exp and a log) is too large for the optimiser to inline a
    // closure of it into map's loop, and a call per element would keep the loop scalar.
    let value = x.withUnsafeBufferPointer { a in
        Tensor<T>(shape: x.shape) { out in
            let (pa, po) = (a.baseAddress!, out.baseAddress!)
            for i in 0..<a.count { po[i] = T.softplus(pa[i]) }
        }
    }
    return x.elementwiseRecording(value) { g, x, _ in g.zipElements(x) { g, x in g * T.sigmoid(x) } }
}

/// Each element raised to the corresponding element of `exponent`, broadcasting the shapes.
///
/// - Precondition: the shapes broadcast together.
@inlinable
public func pow<T: TensorFloatingPoint>(_ x: Tensor<T>, _ exponent: Tensor<T>) -> Tensor<T> {
    Tensor.broadcastRecording(
        x.zipElements(exponent, operation: "pow") { T.pow($0, $1) }, x, exponent,
        da: { g, x, y in g.zipElements(x, y) { g, x, y in g * (y * T.pow(x, y - 1)) } },
        db: { g, x, y in g.zipElements(x, y) { g, x, y in g * (T.pow(x, y) * T.log(x)) } })
}

/// Each element raised to `exponent`; `pow(x, 2)` is computed as `x * x`.
@inlinable
public func pow<T: TensorFloatingPoint>(_ x: Tensor<T>, _ exponent: T) -> Tensor<T> {
    // The common square skips libm's pow, which does not vectorise; the result is the same.
    if exponent == 2 { return square(x) }
    return x.elementwiseRecording(x.mapElements { T.pow($0, exponent) }) { g, x, _ in
        g.zipElements(x) { g, x in g * (exponent * T.pow(x, exponent - 1)) }
    }
}

/// `base` raised to each element.
@inlinable
public func pow<T: TensorFloatingPoint>(_ base: T, _ exponent: Tensor<T>) -> Tensor<T> {
    let logBase = T.log(base)
    return exponent.elementwiseRecording(exponent.mapElements { T.pow(base, $0) }) { g, _, y in
        g.zipElements(y) { g, y in g * (y * logBase) }
    }
}

/// Each element squared; integers wrap on overflow.
@inlinable public func square<T: TensorNumeric>(_ x: Tensor<T>) -> Tensor<T> {
    x.elementwiseRecording(x.mapElements { elementMultiply($0, $0) }) { g, x, _ in
        g.zipElements(x) { g, x in g * (2 * x) }
    }
}

/// The absolute value of each element; for integers `abs` of the minimum wraps to the
/// minimum (`abs(Int.min) == Int.min`), as in NumPy.
@inlinable
public func abs<T: TensorNumeric & SignedNumeric>(_ x: Tensor<T>) -> Tensor<T> {
    x.elementwiseRecording(x.mapElements { wrappingAbs($0) }) { g, x, _ in
        g.zipElements(x) { g, x in g * (x > 0 ? 1 : x < 0 ? -1 : 0) }
    }
}

/// The sign of each element: -1, 0 or 1; floating-point zeros keep their sign and NaN stays NaN.
@inlinable
public func sign<T: TensorNumeric & SignedNumeric>(_ x: Tensor<T>) -> Tensor<T> {
    // Piecewise constant: its derivative is zero wherever it exists.
    x.recording(x.mapElements { $0 > 0 ? 1 : $0 < 0 ? -1 : $0 }) { $0.mapElements { $0 * 0 } }
}

/// Each element where it is positive, 0 where it is negative: `max(x, 0)`, NaN staying NaN.
@inlinable
public func relu<T: TensorNumeric>(_ x: Tensor<T>) -> Tensor<T> {
    x.elementwiseRecording(x.mapElements { $0 < 0 ? 0 : $0 }) { g, x, _ in
        g.zipElements(x) { g, x in g * (x > 0 ? 1 : 0) }
    }
}

// NaN propagates through max and min, as in NumPy's `maximum`: the comparison `a != a` is
// true only for NaN (and folds away for integers), and a NaN `b` fails `a > b` and is chosen.

/// The larger of each pair of elements, broadcasting the shapes; NaN where either is NaN.
///
/// - Precondition: the shapes broadcast together.
@inlinable
public func max<T: TensorNumeric>(_ a: Tensor<T>, _ b: Tensor<T>) -> Tensor<T> {
    // The gradient goes to the larger operand (to `a` on ties).
    Tensor.broadcastRecording(
        a.zipElements(b, operation: "max") { x, y in x > y || x != x ? x : y }, a, b,
        da: { g, x, y in g.zipElements(x, y) { g, x, y in g * (x >= y ? 1 : 0) } },
        db: { g, x, y in g.zipElements(x, y) { g, x, y in g * (x >= y ? 0 : 1) } })
}

/// The larger of each element and `b`; NaN where either is NaN.
@inlinable
public func max<T: TensorNumeric>(_ a: Tensor<T>, _ b: T) -> Tensor<T> {
    a.elementwiseRecording(a.mapElements { x in x > b || x != x ? x : b }) { g, x, _ in
        g.zipElements(x) { g, x in g * (x >= b ? 1 : 0) }
    }
}

/// The larger of `a` and each element; NaN where either is NaN.
@inlinable
public func max<T: TensorNumeric>(_ a: T, _ b: Tensor<T>) -> Tensor<T> { max(b, a) }

/// The smaller of each pair of elements, broadcasting the shapes; NaN where either is NaN.
///
/// - Precondition: the shapes broadcast together.
@inlinable
public func min<T: TensorNumeric>(_ a: Tensor<T>, _ b: Tensor<T>) -> Tensor<T> {
    Tensor.broadcastRecording(
        a.zipElements(b, operation: "min") { x, y in x < y || x != x ? x : y }, a, b,
        da: { g, x, y in g.zipElements(x, y) { g, x, y in g * (x <= y ? 1 : 0) } },
        db: { g, x, y in g.zipElements(x, y) { g, x, y in g * (x <= y ? 0 : 1) } })
}

/// The smaller of each element and `b`; NaN where either is NaN.
@inlinable
public func min<T: TensorNumeric>(_ a: Tensor<T>, _ b: T) -> Tensor<T> {
    a.elementwiseRecording(a.mapElements { x in x < b || x != x ? x : b }) { g, x, _ in
        g.zipElements(x) { g, x in g * (x <= b ? 1 : 0) }
    }
}

/// The smaller of `a` and each element; NaN where either is NaN.
@inlinable
public func min<T: TensorNumeric>(_ a: T, _ b: Tensor<T>) -> Tensor<T> { min(b, a) }

/// Each element limited to `lower...upper`; NaN stays NaN.
///
/// - Precondition: `lower <= upper`.
@inlinable
public func clamp<T: TensorNumeric>(_ x: Tensor<T>, min lower: T, max upper: T) -> Tensor<T> {
    guard lower <= upper else {
        fail("clamp: the lower bound \(lower) is not at most the upper bound \(upper) (tensor of shape \(x.shape))")
    }
    return x.elementwiseRecording(x.mapElements { $0 < lower ? lower : $0 > upper ? upper : $0 }) { g, x, _ in
        g.zipElements(x) { g, x in g * (x >= lower && x <= upper ? 1 : 0) }
    }
}
