import Flux
import Testing

@testable import PerceptronTutorial

@Suite struct PerceptronTutorialTests {
    @Test func learnsInAShortRun() throws {
        let reports = try trainPerceptron(steps: 40, reportEvery: 20)
        let (first, last) = (reports.first!, reports.last!)
        #expect(last.loss < first.loss * 0.5, "loss \(first.loss) -> \(last.loss)")
        #expect(last.testAccuracy > 0.9, "test accuracy \(last.testAccuracy)")
    }

    @Test func sameSeedGivesABitIdenticalRun() throws {
        let a = try trainPerceptron(steps: 5, reportEvery: 1, seed: 3)
        let b = try trainPerceptron(steps: 5, reportEvery: 1, seed: 3)
        #expect(a.map(\.loss) == b.map(\.loss))
        #expect(a.map(\.testAccuracy) == b.map(\.testAccuracy))
    }

    @Test func updatingLeavesThePreviousModelBitForBit() {
        var rng = RandomGenerator(seed: 1)
        let model = Perceptron(4, 1, using: &rng)
        let before = (model.W.scalars, model.b.scalars)
        let x = Tensor<Float>(randomNormal: [3, 4], using: &rng)
        let grad = gradient(at: model) { m in m(x).sum() }
        var optimizer = Adam(for: model, learningRate: 0.1)
        var next = model
        optimizer.update(&next, along: grad)
        #expect(model.W.scalars == before.0 && model.b.scalars == before.1)
        #expect(next.W.scalars != before.0)
    }

    @Test func missingDataFileIsThrownWithItsPath() {
        #expect(throws: DataFileError.self) { try Tensor<Float>(contentsOfCSV: "/nonexistent/digits.csv") }
        do {
            _ = try Tensor<Float>(contentsOfCSV: "/nonexistent/digits.csv")
        } catch {
            #expect("\(error)".contains("/nonexistent/digits.csv"))
        }
    }
}
