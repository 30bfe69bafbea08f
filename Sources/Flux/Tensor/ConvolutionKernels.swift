// The three products of a convolution, by unfolding (im2col) and BLAS: the forward pass
// `unfold(x) · W`, the input gradient `fold(g · Wᵀ)` and the weight gradient `unfold(x)ᵀ · g`.
// A transposed convolution is the input gradient run forward, and the other two backward.

extension ConvolutionGeometry {
    /// The unfolded input, `[rows, groups · patch]`: row `(n, oh, ow)` holds, group after group,
    /// the input under the window at that output position (zeros where it overhangs the
    /// padding), in `(kernel row, kernel column, channel)` order, the order of the weight's
    /// first three axes. Split between the cores by rows.
    @inlinable
    func unfolded<Scalar: TensorFloatingPoint>(_ x: Tensor<Scalar>) -> Tensor<Scalar> {
        x.withUnsafeBufferPointer { px in
            Tensor(shape: columnsShape, operation: "convolution") { col in
                guard !col.isEmpty, let source = px.baseAddress else { return }
                let work = Unfolding(geometry: self, source: source, columns: col.baseAddress!)
                forEachChunk(of: batch * height.output, splitting: col.count >= parallelThreshold, work)
            }
        }
    }

    /// `columns` folded back into an input-shaped tensor: every element is the sum of the
    /// entries that ``unfolded(_:)`` copied from it (padding entries are dropped). Split
    /// between the cores by examples, whose input regions do not overlap.
    @inlinable
    func folded<Scalar: TensorFloatingPoint>(_ columns: Tensor<Scalar>, bias: Tensor<Scalar>? = nil) -> Tensor<Scalar> {
        columns.withUnsafeBufferPointer { pc in
            Tensor(shape: inputShape, operation: "convolution") { out in
                guard !out.isEmpty else { return }
                let channels = inChannels
                if let bias {
                    bias.withUnsafeBufferPointer { pb in
                        for p in 0..<(out.count / channels) {
                            (out.baseAddress! + p * channels).update(from: pb.baseAddress!, count: channels)
                        }
                    }
                } else {
                    out.update(repeating: 0)
                }
                guard let source = pc.baseAddress else { return }
                let work = Folding(geometry: self, columns: source, target: out.baseAddress!)
                forEachChunk(of: batch, splitting: out.count >= parallelThreshold && batch >= 2 * processorCount, work)
            }
        }
    }

    /// `unfold(x) · W + bias`: the convolution's output, `outputShape`. `columns` is the
    /// unfolded input (``unfolded(_:)``), or the input itself when ``isPointwise``.
    @inlinable
    func product<Scalar: TensorFloatingPoint>(
        columns: Tensor<Scalar>, weight: Tensor<Scalar>, bias: Tensor<Scalar>?
    ) -> Tensor<Scalar> {
        let (k, groupOut, width, outs) = (patch, groupOutputs, groups * patch, outChannels)
        return columns.withUnsafeBufferPointer { pa in
            weight.withUnsafeBufferPointer { pw in
                Tensor(shape: outputShape, operation: "convolution") { out in
                    guard !out.isEmpty else { return }
                    if let bias {
                        bias.withUnsafeBufferPointer { pb in
                            for r in 0..<rows {
                                (out.baseAddress! + r * outs).update(from: pb.baseAddress!, count: outs)
                            }
                        }
                    } else {
                        out.update(repeating: 0)
                    }
                    for g in 0..<groups {
                        productOnCores(
                            transposeA: false, transposeB: false, m: rows, n: groupOut, k: k,
                            a: pa.baseAddress! + g * k, lda: width, b: pw.baseAddress! + g * groupOut, ldb: outs,
                            beta: 1, c: out.baseAddress! + g * groupOut, ldc: outs)
                    }
                }
            }
        }
    }

