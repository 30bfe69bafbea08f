/// The record of one gradient computation: every differentiable operation on a traced
/// tensor appends its pullback here, and the backward pass walks them in reverse.
///
/// A tape belongs to a single call of `valueWithGradient(at:of:)` (or its relatives):
/// there is no global or thread-local tape, so gradients can be taken on several threads
/// at once. When the call returns the tape is closed and its pullbacks are released;
/// a traced tensor that escaped the call then behaves as a constant.
@usableFromInline
final class Tape<Scalar: TensorScalar>: @unchecked Sendable {
    // Unchecked: a tape belongs to one gradient call on one thread, and a dynamic
    // exclusivity check on every record would cost more than the record.
    @exclusivity(unchecked) @usableFromInline var records: [TapeRecord<Scalar>] = []
    @exclusivity(unchecked) @usableFromInline var isRecording = true
    /// Whether every recorded value and every gradient is checked for NaN and infinity
    /// (inside ``checkingFiniteValues(_:)``).
    @usableFromInline let checksFiniteValues: Bool
    /// The parameter paths of leaves, kept only while checking finite values.
    @exclusivity(unchecked) @usableFromInline var names: [Int: String] = [:]
    /// Each record's operation, as its caller's `#function` (`tanh(_:)`), kept only while
    /// checking finite values (a record stays small otherwise).
    @exclusivity(unchecked) @usableFromInline var operations: [StaticString] = []
    /// The tape of the other floating-point type in the same gradient computation, made when
    /// a traced tensor is first converted between `Float` and `Double` (TapePair.swift):
    /// held strongly by the tape that made it, weakly the other way.
    @exclusivity(unchecked) @usableFromInline var pairedTape: (any PairedTape)?
    @exclusivity(unchecked) @usableFromInline weak var pairingTape: (any PairedTape)?
    /// Once a tape is paired, the order of every record across both tapes (nil before).
    @exclusivity(unchecked) @usableFromInline var clock: TapeClock?
    /// Each record's place in that order, kept once the tape is paired.
    @exclusivity(unchecked) @usableFromInline var times: [Int] = []
    /// A paired tape's gradients from the last backward pass (its leaves' are read out).
    @exclusivity(unchecked) @usableFromInline var lastGradients: [Tensor<Scalar>?] = []
    /// During a backward pass, the weight products whose gradient is not computed yet, and
    /// the highest weight record among them (-1 when there are none).
    @exclusivity(unchecked) @usableFromInline var deferred: [DeferredProduct<Scalar>] = []
    @exclusivity(unchecked) @usableFromInline var deferredUpTo = -1
    /// The packed forms of the weights this computation multiplies by again and again
    /// (PackedProduct.swift), made on first need.
    @exclusivity(unchecked) @usableFromInline var packedWeightCache: PackedWeights?
    @inlinable var packedWeights: PackedWeights {
        if let cache = packedWeightCache { return cache }
        let cache = PackedWeights()
        packedWeightCache = cache
        return cache
    }

    /// The layer-state updates of this computation (LayerState.swift), made on first need.
    @exclusivity(unchecked) @usableFromInline var stateRecorderCache: StateRecorder?
    @inlinable var stateRecorder: StateRecorder {
        if let recorder = stateRecorderCache { return recorder }
        let recorder = StateRecorder()
        stateRecorderCache = recorder
        return recorder
    }

    @inlinable init() {
        records.reserveCapacity(64)  // a small model's whole step, without regrowing
        checksFiniteValues = finiteValueChecksAreOn()
    }

    /// Appends the record of `operation`, whose result is `value`, and returns its index.
    @inlinable
    func append(_ pullback: Pullback<Scalar>, value: Tensor<Scalar>, operation: StaticString) -> Int {
        records.append(TapeRecord(shape: value.shape, pullback: pullback))
        if let clock { times.append(clock.tick()) }
        if checksFiniteValues { checkForward(value, record: records.count - 1, operation: operation) }
        return records.count - 1
    }

