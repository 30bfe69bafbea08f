extension Tensor where Scalar: TensorNumeric {
    /// A tensor of `shape` filled with zeros.
    @inlinable public init(zeros shape: [Int]) {
        self.init(shape: shape, repeating: .zero, operation: "Tensor(zeros:)")
    }

    /// A tensor of `shape` filled with ones.
    @inlinable public init(ones shape: [Int]) { self.init(shape: shape, repeating: 1, operation: "Tensor(ones:)") }

    /// A tensor of zeros with the shape of `other`.
    @inlinable public init(zerosLike other: Tensor) { self.init(zeros: other.shape) }

    /// A tensor of ones with the shape of `other`.
    @inlinable public init(onesLike other: Tensor) { self.init(ones: other.shape) }

    /// The `n`×`n` identity matrix.
    @inlinable
    public init(identity n: Int) {
        self.init(shape: [n, n], repeating: .zero, operation: "Tensor(identity:)")
        withUnsafeMutableBufferPointer { p in
            for i in 0..<n { p[i * n + i] = 1 }
        }
    }
}

extension Tensor {
    /// A tensor with the elements of `other` converted to this scalar type (`Int` to `Float`,
    /// `Bool` to `Float` as 0 or 1, `Double` to `Float` rounded).
    @inlinable
    public init<Source: TensorNumeric & BinaryInteger>(_ other: Tensor<Source>) where Scalar: TensorFloatingPoint {
        self = other.mapElements { Scalar($0) }
    }

    /// A tensor with the elements of `other` rounded to this floating-point type. Inside a
    /// gradient computation the gradient flows back through it, converted to `other`'s type
    /// (mixed precision: part of a `Double` computation in `Float`, or the reverse).
    @inlinable
    public init<Source: TensorFloatingPoint>(_ other: Tensor<Source>) where Scalar: TensorFloatingPoint {
        if Source.self == Scalar.self {
            self = unsafeBitCast(other, to: Tensor.self)  // the same tensor, trace and all
            return
        }
        self = other.mapElements { Scalar($0) }
        if let link = other.liveTrace { recordConversion(from: link) }
    }

    /// A mask as numbers: 1 where `true`, 0 where `false`.
    @inlinable
    public init(_ mask: Tensor<Bool>) where Scalar: TensorNumeric {
        self = mask.mapElements { $0 ? 1 : .zero }
    }
}
