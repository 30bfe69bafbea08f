import Flux

/// What `checkGradient(of:at:)` found: the worst disagreement between reverse
/// mode and central finite differences, and where it is.
public struct GradientCheckResult: CustomStringConvertible, Sendable {
    /// The largest `|analytic − numeric| / max(|analytic|, |numeric|, 0.01)` over the
    /// checked elements (the floor keeps tiny gradients from amplifying rounding noise).
    public var worstRelativeError: Double
    /// The parameter path of the worst element (`weight`, `layers[1].bias`, or `argument 0`).
    public var path: String
    /// The flat index of the worst element within that parameter.
    public var index: Int
    /// The reverse-mode and the finite-difference derivative at the worst element.
    public var analytic: Double, numeric: Double
    /// How many elements were checked.
    public var checkedElements: Int

    public var description: String {
        "worst relative error \(worstRelativeError) at \(path)[\(index)] (reverse mode \(analytic), finite differences \(numeric)) over \(checkedElements) elements"
    }

    mutating func record(path: String, index: Int, analytic: Double, numeric: Double) {
        let error = abs(analytic - numeric) / max(abs(analytic), abs(numeric), 0.01)
        checkedElements += 1
        if error > worstRelativeError || (error.isNaN && !worstRelativeError.isNaN) {
            (worstRelativeError, self.path, self.index, self.analytic, self.numeric) = (
                error, path, index, analytic, numeric
            )
        }
    }

    static var empty: GradientCheckResult {
        GradientCheckResult(worstRelativeError: 0, path: "", index: 0, analytic: 0, numeric: 0, checkedElements: 0)
    }
}

/// Checks the gradient of a scalar function of a model against central finite differences,
/// element by element (at most `maxElementsPerParameter` per parameter, spread evenly), in
/// the scalar type of the function's result.
///
/// ```swift
/// let result = checkGradient(of: { m in meanSquaredError(m(x), y) }, at: model)
/// #expect(result.worstRelativeError < 1e-6, "\(result)")
/// ```
/// In `Double` (the default `epsilon` 1e-5) a correct gradient agrees to about 1e-8. A
/// `Float` model can be checked as it is (`epsilon` 1e-3 by default), but `Float`'s rounding
/// makes finite differences agree only to about 1e-3, which hides small mistakes; for a tight
/// check, convert it into the same architecture built in `Double` and check that:
/// ```swift
/// let twin = model.converted(into: Chain(of: Double.self) { Dense<Double>(4, 8, tanh); Dense<Double>(8, 1) })
/// let result = checkGradient(of: { m in meanSquaredError(m(x64), y64) }, at: twin)
/// ```
/// Only the parameters of the result's scalar type are checked.
public func checkGradient<M: ParameterContainer, S: TensorFloatingPoint>(
    of f: (M) -> Tensor<S>, at model: M, epsilon: Double? = nil, maxElementsPerParameter: Int = 64
) -> GradientCheckResult {
    let epsilon = epsilon ?? (S.self == Float.self ? 1e-3 : 1e-5)
    let analytic = gradient(at: model, of: f).tensors(of: S.self)
    let parameters = model.parameters(of: S.self)
    var result = GradientCheckResult.empty
    for (p, (path, tensor)) in parameters.enumerated() {
        for i in sampledIndices(count: tensor.count, limit: maxElementsPerParameter) {
            let numeric = centralDifference(epsilon: epsilon, at: tensor.scalars[i]) { value in
                var moved = model
                var index = 0  // counts the parameters of type S, as `parameters(of:)` does
                moved.mapParameters { parameter in
                    guard var t = parameter.tensor(of: S.self) else { return }
                    if index == p {
                        t.withUnsafeMutableBufferPointer { $0[i] = value }
                        parameter = AnyParameter(t)
                    }
                    index += 1
                }
                return f(moved).withoutDerivative.scalar
            }
            result.record(
                path: path, index: i, analytic: Double(analytic[p].tensor.scalars[i]), numeric: numeric)
        }
    }
    return result
}

extension AnyParameter {
    /// The tensor, if its scalar type is `S`.
    fileprivate func tensor<S: TensorFloatingPoint>(of _: S.Type) -> Tensor<S>? {
        switch self {
        case .float(let t): t as? Tensor<S>
        case .double(let t): t as? Tensor<S>
        }
    }

    /// The parameter holding `tensor`.
    fileprivate init<S: TensorFloatingPoint>(_ tensor: Tensor<S>) {
        self = (tensor as? Tensor<Float>).map { .float($0) } ?? .double(tensor as! Tensor<Double>)
    }
}

/// Checks the gradient of a scalar function of tensors with respect to each of them in
/// `Double` against central finite differences; paths read `argument 0`, `argument 1`.
public func checkGradient(
    of f: ([Tensor<Double>]) -> Tensor<Double>, at arguments: [Tensor<Double>], epsilon: Double = 1e-5,
    maxElementsPerParameter: Int = 64
) -> GradientCheckResult {
    checkGradient(
        of: { (list: TensorList) in f(list.tensors) }, at: TensorList(tensors: arguments),
        epsilon: epsilon, maxElementsPerParameter: maxElementsPerParameter
    )
    .renamingPaths {
        $0.replacingOccurrences(of: "tensors[", with: "argument ").replacingOccurrences(of: "]", with: "")
    }
}

/// Checks the vector-Jacobian product of a tensor-valued function: the function is
/// reduced to a scalar by a fixed random projection, `sum(f(x) * r)`.
public func checkPullback(
    of f: ([Tensor<Double>]) -> Tensor<Double>, at arguments: [Tensor<Double>], seed: UInt64 = 0,
    epsilon: Double = 1e-5
) -> GradientCheckResult {
    var rng = RandomGenerator(seed: seed)
    let shape = f(arguments).shape
    let r = Tensor<Double>(randomNormal: shape, using: &rng)
    return checkGradient(of: { (xs: [Tensor<Double>]) in (f(xs) * r).sum() }, at: arguments, epsilon: epsilon)
}

/// The tensors of a list, as a parameter container (for checking functions of tensors).
struct TensorList: ParameterContainer {
    var tensors: [Tensor<Double>]
}

extension GradientCheckResult {
    func renamingPaths(_ rename: (String) -> String) -> GradientCheckResult {
        var copy = self
        copy.path = rename(path)
        return copy
    }
}

private extension String {
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}

/// `(f(x + ε) − f(x − ε)) / 2ε`, with `x ± ε` rounded to `S` and the step that was really
/// taken as the denominator.
func centralDifference<S: TensorFloatingPoint>(epsilon: Double, at x: S, _ f: (S) -> S) -> Double {
    let (up, down) = (S(Double(x) + epsilon), S(Double(x) - epsilon))
    return (Double(f(up)) - Double(f(down))) / (Double(up) - Double(down))
}

/// Up to `limit` indices spread evenly over `0..<count`.
func sampledIndices(count: Int, limit: Int) -> [Int] {
    guard count > limit else { return Array(0..<count) }
    return (0..<limit).map { $0 * count / limit }
}
