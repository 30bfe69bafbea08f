import Flux
import Testing

/// A gradient inside another gradient computation, and traced values that outlive theirs.
@Suite struct NestedGradientTests {
    /// The inner call differentiates at a value the outer one traces: it stops, naming the
    /// limitation, instead of returning a gradient that misses the outer dependency.
    @Test func innerGradientAtAnOuterTracedValueStops() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = gradient(at: Tensor<Double>([1, 2])) { x in
                gradient(at: x) { y in (y * y).sum() }.sum()
            }
        }
        #expect(r.standardError.contains("nested gradients (higher-order derivatives) are not supported"))
    }

    /// The inner function's result depends only on the outer computation's values.
    @Test func innerResultTracedByTheOuterComputationStops() async {
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = gradient(at: Tensor<Double>([1, 2])) { x in
                gradient(at: Tensor<Double>([3])) { _ in (x * x).sum() }.sum() + x.sum()
            }
        }
        #expect(r.standardError.contains("nested gradients (higher-order derivatives) are not supported"))
    }

    /// An inner computation on values of its own is independent of the outer one: allowed.
    @Test func independentInnerGradientIsFine() {
        let g = gradient(at: Tensor<Double>([1, 2])) { x in
            let inner = gradient(at: Tensor<Double>([3, 4])) { y in (y * y).sum() }  // [6, 8], a constant
            return (x * inner).sum()
        }
        #expect(g == Tensor([6, 8]))
    }

    /// A traced value kept from an ended computation is a constant in the next one.
    @Test func escapedTracedValueIsAConstant() async {
        var escaped: Tensor<Double>? = nil
        _ = gradient(at: Tensor<Double>([1, 2])) { x in
            let y = x * 3
            escaped = y
            return y.sum()
        }
        let kept = escaped!
        #expect(!kept.isTraced)
        // Used beside a new computation's values, it is a constant.
        #expect(gradient(at: Tensor<Double>([1, 1])) { z in (z * kept).sum() } == Tensor([3, 6]))
        let r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let kept = escapedTensor()
            _ = gradient(at: Tensor<Double>([1, 1])) { _ in kept.sum() }
        }
        #expect(
            r.standardError.contains("the result does not depend differentiably on the arguments"), "\(r.standardError)"
        )
    }
}

/// A tensor traced by a gradient computation that has ended.
private func escapedTensor() -> Tensor<Double> {
    var escaped: Tensor<Double>? = nil
    _ = gradient(at: Tensor<Double>([1, 2])) { x in
        escaped = x * 3
        return escaped!.sum()
    }
    return escaped!
}
