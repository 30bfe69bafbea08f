#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file in the safetensors format, the checkpoint format PyTorch, JAX and MLX users share:
/// an 8-byte little-endian header length, a JSON header naming each tensor's dtype, shape and
/// byte range, then the raw little-endian data.
///
/// Reading never trusts the file. The header length must fit in the file (and in 100 MB);
/// the header must be UTF-8 JSON of the right form; every dtype must be known, every shape
/// non-negative, and the byte ranges must cover the data exactly (none out of range,
/// reversed, overlapping or leaving a hole), each as long as its shape says. Anything else is
/// a thrown ``CheckpointError`` naming the file and the problem, before any tensor is made.
/// ```swift
/// var file = SafeTensors(metadata: ["format": "pt"])
/// file["weight"] = .init(Tensor<Float>([[1, 2], [3, 4]]))
/// try file.write(to: "/tmp/weights.safetensors")
/// let read = try SafeTensors(contentsOf: "/tmp/weights.safetensors")
/// let weight = try read.tensor("weight", as: Float.self)
/// ```
public struct SafeTensors: Sendable, Equatable {
    /// The scalar types of the format (its dtype strings).
    public enum DType: String, CaseIterable, Sendable {
        case bool = "BOOL", uint8 = "U8", int8 = "I8", uint16 = "U16", int16 = "I16", float16 = "F16"
        case bfloat16 = "BF16", uint32 = "U32", int32 = "I32", float32 = "F32", uint64 = "U64", int64 = "I64"
        case float64 = "F64"

        /// Bytes per element.
        public var size: Int {
            switch self {
            case .bool, .uint8, .int8: 1
            case .uint16, .int16, .float16, .bfloat16: 2
            case .uint32, .int32, .float32: 4
            case .uint64, .int64, .float64: 8
            }
        }
    }

    /// One stored tensor: its dtype, shape and little-endian bytes.
    public struct Entry: Sendable, Equatable {
        public let dtype: DType
        public let shape: [Int]
        public let bytes: [UInt8]

        /// A `Float` tensor, stored as F32.
        public init(_ tensor: Tensor<Float>) { self.init(tensor, as: .float32) }
        /// A `Double` tensor, stored as F64.
        public init(_ tensor: Tensor<Double>) { self.init(tensor, as: .float64) }
        /// An `Int` tensor, stored as I64.
        public init(_ tensor: Tensor<Int>) { self.init(tensor, as: .int64) }

        private init<S: TensorScalar>(_ tensor: Tensor<S>, as dtype: DType) {
            (self.dtype, shape) = (dtype, tensor.shape)
            bytes = tensor.withUnsafeBufferPointer { Array(UnsafeRawBufferPointer($0)) }
        }

        init(dtype: DType, shape: [Int], bytes: [UInt8]) {
            (self.dtype, self.shape, self.bytes) = (dtype, shape, bytes)
        }
    }

    /// The free-form string map stored as `__metadata__`.
    public var metadata: [String: String]
    /// The tensors' names, in the order they are written.
    public private(set) var names: [String] = []
    private var entries: [String: Entry] = [:]

    /// The most header bytes a file may declare (the reference implementation's limit).
    public static let maximumHeaderBytes = 100_000_000

    /// An empty file with `metadata`.
    public init(metadata: [String: String] = [:]) { self.metadata = metadata }

    /// The tensor named `name`, or nil; setting nil removes it.
    public subscript(name: String) -> Entry? {
        get { entries[name] }
        set {
            if let newValue {
                if entries.updateValue(newValue, forKey: name) == nil { names.append(name) }
            } else if entries.removeValue(forKey: name) != nil {
                names.removeAll { $0 == name }
            }
        }
    }

    /// The file at `path`, checked completely.
    ///
    /// - Throws: ``CheckpointError/unreadable(path:reason:)`` or ``CheckpointError/malformed(path:reason:)``.
    public init(contentsOf path: String) throws(CheckpointError) {
        let file = try ReadableFile(path)
        defer { file.close() }
        try self.init(reading: file, path: path)
    }

    /// The safetensors file held in `bytes` (what ``serialized`` gives, or what a network
    /// peer sent), checked as completely as a file on disk; `name` stands for it in errors.
    ///
    /// ```swift
    /// let bytes = Chain { Dense(2, 3) }.safeTensors().serialized
    /// let copy = try SafeTensors(bytes: bytes, name: "the received model")
    /// print(copy.names)   // ["layers.0.weight", "layers.0.bias"]
    /// ```
    /// - Throws: ``CheckpointError/malformed(path:reason:)``, with `name` as the path.
    public init(bytes: [UInt8], name: String = "safetensors bytes") throws(CheckpointError) {
        try self.init(reading: InMemoryBytes(path: name, bytes: bytes), path: name)
    }

