/// How a ``Bidirectional`` layer combines its two directions' outputs.
public enum BidirectionalMerge: Sendable {
    /// Joined along the last axis: `[…, forward outputs + backward outputs]` (PyTorch's
    /// `bidirectional=True`).
    case concatenate
    /// Added (both directions must have the same output size).
    case sum
}

/// Two recurrent layers over the same sequences, one reading them forward and one backward,
/// their outputs joined step by step: at step `t`, the forward layer has read steps `0...t`
/// and the backward layer steps `t...` (to each sequence's end, when a mask says where it is).
///
/// ```swift
/// let encoder = Bidirectional(Recurrence(GRUCell<Float>(32, 64)), Recurrence(GRUCell<Float>(32, 64)))
/// let y = encoder(x)             // [time, batch, 128]
/// ```
/// Both layers must return sequences and take the same layout.
public struct Bidirectional<Forward: RecurrentCell, Backward: RecurrentCell>: Model
where Forward.Scalar == Backward.Scalar {
    /// Reads the sequence first to last.
    public var forward: Recurrence<Forward>
    /// Reads the sequence last to first.
    public var backward: Recurrence<Backward>
    /// How the outputs are combined; not a parameter.
    public var merge: BidirectionalMerge

    /// The two directions, combined by `merge`.
    public init(
        _ forward: Recurrence<Forward>, _ backward: Recurrence<Backward>, merge: BidirectionalMerge = .concatenate
    ) {
        guard forward.returnsSequences, backward.returnsSequences, forward.batchFirst == backward.batchFirst else {
            fail("Bidirectional: both directions must return sequences and take the same layout (batchFirst)")
        }
        (self.forward, self.backward, self.merge) = (forward, backward, merge)
    }

    /// Both directions over `sequence`, every sequence running its full length.
    @inlinable
    public func callAsFunction(_ sequence: Tensor<Forward.Scalar>) -> Tensor<Forward.Scalar> {
        callAsFunction(sequence, mask: nil)
    }

    /// Both directions over `sequence`, with `mask` as for ``Recurrence``: the backward layer
    /// starts at each sequence's last real step.
    @inlinable
    public func callAsFunction(_ sequence: Tensor<Forward.Scalar>, mask: Tensor<Forward.Scalar>?) -> Tensor<
        Forward.Scalar
    > {
        let timeAxis = forward.batchFirst ? 1 : 0
        let ahead = forward(sequence, mask: mask)
        let order = reversal(of: sequence.shape, timeAxis: timeAxis, mask: mask)
        let behind = backward(reordered(sequence, order, timeAxis: timeAxis), mask: mask)
        let behindInOrder = reordered(behind, order, timeAxis: timeAxis)
        switch merge {
        case .concatenate: return Tensor(concatenating: [ahead, behindInOrder], alongAxis: 2)
        case .sum: return ahead + behindInOrder
        }
    }
}

/// For each (time, batch) position of a sequence laid out as `shape` (time on `timeAxis`),
/// the flat position it comes from when each sequence is read backwards over its real steps
/// (all of them without a mask); padding stays in place. It is its own inverse.
@inlinable
func reversal<S: TensorFloatingPoint>(of shape: [Int], timeAxis: Int, mask: Tensor<S>?) -> Tensor<Int> {
    let (time, batch) = timeAxis == 0 ? (shape[0], shape[1]) : (shape[1], shape[0])
    let steps = mask?.scalars
    var lengths = [Int](repeating: time, count: batch)
    if let steps {
        for b in 0..<batch {
            lengths[b] = (0..<time).reduce(0) { n, t in
                n + (steps[timeAxis == 0 ? t * batch + b : b * time + t] != 0 ? 1 : 0)
            }
        }
    }
    var order = [Int](repeating: 0, count: time * batch)
    for t in 0..<time {
        for b in 0..<batch {
            let source = t < lengths[b] ? lengths[b] - 1 - t : t
            if timeAxis == 0 {
                order[t * batch + b] = source * batch + b
            } else {
                order[b * time + t] = b * time + source
            }
        }
    }
    return Tensor(shape: [time * batch], scalars: order)
}

/// `sequence` with its (time, batch) positions taken in `order` (from `reversal`).
@inlinable
func reordered<S: TensorFloatingPoint>(_ sequence: Tensor<S>, _ order: Tensor<Int>, timeAxis: Int) -> Tensor<S> {
    let shape = sequence.shape
    let flat = sequence.reshaped(to: [shape[0] * shape[1], shape[2]])
    return flat.gathering(atIndices: order).reshaped(to: shape)
}
