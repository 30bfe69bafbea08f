import Flux
import Testing

/// IDX type bytes, as the format defines them.
enum IDXTestType: UInt8, CaseIterable {
    case uint8 = 0x08, int8 = 0x09, int16 = 0x0B, int32 = 0x0C, float32 = 0x0D, float64 = 0x0E

    var isInteger: Bool { rawValue < 0x0D }

    /// `value` in this type's big-endian bytes (integers truncated to the type).
    func bytes(_ value: Double) -> [UInt8] {
        func bigEndian<T: FixedWidthInteger>(_ x: T) -> [UInt8] {
            (0..<(T.bitWidth / 8)).reversed().map { UInt8(truncatingIfNeeded: x >> ($0 * 8)) }
        }
        switch self {
        case .uint8: return [UInt8(value)]
        case .int8: return bigEndian(Int8(value))
        case .int16: return bigEndian(Int16(value))
        case .int32: return bigEndian(Int32(value))
        case .float32: return bigEndian(Float(value).bitPattern)
        case .float64: return bigEndian(value.bitPattern)
        }
    }
}

/// An IDX file of `type` and `shape` holding `values`, written by hand as the format says.
private func idx(_ type: IDXTestType, _ shape: [Int], _ values: [Double]) -> [UInt8] {
    var bytes: [UInt8] = [0, 0, type.rawValue, UInt8(shape.count)]
    for extent in shape { bytes += extentBytes(UInt32(extent)) }
    for value in values { bytes += type.bytes(value) }
    return bytes
}

private func extentBytes(_ extent: UInt32) -> [UInt8] {
    [UInt8(extent >> 24), UInt8(extent >> 16 & 0xFF), UInt8(extent >> 8 & 0xFF), UInt8(extent & 0xFF)]
}

/// Values every type holds exactly, for a shape of `count` elements: signed for signed types.
private func sample(_ type: IDXTestType, count: Int) -> [Double] {
    (0..<count).map { i in
        switch type {
        case .uint8: Double(i * 37 % 256)
        case .int8: Double(i * 37 % 256 - 128)
        case .int16: Double(i * 7919 % 65536 - 32768)
        case .int32: Double(Int32.min) + Double(i) * 123_456_789
        case .float32: Double(Float(i) * -0.375 + 0.1)
        case .float64: Double(i) * -0.375 + 0.1
        }
    }
}

@Suite struct IDXTests {
    static let shapes: [[Int]] = [[5], [3, 4], [2, 3, 4], [2, 1, 3, 2], [0], [3, 0, 2]]

