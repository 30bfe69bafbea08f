/// A function as a model with no parameters: `relu`, `softmax`, `flatten` or any closure.
///
/// Inside a ``Chain`` a function needs no wrapper: `Chain { Dense(784, 128); relu }`.
/// Outside, wrap it to use it where a model is expected: `Function(relu)`.
public struct Function<Input, Output>: Model {
    /// The function; not a parameter.
    public var body: (Input) -> Output

    /// The model that applies `body`.
    public init(_ body: @escaping (Input) -> Output) { self.body = body }

    public func callAsFunction(_ input: Input) -> Output { body(input) }
}
