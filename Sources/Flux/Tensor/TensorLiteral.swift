/// A nested array literal of scalars: what `[[1, 2], [3, 4]]` becomes when a tensor is expected.
///
/// Every nested array must have the same length at the same depth (a rectangular literal).
public indirect enum TensorLiteral<Scalar: TensorScalar>: ExpressibleByArrayLiteral {
    /// One element.
    case scalar(Scalar)
    /// A list of sub-literals, all of the same shape.
    case array([TensorLiteral])

    public init(arrayLiteral elements: TensorLiteral...) { self = .array(elements) }

    /// The shape and the flattened elements, or a stop when the literal is ragged.
    func flattened() -> (shape: [Int], scalars: [Scalar]) {
        switch self {
        case .scalar(let x):
            return ([], [x])
        case .array(let items):
            guard let first = items.first?.flattened() else { return ([0], []) }
            var scalars = first.scalars
            scalars.reserveCapacity(first.scalars.count * items.count)
            for item in items.dropFirst() {
                let next = item.flattened()
                guard next.shape == first.shape else {
                    fail("Tensor literal: ragged nesting, shapes \(first.shape) and \(next.shape) at one level")
                }
                scalars += next.scalars
            }
            return ([items.count] + first.shape, scalars)
        }
    }
}

extension TensorLiteral: ExpressibleByIntegerLiteral where Scalar: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Scalar.IntegerLiteralType) { self = .scalar(Scalar(integerLiteral: value)) }
}

extension TensorLiteral: ExpressibleByFloatLiteral where Scalar: ExpressibleByFloatLiteral {
    public init(floatLiteral value: Scalar.FloatLiteralType) { self = .scalar(Scalar(floatLiteral: value)) }
}

extension TensorLiteral: ExpressibleByBooleanLiteral where Scalar == Bool {
    public init(booleanLiteral value: Bool) { self = .scalar(value) }
}

extension Tensor: ExpressibleByArrayLiteral {
    /// A tensor from a nested array literal: `let x: Tensor<Float> = [[1, 2], [3, 4]]`.
    public init(arrayLiteral elements: TensorLiteral<Scalar>...) {
        self.init(TensorLiteral.array(elements))
    }

    /// A tensor from nested arrays: `Tensor<Float>([[1, 2], [3, 4]])` has shape `[2, 2]`.
    ///
    /// - Precondition: the nesting is rectangular.
    @_disfavoredOverload  // `Tensor(7)` and `Tensor([1, 2])` take the direct initialisers
    public init(_ literal: TensorLiteral<Scalar>) {
        let (shape, scalars) = literal.flattened()
        self.init(shape: shape, scalars: scalars)
    }
}
