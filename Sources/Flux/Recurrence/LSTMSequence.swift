import CFluxKernels

// An LSTM over a whole sequence as one recorded operation: the forward pass writes every
// step's output straight into the output tensor, reading each step's input part in place,
// and its pullback is backpropagation through time written out by hand: one gate gradient
// per step into one buffer, the hidden gradient through the recurrent weight (packed once,
// in Float), and the recurrent weight's gradient over all steps as one matrix product.
// It computes what the fold over `LSTMCell.step` computes, masks and truncation included;
// the fold's tests check both ways.

/// `(outputs [time, batch, hidden], final state)` of an LSTM from its steps' input parts
/// `z` (`[time, batch, 4·hidden]`), recurrent weight `w` (`[hidden, 4·hidden]`) and initial
/// state (each `[batch, hidden]` or `[1, hidden]`).
@inlinable
func lstmSequence<S: TensorFloatingPoint>(
    _ z: Tensor<S>, _ w: Tensor<S>, _ h0: Tensor<S>, _ c0: Tensor<S>, mask: Tensor<S>?, truncation: Int?
) -> (outputs: Tensor<S>, state: LSTMState<S>) {
    let (time, batch, hidden) = (z.shape[0], z.shape[1], w.shape[0])
    guard z.rank == 3, z.shape[2] == 4 * hidden, w.shape == [hidden, 4 * hidden],
        h0.shape == c0.shape, h0.rank == 2, h0.shape[1] == hidden, h0.shape[0] == batch || h0.shape[0] == 1
    else {
        fail(
            "LSTMCell: steps \(z.shape), hiddenWeight \(w.shape) and state \(h0.shape), \(c0.shape) do not fit ([time, batch, 4·hidden], [hidden, 4·hidden], [batch, hidden])"
        )
    }
    let saved = LSTMSequenceRecord<S>(time: time, batch: batch, hidden: hidden)
    let keep = mask?.scalars  // read once: 1 for a step, 0 for padding, [time, batch]
    let packed =
        S.self == Float.self && batch > 0
        ? PackedMatrix(unsafeBitCast(w, to: Tensor<Float>.self), transposed: false) : nil
    var (h, c) = (saved.expand(h0), saved.expand(c0))
    let outputs = Tensor<S>(shape: [time, batch, hidden], operation: "LSTMCell") { out in
        z.withUnsafeBufferPointer { z in
            w.withUnsafeBufferPointer { w in
                for t in 0..<time {
                    saved.step(
                        t, z: z.baseAddress! + t * batch * 4 * hidden, w: w.baseAddress!, packed: packed,
                        keep: keep, h: &h, c: &c, out: out.baseAddress! + t * batch * hidden)
                }
            }
        }
    }
    guard z.isTraced || w.isTraced || h0.isTraced || c0.isTraced else {
        return (outputs, LSTMState(hidden: h, cell: c))
    }
    let (zShape, h0Shape) = (z.shape, h0.shape)
    let weight = w.withoutDerivative
    let finals = FinalStateGradients<S>()
    let recorded = Tensor.recording(outputs, inputs: [z, w, h0, c0], operation: "LSTMCell (sequence)") { g in
        let (dz, dh, dc) = saved.backward(
            g, finals.take(), weight: weight, keep: keep, truncation: truncation, zShape: zShape)
        let dw = matmul(
            saved.previousHidden.reshaped(to: [time * batch, hidden]), dz.reshaped(to: [time * batch, 4 * hidden]),
            transposeA: true)
        return [dz, dw, dh.sum(toShape: h0Shape), dc.sum(toShape: h0Shape)]
    }
    // The final state's gradient reaches the pullback above through `finals`: these records
    // come after it, so their pullbacks run first, and each sends zeros to the outputs so
    // that the pullback above runs even when only the final state is used.
    let outputShape = outputs.shape
    let finalHidden = Tensor.recording(h, inputs: [recorded], operation: "LSTMCell (final hidden)") { g in
        finals.hidden = g
        return [Tensor<S>(zeros: outputShape)]
    }
    let finalCell = Tensor.recording(c, inputs: [recorded], operation: "LSTMCell (final memory)") { g in
        finals.cell = g
        return [Tensor<S>(zeros: outputShape)]
    }
    return (recorded, LSTMState(hidden: finalHidden, cell: finalCell))
}

/// The final state's gradients, between its records' pullbacks and the sequence's.
@usableFromInline
final class FinalStateGradients<S: TensorFloatingPoint> {
    @usableFromInline var hidden: Tensor<S>?, cell: Tensor<S>?
    @inlinable init() {}
    @inlinable func take() -> (hidden: Tensor<S>?, cell: Tensor<S>?) {
        defer { (hidden, cell) = (nil, nil) }
        return (hidden, cell)
    }
}

