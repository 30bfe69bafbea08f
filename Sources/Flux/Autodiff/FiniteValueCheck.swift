// An opt-in check for NaN and infinity, in the spirit of PyTorch's anomaly detection and
// JAX's debug_nans: inside `checkingFiniteValues { … }`, every gradient computation checks
// each recorded value and each gradient it sends back, and stops at the first one that is
// not finite, naming the operation, the shapes and, for parameters, their paths.

/// Whether gradient computations started on this task check their values.
enum FiniteValueCheck {
    @TaskLocal static var isOn = false
}

/// Whether a tape made now checks finite values.
@usableFromInline
func finiteValueChecksAreOn() -> Bool { FiniteValueCheck.isOn }

/// Runs `body` with every gradient computation in it checked for NaN and infinity: the first
/// operation whose result is not finite, forward or backward, stops the program with a
/// message that names the operation, the shapes and, where the value is a parameter, its
/// path. It costs a pass over every value, so use it to find where a NaN comes from, not
/// in normal training.
/// ```swift
/// checkingFiniteValues {
///     let grad = gradient(at: model) { m in softmaxCrossEntropy(logits: m(x), labels: labels) }
/// }
/// // checkingFiniteValues: log(_:) gave NaN at element 3 of its result [16, 10], from its input exp(_:) [16, 10]
/// ```
/// To let an optimizer refuse or skip a non-finite gradient in normal training, set its
/// ``Optimizer/nonFiniteGradients``.
public func checkingFiniteValues<R>(_ body: () throws -> R) rethrows -> R {
    try FiniteValueCheck.$isOn.withValue(true) { try body() }
}

/// The first element of `tensor` that is NaN or infinite: its flat index and what it is.
func firstNonFinite<Scalar: TensorScalar>(_ tensor: Tensor<Scalar>) -> (index: Int, what: String)? {
    func scan<F: BinaryFloatingPoint>(_ t: Tensor<F>) -> (index: Int, what: String)? {
        t.withUnsafeBufferPointer { p in
            guard let i = p.firstIndex(where: { !$0.isFinite }) else { return nil }
            return (i, p[i].isNaN ? "NaN" : p[i] > 0 ? "+infinity" : "-infinity")
        }
    }
    if let t = tensor as? Tensor<Float> { return scan(t) }
    if let t = tensor as? Tensor<Double> { return scan(t) }
    return nil
}

extension Tape {
    /// Keeps the name of `operation`, which made the value just recorded at `index`, and
    /// stops if that value is not finite.
    @usableFromInline
    func checkForward(_ value: Tensor<Scalar>, record index: Int, operation: StaticString) {
        operations.append(operation)
        guard let (position, what) = firstNonFinite(value) else { return }
        let record = records[index]
        if case .leaf = record.pullback {
            fail(
                "checkingFiniteValues: \(describe(index)) holds \(what) at element \(position) before any operation")
        }
        let inputs = parents(of: record.pullback).map(describe).joined(separator: ", ")
        let from =
            inputs.isEmpty
            ? "from a tensor of the other floating-point type"
            : "from input\(inputs.contains(",") ? "s" : "") \(inputs)"
        fail(
            "checkingFiniteValues: \(operations[index]) gave \(what) at element \(position) of its result \(record.shape), \(from)"
        )
    }

    /// Stops if the gradient that record `source`'s pullback sends to record `target` is not finite.
    @usableFromInline
    func checkBackward(_ gradient: Tensor<Scalar>, from source: Int, to target: Int) {
        guard let (position, what) = firstNonFinite(gradient) else { return }
        fail(
            "checkingFiniteValues: the backward pass of \(source >= 0 ? "\(operations[source])" : "a conversion between Float and Double") sent \(what) at element \(position) to the gradient of \(describe(target))"
        )
    }

    /// A recorded value as a message names it: a parameter by its path, else its operation.
    func describe(_ index: Int) -> String {
        guard index >= 0 else { return "a constant" }
        if let name = names[index] { return "the parameter `\(name)` \(records[index].shape)" }
        if case .leaf = records[index].pullback { return "a differentiated argument \(records[index].shape)" }
        return "\(operations[index]) \(records[index].shape)"
    }

    /// The records a pullback sends gradients to.
    func parents(of pullback: Pullback<Scalar>) -> [Int] {
        switch pullback {
        case .leaf: []
        case .unary(let a, _): [a]
        case .binary(let a, _, let b, _): [a, b]
        case .ternary(let a, let b, let c, _): [a, b, c]
        case .many(let parents, _): parents
        case .region(let a, _): [a]
        case .weightProduct(let a, _, let w, _, let c): [a, w, c]
        case .converted: []  // its input is on the paired tape
        }
    }
}
