/// NumPy broadcasting: axes are matched from the right; an extent of 1 (or a missing axis)
/// stretches to the other operand's extent; any other pair of different extents is an error.

/// The shape that `a` and `b` broadcast to, or a stop naming `operation` and both shapes.
@inlinable
func broadcastShape(_ a: [Int], _ b: [Int], operation: String) -> [Int] {
    if a == b { return a }
    let rank = max(a.count, b.count)
    var result = [Int](repeating: 1, count: rank)
    for i in 0..<rank {
        let x = i < rank - a.count ? 1 : a[i - (rank - a.count)]
        let y = i < rank - b.count ? 1 : b[i - (rank - b.count)]
        guard x == y || x == 1 || y == 1 else {
            fail("\(operation): shapes \(a) and \(b) cannot be broadcast together (axis \(i): \(x) vs \(y))")
        }
        result[i] = x == 1 ? y : x
    }
    return result
}

/// Element strides of a contiguous `shape` seen through `target` (which it broadcasts to):
/// 0 along every stretched or missing axis.
@inlinable
func broadcastStrides(_ shape: [Int], to target: [Int]) -> [Int] {
    let own = contiguousStrides(shape)
    let lead = target.count - shape.count
    var strides = [Int](repeating: 0, count: target.count)
    for i in 0..<shape.count where shape[i] != 1 || target[lead + i] == 1 {
        strides[lead + i] = shape[i] == 1 ? 0 : own[i]
    }
    return strides
}

/// Merges neighbouring axes that every operand walks contiguously, so that loops run long.
/// Returns the merged shape and the merged strides of each operand.
@inlinable
func coalesced(_ shape: [Int], _ strides: [[Int]]) -> (shape: [Int], strides: [[Int]]) {
    guard !shape.isEmpty else { return ([], strides.map { _ in [] }) }
    var outShape = [shape[shape.count - 1]]
    var outStrides = strides.map { [$0[shape.count - 1]] }
    for axis in stride(from: shape.count - 2, through: 0, by: -1) {
        let n = shape[axis]
        if n == 1 { continue }
        let inner = outShape[0]
        let mergeable = strides.indices.allSatisfy { k in
            strides[k][axis] == outStrides[k][0] * inner
        }
        if mergeable || inner == 1 {
            if inner == 1 {
                for k in strides.indices { outStrides[k][0] = strides[k][axis] }
            }
            outShape[0] = inner * n
        } else {
            outShape.insert(n, at: 0)
            for k in strides.indices { outStrides[k].insert(strides[k][axis], at: 0) }
        }
    }
    return (outShape, outStrides)
}

/// Calls `body(outer, offsetA, offsetB)` once per run of the innermost axis of `shape`,
/// with the element offsets of two strided operands at the start of that run.
@inlinable
func forEachRun(
    _ shape: [Int], _ sa: [Int], _ sb: [Int], _ body: (Int, Int, Int) -> Void
) {
    let rank = shape.count
    guard rank > 1 else { return body(0, 0, 0) }
    let runs = shape.dropLast().reduce(1, *)
    var index = [Int](repeating: 0, count: rank - 1)
    var oa = 0
    var ob = 0
    for run in 0..<runs {
        body(run, oa, ob)
        var axis = rank - 2
        while axis >= 0 {
            index[axis] += 1
            oa += sa[axis]
            ob += sb[axis]
            if index[axis] < shape[axis] { break }
            oa -= sa[axis] * shape[axis]
            ob -= sb[axis] * shape[axis]
            index[axis] = 0
            axis -= 1
        }
    }
}

/// Writes `f(a[i], b[i])` for every index of the broadcast shape into contiguous `out`.
///
/// The innermost loop is specialised for the strides that occur (1 and 0), so that it
/// vectorises for same-shape operands, a row vector (bias) or a column vector.
@inlinable
func broadcastLoop<A, B, R>(
    shape: [Int], a: UnsafePointer<A>, aStrides: [Int], b: UnsafePointer<B>, bStrides: [Int],
    out: UnsafeMutablePointer<R>, _ f: (A, B) -> R
) {
    if shape.contains(0) { return }
    let (shape, strides) = coalesced(shape, [aStrides, bStrides])
    guard let inner = shape.last else {
        out[0] = f(a[0], b[0])
        return
    }
    let sa = strides[0]
    let sb = strides[1]
    let ia = sa.last!
    let ib = sb.last!
    forEachRun(shape, sa, sb) { run, oa, ob in
        let o = out + run * inner
        let pa = a + oa
        let pb = b + ob
        if ia == 1 && ib == 1 {
            for j in 0..<inner { o[j] = f(pa[j], pb[j]) }
        } else if ia == 1 && ib == 0 {
            let y = pb[0]
            for j in 0..<inner { o[j] = f(pa[j], y) }
        } else if ia == 0 && ib == 1 {
            let x = pa[0]
            for j in 0..<inner { o[j] = f(x, pb[j]) }
        } else {
            for j in 0..<inner { o[j] = f(pa[j * ia], pb[j * ib]) }
        }
    }
}

extension Tensor {
    /// This tensor stretched to `shape` by the broadcasting rules, with the elements copied.
    ///
    /// - Precondition: the shape broadcasts to `shape`.
    @inlinable
    public func broadcast(to shape: [Int]) -> Tensor { broadcastValue(to: shape) }

    /// The broadcast values, untraced.
    @inlinable
    func broadcastValue(to shape: [Int]) -> Tensor {
        if shape == self.shape { return self }
        let target = broadcastShape(self.shape, shape, operation: "broadcast(to:)")
        guard target == shape else {
            fail("broadcast(to:): shape \(self.shape) cannot be broadcast to \(shape)")
        }
        let strides = broadcastStrides(self.shape, to: shape)
        return withUnsafeBufferPointer { a in
            Tensor(shape: shape, operation: "broadcast(to:)") { out in
                broadcastLoop(
                    shape: shape, a: a.baseAddress!, aStrides: strides, b: a.baseAddress!,
                    bStrides: strides, out: out.baseAddress!
                ) { x, _ in x }
            }
        }
    }
}

extension Tensor where Scalar: TensorNumeric {
    /// This tensor stretched to `shape` by the broadcasting rules, with the elements copied;
    /// differentiable: the gradient of each element is the sum over its copies.
    ///
    /// - Precondition: the shape broadcasts to `shape`.
    @inlinable
    public func broadcast(to shape: [Int]) -> Tensor {
        let own = self.shape
        if shape == own { return self }
        let value = withoutDerivative.broadcastValue(to: shape)
        return isTraced ? recording(value) { g in g.sum(toShape: own) } : value
    }
}
