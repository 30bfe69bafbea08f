// `make fuzz`: mutated CSV, IDX and safetensors files against their readers, for a time budget.
// Usage: flux-fuzz [seconds (60)] [seed (1)] [csv|idx|safetensors|all (all)]; with `all` the seconds
// are shared equally. Exits with 1 when an input fails.
import Foundation

let usage = "usage: flux-fuzz [seconds] [seed] [csv|idx|safetensors|all]\n"
var arguments = Array(CommandLine.arguments.dropFirst())
let target = arguments.count == 3 ? arguments.removeLast() : "all"
let numbers = arguments.map { Double($0) }
guard numbers.count <= 2, !numbers.contains(nil), ["csv", "idx", "safetensors", "all"].contains(target) else {
    FileHandle.standardError.write(Data(usage.utf8))
    exit(2)
}
let seconds = numbers.first.flatMap { $0 } ?? 60
let seed = UInt64(numbers.dropFirst().first.flatMap { $0 } ?? 1)
let targets = target == "all" ? ["csv", "idx", "safetensors"] : [target]
var failed = false
for name in targets {
    let share = seconds / Double(targets.count)
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("flux-fuzz-\(seed).\(name)").path
    print(
        "flux-fuzz \(name): seed \(seed), \(share) s; each input is written to \(path) first,"
            + " so after a trap it holds the input")
    fflush(nil)
    var fuzzer: any FileFuzzer =
        switch name {
        case "csv": CSVFuzzer(seed: seed, path: path)
        case "idx": IDXFuzzer(seed: seed, path: path)
        default: SafeTensorsFuzzer(seed: seed, path: path)
        }
    fuzzer.run(seconds: share)
    let (tried, accepted, failures) = (fuzzer.tried, fuzzer.accepted, fuzzer.failures)
    try? FileManager.default.removeItem(atPath: path)
    for failure in failures { print("FAIL \(name) \(failure)") }
    print(
        "flux-fuzz \(name): \(tried) inputs tried (\(accepted) read, \(tried - accepted) rejected),"
            + " \(failures.count) failures")
    failed = failed || !failures.isEmpty
}
exit(failed ? 1 : 0)
