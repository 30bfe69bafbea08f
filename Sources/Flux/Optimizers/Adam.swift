/// Adam, and AdamW when `weightDecay` is set: an ``Optimizer`` with the ``AdamRule``.
public typealias Adam<Model: ParameterContainer> = Optimizer<Model, AdamRule>

/// The step of ``Adam``, as in PyTorch's `torch.optim.Adam` / `AdamW`:
/// `m ← β₁m + (1−β₁)g`, `v ← β₂v + (1−β₂)g²`,
/// `p ← p − lr·(m / (1−β₁ᵗ)) / (√(v / (1−β₂ᵗ)) + ε)`; with decoupled decay `λ`, first
/// `p ← p − lr·λ·p`. One pass over each parameter updates both moments and the parameter.
public struct AdamRule: OptimizerRule, Sendable {
    /// Decay rates of the first and second moments, each in `0 ≤ β < 1`.
    public var beta1: Double, beta2: Double
    /// Added to the denominator for numerical safety; finite and ≥ 0.
    public var epsilon: Double
    /// Decoupled weight decay `λ` (AdamW), finite and ≥ 0; 0 for Adam.
    public var weightDecay: Double

    /// A rule with these hyperparameters.
    ///
    /// - Precondition: `0 ≤ beta1 < 1`, `0 ≤ beta2 < 1`, `epsilon ≥ 0`, `weightDecay ≥ 0`,
    ///   all finite (PyTorch's ranges).
    public init(beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8, weightDecay: Double = 0) {
        (self.beta1, self.beta2, self.epsilon, self.weightDecay) = (beta1, beta2, epsilon, weightDecay)
        checkHyperparameters()
    }

    /// The first of `beta1`, `beta2`, `epsilon` and `weightDecay` out of its range, described.
    public var invalidHyperparameter: String? {
        firstOutOfRange(
            ("beta1", beta1, .belowOne), ("beta2", beta2, .belowOne), ("epsilon", epsilon, .nonNegative),
            ("weightDecay", weightDecay, .nonNegative))
    }

    /// True: each element updates on its own.
    public var isElementwise: Bool { true }

    /// The first and second moments.
    public var stateCount: Int { 2 }

    @inlinable
    public func update<S: TensorFloatingPoint>(
        _ p: UnsafeMutableBufferPointer<S>, gradient g: UnsafeBufferPointer<S>,
        state: UnsafeBufferPointer<UnsafeMutableBufferPointer<S>>, step: OptimizerStep
    ) {
        let t = Double(step.count)
        let (lr, b1, b2, eps) = (S(step.learningRate), S(beta1), S(beta2), S(epsilon))
        let (c1, c2) = (S(1 / (1 - Double.pow(beta1, t))), S(1 / (1 - Double.pow(beta2, t))))
        let shrink = S(1 - step.learningRate * weightDecay)
        let (m, v) = (state[0], state[1])
        for i in 0..<p.count {
            let gi = g[i]
            let mi = b1 * m[i] + (1 - b1) * gi
            let vi = b2 * v[i] + (1 - b2) * gi * gi
            m[i] = mi
            v[i] = vi
            p[i] = shrink * p[i] - lr * (mi * c1) / (S.sqrt(vi * c2) + eps)
        }
    }
}

extension Optimizer where Rule == AdamRule {
    /// Adam for `model`'s parameters with a learning-rate schedule; see ``AdamRule`` for the
    /// hyperparameters' ranges.
    public init(
        for model: Model, learningRate: any LearningRateSchedule, beta1: Double = 0.9, beta2: Double = 0.999,
        epsilon: Double = 1e-8, weightDecay: Double = 0
    ) {
        self.init(
            for: model, rule: AdamRule(beta1: beta1, beta2: beta2, epsilon: epsilon, weightDecay: weightDecay),
            learningRate: learningRate)
    }

    /// Adam for `model`'s parameters with a constant learning rate (finite and ≥ 0); see
    /// ``AdamRule`` for the other hyperparameters' ranges.
    public init(
        for model: Model, learningRate: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999,
        epsilon: Double = 1e-8, weightDecay: Double = 0
    ) {
        self.init(
            for: model, rule: AdamRule(beta1: beta1, beta2: beta2, epsilon: epsilon, weightDecay: weightDecay),
            learningRate: learningRate)
    }
}

extension Optimizer where Rule == AdamRule {
    /// The first moment `m` of every parameter, shaped like the model (`state[0]`).
    public var firstMoment: Gradient<Model> { state[0] }
    /// The second moment `v` of every parameter, shaped like the model (`state[1]`).
    public var secondMoment: Gradient<Model> { state[1] }
}

/// AdamW: Adam with decoupled weight decay (Loshchilov & Hutter), default `λ = 0.01`; the
/// ranges are Adam's (``AdamRule``).
public func AdamW<Model: ParameterContainer>(
    for model: Model, learningRate: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999,
    epsilon: Double = 1e-8, weightDecay: Double = 0.01
) -> Adam<Model> {
    Adam(for: model, learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon, weightDecay: weightDecay)
}