    /// Appends the record of `operation`, whose result is the tensor at `value`, read in place
    /// (for a tensor inside a model: passing it as a value would copy it).
    @inlinable
    func append(_ pullback: Pullback<Scalar>, valueAt value: UnsafePointer<Tensor<Scalar>>, operation: StaticString)
        -> Int
    {
        records.append(TapeRecord(shape: value.pointee.shape, pullback: pullback))
        if let clock { times.append(clock.tick()) }
        if checksFiniteValues { checkForward(value.pointee, record: records.count - 1, operation: operation) }
        return records.count - 1
    }

    /// Gradients of the record at `index` with respect to every record, given `seed` as the
    /// gradient of that record. Intermediate gradients are released as soon as they are used;
    /// those of leaves (the differentiated arguments) are kept.
    @usableFromInline
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func backward(from index: Int, seed: Tensor<Scalar>) -> [Tensor<Scalar>?] where Scalar: TensorFloatingPoint {
        if clock != nil, let grads = backwardAcrossPair(from: index, seed: seed) { return grads }
        var grads = Self.noGradients(records.count)
        grads[index] = seed
        for i in stride(from: index, through: 0, by: -1) {
            if deferredUpTo >= i { flushDeferredProducts(into: &grads) { $0 >= i } }
            // A leaf keeps its gradient (it is read out); any other record's gradient is
            // moved out of the list, not copied, and released once its pullback has run.
            if case .leaf = records[i].pullback { continue }
            guard let g = grads[i].take() else { continue }
            _ = pull(g, from: i, into: &grads)
        }
        return grads
    }

    /// A list of `count` absent gradients. Built by appending into reserved storage:
    /// Array(repeating:count:) reached the runtime's generic-metadata cache on every call (its
    /// buffer allocation is not specialised in the standard library).
    @inlinable
    static func noGradients(_ count: Int) -> [Tensor<Scalar>?] {
        var grads: [Tensor<Scalar>?] = []
        grads.reserveCapacity(count)
        for _ in 0..<count { grads.append(nil) }
        return grads
    }

    /// Runs the pullback of record `i` on its gradient `g`, adding what it sends to `grads`;
    /// for a conversion from the paired tape, returns the record there that `g` belongs to.
    @inlinable @inline(__always)
    func pull(_ g: Tensor<Scalar>, from i: Int, into grads: inout [Tensor<Scalar>?]) -> Int?
    where Scalar: TensorFloatingPoint {
        switch records[i].pullback {
        case .leaf:
            break
        case .unary(let parent, let f):
            accumulate(f(g), into: &grads, at: parent, from: i)
        case .binary(let a, let fa, let b, let fb):
            if let fa { accumulate(fa(g), into: &grads, at: a, from: i) }
            if let fb { accumulate(fb(g), into: &grads, at: b, from: i) }
        case .ternary(let a, let b, let c, let f):
            let (ga, gb, gc) = f(g)
            if let ga { accumulate(ga, into: &grads, at: a, from: i) }
            if let gb { accumulate(gb, into: &grads, at: b, from: i) }
            if let gc { accumulate(gc, into: &grads, at: c, from: i) }
        case .many(let parents, let f):
            let parts = f(g)
            for (parent, part) in Swift.zip(parents, parts) {
                if let part { accumulate(part, into: &grads, at: parent, from: i) }
            }
        case .weightProduct(let a, let fa, let weight, let x, let addend):
            if let fa { accumulate(fa(g), into: &grads, at: a, from: i) }
            accumulate(g, into: &grads, at: addend, from: i)
            deferProduct(x, g, weight: weight, from: i)
        case .region(let parent, let offset):
            accumulate(g, into: &grads, at: parent, offset: offset, from: i)
        case .converted(let parent):
            return parent
        }
        return nil
    }

    /// Adds `g` to the elements `offset..<offset + g.count` of the gradient at `index` (zeros
    /// until something arrives), in place when that buffer is not shared.
    @inlinable
    func accumulate(
        _ g: Tensor<Scalar>, into grads: inout [Tensor<Scalar>?], at index: Int, offset: Int, from source: Int
    )
    where Scalar: TensorNumeric {
        guard index >= 0 else { return }
        if checksFiniteValues { checkBackward(g, from: source, to: index) }
        if grads[index] == nil { grads[index] = Tensor(zeros: records[index].shape) }
        g.withUnsafeBufferPointer { part in
            grads[index]!.withUnsafeMutableBufferPointer { whole in
                for j in 0..<part.count { whole[offset + j] += part[j] }
            }
        }
    }

