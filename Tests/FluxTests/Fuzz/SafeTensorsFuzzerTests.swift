import Foundation
import Testing

@testable import FluxFuzz

/// A short run of `make fuzz`'s safetensors part: 2,000 mutated files, each read without a
/// trap and as the reference reader reads it (the same tensors and metadata, or a
/// `CheckpointError` naming the file).
@Suite struct SafeTensorsFuzzerTests {
    @Test func mutatedFilesAreReadOrRejectedNeverMisread() {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "flux-fuzz-\(UUID().uuidString).safetensors"
        )
        .path
        defer { try? FileManager.default.removeItem(atPath: path) }
        var fuzzer = SafeTensorsFuzzer(seed: 2, path: path)
        fuzzer.run(inputs: 2_000)
        #expect(fuzzer.tried == 2_000)
        #expect(fuzzer.failures.isEmpty, "\(fuzzer.failures.prefix(5).joined(separator: "\n"))")
        // Both outcomes occur, or the check would be one-sided.
        #expect(fuzzer.accepted > 100 && fuzzer.accepted < 1_900)
    }
}
