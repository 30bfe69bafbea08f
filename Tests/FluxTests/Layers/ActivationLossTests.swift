import Flux
import FluxTesting
import Testing

@Suite struct ActivationLossTests {
    @Test(arguments: 0..<5)
    func activationGradients(seed: Int) {
        var gen = PropertyGenerator(seed: UInt64(300 + seed))
        let shape = gen.shape(rank: 1...3)
        let x = gen.tensorAwayFromZero(shape, gap: 0.1)
        var rng = RandomGenerator(seed: UInt64(seed))
        let r = Tensor<Double>(randomNormal: shape, using: &rng)
        let functions: [(String, (Tensor<Double>) -> Tensor<Double>)] = [
            ("leakyRelu", { leakyRelu($0, slope: 0.1) }), ("elu", { elu($0) }), ("gelu", gelu), ("swish", swish),
            ("silu", silu), ("softmax", { softmax($0) }), ("logSoftmax first axis", { logSoftmax($0, alongAxis: 0) }),
            ("identity", identity),
        ]
        for (name, f) in functions {
            let result = checkGradient(of: { (f($0[0]) * r).sum() }, at: [x])
            #expect(result.worstRelativeError < 1e-6, "\(name) \(shape): \(result)")
        }
    }

    @Test(arguments: 0..<5)
    func lossGradients(seed: Int) {
        var gen = PropertyGenerator(seed: UInt64(400 + seed))
        let (batch, classes) = (Int.random(in: 1...5, using: &gen.random), Int.random(in: 2...6, using: &gen.random))
        let z = gen.tensor([batch, classes]) * 3
        let y = gen.tensor([batch, classes])
        let p = gen.tensor([batch, classes], in: 0.05..<0.95)
        let t = gen.tensor([batch, classes], in: 0..<1)
        let labels = Tensor<Int>(randomIntegers: [batch], in: 0..<classes, using: &gen.random)
        let targets = softmax(gen.tensor([batch, classes]))
        let losses: [(String, [Tensor<Double>], ([Tensor<Double>]) -> Tensor<Double>)] = [
            ("mse", [z, y], { meanSquaredError($0[0], $0[1]) }),
            ("mae", [z, y], { meanAbsoluteError($0[0], $0[1]) }),
            ("huber", [z, y], { huberLoss($0[0], $0[1], delta: 0.7) }),
            ("bce probabilities", [p], { binaryCrossEntropy(probabilities: $0[0], targets: t) }),
            ("bce logits", [z, t], { binaryCrossEntropy(logits: $0[0], targets: $0[1]) }),
            ("softmax CE labels", [z], { softmaxCrossEntropy(logits: $0[0], labels: labels) }),
            ("softmax CE targets", [z, targets], { softmaxCrossEntropy(logits: $0[0], probabilities: $0[1]) }),
            ("KL", [targets, softmax(y)], { klDivergence(predicted: $0[1], target: $0[0]) }),
        ]
        for (name, inputs, f) in losses {
            let result = checkGradient(of: f, at: inputs)
            #expect(result.worstRelativeError < 1e-6, "\(name): \(result)")
        }
    }

    @Test func valuesAgainstHandComputedNumbers() {
        let z = Tensor<Double>([[1, 2, 3], [1, 1, 1]])
        let lse: Double = Double.log(Double.exp(1) + Double.exp(2) + Double.exp(3))
        let expected = (lse - 3 + Double.log(3)) / 2
        #expect(abs(softmaxCrossEntropy(logits: z, labels: Tensor<Int>([2, 0])).scalar - expected) < 1e-12)
        let onehot = Tensor<Double>([[0, 0, 1], [1, 0, 0]])
        #expect(abs(softmaxCrossEntropy(logits: z, probabilities: onehot).scalar - expected) < 1e-12)
        #expect(meanSquaredError(Tensor<Double>([1, 2]), Tensor([0, 0])).scalar == 2.5)
        #expect(huberLoss(Tensor<Double>([0.5, 3]), Tensor([0, 0])).scalar == (0.125 + 2.5) / 2)
        #expect(softmax(Tensor<Double>([0, 0])).scalars == [0.5, 0.5])
    }

    @Test func stableAtExtremes() {
        let big = Tensor<Float>([[1000, -1000], [-1000, 1000]])
        #expect(softmax(big).scalars == [1, 0, 0, 1])
        #expect(softmaxCrossEntropy(logits: big, labels: Tensor<Int>([0, 1])).scalar == 0)
        #expect(softmaxCrossEntropy(logits: big, labels: Tensor<Int>([1, 0])).scalar == 2000)
        let bce = binaryCrossEntropy(logits: Tensor<Float>([100, -100]), targets: Tensor<Float>([0, 1]))
        #expect(bce.scalar == 100)
        #expect(
            binaryCrossEntropy(probabilities: Tensor<Float>([0, 1]), targets: Tensor<Float>([1, 0])).scalar.isFinite)
        #expect(
            klDivergence(predicted: Tensor<Float>([0.5, 0.5]), target: Tensor<Float>([0, 1])).scalar == Float.log(2))
    }

    @Test func badLabelsAndShapesStop() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = softmaxCrossEntropy(logits: Tensor<Float>(zeros: [2, 3]), labels: Tensor<Int>([0, 3]))
        }
        #expect(r.standardError.contains("softmaxCrossEntropy: label 3 at example 1 is outside 0..<3"))
        let s = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = meanSquaredError(Tensor<Float>(zeros: [2, 3]), Tensor<Float>(zeros: [3, 2]))
        }
        #expect(s.standardError.contains("meanSquaredError: predictions [2, 3] and targets [3, 2] differ in shape"))
    }
}