    /// Adds `g` to the gradient at `index`, in place when that buffer is not shared.
    @inlinable
    func accumulate(_ g: Tensor<Scalar>, into grads: inout [Tensor<Scalar>?], at index: Int, from source: Int)
    where Scalar: TensorNumeric {
        guard index >= 0 else { return }
        guard g.shape == records[index].shape else {
            fail("pullback: a gradient of shape \(g.shape) reached a value of shape \(records[index].shape)")
        }
        if checksFiniteValues { checkBackward(g, from: source, to: index) }
        if grads[index] == nil {
            grads[index] = g.withoutDerivative
        } else {
            grads[index]! += g
        }
    }

    /// Stops recording and releases every pullback (and the values they hold).
    @usableFromInline
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func close() {
        isRecording = false
        stateRecorderCache?.isOpen = false
        stateRecorderCache = nil
        records.removeAll()
        times.removeAll()
        lastGradients.removeAll()
        packedWeightCache = nil
        // Closing the tape that made the pair closes its partner and breaks the cycle.
        pairedTape?.close()
        pairedTape = nil
    }

    /// Stops recording, here and on the paired tape; the records stay for the backward pass.
    @usableFromInline
    func stopRecording() {
        isRecording = false
        pairedTape?.stopRecording()
    }
}

/// One recorded operation: the shape of its result and how to send a gradient back.
@usableFromInline
struct TapeRecord<Scalar: TensorScalar> {
    @usableFromInline let shape: [Int]
    @usableFromInline let pullback: Pullback<Scalar>

    @inlinable init(shape: [Int], pullback: Pullback<Scalar>) {
        self.shape = shape
        self.pullback = pullback
    }
}

/// How a recorded operation sends the gradient of its result to its inputs (record indices).
@usableFromInline
enum Pullback<Scalar: TensorScalar> {
    /// A differentiated argument: gradients stop here and are read out.
    case leaf
    /// One input.
    case unary(Int, (Tensor<Scalar>) -> Tensor<Scalar>)
    /// Two inputs, each with its own pullback, absent when that input is a constant.
    case binary(Int, ((Tensor<Scalar>) -> Tensor<Scalar>)?, Int, ((Tensor<Scalar>) -> Tensor<Scalar>)?)
    /// Three inputs (-1 for a constant); the pullback returns one gradient per input (nil for none).
    case ternary(Int, Int, Int, (Tensor<Scalar>) -> (Tensor<Scalar>?, Tensor<Scalar>?, Tensor<Scalar>?))
    /// Any number of inputs; the pullback returns one gradient per input (nil for none).
    case many([Int], (Tensor<Scalar>) -> [Tensor<Scalar>?])
    /// `x · W` (rank 2, no transposes): the first input's pullback, and `x`, kept so that the
    /// gradient for `W` (`xᵀ · g`) of every use of `W` is one matrix product (TapeDeferral.swift).
    /// With `addend` (a record, or -1), `c + x · W`: the addend's gradient is the result's.
    case weightProduct(
        Int, ((Tensor<Scalar>) -> Tensor<Scalar>)?, weight: Int, left: Tensor<Scalar>, addend: Int)
    /// A contiguous block of its input (a slice along the first axis): the gradient is added
    /// into the input's gradient from this element offset on, with no full-size copy.
    case region(Int, offset: Int)
    /// A conversion from the other floating-point type: its input is the record at this index
    /// of the paired tape, which gets the gradient converted back.
    case converted(Int)
}

/// Where a traced tensor sits on its tape.
@usableFromInline
struct TraceLink<Scalar: TensorScalar> {
    @usableFromInline let tape: Tape<Scalar>
    @usableFromInline let index: Int

    @inlinable init(tape: Tape<Scalar>, index: Int) {
        self.tape = tape
        self.index = index
    }
}
