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

    @inlinable init() {
        records.reserveCapacity(64)  // a small model's whole step, without regrowing
        checksFiniteValues = finiteValueChecksAreOn()
    }

    /// Appends the record of `operation`, whose result is `value`, and returns its index.
    @inlinable
    func append(_ pullback: Pullback<Scalar>, value: Tensor<Scalar>, operation: StaticString) -> Int {
        records.append(TapeRecord(shape: value.shape, pullback: pullback))
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
        if checksFiniteValues { checkForward(value.pointee, record: records.count - 1, operation: operation) }
        return records.count - 1
    }

    /// Gradients of the record at `index` with respect to every record, given `seed` as the
    /// gradient of that record. Intermediate gradients are released as soon as they are used;
    /// those of leaves (the differentiated arguments) are kept.
    @usableFromInline
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func backward(from index: Int, seed: Tensor<Scalar>) -> [Tensor<Scalar>?] where Scalar: TensorNumeric {
        // Built by appending into reserved storage: Array(repeating:count:) reached the
        // runtime's generic-metadata cache on every call (its buffer allocation is not
        // specialised in the standard library).
        var grads: [Tensor<Scalar>?] = []
        grads.reserveCapacity(records.count)
        for _ in 0..<records.count { grads.append(nil) }
        grads[index] = seed
        for i in stride(from: index, through: 0, by: -1) {
            // A leaf keeps its gradient (it is read out); any other record's gradient is
            // moved out of the list, not copied, and released once its pullback has run.
            if case .leaf = records[i].pullback { continue }
            guard let g = grads[i].take() else { continue }
            switch records[i].pullback {
            case .leaf:
                continue
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
            }
        }
        return grads
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
        records.removeAll()
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
