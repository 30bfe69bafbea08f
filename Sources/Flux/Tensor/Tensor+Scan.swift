extension Tensor where Scalar: TensorNumeric {
    /// The running sums along `axis`: element `i` is the sum of elements `0...i` (PyTorch's
    /// `cumsum`); integer sums wrap on overflow. Differentiable: the gradient is the running
    /// sum of the gradient from the end.
    ///
    /// ```swift
    /// Tensor<Float>([1, 2, 3]).cumulativeSum(alongAxis: 0)   // [1, 3, 6]
    /// ```
    /// - Precondition: `axis` is an axis of this tensor (negative counts from the end).
    @inlinable
    public func cumulativeSum(alongAxis axis: Int) -> Tensor {
        let a = normalizedAxis(axis, rank: rank, operation: "cumulativeSum", shape: shape)
        let value = withoutDerivative.scanned(alongAxis: a, fromEnd: false)
        return isTraced ? recording(value) { g in g.scanned(alongAxis: a, fromEnd: true) } : value
    }

    /// Running sums along axis `a`, from the start or from the end.
    @inlinable
    func scanned(alongAxis a: Int, fromEnd: Bool) -> Tensor {
        let n = shape[a]
        let inner = shape[(a + 1)...].reduce(1, *)
        let outer = count == 0 ? 0 : count / (n * inner)
        return withUnsafeBufferPointer { x in
            Tensor(shape: shape) { out in
                for o in 0..<outer {
                    let base = o * n * inner
                    for step in 0..<n {
                        let j = fromEnd ? n - 1 - step : step
                        let row = base + j * inner
                        let previous = row + (fromEnd ? inner : -inner)
                        for i in 0..<inner {
                            out[row + i] = step == 0 ? x[row + i] : elementAdd(out[previous + i], x[row + i])
                        }
                    }
                }
            }
        }
    }
}
