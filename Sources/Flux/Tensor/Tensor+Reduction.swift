extension Tensor where Scalar: TensorNumeric {
    /// The sum of all elements, as a rank-0 tensor (0 for no elements).
    ///
    /// Floating-point sums are pairwise, accurate to about log₂(n) rounding errors; integer
    /// sums wrap on overflow, as NumPy's do.
    @inlinable public func sum() -> Tensor { sum(alongAxes: Array(0..<rank)) }

    /// Sums along `axes` (negative axes count from the end); each summed axis is removed,
    /// or kept with extent 1 when `keepingDimensions` is true.
    ///
    /// - Precondition: every axis is in range and appears once.
    @inlinable
    public func sum(alongAxes axes: [Int], keepingDimensions: Bool = false) -> Tensor {
        let value = reducing(
            axes: axes, keeping: keepingDimensions, operation: "sum", empty: .zero, { elementAdd($0, $1) },
            row: pairwiseSum)
        guard isTraced else { return value }
        let shape = self.shape
        let kept = reducedShape(shape, axes: normalizedAxes(axes, of: shape, operation: "sum"), keeping: true)
        return recording(value) { g in g.sharingStorage(withShape: kept).broadcast(to: shape) }
    }

    /// Sums along `axes`; see ``sum(alongAxes:keepingDimensions:)-([Int],_)``.
    @inlinable
    public func sum(alongAxes axes: Int..., keepingDimensions: Bool = false) -> Tensor {
        sum(alongAxes: axes, keepingDimensions: keepingDimensions)
    }

    /// This tensor summed down to `shape`, a shape that broadcasts to this tensor's: the
    /// leading extra axes and the axes where `shape` has extent 1 are summed.
    ///
    /// It is the adjoint of `broadcast(to:)`: the gradient of a broadcast operand.
    /// - Precondition: `shape` broadcasts to this tensor's shape.
    @inlinable
    public func sum(toShape target: [Int]) -> Tensor {
        if target == shape { return self }
        guard broadcastShape(target, shape, operation: "sum(toShape:)") == shape else {
            fail("sum(toShape:): shape \(shape) cannot be summed down to \(target)")
        }
        let lead = rank - target.count
        let axes = (0..<rank).filter { $0 < lead || (target[$0 - lead] == 1 && shape[$0] != 1) }
        return sum(alongAxes: axes, keepingDimensions: true).reshapedKeepingTrace(to: target)
    }

    /// The largest element, as a rank-0 tensor (NaN if any element is NaN).
    ///
    /// - Precondition: the tensor is not empty.
    @inlinable public func max() -> Tensor { max(alongAxes: Array(0..<rank)) }

    /// The smallest element, as a rank-0 tensor (NaN if any element is NaN).
    ///
    /// - Precondition: the tensor is not empty.
    @inlinable public func min() -> Tensor { min(alongAxes: Array(0..<rank)) }

    /// The largest elements along `axes`. For floating-point tensors the gradient goes to
    /// the maximal elements, shared equally among ties.
    ///
    /// - Precondition: the reduced axes are not empty.
    @inlinable
    public func max(alongAxes axes: [Int], keepingDimensions: Bool = false) -> Tensor {
        extremum(axes: axes, keeping: keepingDimensions, operation: "max") { a, b in b > a || b != b ? b : a }
    }

    /// The smallest elements along `axes`; see ``max(alongAxes:keepingDimensions:)-([Int],_)``.
    @inlinable
    public func min(alongAxes axes: [Int], keepingDimensions: Bool = false) -> Tensor {
        extremum(axes: axes, keeping: keepingDimensions, operation: "min") { a, b in b < a || b != b ? b : a }
    }

    /// The largest elements along `axes`.
    @inlinable
    public func max(alongAxes axes: Int..., keepingDimensions: Bool = false) -> Tensor {
        max(alongAxes: axes, keepingDimensions: keepingDimensions)
    }

    /// The smallest elements along `axes`.
    @inlinable
    public func min(alongAxes axes: Int..., keepingDimensions: Bool = false) -> Tensor {
        min(alongAxes: axes, keepingDimensions: keepingDimensions)
    }

    @inlinable
    func extremum(axes: [Int], keeping: Bool, operation: String, _ pick: @escaping (Scalar, Scalar) -> Scalar) -> Tensor
    {
        let value = reducing(axes: axes, keeping: keeping, operation: operation, empty: nil, pick) { p, n in
            var best = p[0]
            for i in 1..<n { best = pick(best, p[i]) }
            return best
        }
        guard isTraced, let x = withoutDerivative as? any _ExtremumGradient else { return value }
        let kept = reducedShape(shape, axes: normalizedAxes(axes, of: shape, operation: operation), keeping: true)
        let extreme = value.sharingStorage(withShape: kept)
        return recording(value) { g in
            x.extremumGradient(g.sharingStorage(withShape: kept), extreme, axes: axes) as! Tensor
        }
    }

    /// The flat (row-major) index of the largest element; the first one on ties, and the
    /// first NaN if there is one.
    ///
    /// - Precondition: the tensor is not empty (an empty one has no largest element).
    @inlinable
    public func argmax() -> Int {
        if count == 0 { failEmpty(operation: "argmax") }
        return sharingStorage(withShape: [count]).argmax(alongAxis: 0).scalar
    }

    /// The flat index of the smallest element; the first on ties, the first NaN if any.
    ///
    /// - Precondition: the tensor is not empty.
    @inlinable
    public func argmin() -> Int {
        if count == 0 { failEmpty(operation: "argmin") }
        return sharingStorage(withShape: [count]).argmin(alongAxis: 0).scalar
    }

    /// Stops `operation`, which needs an element, on this empty tensor (its own shape in the
    /// message, not the flattened one).
    @usableFromInline
    func failEmpty(operation: String) -> Never {
        fail("\(operation): a tensor of shape \(shape) has no elements to choose from")
    }

    /// The index of the largest element along `axis` (the axis is removed); the first on ties.
    ///
    /// Indices are not differentiable: the result is an integer tensor.
    /// - Precondition: the axis is in range and not empty.
    @inlinable
    public func argmax(alongAxis axis: Int) -> Tensor<Int> {
        argExtremum(axis: axis, operation: "argmax") { best, x in x > best || (x != x && best == best) }
    }

    /// The index of the smallest element along `axis` (the axis is removed); the first on ties.
    @inlinable
    public func argmin(alongAxis axis: Int) -> Tensor<Int> {
        argExtremum(axis: axis, operation: "argmin") { best, x in x < best || (x != x && best == best) }
    }

    @inlinable
    func argExtremum(axis: Int, operation: String, _ better: (Scalar, Scalar) -> Bool) -> Tensor<Int> {
        let a = normalizedAxis(axis, rank: rank, operation: operation, shape: shape)
        let n = shape[a]
        guard n > 0 else { fail("\(operation): cannot reduce the empty axis \(a) of shape \(shape)") }
        let outer = shape[..<a].reduce(1, *)
        let inner = shape[(a + 1)...].reduce(1, *)
        var outShape = shape
        outShape.remove(at: a)
        return withUnsafeBufferPointer { x in
            Tensor<Int>(shape: outShape, operation: operation) { out in
                guard !out.isEmpty else { return }  // `outer` may be huge when nothing is compared
                for o in 0..<outer {
                    for i in 0..<inner {
                        let base = o * n * inner + i
                        var (best, index) = (x[base], 0)
                        for j in 1..<n where better(best, x[base + j * inner]) {
                            (best, index) = (x[base + j * inner], j)
                        }
                        out[o * inner + i] = index
                    }
                }
            }
        }
    }

    /// The same elements under `shape`, keeping this tensor's trace (for reductions' shapes).
    @inlinable
    func reshapedKeepingTrace(to newShape: [Int]) -> Tensor { reshapedKeepingTraceAny(to: newShape) }
}

