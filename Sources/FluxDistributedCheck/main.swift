// `flux-distributed-check SCENARIO`: the FluxDistributed tests' program, run by
// Tests/FluxDistributedTests under `mpirun -np 2`. Every process prints `rank R: ok …` or
// `rank R: FAIL …` lines and exits 1 if any check failed; the test reads the output.
import Flux
import FluxDistributed
import Foundation

let scenario = CommandLine.arguments.dropFirst().first ?? ""
switch scenario {
case "collectives": Communicator.run { try checkCollectives($0) }
case "equivalence": Communicator.run { try checkEquivalence($0) }
case "mismatch-broadcast": Communicator.run { try checkBroadcastMismatch($0) }
case "mismatch-gradient": Communicator.run { try checkGradientMismatch($0) }
case "failure": Communicator.run { try failOnRankOne($0) }
case "crash": Communicator.run { try crashOnRankOne($0) }
case "exit":
    do { try exitOnRankOne() } catch { print("rank ?: \(error)") }
default:
    print(
        "usage: flux-distributed-check collectives|equivalence|mismatch-broadcast|mismatch-gradient|failure|crash|exit")
    exit(2)
}
