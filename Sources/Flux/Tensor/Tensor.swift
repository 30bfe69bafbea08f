/// An n-dimensional array of scalars in row-major order, with value semantics.
///
/// Copying a tensor is cheap: the copies share storage until one of them is written to,
/// and then only that one is copied (copy-on-write). A write to a tensor whose storage is
/// not shared happens in place.
///
/// ```swift
/// let x = Tensor<Float>([[1, 2, 3], [4, 5, 6]])   // shape [2, 3]
/// let y = (x * 2 + 1).sum(alongAxes: 1)           // [15, 33]
/// ```
public struct Tensor<Scalar: TensorScalar>: @unchecked Sendable {
    /// The storage, shared between copies until one is written.
    @usableFromInline var buffer: TensorBuffer<Scalar>
    /// The extent of each axis, stored.
    @usableFromInline var _shape: [Int]

    /// Where this tensor sits on the tape of a gradient computation; nil for a constant.
    @usableFromInline var trace: TraceLink<Scalar>?

    /// The extent of each axis; the empty array for a scalar (rank-0) tensor.
    @inlinable public var shape: [Int] { _shape }

    /// A tensor over `buffer` with `shape`; their element counts must agree.
    @inlinable
    init(buffer: TensorBuffer<Scalar>, shape: [Int]) {
        self.buffer = buffer
        self._shape = shape
        self.trace = nil
    }

    /// A tensor of `shape` whose elements are written by `body`, which must write every one.
    ///
    /// - Precondition: every extent is non-negative and the tensor's size in bytes fits in
    ///   `Int`; otherwise, as when the memory cannot be allocated, the program stops with a
    ///   message naming the shape.
    @inlinable
    public init(
        shape: [Int], unsafeUninitializedBufferInitializer body: (UnsafeMutableBufferPointer<Scalar>) throws -> Void
    ) rethrows {
        try self.init(shape: shape, operation: "Tensor(shape:)", body)
    }

    /// A tensor of `shape` written by `body`; a shape too large for `Int` or for memory
    /// stops naming `operation`, the shape and the size.
    @inlinable
    init(shape: [Int], operation: String, _ body: (UnsafeMutableBufferPointer<Scalar>) throws -> Void) rethrows {
        let size = checkedSize(of: shape, elementSize: MemoryLayout<Scalar>.stride, operation: operation)
        guard let buffer = TensorBuffer<Scalar>.make(uninitializedCount: size.count) else {
            failAllocation(of: shape, bytes: size.bytes, scalar: Scalar.self, operation: operation)
        }
        try body(UnsafeMutableBufferPointer(start: buffer.base, count: size.count))
        self.init(buffer: buffer, shape: shape)
    }

    /// A tensor of `shape` holding `scalars` in row-major order.
    ///
    /// - Precondition: `scalars.count` is the product of `shape`.
    @inlinable
    public init(shape: [Int], scalars: [Scalar]) {
        let operation = "Tensor(shape:scalars:)"
        let count = checkedSize(of: shape, elementSize: MemoryLayout<Scalar>.stride, operation: operation).count
        guard count == scalars.count else {
            fail("\(operation): shape \(shape) holds \(count) elements, but \(scalars.count) were given")
        }
        self.init(shape: shape, operation: operation) { out in
            _ = out.initialize(from: scalars)
        }
    }

    /// A one-dimensional tensor holding `scalars`.
    @inlinable
    public init(_ scalars: [Scalar]) {
        self.init(shape: [scalars.count], scalars: scalars)
    }

    /// A tensor of rank 0 holding `scalar`.
    @inlinable
    public init(_ scalar: Scalar) {
        self.init(shape: [], repeating: scalar)
    }

    /// A tensor of `shape` with every element equal to `value`.
    @inlinable
    public init(shape: [Int], repeating value: Scalar) {
        self.init(shape: shape, repeating: value, operation: "Tensor(shape:repeating:)")
    }

    /// A tensor of `shape` filled with `value`, made for `operation`.
    @inlinable
    init(shape: [Int], repeating value: Scalar, operation: String) {
        self.init(shape: shape, operation: operation) { out in out.initialize(repeating: value) }
    }

    /// The number of axes.
    @inlinable public var rank: Int { shape.count }

    /// The number of elements: the product of the shape.
    @inlinable public var count: Int { buffer.count }

    /// The elements in row-major order.
    @inlinable public var scalars: [Scalar] {
        Array(UnsafeBufferPointer(start: buffer.base, count: buffer.count))
    }

    /// The single element of a tensor with one element (of any rank).
    ///
    /// - Precondition: `count == 1`.
    @inlinable public var scalar: Scalar {
        guard count == 1 else { fail("scalar: a tensor of shape \(shape) has \(count) elements, not 1") }
        return buffer.base[0]
    }

    /// Calls `body` with the elements in row-major order, read-only.
    @inlinable
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Scalar>) throws -> R) rethrows -> R {
        try withExtendedLifetime(buffer) {
            try body(UnsafeBufferPointer(start: buffer.base, count: buffer.count))
        }
    }

    /// Calls `body` with the elements in row-major order, writable; copies the storage first
    /// if another tensor shares it.
    @inlinable
    public mutating func withUnsafeMutableBufferPointer<R>(
        _ body: (UnsafeMutableBufferPointer<Scalar>) throws -> R
    ) rethrows -> R {
        if !isKnownUniquelyReferenced(&buffer) { buffer = buffer.copy() }
        return try withExtendedLifetime(buffer) {
            try body(UnsafeMutableBufferPointer(start: buffer.base, count: buffer.count))
        }
    }

    /// Whether this tensor's storage is shared with no other tensor (a write would not copy).
    @inlinable
    public mutating func isUniquelyReferenced() -> Bool { isKnownUniquelyReferenced(&buffer) }

    /// The same elements under a new shape with the same element count (no copy).
    @inlinable
    func sharingStorage(withShape newShape: [Int]) -> Tensor {
        Tensor(buffer: buffer, shape: newShape)
    }
}

extension Tensor {
    /// The row-major offset of a full index, checked against the shape.
    @inlinable
    func offset(of indices: [Int], operation: String) -> Int {
        guard indices.count == rank else {
            fail("\(operation): \(indices.count) indices for a tensor of shape \(shape)")
        }
        var offset = 0
        for (axis, i) in indices.enumerated() {
            let n = shape[axis]
            let j = i < 0 ? i + n : i
            guard j >= 0 && j < n else {
                fail("\(operation): index \(i) is out of range for axis \(axis) of shape \(shape)")
            }
            offset = offset * n + j
        }
        return offset
    }

    /// The element at a full index (one integer per axis; negative integers count from the end).
    @inlinable
    public subscript(scalarAt indices: Int...) -> Scalar {
        get { buffer.base[offset(of: indices, operation: "subscript")] }
        set {
            let i = offset(of: indices, operation: "subscript")
            withUnsafeMutableBufferPointer { $0[i] = newValue }
        }
    }
}

extension Tensor: Equatable {
    /// Two tensors are equal when their shapes and all their elements are equal.
    @inlinable
    public static func == (lhs: Tensor, rhs: Tensor) -> Bool {
        guard lhs.shape == rhs.shape else { return false }
        return lhs.withUnsafeBufferPointer { a in
            rhs.withUnsafeBufferPointer { b in
                for i in 0..<a.count where a[i] != b[i] { return false }
                return true
            }
        }
    }
}
