/// Adam, and AdamW when `weightDecay` is set (decoupled weight decay).
///
/// `m ← β₁m + (1−β₁)g`, `v ← β₂v + (1−β₂)g²`,
/// `p ← p − lr·(m / (1−β₁ᵗ)) / (√(v / (1−β₂ᵗ)) + ε)`; with decay, first `p ← p − lr·λ·p`.
/// One pass over each parameter updates both moments and the parameter.
public struct Adam<Model: ParameterContainer>: Optimizer {
    /// The learning rate at each step.
    public var learningRate: any LearningRateSchedule
    /// Decay rates of the first and second moments.
    public var beta1: Double, beta2: Double
    /// Added to the denominator for numerical safety.
    public var epsilon: Double
    /// Decoupled weight decay `λ` (AdamW); 0 for Adam.
    public var weightDecay: Double
    /// Steps taken so far (`t`).
    public private(set) var step = 0
    /// The first and second moment of each parameter (slots 0 and 1).
    public private(set) var state: OptimizerState

    /// An optimizer for `model`'s parameters.
    public init(
        for model: Model, learningRate: any LearningRateSchedule, beta1: Double = 0.9, beta2: Double = 0.999,
        epsilon: Double = 1e-8, weightDecay: Double = 0
    ) {
        (self.learningRate, self.beta1, self.beta2, self.epsilon, self.weightDecay) =
            (learningRate, beta1, beta2, epsilon, weightDecay)
        state = OptimizerState(zerosFor: model, slots: 2)
    }

    /// An optimizer for `model`'s parameters with a constant learning rate.
    public init(
        for model: Model, learningRate: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999,
        epsilon: Double = 1e-8, weightDecay: Double = 0
    ) {
        self.init(
            for: model, learningRate: ConstantLearningRate(learningRate), beta1: beta1, beta2: beta2,
            epsilon: epsilon, weightDecay: weightDecay)
    }

    public mutating func update(_ model: inout Model, along gradient: Gradient<Model>) {
        step += 1
        let t = Double(step)
        let rule = AdamRule(
            rate: learningRate(step: step), beta1: beta1, beta2: beta2, epsilon: epsilon, decay: weightDecay,
            correction1: 1 - Double._pow(beta1, t), correction2: 1 - Double._pow(beta2, t))
        model.applyRule(rule, gradient: gradient, state: &state)
    }
}

/// AdamW: Adam with decoupled weight decay (Loshchilov & Hutter), default `λ = 0.01`.
public func AdamW<Model: ParameterContainer>(
    for model: Model, learningRate: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999,
    epsilon: Double = 1e-8, weightDecay: Double = 0.01
) -> Adam<Model> {
    Adam(for: model, learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon, weightDecay: weightDecay)
}

/// The elementwise step of ``Adam``.
struct AdamRule: ElementwiseRule {
    let rate, beta1, beta2, epsilon, decay, correction1, correction2: Double
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    func apply<S: TensorFloatingPoint>(to parameter: inout Tensor<S>, gradient: Tensor<S>, slots: inout [Tensor<S>]) {
        let (lr, b1, b2, eps) = (S(rate), S(beta1), S(beta2), S(epsilon))
        let (c1, c2, shrink) = (S(1 / correction1), S(1 / correction2), S(1 - rate * decay))
        var (first, second) = (slots[0], slots[1])
        slots.removeAll()  // keeps the moments uniquely referenced, so they update in place
        defer { slots = [first, second] }
        gradient.withUnsafeBufferPointer { g in
            parameter.withUnsafeMutableBufferPointer { p in
                first.withUnsafeMutableBufferPointer { m in
                    second.withUnsafeMutableBufferPointer { v in
                        for i in 0..<p.count {
                            let gi = g[i]
                            let mi = b1 * m[i] + (1 - b1) * gi
                            let vi = b2 * v[i] + (1 - b2) * gi * gi
                            m[i] = mi
                            v[i] = vi
                            p[i] = shrink * p[i] - lr * (mi * c1) / (S._sqrt(vi * c2) + eps)
                        }
                    }
                }
            }
        }
    }
}
