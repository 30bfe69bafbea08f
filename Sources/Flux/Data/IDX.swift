// IDX, the format of the MNIST files: a 4-byte magic number (two zero bytes, a type byte,
// the number of dimensions), one big-endian UInt32 extent per dimension, then the elements
// in row-major order, big-endian. Nothing in the header is trusted: the whole file is read
// first (memory bounded by its size, whatever the header claims), and the header must
// describe exactly the bytes that follow it before any tensor is allocated.

extension Tensor where Scalar: TensorFloatingPoint {
    /// The numbers of an IDX file (the format of the MNIST files), with the file's shape.
    ///
    /// Every IDX element type is read: unsigned and signed bytes, 16- and 32-bit integers,
    /// 32- and 64-bit floating-point numbers, each converted to `Scalar` (a 64-bit number
    /// read into `Float` is rounded to nearest). MNIST's images, `[n, 28, 28]` unsigned
    /// bytes, read as values from 0 to 255.
    ///
    /// ```swift
    /// let images = try Tensor<Float>(contentsOfIDX: "train-images-idx3-ubyte") / 255
    /// ```
    ///
    /// Files as distributed are often gzip-compressed (`.gz`); Flux has no decompressor, so
    /// decompress them first (`gunzip train-images-idx3-ubyte.gz`). A gzip file is
    /// recognised and rejected with an error that says so.
    ///
    /// - Parameter path: the file.
    /// - Throws: ``DataFileError/unreadable(path:reason:)`` when the file cannot be read;
    ///   ``DataFileError/malformed(path:reason:)`` naming the file and the fault when it is
    ///   gzip-compressed, its magic number or type byte is wrong, it has no dimensions or
    ///   more than 8, its extents' product overflows `Int`, or it is shorter (truncated) or
    ///   longer (trailing bytes) than its header says.
    /// - Complexity: O(n) in the file's size; memory is the file's size plus the tensor's.
    public init(contentsOfIDX path: String) throws(DataFileError) {
        let file = try IDXFile(path: path)
        self.init(shape: file.shape, operation: "Tensor(contentsOfIDX:)") { out in
            file.decode(
                into: out, integer: { Scalar(Int64($0)) }, float: { Scalar($0) }, double: { Scalar($0) })
        }
    }
}

extension Tensor where Scalar: TensorNumeric & FixedWidthInteger {
    /// The integers of an IDX file (the format of the MNIST files), with the file's shape:
    /// MNIST's labels, `[n]` unsigned bytes, as class indices.
    ///
    /// Unsigned and signed bytes and 16- and 32-bit integers are read; `Int` and `Int32`
    /// hold all of them exactly.
    ///
    /// ```swift
    /// let labels = try Tensor<Int>(contentsOfIDX: "train-labels-idx1-ubyte")
    /// ```
    ///
    /// Files as distributed are often gzip-compressed (`.gz`); decompress them first
    /// (`gunzip`). A gzip file is recognised and rejected with an error that says so.
    ///
    /// - Parameter path: the file.
    /// - Throws: ``DataFileError/incompatibleScalar(path:stored:requested:)`` when the file
    ///   holds floating-point numbers; otherwise as `Tensor<Float>(contentsOfIDX:)` throws.
    /// - Complexity: O(n) in the file's size; memory is the file's size plus the tensor's.
    public init(contentsOfIDX path: String) throws(DataFileError) {
        let file = try IDXFile(path: path)
        guard file.type.isInteger else {
            throw .incompatibleScalar(path: path, stored: file.type.name, requested: "\(Scalar.self)")
        }
        self.init(shape: file.shape, operation: "Tensor(contentsOfIDX:)") { out in
            // 32-bit integers fit `Int` and `Int32`; the float closures are never called.
            file.decode(into: out, integer: { Scalar(truncatingIfNeeded: $0) }, float: { _ in 0 }, double: { _ in 0 })
        }
    }
}

/// The element types of IDX files, by their type byte.
enum IDXElementType: UInt8, CaseIterable, Sendable {
    case unsignedByte = 0x08
    case signedByte = 0x09
    case short = 0x0B
    case int = 0x0C
    case float = 0x0D
    case double = 0x0E

    /// Bytes per element.
    var size: Int {
        switch self {
        case .unsignedByte, .signedByte: 1
        case .short: 2
        case .int, .float: 4
        case .double: 8
        }
    }

    var isInteger: Bool { self != .float && self != .double }

    /// The name errors give the type.
    var name: String {
        switch self {
        case .unsignedByte: "unsigned byte"
        case .signedByte: "signed byte"
        case .short: "16-bit integer"
        case .int: "32-bit integer"
        case .float: "32-bit floating-point"
        case .double: "64-bit floating-point"
        }
    }
}

