// What a fold does to a cell's state, whatever struct of tensors it is: cut its gradient
// (truncated backpropagation through time) and keep it where a sequence has ended (masks).
// Both reach the state's tensors through the parameter walk, as the optimizer does a model's.

/// `state` with every tensor cut off from differentiation: the values carry on, and no
/// gradient flows back to the steps before.
@inlinable
func withoutDerivative<State>(state: State) -> State {
    var copy = state
    forEachParameter(of: &copy, operation: "truncated backpropagation") { tensor in
        switch tensor.kind {
        case .float: tensor.tensor(0, as: Float.self).pointee.trace = nil
        case .double: tensor.tensor(0, as: Double.self).pointee.trace = nil
        }
    }
    return copy
}

/// `new` where `keep` is 1 and `old` where it is 0, row by row: `keep` is `[batch, 1]` (or
/// broadcasts to each tensor of the state), so a sequence that has ended keeps its state.
@inlinable
func blend<State, S: TensorFloatingPoint>(_ new: State, _ old: State, keeping keep: Tensor<S>) -> State {
    var (result, previous) = (new, old)
    let drop = 1 - keep
    forEachParameter(of: &result, &previous, operation: "a masked step") { tensor in
        guard tensor.kind == .of(S.self) else {
            fail("a masked step: the state's tensor `\(tensor.path)` is not of the mask's type \(S.self)")
        }
        let (n, o) = (tensor.tensor(0, as: S.self), tensor.tensor(1, as: S.self))
        n.pointee = n.pointee * keep + o.pointee * drop
    }
    return result
}
