import CFluxKernels

/// Two models applied one after the other: `second(first(x))`. ``Chain`` builds these.
public struct Sequential<First: Model, Second: Model>: Model where First.Output == Second.Input {
    /// Applied first.
    public var first: First
    /// Applied to the first model's output.
    public var second: Second

    /// Whether `first` is itself a pair, numbered as part of this one (`layers.0`, `layers.1`, …).
    @usableFromInline let firstIsPair: Bool

    /// `second ∘ first`.
    public init(_ first: First, _ second: Second) {
        (self.first, self.second) = (first, second)
        firstIsPair = First.self is any _NumberedPair.Type
    }

    @inlinable
    public func callAsFunction(_ input: First.Input) -> Second.Output {
        // Keeps the running layer's number for messages (LayerPath.swift).
        let continued = flux_layer_enter(LayerPathName.numbered.rawValue)
        flux_layer_at(0, firstIsPair ? 1 : 0)
        let middle = first(input)
        flux_layer_advance()
        let output = second(middle)
        flux_layer_leave(continued)
        return output
    }
}

/// A ``Sequential``: its layers continue the numbering of the pair it is the first half of.
protocol _NumberedPair {}
extension Sequential: _NumberedPair {}

/// Models applied in sequence, each feeding the next, checked at compile time: a chain
/// whose neighbours' output and input types differ does not build.
///
/// ```swift
/// let model = Chain {
///     Dense(784, 128, relu)
///     Dense(128, 10)
///     softmax              // functions are models with no parameters
/// }
/// ```
/// A chain is a model, so chains nest. Its parameters are those of its layers, reached in
/// code as `model.body.first.first.weight`; their paths (``ParameterContainer/parameters(of:)``,
/// ``ParameterContainer/summary``) number the layers as a user counts them, functions
/// included, as PyTorch's `Sequential` does: `layers.0.weight`, `layers.2.bias`.
public struct Chain<Body: Model>: Model {
    /// The layers, as nested ``Sequential`` pairs.
    public var body: Body

    /// Whether the body is a ``Sequential`` (two layers or more), which numbers its layers itself.
    @usableFromInline let bodyIsPair: Bool

    /// The chain of the models listed in `content`, in order.
    public init(@ChainBuilder _ content: () -> Body) { self.init(composed: content()) }

    /// A chain around an already composed body. (Not public: a trailing closure would match
    /// it, and the compiler would report a chain whose layers do not fit as a closure that
    /// is not a `Model`, instead of naming the layers' types.)
    init(composed body: Body) {
        self.body = body
        bodyIsPair = Body.self is any _NumberedPair.Type
    }

    @inlinable
    public func callAsFunction(_ input: Body.Input) -> Body.Output {
        let continued = flux_layer_enter(LayerPathName.layers.rawValue)
        flux_layer_at(0, bodyIsPair ? 1 : 0)
        let output = body(input)
        flux_layer_leave(continued)
        return output
    }
}

extension Sequential: _NumberedLayers {
    // `first` may itself be a pair; `second` is one layer (a nested Chain stays one layer).
    static var _numberedLayers: [(type: Any.Type, offset: Int)] {
        numberedLayers(First.self, at: MemoryLayout<Self>.offset(of: \Self.first)!)
            + [(Second.self, MemoryLayout<Self>.offset(of: \Self.second)!)]
    }
}

extension Chain: _RenamedFields {
    static var _fieldNames: [String: String] { ["body": "layers"] }
}

/// Composes the models (and functions) listed in a ``Chain`` into nested ``Sequential`` pairs,
/// taking generic tensor functions such as `relu` at `Float`.
public typealias ChainBuilder = ScalarChainBuilder<Float>

/// Same-typed models applied in sequence, as many as the array holds (chosen at run time).
/// An empty array is allowed and is the identity, as PyTorch's empty `nn.Sequential` is
/// (an optimizer refuses it, since it has no parameters).
///
/// ```swift
/// let deep = LayerArray((0..<depth).map { _ in Dense<Float>(64, 64, activation: relu, using: &rng) })
/// ```
public struct LayerArray<Layer: Model>: Model where Layer.Input == Layer.Output {
    /// The layers, applied first to last.
    public var layers: [Layer]

    /// The sequence of `layers`.
    public init(_ layers: [Layer]) { self.layers = layers }

    public func callAsFunction(_ input: Layer.Input) -> Layer.Output {
        let continued = flux_layer_enter(LayerPathName.layerArray.rawValue)
        var x = input
        for (i, layer) in layers.enumerated() {
            flux_layer_at(Int64(i), 0)
            x = layer(x)
        }
        flux_layer_leave(continued)
        return x
    }
}
