/// How an optimizer changes one parameter: its hyperparameters, how many state tensors each
/// parameter carries, and one in-place pass over the buffers it is handed.
///
/// A rule never walks a model: ``Optimizer`` pairs each parameter with its gradient and its
/// state and hands the rule their elements. A rule of your own is a struct like this:
/// ```swift
/// struct SignDescent: OptimizerRule {
///     var stateCount: Int { 0 }
///     func update<S: TensorFloatingPoint>(
///         _ p: UnsafeMutableBufferPointer<S>, gradient g: UnsafeBufferPointer<S>,
///         state: UnsafeBufferPointer<UnsafeMutableBufferPointer<S>>, step: OptimizerStep
///     ) {
///         let lr = S(step.learningRate)
///         for i in 0..<p.count { p[i] -= lr * (g[i] > 0 ? 1 : g[i] < 0 ? -1 : 0) }
///     }
/// }
/// var optimizer = Optimizer(for: model, rule: SignDescent(), learningRate: ConstantLearningRate(0.01))
/// ```
public protocol OptimizerRule {
    /// How many state tensors each parameter has; each is shaped like it and starts at zero.
    var stateCount: Int { get }

    /// Whether each element's update reads and writes only that element of the parameter,
    /// its gradient and its state (true for SGD, Adam, RMSProp, AdaGrad): then the driver may
    /// split a large tensor between cores and call ``update(_:gradient:state:step:)`` once
    /// per part. The default is false (a rule that takes a norm of the whole tensor).
    var isElementwise: Bool { get }

    /// Updates one parameter's elements `p` and its state in place from its gradient `g`.
    ///
    /// `p`, `g` and every `state[k]` have the same count; `state.count == stateCount`.
    func update<S: TensorFloatingPoint>(
        _ p: UnsafeMutableBufferPointer<S>, gradient g: UnsafeBufferPointer<S>,
        state: UnsafeBufferPointer<UnsafeMutableBufferPointer<S>>, step: OptimizerStep)
}

extension OptimizerRule {
    /// False: the rule sees each tensor whole.
    public var isElementwise: Bool { false }
}

/// The step an optimizer is taking: its number `t` (from 1) and the learning rate at it.
public struct OptimizerStep: Sendable {
    /// The step number, counting from 1.
    public let count: Int
    /// The learning rate of this step, from the optimizer's schedule.
    public let learningRate: Double

    /// Step `count` (from 1) at `learningRate`: what the driver hands a rule, and what a test
    /// of a rule passes to it directly.
    public init(count: Int, learningRate: Double) { (self.count, self.learningRate) = (count, learningRate) }
}

/// An optimizer: a rule with its per-parameter state, shaped like the model. Applied to a
/// model and a gradient, it gives the updated model and advances its own state.
///
/// Both forms are values all the way down: `update(&model, along:)` replaces the model
/// variable with a new value (a copy of the old one held elsewhere is never changed), and
/// `updated(_:along:)` returns the new model and the new optimizer, leaving both inputs as
/// they were. A rule's hyperparameters read as the optimizer's own (`optimizer.beta1`).
/// ```swift
/// var optimizer = Adam(for: model, learningRate: 1e-3)
/// optimizer.update(&model, along: grad)
/// let (next, nextOptimizer) = optimizer.updated(model, along: grad)
/// let firstMoment = optimizer.state[0].weight      // Adam's m for model.weight
/// ```
///
/// The update writes each parameter and state tensor in place when nothing else shares its
/// storage (the tape of the gradient call has let go of it by then); a tensor that is shared,
/// because the caller kept a copy of the model, is copied first, so that copy never changes.
@dynamicMemberLookup
public struct Optimizer<Model: ParameterContainer, Rule: OptimizerRule> {
    /// The update rule and its hyperparameters.
    public var rule: Rule
    /// The learning rate at each step.
    public var learningRate: any LearningRateSchedule
    /// Steps taken so far (`t`).
    public var step: Int { steps }
    /// The rule's state: `state[k]` holds state tensor `k` of every parameter (Adam's first
    /// moment is `state[0]`, its second `state[1]`), shaped like the model.
    public var state: [Gradient<Model>] { slots }

    @usableFromInline var steps = 0
    @usableFromInline var slots: [Gradient<Model>]

