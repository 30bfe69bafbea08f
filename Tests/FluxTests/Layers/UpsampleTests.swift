import Flux
import FluxTesting
import Testing

/// Upsampling by the definition, one output element at a time: nearest takes pixel
/// `⌊o / s⌋`; bilinear samples at PyTorch's half-pixel source `max((o + ½) / s − ½, 0)`.
private func referenceUpsample(_ x: Tensor<Double>, scale: Size2D, mode: UpsampleMode) -> Tensor<Double> {
    let (n, h, w, c) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (oh, ow) = (h * scale.height, w * scale.width)
    let xs = x.scalars
    func at(_ b: Int, _ i: Int, _ j: Int, _ k: Int) -> Double { xs[((b * h + i) * w + j) * c + k] }
    /// The two pixels on either side of output `o` and the weight of the second.
    func source(_ o: Int, _ s: Int, _ n: Int) -> (Int, Int, Double) {
        if mode == .nearest { return (o / s, o / s, 0) }
        let position = Swift.max((Double(o) + 0.5) / Double(s) - 0.5, 0)
        let low = Int(position.rounded(.down))
        return (low, Swift.min(low + 1, n - 1), position - Double(low))
    }
    var out: [Double] = []
    for b in 0..<n {
        for i in 0..<oh {
            let (i0, i1, a) = source(i, scale.height, h)
            for j in 0..<ow {
                let (j0, j1, e) = source(j, scale.width, w)
                for k in 0..<c {
                    let top = (1 - e) * at(b, i0, j0, k) + e * at(b, i0, j1, k)
                    let bottom = (1 - e) * at(b, i1, j0, k) + e * at(b, i1, j1, k)
                    out.append((1 - a) * top + a * bottom)
                }
            }
        }
    }
    return Tensor(shape: [n, oh, ow, c], scalars: out)
}

@Suite struct UpsampleTests {
    /// Small cases worked out by hand, the bilinear ones as PyTorch gives them
    /// (`F.interpolate(x, scale_factor=2, mode="bilinear", align_corners=False)`).
    @Test func handComputedCases() {
        let x = Tensor<Float>(shape: [1, 2, 2, 1], scalars: [1, 2, 3, 4])
        #expect(
            upsample2D(x, scale: 2).scalars == [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4])
        #expect(upsample2D(x, scale: [1, 3]).scalars == [1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4])
        // Sources along each axis: 0 (clamped from −0.25), 0.25, 0.75, 1.25 (past the last
        // pixel, which repeats): weights 0, ¼, ¾, 0 of the second pixel.
        #expect(
            upsample2D(x, scale: 2, mode: .bilinear).scalars == [
                1.0, 1.25, 1.75, 2.0,
                1.5, 1.75, 2.25, 2.5,
                2.5, 2.75, 3.25, 3.5,
                3.0, 3.25, 3.75, 4.0,
            ])
        // Scale 3 along a row of [0, 6]: sources 0 (clamped), 0, 1/3, 2/3, 1, 1 (clamped).
        let row = Tensor<Double>(shape: [1, 1, 2, 1], scalars: [0, 6])
        #expect(
            upsample2D(row, scale: [1, 3], mode: .bilinear).isApproximatelyEqual(
                to: Tensor(shape: [1, 1, 6, 1], scalars: [0, 0, 2, 4, 6, 6]), absoluteTolerance: 1e-12))
        // Two channels interpolate separately.
        let pair = Tensor<Float>(shape: [1, 1, 2, 2], scalars: [0, 10, 4, 20])
        #expect(upsample2D(pair, scale: [1, 2], mode: .bilinear).scalars == [0, 10, 1, 12.5, 3, 17.5, 4, 20])
    }

    /// Random shapes and scales against the definition, Float and Double, with gradients
    /// against finite differences.
    @Test func matchesTheDefinitionAndDifferentiates() {
        var gen = PropertyGenerator(seed: 121)
        for _ in 0..<24 {
            let shape = gen.shape(rank: 4...4, extent: 1...4)
            let scale = Size2D(Int.random(in: 1...3, using: &gen.random), Int.random(in: 1...3, using: &gen.random))
            let mode: UpsampleMode = Bool.random(using: &gen.random) ? .nearest : .bilinear
            let x = gen.tensor(shape)
            let expected = referenceUpsample(x, scale: scale, mode: mode)
            #expect(
                upsample2D(x, scale: scale, mode: mode).isApproximatelyEqual(to: expected), "\(shape) \(scale) \(mode)")
            #expect(
                upsample2D(Tensor<Float>(x), scale: scale, mode: mode).isApproximatelyEqual(
                    to: Tensor<Float>(expected), absoluteTolerance: 1e-5, relativeTolerance: 1e-5),
                "\(shape) \(scale) \(mode)")
            #expect(Upsample2D<Double>(scale: scale, mode: mode)(x) == upsample2D(x, scale: scale, mode: mode))
            let check = checkPullback(of: { upsample2D($0[0], scale: scale, mode: mode) }, at: [x])
            #expect(check.worstRelativeError < 1e-6, "\(shape) \(scale) \(mode): \(check)")
        }
        let layer = Chain {
            Upsample2D(scale: 2, mode: .bilinear); MaxPool2D(2)
        }
        #expect(layer(Tensor<Float>(zeros: [2, 3, 5, 4])).shape == [2, 3, 5, 4])
    }

    @Test func badInputStops() async {
        var r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = upsample2D(Tensor<Float>(zeros: [2, 3, 4]), scale: 2)
        }
        #expect(
            r.standardError.contains("upsample2D: input [2, 3, 4] is not [batch, height, width, channels]"),
            "\(r.standardError)")
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Chain {
                Flatten(); Upsample2D(scale: 2)
            }(Tensor<Float>(zeros: [2, 3, 4, 1]))
        }
        #expect(
            r.standardError.contains(
                "Upsample2D(scale: 2, mode: .nearest) at layers.1: input [2, 12] is not [batch, height, width, channels]"
            ),
            "\(r.standardError)")
        r = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Upsample2D(scale: [2, 0], mode: .bilinear)
        }
        #expect(
            r.standardError.contains("Upsample2D(scale: 2×0, mode: .bilinear): the scale must be positive"),
            "\(r.standardError)")
    }
}
