// The elementwise part of an LSTM step, fused: from the gate pre-activations `z` (`[batch,
// 4·hidden]`, gates i, f, g, o) and the previous memory, the new memory and output in one
// pass, recorded as two operations whose pullbacks are single loops each (instead of a
// dozen recorded elementwise operations and four strided slices).

/// `(h', c')` of an LSTM step: `c' = σ(f)·c + σ(i)·tanh(g)` and `h' = σ(o)·tanh(c')`, from the
/// pre-activations `z` (`[batch, 4·hidden]`) and the memory `c` (`[batch, hidden]`, or
/// `[1, hidden]` for one state shared by the batch).
@inlinable
func lstmGates<S: TensorFloatingPoint>(_ z: Tensor<S>, _ c: Tensor<S>) -> (hidden: Tensor<S>, cell: Tensor<S>) {
    let batch = z.rank == 2 ? z.shape[0] : 0
    let hidden = z.rank == 2 ? z.shape[1] / 4 : 0
    guard z.rank == 2, z.shape[1] == 4 * hidden, c.rank == 2, c.shape[1] == hidden,
        c.shape[0] == batch || c.shape[0] == 1
    else {
        fail("LSTMCell: gates \(z.shape) and memory \(c.shape) do not fit ([batch, 4·hidden] and [batch, hidden])")
    }
    let shared = c.shape[0] == 1 && batch != 1  // one memory row for every sequence
    // Activated gates: σ(i), σ(f), tanh(g), σ(o), kept for both pullbacks.
    let gates = Tensor<S>(shape: z.shape, operation: "LSTMCell") { a in
        z.withUnsafeBufferPointer { z in
            for b in 0..<batch {
                let row = b * 4 * hidden
                let (zr, ar) = (UnsafeBufferPointer(rebasing: z[row..<row + 4 * hidden]), a.baseAddress! + row)
                vectorSigmoid(UnsafeBufferPointer(rebasing: zr[0..<2 * hidden]), into: ar)
                vectorTanh(UnsafeBufferPointer(rebasing: zr[2 * hidden..<3 * hidden]), into: ar + 2 * hidden)
                vectorSigmoid(UnsafeBufferPointer(rebasing: zr[3 * hidden..<4 * hidden]), into: ar + 3 * hidden)
            }
        }
    }
    let previous = c.withoutDerivative
    let cell = Tensor<S>(shape: [batch, hidden], operation: "LSTMCell") { out in
        gates.withUnsafeBufferPointer { a in
            previous.withUnsafeBufferPointer { c in
                for b in 0..<batch {
                    let (g, cb) = (b * 4 * hidden, shared ? 0 : b * hidden)
                    for j in 0..<hidden {
                        out[b * hidden + j] = a[g + hidden + j] * c[cb + j] + a[g + j] * a[g + 2 * hidden + j]
                    }
                }
            }
        }
    }
    let squashed = cell.mapBuffer { vectorTanh($0, into: $1) }
    let output = Tensor<S>(shape: [batch, hidden], operation: "LSTMCell") { out in
        gates.withUnsafeBufferPointer { a in
            squashed.withUnsafeBufferPointer { t in
                for b in 0..<batch {
                    for j in 0..<hidden { out[b * hidden + j] = a[b * 4 * hidden + 3 * hidden + j] * t[b * hidden + j] }
                }
            }
        }
    }
    guard Tensor.anyTraced(z, c) else { return (output, cell) }
    // The output's record runs first in the backward pass and leaves the o columns of the
    // gates' gradient here; the memory's record fills in i, f and g and sends the whole: one
    // gradient tensor per step for z, not two to be added.
    let partial = GateGradientBox<S>()
    let newCell = Tensor.recording(
        cell, z, c, operation: "LSTMCell (memory)",
        { dc in
            lstmGateGradient(memory: dc, output: nil, gates, previous, squashed, shared: shared, into: partial.take())
        },
        { dc in lstmPreviousMemoryGradient(dc, gates, shape: previous.shape) })
    let newOutput = Tensor.recording(
        output, z, newCell, gates, operation: "LSTMCell (output)"
    ) { dh in
        partial.dz = lstmGateGradient(memory: nil, output: dh, gates, previous, squashed, shared: shared, into: nil)
        let dc = Tensor<S>(shape: dh.shape, operation: "LSTMCell") { dc in
            dh.withUnsafeBufferPointer { dh in
                gates.withUnsafeBufferPointer { a in
                    squashed.withUnsafeBufferPointer { t in
                        for b in 0..<batch {
                            for j in 0..<hidden {
                                let (k, o) = (b * hidden + j, a[b * 4 * hidden + 3 * hidden + j])
                                dc[k] = dh[k] * o * (1 - t[k] * t[k])
                            }
                        }
                    }
                }
            }
        }
        return (nil, dc, nil)
    }
    return (newOutput, newCell)
}

