import Flux
import FluxTesting
import Testing

/// One random pooling: an NHWC shape, the settings, and the padding they mean on each axis
/// (worked out here independently of the library).
private struct PoolingCase: CustomStringConvertible {
    var shape: [Int], window: Size2D, stride: Size2D, padding: Padding
    var pads: [(before: Int, after: Int)]
    var description: String { "\(shape) window \(window) stride \(stride) padding \(padding)" }

    /// A random case; `height: 1` makes it a 1-D one (window and stride 1 along the height).
    static func random(_ gen: inout PropertyGenerator, height fixed: Int? = nil) -> PoolingCase {
        func draw(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &gen.random) }
        let window = Size2D(fixed == 1 ? 1 : draw(1...3), draw(1...3))
        let stride = draw(0...2) == 0 ? window : Size2D(fixed == 1 ? 1 : draw(1...3), draw(1...3))
        var extents = [fixed ?? draw(1...8), draw(1...8)]
        let k = window.extents
        var (padding, pads): (Padding, [(before: Int, after: Int)]) = (.valid, [(0, 0), (0, 0)])
        switch draw(0...3) {
        case 0:
            break
        case 1:
            padding = .same
            pads = (0..<2).map { i in
                let s = stride.extents[i]
                let total = Swift.max(((extents[i] + s - 1) / s - 1) * s + k[i] - extents[i], 0)
                return (total / 2, total - total / 2)
            }
        case 2:
            let (b, a) = (k.map { draw(0...($0 / 2)) }, k.map { draw(0...($0 / 2)) })
            padding = .explicit(before: b, after: a)
            pads = [(b[0], a[0]), (b[1], a[1])]
        default:
            let p = draw(0...(k.min()! / 2))
            padding = .symmetric(p)
            pads = [(p, p), (p, p)]
        }
        for i in 0..<2 where extents[i] + pads[i].before + pads[i].after < k[i] { extents[i] = k[i] }
        let shape = [draw(1...3)] + extents + [draw(1...5)]
        return PoolingCase(shape: shape, window: window, stride: stride, padding: padding, pads: pads)
    }
}

/// Pooling by the definition: every window position, every tap, padding skipped.
private func referencePool<T: TensorFloatingPoint>(
    _ x: Tensor<T>, _ c: PoolingCase, max: Bool, countsPadding: Bool = true
) -> Tensor<T> {
    let (n, h, w, channels) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (kh, kw, sh, sw) = (c.window.height, c.window.width, c.stride.height, c.stride.width)
    let oh = (h + c.pads[0].before + c.pads[0].after - kh) / sh + 1
    let ow = (w + c.pads[1].before + c.pads[1].after - kw) / sw + 1
    let xs = x.scalars
    var out: [T] = []
    for b in 0..<n {
        for i in 0..<oh {
            for j in 0..<ow {
                for k in 0..<channels {
                    var (best, sum, count) = (-T.infinity, T(0), 0)
                    for di in 0..<kh {
                        for dj in 0..<kw {
                            let (r, s) = (i * sh - c.pads[0].before + di, j * sw - c.pads[1].before + dj)
                            guard r >= 0, r < h, s >= 0, s < w else { continue }
                            let v = xs[((b * h + r) * w + s) * channels + k]
                            (best, sum, count) = (Swift.max(best, v), sum + v, count + 1)
                        }
                    }
                    out.append(max ? best : sum / T(countsPadding ? kh * kw : count))
                }
            }
        }
    }
    return Tensor(shape: [n, oh, ow, channels], scalars: out)
}

