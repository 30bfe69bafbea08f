import Flux

/// One random convolution setting for the property tests, with the output extents computed
/// from the formulas (independently of the library's geometry).
struct ConvolutionCase: CustomStringConvertible {
    var batch = 1, height = 1, width = 1, groups = 1, groupInputs = 1, groupOutputs = 1
    var kernel = (1, 1), stride = (1, 1), dilation = (1, 1)
    /// Explicit padding (top, bottom, left, right); nil for `same`.
    var explicit: (Int, Int, Int, Int)? = (0, 0, 0, 0)

    var inChannels: Int { groups * groupInputs }
    var outChannels: Int { groups * groupOutputs }
    var padding: Padding {
        guard let p = explicit else { return .same }
        return p == (0, 0, 0, 0) ? .valid : .explicit(before: [p.0, p.2], after: [p.1, p.3])
    }
    var description: String {
        "x [\(batch), \(height), \(width), \(inChannels)], kernel \(kernel), stride \(stride), dilation \(dilation), groups \(groups), padding \(padding)"
    }

    /// Padding before and the output extent along one axis.
    static func axis(input: Int, kernel: Int, stride: Int, dilation: Int, before: Int?, after: Int) -> (Int, Int) {
        let span = dilation * (kernel - 1) + 1
        guard let before else {
            let out = (input + stride - 1) / stride
            return (max((out - 1) * stride + span - input, 0) / 2, out)
        }
        return (before, (input + before + after - span) / stride + 1)
    }

    var rows: (before: Int, out: Int) {
        Self.axis(
            input: height, kernel: kernel.0, stride: stride.0, dilation: dilation.0, before: explicit?.0,
            after: explicit?.1 ?? 0)
    }
    var columns: (before: Int, out: Int) {
        Self.axis(
            input: width, kernel: kernel.1, stride: stride.1, dilation: dilation.1, before: explicit?.2,
            after: explicit?.3 ?? 0)
    }

    /// A random case whose padded input holds the dilated kernel.
    static func random(_ g: inout RandomGenerator, depthwise: Bool = false) -> ConvolutionCase {
        var c = ConvolutionCase()
        c.batch = Int.random(in: 1...2, using: &g)
        c.groups = depthwise ? Int.random(in: 2...4, using: &g) : [1, 1, 2, 3].randomElement(using: &g)!
        c.groupInputs = depthwise ? 1 : Int.random(in: 1...3, using: &g)
        c.groupOutputs = Int.random(in: 1...3, using: &g)
        c.kernel = (Int.random(in: 1...3, using: &g), Int.random(in: 1...3, using: &g))
        c.stride = (Int.random(in: 1...3, using: &g), Int.random(in: 1...3, using: &g))
        c.dilation = (Int.random(in: 1...2, using: &g), Int.random(in: 1...2, using: &g))
        switch Int.random(in: 0..<3, using: &g) {
        case 0: c.explicit = (0, 0, 0, 0)
        case 1: c.explicit = nil
        default:
            c.explicit = (
                Int.random(in: 0...2, using: &g), Int.random(in: 0...2, using: &g), Int.random(in: 0...2, using: &g),
                Int.random(in: 0...2, using: &g)
            )
        }
        c.height = (c.dilation.0 * (c.kernel.0 - 1) + 1) + Int.random(in: 0...4, using: &g)
        c.width = (c.dilation.1 * (c.kernel.1 - 1) + 1) + Int.random(in: 0...4, using: &g)
        return c
    }

    /// The convolution from its definition: every output a sum over its window, zeros outside.
    func direct(_ x: Tensor<Double>, _ w: Tensor<Double>, bias: Tensor<Double>?) -> Tensor<Double> {
        let (xs, ws) = (x.scalars, w.scalars)
        let (top, oh) = rows
        let (left, ow) = columns
        var y = [Double](repeating: 0, count: batch * oh * ow * outChannels)
        for n in 0..<batch {
            for i in 0..<oh {
                for j in 0..<ow {
                    for o in 0..<outChannels {
                        let g = o / groupOutputs
                        var sum = bias?.scalars[o] ?? 0
                        for a in 0..<kernel.0 {
                            for b in 0..<kernel.1 {
                                let (r, s) = (i * stride.0 - top + a * dilation.0, j * stride.1 - left + b * dilation.1)
                                guard r >= 0, r < height, s >= 0, s < width else { continue }
                                for c in 0..<groupInputs {
                                    let xv = xs[((n * height + r) * width + s) * inChannels + g * groupInputs + c]
                                    sum += xv * ws[((a * kernel.1 + b) * groupInputs + c) * outChannels + o]
                                }
                            }
                        }
                        y[((n * oh + i) * ow + j) * outChannels + o] = sum
                    }
                }
            }
        }
        return Tensor(shape: [batch, oh, ow, outChannels], scalars: y)
    }

    /// The transposed convolution from its definition: every input element `x[n, i, j, o]`
    /// scattered through the kernel onto the output (the larger, `height` × `width` image
    /// here, with this case's channels reversed), dropping what falls outside.
    func directTransposed(_ x: Tensor<Double>, _ w: Tensor<Double>, bias: Tensor<Double>?) -> Tensor<Double> {
        let (xs, ws) = (x.scalars, w.scalars)
        let (top, oh) = rows
        let (left, ow) = columns
        var y = [Double](repeating: 0, count: batch * height * width * inChannels)
        for n in 0..<batch {
            for p in 0..<(height * width) {
                for c in 0..<inChannels { y[(n * height * width + p) * inChannels + c] = bias?.scalars[c] ?? 0 }
            }
            for i in 0..<oh {
                for j in 0..<ow {
                    for o in 0..<outChannels {
                        let g = o / groupOutputs
                        for a in 0..<kernel.0 {
                            for b in 0..<kernel.1 {
                                let (r, s) = (i * stride.0 - top + a * dilation.0, j * stride.1 - left + b * dilation.1)
                                guard r >= 0, r < height, s >= 0, s < width else { continue }
                                for c in 0..<groupInputs {
                                    y[((n * height + r) * width + s) * inChannels + g * groupInputs + c] +=
                                        xs[((n * oh + i) * ow + j) * outChannels + o]
                                        * ws[((a * kernel.1 + b) * groupInputs + c) * outChannels + o]
                                }
                            }
                        }
                    }
                }
            }
        }
        return Tensor(shape: [batch, height, width, inChannels], scalars: y)
    }
}
