import Flux
import FluxTesting
import Testing

private struct Experts: Model {
    var experts: [String: Dense<Double>]
    var scales: [Int: Tensor<Double>]
    func callAsFunction(_ x: Tensor<Double>) -> Tensor<Double> {
        experts["up"]!(experts["down"]!(x)) * scales[2]! + scales[1]!
    }
}

private struct Tag: Hashable { var name: String }
private struct Unordered: ParameterContainer {
    var table: [Tag: Tensor<Float>]
}

private func makeExperts(_ rng: inout RandomGenerator) -> Experts {
    Experts(
        experts: [
            "up": Dense<Double>(3, 2, activation: tanh, using: &rng),
            "down": Dense<Double>(4, 3, activation: tanh, using: &rng),
        ],
        scales: [2: Tensor(randomNormal: [2], using: &rng), 1: Tensor(randomNormal: [2], using: &rng)])
}

@Suite struct DictionaryParameterTests {
    /// Dictionaries with Comparable keys are parameter containers, walked in key order.
    @Test func parametersAreFoundInKeyOrderWithReadablePaths() {
        var rng = RandomGenerator(seed: 4)
        let model = makeExperts(&rng)
        #expect(
            model.parameters(of: Double.self).map(\.path) == [
                #"experts["down"].weight"#, #"experts["down"].bias"#, #"experts["up"].weight"#,
                #"experts["up"].bias"#, "scales[1]", "scales[2]",
            ])
        #expect(model.parameterCount == 12 + 3 + 6 + 2 + 2 + 2)
        #expect(model.summary.hasSuffix("total: 27 parameters in 6 tensors"))
    }

    /// Their gradients pass the gradient checker, and a model of them trains.
    @Test func gradientsAreRightAndTheModelTrains() {
        var rng = RandomGenerator(seed: 5)
        var model = makeExperts(&rng)
        let x = Tensor<Double>(randomNormal: [6, 4], using: &rng)
        let y = Tensor<Double>(randomNormal: [6, 2], using: &rng)
        let check = checkGradient(of: { meanSquaredError($0(x), y) }, at: model)
        #expect(check.worstRelativeError < 1e-6, "\(check)")
        #expect(check.checkedElements == 27)
        var optimizer = Adam(for: model, learningRate: 0.05)
        var losses: [Double] = []
        for _ in 0..<60 {
            let (loss, grad) = valueWithGradient(at: model) { meanSquaredError($0(x), y) }
            #expect(grad.experts["up"]!.weight.shape == [3, 2])
            optimizer.update(&model, along: grad)
            losses.append(loss)
        }
        #expect(losses.last! < losses.first! * 0.5, "\(losses.first!) → \(losses.last!)")
        #expect(optimizer.state[1].scales[2]!.shape == [2])
    }

    @Test func mismatchedKeysAndUnorderedKeysStop() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            var rng = RandomGenerator(seed: 6)
            let model = makeExperts(&rng)
            var optimizer = SGD(for: model, learningRate: 0.1, momentum: 0.9)
            var other = model
            other.experts["side"] = Dense<Double>(4, 3, activation: tanh, using: &rng)
            optimizer.update(&other, along: Gradient(zerosLike: other))
        }
        #expect(
            r.standardError.contains("optimizer: `experts` has other keys in the model than in the optimizer state"))
        let s = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Unordered(table: [Tag(name: "a"): Tensor([1])]).parameterCount
        }
        #expect(
            s.standardError.contains(
                "`table` of type Dictionary<Tag, Tensor<Float>> holds tensors inside a dictionary whose keys are not Comparable"
            ))
    }
}