@Suite struct PoolingTests {
    /// Max and average pooling, 2-D and 1-D, in Float and Double, against the definition.
    @Test func forwardMatchesTheDefinition() {
        var gen = PropertyGenerator(seed: 111)
        for _ in 0..<60 {
            let c = PoolingCase.random(&gen)
            let x = gen.tensor(c.shape)
            let counts = Bool.random(using: &gen.random)
            #expect(
                maxPool2D(x, window: c.window, stride: c.stride, padding: c.padding) == referencePool(x, c, max: true),
                "\(c)")
            let mean = avgPool2D(x, window: c.window, stride: c.stride, padding: c.padding, countsPadding: counts)
            #expect(mean.isApproximatelyEqual(to: referencePool(x, c, max: false, countsPadding: counts)), "\(c)")
            let xf = Tensor<Float>(x)
            #expect(
                maxPool2D(xf, window: c.window, stride: c.stride, padding: c.padding)
                    == referencePool(xf, c, max: true), "\(c)")
            let meanF = avgPool2D(xf, window: c.window, stride: c.stride, padding: c.padding, countsPadding: counts)
            #expect(
                meanF.isApproximatelyEqual(
                    to: referencePool(xf, c, max: false, countsPadding: counts), absoluteTolerance: 1e-6,
                    relativeTolerance: 1e-5), "\(c)")
        }
        for _ in 0..<30 {
            let c = PoolingCase.random(&gen, height: 1)
            let x = gen.tensor(c.shape)
            let sequence = x.reshaped(to: [c.shape[0], c.shape[2], c.shape[3]])
            let padding: Padding =
                switch c.padding {
                case .explicit(let before, let after): .explicit(before: [before.last!], after: [after.last!])
                default: c.padding
                }
            let (k, s) = (c.window.width, c.stride.width)
            let expectedMax = referencePool(x, c, max: true)
            #expect(
                maxPool1D(sequence, window: k, stride: s, padding: padding).reshaped(to: expectedMax.shape)
                    == expectedMax, "\(c)")
            let expectedMean = referencePool(x, c, max: false, countsPadding: false)
            let mean = avgPool1D(sequence, window: k, stride: s, padding: padding, countsPadding: false)
            #expect(mean.reshaped(to: expectedMean.shape).isApproximatelyEqual(to: expectedMean), "\(c)")
        }
    }

    /// Gradients of every pooling against finite differences (random Doubles: no ties).
    @Test func gradientsMatchFiniteDifferences() {
        var gen = PropertyGenerator(seed: 112)
        for _ in 0..<24 {
            let c = PoolingCase.random(&gen)
            let x = gen.tensor(c.shape)
            let counts = Bool.random(using: &gen.random)
            let max = checkPullback(
                of: { maxPool2D($0[0], window: c.window, stride: c.stride, padding: c.padding) }, at: [x])
            #expect(max.worstRelativeError < 1e-6, "\(c): \(max)")
            let mean = checkPullback(
                of: { avgPool2D($0[0], window: c.window, stride: c.stride, padding: c.padding, countsPadding: counts) },
                at: [x])
            #expect(mean.worstRelativeError < 1e-6, "\(c): \(mean)")
            let globals = checkPullback(of: { globalMaxPool2D($0[0]) + globalAvgPool2D($0[0]) }, at: [x])
            #expect(globals.worstRelativeError < 1e-6, "\(c): \(globals)")
            let sequence = x.reshaped(to: [c.shape[0], c.shape[1] * c.shape[2], c.shape[3]])
            let (k, s) = (c.window.width, c.stride.width)
            let oneD = checkPullback(
                of: {
                    maxPool1D($0[0], window: k, stride: s, padding: .same).sum(alongAxes: 1)
                        + avgPool1D($0[0], window: k, stride: s, padding: .same).sum(alongAxes: 1)
                        + globalMaxPool1D($0[0])
                        + globalAvgPool1D($0[0])
                }, at: [sequence])
            #expect(oneD.worstRelativeError < 1e-6, "\(c): \(oneD)")
        }
    }

    /// Ties send the gradient to the first maximal element of each window (PyTorch's choice),
    /// padding never wins even over −∞, and a NaN is a window's maximum.
    @Test func tiesPaddingAndNaN() {
        let ones = Tensor<Double>(ones: [1, 3, 3, 1])
        let g = gradient(at: ones) { x in maxPool2D(x, window: 3, stride: 1, padding: 1).sum() }
        #expect(g.scalars == [4, 2, 0, 2, 1, 0, 0, 0, 0])
        let low = Tensor<Float>(shape: [1, 2, 2, 1], repeating: -.infinity)
        #expect(maxPool2D(low, window: 2, padding: 1).scalars.allSatisfy { $0 == -.infinity })
        let gl = gradient(at: low) { x in maxPool2D(x, window: 3, stride: 1, padding: 1).sum() }
        #expect(gl.scalars == [4, 0, 0, 0])
        let nan = Tensor<Float>(shape: [1, 1, 4, 2], scalars: [1, 5, .nan, 2, 3, .nan, 0, 1])
        let y = maxPool2D(nan, window: [1, 2])
        #expect(y.scalars[0].isNaN && y.scalars[1] == 5 && y.scalars[2] == 3 && y.scalars[3].isNaN)

    }

    /// Inputs large enough to be split between cores (forward always, backward when windows
    /// do not overlap vertically, each part zeroing the input rows it answers for) give the
    /// definition's values and gradients.
    @Test func largeInputsSplitBetweenCores() {
        var gen = PropertyGenerator(seed: 116)
        let x = gen.tensor([16, 26, 23, 9])  // split between cores in the middle of image 8
        for (window, stride, padding): (Size2D, Size2D, Padding) in [
            (2, 2, .valid), (3, 2, 1), ([2, 3], [3, 1], .same),
        ] {
            var pads: [(before: Int, after: Int)] = []
            for axis in 0..<2 {
                let (n, k, s) = (x.shape[axis + 1], window.extents[axis], stride.extents[axis])
                switch padding {
                case .same:
                    let total = Swift.max(((n + s - 1) / s - 1) * s + k - n, 0)
                    pads.append((total / 2, total - total / 2))
                case .explicit(let before, let after): pads.append((before[0], after[0]))
                default: pads.append((0, 0))
                }
            }
            let plan = PoolingCase(shape: x.shape, window: window, stride: stride, padding: padding, pads: pads)
            let (maxY, maxPullback) = valueWithPullback(at: x) {
                maxPool2D($0, window: window, stride: stride, padding: padding)
            }
            #expect(maxY == referencePool(x, plan, max: true), "\(plan)")
            let g = gen.tensor(maxY.shape)
            #expect(maxPullback(g).isApproximatelyEqual(to: referenceGradient(x, plan, g, max: true)), "\(plan)")
            let (meanY, meanPullback) = valueWithPullback(at: x) {
                avgPool2D($0, window: window, stride: stride, padding: padding)
            }
            #expect(meanY.isApproximatelyEqual(to: referencePool(x, plan, max: false)), "\(plan)")
            #expect(meanPullback(g).isApproximatelyEqual(to: referenceGradient(x, plan, g, max: false)), "\(plan)")
        }
    }
}

