import Flux
import Testing

private struct Scale: Model {
    var weight: Tensor<Float>
    func callAsFunction(_ x: Tensor<Float>) -> Tensor<Float> { log(x * weight) }
}

@Suite struct FiniteValueCheckTests {
    /// Forward: the first operation whose result is not finite stops, with its inputs named.
    @Test func aNaNInTheForwardPassNamesTheOperationAndTheParameter() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let model = Scale(weight: Tensor([1, -1]))
            checkingFiniteValues {
                _ = gradient(at: model) { m in m(Tensor([2, 2])).sum() }
            }
        }
        #expect(r.standardError.contains("checkingFiniteValues: log(_:) gave NaN at element 1 of its result [2]"))
        #expect(r.standardError.contains("from input *(_:_:) [2]"))
    }

    /// Backward: an infinite gradient is caught where it is made, with the receiver's path.
    @Test func anInfiniteGradientNamesThePullbackAndTheParameter() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let model = Scale(weight: Tensor([0, 1]))
            checkingFiniteValues {
                _ = gradient(at: model) { m in sqrt(m.weight).sum() }
            }
        }
        #expect(
            r.standardError.contains(
                "checkingFiniteValues: the backward pass of sqrt(_:) sent +infinity at element 0 to the gradient of the parameter `weight` [2]"
            ))
    }

    /// Without the check, the same computations run (and give the non-finite values).
    @Test func withoutTheCheckNothingStops() {
        let model = Scale(weight: Tensor([0, 1]))
        let g = gradient(at: model) { m in sqrt(m.weight).sum() }
        #expect(g.weight.scalars[0] == .infinity)
        let finite = checkingFiniteValues {
            gradient(at: Scale(weight: Tensor([1, 2]))) { m in m(Tensor([1, 1])).sum() }
        }
        #expect(finite.weight.isApproximatelyEqual(to: Tensor([1, 0.5])))
    }

    @Test func optimizerSkipsOrStopsOnANonFiniteGradient() async {
        var model = Scale(weight: Tensor([1, 2]))
        var optimizer = SGD(for: model, learningRate: 0.1)
        optimizer.nonFiniteGradients = .skip
        optimizer.update(&model, along: Gradient(Scale(weight: Tensor([.nan, 1]))))
        #expect(model.weight == Tensor([1, 2]) && optimizer.skippedSteps == 1 && optimizer.step == 0)
        optimizer.update(&model, along: Gradient(Scale(weight: Tensor([1, 1]))))
        #expect(model.weight.isApproximatelyEqual(to: Tensor([0.9, 1.9])) && optimizer.step == 1)
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            var model = Scale(weight: Tensor([1, 2]))
            var optimizer = Adam(for: model)
            optimizer.nonFiniteGradients = .stop
            optimizer.update(&model, along: Gradient(Scale(weight: Tensor([1, -.infinity]))))
        }
        #expect(r.standardError.contains("optimizer: the gradient of `weight` holds -infinity at element 1 (step 1)"))
    }
}
