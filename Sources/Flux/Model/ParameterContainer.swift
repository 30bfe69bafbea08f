/// A value whose floating-point tensors are its parameters, found from its stored properties.
///
/// Conforming takes no code: tensors stored in the struct (directly, in nested structs,
/// tuples, arrays, optionals, or dictionaries with `Comparable` keys, such as
/// `[String: Dense<Float>]`, walked in key order with paths like `experts["gate"].weight`)
/// are the parameters; numbers, sizes and functions are left alone; a tensor wrapped in
/// ``Frozen`` is not trained. A tensor the walk cannot reach (inside a class, an existential,
/// an enum payload, a dictionary whose keys have no order or another collection, at any
/// depth, or behind a `weak` or `unowned` reference) stops the program with its path and
/// says what holds it; a class or reference whose type cannot hold a tensor (a delegate,
/// say) is left alone. Its gradient is a ``Gradient`` of the same shape.
public protocol ParameterContainer: Differentiable where Derivative == Gradient<Self> {}

extension ParameterContainer {
    /// Every parameter with its path (e.g. `layers[1].weight`), in declaration order, as
    /// tensors of `scalarType` (`Float` by default).
    public func parameters<S: TensorFloatingPoint>(
        of scalarType: S.Type = Float.self
    ) -> [(path: String, tensor: Tensor<S>)] {
        var copy = self
        var found: [(path: String, tensor: Tensor<S>)] = []
        forEachParameter(of: &copy, operation: "parameters") { parameter in
            if parameter.kind == .of(S.self) { found.append((parameter.path, parameter.tensor(0, as: S.self).pointee)) }
        }
        return found
    }

    /// The number of trainable scalars, over all parameter tensors of any floating-point type.
    public var parameterCount: Int {
        var copy = self
        var count = 0
        forEachParameter(of: &copy, operation: "parameterCount") { parameter in
            switch parameter.kind {
            case .float: count += parameter.tensor(0, as: Float.self).pointee.count
            case .double: count += parameter.tensor(0, as: Double.self).pointee.count
            }
        }
        return count
    }

    /// Replaces every parameter `p` (whatever its scalar type) with `transform(p)`, in
    /// declaration order.
    ///
    /// ```swift
    /// model.mapParameters { p in
    ///     if case .float(let t) = p { p = .float(t * 0.5) }
    /// }
    /// ```
    /// - Precondition: `transform` keeps each parameter's scalar type.
    public mutating func mapParameters(_ transform: (inout AnyParameter) -> Void) {
        forEachParameter(of: &self, operation: "mapParameters") { parameter in
            switch parameter.kind {
            case .float: parameter.map(as: Float.self, transform)
            case .double: parameter.map(as: Double.self, transform)
            }
        }
    }
}

/// One parameter during ``ParameterContainer/mapParameters(_:)``: a `Float` or a `Double` tensor.
public enum AnyParameter {
    case float(Tensor<Float>)
    case double(Tensor<Double>)
}

extension AnyParameter {
    /// The tensor's shape.
    var shape: [Int] {
        switch self {
        case .float(let t): t.shape
        case .double(let t): t.shape
        }
    }

    /// Whether it is a `Float` tensor.
    var isFloat: Bool {
        if case .float = self { return true }
        return false
    }

    /// The tensor, as `Any`.
    var value: Any {
        switch self {
        case .float(let t): t
        case .double(let t): t
        }
    }

    /// The parameter holding `tensor`.
    init<S: TensorFloatingPoint>(_ tensor: Tensor<S>) {
        self = S.self == Float.self ? .float(tensor as! Tensor<Float>) : .double(tensor as! Tensor<Double>)
    }

    /// The tensor, if its scalar type is `S`.
    func tensor<S: TensorFloatingPoint>(as _: S.Type) -> Tensor<S>? {
        switch self {
        case .float(let t): t as? Tensor<S>
        case .double(let t): t as? Tensor<S>
        }
    }
}

extension ParameterReference {
    /// Replaces the tensor of value 0 with `transform` of it.
    fileprivate func map<S: TensorFloatingPoint>(as _: S.Type, _ transform: (inout AnyParameter) -> Void) {
        let p = tensor(0, as: S.self)
        var value = AnyParameter(p.pointee)
        transform(&value)
        guard let new = value.tensor(as: S.self) else {
            fail("mapParameters: `\(path)` is a \(S.self) tensor; the transform returned one of another scalar type")
        }
        p.pointee = new
    }
}

extension ParameterLayout.ScalarKind {
    /// The kind of `S`.
    @inlinable
    static func of<S: TensorFloatingPoint>(_: S.Type) -> Self { S.self == Float.self ? .float : .double }
}

extension ParameterReference {
    /// Makes the tensor of value 0 a leaf of `tape`.
    @inlinable
    func traceLeaf<T: TensorFloatingPoint>(on tape: Tape<T>) {
        // In place, through the pointer: a copy of the tensor would retain and release its
        // storage and shape (passing `p.pointee` as a value did).
        let p = tensor(0, as: T.self)
        if tape.checksFiniteValues { tape.names[tape.records.count] = path }  // the index it gets next
        let index = tape.append(.leaf, valueAt: p, operation: "a parameter")
        p.pointee.trace = TraceLink(tape: tape, index: index)
    }

    /// Replaces the traced tensor of value 0 with its gradient (zeros where it got none).
    @inlinable
    func replaceWithGradient<T: TensorFloatingPoint>(from gradients: [Tensor<T>?]) {
        let p = tensor(0, as: T.self)
        if let index = p.pointee.trace?.index, index < gradients.count, let g = gradients[index] {
            p.pointee = g
        } else {
            p.pointee = Tensor(zeros: p.pointee.shape)
        }
    }
}