/// The gradient of pooling by the definition: each output's gradient `g` to its window's
/// first maximal element, or spread evenly over its window (padding counting).
private func referenceGradient(_ x: Tensor<Double>, _ c: PoolingCase, _ g: Tensor<Double>, max: Bool) -> Tensor<Double>
{
    let (h, w, channels) = (x.shape[1], x.shape[2], x.shape[3])
    let (kh, kw, sh, sw) = (c.window.height, c.window.width, c.stride.height, c.stride.width)
    let (xs, gs) = (x.scalars, g.scalars)
    var gin = [Double](repeating: 0, count: x.count)
    var o = 0
    for b in 0..<x.shape[0] {
        for i in 0..<g.shape[1] {
            for j in 0..<g.shape[2] {
                for k in 0..<channels {
                    var taps: [Int] = []
                    for di in 0..<kh {
                        for dj in 0..<kw {
                            let (r, s) = (i * sh - c.pads[0].before + di, j * sw - c.pads[1].before + dj)
                            if r >= 0, r < h, s >= 0, s < w { taps.append(((b * h + r) * w + s) * channels + k) }
                        }
                    }
                    if max {
                        let best = taps.map { xs[$0] }.max()!
                        gin[taps.first { xs[$0] == best }!] += gs[o]
                    } else {
                        for t in taps { gin[t] += gs[o] / Double(kh * kw) }
                    }
                    o += 1
                }
            }
        }
    }
    return Tensor(shape: x.shape, scalars: gin)
}
