import Flux
import Testing

/// Every public operation on a traced tensor gives a traced result (so the gradient flows
/// through it), or is a documented constant: comparisons and masks, argmax/argmin, and the
/// closures of map and zip, which stop instead of cutting the gradient silently.
@Suite struct TracedOperationSweepTests {
    @Test func everyDifferentiableOperationKeepsTheTrace() {
        let x0 = Tensor<Double>([[0.5, -1.2, 2.0], [1.5, 0.3, -0.7]])
        let w0 = Tensor<Double>([[0.1, 0.2], [0.3, -0.4], [0.5, 0.6]])
        let b0 = Tensor<Double>([0.1, -0.2])
        let mask = Tensor<Bool>(shape: [2, 3], scalars: [true, false, true, false, true, false])
        let operations: [(String, (Tensor<Double>) -> Tensor<Double>)] = [
            ("+", { $0 + $0 }), ("-", { $0 - x0 }), ("*", { $0 * x0 }), ("/", { $0 / (x0 * x0 + 1) }),
            ("+ s", { $0 + 1 }), ("s -", { 1 - $0 }), ("* s", { $0 * 2 }), ("/ s", { $0 / 2 }),
            ("s /", { 1 / ($0 * $0 + 1) }),
            ("negate", { -$0 }), ("exp", exp), ("expm1", expm1), ("log", { log($0 * $0 + 1) }),
            ("log1p", { log1p($0 * $0) }), ("sqrt", { sqrt($0 * $0 + 1) }), ("rsqrt", { rsqrt($0 * $0 + 1) }),
            ("sin", sin), ("cos", cos), ("tanh", tanh), ("erf", erf), ("sigmoid", sigmoid), ("softplus", softplus),
            ("pow", { pow($0 * $0 + 1, $0) }), ("pow s", { pow($0, 3) }), ("s pow", { pow(2, $0) }),
            ("square", square), ("abs", abs), ("sign", sign), ("relu", relu), ("max", { max($0, x0 * 0.5) }),
            ("min", { min($0, 0.1) }), ("clamp", { clamp($0, min: -1, max: 1) }), ("select", { select(mask, $0, x0) }),
            ("replacing", { $0.replacing(with: 0, where: mask) }), ("leakyRelu", { leakyRelu($0) }),
            ("elu", { elu($0) }), ("gelu", gelu), ("swish", swish), ("silu", silu), ("softmax", { softmax($0) }),
            ("logSoftmax", { logSoftmax($0) }), ("identity", identity), ("sum", { $0.sum() }),
            ("sum axes", { $0.sum(alongAxes: 1) }), ("mean", { $0.mean(alongAxes: [0]) }),
            ("max axes", { $0.max(alongAxes: 1) }),
            ("min all", { $0.min() }), ("variance", { $0.variance(alongAxes: [1]) }),
            ("standardDeviation", { $0.standardDeviation(alongAxes: [0]) }),
            ("logSumExp", { $0.logSumExp(alongAxes: [1]) }),
            ("sum(toShape:)", { $0.sum(toShape: [1, 3]) }), ("broadcast(to:)", { $0.broadcast(to: [4, 2, 3]) }),
            ("reshaped", { $0.reshaped(to: [3, 2]) }), ("flattened", { $0.flattened() }), ("flatten", flatten),
            ("expandingShape", { $0.expandingShape(at: 0) }),
            ("squeezingShape", { $0.expandingShape(at: 1).squeezingShape() }),
            ("transposed", { $0.transposed() }), ("slice", { $0[1, 0..<2] }),
            ("concatenating", { Tensor(concatenating: [$0, x0]) }),
            ("stacking", { Tensor(stacking: [$0, $0], alongAxis: 1) }),
            ("split", { $0.split(count: 3, alongAxis: 1)[1] }),
            ("gathering", { $0.gathering(atIndices: Tensor([1, 0, 1])) }), ("matmul", { matmul($0, w0) }),
            ("affine", { affine($0, w0, b0) }), ("outer", { outer($0.flattened(), b0) }),
            ("dot as matmul", { matmul($0.flattened(), $0.flattened()) }),
            ("meanSquaredError", { meanSquaredError($0, x0) }), ("meanAbsoluteError", { meanAbsoluteError($0, x0) }),
            ("huberLoss", { huberLoss($0, x0) }),
            ("binaryCrossEntropy logits", { binaryCrossEntropy(logits: $0, targets: x0 * 0 + 1) }),
            ("binaryCrossEntropy probabilities", { binaryCrossEntropy(probabilities: sigmoid($0), targets: x0 * 0) }),
            ("softmaxCrossEntropy labels", { softmaxCrossEntropy(logits: $0, labels: Tensor([0, 2])) }),
            ("softmaxCrossEntropy probabilities", { softmaxCrossEntropy(logits: $0, probabilities: softmax(x0)) }),
            ("klDivergence", { klDivergence(predicted: softmax($0), target: softmax(x0)) }),
            ("logSigmoid", logSigmoid), ("softsign", softsign), ("selu", selu), ("celu", { celu($0) }), ("mish", mish),
            ("relu6", relu6), ("hardTanh", { hardTanh($0) }), ("hardSigmoid", hardSigmoid), ("hardSwish", hardSwish),
            ("gelu tanh", { gelu($0, approximation: .tanh) }), ("logCoshLoss", { logCoshLoss($0, x0) }),
            ("crossEntropy", { crossEntropy(probabilities: softmax($0), labels: Tensor([0, 2])) }),
            ("cumulativeSum", { $0.cumulativeSum(alongAxis: 1) }),
            ("padded", { $0.padded([(1, 0), (1, 1)], mode: .reflect) }),
            ("topK", { $0.topK(2).values }),
            ("conv2D", { conv2D($0.reshaped(to: [1, 2, 3, 1]), Tensor(ones: [2, 2, 1, 2]), padding: .same) }),
            ("conv1D", { conv1D($0.reshaped(to: [2, 3, 1]), Tensor(ones: [2, 1, 2]), bias: b0) }),
            (
                "transposedConv2D",
                { transposedConv2D($0.reshaped(to: [1, 2, 3, 1]), Tensor(ones: [2, 2, 3, 1]), stride: 2) }
            ),
            ("maxPool2D", { maxPool2D($0.reshaped(to: [1, 2, 3, 1]), window: 2, padding: .same) }),
            ("avgPool2D", { avgPool2D($0.reshaped(to: [1, 2, 3, 1]), window: [1, 2], stride: 1) }),
            ("maxPool1D", { maxPool1D($0.reshaped(to: [2, 3, 1]), window: 2) }),
            ("avgPool1D", { avgPool1D($0.reshaped(to: [2, 3, 1]), window: 2) }),
            ("globalMaxPool2D", { globalMaxPool2D($0.reshaped(to: [1, 2, 3, 1])) }),
            ("globalAvgPool2D", { globalAvgPool2D($0.reshaped(to: [1, 2, 3, 1])) }),
            ("globalMaxPool1D", { globalMaxPool1D($0.reshaped(to: [2, 3, 1])) }),
            ("globalAvgPool1D", { globalAvgPool1D($0.reshaped(to: [2, 3, 1])) }),
            ("upsample2D nearest", { upsample2D($0.reshaped(to: [1, 2, 3, 1]), scale: 2) }),
            ("upsample2D bilinear", { upsample2D($0.reshaped(to: [1, 2, 3, 1]), scale: 2, mode: .bilinear) }),
        ]
        for (name, f) in operations {
            var traced = false
            _ = gradient(at: x0) { x in
                let y = f(x)
                traced = y.isTraced
                return y.sum() + x.sum() * 0  // traced either way, so a cut shows as a failed expectation

            }
            #expect(traced, "\(name) cut the gradient")
        }
    }

    /// map and zip cannot differentiate their closures: on a traced tensor they stop.
    @Test func mapAndZipStopOnATracedTensor() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = gradient(at: Tensor<Double>([1, 2])) { x in x.map { $0 * 2 }.sum() }
        }
        #expect(
            r.standardError.contains("map: a tensor of shape [2] is being differentiated, and map's closure cannot be"))
        let s = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = gradient(at: Tensor<Double>([1, 2])) { x in Tensor<Double>([3, 4]).zip(x) { $0 * $1 }.sum() }
        }
        #expect(s.standardError.contains("zip: a tensor of shape [2] is being differentiated"))
        // On purpose: map over the untraced value.
        let g = gradient(at: Tensor<Double>([1, 2])) { x in (x * x.withoutDerivative.map { $0 * 2 }).sum() }
        #expect(g == Tensor([2, 4]))
    }
}