/// The o columns of a step's gate gradient, between the two records' pullbacks.
@usableFromInline
final class GateGradientBox<S: TensorFloatingPoint> {
    @usableFromInline var dz: Tensor<S>?
    @inlinable init() {}

    /// The gradient left here, if any, and nothing left behind.
    @inlinable func take() -> Tensor<S>? {
        defer { dz = nil }
        return dz
    }
}

/// The gradient of the gate pre-activations `[batch, 4·hidden]`: from the new memory's
/// gradient `dc` (the i, f and g columns) or from the output's gradient `dh` (the o columns),
/// zero in the other columns.
@inlinable
func lstmGateGradient<S: TensorFloatingPoint>(
    memory dc: Tensor<S>?, output dh: Tensor<S>?, _ gates: Tensor<S>, _ previous: Tensor<S>, _ squashed: Tensor<S>,
    shared: Bool, into partial: Tensor<S>?
) -> Tensor<S> {
    let d = (dc ?? dh)!
    let (batch, hidden) = (d.shape[0], d.shape[1])
    let fromMemory = dc != nil  // tested once, not per element (that retained dc each time)
    // The memory's part completes the output's (its o columns are kept) when there is one.
    let completing = fromMemory && partial != nil
    let fill = { (dz: UnsafeMutableBufferPointer<S>) in
        d.withUnsafeBufferPointer { d in
            gates.withUnsafeBufferPointer { a in
                previous.withUnsafeBufferPointer { c in
                    squashed.withUnsafeBufferPointer { t in
                        // One loop per case, so that each is a straight vector loop.
                        for b in 0..<batch {
                            let (g, cb, row) = (b * 4 * hidden, shared ? 0 : b * hidden, b * hidden)
                            if fromMemory {
                                for j in 0..<hidden {
                                    let (v, i, f, u) = (d[row + j], a[g + j], a[g + hidden + j], a[g + 2 * hidden + j])
                                    dz[g + j] = v * u * i * (1 - i)
                                    dz[g + hidden + j] = v * c[cb + j] * f * (1 - f)
                                    dz[g + 2 * hidden + j] = v * i * (1 - u * u)
                                    if !completing { dz[g + 3 * hidden + j] = 0 }
                                }
                            } else {
                                for j in 0..<hidden {
                                    let (v, o) = (d[row + j], a[g + 3 * hidden + j])
                                    (dz[g + j], dz[g + hidden + j], dz[g + 2 * hidden + j]) = (0, 0, 0)
                                    dz[g + 3 * hidden + j] = v * t[row + j] * o * (1 - o)
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    if completing, var result = partial {
        result.withUnsafeMutableBufferPointer(fill)  // uniquely held: written in place
        return result
    }
    return Tensor<S>(shape: gates.shape, operation: "LSTMCell", fill)
}

/// The previous memory's gradient: `dc · σ(f)`, summed over the batch when one memory row was
/// shared by every sequence.
@inlinable
func lstmPreviousMemoryGradient<S: TensorFloatingPoint>(_ dc: Tensor<S>, _ gates: Tensor<S>, shape: [Int]) -> Tensor<S>
{
    let (batch, hidden) = (dc.shape[0], dc.shape[1])
    let full = Tensor<S>(shape: dc.shape, operation: "LSTMCell") { out in
        dc.withUnsafeBufferPointer { dc in
            gates.withUnsafeBufferPointer { a in
                for b in 0..<batch {
                    for j in 0..<hidden { out[b * hidden + j] = dc[b * hidden + j] * a[b * 4 * hidden + hidden + j] }
                }
            }
        }
    }
    return full.shape == shape ? full : full.sum(toShape: shape)
}
