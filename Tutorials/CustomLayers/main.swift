// `swift run -c release custom-layers`: layers declared in a few lines (Layers.swift),
// composed into a two-branch network (Training.swift), trained on all ten digits.
import Flux
import Foundation

do {
    let (summary, reports) = try trainNetwork(steps: 200, reportEvery: 20)
    print(summary)
    print()
    for p in reports {
        print(
            "step \(p.step)\tloss \(String(format: "%.4f", Double(p.loss)))\ttest accuracy \(String(format: "%.1f%%", Double(p.testAccuracy) * 100))"
        )
    }
} catch {
    print("CustomLayers: \(error)")
    exit(1)
}
