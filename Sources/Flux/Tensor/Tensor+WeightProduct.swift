import CFluxKernels

/// `c + x · W` (or `x · W`) for `x` `[m, k]` and a weight `W` `[k, n]`; when `W` is traced, the product a
/// weight used again and again makes (a dense layer applied at every time step): with `Float`
/// the weight is packed once per gradient computation (PackedProduct.swift), and its gradient
/// over all its uses is summed in one product when the backward pass reaches it
/// (TapeDeferral.swift). `c` (`[m, n]`) is added in the same pass.
@inlinable
func weightProduct<S: TensorFloatingPoint>(_ x: Tensor<S>, _ w: Tensor<S>, adding c: Tensor<S>?) -> Tensor<S> {
    guard let weight = w.liveTrace else {
        // Not traced (inference, or a constant weight): the plain operations.
        let product = matmul(x, w)
        return c.map { $0 + product } ?? product
    }
    guard x.rank == 2, w.rank == 2, x.shape[1] == w.shape[0] else {
        fail("matmul: \(x.shape) × \(w.shape): inner dimensions do not fit")
    }
    if let c, c.shape != [x.shape[0], w.shape[1]] {
        return c + weightProduct(x, w, adding: nil)  // the sum broadcasts (a state shared by a batch)
    }
    let (m, k, n) = (x.shape[0], x.shape[1], w.shape[1])
    let weights = S.self == Float.self ? weight.tape.packedWeights : nil
    var value: Tensor<S>
    if let weights, let packed = weights.packed(unsafeBitCast(w, to: Tensor<Float>.self), transposed: false) {
        value = unsafeBitCast(
            packedProduct(
                unsafeBitCast(x, to: Tensor<Float>.self), packed,
                adding: c.map { unsafeBitCast($0, to: Tensor<Float>.self) }),
            to: Tensor<S>.self)
    } else {
        value = batchedProduct(x, [1, m, k], false, w, [1, k, n], false, sumOverBatch: false, shape: [m, n])
        if let c { value = value.zipElements(c.withoutDerivative, operation: "matmul") { $0 + $1 } }
    }
    let left = x.liveTrace, addend = c?.liveTrace
    if left.map({ $0.tape !== weight.tape }) == true || addend.map({ $0.tape !== weight.tape }) == true {
        fail("autodiff: an operation mixes values from two different gradient computations")
    }
    let y = w.withoutDerivative
    let pullbackX: ((Tensor<S>) -> Tensor<S>)? =
        left == nil
        ? nil
        : { g in
            if let weights, let packed = weights.packed(unsafeBitCast(y, to: Tensor<Float>.self), transposed: true) {
                return unsafeBitCast(
                    packedProduct(unsafeBitCast(g, to: Tensor<Float>.self), packed), to: Tensor<S>.self)
            }
            return batchedProduct(g, [1, m, n], false, y, [1, k, n], true, sumOverBatch: false, shape: [m, k])
        }
    value.trace = TraceLink(
        tape: weight.tape,
        index: weight.tape.append(
            .weightProduct(
                left?.index ?? -1, pullbackX, weight: weight.index, left: x.withoutDerivative,
                addend: addend?.index ?? -1),
            value: value, operation: "matmul(_:_:transposeA:transposeB:)"))
    return value
}