/// An IDX file whose header has been checked against its size: `shape` describes exactly
/// the bytes after the header.
struct IDXFile {
    /// The most dimensions a file may have.
    static let maximumRank = 8

    /// The file's bytes (and a sentinel byte after them).
    let bytes: [UInt8]
    let type: IDXElementType
    let shape: [Int]
    /// The number of elements: the product of `shape`.
    let count: Int
    /// Where the elements start: after the magic number and the extents.
    let dataOffset: Int

    /// Reads and checks the file at `path`.
    ///
    /// - Throws: ``DataFileError/unreadable(path:reason:)`` or
    ///   ``DataFileError/malformed(path:reason:)``.
    init(path: String) throws(DataFileError) {
        let bytes = try contentsOfFileWithSentinel(path)
        let size = bytes.count - 1
        func malformed(_ reason: String) -> DataFileError { .malformed(path: path, reason: reason) }
        func hex(_ byte: UInt8) -> String { "0x" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true) }

        if size >= 2, bytes[0] == 0x1F, bytes[1] == 0x8B {
            throw malformed("a gzip-compressed file, not an IDX file; decompress it first (gunzip)")
        }
        guard size >= 4 else { throw malformed("\(size) bytes, too short for the 4-byte IDX magic number") }
        guard bytes[0] == 0, bytes[1] == 0 else {
            throw malformed("not an IDX file: the magic number starts \(hex(bytes[0])) \(hex(bytes[1])), not 0x00 0x00")
        }
        guard let type = IDXElementType(rawValue: bytes[2]) else {
            throw malformed(
                "type byte \(hex(bytes[2])) is none of the IDX types "
                    + IDXElementType.allCases.map { hex($0.rawValue) }.joined(separator: ", "))
        }
        let rank = Int(bytes[3])
        guard (1...Self.maximumRank).contains(rank) else {
            throw malformed("\(rank) dimensions; an IDX file has from 1 to \(Self.maximumRank)")
        }
        let headerSize = 4 + 4 * rank
        guard size >= headerSize else {
            throw malformed("truncated header: \(rank) dimensions need \(headerSize) bytes, the file has \(size)")
        }
        let shape = (0..<rank).map { axis in Int(bigEndianUInt32(bytes, at: 4 + 4 * axis)) }
        // Every tensor the file may be read into must be able to exist: Flux's rule is that the
        // nonzero extents' product, in bytes of the widest scalar (8), fits in `Int`.
        guard let count = representableSize(of: shape, elementSize: 8)?.count else {
            throw malformed("the extents \(shape) hold more elements than a tensor can")
        }
        let dataSize = count * type.size
        let available = size - headerSize
        guard available == dataSize else {
            let needed = "shape \(shape) of \(type.name) needs \(dataSize) bytes after the \(headerSize)-byte header"
            throw malformed(
                available < dataSize
                    ? "truncated: \(needed), the file has \(available)"
                    : "\(available - dataSize) trailing bytes: \(needed), the file has \(available)")
        }
        self.bytes = bytes
        self.type = type
        self.shape = shape
        self.count = count
        self.dataOffset = headerSize
    }

    /// Writes the elements into `out` (of `count` elements), converting integers (of every
    /// integer type), 32-bit and 64-bit floating-point numbers with the matching closure.
    func decode<T>(
        into out: UnsafeMutableBufferPointer<T>, integer: (Int32) -> T, float: (Float) -> T, double: (Double) -> T
    ) {
        precondition(out.count == count)
        bytes.withUnsafeBytes { raw in
            let data = UnsafeRawBufferPointer(rebasing: raw[dataOffset..<(dataOffset + count * type.size)])
            switch type {
            case .unsignedByte:
                for i in 0..<count { out[i] = integer(Int32(data[i])) }
            case .signedByte:
                for i in 0..<count { out[i] = integer(Int32(Int8(bitPattern: data[i]))) }
            case .short:
                for i in 0..<count {
                    out[i] = integer(Int32(Int16(bigEndian: data.loadUnaligned(fromByteOffset: 2 * i, as: Int16.self))))
                }
            case .int:
                for i in 0..<count {
                    out[i] = integer(Int32(bigEndian: data.loadUnaligned(fromByteOffset: 4 * i, as: Int32.self)))
                }
            case .float:
                for i in 0..<count {
                    let bits = UInt32(bigEndian: data.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))
                    out[i] = float(Float(bitPattern: bits))
                }
            case .double:
                for i in 0..<count {
                    let bits = UInt64(bigEndian: data.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))
                    out[i] = double(Double(bitPattern: bits))
                }
            }
        }
    }
}

/// The big-endian `UInt32` at `offset` in `bytes`, which holds at least `offset + 4` bytes.
private func bigEndianUInt32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
    bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | UInt32($1) }
}
