// `make fuzz`: mutated CSV files against the reader, for a time budget.
// Usage: flux-fuzz [seconds (60)] [seed (1)]; exits with 1 when an input fails.
import Foundation

let arguments = CommandLine.arguments.dropFirst().map { Double($0) }
guard arguments.count <= 2, !arguments.contains(nil) else {
    FileHandle.standardError.write(Data("usage: flux-fuzz [seconds] [seed]\n".utf8))
    exit(2)
}
let seconds = arguments.first.flatMap { $0 } ?? 60
let seed = UInt64(arguments.dropFirst().first.flatMap { $0 } ?? 1)
let path = FileManager.default.temporaryDirectory.appendingPathComponent("flux-fuzz-\(seed).csv").path
print(
    "flux-fuzz: seed \(seed), \(seconds) s; each input is written to \(path) first, so after a trap it holds the input")
fflush(nil)
var fuzzer = CSVFuzzer(seed: seed, path: path)
fuzzer.run(seconds: seconds)
try? FileManager.default.removeItem(atPath: path)
for failure in fuzzer.failures { print("FAIL \(failure)") }
print(
    "flux-fuzz: \(fuzzer.tried) inputs tried (\(fuzzer.accepted) read, \(fuzzer.tried - fuzzer.accepted) rejected),"
        + " \(fuzzer.failures.count) failures")
exit(fuzzer.failures.isEmpty ? 0 : 1)
