/// A learning rate as a function of the step number (counting from 1).
///
/// A rate must be finite and ≥ 0: an ``Optimizer`` stops at the first step whose rate is
/// not, naming the step, the rate and the schedule.
public protocol LearningRateSchedule: Sendable {
    /// The learning rate at `step`.
    func callAsFunction(step: Int) -> Double
}

/// The same learning rate at every step.
public struct ConstantLearningRate: LearningRateSchedule {
    /// The learning rate, finite and ≥ 0.
    public var value: Double
    /// A constant `value`.
    ///
    /// - Precondition: `value` is finite and ≥ 0.
    public init(_ value: Double) {
        requireInRange("ConstantLearningRate", firstOutOfRange(("learningRate", value, .nonNegative)))
        self.value = value
    }
    /// `value`.
    public func callAsFunction(step: Int) -> Double { value }
}

/// `initial · factor^⌊(step − 1) / every⌋`: multiplied by `factor` every `every` steps.
public struct StepDecay: LearningRateSchedule {
    /// The rate of the first steps, finite and ≥ 0.
    public var initial: Double
    /// What the rate is multiplied by, finite and ≥ 0.
    public var factor: Double
    /// How many steps each rate lasts, > 0.
    public var every: Int
    /// A schedule that starts at `initial` and is multiplied by `factor` every `every` steps.
    ///
    /// - Precondition: `initial` and `factor` are finite and ≥ 0; `every > 0`.
    public init(initial: Double, factor: Double, every: Int) {
        requireInRange(
            "StepDecay", firstOutOfRange(("initial", initial, .nonNegative), ("factor", factor, .nonNegative)))
        guard every > 0 else { fail("StepDecay: every must be > 0, got \(every)") }
        (self.initial, self.factor, self.every) = (initial, factor, every)
    }
    /// `initial · factor^⌊(step − 1) / every⌋`.
    public func callAsFunction(step: Int) -> Double {
        initial * Double.pow(factor, Double((step - 1) / every))
    }
}

/// `initial · rate^((step − 1) / decaySteps)`: smooth exponential decay.
public struct ExponentialDecay: LearningRateSchedule {
    /// The rate of the first step, finite and ≥ 0.
    public var initial: Double
    /// What the rate is multiplied by every `decaySteps` steps, finite and ≥ 0.
    public var rate: Double
    /// How many steps one factor of `rate` takes, finite and > 0.
    public var decaySteps: Double
    /// A schedule that decays by `rate` every `decaySteps` steps, continuously.
    ///
    /// - Precondition: `initial` and `rate` are finite and ≥ 0; `decaySteps` is finite and > 0.
    public init(initial: Double, rate: Double, decaySteps: Double = 1) {
        requireInRange(
            "ExponentialDecay",
            firstOutOfRange(
                ("initial", initial, .nonNegative), ("rate", rate, .nonNegative),
                ("decaySteps", decaySteps, .positive)))
        (self.initial, self.rate, self.decaySteps) = (initial, rate, decaySteps)
    }
    /// `initial · rate^((step − 1) / decaySteps)`.
    public func callAsFunction(step: Int) -> Double {
        initial * Double.pow(rate, Double(step - 1) / decaySteps)
    }
}

/// Linear warm-up from 0 to `peak` over `warmupSteps`, then cosine decay to `final` at
/// `totalSteps` (and `final` after it).
public struct CosineDecay: LearningRateSchedule {
    /// The rate at the end of the warm-up, finite and ≥ 0.
    public var peak: Double
    /// The rate at `totalSteps` and after, finite and ≥ 0.
    public var final: Double
    /// Steps of linear warm-up, ≥ 0.
    public var warmupSteps: Int
    /// The step at which the decay ends, > `warmupSteps`.
    public var totalSteps: Int
    /// A warm-up-then-cosine schedule.
    ///
    /// - Precondition: `peak` and `final` are finite and ≥ 0; `0 ≤ warmupSteps < totalSteps`.
    public init(peak: Double, final: Double = 0, warmupSteps: Int = 0, totalSteps: Int) {
        requireInRange("CosineDecay", firstOutOfRange(("peak", peak, .nonNegative), ("final", final, .nonNegative)))
        guard warmupSteps >= 0 else { fail("CosineDecay: warmupSteps must be ≥ 0, got \(warmupSteps)") }
        guard totalSteps > warmupSteps else {
            fail("CosineDecay: totalSteps must be > warmupSteps (\(warmupSteps)), got \(totalSteps)")
        }
        (self.peak, self.final, self.warmupSteps, self.totalSteps) = (peak, final, warmupSteps, totalSteps)
    }
    /// The rate at `step`: rising linearly to `peak`, then following a half cosine to `final`.
    public func callAsFunction(step: Int) -> Double {
        if step <= warmupSteps { return peak * Double(step) / Double(warmupSteps) }
        let progress = min(1, Double(step - warmupSteps) / Double(totalSteps - warmupSteps))
        return final + (peak - final) * 0.5 * (1 + Double.cos(.pi * progress))
    }
}
