// A chain of any floating-point type, written like a Float chain: `Chain(of: Double.self)`.

extension Chain {
    /// The chain of the models and functions listed in `content`, with generic functions
    /// such as `relu` and `softmax` taken at `Scalar`:
    ///
    /// ```swift
    /// let model = Chain(of: Double.self) {
    ///     Dense<Double>(4, 8, relu)
    ///     relu
    ///     Dense<Double>(8, 3)
    ///     softmax
    /// }
    /// ```
    /// (A plain `Chain { … }` takes generic functions at `Float`.)
    public init<Scalar: TensorFloatingPoint>(
        of _: Scalar.Type, @ScalarChainBuilder<Scalar> _ content: () -> Body
    ) {
        self.init(body: content())
    }
}

/// Composes a ``Chain`` like ``ChainBuilder``, taking generic tensor functions at `Scalar`.
@resultBuilder
public enum ScalarChainBuilder<Scalar: TensorFloatingPoint> {
    /// A model stands for itself.
    public static func buildExpression<M: Model>(_ model: M) -> M { model }

    /// A tensor function of `Scalar` becomes a parameterless model.
    public static func buildExpression(
        _ function: @escaping (Tensor<Scalar>) -> Tensor<Scalar>
    ) -> Function<Tensor<Scalar>, Tensor<Scalar>> {
        Function(function)
    }

    /// Any other function becomes a parameterless model.
    @_disfavoredOverload
    public static func buildExpression<I, O>(_ function: @escaping (I) -> O) -> Function<I, O> { Function(function) }

    public static func buildPartialBlock<M: Model>(first: M) -> M { first }

    public static func buildPartialBlock<A: Model, B: Model>(accumulated: A, next: B) -> Sequential<A, B>
    where A.Output == B.Input {
        Sequential(accumulated, next)
    }
}
