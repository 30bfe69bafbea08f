// The entry points of reverse-mode differentiation. Each call makes a tape of its own,
// traces its arguments onto it, runs the function, and sends the gradient back.

/// The value of `f` at the arguments and the gradient of `f` with respect to each argument.
///
/// `f` must return a tensor with one element (a loss); the arguments may be tensors,
/// models or any ``Differentiable`` values, and each gradient has the type of its
/// argument's ``Differentiable/Derivative`` (a `Tensor` for a tensor, a ``Gradient`` shaped
/// like the model for a model).
/// ```swift
/// let (loss, grad) = valueWithGradient(at: model) { m in meanSquaredError(m(x), y) }
/// let (loss2, (gm, gx)) = valueWithGradient(at: model, x) { m, x in m(x).sum() }
/// ```
/// - Precondition: the result has exactly one element and depends differentiably on the arguments.
@inlinable
public func valueWithGradient<S: TensorFloatingPoint, each A: Differentiable>(
    at arguments: repeat each A, of f: (repeat each A) -> Tensor<S>
) -> (value: S, gradient: (repeat (each A).Derivative)) {
    let tape = Tape<S>()
    defer { tape.close() }
    let tracedArguments = (repeat traced(each arguments, on: tape))
    requireParameters(tape, (repeat each A).self, operation: "valueWithGradient")
    let result = f(repeat each tracedArguments)
    requireOneElement(result, operation: "valueWithGradient")
    let grads = backward(
        result, on: tape, seed: .one(shape: result.shape), operation: "valueWithGradient")
    return (result.scalar, (repeat derivative(of: each tracedArguments, from: grads, on: tape)))
}

/// The value of `f` at `argument` and the gradient of `f` with respect to it: the common
/// one-argument case of `valueWithGradient(at:of:)`, without the parameter-pack plumbing
/// (which copied the model several times per call: each copy retains every tensor).
@inlinable
public func valueWithGradient<S: TensorFloatingPoint, A: Differentiable>(
    at argument: A, of f: (A) -> Tensor<S>
) -> (value: S, gradient: A.Derivative) {
    recordingLoss(at: argument, of: f) { result, tracedArgument, tape in
        let grads = backward(result, on: tape, seed: .one(shape: result.shape), operation: "valueWithGradient")
        return (result.scalar, derivative(of: tracedArgument, from: grads, on: tape))
    }
}

/// Runs `f` on `argument` traced on a new tape, checks that it returns a loss (one element),
/// and gives `backward` the loss, the traced argument and the tape, which is closed after.
@inlinable
func recordingLoss<S: TensorFloatingPoint, A: Differentiable, R>(
    at argument: A, of f: (A) -> Tensor<S>, then backward: (Tensor<S>, A, Tape<S>) -> R
) -> R {
    let tape = Tape<S>()
    defer { tape.close() }
    let tracedArgument = traced(argument, on: tape)
    requireParameters(tape, A.self, operation: "valueWithGradient")
    let result = f(tracedArgument)
    requireOneElement(result, operation: "valueWithGradient")
    return backward(result, tracedArgument, tape)
}

/// The gradient of `f` with respect to `argument`; see `valueWithGradient(at:of:)`.
@inlinable
public func gradient<S: TensorFloatingPoint, A: Differentiable>(at argument: A, of f: (A) -> Tensor<S>) -> A.Derivative
{
    valueWithGradient(at: argument, of: f).gradient
}

/// The gradient of `f` with respect to each argument; see `valueWithGradient(at:of:)`.
@inlinable
public func gradient<S: TensorFloatingPoint, each A: Differentiable>(
    at arguments: repeat each A, of f: (repeat each A) -> Tensor<S>
) -> (repeat (each A).Derivative) {
    valueWithGradient(at: repeat each arguments, of: f).gradient
}

