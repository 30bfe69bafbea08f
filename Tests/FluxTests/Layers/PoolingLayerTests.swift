import Flux
import FluxTesting
import Testing

@Suite struct PoolingLayerTests {
    /// The layers are their operations, in a Float chain without type annotations and in a
    /// Double chain whose gradient checks out.
    @Test func layers() {
        var gen = PropertyGenerator(seed: 113)
        let x = gen.tensor([2, 6, 6, 3])
        let features = Chain {
            MaxPool2D(window: 3, stride: 1, padding: 1)
            AvgPool2D(2)
            GlobalMaxPool2D()
        }
        let expected = globalMaxPool2D(avgPool2D(maxPool2D(x, window: 3, stride: 1, padding: 1), window: 2))
        #expect(features(Tensor<Float>(x)).isApproximatelyEqual(to: Tensor<Float>(expected), relativeTolerance: 1e-6))
        var rng = RandomGenerator(seed: 114)
        let model = Chain(of: Double.self) {
            MaxPool2D<Double>(2)
            AvgPool2D<Double>(window: 2, stride: 1, padding: .same, countsPadding: false)
            Flatten<Double>()
            Dense<Double>(27, 4, activation: tanh, using: &rng)
        }
        #expect(model.parameters(of: Double.self).map(\.path) == ["layers.3.weight", "layers.3.bias"])
        let check = checkGradient(of: { m in (m(x) * m(x)).sum() }, at: model)
        #expect(check.worstRelativeError < 1e-6, "\(check)")
        let s = gen.tensor([2, 7, 3])
        #expect(
            MaxPool1D<Double>(window: 3, stride: 2, padding: 1)(s) == maxPool1D(s, window: 3, stride: 2, padding: 1))
        #expect(AvgPool1D<Double>(2)(s) == avgPool1D(s, window: 2))
        #expect(GlobalAvgPool1D<Double>()(s) == globalAvgPool1D(s))
        #expect(GlobalMaxPool1D<Double>()(s) == s.max(alongAxes: 1))
        #expect(GlobalAvgPool2D<Double>()(x).isApproximatelyEqual(to: x.mean(alongAxes: 1, 2)))
    }

    /// Flatten keeps the batch axis and the row-major order; the porting recipe in its
    /// documentation turns PyTorch's NCHW flatten and `Linear` weight into the same function.
    @Test func flattenAndThePyTorchOrder() {
        var gen = PropertyGenerator(seed: 115)
        let (n, h, w, c, outputs) = (3, 2, 4, 5, 6)
        let x = gen.tensor([n, h, w, c])
        #expect(Flatten<Double>()(x) == x.reshaped(to: [n, h * w * c]))
        #expect(Flatten<Double>()(Tensor([1, 2, 3])).shape == [3, 1])
        let torchWeight = gen.tensor([outputs, c * h * w])
        let torchResult = matmul(
            x.transposed(permutation: [0, 3, 1, 2]).reshaped(to: [n, c * h * w]), torchWeight.transposed())
        let weight = torchWeight.reshaped(to: [outputs, c, h, w]).transposed(permutation: [2, 3, 1, 0])
            .reshaped(to: [h * w * c, outputs])
        let ours = Chain(of: Double.self) {
            Flatten<Double>(); Dense(weight: weight, bias: Tensor(zeros: [outputs]))
        }
        #expect(ours(x).isApproximatelyEqual(to: torchResult, absoluteTolerance: 1e-12))
    }

    @Test func badInputStops() async {
        var r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = maxPool2D(Tensor<Float>(zeros: [2, 3]), window: 2)
        }
        #expect(
            r.standardError.contains("maxPool2D: input [2, 3] is not [batch, height, width, channels]"),
            "\(r.standardError)")
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = avgPool2D(Tensor<Float>(zeros: [1, 1, 3, 1]), window: 2)
        }
        #expect(
            r.standardError.contains(
                "avgPool2D: spatial input [1, 3] padded by valid is smaller than the window [2, 2]"),
            "\(r.standardError)")
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = maxPool2D(Tensor<Float>(zeros: [1, 2, 2, 1]), window: 2, padding: 2)
        }
        #expect(
            r.standardError.contains(
                "maxPool2D: input [1, 2, 2, 1] padded by 2 leaves a window 2 at stride 2 over padding only on spatial axis 0"
            ),
            "\(r.standardError)")
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = globalMaxPool1D(Tensor<Float>(zeros: [2, 5]))
        }
        #expect(
            r.standardError.contains("globalMaxPool1D: input [2, 5] is not [batch, length, channels]"),
            "\(r.standardError)")
    }

    @Test func badInputToALayerStops() async {
        var r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Chain {
                Dense<Float>(3, 4); MaxPool2D(2)
            }(Tensor<Float>(zeros: [2, 3]))
        }
        #expect(
            r.standardError.contains("MaxPool2D(2) at layers.1: input [2, 4] is not [batch, height, width, channels]"),
            "\(r.standardError)")
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Chain {
                MaxPool2D(2); AvgPool2D(window: 4, stride: 2, padding: 1)
            }(Tensor<Float>(zeros: [1, 2, 2, 1]))
        }
        #expect(
            r.standardError.contains(
                "AvgPool2D(window: 4, stride: 2, padding: 1): spatial input [1, 1] padded by 1 is smaller than the window [4, 4]"
            ) && r.standardError.contains("(inside layers.1)"), "\(r.standardError)")
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = MaxPool1D(0)
        }
        #expect(
            r.standardError.contains("MaxPool1D(0): the window and the stride must be positive"), "\(r.standardError)")
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Chain {
                GlobalAvgPool2D(); Dense(4, 2)
            }(Tensor<Float>(zeros: [2, 0, 3, 4]))
        }
        #expect(
            r.standardError.contains(
                "GlobalAvgPool2D at layers.0: input [2, 0, 3, 4] has no position to pool ([batch, height, width, channels])"
            ),
            "\(r.standardError)")
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Flatten()(Tensor<Float>(3))
        }
        #expect(r.standardError.contains("Flatten: input [] has no batch axis"), "\(r.standardError)")
    }
}
