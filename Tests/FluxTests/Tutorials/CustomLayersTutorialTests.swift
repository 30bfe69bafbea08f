import Flux
import Testing

@testable import CustomLayersTutorial

@Suite struct CustomLayersTutorialTests {
    @Test func twoBranchNetworkLearnsTheDigits() throws {
        let (summary, reports) = try trainNetwork(steps: 20, reportEvery: 20)
        let (first, last) = (reports.first!, reports.last!)
        #expect(last.loss < first.loss * 0.25, "loss \(first.loss) -> \(last.loss)")
        #expect(last.testAccuracy > 0.85, "test accuracy \(last.testAccuracy)")
        #expect(summary.hasSuffix("total: 9002 parameters in 12 tensors"))
    }

    @Test func declaredLayersHaveCorrectGradients() {
        var rng = RandomGenerator(seed: 5)
        let x = Tensor<Float>(randomNormal: [4, 6], using: &rng)
        // The layers are Float; their gradients are checked against a centred difference in Float
        // with a loose tolerance here (the Double checks of the building blocks are elsewhere).
        let block = ResidualBlock(6, using: &rng)
        let g = gradient(at: block) { ($0(x) * $0(x)).mean() }
        let h: Float = 1e-2
        var plus = block
        plus.outer.bias[scalarAt: 0] += h
        var minus = block
        minus.outer.bias[scalarAt: 0] -= h
        let numeric = ((blockLoss(plus, x) - blockLoss(minus, x)) / (2 * h))
        #expect(abs(g.outer.bias[scalarAt: 0] - numeric) < 1e-2 * max(1, abs(numeric)))
        let unit = GatedUnit(6, 3, using: &rng)
        #expect(unit.parameterCount == 2 * (6 * 3 + 3))
    }
}

private func blockLoss(_ block: ResidualBlock, _ x: Tensor<Float>) -> Float { (block(x) * block(x)).mean().scalar }
