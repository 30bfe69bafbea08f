// Mixed precision: a gradient computation records on a tape of its loss's scalar type; the
// first time a traced tensor is converted between `Float` and `Double`, a tape of the other
// type is paired with it. Both tapes then number their records on one clock, and the
// backward pass walks the two in that order, sending gradients across every conversion.

/// A tape of either scalar type, as its partner holds it.
@usableFromInline
protocol PairedTape: AnyObject {
    func close()
    func stopRecording()
    /// Whether the tape has any record.
    var isEmpty: Bool { get }
}

extension Tape: PairedTape {
    @usableFromInline var isEmpty: Bool { records.isEmpty }
}

/// The order of the records of two paired tapes.
@usableFromInline
final class TapeClock {
    @usableFromInline var now: Int

    @usableFromInline init(now: Int) { self.now = now }

    /// The next record's place.
    @inlinable func tick() -> Int {
        defer { now += 1 }
        return now
    }
}

extension Tape {
    /// The tape of `T` in this gradient computation, paired with this one on first use.
    @usableFromInline
    func paired<T: TensorScalar>(_: T.Type) -> Tape<T> {
        if let tape = (pairedTape ?? pairingTape) as? Tape<T> { return tape }
        let tape = Tape<T>()
        let clock = TapeClock(now: records.count)
        times = Array(0..<records.count)  // every record so far comes before the pair's
        (self.clock, tape.clock) = (clock, clock)
        (pairedTape, tape.pairingTape) = (tape, self)
        return tape
    }
}

extension Tape {
    /// Whether this gradient computation has any leaf, on this tape or its pair (leaves are
    /// recorded before anything else).
    @inlinable var hasLeaves: Bool { !records.isEmpty || (pairedTape ?? pairingTape)?.isEmpty == false }

    /// The gradients the last backward pass left on the paired tape of `T` (none if unpaired).
    @inlinable
    func pairedGradients<T: TensorScalar>(of _: T.Type) -> [Tensor<T>?] {
        guard clock != nil else { return [] }  // unpaired: no cast (it looks up generic metadata)
        return ((pairedTape ?? pairingTape) as? Tape<T>)?.lastGradients ?? []
    }
}

extension Tape where Scalar: TensorFloatingPoint {
    /// The backward pass of a paired tape, or nil when its partner is gone.
    @usableFromInline
    func backwardAcrossPair(from index: Int, seed: Tensor<Scalar>) -> [Tensor<Scalar>?]? {
        switch pairedTape ?? pairingTape {
        case let other as Tape<Float>: backward(from: index, seed: seed, pairedWith: other)
        case let other as Tape<Double>: backward(from: index, seed: seed, pairedWith: other)
        default: nil
        }
    }

    /// Runs both tapes' pullbacks, latest record first, converting each gradient that
    /// crosses from one tape to the other.
    func backward<T: TensorFloatingPoint>(
        from index: Int, seed: Tensor<Scalar>, pairedWith other: Tape<T>
    ) -> [Tensor<Scalar>?] {
        var grads = Self.noGradients(records.count)
        var otherGrads = Tape<T>.noGradients(other.records.count)
        grads[index] = seed
        var (i, j) = (index, other.records.count - 1)
        while i >= 0 || j >= 0 {
            if j < 0 || (i >= 0 && times[i] > other.times[j]) {
                defer { i -= 1 }
                if deferredUpTo >= i { flushDeferredProducts(into: &grads) { $0 >= i } }
                if case .leaf = records[i].pullback { continue }  // a leaf keeps its gradient
                guard let g = grads[i].take() else { continue }
                if let target = pull(g, from: i, into: &grads) {
                    other.accumulate(Tensor<T>(g), into: &otherGrads, at: target, from: -1)
                }
            } else {
                defer { j -= 1 }
                if other.deferredUpTo >= j { other.flushDeferredProducts(into: &otherGrads) { $0 >= j } }
                if case .leaf = other.records[j].pullback { continue }
                guard let g = otherGrads[j].take() else { continue }
                if let target = other.pull(g, from: j, into: &otherGrads) {
                    accumulate(Tensor<Scalar>(g), into: &grads, at: target, from: -1)
                }
            }
        }
        other.lastGradients = otherGrads  // its leaves' gradients, read by `derivative(of:from:on:)`
        return grads
    }
}

extension Tensor where Scalar: TensorFloatingPoint {
    /// Records this tensor, just converted from the traced tensor at `link`, on the tape of
    /// its own scalar type paired with `link`'s.
    @inlinable
    mutating func recordConversion<Source: TensorFloatingPoint>(from link: TraceLink<Source>) {
        let tape = link.tape.paired(Scalar.self)
        trace = TraceLink(
            tape: tape,
            index: tape.append(.converted(link.index), value: self, operation: "a conversion between Float and Double"))
    }
}