    /// The file read from `file` (named `path` in errors), checked completely.
    private init(reading file: some ByteSource, path: String) throws(CheckpointError) {
        func malformed(_ reason: String) -> CheckpointError { .malformed(path: path, reason: reason) }
        guard file.size >= 8 else { throw malformed("\(file.size) bytes, shorter than the 8-byte header length") }
        let lengthBytes = try file.read(count: 8, at: 0)
        let declared = lengthBytes.reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard declared <= UInt64(Self.maximumHeaderBytes) else {
            throw malformed("the header length \(declared) is above the limit of \(Self.maximumHeaderBytes) bytes")
        }
        let headerLength = Int(declared)
        guard headerLength <= file.size - 8 else {
            throw malformed("the header length \(headerLength) runs past the end of the \(file.size)-byte file")
        }
        let headerBytes = try file.read(count: headerLength, at: 8)
        guard String(validating: headerBytes, as: UTF8.self) != nil else { throw malformed("the header is not UTF-8") }
        let header: HeaderValue
        do { header = try HeaderParser.parse(headerBytes) } catch { throw malformed("header JSON: \(error.reason)") }
        guard case .object(let members) = header else { throw malformed("the header is not a JSON object") }
        let dataLength = file.size - 8 - headerLength
        var ranges: [(name: String, range: Range<Int>, dtype: DType, shape: [Int])] = []
        self.init()
        for (key, value) in members {
            if key == "__metadata__" {
                metadata = try Self.metadata(value, malformed)
                continue
            }
            let entry = try Self.entry(key, value, malformed)
            guard entry.range.upperBound <= dataLength else {
                throw malformed(
                    "`\(key)` has bytes \(entry.range.lowerBound)..<\(entry.range.upperBound), past the \(dataLength) bytes of data"
                )
            }
            ranges.append((key, entry.range, entry.dtype, entry.shape))
        }
        // The ranges must tile the data: sorted by start, each begins where the last ended.
        ranges.sort { ($0.range.lowerBound, $0.range.upperBound) < ($1.range.lowerBound, $1.range.upperBound) }
        var end = 0
        for r in ranges {
            guard r.range.lowerBound == end else {
                throw malformed(
                    r.range.lowerBound < end
                        ? "`\(r.name)` (bytes \(r.range.lowerBound)..<\(r.range.upperBound)) overlaps another tensor"
                        : "bytes \(end)..<\(r.range.lowerBound) of the data belong to no tensor")
            }
            end = r.range.upperBound
        }
        guard end == dataLength else { throw malformed("bytes \(end)..<\(dataLength) of the data belong to no tensor") }
        let data = try file.read(count: dataLength, at: 8 + headerLength)
        let order = Dictionary(uniqueKeysWithValues: members.enumerated().map { ($1.key, $0) })
        for r in ranges.sorted(by: { order[$0.name]! < order[$1.name]! }) {
            self[r.name] = Entry(dtype: r.dtype, shape: r.shape, bytes: Array(data[r.range]))
        }
    }

    private static func metadata(
        _ value: HeaderValue, _ malformed: (String) -> CheckpointError
    ) throws(CheckpointError) -> [String: String] {
        guard case .object(let pairs) = value else { throw malformed("`__metadata__` is not an object") }
        var result: [String: String] = [:]
        for (key, value) in pairs {
            guard case .string(let text) = value else { throw malformed("`__metadata__.\(key)` is not a string") }
            result[key] = text
        }
        return result
    }

    private static func entry(
        _ name: String, _ value: HeaderValue, _ malformed: (String) -> CheckpointError
    ) throws(CheckpointError) -> (dtype: DType, shape: [Int], range: Range<Int>) {
        guard case .object(let fields) = value else { throw malformed("`\(name)` is not an object") }
        func field(_ key: String) throws(CheckpointError) -> HeaderValue {
            guard let found = fields.first(where: { $0.key == key }) else { throw malformed("`\(name)` has no \(key)") }
            return found.value
        }
        for (key, _) in fields where !["dtype", "shape", "data_offsets"].contains(key) {
            throw malformed("`\(name)` has an unknown field \"\(key)\"")
        }
        guard case .string(let text) = try field("dtype"), let dtype = DType(rawValue: text) else {
            throw malformed("`\(name)` has an unknown dtype \(try field("dtype"))")
        }
        guard case .array(let dims) = try field("shape") else { throw malformed("`\(name)`'s shape is not an array") }
        var shape: [Int] = []
        var count = 1
        for dim in dims {
            guard case .integer(let extent) = dim, extent >= 0 else {
                throw malformed("`\(name)`'s shape \(dims) has an extent that is not a non-negative integer")
            }
            let (product, overflow) = count.multipliedReportingOverflow(by: extent)
            guard !overflow else { throw malformed("`\(name)`'s shape \(shape + [extent]) is too large") }
            (count, shape) = (product, shape + [extent])
        }
        guard case .array(let offsets) = try field("data_offsets"), offsets.count == 2,
            case .integer(let begin) = offsets[0], case .integer(let end) = offsets[1], begin >= 0
        else { throw malformed("`\(name)`'s data_offsets are not two non-negative integers") }
        guard begin <= end else { throw malformed("`\(name)`'s data_offsets [\(begin), \(end)] are reversed") }
        let (bytes, overflow) = count.multipliedReportingOverflow(by: dtype.size)
        guard !overflow, bytes == end - begin else {
            throw malformed(
                "`\(name)` has shape \(shape) of \(dtype.rawValue) (\(overflow ? "too many" : "\(bytes)") bytes) but \(end - begin) bytes of data"
            )
        }
        return (dtype, shape, begin..<end)
    }
}
