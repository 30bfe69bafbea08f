import Foundation

/// The result of `body` on the path of a new file in the temporary directory that holds
/// `bytes`; the file is removed afterwards.
@discardableResult
func withTemporaryFile<Result>(_ bytes: some Sequence<UInt8>, _ body: (String) throws -> Result) throws -> Result {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("flux-\(UUID().uuidString).csv").path
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try body(path)
}

/// Whether `a` and `b` hold the same numbers, NaN matching NaN.
func sameNumbers<Scalar: FloatingPoint>(_ a: [Scalar], _ b: [Scalar]) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }
}
