import Flux
import FluxTesting
import Testing

// Gradients on edge inputs: every differentiable operation at rank 0, at extents of 1 and
// on empty tensors. Where the input has elements the vector-Jacobian product agrees with
// central finite differences; where it has none, the gradient is an empty tensor of the
// input's shape, and a parameter that an empty batch passes through gets a zero gradient
// (a sum over no examples). NaN and ±∞ reach the gradient only where the derivative has them.

/// A differentiable operation, the shapes it takes, and how it is applied to them.
private struct EdgeOperation {
    let name: String
    let takes: ([Int]) -> Bool
    let f: (Tensor<Double>) -> Tensor<Double>

    init(
        _ name: String, takes: @escaping ([Int]) -> Bool = { _ in true },
        _ f: @escaping (Tensor<Double>) -> Tensor<Double>
    ) {
        (self.name, self.takes, self.f) = (name, takes, f)
    }
}

/// Whether a shape has an axis, and the last one has elements (for extrema and top-k).
private func hasLastAxis(_ s: [Int]) -> Bool { !s.isEmpty }
private func lastAxisFilled(_ s: [Int]) -> Bool { (s.last ?? 0) > 0 }

private func edgeOperations() -> [EdgeOperation] {
    let c = Tensor<Double>(0.75)
    return [
        EdgeOperation("exp", exp), EdgeOperation("expm1", expm1), EdgeOperation("log", log),
        EdgeOperation("log1p", log1p),
        EdgeOperation("sqrt", sqrt), EdgeOperation("rsqrt", rsqrt), EdgeOperation("sin", sin),
        EdgeOperation("cos", cos),
        EdgeOperation("tanh", tanh), EdgeOperation("erf", erf), EdgeOperation("sigmoid", sigmoid),
        EdgeOperation("softplus", softplus), EdgeOperation("square", square), EdgeOperation("abs", abs),
        EdgeOperation("relu", relu), EdgeOperation("negate") { -$0 }, EdgeOperation("pow 3") { pow($0, 3) },
        EdgeOperation("pow base") { pow(2, $0) }, EdgeOperation("pow both") { pow($0, $0) },
        EdgeOperation("max") { max($0, c) }, EdgeOperation("min") { min(c, $0) },
        EdgeOperation("clamp") { clamp($0, min: 0.5, max: 1) }, EdgeOperation("select") { select($0 .> c, $0, $0 * 3) },
        EdgeOperation("arithmetic") { ($0 * $0 - $0 + 1) / ($0 + c) }, EdgeOperation("leakyRelu") { leakyRelu($0) },
        EdgeOperation("elu") { elu($0) }, EdgeOperation("gelu", gelu),
        EdgeOperation("gelu tanh") { gelu($0, approximation: .tanh) },
        EdgeOperation("swish", swish), EdgeOperation("mish", mish), EdgeOperation("logSigmoid", logSigmoid),
        EdgeOperation("softsign", softsign), EdgeOperation("selu", selu), EdgeOperation("celu") { celu($0) },
        EdgeOperation("relu6") { relu6($0 * 8) }, EdgeOperation("hardTanh") { hardTanh($0) },
        EdgeOperation("hardSigmoid") { hardSigmoid($0 * 4) }, EdgeOperation("hardSwish") { hardSwish($0 * 4) },
        EdgeOperation("sum") { $0.sum() }, EdgeOperation("mean") { $0.mean() },
        EdgeOperation("variance") { $0.variance() },
        EdgeOperation("logSumExp") { $0.logSumExp() },
        EdgeOperation("max all", takes: { !$0.contains(0) }) { $0.max() },
        EdgeOperation("min all", takes: { !$0.contains(0) }) { $0.min() },
        EdgeOperation("sum axis", takes: hasLastAxis) { $0.sum(alongAxes: 0) },
        EdgeOperation("mean axis", takes: hasLastAxis) { $0.mean(alongAxes: [-1], keepingDimensions: true) },
        EdgeOperation("variance axis", takes: hasLastAxis) { $0.variance(alongAxes: [0]) },
        EdgeOperation("standardDeviation", takes: hasLastAxis) { $0.standardDeviation(alongAxes: [-1]) },
        EdgeOperation("logSumExp axis", takes: hasLastAxis) { $0.logSumExp(alongAxes: [-1]) },
        EdgeOperation("max axis", takes: lastAxisFilled) { $0.max(alongAxes: -1) },
        EdgeOperation("min axis", takes: lastAxisFilled) { $0.min(alongAxes: [-1], keepingDimensions: true) },
        EdgeOperation("softmax", takes: hasLastAxis) { softmax($0) },
        EdgeOperation("logSoftmax", takes: hasLastAxis) { logSoftmax($0, alongAxis: 0) },
        EdgeOperation("cumulativeSum", takes: hasLastAxis) { $0.cumulativeSum(alongAxis: -1) },
        EdgeOperation("topK", takes: hasLastAxis) { $0.topK(Swift.min(2, $0.shape.last!)).values },
        EdgeOperation("padded") { $0.padded($0.shape.map { _ in (before: 1, after: 2) }, mode: .constant(3)) },
        EdgeOperation("padded reflect") { $0.padded($0.shape.map { $0 > 1 ? (1, 1) : (0, 0) }, mode: .reflect) },
        EdgeOperation("gathering", takes: hasLastAxis) { x in
            x.gathering(atIndices: Tensor<Int>(x.shape[0] == 0 ? [] : [0, -1, 0]))
        },
        EdgeOperation("broadcast") { $0.broadcast(to: [2] + $0.shape) },
        EdgeOperation("sum(toShape:)") { $0.sum(toShape: $0.shape.map { _ in 1 }) },
        EdgeOperation("reshaped") { $0.reshaped(to: [-1]) }, EdgeOperation("transposed") { $0.transposed() },
        EdgeOperation("expandingShape") { $0.expandingShape(at: 0) },
        EdgeOperation("squeezingShape") { $0.squeezingShape() },
        EdgeOperation("slice", takes: hasLastAxis) { $0[0..<Swift.min(1, $0.shape[0])] },
        EdgeOperation("concatenating", takes: hasLastAxis) { Tensor(concatenating: [$0, $0 * 2]) },
        EdgeOperation("stacking") { Tensor(stacking: [$0, $0 * 2]) },
        EdgeOperation("split", takes: hasLastAxis) { $0.split(sizes: [0, $0.shape[0]])[1] },
        EdgeOperation("meanSquaredError") { meanSquaredError($0, Tensor(zerosLike: $0)) },
        EdgeOperation("meanAbsoluteError") { meanAbsoluteError($0, Tensor(zerosLike: $0)) },
        EdgeOperation("huberLoss") { huberLoss($0 * 3, Tensor(zerosLike: $0)) },
        EdgeOperation("logCoshLoss") { logCoshLoss($0, Tensor(zerosLike: $0)) },
        EdgeOperation("binaryCrossEntropy") { binaryCrossEntropy(logits: $0, targets: Tensor(onesLike: $0)) },
        EdgeOperation("binaryCrossEntropy p") {
            binaryCrossEntropy(probabilities: sigmoid($0), targets: Tensor(onesLike: $0))
        },
        EdgeOperation("softmaxCrossEntropy p", takes: hasLastAxis) {
            softmaxCrossEntropy(logits: $0, probabilities: softmax($0 * 0))
        },
        EdgeOperation("klDivergence", takes: hasLastAxis) {
            klDivergence(predicted: softmax($0), target: softmax($0 * 0))
        },
    ]
}

