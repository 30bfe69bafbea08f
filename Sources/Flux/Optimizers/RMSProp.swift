/// RMSProp: an ``Optimizer`` with the ``RMSPropRule``.
public typealias RMSProp<Model: ParameterContainer> = Optimizer<Model, RMSPropRule>

/// AdaGrad: an ``Optimizer`` with the ``AdaGradRule``.
public typealias AdaGrad<Model: ParameterContainer> = Optimizer<Model, AdaGradRule>

/// The step of ``RMSProp``, `s ← ρs + (1−ρ)g²`, `p ← p − lr·g / (√s + ε)`: PyTorch's
/// `torch.optim.RMSprop` without momentum or centring, with `ρ` as PyTorch's `alpha`.
///
/// Defaults that differ from PyTorch's: `rho` is 0.9 here (Keras's and Hinton's value),
/// `alpha` is 0.99 there; the learning rate is 1e-3 here, 1e-2 there. Pass
/// `rho: 0.99, learningRate: 1e-2` to match PyTorch.
public struct RMSPropRule: OptimizerRule, Sendable {
    /// The decay rate of the squared-gradient average, in `0 ≤ ρ ≤ 1` (above 1 the average
    /// could turn negative; PyTorch checks only `alpha ≥ 0`).
    public var rho: Double
    /// Added to the denominator for numerical safety; finite and ≥ 0.
    public var epsilon: Double

    /// A rule with these hyperparameters.
    ///
    /// - Precondition: `0 ≤ rho ≤ 1` and `epsilon ≥ 0`, finite.
    public init(rho: Double = 0.9, epsilon: Double = 1e-8) {
        (self.rho, self.epsilon) = (rho, epsilon)
        checkHyperparameters()
    }

    /// The first of `rho` and `epsilon` out of its range, described.
    public var invalidHyperparameter: String? {
        firstOutOfRange(("rho", rho, .unitInterval), ("epsilon", epsilon, .nonNegative))
    }

    /// The running average of squared gradients.
    public var stateCount: Int { 1 }

    /// True: each element updates on its own.
    public var isElementwise: Bool { true }

    @inlinable
    public func update<S: TensorFloatingPoint>(
        _ p: UnsafeMutableBufferPointer<S>, gradient g: UnsafeBufferPointer<S>,
        state: UnsafeBufferPointer<UnsafeMutableBufferPointer<S>>, step: OptimizerStep
    ) {
        squaredGradientStep(p, g, state[0], keep: S(rho), add: S(1 - rho), rate: S(step.learningRate), S(epsilon))
    }
}

/// The step of ``AdaGrad``, `s ← s + g²`, `p ← p − lr·g / (√s + ε)`: PyTorch's
/// `torch.optim.Adagrad` without learning-rate decay.
public struct AdaGradRule: OptimizerRule, Sendable {
    /// Added to the denominator for numerical safety; finite and ≥ 0.
    public var epsilon: Double

    /// A rule with this `epsilon`.
    ///
    /// - Precondition: `epsilon` is finite and ≥ 0.
    public init(epsilon: Double = 1e-10) {
        self.epsilon = epsilon
        checkHyperparameters()
    }

    /// `epsilon`, when it is out of its range, described.
    public var invalidHyperparameter: String? { firstOutOfRange(("epsilon", epsilon, .nonNegative)) }

    /// The sum of squared gradients.
    public var stateCount: Int { 1 }

    /// True: each element updates on its own.
    public var isElementwise: Bool { true }

    @inlinable
    public func update<S: TensorFloatingPoint>(
        _ p: UnsafeMutableBufferPointer<S>, gradient g: UnsafeBufferPointer<S>,
        state: UnsafeBufferPointer<UnsafeMutableBufferPointer<S>>, step: OptimizerStep
    ) {
        squaredGradientStep(p, g, state[0], keep: 1, add: 1, rate: S(step.learningRate), S(epsilon))
    }
}

/// `s ← keep·s + add·g²`, `p ← p − rate·g / (√s + ε)`: the pass RMSProp and AdaGrad share.
@inlinable
func squaredGradientStep<S: TensorFloatingPoint>(
    _ p: UnsafeMutableBufferPointer<S>, _ g: UnsafeBufferPointer<S>, _ s: UnsafeMutableBufferPointer<S>,
    keep: S, add: S, rate: S, _ epsilon: S
) {
    for i in 0..<p.count {
        let si = keep * s[i] + add * g[i] * g[i]
        s[i] = si
        p[i] -= rate * g[i] / (S.sqrt(si) + epsilon)
    }
}

extension Optimizer where Rule == RMSPropRule {
    /// The running average `s` of squared gradients of every parameter, shaped like the model.
    public var meanSquare: Gradient<Model> { state[0] }

    /// RMSProp for `model`'s parameters with a learning-rate schedule; see ``RMSPropRule`` for
    /// the hyperparameters' ranges.
    public init(for model: Model, learningRate: any LearningRateSchedule, rho: Double = 0.9, epsilon: Double = 1e-8) {
        self.init(for: model, rule: RMSPropRule(rho: rho, epsilon: epsilon), learningRate: learningRate)
    }

    /// RMSProp for `model`'s parameters with a constant learning rate (finite and ≥ 0); see
    /// ``RMSPropRule`` for the other hyperparameters' ranges.
    public init(for model: Model, learningRate: Double = 1e-3, rho: Double = 0.9, epsilon: Double = 1e-8) {
        self.init(for: model, rule: RMSPropRule(rho: rho, epsilon: epsilon), learningRate: learningRate)
    }
}

extension Optimizer where Rule == AdaGradRule {
    /// The sum `s` of squared gradients of every parameter, shaped like the model.
    public var sumOfSquares: Gradient<Model> { state[0] }

    /// AdaGrad for `model`'s parameters with a learning-rate schedule; `epsilon` is finite and ≥ 0.
    public init(for model: Model, learningRate: any LearningRateSchedule, epsilon: Double = 1e-10) {
        self.init(for: model, rule: AdaGradRule(epsilon: epsilon), learningRate: learningRate)
    }

    /// AdaGrad for `model`'s parameters with a constant learning rate; both finite and ≥ 0.
    public init(for model: Model, learningRate: Double = 1e-2, epsilon: Double = 1e-10) {
        self.init(for: model, rule: AdaGradRule(epsilon: epsilon), learningRate: learningRate)
    }
}
