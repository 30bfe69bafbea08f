import Flux
import FluxTesting
import Testing

private struct Empty: Model {
    var width = 3
    @Frozen var table = Tensor<Float>([1, 2])
    func callAsFunction(_ x: Tensor<Float>) -> Tensor<Float> { x * table.sum() }
}

@Suite struct EmptyModelTests {
    /// A gradient with respect to a model without parameters would be silently empty: it stops.
    @Test func gradientOfAModelWithoutParametersStops() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = gradient(at: Empty()) { m in m(Tensor([1, 2])).sum() }
        }
        #expect(r.standardError.contains("valueWithGradient: Empty has no parameters to differentiate"))
    }

    @Test func optimizerForAModelWithoutParametersStops() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Adam(for: Empty())
        }
        #expect(r.standardError.contains("optimizer: Empty has no parameters to train"))
    }

    /// `broadcast(to:)` is recorded: its gradient sums over the copies.
    @Test(arguments: 0..<6)
    func broadcastIsDifferentiable(seed: Int) {
        var gen = PropertyGenerator(seed: UInt64(900 + seed))
        let (small, other) = gen.broadcastableShapes()
        let target = (Tensor<Double>(zeros: small) + Tensor<Double>(zeros: other)).shape  // both stretch to it
        let x = gen.tensor(small)
        let r = gen.tensor(target)
        let check = checkGradient(of: { (xs: [Tensor<Double>]) in (xs[0].broadcast(to: target) * r).sum() }, at: [x])
        #expect(check.worstRelativeError < 1e-7, "\(small) → \(target): \(check)")
        #expect(gradient(at: x) { $0.broadcast(to: target).sum() }.scalars.allSatisfy { $0 >= 1 })
    }

    /// The positional short form builds for any scalar type.
    @Test func doubleDenseInThePositionalForm() {
        let layer = Dense<Double>(8, 16, relu)
        #expect(layer(Tensor(zeros: [2, 8])).shape == [2, 16])
        let float = Dense(8, 16, relu)  // still Float without an annotation
        #expect(float.weight.shape == [8, 16] && type(of: float) == Dense<Float>.self)
    }
}
