// `make bench`: the workloads of ../shared/peers/README.md, one line each in the peers' format.
// Usage: flux-bench [workload ...]   (default: every workload but `mlp-memory`)
import Foundation

let workloads: [String: () -> Void] = [
    "gemm": benchGemm,
    "elementwise": benchElementwise,
    "tiny": benchTiny,
    "mlp": benchMLP,
    "chain": benchChain,
    "mlp-memory": benchMLPMemory,
]
checkAllocationCounter()  // before any number is printed
// `mlp-memory` trains for ~30 s, so it runs only when asked for by name.
let order = ["gemm", "tiny", "mlp", "elementwise", "chain"]
let asked = CommandLine.arguments.dropFirst()
for name in asked.isEmpty ? order[...] : asked {
    if let run = workloads[name] {
        run()
    } else {
        let known = (order + ["mlp-memory"]).joined(separator: ", ")
        FileHandle.standardError.write(Data("flux-bench: no workload '\(name)' yet (known: \(known))\n".utf8))
    }
}
