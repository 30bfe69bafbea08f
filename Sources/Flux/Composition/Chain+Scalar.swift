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
    @_disfavoredOverload
    public init<Scalar: TensorFloatingPoint>(
        of _: Scalar.Type, @ScalarChainBuilder<Scalar> _ content: () -> Body
    ) {
        self.init(composed: content())
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

    /// Chosen only when the layers do not fit: the chain's body becomes a
    /// ``LayersDoNotFit`` of the two types, and the compiler's error names it.
    @_disfavoredOverload
    public static func buildPartialBlock<A: Model, B: Model>(
        accumulated: A, next: B
    ) -> LayersDoNotFit<A.Output, B.Input> {
        LayersDoNotFit()
    }

    /// Keeps the first mismatch of a chain through the layers after it.
    public static func buildPartialBlock<O, I, B>(accumulated: LayersDoNotFit<O, I>, next: B) -> LayersDoNotFit<O, I> {
        accumulated
    }
}

/// What a ``Chain`` whose layers do not fit is built of, so that the compiler's error names
/// the two types that do not meet: `Chain` requires that
/// `LayersDoNotFit<Tensor<Float>, Tensor<Double>>` conform to `Model` means that a layer
/// returns `Tensor<Float>` where the next one takes `Tensor<Double>`. It is never a model.
public struct LayersDoNotFit<Output, NextInput> {}