/// The value of `f` and its pullback: the function that maps a gradient of the result
/// (any shape) to the gradients of the arguments, i.e. the vector-Jacobian product.
///
/// The pullback may be called any number of times. It holds the recorded computation (and
/// the intermediate values it needs) until it is released.
/// - Precondition: the result depends differentiably on the arguments.
public func valueWithPullback<S: TensorFloatingPoint, each A: Differentiable>(
    at arguments: repeat each A, of f: (repeat each A) -> Tensor<S>
) -> (value: Tensor<S>, pullback: (Tensor<S>) -> (repeat (each A).Derivative)) {
    let tape = Tape<S>()
    let tracedArguments = (repeat traced(each arguments, on: tape))
    requireParameters(tape, (repeat each A).self, operation: "valueWithPullback")
    let result = f(repeat each tracedArguments)
    tape.stopRecording()  // the recorded computation is complete
    let pullback = { (seed: Tensor<S>) -> (repeat (each A).Derivative) in
        guard seed.shape == result.shape else {
            fail("pullback: a gradient of shape \(seed.shape) for a result of shape \(result.shape)")
        }
        let grads = backward(result, on: tape, seed: seed, operation: "pullback")
        return (repeat derivative(of: each tracedArguments, from: grads, on: tape))
    }
    return (result.withoutDerivative, pullback)
}

/// Stops when tracing the arguments made no leaf: there is nothing to differentiate (as
/// PyTorch refuses an empty parameter list), and every gradient would silently be empty.
@inlinable
func requireParameters<S: TensorFloatingPoint>(_ tape: Tape<S>, _ arguments: Any.Type, operation: String) {
    guard !tape.hasLeaves else { return }
    fail(
        "\(operation): \(arguments) has no parameters to differentiate (no Float or Double tensor is stored in it outside @Frozen); differentiate with respect to a tensor or a model that holds one"
    )
}

/// Sends `seed` back from `result` along its tape, or stops when `result` is not traced
/// although the arguments have parameters (with none, every gradient is empty anyway).
@inlinable
func backward<S: TensorFloatingPoint>(
    _ result: Tensor<S>, on tape: Tape<S>, seed: Tensor<S>, operation: String
) -> [Tensor<S>?] {
    guard let link = result.trace, link.tape === tape else {
        if let other = result.trace?.tape, other.isRecording { failNested(operation) }
        if !tape.hasLeaves { return [] }
        fail(
            "\(operation): the result does not depend differentiably on the arguments (it is a constant, or it came through a non-differentiable step such as argmax, a comparison, an integer conversion or withoutDerivative, or it was traced by an earlier gradient computation that has ended)"
        )
    }
    return tape.backward(from: link.index, seed: seed)
}

/// Stops a gradient computation started inside another one that traces its arguments or
/// its result: its gradient would not flow into the enclosing computation.
@usableFromInline
func failNested(_ operation: String) -> Never {
    fail(
        "\(operation): called inside another gradient computation, on values that computation traces; nested gradients (higher-order derivatives) are not supported. Compute the inner gradient outside, or on values passed through withoutDerivative"
    )
}

extension Tensor where Scalar: TensorFloatingPoint {
    /// A tensor of ones of `shape`; the rank-0 one of a loss is a shared constant, not a new
    /// tensor per gradient call (its storage is never written: a write would copy it).
    @inlinable
    static func one(shape: [Int]) -> Tensor {
        if shape.isEmpty, Scalar.self == Float.self { return unsafeBitCast(floatOne, to: Tensor.self) }
        if shape.isEmpty, Scalar.self == Double.self { return unsafeBitCast(doubleOne, to: Tensor.self) }
        return Tensor(shape: shape, repeating: 1)
    }
}

/// The rank-0 `Float` one that seeds the backward pass of a loss.
@usableFromInline let floatOne = Tensor<Float>(1)
/// The rank-0 `Double` one that seeds the backward pass of a loss.
@usableFromInline let doubleOne = Tensor<Double>(1)
