/// A differentiable function with parameters: a plain struct of tensors and a forward pass.
///
/// ```swift
/// struct Perceptron: Model {
///     var weight: Tensor<Float>
///     var bias: Tensor<Float>
///     func callAsFunction(_ x: Tensor<Float>) -> Tensor<Float> {
///         sigmoid(matmul(x, weight) + bias)
///     }
/// }
/// ```
/// The stored tensors are the parameters (see ``ParameterContainer``); the derivative of
/// the forward pass comes from the operations it is made of.
public protocol Model<Input, Output>: ParameterContainer {
    /// What the model takes.
    associatedtype Input
    /// What the model returns.
    associatedtype Output
    /// The forward pass.
    func callAsFunction(_ input: Input) -> Output
}

/// A tensor that is stored in a model but not trained: the optimizer leaves it as it is
/// and no gradient is computed for it.
///
/// ```swift
/// struct Classifier: Model {
///     @Frozen var embedding: Tensor<Float>    // pre-trained, kept fixed
///     var head: Dense<Float>
///     func callAsFunction(_ tokens: Tensor<Int>) -> Tensor<Float> {
///         head(embedding.gathering(atIndices: tokens))
///     }
/// }
/// ```
@propertyWrapper
public struct Frozen<Value>: _NotParameters {
    /// The stored value.
    public var wrappedValue: Value
    /// Wraps `wrappedValue`.
    public init(wrappedValue: Value) { self.wrappedValue = wrappedValue }
}

extension Frozen: Equatable where Value: Equatable {}
extension Frozen: Sendable where Value: Sendable {}