/// The shapes the gradients are taken at: rank 0, extents of 1, empty along each axis.
private let gradientShapes: [[Int]] = [[], [1], [1, 1, 1], [2, 1, 3], [0], [0, 3], [3, 0], [2, 0, 1]]

/// Positive, distinct values (in every function's domain, no ties for extrema), `x[i] = 0.3 + 0.17 i`.
private func distinct(_ shape: [Int]) -> Tensor<Double> {
    let count = shape.contains(0) ? 0 : shape.reduce(1, *)
    return Tensor(shape: shape, scalars: (0..<count).map { 0.3 + 0.17 * Double($0) })
}

@Suite struct EdgeInputGradientSweepTests {
    @Test func everyOperationDifferentiatesAtTheEdges() {
        for operation in edgeOperations() {
            for shape in gradientShapes where operation.takes(shape) {
                let x = distinct(shape)
                let (value, pullback) = valueWithPullback(at: x, of: operation.f)
                let g = pullback(Tensor(ones: value.shape))
                #expect(g.shape == shape, "\(operation.name) at \(shape): gradient \(g.shape)")
                guard x.count > 0 else { continue }
                let check = checkPullback(of: { operation.f($0[0]) }, at: [x])
                #expect(check.worstRelativeError < 1e-6, "\(operation.name) at \(shape): \(check)")
            }
        }
    }

