import Flux
import FluxTesting
import Testing

@Suite struct MoreActivationTests {
    /// Reverse mode against finite differences in Double on random inputs (smooth functions)
    /// and on inputs away from the kinks (piecewise ones).
    @Test(arguments: 0..<6)
    func gradientsMatchFiniteDifferences(seed: Int) {
        var gen = PropertyGenerator(seed: UInt64(1100 + seed))
        let shape = gen.shape(rank: 1...3)
        let x = gen.tensorAwayFromZero(shape, gap: 0.1) * 2
        // Away from every kink (−3, −1, 0, 1, 3, 6): x.5 points spread over [−5, 8].
        let kinkFree = Tensor<Double>(shape: shape, scalars: (0..<x.count).map { Double($0 % 13) - 4.5 })
        let smooth: [(String, (Tensor<Double>) -> Tensor<Double>)] = [
            ("logSigmoid", logSigmoid), ("softsign", softsign), ("selu", selu), ("celu", { celu($0, alpha: 0.7) }),
            ("mish", mish), ("gelu", gelu), ("gelu tanh", { gelu($0, approximation: .tanh) }),
        ]
        let piecewise: [(String, (Tensor<Double>) -> Tensor<Double>)] = [
            ("relu6", relu6), ("hardTanh", { hardTanh($0) }), ("hardSigmoid", hardSigmoid), ("hardSwish", hardSwish),
        ]
        for (name, f, input) in smooth.map({ ($0.0, $0.1, x) }) + piecewise.map({ ($0.0, $0.1, kinkFree) }) {
            let check = checkPullback(of: { f($0[0]) }, at: [input], seed: UInt64(seed))
            #expect(check.worstRelativeError < 1e-6, "\(name) \(shape): \(check)")
        }
        let y = gen.tensor(shape)
        let loss = checkGradient(of: { logCoshLoss($0[0], $0[1]) }, at: [x, y])
        #expect(loss.worstRelativeError < 1e-6, "logCoshLoss: \(loss)")
    }

    /// Values at points where PyTorch's functions are known.
    @Test func valuesMatchPyTorch() {
        func at(_ f: (Tensor<Double>) -> Tensor<Double>, _ x: Double) -> Double { f(Tensor([x])).scalars[0] }
        let cases: [(String, Double, Double)] = [
            ("selu 1", at(selu, 1), 1.0507009873554805), ("selu -1", at(selu, -1), -1.1113307378125628),
            ("celu -1", at({ celu($0) }, -1), -0.6321205588285577), ("mish 1", at(mish, 1), 0.8650983882673103),
            ("softsign", at(softsign, 1), 0.5), ("logSigmoid", at(logSigmoid, 0), -0.6931471805599453),
            ("relu6", at(relu6, 7), 6), ("hardTanh", at({ hardTanh($0) }, 2), 1),
            ("hardSigmoid", at(hardSigmoid, 0), 0.5), ("hardSwish", at(hardSwish, 1), 2.0 / 3),
            ("gelu tanh", at({ gelu($0, approximation: .tanh) }, 1), 0.8411919906082768),
            ("gelu", at(gelu, 1), 0.8413447460685429),
        ]
        for (name, got, want) in cases { #expect(abs(got - want) < 1e-12, "\(name): \(got) vs \(want)") }
        // The exact GELU keeps its relative accuracy far into the negative tail.
        let tail = at(gelu, -10)
        #expect(abs(tail / -7.619853024160526e-23 - 1) < 1e-12, "\(tail)")
        let expected: Double = (0.4337808304830271 + 1000 - 0.6931471805599453) / 2
        let logCosh = logCoshLoss(Tensor<Double>([1, 1000]), Tensor<Double>([0, 0])).scalar
        #expect(abs(logCosh - expected) < 1e-9)
        let p = Tensor<Double>([[0.25, 0.75], [0.5, 0.5]])
        #expect(abs(crossEntropy(probabilities: p, labels: Tensor([1, 0])).scalar - 0.4904146265058631) < 1e-12)
        let g = gradient(at: p) { crossEntropy(probabilities: $0, labels: Tensor([1, 0])) }
        let minusOneOverP: Double = -1 / 1.5
        #expect(g.isApproximatelyEqual(to: Tensor<Double>(shape: [2, 2], scalars: [0, minusOneOverP, -1, 0])))
    }
}
