/// The gradient of a function with respect to a model: a value with the model's shape, in
/// which every parameter tensor is replaced by its gradient.
///
/// Members read like the model's: `grad.weight` is the gradient of `model.weight`, and
/// `grad.layers[0].bias` that of `model.layers[0].bias`. A parameter that the function did
/// not use has a zero gradient. Gradients add, subtract and scale, and can be clipped.
@dynamicMemberLookup
public struct Gradient<Base: ParameterContainer> {
    /// A value of the model's type holding each parameter's gradient in that parameter's place.
    public var base: Base

    /// The gradient whose tensors are those in the parameter places of `base`.
    public init(_ base: Base) { self.base = base }

    /// A zero gradient for `model` (zeros shaped like each parameter).
    public init(zerosLike model: Base) {
        var copy = model
        copy.mapParameters { p in
            switch p {
            case .float(let t): p = .float(Tensor(zeros: t.shape))
            case .double(let t): p = .double(Tensor(zeros: t.shape))
            }
        }
        base = copy
    }

    /// The gradient of a tensor parameter.
    public subscript<S>(dynamicMember path: WritableKeyPath<Base, Tensor<S>>) -> Tensor<S> {
        get { base[keyPath: path] }
        set { base[keyPath: path] = newValue }
    }

    /// The gradient of a nested model or container.
    public subscript<Child: ParameterContainer>(dynamicMember path: WritableKeyPath<Base, Child>) -> Gradient<Child> {
        get { Gradient<Child>(base[keyPath: path]) }
        set { base[keyPath: path] = newValue.base }
    }

    /// The gradients of an array of nested models.
    public subscript<Child: ParameterContainer>(dynamicMember path: WritableKeyPath<Base, [Child]>) -> [Gradient<Child>]
    {
        get { base[keyPath: path].map { Gradient<Child>($0) } }
        set { base[keyPath: path] = newValue.map(\.base) }
    }

    /// The gradients of an array of tensor parameters.
    public subscript<S>(dynamicMember path: WritableKeyPath<Base, [Tensor<S>]>) -> [Tensor<S>] {
        get { base[keyPath: path] }
        set { base[keyPath: path] = newValue }
    }

    /// The gradient of an optional tensor parameter (nil where the model has none).
    public subscript<S>(dynamicMember path: WritableKeyPath<Base, Tensor<S>?>) -> Tensor<S>? {
        get { base[keyPath: path] }
        set { base[keyPath: path] = newValue }
    }

    /// Any other member, read in the gradient's structure: a tuple of tensors, say, holds
    /// their gradients; a non-parameter member holds the model's value.
    @_disfavoredOverload
    public subscript<T>(dynamicMember path: KeyPath<Base, T>) -> T {
        base[keyPath: path]
    }

    /// Every parameter's gradient with its path, as tensors of `scalarType`.
    public func tensors<S: TensorFloatingPoint>(of scalarType: S.Type = Float.self) -> [(
        path: String, tensor: Tensor<S>
    )] {
        base.parameters(of: scalarType)
    }
}
