/// RMSProp: `s ← ρs + (1−ρ)g²`, `p ← p − lr·g / (√s + ε)`.
public struct RMSProp<Model: ParameterContainer>: Optimizer {
    /// The learning rate at each step.
    public var learningRate: any LearningRateSchedule
    /// Decay rate of the squared-gradient average.
    public var rho: Double
    /// Added to the denominator for numerical safety.
    public var epsilon: Double
    /// Steps taken so far.
    public private(set) var step = 0
    /// The running average of squared gradients of each parameter.
    public private(set) var state: OptimizerState

    /// An optimizer for `model`'s parameters.
    public init(for model: Model, learningRate: any LearningRateSchedule, rho: Double = 0.9, epsilon: Double = 1e-8) {
        (self.learningRate, self.rho, self.epsilon) = (learningRate, rho, epsilon)
        state = OptimizerState(zerosFor: model, slots: 1)
    }

    /// An optimizer for `model`'s parameters with a constant learning rate.
    public init(for model: Model, learningRate: Double = 1e-3, rho: Double = 0.9, epsilon: Double = 1e-8) {
        self.init(for: model, learningRate: ConstantLearningRate(learningRate), rho: rho, epsilon: epsilon)
    }

    public mutating func update(_ model: inout Model, along gradient: Gradient<Model>) {
        step += 1
        model.applyRule(
            SquaredGradientRule(rate: learningRate(step: step), rho: rho, epsilon: epsilon),
            gradient: gradient, state: &state)
    }
}

/// AdaGrad: `s ← s + g²`, `p ← p − lr·g / (√s + ε)`.
public struct AdaGrad<Model: ParameterContainer>: Optimizer {
    /// The learning rate at each step.
    public var learningRate: any LearningRateSchedule
    /// Added to the denominator for numerical safety.
    public var epsilon: Double
    /// Steps taken so far.
    public private(set) var step = 0
    /// The sum of squared gradients of each parameter.
    public private(set) var state: OptimizerState

    /// An optimizer for `model`'s parameters.
    public init(for model: Model, learningRate: any LearningRateSchedule, epsilon: Double = 1e-10) {
        (self.learningRate, self.epsilon) = (learningRate, epsilon)
        state = OptimizerState(zerosFor: model, slots: 1)
    }

    /// An optimizer for `model`'s parameters with a constant learning rate.
    public init(for model: Model, learningRate: Double = 1e-2, epsilon: Double = 1e-10) {
        self.init(for: model, learningRate: ConstantLearningRate(learningRate), epsilon: epsilon)
    }

    public mutating func update(_ model: inout Model, along gradient: Gradient<Model>) {
        step += 1
        model.applyRule(
            SquaredGradientRule(rate: learningRate(step: step), rho: nil, epsilon: epsilon),
            gradient: gradient, state: &state)
    }
}

/// The shared step of RMSProp (a decaying average, `rho`) and AdaGrad (a sum, `rho == nil`).
struct SquaredGradientRule: ElementwiseRule {
    let rate: Double
    let rho: Double?
    let epsilon: Double
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    func apply<S: TensorFloatingPoint>(to parameter: inout Tensor<S>, gradient: Tensor<S>, slots: inout [Tensor<S>]) {
        let (lr, eps) = (S(rate), S(epsilon))
        let (keep, add) = rho.map { (S($0), S(1 - $0)) } ?? (1, 1)
        gradient.withUnsafeBufferPointer { g in
            parameter.withUnsafeMutableBufferPointer { p in
                slots[0].withUnsafeMutableBufferPointer { s in
                    for i in 0..<p.count {
                        let si = keep * s[i] + add * g[i] * g[i]
                        s[i] = si
                        p[i] -= lr * g[i] / (S._sqrt(si) + eps)
                    }
                }
            }
        }
    }
}
