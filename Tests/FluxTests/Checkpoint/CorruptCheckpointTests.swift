import Foundation
import Testing

@testable import Flux

/// Files that are not valid safetensors: each is rejected with a thrown, typed error that
/// names the file; none crashes, reads out of bounds or allocates what the header claims.
@Suite struct CorruptCheckpointTests {
    /// A small valid file: its header and data, as the writer lays them out.
    static let valid: [UInt8] = {
        var file = SafeTensors(metadata: ["k": "v"])
        file["a"] = .init(Tensor<Float>([1, 2, 3]))
        file["b"] = .init(Tensor<Double>([[4], [5]]))
        return file.serialized
    }()

    /// A file of `header` (JSON text) and `data` bytes.
    static func file(header: String, data: [UInt8]) -> [UInt8] {
        let h = Array(header.utf8)
        return (0..<8).map { UInt8(truncatingIfNeeded: UInt64(h.count) >> (8 * $0)) } + h + data
    }

    /// What reading `bytes` as a file throws (nil if it reads).
    static func readError(_ bytes: [UInt8]) throws -> CheckpointError? {
        try withCheckpointFolder { folder -> CheckpointError? in
            let path = folder + "/bad.safetensors"
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            do {
                _ = try SafeTensors(contentsOf: path)
                return nil
            } catch let error as CheckpointError {
                #expect(error.description.hasPrefix(path), "\(error)")
                return error
            }
        }
    }

    @Test func everyTruncationIsRejected() throws {
        for length in 0..<Self.valid.count {
            let error = try Self.readError(Array(Self.valid.prefix(length)))
            guard case .malformed = error else {
                Issue.record("a file cut to \(length) bytes gave \(String(describing: error))")
                continue
            }
        }
    }

    /// Every byte of the header changed (to a quote, a brace, a digit or 0xFF) either still
    /// reads (a change inside a string or padding) or is rejected as malformed.
    @Test func flippedHeaderBytesNeverCrash() throws {
        let headerEnd = 8 + Int(Self.valid[0]) + Int(Self.valid[1]) << 8
        var rejected = 0
        for i in 0..<headerEnd {
            for replacement: UInt8 in [0x22, 0x7B, 0x39, 0xFF, 0x00] where Self.valid[i] != replacement {
                var bytes = Self.valid
                bytes[i] = replacement
                if let error = try Self.readError(bytes) {
                    guard case .malformed = error else {
                        Issue.record("byte \(i) set to \(replacement) gave \(error)")
                        continue
                    }
                    rejected += 1
                }
            }
        }
        #expect(rejected > headerEnd * 3)
    }

    @Test(arguments: [
        // (header, data length, what the message says)
        ("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 0, "past the 0 bytes of data"),
        ("{\"a\":{\"dtype\":\"F31\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8, "unknown dtype"),
        ("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]}}", 8, "are reversed"),
        ("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8, "12 bytes) but 8 bytes of data"),
        ("{\"a\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", 8, "not a non-negative integer"),
        (
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}",
            12, "overlaps another tensor"
        ),
        (
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}",
            12, "bytes 4..<8 of the data belong to no tensor"
        ),
        (
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 8,
            "bytes 4..<8 of the data belong to no tensor"
        ),
        ("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"a\":{}}", 4, "duplicate key"),
        ("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}", 4, "header JSON"),
        ("[1, 2]", 0, "the header is not a JSON object"),
        ("{\"a\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904, 4],\"data_offsets\":[0,4]}}", 4, "is too large"),
        ("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"extra\":1}}", 4, "unknown field"),
        ("{\"__metadata__\":{\"k\":1}}", 0, "is not a string"),
        ("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,99999999999999999999]}}", 4, "data_offsets"),
        // Found by `make fuzz`: JSON numbers have no leading zeros.
        ("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,04]}}", 4, "leading zero"),
        ("{\"a\":{\"dtype\":\"F32\",\"shape\":[01],\"data_offsets\":[0,4]}}", 4, "leading zero"),
    ])
    func eachCorruptionIsNamed(header: String, data: Int, message: String) throws {
        let error = try Self.readError(Self.file(header: header, data: [UInt8](repeating: 0, count: data)))
        #expect(error?.description.contains(message) == true, "\(String(describing: error))")
    }

    /// A header length beyond the file, or above the limit, is refused before anything that
    /// large is allocated; a header that is not UTF-8 is refused.
    @Test func impossibleHeaderLengthsAndEncodings() throws {
        var huge = Self.valid
        for i in 0..<8 { huge[i] = 0xFF }
        #expect(try Self.readError(huge)?.description.contains("above the limit") == true)
        var long = Self.valid
        (long[0], long[1], long[2]) = (0, 0, 1)  // 65,536 bytes, past the end
        #expect(try Self.readError(long)?.description.contains("runs past the end") == true)
        var latin1 = Self.file(header: "{\"__metadata__\":{\"k\":\"\u{E9}\"}}", data: [])
        latin1[latin1.firstIndex(of: 0xC3)!] = 0xE9
        latin1.remove(at: latin1.firstIndex(of: 0xA9)!)
        latin1[0] -= 1
        #expect(try Self.readError(latin1)?.description.contains("not UTF-8") == true)
        #expect(try Self.readError([])?.description.contains("shorter than the 8-byte header length") == true)
        let missing = "/nonexistent-\(UUID().uuidString)/x.safetensors"
        #expect(throws: CheckpointError.self) { try SafeTensors(contentsOf: missing) }
    }
}