    /// A huge extent without elements: every gradient is empty, and nothing loops over the rows.
    @Test func gradientsOfHugeEmptyTensors() {
        let x = Tensor<Double>(zeros: [1 << 40, 0])
        let functions: [(String, (Tensor<Double>) -> Tensor<Double>)] = [
            ("exp", { exp($0).sum() }), ("gelu", { gelu($0).mean() }), ("variance", { $0.variance() }),
            ("logSumExp", { $0.logSumExp() }), ("softmax", { softmax($0).sum() }),
            ("logSoftmax", { logSoftmax($0, alongAxis: 0).sum() }), ("max", { $0.max(alongAxes: 0).sum() }),
            ("cumulativeSum", { $0.cumulativeSum(alongAxis: 0).sum() }), ("transposed", { $0.transposed().sum() }),
            ("broadcast", { $0.broadcast(to: [2, 1 << 40, 0]).sum() }), ("topK", { $0.topK(0).values.sum() }),
            ("matmul", { matmul($0.expandingShape(at: 2), Tensor(ones: [1, 3])).sum() }),
            ("meanSquaredError", { meanSquaredError($0, Tensor(zerosLike: $0)) }),
        ]
        for (name, f) in functions {
            #expect(gradient(at: x, of: f).shape == [1 << 40, 0], "\(name)")
        }
    }

    /// Every operation's gradient at NaN and ±∞ is made without a stop, of the input's shape.
    @Test func everyOperationDifferentiatesAtSpecialValues() {
        let x: Tensor<Double> = specialTensor([3, 4])
        for operation in edgeOperations() {
            let (value, pullback) = valueWithPullback(at: x, of: operation.f)
            #expect(pullback(Tensor(ones: value.shape)).shape == [3, 4], "\(operation.name)")
        }
    }

