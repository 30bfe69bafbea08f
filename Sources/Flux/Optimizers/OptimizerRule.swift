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
/// var optimizer = Optimizer(for: model, rule: SignDescent(), learningRate: 0.01)
/// ```
public protocol OptimizerRule {
    /// How many state tensors each parameter has (0 or more); each is shaped like it and
    /// starts at zero.
    var stateCount: Int { get }

    /// The first hyperparameter outside its allowed range, as a message that names it, its
    /// value and the range (`beta1 must satisfy 0 ≤ beta1 < 1, got 1.0`), or nil when all
    /// are in range. ``Optimizer`` stops with it, naming the optimizer, when it is made and
    /// whenever its rule changes. The default is nil.
    var invalidHyperparameter: String? { get }

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

    /// Nil: no hyperparameter is checked.
    public var invalidHyperparameter: String? { nil }

    /// The optimizer's name in messages: the rule's type name without `Rule` (`Adam`, `SGD`).
    @usableFromInline static var optimizerName: String {
        let name = "\(Self.self)"
        return name.hasSuffix("Rule") ? String(name.dropLast(4)) : name
    }

    /// Stops the program when a hyperparameter is out of range, naming the optimizer, the
    /// hyperparameter, its value and its range; also when ``stateCount`` is negative. The
    /// one check of a rule, where it or its optimizer is made and whenever it changes.
    func checkHyperparameters() {
        if let problem = invalidHyperparameter { fail("\(Self.optimizerName): \(problem)") }
        guard stateCount >= 0 else { fail("\(Self.optimizerName): stateCount must be ≥ 0, got \(stateCount)") }
    }
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