    /// `g · Wᵀ`, the gradient of the unfolded input, `columnsShape` (the input's shape when
    /// ``isPointwise``); ``folded(_:bias:)`` turns it into the input gradient.
    @inlinable
    func columnGradient<Scalar: TensorFloatingPoint>(_ g: Tensor<Scalar>, weight: Tensor<Scalar>) -> Tensor<Scalar> {
        let (k, groupOut, width, outs) = (patch, groupOutputs, groups * patch, outChannels)
        return g.withUnsafeBufferPointer { pg in
            weight.withUnsafeBufferPointer { pw in
                Tensor(shape: isPointwise ? inputShape : columnsShape, operation: "convolution") { out in
                    guard !out.isEmpty else { return }
                    for group in 0..<groups {
                        productOnCores(
                            transposeA: false, transposeB: true, m: rows, n: k, k: groupOut,
                            a: pg.baseAddress! + group * groupOut, lda: outs, b: pw.baseAddress! + group * groupOut,
                            ldb: outs, beta: 0, c: out.baseAddress! + group * k, ldc: width)
                    }
                }
            }
        }
    }

    /// `unfold(x)ᵀ · g`, the weight gradient, `weightShape`, from the unfolded input.
    @inlinable
    func weightGradient<Scalar: TensorFloatingPoint>(columns: Tensor<Scalar>, _ g: Tensor<Scalar>) -> Tensor<Scalar> {
        let (k, groupOut, width, outs) = (patch, groupOutputs, groups * patch, outChannels)
        return columns.withUnsafeBufferPointer { pa in
            g.withUnsafeBufferPointer { pg in
                Tensor(shape: weightShape, operation: "convolution") { out in
                    guard !out.isEmpty else { return }
                    guard rows > 0 else { return out.update(repeating: 0) }
                    for group in 0..<groups {
                        transposedProductOnCores(
                            m: k, n: groupOut, k: rows, a: pa.baseAddress! + group * k, lda: width,
                            b: pg.baseAddress! + group * groupOut, ldb: outs, c: out.baseAddress! + group * groupOut,
                            ldc: outs)
                    }
                }
            }
        }
    }
}

/// Copies input patches into the unfolded input, for the image lines `range` (an image line
/// is one output row `(n, oh)` of one example: `outWidth` rows of the unfolded input).
@usableFromInline
struct Unfolding<Scalar: TensorFloatingPoint>: ChunkedWork {
    @usableFromInline let geometry: ConvolutionGeometry
    @usableFromInline let source: UnsafePointer<Scalar>
    @usableFromInline let columns: UnsafeMutablePointer<Scalar>

    @inlinable
    init(geometry: ConvolutionGeometry, source: UnsafePointer<Scalar>, columns: UnsafeMutablePointer<Scalar>) {
        (self.geometry, self.source, self.columns) = (geometry, source, columns)
    }

    @inlinable
    func callAsFunction(_ range: Range<Int>) {
        let (h, w, c) = (geometry.height, geometry.width, geometry.inChannels)
        let (groups, groupIn, patch) = (geometry.groups, geometry.groupInputs, geometry.patch)
        let rowWidth: Int = groups * patch
        let run: Int = w.window * groupIn
        let step: Int = w.stride * c
        // With one group and no dilation, a kernel row's taps are one contiguous run of the
        // input for every window wholly inside it: those are copied by pointer steps alone.
        let inside: Range<Int> = groups == 1 && w.dilation == 1 ? w.inside : 0..<0
        var n: Int = range.lowerBound / h.output
        var oh: Int = range.lowerBound % h.output
        for line in range {
            let image: UnsafePointer<Scalar> = source + n * h.input * w.input * c
            let first: UnsafeMutablePointer<Scalar> = columns + line * w.output * rowWidth
            for kh in 0..<h.window {
                let ih: Int = oh * h.stride - h.before + kh * h.dilation
                let tap: Int = kh * run
                guard ih >= 0 && ih < h.input else {
                    for ow in 0..<w.output {
                        for g in 0..<groups {
                            (first + ow * rowWidth + g * patch + tap).update(repeating: 0, count: run)
                        }
                    }
                    continue
                }
                let input: UnsafePointer<Scalar> = image + ih * w.input * c
                var out: UnsafeMutablePointer<Scalar> = first + inside.lowerBound * rowWidth + tap
                var from: UnsafePointer<Scalar> = input + (inside.lowerBound * w.stride - w.before) * c
                for _ in inside {
                    copy(from, to: out, count: run)
                    out += rowWidth
                    from += step
                }
                for ow in 0..<w.output where !inside.contains(ow) {
                    let out: UnsafeMutablePointer<Scalar> = first + ow * rowWidth + tap
                    let left: Int = ow * w.stride - w.before
                    for kw in 0..<w.window {
                        let iw: Int = left + kw * w.dilation
                        let isInside = iw >= 0 && iw < w.input
                        for g in 0..<groups {
                            let target: UnsafeMutablePointer<Scalar> = out + g * patch + kw * groupIn
                            if isInside {
                                copy(input + iw * c + g * groupIn, to: target, count: groupIn)
                            } else {
                                target.update(repeating: 0, count: groupIn)
                            }
                        }
                    }
                }
            }
            oh += 1
            if oh == h.output { (oh, n) = (0, n + 1) }
        }
    }

