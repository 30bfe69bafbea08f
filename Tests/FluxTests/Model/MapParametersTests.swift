import Flux
import Testing

/// A model with parameters of both scalar types, in a nested struct and an array.
private struct Mixed: ParameterContainer {
    var head: Dense<Float>
    var tails: [Tensor<Double>]
}

@Suite struct MapParametersTests {
    @Test func transformsEveryParameterInOrder() {
        var rng = RandomGenerator(seed: 4)
        var model = Mixed(
            head: Dense<Float>(3, 2, using: &rng),
            tails: [Tensor(randomNormal: [2], using: &rng), Tensor(randomNormal: [4], using: &rng)])
        let before = model
        var seen: [String] = []
        model.mapParameters { p in
            switch p {
            case .float(let t): p = .float(t * 2); seen.append("float \(t.shape)")
            case .double(let t): p = .double(t - 1); seen.append("double \(t.shape)")
            }
        }
        #expect(seen == ["float [3, 2]", "float [2]", "double [2]", "double [4]"])
        #expect(model.head.weight == before.head.weight * 2)
        #expect(model.tails[1] == before.tails[1] - 1)
    }

    @Test func changingAParametersScalarTypeStops() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            var model = Mixed(head: Dense<Float>(weight: Tensor(zeros: [1, 1]), bias: Tensor(zeros: [1])), tails: [])
            model.mapParameters { p in
                if case .float(let t) = p { p = .double(Tensor(t)) }
            }
        }
        #expect(
            r.standardError.contains(
                "mapParameters: `head.weight` is a Float tensor; the transform returned one of another scalar type"),
            "\(r.standardError)")
    }
}
