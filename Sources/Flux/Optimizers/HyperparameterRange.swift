/// The values a hyperparameter may take, as PyTorch's optimizers check them (and finite:
/// NaN and infinity are never allowed).
enum HyperparameterRange {
    /// `0 ≤ x`: learning rates, epsilon, weight decay, momentum.
    case nonNegative
    /// `0 < x`.
    case positive
    /// `0 ≤ x < 1`: Adam's betas.
    case belowOne
    /// `0 ≤ x ≤ 1`: RMSProp's decay.
    case unitInterval

    /// Whether `x` is allowed.
    func contains(_ x: Double) -> Bool {
        guard x.isFinite else { return false }
        switch self {
        case .nonNegative: return x >= 0
        case .positive: return x > 0
        case .belowOne: return x >= 0 && x < 1
        case .unitInterval: return x >= 0 && x <= 1
        }
    }

    /// What `name` must be, e.g. `beta1 must satisfy 0 ≤ beta1 < 1`.
    func requirement(_ name: String) -> String {
        switch self {
        case .nonNegative: "\(name) must be finite and ≥ 0"
        case .positive: "\(name) must be finite and > 0"
        case .belowOne: "\(name) must satisfy 0 ≤ \(name) < 1"
        case .unitInterval: "\(name) must satisfy 0 ≤ \(name) ≤ 1"
        }
    }
}

/// The first of `checks` whose value is outside its range, as a message naming it, its
/// range and its value (`beta1 must satisfy 0 ≤ beta1 < 1, got 1.0`); nil when all are in range.
func firstOutOfRange(_ checks: (name: String, value: Double, range: HyperparameterRange)...) -> String? {
    checks.first { !$0.range.contains($0.value) }.map { "\($0.range.requirement($0.name)), got \($0.value)" }
}

/// Stops the program, naming `owner`, when a check fails (see ``firstOutOfRange(_:)``): the
/// check of a learning-rate schedule, where it is made.
func requireInRange(_ owner: String, _ problem: String?) {
    if let problem { fail("\(owner): \(problem)") }
}
