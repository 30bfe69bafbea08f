// Choosing elements by a mask, NumPy's `where(mask, a, b)`. `where` is a Swift keyword, so
// the free function is `select(mask, a, b)` (TensorFlow's and JAX's name), and the method
// `a.replacing(with: b, where: mask)` follows `SIMD.replacing(with:where:)`.

/// Writes `f(a[i], b[i], c[i])` for every index of the broadcast `shape` into contiguous `out`.
///
/// The three-operand sibling of `broadcastLoop`: the inner run is a plain loop when every
/// operand walks it contiguously, and a strided one otherwise (strides of 0 included).
@inlinable
func broadcastLoop3<A, B, C, R>(
    shape: [Int], a: UnsafePointer<A>, aStrides: [Int], b: UnsafePointer<B>, bStrides: [Int],
    c: UnsafePointer<C>, cStrides: [Int], out: UnsafeMutablePointer<R>, _ f: (A, B, C) -> R
) {
    if shape.contains(0) { return }
    let (shape, strides) = coalesced(shape, [aStrides, bStrides, cStrides])
    guard let inner = shape.last else {
        out[0] = f(a[0], b[0], c[0])
        return
    }
    let (sa, sb, sc) = (strides[0], strides[1], strides[2])
    let (ia, ib, ic) = (sa.last!, sb.last!, sc.last!)
    let outer = shape.count - 1
    let runs = shape.dropLast().reduce(1, *)
    var index = [Int](repeating: 0, count: outer)
    var (oa, ob, oc) = (0, 0, 0)
    for run in 0..<runs {
        let (o, pa, pb, pc) = (out + run * inner, a + oa, b + ob, c + oc)
        if ia == 1 && ib == 1 && ic == 1 {
            for j in 0..<inner { o[j] = f(pa[j], pb[j], pc[j]) }
        } else {
            for j in 0..<inner { o[j] = f(pa[j * ia], pb[j * ib], pc[j * ic]) }
        }
        var axis = outer - 1
        while axis >= 0 {
            index[axis] += 1
            oa += sa[axis]
            ob += sb[axis]
            oc += sc[axis]
            if index[axis] < shape[axis] { break }
            oa -= sa[axis] * shape[axis]
            ob -= sb[axis] * shape[axis]
            oc -= sc[axis] * shape[axis]
            index[axis] = 0
            axis -= 1
        }
    }
}

/// Writes `mask[i] ? a[i] : b[i]` for `count` elements.
///
/// Four- and eight-byte elements are blended as bits under a mask of all ones or all zeros:
/// LLVM turns `mask[i] ? a[i] : b[i]` into a load from a selected address, which does not
/// vectorise.
@inlinable
func selectContiguous<T>(
    count n: Int, mask: UnsafePointer<Bool>, _ a: UnsafePointer<T>, _ b: UnsafePointer<T>,
    out: UnsafeMutablePointer<T>
) {
    mask.withMemoryRebound(to: UInt8.self, capacity: n) { m in
        if MemoryLayout<T>.size == 4 {
            blend(n, m, a, b, out, as: UInt32.self)
        } else if MemoryLayout<T>.size == 8 {
            blend(n, m, a, b, out, as: UInt64.self)
        } else {
            for i in 0..<n { out[i] = m[i] != 0 ? a[i] : b[i] }
        }
    }
}

/// `selectContiguous` on elements viewed as the unsigned integers `Bits` of the same size.
@inlinable
func blend<T, Bits: FixedWidthInteger & UnsignedInteger>(
    _ n: Int, _ m: UnsafePointer<UInt8>, _ a: UnsafePointer<T>, _ b: UnsafePointer<T>,
    _ out: UnsafeMutablePointer<T>, as _: Bits.Type
) {
    a.withMemoryRebound(to: Bits.self, capacity: n) { a in
        b.withMemoryRebound(to: Bits.self, capacity: n) { b in
            out.withMemoryRebound(to: Bits.self, capacity: n) { out in
                for i in 0..<n {
                    let ones = 0 &- Bits(truncatingIfNeeded: m[i])  // Bool is stored as 0 or 1
                    out[i] = (a[i] & ones) | (b[i] & ~ones)
                }
            }
        }
    }
}