    /// What ``update(_:along:)`` does with a gradient that holds NaN or infinity: apply it
    /// (the default, as PyTorch's optimizers do), stop the program naming the parameter, or
    /// skip the step (as PyTorch's `GradScaler` does), counting it in ``skippedSteps``.
    public var nonFiniteGradients = NonFiniteGradientPolicy.apply
    /// Steps skipped because their gradient was not finite.
    public var skippedSteps: Int { skipped }
    @usableFromInline var skipped = 0

    /// An optimizer for `model`'s parameters, with zero state.
    ///
    /// - Precondition: the model has parameters (as PyTorch refuses an empty parameter list).
    public init(for model: Model, rule: Rule, learningRate: any LearningRateSchedule) {
        var copy = model
        var tensors = 0
        forEachParameter(of: &copy, operation: "optimizer") { _ in tensors += 1 }
        guard tensors > 0 else {
            fail(
                "optimizer: \(Model.self) has no parameters to train (no Float or Double tensor is stored in it outside @Frozen)"
            )
        }
        (self.rule, self.learningRate) = (rule, learningRate)
        // Separate zeros for every slot: slots sharing storage would be copied on first write.
        slots = (0..<rule.stateCount).map { _ in Gradient(zerosLike: model) }
    }

    /// A hyperparameter of the rule, e.g. `optimizer.beta1`.
    public subscript<T>(dynamicMember path: WritableKeyPath<Rule, T>) -> T {
        get { rule[keyPath: path] }
        set { rule[keyPath: path] = newValue }
    }

    /// Updates `model` by one step along `gradient`, and advances the optimizer's state.
    ///
    /// - Precondition: `gradient` and the state have the model's structure and shapes.
    @inlinable
    public mutating func update(_ model: inout Model, along gradient: Gradient<Model>) {
        if nonFiniteGradients != .apply, let (path, what) = gradient.firstNonFinite() {
            guard nonFiniteGradients == .skip else {
                fail(
                    "optimizer: the gradient of `\(path)` holds \(what) (step \(steps + 1)); set nonFiniteGradients = .skip to skip such steps, or find its source with checkingFiniteValues { }"
                )
            }
            skipped += 1
            return
        }
        steps += 1
        let now = OptimizerStep(count: steps, learningRate: learningRate(step: steps))
        let rule = self.rule
        var slots = self.slots
        self.slots = []  // the state's only owner is now `slots`, so its tensors update in place
        defer { self.slots = slots }
        let count = 2 + slots.count
        withUnsafeTemporaryAllocation(of: UnsafeMutableRawPointer.self, capacity: count) { roots in
            withUnsafeMutablePointer(to: &model) { pm in
                // The gradient is only read (value 1 is read-only): no copy of it is made.
                withUnsafePointer(to: gradient) { pg in
                    slots.withUnsafeMutableBufferPointer { ps in
                        // A Gradient is laid out as its one stored property, the model.
                        roots[0] = UnsafeMutableRawPointer(pm)
                        roots[1] = UnsafeMutableRawPointer(mutating: pg)
                        for k in ps.indices { roots[2 + k] = UnsafeMutableRawPointer(ps.baseAddress! + k) }
                        walkParameters(
                            ParameterLayout.of(Model.self), roots: roots.baseAddress!, count: count, frame: nil,
                            operation: "optimizer", readOnly: 1 << 1,
                            describe: { $0 == 0 ? "the model" : $0 == 1 ? "its gradient" : "the optimizer state" }
                        ) { parameter in
                            switch parameter.kind {
                            case .float: parameter.applyRule(rule, as: Float.self, values: count, step: now)
                            case .double: parameter.applyRule(rule, as: Double.self, values: count, step: now)
                            }
                        }
                    }
                }
            }
        }
    }

    /// The model after one step along `gradient`, with the optimizer after that step.
    @inlinable
    public func updated(_ model: Model, along gradient: Gradient<Model>) -> (model: Model, optimizer: Self) {
        var (m, o) = (model, self)
        o.update(&m, along: gradient)
        return (m, o)
    }
}

/// What an optimizer does with a gradient that holds NaN or infinity.
public enum NonFiniteGradientPolicy: Sendable {
    /// Apply it, as PyTorch's optimizers do.
    case apply
    /// Stop the program with the parameter's path.
    case stop
    /// Leave the model and the optimizer as they are, and count the step as skipped.
    case skip
}

