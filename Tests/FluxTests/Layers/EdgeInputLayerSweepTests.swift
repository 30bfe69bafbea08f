import Flux
import Foundation
import Testing

// Activations, losses, dense layers and compositions on edge inputs. Activations keep the
// shape (empty, rank 0, huge) and give their PyTorch formula's IEEE value at NaN and ±∞;
// losses over an empty batch are NaN (a mean over no elements) with an empty gradient,
// and over examples without classes 0; a dense layer or a chain maps an empty batch
// `[0, inputs]` to `[0, outputs]`, and its parameters' gradient there is zero.

/// The activations with their formulas in `Double`, written as PyTorch writes them.
private func activations<T: TensorFloatingPoint>(
    _: T.Type
) -> [(String, (Tensor<T>) -> Tensor<T>, (Double) -> Double)] {
    let (lambda, alpha) = (1.0507009873554804934193349852946, 1.6732632423543772848170429916717)
    let c = (2 / Double.pi).squareRoot()
    return [
        ("relu6", relu6, { $0.isNaN ? .nan : Swift.min(Swift.max($0, 0), 6) }),
        ("hardTanh", { hardTanh($0) }, { $0.isNaN ? .nan : Swift.min(Swift.max($0, -1), 1) }),
        ("hardSigmoid", hardSigmoid, { $0 <= -3 ? 0 : $0 >= 3 ? 1 : $0 / 6 + 0.5 }),
        ("hardSwish", hardSwish, { $0 <= -3 ? 0 : $0 >= 3 ? $0 : $0 * ($0 + 3) / 6 }),
        ("leakyRelu", { leakyRelu($0) }, { $0 > 0 ? $0 : 0.01 * $0 }),
        ("elu", { elu($0, alpha: 2) }, { $0 > 0 ? $0 : 2 * Foundation.expm1($0) }),
        ("selu", selu, { lambda * ($0 > 0 ? $0 : alpha * Foundation.expm1($0)) }),
        ("celu", { celu($0, alpha: 0.5) }, { $0 > 0 ? $0 : 0.5 * Foundation.expm1($0 / 0.5) }),
        ("gelu", gelu, { $0 * Foundation.erfc(-$0 / 2.squareRoot()) / 2 }),
        (
            "gelu tanh", { gelu($0, approximation: .tanh) },
            { $0 * (1 + Foundation.tanh(c * ($0 + 0.044715 * $0 * $0 * $0))) / 2 }
        ),
        ("swish", swish, { $0 / (1 + Foundation.exp(-$0)) }), ("silu", silu, { $0 / (1 + Foundation.exp(-$0)) }),
        ("mish", mish, { $0 * Foundation.tanh(Foundation.log1p(Foundation.exp($0))) }),
        ("logSigmoid", logSigmoid, { -Foundation.log1p(Foundation.exp(-$0)) }),
        ("softsign", softsign, { $0 / (1 + Swift.abs($0)) }), ("identity", identity, { $0 }),
    ]
}

/// The losses of predictions and targets of one shape, each with its naive formula over
/// the pairs of elements (a mean: NaN over none).
private func elementwiseLosses() -> [(
    String, (Tensor<Double>, Tensor<Double>) -> Tensor<Double>, (Double, Double) -> Double
)] {
    [
        ("meanSquaredError", meanSquaredError, { ($0 - $1) * ($0 - $1) }),
        ("meanAbsoluteError", meanAbsoluteError, { Swift.abs($0 - $1) }),
        (
            "huberLoss", { huberLoss($0, $1) },
            { Swift.abs($0 - $1) <= 1 ? ($0 - $1) * ($0 - $1) / 2 : Swift.abs($0 - $1) - 0.5 }
        ),
        ("logCoshLoss", logCoshLoss, { Foundation.log(Foundation.cosh($0 - $1)) }),
        (
            "binaryCrossEntropy logits", { binaryCrossEntropy(logits: $0, targets: $1) },
            { z, y in Swift.max(z, 0) - z * y + Foundation.log1p(Foundation.exp(-Swift.abs(z))) }
        ),
    ]
}

/// The naive mean, NaN for no elements.
private func naiveMean(_ terms: [Double]) -> Double { terms.reduce(0, +) / Double(terms.count) }

@Suite struct EdgeInputLayerSweepTests {
    @Test func floatActivationsOnEdgeShapesAndSpecialValues() {
        expectElementwiseSweep(activations(Float.self), tolerance: 1e-6)
    }

    @Test func doubleActivationsOnEdgeShapesAndSpecialValues() {
        expectElementwiseSweep(activations(Double.self), tolerance: 1e-13)
    }

