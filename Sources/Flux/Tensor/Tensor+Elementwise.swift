extension Tensor {
    /// A tensor of the same shape holding `f` of each element: a constant, which no gradient
    /// flows through.
    ///
    /// `f` is a plain Swift closure, which Flux cannot differentiate, so `map` stops when it
    /// is given a tensor that a gradient computation traces: write the function with Flux's
    /// operations (`relu`, `*`, `exp`, …), give it a derivative with `differentiable { }`, or
    /// map `x.withoutDerivative` to cut the gradient on purpose.
    /// - Complexity: O(`count`).
    @inlinable
    public func map<R: TensorScalar>(_ f: (Scalar) -> R) -> Tensor<R> {
        if isTraced { failTraced(operation: "map") }
        return mapElements(f)
    }

    /// `f` applied to the elements of `self` and `other` paired by broadcasting: a constant,
    /// which no gradient flows through.
    ///
    /// Like ``map(_:)``, `zip` stops when either tensor is traced by a gradient computation.
    /// - Parameters:
    ///   - other: the second operand.
    ///   - operation: the name that a shape error reports.
    ///   - f: the function of one element of each.
    /// - Precondition: the shapes broadcast together.
    @inlinable
    public func zip<B: TensorScalar, R: TensorScalar>(
        _ other: Tensor<B>, operation: String = "zip", _ f: (Scalar, B) -> R
    ) -> Tensor<R> {
        if isTraced || other.isTraced { failTraced(operation: operation) }
        return zipElements(other, operation: operation, f)
    }

    /// Stops `operation` on a traced tensor, saying what to do instead.
    @usableFromInline
    func failTraced(operation: String) -> Never {
        fail(
            "\(operation): a tensor of shape \(shape) is being differentiated, and \(operation)'s closure cannot be; use Flux's operations, differentiable { } for a custom derivative, or \(operation) over x.withoutDerivative to cut the gradient on purpose"
        )
    }

    /// A tensor of the same shape holding `f` of each element (untraced).
    ///
    /// With a closure literal the loop specialises and, for simple arithmetic, vectorises.
    /// - Complexity: O(`count`).
    @inlinable @inline(__always)
    func mapElements<R: TensorScalar>(_ f: (Scalar) -> R) -> Tensor<R> {
        withUnsafeBufferPointer { a in
            Tensor<R>(shape: shape) { out in
                let pa = a.baseAddress!
                writeElements(into: out.baseAddress!, count: a.count) { i in f(pa[i]) }
            }
        }
    }

    /// A tensor of the same shape written by `kernel(elements, output)`, a loop over the
    /// whole buffer (the vectorised kernels of ``TensorFloatingPoint``).
    @inlinable
    func mapBuffer(_ kernel: (UnsafeBufferPointer<Scalar>, UnsafeMutablePointer<Scalar>) -> Void) -> Tensor {
        withUnsafeBufferPointer { a in
            Tensor(shape: shape) { out in
                if let base = out.baseAddress { kernel(a, base) }
            }
        }
    }

    /// Replaces each element with `f` of itself, in place when the storage is not shared.
    @inlinable
    public mutating func mapInPlace(_ f: (Scalar) -> Scalar) {
        withUnsafeMutableBufferPointer { a in
            let (p, n) = (a.baseAddress!, a.count)
            for i in 0..<n { p[i] = f(p[i]) }
        }
    }

    /// `f` applied to the elements of `self` and `other` paired by broadcasting (untraced).
    ///
    /// - Parameters:
    ///   - other: the second operand.
    ///   - operation: the name that a shape error reports.
    ///   - f: the function of one element of each.
    /// - Precondition: the shapes broadcast together.
    @inlinable
    func zipElements<B: TensorScalar, R: TensorScalar>(
        _ other: Tensor<B>, operation: String = "zip", _ f: (Scalar, B) -> R
    ) -> Tensor<R> {
        let shape = broadcastShape(self.shape, other.shape, operation: operation)
        return withUnsafeBufferPointer { a in
            other.withUnsafeBufferPointer { b in
                let (pa, pb) = (a.baseAddress!, b.baseAddress!)
                return Tensor<R>(shape: shape, operation: operation) { out in
                    let po = out.baseAddress!
                    if self.shape == other.shape {
                        writeElements(into: po, count: out.count) { i in f(pa[i], pb[i]) }
                    } else if b.count == 1 {
                        let y = pb[0]
                        writeElements(into: po, count: out.count) { i in f(pa[i], y) }
                    } else if a.count == 1 {
                        let x = pa[0]
                        writeElements(into: po, count: out.count) { i in f(x, pb[i]) }
                    } else if self.shape == shape, isTrailingBlock(other.shape, of: shape) {
                        // A bias row: `other` repeats whole every `b.count` elements.
                        let n = b.count
                        for r in 0..<out.count / n {
                            let (x, o) = (pa + r * n, po + r * n)
                            for j in 0..<n { o[j] = f(x[j], pb[j]) }
                        }
                    } else if other.shape == shape, isTrailingBlock(self.shape, of: shape) {
                        let n = a.count
                        for r in 0..<out.count / n {
                            let (y, o) = (pb + r * n, po + r * n)
                            for j in 0..<n { o[j] = f(pa[j], y[j]) }
                        }
                    } else {
                        broadcastLoop(
                            shape: shape, a: pa, aStrides: broadcastStrides(self.shape, to: shape),
                            b: pb, bStrides: broadcastStrides(other.shape, to: shape), out: po, f)
                    }
                }
            }
        }
    }

    /// Replaces each element with `f(self[i], other[i])`, `other` broadcast to this shape;
    /// in place when the storage is not shared.
    ///
    /// - Precondition: `other` broadcasts to this tensor's shape.
    @inlinable
    public mutating func zipInPlace<B: TensorScalar>(
        _ other: Tensor<B>, operation: String = "zipInPlace", _ f: (Scalar, B) -> Scalar
    ) {
        let target = broadcastShape(shape, other.shape, operation: operation)
        guard target == shape else {
            fail("\(operation): shape \(other.shape) cannot be broadcast into \(shape) in place")
        }
        let shape = self.shape
        other.withUnsafeBufferPointer { b in
            withUnsafeMutableBufferPointer { a in
                let (pa, pb) = (a.baseAddress!, b.baseAddress!)
                if shape == other.shape {
                    for i in 0..<a.count { pa[i] = f(pa[i], pb[i]) }
                } else if b.count == 1 {
                    let y = pb[0]
                    for i in 0..<a.count { pa[i] = f(pa[i], y) }
                } else {
                    broadcastLoop(
                        shape: shape, a: UnsafePointer(pa), aStrides: contiguousStrides(shape),
                        b: pb, bStrides: broadcastStrides(other.shape, to: shape), out: pa, f)
                }
            }
        }
    }
}

