/// A learning rate as a function of the step number (counting from 1).
public protocol LearningRateSchedule: Sendable {
    /// The learning rate at `step`.
    func callAsFunction(step: Int) -> Double
}

/// The same learning rate at every step.
public struct ConstantLearningRate: LearningRateSchedule {
    /// The learning rate.
    public var value: Double
    /// A constant `value`.
    public init(_ value: Double) { self.value = value }
    public func callAsFunction(step: Int) -> Double { value }
}

/// `initial · factor^⌊(step − 1) / every⌋`: multiplied by `factor` every `every` steps.
public struct StepDecay: LearningRateSchedule {
    public var initial: Double, factor: Double, every: Int
    /// A schedule that starts at `initial` and is multiplied by `factor` every `every` steps.
    public init(initial: Double, factor: Double, every: Int) {
        precondition(every > 0, "StepDecay: every must be positive, got \(every)")
        (self.initial, self.factor, self.every) = (initial, factor, every)
    }
    public func callAsFunction(step: Int) -> Double {
        initial * Double.pow(factor, Double((step - 1) / every))
    }
}

/// `initial · rate^((step − 1) / decaySteps)`: smooth exponential decay.
public struct ExponentialDecay: LearningRateSchedule {
    public var initial: Double, rate: Double, decaySteps: Double
    /// A schedule that decays by `rate` every `decaySteps` steps, continuously.
    public init(initial: Double, rate: Double, decaySteps: Double = 1) {
        (self.initial, self.rate, self.decaySteps) = (initial, rate, decaySteps)
    }
    public func callAsFunction(step: Int) -> Double {
        initial * Double.pow(rate, Double(step - 1) / decaySteps)
    }
}

/// Linear warm-up from 0 to `peak` over `warmupSteps`, then cosine decay to `final` at
/// `totalSteps` (and `final` after it).
public struct CosineDecay: LearningRateSchedule {
    public var peak: Double, final: Double, warmupSteps: Int, totalSteps: Int
    /// A warm-up-then-cosine schedule.
    public init(peak: Double, final: Double = 0, warmupSteps: Int = 0, totalSteps: Int) {
        precondition(
            totalSteps > warmupSteps, "CosineDecay: totalSteps (\(totalSteps)) must exceed warmupSteps (\(warmupSteps))"
        )
        (self.peak, self.final, self.warmupSteps, self.totalSteps) = (peak, final, warmupSteps, totalSteps)
    }
    public func callAsFunction(step: Int) -> Double {
        if step <= warmupSteps { return peak * Double(step) / Double(warmupSteps) }
        let progress = min(1, Double(step - warmupSteps) / Double(totalSteps - warmupSteps))
        return final + (peak - final) * 0.5 * (1 + Double.cos(.pi * progress))
    }
}