/// The gradient of a maximum or minimum, for the tensors that can be traced.
@usableFromInline
protocol _ExtremumGradient {
    func extremumGradient(_ g: Any, _ extreme: Any, axes: [Int]) -> Any
}

extension Tensor: _ExtremumGradient where Scalar: TensorFloatingPoint {
    /// The gradient goes to the elements equal to the extreme, shared equally among ties;
    /// where the extreme is NaN, to the NaN elements it came from (PyTorch's rule), so that
    /// the other elements' gradients stay finite.
    @usableFromInline
    func extremumGradient(_ g: Any, _ extreme: Any, axes: [Int]) -> Any {
        let hits = zipElements(extreme as! Tensor) { x, e -> Scalar in x == e || (x != x && e != e) ? 1 : 0 }
        return hits / hits.sum(alongAxes: axes, keepingDimensions: true) * (g as! Tensor)
    }
}

extension Tensor where Scalar: TensorFloatingPoint {
    /// The mean of all elements, as a rank-0 tensor (NaN for no elements).
    @inlinable public func mean() -> Tensor { mean(alongAxes: Array(0..<rank)) }

    /// The means along `axes`.
    @inlinable
    public func mean(alongAxes axes: [Int], keepingDimensions: Bool = false) -> Tensor {
        let axes = normalizedAxes(axes, of: shape, operation: "mean")
        let n = axes.reduce(1) { $0 * shape[$1] }
        return sum(alongAxes: axes, keepingDimensions: keepingDimensions) / Scalar(n)
    }

