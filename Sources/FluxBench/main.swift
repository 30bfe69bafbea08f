// `make bench`: the workloads of ../shared/peers/README.md, and `csv` (against
// Tools/csv_loadtxt_bench.py, `make bench-csv`), one line each in the peers' format.
// Usage: flux-bench [workload ...]   (default: every workload but the `-memory` ones)
import Foundation

let workloads: [String: () -> Void] = [
    "gemm": benchGemm,
    "elementwise": benchElementwise,
    "tiny": benchTiny,
    "mlp": benchMLP,
    "chain": benchChain,
    "mlp-memory": benchMLPMemory,
    "csv": benchCSV,
    "lstm": benchLSTM,
    "conv": benchConv,
    "conv-memory": benchConvMemory,
    "lstm-memory": benchLSTMMemory,
]
checkAllocationCounter()  // before any number is printed
// The `-memory` workloads train for ~15-30 s, so they run only when asked for by name.
let order = ["gemm", "tiny", "mlp", "lstm", "conv", "elementwise", "chain", "csv"]
let asked = CommandLine.arguments.dropFirst()
for name in asked.isEmpty ? order[...] : asked {
    if let run = workloads[name] {
        run()
    } else {
        let known = (order + ["mlp-memory", "lstm-memory", "conv-memory"]).joined(separator: ", ")
        FileHandle.standardError.write(Data("flux-bench: no workload '\(name)' yet (known: \(known))\n".utf8))
    }
}