    @Test(arguments: IDXTestType.allCases, shapes)
    func everyTypeAndRankReadsBack(type: IDXTestType, shape: [Int]) throws {
        let values = sample(type, count: shape.reduce(1, *))
        try withTemporaryFile(idx(type, shape, values)) { path in
            let double = try Tensor<Double>(contentsOfIDX: path)
            #expect(double.shape == shape)
            #expect(double.scalars == values)
            let float = try Tensor<Float>(contentsOfIDX: path)
            #expect(float.shape == shape)
            #expect(float.scalars == values.map { Float($0) })
            if type.isInteger {
                let int = try Tensor<Int>(contentsOfIDX: path)
                #expect(int.shape == shape)
                #expect(int.scalars == values.map { Int($0) })
                #expect(try Tensor<Int32>(contentsOfIDX: path).scalars == values.map { Int32($0) })
            } else {
                #expect(
                    throws: DataFileError.incompatibleScalar(
                        path: path, stored: type == .float32 ? "32-bit floating-point" : "64-bit floating-point",
                        requested: "Int")
                ) { try Tensor<Int>(contentsOfIDX: path) }
            }
        }
    }

    @Test func mnistShapedImagesAndLabels() throws {
        let n = 3
        let pixels = (0..<(n * 28 * 28)).map { Double($0 % 256) }
        let images = try withTemporaryFile(idx(.uint8, [n, 28, 28], pixels)) { try Tensor<Float>(contentsOfIDX: $0) }
        #expect(images.shape == [n, 28, 28])
        #expect(images.scalars == pixels.map { Float($0) })
        let labels = try withTemporaryFile(idx(.uint8, [n], [7, 2, 1])) { try Tensor<Int>(contentsOfIDX: $0) }
        #expect(labels == Tensor<Int>([7, 2, 1]))
    }

    /// The bytes of the format's own definition, most significant first, not the machine's order.
    @Test func elementsAndExtentsAreBigEndian() throws {
        let shorts: [UInt8] = [0, 0, 0x0B, 1, 0, 0, 0, 2, 0x01, 0x02, 0xFF, 0xFE]
        #expect(try withTemporaryFile(shorts) { try Tensor<Int>(contentsOfIDX: $0) } == Tensor<Int>([258, -2]))
        let ints: [UInt8] = [0, 0, 0x0C, 1, 0, 0, 0, 1, 0x01, 0x02, 0x03, 0x04]
        #expect(try withTemporaryFile(ints) { try Tensor<Int>(contentsOfIDX: $0) } == Tensor<Int>([0x0102_0304]))
        let floats: [UInt8] = [0, 0, 0x0D, 1, 0, 0, 0, 1, 0x3F, 0xC0, 0, 0]
        #expect(try withTemporaryFile(floats) { try Tensor<Float>(contentsOfIDX: $0) } == Tensor<Float>([1.5]))
        let doubles: [UInt8] = [0, 0, 0x0E, 1, 0, 0, 0, 1, 0xC0, 0x04, 0, 0, 0, 0, 0, 0]
        #expect(try withTemporaryFile(doubles) { try Tensor<Double>(contentsOfIDX: $0) } == Tensor<Double>([-2.5]))
        // An extent of 256 is 00 00 01 00.
        let wide = idx(.uint8, [256], Array(repeating: 1, count: 256))
        #expect(Array(wide[4..<8]) == [0, 0, 1, 0])
        #expect(try withTemporaryFile(wide) { try Tensor<Int>(contentsOfIDX: $0) }.shape == [256])
    }

    @Test func doublesReadIntoFloatAreRoundedToNearest() throws {
        let values = [0.1, 1e300, -1e-300, .infinity, .nan]
        let t = try withTemporaryFile(idx(.float64, [5], values)) { try Tensor<Float>(contentsOfIDX: $0) }
        #expect(Array(t.scalars.prefix(4)) == [Float(0.1), .infinity, -0, .infinity])
        #expect(t.scalars[4].isNaN)
    }

    /// Each malformed file and the reason its error gives, after the path.
    static let malformed: [(name: String, bytes: [UInt8], reason: String)] = [
        ("empty", [], "0 bytes, too short for the 4-byte IDX magic number"),
        ("short magic", [0, 0, 8], "3 bytes, too short for the 4-byte IDX magic number"),
        (
            "gzip", [0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0],
            "a gzip-compressed file, not an IDX file; decompress it first (gunzip)"
        ),
        (
            "text", Array("1,2,3\n".utf8),
            "not an IDX file: the magic number starts 0x31 0x2C, not 0x00 0x00"
        ),
        (
            "type byte", [0, 0, 0x0A, 1, 0, 0, 0, 1, 0],
            "type byte 0x0A is none of the IDX types 0x08, 0x09, 0x0B, 0x0C, 0x0D, 0x0E"
        ),
        ("no dimensions", [0, 0, 8, 0, 7], "0 dimensions; an IDX file has from 1 to 8"),
        (
            "nine dimensions", [0, 0, 8, 9] + Array(repeating: 0, count: 36),
            "9 dimensions; an IDX file has from 1 to 8"
        ),
        (
            "truncated header", [0, 0, 8, 3, 0, 0, 0, 1, 0, 0],
            "truncated header: 3 dimensions need 16 bytes, the file has 10"
        ),
        (
            "truncated data", Array(idx(.int16, [2, 3], [1, 2, 3, 4, 5, 6]).dropLast(3)),
            "truncated: shape [2, 3] of 16-bit integer needs 12 bytes after the 12-byte header, the file has 9"
        ),
        (
            "trailing bytes", idx(.uint8, [2], [1, 2]) + [0, 0],
            "2 trailing bytes: shape [2] of unsigned byte needs 2 bytes after the 8-byte header, the file has 4"
        ),
        (
            "huge extents", [0, 0, 0x0E, 3] + extentBytes(.max) + extentBytes(.max) + extentBytes(.max) + [1, 2, 3],
            "the extents [4294967295, 4294967295, 4294967295] hold more elements than a tensor can"
        ),
        (
            "huge extents beside a zero",
            [0, 0, 8, 4] + extentBytes(.max) + extentBytes(.max) + extentBytes(0)
                + extentBytes(.max),
            "the extents [4294967295, 4294967295, 0, 4294967295] hold more elements than a tensor can"
        ),
        (
            "header claims more than the file",
            [0, 0, 0x0D, 2] + extentBytes(60_000) + extentBytes(784) + [1, 2, 3, 4],
            "truncated: shape [60000, 784] of 32-bit floating-point needs 188160000 bytes after the 12-byte header,"
                + " the file has 4"
        ),
    ]

    @Test(arguments: malformed)
    func malformedFilesThrowNamingTheFileAndTheFault(name: String, bytes: [UInt8], reason: String) throws {
        try withTemporaryFile(bytes) { path in
            let expected = DataFileError.malformed(path: path, reason: reason)
            #expect(throws: expected, "\(name)") { try Tensor<Float>(contentsOfIDX: path) }
            #expect(throws: expected, "\(name)") { try Tensor<Double>(contentsOfIDX: path) }
            #expect(throws: expected, "\(name)") { try Tensor<Int>(contentsOfIDX: path) }
            #expect("\(expected)" == "\(path): malformed: \(reason)")
        }
    }

    @Test func errorDescriptionsNameTheFile() {
        #expect(
            "\(DataFileError.incompatibleScalar(path: "x.idx", stored: "32-bit floating-point", requested: "Int"))"
                == "x.idx: holds 32-bit floating-point values, which a Tensor<Int> cannot hold")
        #expect(
            "\(DataFileError.malformed(path: "x.idx.gz", reason: "why"))" == "x.idx.gz: malformed: why")
    }

    @Test func aMissingFileIsUnreadable() {
        let path = "/nonexistent/flux-\(UInt64.random(in: 0 ... .max)).idx"
        #expect(throws: DataFileError.unreadable(path: path, reason: "No such file or directory")) {
            try Tensor<Float>(contentsOfIDX: path)
        }
    }
}