    /// The means along `axes`.
    @inlinable
    public func mean(alongAxes axes: Int..., keepingDimensions: Bool = false) -> Tensor {
        mean(alongAxes: axes, keepingDimensions: keepingDimensions)
    }

    /// The variance along `axes`: `Σ(x − mean)² / max(n − correction, 0)`; `correction` 0
    /// is the population variance (NumPy's default `ddof=0`), 1 the unbiased sample variance.
    ///
    /// When `correction` is at least the number of elements reduced, there are no degrees
    /// of freedom left: the divisor is 0 and the result is `inf`, or NaN where every element
    /// equals the mean (a single element), as in PyTorch; never a negative variance.
    @inlinable
    public func variance(alongAxes axes: [Int], correction: Int = 0, keepingDimensions: Bool = false) -> Tensor {
        let axes = normalizedAxes(axes, of: shape, operation: "variance")
        let n = axes.reduce(1) { $0 * shape[$1] }
        // In floating point: `n - correction` overflows Int for a correction near Int.min.
        let degreesOfFreedom = Swift.max(Scalar(n) - Scalar(correction), 0)
        let centered = self - mean(alongAxes: axes, keepingDimensions: true)
        return (centered * centered).sum(alongAxes: axes, keepingDimensions: keepingDimensions) / degreesOfFreedom
    }

    /// The variance of all elements; see ``variance(alongAxes:correction:keepingDimensions:)``.
    @inlinable public func variance(correction: Int = 0) -> Tensor {
        variance(alongAxes: Array(0..<rank), correction: correction)
    }

    /// The standard deviation along `axes`: the square root of ``variance(alongAxes:correction:keepingDimensions:)``.
    ///
    /// Where it is 0 (a single element, or equal ones) its gradient is 0, as `abs`'s is at
    /// 0, instead of the `0 · ∞ = NaN` of the square root's derivative: over one element the
    /// standard deviation is 0 whatever the element, so 0 is its exact derivative there.
    @inlinable
    public func standardDeviation(alongAxes axes: [Int], correction: Int = 0, keepingDimensions: Bool = false) -> Tensor
    {
        let v = variance(alongAxes: axes, correction: correction, keepingDimensions: keepingDimensions)
        return v.elementwiseRecording(v.mapElements { Scalar.sqrt($0) }) { g, _, y in
            g.zipElements(y) { g, y in y == 0 ? 0 : g * (1 / (2 * y)) }
        }
    }

    /// `log Σ exp(x)` along `axes`, computed stably: the maximum is taken out first, so
    /// large values do not overflow; an all −∞ slice gives −∞ and any +∞ gives +∞. Over no
    /// elements (an empty axis) the sum is 0 and the result −∞, as in PyTorch and SciPy.
    @inlinable
    public func logSumExp(alongAxes axes: [Int], keepingDimensions: Bool = false) -> Tensor {
        let axes = normalizedAxes(axes, of: shape, operation: "logSumExp")
        let kept = reducedShape(shape, axes: axes, keeping: true)
        // An empty slice has no maximum to take out; nothing is there to overflow either.
        let m =
            axes.contains { shape[$0] == 0 }
            ? Tensor(shape: kept, repeating: .zero, operation: "logSumExp")
            : withoutDerivative.max(alongAxes: axes, keepingDimensions: true).mapElements { $0.isFinite ? $0 : 0 }
        let shifted = exp(self - m).sum(alongAxes: axes, keepingDimensions: true)
        let result = log(shifted) + m
        return keepingDimensions
            ? result : result.reshapedKeepingTrace(to: reducedShape(shape, axes: axes, keeping: false))
    }

    /// `log Σ exp(x)` over all elements, as a rank-0 tensor (−∞ for no elements).
    @inlinable public func logSumExp() -> Tensor { logSumExp(alongAxes: Array(0..<rank)) }
}
