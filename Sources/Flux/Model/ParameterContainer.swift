/// A value whose floating-point tensors are its parameters, found from its stored properties.
///
/// Conforming takes no code: tensors stored in the struct (directly, in nested structs,
/// arrays or optionals) are the parameters; numbers, sizes and functions are left alone;
/// a tensor wrapped in ``Frozen`` is not trained. Its gradient is a ``Gradient`` of the
/// same shape.
public protocol ParameterContainer: Differentiable where Derivative == Gradient<Self> {}

extension ParameterContainer {
    public func _traced<S: TensorFloatingPoint>(on tape: Tape<S>) -> Self {
        var copy = self
        var visitor = TracingVisitor(tape: tape)
        traverseParameters(&copy, &visitor)
        return copy
    }

    public func _derivative<S: TensorFloatingPoint>(from gradients: [Tensor<S>?]) -> Gradient<Self> {
        var copy = self
        var visitor = DerivativeVisitor(gradients: gradients)
        traverseParameters(&copy, &visitor)
        return Gradient(copy)
    }

    /// Every parameter with its path (e.g. `layers[1].weight`), in declaration order, as
    /// tensors of `scalarType` (`Float` by default).
    public func parameters<S: TensorFloatingPoint>(
        of scalarType: S.Type = Float.self
    ) -> [(path: String, tensor: Tensor<S>)] {
        var copy = self
        var visitor = CollectingVisitor<S>()
        traverseParameters(&copy, &visitor)
        return visitor.found
    }

    /// The number of trainable scalars, over all parameter tensors of any floating-point type.
    public var parameterCount: Int {
        var copy = self
        var visitor = CountingVisitor()
        traverseParameters(&copy, &visitor)
        return visitor.count
    }

    /// Replaces every parameter `p` (whatever its scalar type) with `transform(p)`.
    @inlinable
    public mutating func mapParameters(_ transform: (inout AnyParameter) -> Void) {
        withoutActuallyEscaping(transform) { transform in
            var visitor = MappingVisitor(transform: transform)
            traverseParameters(&self, &visitor)
        }
    }
}

/// One parameter during ``ParameterContainer/mapParameters(_:)``: a `Float` or a `Double` tensor.
public enum AnyParameter {
    case float(Tensor<Float>)
    case double(Tensor<Double>)
}

@usableFromInline
struct MappingVisitor: ParameterVisitor {
    @usableFromInline let transform: (inout AnyParameter) -> Void
    @usableFromInline init(transform: @escaping (inout AnyParameter) -> Void) { self.transform = transform }
    @usableFromInline mutating func visit<S: TensorFloatingPoint>(_ tensor: inout Tensor<S>, path: ParameterPath) {
        if let t = tensor as? Tensor<Float> {
            var p = AnyParameter.float(t)
            transform(&p)
            if case .float(let new) = p { tensor = new as! Tensor<S> }
        } else if let t = tensor as? Tensor<Double> {
            var p = AnyParameter.double(t)
            transform(&p)
            if case .double(let new) = p { tensor = new as! Tensor<S> }
        }
    }
}

struct TracingVisitor<T: TensorFloatingPoint>: ParameterVisitor {
    let tape: Tape<T>
    mutating func visit<S: TensorFloatingPoint>(_ tensor: inout Tensor<S>, path: ParameterPath) {
        tensor = tensor._traced(on: tape)
    }
}

struct DerivativeVisitor<T: TensorFloatingPoint>: ParameterVisitor {
    let gradients: [Tensor<T>?]
    mutating func visit<S: TensorFloatingPoint>(_ tensor: inout Tensor<S>, path: ParameterPath) {
        tensor = tensor._derivative(from: gradients)
    }
}

struct CollectingVisitor<T: TensorFloatingPoint>: ParameterVisitor {
    var found: [(path: String, tensor: Tensor<T>)] = []
    mutating func visit<S: TensorFloatingPoint>(_ tensor: inout Tensor<S>, path: ParameterPath) {
        if let t = tensor as? Tensor<T> { found.append((path.description, t)) }
    }
}

struct CountingVisitor: ParameterVisitor {
    var count = 0
    mutating func visit<S: TensorFloatingPoint>(_ tensor: inout Tensor<S>, path: ParameterPath) {
        count += tensor.count
    }
}