/// The elements of `a` where `mask` is `true` and of `b` where it is `false`, broadcasting
/// all three shapes (NumPy's `where`).
///
/// ```swift
/// let leaky = select(x .> 0, x, 0.01 * x)
/// ```
/// - Precondition: the three shapes broadcast together.
@inlinable
public func select<T: TensorScalar>(_ mask: Tensor<Bool>, _ a: Tensor<T>, _ b: Tensor<T>) -> Tensor<T> {
    selectElements(mask, a, b)
}

/// `a` where `mask` is `true`, `b` elsewhere, broadcasting; differentiable in `a` and `b`
/// (each gets the gradient where it was chosen, summed back to its shape).
@inlinable
public func select<T: TensorNumeric>(_ mask: Tensor<Bool>, _ a: Tensor<T>, _ b: Tensor<T>) -> Tensor<T> {
    let value = selectElements(mask, a, b)
    guard Tensor.anyTraced(a, b) else { return value }
    let (sa, sb) = (a.shape, b.shape)
    return Tensor.recording(
        value, a, b, { g in selectElements(mask, g, Tensor(.zero)).sum(toShape: sa) },
        { g in selectElements(mask, Tensor(.zero), g).sum(toShape: sb) })
}

@inlinable
func selectElements<T: TensorScalar>(_ mask: Tensor<Bool>, _ a: Tensor<T>, _ b: Tensor<T>) -> Tensor<T> {
    let operation = "select"
    let shape = broadcastShape(
        broadcastShape(mask.shape, a.shape, operation: operation), b.shape, operation: operation)
    return mask.withUnsafeBufferPointer { m in
        a.withUnsafeBufferPointer { x in
            b.withUnsafeBufferPointer { y in
                let (pm, pa, pb) = (m.baseAddress!, x.baseAddress!, y.baseAddress!)
                return Tensor<T>(shape: shape, operation: operation) { out in
                    let po = out.baseAddress!
                    if mask.shape == shape && a.shape == shape && b.shape == shape {
                        selectContiguous(count: out.count, mask: pm, pa, pb, out: po)
                    } else {
                        broadcastLoop3(
                            shape: shape, a: pm, aStrides: broadcastStrides(mask.shape, to: shape),
                            b: pa, bStrides: broadcastStrides(a.shape, to: shape),
                            c: pb, cStrides: broadcastStrides(b.shape, to: shape), out: po
                        ) { $0 ? $1 : $2 }
                    }
                }
            }
        }
    }
}

/// The elements of `a` where `mask` is `true` and `b` where it is `false`, broadcasting
/// `mask` and `a`; differentiable in `a`. (For masks of masks, pass `Tensor(b)`.)
///
/// - Precondition: the shapes of `mask` and `a` broadcast together.
@inlinable
public func select<T: TensorNumeric>(_ mask: Tensor<Bool>, _ a: Tensor<T>, _ b: T) -> Tensor<T> {
    select(mask, a, Tensor(b))
}

/// `a` where `mask` is `true` and the elements of `b` where it is `false`, broadcasting
/// `mask` and `b`; differentiable in `b`.
///
/// - Precondition: the shapes of `mask` and `b` broadcast together.
@inlinable
public func select<T: TensorNumeric>(_ mask: Tensor<Bool>, _ a: T, _ b: Tensor<T>) -> Tensor<T> {
    select(mask, Tensor(a), b)
}

/// `a` where `mask` is `true` and `b` where it is `false`, in the shape of `mask`.
@inlinable
public func select<T: TensorScalar>(_ mask: Tensor<Bool>, _ a: T, _ b: T) -> Tensor<T> {
    mask.mapElements { $0 ? a : b }
}

extension Tensor where Scalar: TensorNumeric {
    /// This tensor with the elements where `mask` is `true` taken from `other`, broadcasting
    /// all three shapes: `select(mask, other, self)`.
    ///
    /// - Precondition: the three shapes broadcast together.
    @inlinable
    public func replacing(with other: Tensor, where mask: Tensor<Bool>) -> Tensor {
        select(mask, other, self)
    }

    /// This tensor with `value` wherever `mask` is `true`, broadcasting `mask` and this shape.
    ///
    /// ```swift
    /// let cleaned = x.replacing(with: 0, where: x.isNaN)
    /// ```
    /// - Precondition: the shapes of `mask` and this tensor broadcast together.
    @inlinable
    public func replacing(with value: Scalar, where mask: Tensor<Bool>) -> Tensor {
        select(mask, value, self)
    }
}
