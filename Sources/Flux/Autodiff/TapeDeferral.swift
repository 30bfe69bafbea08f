// Weight gradients summed in one product. A weight used by many products `xₜ · W` (a
// recurrent weight at every time step, a layer applied several times) has the gradient
// `Σₜ xₜᵀ · gₜ`. Computed use by use, that is many thin products; deferred until the backward
// pass reaches `W`'s own record (which comes before all its uses), the pairs are stacked and
// it is one product `[x₁; x₂; …]ᵀ · [g₁; g₂; …]`, which BLAS runs far closer to its peak.

/// One use of a weight whose gradient is still to be computed: `leftᵀ · gradient`.
@usableFromInline
struct DeferredProduct<Scalar: TensorScalar> {
    @usableFromInline let weight: Int
    @usableFromInline let left: Tensor<Scalar>
    @usableFromInline let gradient: Tensor<Scalar>
    @usableFromInline let source: Int

    @inlinable init(weight: Int, left: Tensor<Scalar>, gradient: Tensor<Scalar>, source: Int) {
        (self.weight, self.left, self.gradient, self.source) = (weight, left, gradient, source)
    }
}

extension Tape where Scalar: TensorFloatingPoint {
    /// Keeps `xᵀ · g`, record `source`'s part of the gradient of record `weight`, for later.
    @inlinable
    func deferProduct(_ x: Tensor<Scalar>, _ g: Tensor<Scalar>, weight: Int, from source: Int) {
        guard weight >= 0 else { return }
        deferred.append(DeferredProduct(weight: weight, left: x, gradient: g, source: source))
        deferredUpTo = max(deferredUpTo, weight)
    }

    /// Adds the deferred gradients of every weight record that `isDue` (all of whose uses
    /// have now been reached: those at the current record or above) to `grads`, one matrix
    /// product per weight.
    @usableFromInline
    func flushDeferredProducts(into grads: inout [Tensor<Scalar>?], where isDue: (Int) -> Bool) {
        var remaining: [DeferredProduct<Scalar>] = []
        var due: [Int: [DeferredProduct<Scalar>]] = [:]
        for product in deferred {
            if isDue(product.weight) {
                due[product.weight, default: []].append(product)
            } else {
                remaining.append(product)
            }
        }
        for (weight, uses) in due {
            let gradient =
                uses.count == 1
                ? matmul(uses[0].left, uses[0].gradient, transposeA: true)
                : matmul(
                    Tensor(concatenating: uses.map(\.left)), Tensor(concatenating: uses.map(\.gradient)),
                    transposeA: true)
            accumulate(gradient, into: &grads, at: weight, from: uses[uses.count - 1].source)
        }
        deferred = remaining
        deferredUpTo = remaining.map(\.weight).max() ?? -1
    }
}