/// What the forward pass keeps for the backward pass: each step's activated gates, the state
/// it started from and the squashed new memory.
@usableFromInline
final class LSTMSequenceRecord<S: TensorFloatingPoint> {
    @usableFromInline let time: Int, batch: Int, hidden: Int
    /// `[time, batch, 4·hidden]`: σ(i), σ(f), tanh(g), σ(o).
    @usableFromInline var gates: Tensor<S>
    /// `[time, batch, hidden]` each: the state each step started from, and tanh of its new memory.
    @usableFromInline var previousHidden: Tensor<S>, previousCell: Tensor<S>, squashed: Tensor<S>

    /// One step's pre-activations and new memory: the vector kernels read them and write the
    /// gates and the squashed memory elsewhere (in place, their loops would not vectorise, as
    /// the compiler cannot rule out a partial overlap).
    @usableFromInline var scratch: Tensor<S>
    @inlinable var preactivations: UnsafeMutablePointer<S> { scratch.buffer.base }
    @inlinable var memory: UnsafeMutablePointer<S> { scratch.buffer.base + batch * 4 * hidden }

    @inlinable
    init(time: Int, batch: Int, hidden: Int) {
        (self.time, self.batch, self.hidden) = (time, batch, hidden)
        // In a tensor's storage, which the buffer pool recycles from step to step.
        // Not zeroed: the forward pass writes every element of every step before anything
        // reads it (zeroing was a 6 MB fill per lstm step).
        func unwritten(_ shape: [Int]) -> Tensor<S> { Tensor(shape: shape, operation: "LSTMCell") { _ in } }
        scratch = unwritten([Swift.max(1, batch * 5 * hidden)])
        gates = unwritten([time, batch, 4 * hidden])
        previousHidden = unwritten([time, batch, hidden])
        previousCell = unwritten([time, batch, hidden])
        squashed = unwritten([time, batch, hidden])
    }

    /// `state` with one row per sequence (a shared row repeated), untraced.
    @inlinable
    func expand(_ state: Tensor<S>) -> Tensor<S> {
        state.shape[0] == batch ? state.withoutDerivative : state.withoutDerivative.broadcast(to: [batch, hidden])
    }

    /// Step `t`: from the state `(h, c)` and the input part at `z`, writes the step's output at
    /// `out` and moves the state on (where `keep` is 0, the state stays and the output is 0).
    @inlinable
    func step(
        _ t: Int, z: UnsafePointer<S>, w: UnsafePointer<S>, packed: PackedMatrix?, keep: [S]?,
        h: inout Tensor<S>, c: inout Tensor<S>, out: UnsafeMutablePointer<S>
    ) {
        let (batch, hidden, n) = (batch, hidden, 4 * hidden)
        let stride = batch * n
        previousHidden.withUnsafeMutableBufferPointer { ph in
            previousCell.withUnsafeMutableBufferPointer { pc in
                h.withUnsafeBufferPointer {
                    ph.baseAddress!.advanced(by: t * batch * hidden).update(
                        from: $0.baseAddress!, count: batch * hidden)
                }
                c.withUnsafeBufferPointer {
                    pc.baseAddress!.advanced(by: t * batch * hidden).update(
                        from: $0.baseAddress!, count: batch * hidden)
                }
            }
        }
        gates.withUnsafeMutableBufferPointer { a in
            let a = a.baseAddress! + t * stride
            previousHidden.withUnsafeBufferPointer { ph in
                recurrentProduct(
                    ph.baseAddress! + t * batch * hidden, batch, hidden, n, w, packed: packed, transposed: false,
                    adding: z, into: preactivations)
            }
            for b in 0..<batch {
                let (row, pre) = (a + b * n, preactivations + b * n)
                vectorSigmoid(UnsafeBufferPointer(start: pre, count: 2 * hidden), into: row)
                vectorTanh(UnsafeBufferPointer(start: pre + 2 * hidden, count: hidden), into: row + 2 * hidden)
                vectorSigmoid(UnsafeBufferPointer(start: pre + 3 * hidden, count: hidden), into: row + 3 * hidden)
            }
            squashed.withUnsafeMutableBufferPointer { tc in
                h.withUnsafeMutableBufferPointer { h in
                    c.withUnsafeMutableBufferPointer { c in
                        for b in 0..<batch {
                            let (row, k) = (a + b * n, keep?[t * batch + b] ?? 1)
                            let (cb, squash) = (
                                c.baseAddress! + b * hidden, tc.baseAddress! + t * batch * hidden + b * hidden
                            )
                            // The new memory, squashed by the vector kernel, then the output.
                            let fresh = memory + b * hidden
                            for j in 0..<hidden {
                                fresh[j] = row[hidden + j] * cb[j] + row[j] * row[2 * hidden + j]
                            }
                            for j in 0..<hidden { cb[j] = k * fresh[j] + (1 - k) * cb[j] }
                            vectorTanh(UnsafeBufferPointer(start: fresh, count: hidden), into: squash)
                            let (hb, ob) = (h.baseAddress! + b * hidden, out + b * hidden)
                            for j in 0..<hidden {
                                let output = row[3 * hidden + j] * squash[j]
                                ob[j] = output * k
                                hb[j] = k * output + (1 - k) * hb[j]
                            }
                        }
                    }
                }
            }
        }
    }

