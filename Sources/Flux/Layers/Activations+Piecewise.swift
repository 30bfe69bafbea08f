// Piecewise-linear activations, cheap enough for mobile-style networks; the gradient at a
// kink is that of the side PyTorch takes (the flat one).

/// `min(max(x, 0), 6)`.
@inlinable
public func relu6<T: TensorFloatingPoint>(_ x: Tensor<T>) -> Tensor<T> {
    x.elementwiseRecording(x.mapElements { $0 < 0 ? 0 : $0 > 6 ? 6 : $0 }) { g, x, _ in
        g.zipElements(x) { g, x in x > 0 && x < 6 ? g : 0 }
    }
}

/// `x` clamped to `[minimum, maximum]` (`[−1, 1]` by default); NaN stays NaN.
///
/// - Precondition: `minimum <= maximum`.
@inlinable
public func hardTanh<T: TensorFloatingPoint>(_ x: Tensor<T>, minimum: T = -1, maximum: T = 1) -> Tensor<T> {
    guard minimum <= maximum else {
        fail("hardTanh: the minimum \(minimum) is not at most the maximum \(maximum) (tensor of shape \(x.shape))")
    }
    return x.elementwiseRecording(x.mapElements { $0 < minimum ? minimum : $0 > maximum ? maximum : $0 }) { g, x, _ in
        g.zipElements(x) { g, x in x > minimum && x < maximum ? g : 0 }
    }
}

/// `relu6(x + 3) / 6`, a piecewise-linear sigmoid (PyTorch's `hardsigmoid`).
@inlinable
public func hardSigmoid<T: TensorFloatingPoint>(_ x: Tensor<T>) -> Tensor<T> {
    x.elementwiseRecording(x.mapElements { $0 <= -3 ? 0 : $0 >= 3 ? 1 : $0 / 6 + 0.5 }) { g, x, _ in
        g.zipElements(x) { g, x in x > -3 && x < 3 ? g / 6 : 0 }
    }
}

/// `x · relu6(x + 3) / 6` (Howard et al., MobileNetV3; PyTorch's `hardswish`).
@inlinable
public func hardSwish<T: TensorFloatingPoint>(_ x: Tensor<T>) -> Tensor<T> {
    x.elementwiseRecording(x.mapElements { $0 <= -3 ? 0 : $0 >= 3 ? $0 : $0 * ($0 + 3) / 6 }) { g, x, _ in
        g.zipElements(x) { g, x in x < -3 ? 0 : x > 3 ? g : g * (2 * x + 3) / 6 }
    }
}
