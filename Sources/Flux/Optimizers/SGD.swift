/// Stochastic gradient descent, with optional momentum (heavy-ball or Nesterov) and
/// L2 weight decay added to the gradient.
///
/// With momentum `μ`: `v ← μ·v + g`, then `p ← p − lr·v` (or `p ← p − lr·(g + μ·v)` with
/// Nesterov), as in PyTorch.
public struct SGD<Model: ParameterContainer>: Optimizer {
    /// The learning rate at each step.
    public var learningRate: any LearningRateSchedule
    /// The momentum factor `μ` (0: plain SGD).
    public var momentum: Double
    /// Whether the momentum is Nesterov's.
    public var nesterov: Bool
    /// L2 penalty: `weightDecay · p` is added to each gradient.
    public var weightDecay: Double
    /// Steps taken so far.
    public private(set) var step = 0
    /// The velocity of each parameter (empty without momentum).
    public private(set) var state: OptimizerState

    /// An optimizer for `model`'s parameters.
    public init(
        for model: Model, learningRate: any LearningRateSchedule, momentum: Double = 0, nesterov: Bool = false,
        weightDecay: Double = 0
    ) {
        (self.learningRate, self.momentum, self.nesterov, self.weightDecay) = (
            learningRate, momentum, nesterov, weightDecay
        )
        state = OptimizerState(zerosFor: model, slots: momentum == 0 ? 0 : 1)
    }

    /// An optimizer for `model`'s parameters with a constant learning rate.
    public init(
        for model: Model, learningRate: Double, momentum: Double = 0, nesterov: Bool = false, weightDecay: Double = 0
    ) {
        self.init(
            for: model, learningRate: ConstantLearningRate(learningRate), momentum: momentum, nesterov: nesterov,
            weightDecay: weightDecay)
    }

    public mutating func update(_ model: inout Model, along gradient: Gradient<Model>) {
        step += 1
        let rule = SGDRule(rate: learningRate(step: step), momentum: momentum, nesterov: nesterov, decay: weightDecay)
        model.applyRule(rule, gradient: gradient, state: &state)
    }
}

/// The elementwise step of ``SGD``.
struct SGDRule: ElementwiseRule {
    let rate, momentum: Double
    let nesterov: Bool
    let decay: Double
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    func apply<S: TensorFloatingPoint>(to parameter: inout Tensor<S>, gradient: Tensor<S>, slots: inout [Tensor<S>]) {
        let (lr, mu, wd) = (S(rate), S(momentum), S(decay))
        gradient.withUnsafeBufferPointer { g in
            parameter.withUnsafeMutableBufferPointer { p in
                guard !slots.isEmpty else {
                    for i in 0..<p.count { p[i] -= lr * (g[i] + wd * p[i]) }
                    return
                }
                let nesterov = self.nesterov
                slots[0].withUnsafeMutableBufferPointer { v in
                    for i in 0..<p.count {
                        let gi = g[i] + wd * p[i]
                        v[i] = mu * v[i] + gi
                        p[i] -= lr * (nesterov ? gi + mu * v[i] : v[i])
                    }
                }
            }
        }
    }
}
