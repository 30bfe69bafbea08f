/// Stochastic gradient descent, with optional momentum (heavy-ball or Nesterov) and L2
/// weight decay added to the gradient: an ``Optimizer`` with the ``SGDRule``.
public typealias SGD<Model: ParameterContainer> = Optimizer<Model, SGDRule>

/// The step of ``SGD``, as in PyTorch's `torch.optim.SGD`: `g ← g + λp`; with momentum `μ`,
/// `v ← μv + g`, then `p ← p − lr·v` (or `p ← p − lr·(g + μv)` with Nesterov); without,
/// `p ← p − lr·g`.
public struct SGDRule: OptimizerRule, Sendable {
    /// The momentum factor `μ`, finite and ≥ 0 (0: plain SGD, with no state).
    public var momentum: Double
    /// Whether the momentum is Nesterov's (which needs `momentum > 0`).
    public var nesterov: Bool
    /// L2 penalty `λ`, finite and ≥ 0: `λ·p` is added to each gradient.
    public var weightDecay: Double

    /// A rule with these hyperparameters.
    ///
    /// - Precondition: `momentum ≥ 0`, `weightDecay ≥ 0`, both finite; `nesterov` only with
    ///   `momentum > 0` (PyTorch's ranges).
    public init(momentum: Double = 0, nesterov: Bool = false, weightDecay: Double = 0) {
        (self.momentum, self.nesterov, self.weightDecay) = (momentum, nesterov, weightDecay)
        checkHyperparameters()
    }

    /// The first of `momentum`, `weightDecay` and `nesterov` out of its range, described.
    public var invalidHyperparameter: String? {
        if let problem = firstOutOfRange(
            ("momentum", momentum, .nonNegative), ("weightDecay", weightDecay, .nonNegative))
        {
            return problem
        }
        return nesterov && momentum == 0 ? "nesterov requires momentum > 0, got momentum \(momentum)" : nil
    }

    /// True: each element updates on its own.
    public var isElementwise: Bool { true }

    /// The velocity, when there is momentum.
    public var stateCount: Int { momentum == 0 ? 0 : 1 }

    @inlinable
    public func update<S: TensorFloatingPoint>(
        _ p: UnsafeMutableBufferPointer<S>, gradient g: UnsafeBufferPointer<S>,
        state: UnsafeBufferPointer<UnsafeMutableBufferPointer<S>>, step: OptimizerStep
    ) {
        let (lr, mu, wd) = (S(step.learningRate), S(momentum), S(weightDecay))
        guard let v = state.first else {
            // Without decay, one multiply-add per element (the common case, and tiny's).
            if weightDecay == 0 {
                for i in 0..<p.count { p[i] -= lr * g[i] }
            } else {
                for i in 0..<p.count { p[i] -= lr * (g[i] + wd * p[i]) }
            }
            return
        }
        let nesterov = self.nesterov
        for i in 0..<p.count {
            let gi = g[i] + wd * p[i]
            v[i] = mu * v[i] + gi
            p[i] -= lr * (nesterov ? gi + mu * v[i] : v[i])
        }
    }
}

extension Optimizer where Rule == SGDRule {
    /// The velocity `v` of every parameter, shaped like the model; nil without momentum.
    public var velocity: Gradient<Model>? { state.first }

    /// SGD for `model`'s parameters with a learning-rate schedule; see ``SGDRule`` for the
    /// hyperparameters' ranges.
    public init(
        for model: Model, learningRate: any LearningRateSchedule, momentum: Double = 0, nesterov: Bool = false,
        weightDecay: Double = 0
    ) {
        self.init(
            for: model, rule: SGDRule(momentum: momentum, nesterov: nesterov, weightDecay: weightDecay),
            learningRate: learningRate)
    }

    /// SGD for `model`'s parameters with a constant learning rate (finite and ≥ 0); see
    /// ``SGDRule`` for the other hyperparameters' ranges.
    public init(
        for model: Model, learningRate: Double, momentum: Double = 0, nesterov: Bool = false, weightDecay: Double = 0
    ) {
        self.init(
            for: model, rule: SGDRule(momentum: momentum, nesterov: nesterov, weightDecay: weightDecay),
            learningRate: learningRate)
    }
}
