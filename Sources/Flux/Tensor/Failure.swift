/// Stops the program with `message`, in every build configuration.
///
/// Shape errors and other programmer errors end here. The message names the operation
/// and the shapes, e.g. `matmul: [3, 4] × [5, 2]: inner dimensions 4 and 5 differ`; inside
/// a composed model it ends with the running layer's path, `(inside layers.1)`.
@usableFromInline
func fail(_ message: String, file: StaticString = #fileID, line: UInt = #line) -> Never {
    let inside = currentLayerPath().map { " (inside \($0))" } ?? ""
    fatalError(message + inside, file: file, line: line)
}

/// Resolves a possibly negative axis against `rank`, stopping with a message when it is out of range.
@inlinable
func normalizedAxis(_ axis: Int, rank: Int, operation: String, shape: [Int]) -> Int {
    let a = axis < 0 ? axis + rank : axis
    guard a >= 0 && a < rank else {
        fail("\(operation): axis \(axis) is out of range for shape \(shape) (rank \(rank))")
    }
    return a
}

/// Row-major strides of `shape`, in elements.
@inlinable
func contiguousStrides(_ shape: [Int]) -> [Int] {
    var strides = [Int](repeating: 1, count: shape.count)
    var s = 1
    for i in stride(from: shape.count - 1, through: 0, by: -1) {
        strides[i] = s
        s *= shape[i]
    }
    return strides
}