extension Gradient {
    /// The path of the first parameter whose gradient holds NaN or infinity, and which it holds.
    @usableFromInline
    func firstNonFinite() -> (path: String, what: String)? {
        var copy = base
        var found: (path: String, what: String)?
        forEachParameter(of: &copy, operation: "nonFiniteGradients") { parameter in
            guard found == nil else { return }
            let bad =
                switch parameter.kind {
                case .float: Flux.firstNonFinite(parameter.tensor(0, as: Float.self).pointee)
                case .double: Flux.firstNonFinite(parameter.tensor(0, as: Double.self).pointee)
                }
            if let bad { found = (parameter.path, "\(bad.what) at element \(bad.index)") }
        }
        return found
    }
}

extension ParameterReference {
    /// Runs `rule` on one parameter (value 0) with its gradient (value 1) and state (values
    /// 2 and on), after checking that their shapes agree.
    @inlinable
    func applyRule<R: OptimizerRule, S: TensorFloatingPoint>(
        _ rule: R, as _: S.Type, values count: Int, step: OptimizerStep
    ) {
        let parameter = tensor(0, as: S.self)
        let shape = parameter.pointee.shape
        let gradient = tensor(1, as: S.self)
        guard gradient.pointee.shape == shape else {
            fail("optimizer: `\(path)` has shape \(shape) but its gradient has shape \(gradient.pointee.shape)")
        }
        withUnsafeTemporaryAllocation(of: UnsafeMutableBufferPointer<S>.self, capacity: count - 2) { state in
            for k in 0..<count - 2 {
                let slot = tensor(k + 2, as: S.self)
                guard slot.pointee.shape == shape else {
                    fail(
                        "optimizer: `\(path)` has shape \(shape) but its optimizer state has shape \(slot.pointee.shape); the optimizer was made for another model"
                    )
                }
                state[k] = slot.pointee.uniqueElements()
            }
            let p = parameter.pointee.uniqueElements()
            gradient.pointee.withUnsafeBufferPointer { g in
                guard rule.isElementwise else {
                    return rule.update(p, gradient: g, state: UnsafeBufferPointer(state), step: step)
                }
                forEachChunk(
                    of: p.count, RulePass(rule: rule, p: p, g: g, state: UnsafeBufferPointer(state), step: step))
            }
        }
    }
}

/// An elementwise rule over a range of one parameter's elements, for ``forEachChunk(of:splitting:_:)``.
@usableFromInline
struct RulePass<Rule: OptimizerRule, S: TensorFloatingPoint>: ChunkedWork {
    @usableFromInline let rule: Rule
    @usableFromInline let p: UnsafeMutableBufferPointer<S>, g: UnsafeBufferPointer<S>
    @usableFromInline let state: UnsafeBufferPointer<UnsafeMutableBufferPointer<S>>
    @usableFromInline let step: OptimizerStep

    @inlinable
    init(
        rule: Rule, p: UnsafeMutableBufferPointer<S>, g: UnsafeBufferPointer<S>,
        state: UnsafeBufferPointer<UnsafeMutableBufferPointer<S>>, step: OptimizerStep
    ) {
        (self.rule, self.p, self.g, self.state, self.step) = (rule, p, g, state, step)
    }

    @inlinable
    func callAsFunction(_ range: Range<Int>) {
        withUnsafeTemporaryAllocation(of: UnsafeMutableBufferPointer<S>.self, capacity: state.count) { part in
            for k in part.indices { part[k] = UnsafeMutableBufferPointer(rebasing: state[k][range]) }
            rule.update(
                UnsafeMutableBufferPointer(rebasing: p[range]), gradient: UnsafeBufferPointer(rebasing: g[range]),
                state: UnsafeBufferPointer(part), step: step)
        }
    }
}

extension Tensor {
    /// The elements, writable in place: the storage is copied first if it is shared.
    /// The pointer is valid while this tensor is alive and not reassigned.
    @inlinable
    mutating func uniqueElements() -> UnsafeMutableBufferPointer<Scalar> {
        if !isKnownUniquelyReferenced(&buffer) { buffer = buffer.copy() }
        return UnsafeMutableBufferPointer(start: buffer.base, count: buffer.count)
    }
}
