/// A model whose output is combined with its own input: `connection(layer(x), x)`, by
/// default their sum (a residual connection).
public struct SkipConnection<Layer: Model>: Model {
    /// The wrapped model.
    public var layer: Layer
    /// Combines the layer's output with the input; not a parameter.
    public var connection: (Layer.Output, Layer.Input) -> Layer.Output

    /// `connection(layer(x), x)`.
    public init(_ layer: Layer, connection: @escaping (Layer.Output, Layer.Input) -> Layer.Output) {
        (self.layer, self.connection) = (layer, connection)
    }

    public func callAsFunction(_ input: Layer.Input) -> Layer.Output { connection(layer(input), input) }
}

extension SkipConnection {
    /// The residual connection `layer(x) + x`.
    public init<S: TensorFloatingPoint>(_ layer: Layer) where Layer.Input == Tensor<S>, Layer.Output == Tensor<S> {
        self.init(layer, connection: { $0 + $1 })
    }
}
