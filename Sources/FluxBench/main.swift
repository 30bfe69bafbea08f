// `make bench`: the workloads of ../shared/peers/README.md, one line each in the peers' format.
// Usage: flux-bench [workload ...]   (default: every workload)
import Foundation

let workloads: [String: () -> Void] = [
    "gemm": benchGemm,
    "elementwise": benchElementwise,
    "tiny": benchTiny,
    "mlp": benchMLP,
    "chain": benchChain,
]
let order = ["gemm", "tiny", "mlp", "elementwise", "chain"]
let asked = CommandLine.arguments.dropFirst()
for name in asked.isEmpty ? order[...] : asked {
    if let run = workloads[name] {
        run()
    } else {
        let message = "flux-bench: no workload '\(name)' yet (known: \(order.joined(separator: ", ")))\n"
        FileHandle.standardError.write(Data(message.utf8))
    }
}
