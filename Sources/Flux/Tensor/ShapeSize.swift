// Every tensor's size is checked once, when its shape is made: the product of its nonzero
// extents, in bytes, must fit in `Int` (NumPy's rule). Every stride and offset of the
// tensor is a product of some of those extents, so no index arithmetic on it can overflow
// afterwards, and a shape that cannot exist stops with a message instead of a trap.

/// The element count and byte count of a tensor of `shape` whose elements take
/// `elementSize` bytes, or nil when an extent is negative or the product of the nonzero
/// extents times `elementSize` overflows `Int`.
///
/// Zero extents are left out of the product (the count is then 0), so that a tensor without
/// elements cannot have strides that overflow either.
/// - Complexity: O(rank), one overflow-reporting multiply per extent.
@inlinable
func representableSize(of shape: [Int], elementSize: Int) -> (count: Int, bytes: Int)? {
    var product = 1
    var empty = false
    for n in shape {
        guard n > 0 else {
            if n < 0 { return nil }
            empty = true
            continue
        }
        let (p, overflow) = product.multipliedReportingOverflow(by: n)
        guard !overflow else { return nil }
        product = p
    }
    let (bytes, overflow) = product.multipliedReportingOverflow(by: elementSize)
    guard !overflow else { return nil }
    return empty ? (0, 0) : (product, bytes)
}

/// The element count and byte count of a tensor of `shape`, stopping with a message that
/// names `operation` and the shape when an extent is negative or the size overflows `Int`.
@inlinable
func checkedSize(of shape: [Int], elementSize: Int, operation: String) -> (count: Int, bytes: Int) {
    guard let size = representableSize(of: shape, elementSize: elementSize) else {
        failSize(of: shape, elementSize: elementSize, operation: operation)
    }
    return size
}

/// Stops `operation` on a shape that ``representableSize(of:elementSize:)`` rejects, saying why.
@usableFromInline @inline(never)
func failSize(of shape: [Int], elementSize: Int, operation: String) -> Never {
    if shape.contains(where: { $0 < 0 }) { fail("\(operation): negative extent in shape \(shape)") }
    let factors = shape.filter { $0 != 0 }.map(String.init) + ["\(elementSize) bytes"]
    fail("\(operation): shape \(shape) is too large: \(factors.joined(separator: " × ")) overflows Int")
}

/// Stops `operation` when the memory for a tensor of `shape` cannot be had.
@usableFromInline @inline(never)
func failAllocation(of shape: [Int], bytes: Int, scalar: Any.Type, operation: String) -> Never {
    fail("\(operation): cannot allocate \(bytes) bytes for a Tensor<\(scalar)> of shape \(shape)")
}
