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
    /// The update rule and its hyperparameters; a change is checked as the rule is when the
    /// optimizer is made (see ``OptimizerRule/invalidHyperparameter``).
    public var rule: Rule {
        didSet { rule.checkHyperparameters() }
    }
    /// The learning rate at each step. A rate that is NaN, infinite or negative stops the
    /// step that would use it.
    public var learningRate: any LearningRateSchedule
    /// Steps taken so far (`t`).
    public var step: Int { steps }
    /// The rule's state: `state[k]` holds state tensor `k` of every parameter (Adam's first
    /// moment is `state[0]`, its second `state[1]`), shaped like the model. A rule whose
    /// ``OptimizerRule/stateCount`` changes (SGD given momentum) gets its new slots, zero,
    /// at the next step.
    public var state: OptimizerState<Model> { OptimizerState(slots: slots, rule: rule) }

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
    /// - Precondition: the model has parameters (as PyTorch refuses an empty parameter list),
    ///   and the rule's hyperparameters are in their ranges.
    public init(for model: Model, rule: Rule, learningRate: any LearningRateSchedule) {
        rule.checkHyperparameters()
        var copy = model
        var tensors = 0
        forEachParameter(of: &copy, operation: "\(Rule.optimizerName) optimizer") { _ in tensors += 1 }
        guard tensors > 0 else {
            fail(
                "\(Rule.optimizerName) optimizer: \(Model.self) has no parameters to train (no Float or Double tensor is stored in it outside @Frozen)"
            )
        }
        (self.rule, self.learningRate) = (rule, learningRate)
        // Separate zeros for every slot: slots sharing storage would be copied on first write.
        slots = (0..<rule.stateCount).map { _ in Gradient(zerosLike: model) }
    }

    /// An optimizer for `model`'s parameters with a constant learning rate, with zero state.
    ///
    /// - Precondition: `learningRate` is finite and ≥ 0, and as for the initializer with a schedule.
    public init(for model: Model, rule: Rule, learningRate: Double) {
        if let problem = firstOutOfRange(("learningRate", learningRate, .nonNegative)) {
            fail("\(Rule.optimizerName): \(problem)")
        }
        self.init(for: model, rule: rule, learningRate: ConstantLearningRate(learningRate))
    }

    /// A hyperparameter of the rule, e.g. `optimizer.beta1`.
    public subscript<T>(dynamicMember path: WritableKeyPath<Rule, T>) -> T {
        get { rule[keyPath: path] }
        set { rule[keyPath: path] = newValue }
    }

    /// Updates `model` by one step along `gradient`, and advances the optimizer's state.
    ///
    /// - Precondition: `gradient` and the state have the model's structure and shapes, and
    ///   the learning rate at this step is finite and ≥ 0.
    @inlinable
    public mutating func update(_ model: inout Model, along gradient: Gradient<Model>) {
        if nonFiniteGradients != .apply, let (path, what) = gradient.firstNonFinite() {
            guard nonFiniteGradients == .skip else { stopForNonFiniteGradient(at: path, holding: what) }
            skipped += 1
            return
        }
        steps += 1
        let rate = learningRate(step: steps)
        guard rate >= 0 && rate < .infinity else { stopForLearningRate(rate) }
        if slots.count != rule.stateCount { matchStateToRule(like: model) }
        let now = OptimizerStep(count: steps, learningRate: rate)
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
                        // The one check that the model, its gradient and every state tensor
                        // agree: arrays, optionals and dictionaries here, shapes in applyRule.
                        walkParameters(
                            ParameterLayout.of(Model.self), roots: roots.baseAddress!, count: count, frame: nil,
                            operation: "\(Rule.optimizerName) optimizer", readOnly: 1 << 1,
                            describe: describeValue,
                            // Layer state the training step updated comes with the gradient.
                            states: { field in field.type?._copy(from: field.field(1), to: field.field(0)) }
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

    /// Gives the state as many slots as the rule now has: new ones zero, like `model`.
    @usableFromInline
    mutating func matchStateToRule(like model: Model) {
        let count = rule.stateCount
        if slots.count > count { slots.removeLast(slots.count - count) }
        while slots.count < count { slots.append(Gradient(zerosLike: model)) }
    }

    @usableFromInline
    func stopForNonFiniteGradient(at path: String, holding what: String) -> Never {
        fail(
            "\(Rule.optimizerName) optimizer: the gradient of `\(path)` holds \(what) (step \(steps + 1)); set nonFiniteGradients = .skip to skip such steps, or find its source with checkingFiniteValues { }"
        )
    }

    @usableFromInline
    func stopForLearningRate(_ rate: Double) -> Never {
        fail(
            "\(Rule.optimizerName) optimizer: the learning rate at step \(steps) is \(rate), from \(learningRate); it must be finite and ≥ 0"
        )
    }
}

/// How value `r` of an optimizer's walk reads in messages.
@usableFromInline
func describeValue(_ r: Int) -> String {
    r == 0 ? "the model" : r == 1 ? "its gradient" : "the optimizer state[\(r - 2)]"
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
    /// 2 and on), after checking that their shapes agree: the state's buffers are written
    /// as far as the parameter's count, so a smaller one must never get here.
    @inlinable
    func applyRule<R: OptimizerRule, S: TensorFloatingPoint>(
        _ rule: R, as _: S.Type, values count: Int, step: OptimizerStep
    ) {
        let parameter = tensor(0, as: S.self)
        let shape = parameter.pointee.shape
        for k in 1..<count where tensor(k, as: S.self).pointee.shape != shape {
            stopForShapes(of: R.self, shape, tensor(k, as: S.self).pointee.shape, value: k)
        }
        let gradient = tensor(1, as: S.self)
        withUnsafeTemporaryAllocation(of: UnsafeMutableBufferPointer<S>.self, capacity: count - 2) { state in
            for k in 0..<count - 2 { state[k] = tensor(k + 2, as: S.self).pointee.uniqueElements() }
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

    /// Stops because value `k` (the gradient, or a state tensor) has `other` shape where the
    /// parameter has `shape`.
    @usableFromInline
    func stopForShapes<R: OptimizerRule>(of _: R.Type, _ shape: [Int], _ other: [Int], value k: Int) -> Never {
        let madeFor = k == 1 ? "" : "; the optimizer was made for another model"
        fail(
            "\(R.optimizerName) optimizer: `\(path)` has shape \(shape) but \(k == 1 ? "its gradient" : describeValue(k)) has shape \(other)\(madeFor)"
        )
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