    /// Each elementwise loss against the mean of its naive formula, on rank 0, one element,
    /// pairs of special values, and empty batches (NaN).
    @Test func elementwiseLossesOnEdgeInputs() {
        for (name, loss, term) in elementwiseLosses() {
            for (k, shape) in ([[], [1], [12], [3, 4]] + [[0], [0, 3], [3, 0], [1 << 40, 0]]).enumerated() {
                let (p, t): (Tensor<Double>, Tensor<Double>) = (
                    specialTensor(shape, offset: k), specialTensor(shape, offset: 5 + k)
                )
                let targets =
                    name.hasPrefix("binary")
                    ? t.replacing(with: 1, where: t .> 1 .| t.isNaN).replacing(with: 0, where: t .< 0) : t
                let expected = naiveMean(zip(p.scalars, targets.scalars).map(term))
                let y = loss(p, targets)
                #expect(
                    y.shape == [] && agrees(y.scalar, expected, tolerance: 1e-14),
                    "\(name) \(shape): \(y.scalar), not \(expected)")
            }
        }
    }

    @Test func crossEntropiesOnEdgeInputs() {
        let none = Tensor<Double>(zeros: [0, 3])
        #expect(softmaxCrossEntropy(logits: none, labels: Tensor<Int>(zeros: [0])).scalar.isNaN)
        #expect(
            softmaxCrossEntropy(logits: Tensor<Double>(zeros: [0, 0]), labels: Tensor<Int>(zeros: [0])).scalar.isNaN)
        #expect(softmaxCrossEntropy(logits: none, probabilities: none).scalar.isNaN)
        #expect(crossEntropy(probabilities: none, labels: Tensor<Int>(zeros: [0])).scalar.isNaN)
        #expect(klDivergence(predicted: none, target: none).scalar.isNaN)
        #expect(binaryCrossEntropy(probabilities: none, targets: none).scalar.isNaN)
        // Examples without classes: nothing to sum, a loss of 0 for each.
        let classless = Tensor<Double>(zeros: [3, 0])
        #expect(softmaxCrossEntropy(logits: classless, probabilities: classless).scalar == 0)
        #expect(klDivergence(predicted: classless, target: classless).scalar == 0)
        // One class: always right, a loss of 0; a rank-0 distribution is one example.
        #expect(softmaxCrossEntropy(logits: Tensor<Double>([[7], [-3]]), labels: Tensor([0, 0])).scalar == 0)
        #expect(softmaxCrossEntropy(logits: Tensor<Double>([[7]]), probabilities: Tensor<Double>([[1]])).scalar == 0)
        #expect(crossEntropy(probabilities: Tensor<Double>([[1]]), labels: Tensor([0])).scalar == 0)
        #expect(
            klDivergence(predicted: Tensor<Double>(0.25), target: Tensor<Double>(0.5)).scalar == 0.5 * Foundation.log(2)
        )
        // Masked classes (−∞ logits) cost nothing; NaN anywhere gives NaN; an infinite logit
        // gives what PyTorch's formula gives (∞ − ∞ = NaN).
        let masked = Tensor<Double>(shape: [2, 3], scalars: [-.infinity, 0, 0, 1, -.infinity, 1])
        #expect(
            close(
                softmaxCrossEntropy(logits: masked, labels: Tensor([1, 2])).scalar, Foundation.log(2), tolerance: 1e-15)
        )
        #expect(
            close(
                softmaxCrossEntropy(logits: masked, probabilities: softmax(masked)).scalar, Foundation.log(2),
                tolerance: 1e-15))
        let nan = Tensor<Double>(shape: [1, 3], scalars: [0, .nan, 1])
        #expect(softmaxCrossEntropy(logits: nan, labels: Tensor([0])).scalar.isNaN)
        #expect(softmaxCrossEntropy(logits: nan, probabilities: Tensor([[1, 0, 0]])).scalar.isNaN)
        #expect(crossEntropy(probabilities: nan, labels: Tensor([1])).scalar.isNaN)
        #expect(klDivergence(predicted: nan, target: Tensor([[0, 0.5, 0.5]])).scalar.isNaN)
        #expect(
            softmaxCrossEntropy(logits: Tensor<Double>(shape: [1, 2], scalars: [.infinity, 1]), labels: Tensor([0]))
                .scalar.isNaN)
        // Probabilities at 0 and 1 are clamped: finite losses.
        #expect(crossEntropy(probabilities: Tensor<Double>([[0, 1]]), labels: Tensor([0])).scalar.isFinite)
        #expect(binaryCrossEntropy(probabilities: Tensor<Double>([0, 1]), targets: Tensor([1, 0])).scalar.isFinite)
    }

    @Test func denseLayersOnEdgeBatches() {
        var rng = RandomGenerator(seed: 3)
        let dense = Dense<Float>(3, 2, activation: tanh, using: &rng)
        for (shape, expected) in [
            ([0, 3], [0, 2]), ([3], [2]), ([1, 3], [1, 2]), ([2, 0, 3], [2, 0, 2]),
            ([1 << 40, 0, 3], [1 << 40, 0, 2]),
        ] {
            #expect(dense(Tensor(zeros: shape)).shape == expected, "Dense(3 → 2) on \(shape)")
        }
        let x = Tensor<Float>(shape: [3, 3], scalars: [1, 2, 3, .nan, 0, 0, .infinity, 0, 0])
        let y = dense(x)
        #expect(y.isApproximatelyEqual(to: tanh(matmul(x, dense.weight) + dense.bias), equalNaNs: true))
        #expect(y.isNaN.scalars == [false, false, true, true, false, false], "a NaN spoils only its own row")
        let noInputs = Dense<Float>(weight: Tensor(zeros: [0, 2]), bias: Tensor([1, -1]))
        #expect(noInputs(Tensor(zeros: [4, 0])) == Tensor(shape: [4, 2], scalars: [1, -1, 1, -1, 1, -1, 1, -1]))
        #expect(Dense<Float>(3, 0, using: &rng)(Tensor(ones: [4, 3])).shape == [4, 0])
        #expect(Dense<Double>(0, 0, using: &rng)(Tensor(zeros: [5, 0])).shape == [5, 0])
        let chain = Chain {
            Dense<Float>(3, 4, activation: relu, using: &rng)
            LayerArray([Dense<Float>(4, 4, activation: gelu, using: &rng)])
            SkipConnection(Dense<Float>(4, 4, using: &rng))
            Parallel(concatenatingAlongAxis: -1) {
                Dense<Float>(4, 1, using: &rng); Dense<Float>(4, 2, using: &rng)
            }
            softmax
        }
        #expect(chain(Tensor(zeros: [0, 3])).shape == [0, 3] && chain(Tensor(zeros: [3])).shape == [3])
        #expect(LayerArray<Dense<Float>>([])(Tensor(zeros: [0, 7])).shape == [0, 7])
        // An empty batch: the loss is NaN (a mean over nothing) or 0 (a sum), and no parameter moves.
        let (loss, g) = valueWithGradient(at: chain) { m in
            meanSquaredError(m(Tensor(zeros: [0, 3])), Tensor(zeros: [0, 3]))
        }
        #expect(loss.isNaN && g.tensors().allSatisfy { $0.tensor == Tensor(zerosLike: $0.tensor) })
        let summed = gradient(at: dense) { m in m(Tensor(zeros: [0, 3])).sum() }
        #expect(summed.weight == Tensor(zeros: [3, 2]) && summed.bias == Tensor(zeros: [2]))
    }

    @Test func layersStopNamingTheOperation() async {
        var r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = hardTanh(Tensor<Float>(zeros: [0]), minimum: 1, maximum: -1)
        }
        #expect(stopped(r, naming: "hardTanh: the minimum 1.0 is not at most the maximum -1.0"))
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = celu(Tensor<Double>(zeros: [2]), alpha: 0)
        }
        #expect(stopped(r, naming: "celu: alpha is 0"))
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Dense<Float>(weight: Tensor(zeros: [3, 2]), bias: Tensor(zeros: [2]))(Tensor(5))
        }
        #expect(stopped(r, naming: "Dense(3 → 2): input [], expected last dimension 3"))
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Dense<Float>(weight: Tensor(zeros: [3, 2]), bias: Tensor(zeros: [2]))(Tensor(zeros: [0, 4]))
        }
        #expect(stopped(r, naming: "Dense(3 → 2): input [0, 4]"))
    }

    @Test func lossesStopNamingTheOperation() async {
        var r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = meanSquaredError(Tensor<Float>(zeros: [0]), Tensor<Float>(zeros: [0, 1]))
        }
        #expect(stopped(r, naming: "meanSquaredError: predictions [0] and targets [0, 1] differ in shape"))
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = softmaxCrossEntropy(logits: Tensor<Float>(zeros: [2, 0]), labels: Tensor<Int>(zeros: [2]))
        }
        #expect(stopped(r, naming: "softmaxCrossEntropy: label 0 at example 0 is outside 0..<0"))
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = softmaxCrossEntropy(logits: Tensor<Float>(1), probabilities: Tensor<Float>(1))
        }
        #expect(stopped(r, naming: "softmaxCrossEntropy: logits of shape [] have no axis of classes"))
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = crossEntropy(probabilities: Tensor<Float>(zeros: [2, 3]), labels: Tensor<Int>([1, 3]))
        }
        #expect(stopped(r, naming: "crossEntropy: label 3 at example 1 is outside 0..<3"))
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = crossEntropy(probabilities: Tensor<Float>(zeros: [0]), labels: Tensor<Int>(zeros: [0]))
        }
        #expect(stopped(r, naming: "crossEntropy: probabilities [0] and labels [0]"))
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = crossEntropy(probabilities: Tensor<Float>(zeros: [0, 3]), labels: Tensor<Int>(zeros: [0]), epsilon: 2)
        }
        #expect(stopped(r, naming: "crossEntropy: epsilon 2.0 is above 1"))
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = binaryCrossEntropy(probabilities: Tensor<Double>(0.5), targets: Tensor<Double>(1), epsilon: 0.75)
        }
        #expect(stopped(r, naming: "binaryCrossEntropy: epsilon 0.75 is above 1/2"))
    }
}
