// Gradients handed out as soon as they are complete: the backward pass reaches the last
// layers first, and the gradient of a parameter is final once the pass has run the earliest
// operation that uses it. Data-parallel training sends those gradients to the other
// processes while the earlier layers' are still being computed.

/// The value of `f` at `model` and the gradient, as `valueWithGradient(at:of:)` gives them,
/// calling `ready` with each parameter's gradient as soon as the backward pass has completed
/// it, while the pass goes on.
///
/// `ready` gets the parameter's index in declaration order (the order of
/// ``ParameterContainer/mapParameters(_:)``) and its gradient, once per parameter. The
/// gradients of the last layers come first; a parameter the function did not use comes last,
/// with zeros. When the computation converts between `Float` and `Double` (a mixed-precision
/// model), every gradient comes at the end of the pass, in declaration order.
///
/// ```swift
/// let model = Chain { Dense(3, 4, tanh); Dense(4, 1) }
/// var order: [Int] = []
/// let (loss, grad) = valueWithGradient(at: model, reportingEach: { index, _ in order.append(index) }) { m in
///     m(Tensor<Float>(ones: [2, 3])).sum()
/// }
/// print(order)   // [2, 3, 0, 1]: the second layer's weight and bias first
/// ```
public func valueWithGradient<S: TensorFloatingPoint, M: ParameterContainer>(
    at model: M, reportingEach ready: (_ index: Int, _ gradient: AnyParameter) -> Void, of f: (M) -> Tensor<S>
) -> (value: S, gradient: Gradient<M>) {
    recordingLoss(at: model, of: f) { result, tracedModel, tape in
        // Without a paired tape, every parameter is a leaf of this tape, in declaration order.
        let isAlone = tape.clock == nil && tape.pairedTape == nil && tape.pairingTape == nil
        if isAlone, let link = result.trace, link.tape === tape {
            let grads = tape.backward(from: link.index, seed: .one(shape: result.shape)) { index, g in
                ready(index, AnyParameter(g))
            }
            return (result.scalar, derivative(of: tracedModel, from: grads, on: tape))
        }
        let grads = backward(result, on: tape, seed: .one(shape: result.shape), operation: "valueWithGradient")
        let gradient = derivative(of: tracedModel, from: grads, on: tape)
        var index = 0
        var copy = gradient.base
        copy.mapParameters { parameter in
            ready(index, parameter)
            index += 1
        }
        return (result.scalar, gradient)
    }
}

/// Stops unless `result` has exactly one element (a loss).
@inlinable
func requireOneElement<S: TensorFloatingPoint>(_ result: Tensor<S>, operation: String) {
    guard result.count != 1 else { return }
    fail(
        "\(operation): the function returned shape \(result.shape); a gradient needs one element (use pullback(at:of:) for a vector-Jacobian product)"
    )
}

extension Tape where Scalar: TensorFloatingPoint {
    /// ``backward(from:seed:)``, calling `ready` with the number of each leaf (its place among
    /// the leaves) and its gradient as soon as the pass has run the earliest record that uses
    /// it: nothing reaches the leaf after that. A weight's deferred products are summed then.
    func backward(
        from index: Int, seed: Tensor<Scalar>, reporting ready: (Int, Tensor<Scalar>) -> Void
    ) -> [Tensor<Scalar>?] {
        // Each leaf's number, and the earliest record that uses it (-1 for none).
        var leaves: [Int] = []
        var leafNumbers = [Int](repeating: -1, count: records.count)
        var firstUse = [Int](repeating: -1, count: records.count)
        for i in records.indices {
            if case .leaf = records[i].pullback {
                leafNumbers[i] = leaves.count
                leaves.append(i)
            } else if i <= index {
                for parent in parents(of: records[i].pullback) where parent >= 0 && firstUse[parent] < 0 {
                    firstUse[parent] = i
                }
            }
        }
        var completedBy: [Int: [Int]] = [:]
        for leaf in leaves where firstUse[leaf] >= 0 { completedBy[firstUse[leaf], default: []].append(leaf) }
        var grads = Self.noGradients(records.count)
        grads[index] = seed
        for i in stride(from: index, through: 0, by: -1) {
            if deferredUpTo >= i { flushDeferredProducts(into: &grads) { $0 >= i } }
            if case .leaf = records[i].pullback { continue }
            if let g = grads[i].take() { _ = pull(g, from: i, into: &grads) }
            for leaf in completedBy[i] ?? [] {
                flushDeferredProducts(into: &grads) { $0 == leaf }
                ready(leafNumbers[leaf], grads[leaf] ?? Tensor(zeros: records[leaf].shape))
            }
        }
        // Leaves no record uses: their zero gradients, last.
        for leaf in leaves where firstUse[leaf] < 0 { ready(leafNumbers[leaf], Tensor(zeros: records[leaf].shape)) }
        return grads
    }
}
