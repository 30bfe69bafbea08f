/// An update rule with its per-parameter state: applied to a model and a gradient, it
/// gives the updated model (and advances its own state).
///
/// Both forms are values all the way down: `update(&model, along:)` replaces the model
/// variable with a new value (a copy of the old one held elsewhere is never changed), and
/// `updated(_:along:)` returns the new model and the new optimizer, leaving both inputs as
/// they were.
/// ```swift
/// var optimizer = Adam(for: model, learningRate: 1e-3)
/// optimizer.update(&model, along: grad)
/// let (next, nextOptimizer) = optimizer.updated(model, along: grad)
/// ```
public protocol Optimizer {
    /// The model type whose parameters this optimizer updates.
    associatedtype Model: ParameterContainer

    /// Updates `model` by one step along `gradient`, and advances the optimizer's state.
    mutating func update(_ model: inout Model, along gradient: Gradient<Model>)
}

extension Optimizer {
    /// The model after one step along `gradient`, with the optimizer after that step.
    public func updated(_ model: Model, along gradient: Gradient<Model>) -> (model: Model, optimizer: Self) {
        var (m, o) = (model, self)
        o.update(&m, along: gradient)
        return (m, o)
    }
}

/// The per-parameter state of an optimizer: for each parameter (in traversal order) a
/// fixed number of tensors of its shape, such as Adam's two moments.
///
/// It is stored flat, so that every step updates the state in place when nothing else
/// holds it; ``tensors(_:shapedLike:)`` shows one slot as a ``Gradient`` shaped like the model.
public struct OptimizerState: @unchecked Sendable {
    /// `slots[k][i]` is slot `k` of parameter `i`: a `Tensor<Float>` or `Tensor<Double>`.
    @usableFromInline var slots: [[Any]]

    @usableFromInline init(slots: [[Any]]) { self.slots = slots }

    /// Zeros for `count` slots of every parameter of `model`.
    public init<M: ParameterContainer>(zerosFor model: M, slots count: Int) {
        let parameters = model.flattenedParameters
        // Fresh zeros for every slot: slots sharing storage would be copied on first write.
        slots = (0..<count).map { _ in
            parameters.map { p -> Any in
                if let t = p as? Tensor<Float> { return Tensor<Float>(zeros: t.shape) }
                return Tensor<Double>(zeros: (p as! Tensor<Double>).shape)
            }
        }
    }

    /// Slot `k` of every parameter, as a value shaped like `model`.
    public func tensors<M: ParameterContainer>(_ k: Int, shapedLike model: M) -> Gradient<M> {
        var copy = model
        copy.applyToParameters(ReplaceAll(tensors: slots[k]))
        return Gradient(copy)
    }

    /// Calls `body` with slot tensors `0..<count` of parameter `index`, writable in place.
    @inlinable
    mutating func withSlots<S: TensorFloatingPoint, R>(
        of index: Int, as _: S.Type, _ body: (inout [Tensor<S>]) -> R
    ) -> R {
        var taken: [Tensor<S>] = []
        for k in slots.indices {
            taken.append(slots[k][index] as! Tensor<S>)
            slots[k][index] = ()  // drop the state's reference, so the taken tensor is unique
        }
        let result = body(&taken)
        for k in slots.indices { slots[k][index] = taken[k] }
        return result
    }
}

private struct ReplaceAll: ParameterFunction {
    let tensors: [Any]
    func callAsFunction<S: TensorFloatingPoint>(_ parameter: inout Tensor<S>, index: Int) {
        parameter = tensors.parameter(index)
    }
}

/// Applies a per-parameter update: `step(parameter, gradient, state slots)` for each
/// parameter in place, with the gradient and the state slots of the same parameter.
@usableFromInline
struct ParameterUpdate<Rule: ElementwiseRule>: ParameterFunction {
    @usableFromInline let gradients: [Any]
    @usableFromInline var state: OptimizerState
    @usableFromInline let rule: Rule

    @inlinable
    init(gradients: [Any], state: OptimizerState, rule: Rule) {
        (self.gradients, self.state, self.rule) = (gradients, state, rule)
    }

    @inlinable
    mutating func callAsFunction<S: TensorFloatingPoint>(_ parameter: inout Tensor<S>, index: Int) {
        let g: Tensor<S> = gradients.parameter(index)
        guard g.shape == parameter.shape else {
            fail("optimizer: gradient of shape \(g.shape) for a parameter of shape \(parameter.shape)")
        }
        let rule = self.rule
        state.withSlots(of: index, as: S.self) { rule.apply(to: &parameter, gradient: g, slots: &$0) }
    }
}

/// The elementwise part of an optimizer: how one parameter tensor and its state slots change.
///
/// The parameter walk knows the scalar type only at run time, so mark an implementation
/// `@_specialize(where S == Float)` and `@_specialize(where S == Double)`: the generic entry
/// then jumps to a loop compiled for that type (without it, every element goes through
/// protocol calls).
public protocol ElementwiseRule {
    /// Updates `parameter` and its state `slots` in place from `gradient`.
    func apply<S: TensorFloatingPoint>(to parameter: inout Tensor<S>, gradient: Tensor<S>, slots: inout [Tensor<S>])
}

extension ParameterContainer {
    /// Runs `rule` over every parameter with its gradient and state.
    @inlinable
    mutating func applyRule<R: ElementwiseRule>(_ rule: R, gradient: Gradient<Self>, state: inout OptimizerState) {
        // Move the state into the update so that each slot tensor is uniquely referenced
        // there and is written in place.
        let moved = state
        state = OptimizerState(slots: [])
        let update = applyToParameters(
            ParameterUpdate(gradients: gradient.base.flattenedParameters, state: consume moved, rule: rule))
        state = update.state
    }
}