extension Tensor {
    /// `f` of the elements of `self`, `b` and `c` at each position, with `b` and `c`
    /// broadcast to this tensor's shape: the loop of an elementwise pullback `g, x, y ↦ g'`.
    ///
    /// With a closure literal the loop specialises and, for simple arithmetic, vectorises;
    /// an escaping pullback that calls it costs one closure call per pullback, not one per
    /// element. Operands of another shape are copied out to this shape first (rare: the
    /// pullbacks of broadcasting `pow`, `max` and `min`).
    /// - Precondition: `b` and `c` broadcast to this tensor's shape.
    @inlinable
    func zipElements(_ b: Tensor, _ c: Tensor, _ f: (Scalar, Scalar, Scalar) -> Scalar) -> Tensor {
        let (b, c) = (b.broadcast(to: shape), c.broadcast(to: shape))
        return withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                c.withUnsafeBufferPointer { pc in
                    Tensor(shape: shape) { out in
                        let (a, b, c) = (pa.baseAddress!, pb.baseAddress!, pc.baseAddress!)
                        writeElements(into: out.baseAddress!, count: out.count) { i in f(a[i], b[i], c[i]) }
                    }
                }
            }
        }
    }
}

/// Whether a tensor of shape `block` broadcasts to `shape` by repeating whole along the
/// leading axes only (a bias row `[n]` or `[1, n]` against `[batch, n]`), so that a loop over
/// rows of `block`'s element count covers the broadcast without index arithmetic. False for
/// a `block` without elements, since the caller divides by its element count.
@inlinable
func isTrailingBlock(_ block: [Int], of shape: [Int]) -> Bool {
    let core = block.drop(while: { $0 == 1 })
    guard core.count <= shape.count, !core.contains(0) else { return false }
    return core.elementsEqual(shape.suffix(core.count))
}