    /// Backpropagation through time: the gradients of the input parts, and of the initial
    /// hidden state and memory (`[batch, hidden]`), from the outputs' gradient `g` and the
    /// final state's.
    @inlinable
    func backward(
        _ g: Tensor<S>, _ final: (hidden: Tensor<S>?, cell: Tensor<S>?), weight: Tensor<S>, keep: [S]?,
        truncation: Int?, zShape: [Int]
    ) -> (Tensor<S>, Tensor<S>, Tensor<S>) {
        let (batch, hidden, n) = (batch, hidden, 4 * hidden)
        var dh = final.hidden ?? Tensor(zeros: [batch, hidden])
        var dc = final.cell ?? Tensor(zeros: [batch, hidden])
        dh = dh.withoutDerivative
        dc = dc.withoutDerivative
        let packed =
            S.self == Float.self && batch > 0
            ? PackedMatrix(unsafeBitCast(weight, to: Tensor<Float>.self), transposed: true) : nil
        let dz = Tensor<S>(shape: zShape, operation: "LSTMCell") { dz in
            g.withUnsafeBufferPointer { g in
                gates.withUnsafeBufferPointer { a in
                    previousCell.withUnsafeBufferPointer { pc in
                        squashed.withUnsafeBufferPointer { tc in
                            weight.withUnsafeBufferPointer { w in
                                for t in stride(from: time - 1, through: 0, by: -1) {
                                    let (o3, o4) = (t * batch * hidden, t * batch * n)
                                    dh.withUnsafeMutableBufferPointer { dh in
                                        dc.withUnsafeMutableBufferPointer { dc in
                                            for b in 0..<batch {
                                                let k = keep?[t * batch + b] ?? 1
                                                let row = o4 + b * n
                                                for j in 0..<hidden {
                                                    let x = o3 + b * hidden + j
                                                    let (i, f, u, o) = (
                                                        a[row + j], a[row + hidden + j], a[row + 2 * hidden + j],
                                                        a[row + 3 * hidden + j]
                                                    )
                                                    let dOut = g[x] * k + dh[b * hidden + j] * k
                                                    let dCell = dc[b * hidden + j] * k + dOut * o * (1 - tc[x] * tc[x])
                                                    dz[row + j] = dCell * u * i * (1 - i)
                                                    dz[row + hidden + j] = dCell * pc[x] * f * (1 - f)
                                                    dz[row + 2 * hidden + j] = dCell * i * (1 - u * u)
                                                    dz[row + 3 * hidden + j] = dOut * tc[x] * o * (1 - o)
                                                    // What passes the step untouched where it was padding.
                                                    dh[b * hidden + j] *= 1 - k
                                                    dc[b * hidden + j] = dc[b * hidden + j] * (1 - k) + dCell * f
                                                }
                                            }
                                            // The hidden state's gradient through this step's product.
                                            recurrentProduct(
                                                UnsafePointer(dz.baseAddress! + o4), batch, n, hidden, w.baseAddress!,
                                                packed: packed, transposed: true,
                                                adding: UnsafePointer(dh.baseAddress!),
                                                into: dh.baseAddress!)
                                        }
                                    }
                                    if let truncation, t > 0, t % truncation == 0 {
                                        dh = Tensor(zeros: [batch, hidden])  // the state was cut here going forward
                                        dc = Tensor(zeros: [batch, hidden])
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return (dz, dh, dc)
    }
}

/// `addend + a · W` (or `· Wᵀ` when `transposed`, for W stored `[k, n]`… as `[n, k]`) for `a`
/// `[m, k]`, into `c` (`[m, n]`; it may be `addend` itself): the packed kernel for Float,
/// BLAS otherwise.
@inlinable
func recurrentProduct<S: TensorFloatingPoint>(
    _ a: UnsafePointer<S>, _ m: Int, _ k: Int, _ n: Int, _ w: UnsafePointer<S>, packed: PackedMatrix?,
    transposed: Bool, adding addend: UnsafePointer<S>, into c: UnsafeMutablePointer<S>
) {
    guard m > 0, n > 0 else { return }
    if let packed {
        let part = PackedProductPart(
            a: UnsafeRawPointer(a).assumingMemoryBound(to: Float.self), b: packed,
            c: UnsafeMutableRawPointer(c).assumingMemoryBound(to: Float.self), m: m, n: n, k: k,
            addend: UnsafeRawPointer(addend).assumingMemoryBound(to: Float.self))
        forEachChunk(of: n, splitting: Double(m) * Double(n) * Double(k) >= Double(coreSplitThreshold), part)
        return
    }
    if UnsafePointer(c) != addend { c.update(from: addend, count: m * n) }
    guard k > 0 else { return }
    productOnCores(
        transposeA: false, transposeB: transposed, m: m, n: n, k: k, a: a, lda: k, b: w, ldb: transposed ? k : n,
        beta: 1, c: c, ldc: n)
}