    /// A short copy: runs here are a few elements to a few hundred, where a call to `memmove`
    /// costs more than the loop.
    @inlinable @inline(__always)
    func copy(_ from: UnsafePointer<Scalar>, to: UnsafeMutablePointer<Scalar>, count: Int) {
        if count >= 64 { return to.update(from: from, count: count) }
        // Four at a time, then the rest: a loop of unknown short length otherwise pays the
        // vectoriser's checks and remainder handling on every run.
        var i = 0
        while i + 4 <= count {
            (to[i], to[i + 1], to[i + 2], to[i + 3]) = (from[i], from[i + 1], from[i + 2], from[i + 3])
            i += 4
        }
        while i < count {
            to[i] = from[i]
            i += 1
        }
    }
}

/// Adds the unfolded rows of the examples `range` back onto the input they were copied from.
@usableFromInline
struct Folding<Scalar: TensorFloatingPoint>: ChunkedWork {
    @usableFromInline let geometry: ConvolutionGeometry
    @usableFromInline let columns: UnsafePointer<Scalar>
    @usableFromInline let target: UnsafeMutablePointer<Scalar>

    @inlinable
    init(geometry: ConvolutionGeometry, columns: UnsafePointer<Scalar>, target: UnsafeMutablePointer<Scalar>) {
        (self.geometry, self.columns, self.target) = (geometry, columns, target)
    }

    @inlinable
    func callAsFunction(_ range: Range<Int>) {
        let (h, w, c) = (geometry.height, geometry.width, geometry.inChannels)
        let (groups, groupIn, patch) = (geometry.groups, geometry.groupInputs, geometry.patch)
        let rowWidth: Int = groups * patch
        let run: Int = w.window * groupIn
        let step: Int = w.stride * c
        let inside: Range<Int> = groups == 1 && w.dilation == 1 ? w.inside : 0..<0
        for n in range {
            let image: UnsafeMutablePointer<Scalar> = target + n * h.input * w.input * c
            for oh in 0..<h.output {
                let first: UnsafePointer<Scalar> = columns + (n * h.output + oh) * w.output * rowWidth
                for kh in 0..<h.window {
                    let ih: Int = oh * h.stride - h.before + kh * h.dilation
                    guard ih >= 0 && ih < h.input else { continue }
                    let line: UnsafeMutablePointer<Scalar> = image + ih * w.input * c
                    let tap: Int = kh * run
                    var from: UnsafePointer<Scalar> = first + inside.lowerBound * rowWidth + tap
                    var to: UnsafeMutablePointer<Scalar> = line + (inside.lowerBound * w.stride - w.before) * c
                    for _ in inside {
                        for i in 0..<run { to[i] += from[i] }
                        from += rowWidth
                        to += step
                    }
                    for ow in 0..<w.output where !inside.contains(ow) {
                        let from: UnsafePointer<Scalar> = first + ow * rowWidth + tap
                        let left: Int = ow * w.stride - w.before
                        for kw in 0..<w.window {
                            let iw: Int = left + kw * w.dilation
                            guard iw >= 0 && iw < w.input else { continue }
                            for g in 0..<groups {
                                let to: UnsafeMutablePointer<Scalar> = line + iw * c + g * groupIn
                                let part: UnsafePointer<Scalar> = from + g * patch + kw * groupIn
                                for i in 0..<groupIn { to[i] += part[i] }
                            }
                        }
                    }
                }
            }
        }
    }
}