    /// The derivatives at NaN and ±∞ that have a value: the limits of the derivative formula.
    @Test func gradientsAtSpecialValuesAreTheDerivatives() {
        let x = Tensor<Double>([.nan, .infinity, -.infinity, 0])
        #expect(
            gradient(at: x) { exp($0).sum() }.isApproximatelyEqual(
                to: Tensor([.nan, .infinity, 0, 1]), equalNaNs: true))
        #expect(
            gradient(at: x) { sigmoid($0).sum() }.isApproximatelyEqual(to: Tensor([.nan, 0, 0, 0.25]), equalNaNs: true))
        #expect(gradient(at: x) { tanh($0).sum() }.isApproximatelyEqual(to: Tensor([.nan, 0, 0, 1]), equalNaNs: true))
        #expect(gradient(at: x) { relu($0).sum() } == Tensor([0, 1, 0, 0]), "relu passes nothing back at NaN")
        #expect(gradient(at: x) { (2 * $0).sum() }.isApproximatelyEqual(to: Tensor([2, 2, 2, 2])))
        // max and min send the gradient to the element they chose, a NaN included (PyTorch's rule).
        #expect(gradient(at: Tensor<Double>([.nan, 1, 2])) { $0.max() } == Tensor([1, 0, 0]))
        #expect(gradient(at: Tensor<Double>([1, .nan, .nan])) { $0.min() } == Tensor([0, 0.5, 0.5]))
        let rows = Tensor<Double>(shape: [2, 2], scalars: [.nan, 1, 3, .infinity])
        #expect(gradient(at: rows) { $0.max(alongAxes: 1).sum() } == Tensor(shape: [2, 2], scalars: [1, 0, 0, 1]))
        // Masked (−∞) logits send no gradient back, through log-sum-exp, softmax and the losses.
        let masked = Tensor<Double>(shape: [1, 3], scalars: [-.infinity, 0, 0])
        #expect(gradient(at: masked) { $0.logSumExp() } == Tensor(shape: [1, 3], scalars: [0, 0.5, 0.5]))
        let target = Tensor<Double>([[0, 1, 0]])
        let fused = gradient(at: masked) { softmaxCrossEntropy(logits: $0, labels: Tensor([1])) }
        let composed = gradient(at: masked) { softmaxCrossEntropy(logits: $0, probabilities: target) }
        #expect(fused == Tensor([[0, -0.5, 0.5]]) && composed.isApproximatelyEqual(to: fused))
        // The standard deviation over one element is 0 whatever it is: its derivative is 0.
        #expect(
            gradient(at: Tensor<Double>([[4], [5]])) { $0.standardDeviation(alongAxes: [1]).sum() }
                == Tensor([[0], [0]]))
    }

    /// matmul and affine with extents of 0: the gradient of an operand that an empty product
    /// passes through is zero (a sum over nothing), and BLAS is never called on an empty matrix.
    @Test func productGradientsWithZeroExtents() {
        for (m, k, n) in [(0, 3, 2), (3, 0, 2), (3, 2, 0), (0, 0, 0), (1, 1, 1)] {
            let (a, b, bias) = (distinct([m, k]), distinct([k, n]), distinct([n]))
            let (ga, gb) = gradient(at: a, b) { matmul($0, $1).sum() }
            #expect(
                ga == matmul(Tensor(ones: [m, n]), b, transposeB: true)
                    && gb == matmul(a, Tensor(ones: [m, n]), transposeA: true))
            let (gx, gw, gbias) = gradient(at: a, b, bias) { affine($0, $1, $2).sum() }
            #expect(gx == ga && gw == gb && gbias == Tensor(shape: [n], repeating: Double(m)))
        }
        // An empty batch against a shared matrix: the shared operand's gradient is zero.
        let shared = distinct([3, 4])
        #expect(gradient(at: shared) { matmul(Tensor(zeros: [0, 2, 3]), $0).sum() } == Tensor(zeros: [3, 4]))
        #expect(
            gradient(at: distinct([1, 2, 3])) { matmul($0, Tensor(ones: [0, 3, 4])).sum() } == Tensor(zeros: [1, 2, 3]))
        let (ga, gb) = gradient(at: distinct([0, 2, 3]), distinct([1, 3, 4])) { matmul($0, $1).sum() }
        #expect(ga.shape == [0, 2, 3] && gb == Tensor(zeros: [1, 3, 4]))
        #expect(gradient(at: distinct([0])) { matmul($0, $0) }.shape == [0], "an empty inner product")
        #expect(gradient(at: distinct([0]), distinct([2])) { outer($0, $1).sum() }.1 == Tensor(zeros: [2]))
    }

    @Test func gradientsStopNamingTheOperation() async {
        var r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = gradient(at: Tensor<Double>(zeros: [0])) { $0 * 2 }
        }
        #expect(stopped(r, naming: "valueWithGradient: the function returned shape [0]; a gradient needs one element"))
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let (_, pullback) = valueWithPullback(at: Tensor<Double>(zeros: [0, 2])) { $0.sum(alongAxes: 1) }
            _ = pullback(Tensor(zeros: [2]))
        }
        #expect(stopped(r, naming: "pullback: a gradient of shape [2] for a result of shape [0]"))
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = checkingFiniteValues { gradient(at: Tensor<Double>(zeros: [0, 2])) { $0.mean() } }
        }
        #expect(stopped(r, naming: "checkingFiniteValues: /(_:_:) gave NaN at element 0 of its result []"))
    }
}
