extension Tensor where Scalar: TensorNumeric {
    /// A tensor of `shape` filled with zeros.
    @inlinable public init(zeros shape: [Int]) { self.init(shape: shape, repeating: .zero) }

    /// A tensor of `shape` filled with ones.
    @inlinable public init(ones shape: [Int]) { self.init(shape: shape, repeating: 1) }

    /// A tensor of zeros with the shape of `other`.
    @inlinable public init(zerosLike other: Tensor) { self.init(zeros: other.shape) }

    /// A tensor of ones with the shape of `other`.
    @inlinable public init(onesLike other: Tensor) { self.init(ones: other.shape) }

    /// The `n`×`n` identity matrix.
    @inlinable
    public init(identity n: Int) {
        self.init(zeros: [n, n])
        withUnsafeMutableBufferPointer { p in
            for i in 0..<n { p[i * n + i] = 1 }
        }
    }

    /// The values `start, start + step, …` below `end` (above it for a negative step), like NumPy's `arange`.
    ///
    /// - Precondition: `step` is not zero.
    @inlinable
    public init(rangeFrom start: Scalar, to end: Scalar, stride step: Scalar = 1) {
        guard step != .zero else { fail("Tensor(rangeFrom:to:stride:): the stride is zero") }
        var values: [Scalar] = []
        var x = start
        var i: Scalar = .zero
        while step > .zero ? x < end : x > end {
            values.append(x)
            i += 1
            x = start + i * step  // no accumulated rounding error
        }
        self.init(values)
    }
}

extension Tensor where Scalar: TensorFloatingPoint {
    /// `count` evenly spaced values from `start` to `end`, both included, like NumPy's `linspace`.
    ///
    /// - Precondition: `count >= 0`.
    @inlinable
    public init(linearSpaceFrom start: Scalar, to end: Scalar, count: Int) {
        guard count >= 0 else { fail("Tensor(linearSpaceFrom:to:count:): negative count \(count)") }
        let step = count > 1 ? (end - start) / Scalar(count - 1) : 0
        self.init(shape: [count]) { out in
            for i in 0..<count { out[i] = start + Scalar(i) * step }
            if count > 1 { out[count - 1] = end }
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
