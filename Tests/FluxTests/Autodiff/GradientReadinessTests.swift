import FluxTesting
import Testing

@testable import Flux

/// A weight used at every step of a loop (as a recurrent weight is), one used once, and one
/// the loss never reads.
private struct Looped: ParameterContainer {
    var input: Tensor<Double>
    var recurrent: Tensor<Double>
    var unused: Tensor<Double>
}

/// A model with parameters of both floating-point types.
private struct Mixed: ParameterContainer {
    var single: Tensor<Float>
    var double: Tensor<Double>
}

/// Each parameter's gradient as it was handed out, and the order.
private struct Reports {
    var order: [Int] = []
    var scalars: [Int: [Double]] = [:]

    mutating func record(_ index: Int, _ gradient: AnyParameter) {
        #expect(scalars[index] == nil, "parameter \(index) reported twice")
        order.append(index)
        // A copy of the values now: a later write into the gradient would not show otherwise.
        switch gradient {
        case .float(let t): scalars[index] = t.scalars.map(Double.init)
        case .double(let t): scalars[index] = t.scalars
        }
    }
}

@Suite struct GradientReadinessTests {
    /// On random chains, every parameter is reported once, with the value it ends with (so it
    /// was complete when reported), the last layer's before the earlier ones'; value and
    /// gradient are those of ``valueWithGradient(at:of:)``, bit for bit.
    @Test func chainsReportEachGradientOnceCompleteAndLastLayersFirst() {
        var gen = PropertyGenerator(seed: 811)
        for _ in 0..<20 {
            let depth = Int.random(in: 1...4, using: &gen.random)
            let widths = (0...depth).map { _ in Int.random(in: 1...6, using: &gen.random) }
            let layers = (0..<depth).map { i in
                Dense<Double>(widths[i], widths[i + 1], activation: tanh, using: &gen.random)
            }
            let model = LayerArray(layers)
            let x = gen.tensor([Int.random(in: 1...5, using: &gen.random), widths[0]])
            var reports = Reports()
            let (value, gradient) = valueWithGradient(at: model, reportingEach: { reports.record($0, $1) }) { m in
                (m(x) * m(x)).sum()
            }
            let plain = valueWithGradient(at: model) { m in (m(x) * m(x)).sum() }
            #expect(value == plain.value)
            let final = gradient.tensors(of: Double.self).map(\.tensor.scalars)
            #expect(final == plain.gradient.tensors(of: Double.self).map(\.tensor.scalars))
            #expect(reports.order.sorted() == Array(0..<2 * depth))
            for (index, scalars) in final.enumerated() { #expect(reports.scalars[index] == scalars) }
            // Layer i's weight and bias are parameters 2i and 2i + 1.
            let layerOrder = reports.order.map { $0 / 2 }
            #expect(layerOrder == layerOrder.sorted(by: >), "\(reports.order)")
        }
    }

    /// A weight used at every step is complete after its first use (the last one the backward
    /// pass reaches), its deferred products summed then; an unused one comes last, as zeros.
    @Test func aLoopedWeightIsReportedAfterItsFirstUseAndAnUnusedOneLast() {
        var gen = PropertyGenerator(seed: 812)
        for _ in 0..<10 {
            let (n, k) = (Int.random(in: 1...4, using: &gen.random), Int.random(in: 1...5, using: &gen.random))
            let model = Looped(input: gen.tensor([k, k]), recurrent: gen.tensor([k, k]), unused: gen.tensor([2]))
            let xs = (0..<Int.random(in: 1...4, using: &gen.random)).map { _ in gen.tensor([n, k]) }
            func loss(_ m: Looped) -> Tensor<Double> {
                var h = Tensor<Double>(zeros: [n, k])
                for x in xs { h = tanh(matmul(x, m.input) + matmul(h, m.recurrent)) }
                return h.sum()
            }
            var reports = Reports()
            let (_, reported) = valueWithGradient(at: model, reportingEach: { reports.record($0, $1) }, of: loss)
            let plain = gradient(at: model, of: loss)
            #expect(reported.recurrent == plain.recurrent && reported.input == plain.input)
            #expect(reports.scalars[0] == plain.input.scalars)
            #expect(reports.scalars[1] == plain.recurrent.scalars)
            #expect(reports.scalars[2] == [0, 0])
            #expect(reports.order.last == 2)
        }
    }

    /// A model of Float and Double parameters (whose gradients cross a pair of tapes) has every
    /// gradient reported at the end of the pass, in declaration order.
    @Test func mixedPrecisionReportsAtTheEndInDeclarationOrder() {
        let model = Mixed(single: Tensor<Float>([1, 2]), double: Tensor<Double>([3, 4]))
        var reports = Reports()
        let (value, gradient) = valueWithGradient(at: model, reportingEach: { reports.record($0, $1) }) { m in
            (Tensor<Double>(m.single) * m.double).sum()
        }
        #expect(value == 11)
        #expect(reports.order == [0, 1])
        #expect(reports.scalars[0] == [3, 4] && reports.scalars[1] == [1, 2])
        #expect(gradient.single == Tensor<Float>([3, 4]))
    }
}
