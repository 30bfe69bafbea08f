/// One time step of a recurrent network: `(state, input) → (new state, output)`.
///
/// Recurrence is a fold: `fold(over:)` applies a cell at every step
/// of a sequence, each step's state feeding the next, and the gradient flows back through
/// every step. A cell is a ``Model`` of the pair `(state, input)`, so cells are plain
/// structs of parameters like any layer; ``Recurrence`` makes a cell a layer of sequences for
/// a ``Chain``.
///
/// ```swift
/// let cell = LSTMCell<Float>(64, 256)
/// var state = cell.zeroState(batchSize: 32)
/// for x in steps {                     // stepping by hand, e.g. to generate
///     let (next, h) = cell(state, x)
///     state = next
/// }
/// ```
/// The state is any struct of tensors (a tensor for ``RNNCell`` and ``GRUCell``, an
/// ``LSTMState`` for ``LSTMCell``), shaped `[batch, …]`; a state with a batch extent of 1
/// broadcasts to every sequence of a batch.
public protocol RecurrentCell<Scalar>: Model
where Input == (State, Tensor<Scalar>), Output == (State, Tensor<Scalar>) {
    /// The floating-point type of the cell's tensors: `Float` unless the cell says otherwise
    /// (a cell of your own in `Double` declares `typealias Scalar = Double`).
    associatedtype Scalar: TensorFloatingPoint = Float
    /// What the cell carries from one step to the next.
    associatedtype State
    /// The state before the first step: zeros for `batchSize` sequences.
    func zeroState(batchSize: Int) -> State
    /// The part of a step that does not depend on the state, for the rows of many steps at
    /// once (`[rows, features]` → `[rows, …]`): a fold over a sequence tensor makes it one
    /// matrix product for all its steps. By default the inputs themselves.
    func projected(_ inputs: Tensor<Scalar>) -> Tensor<Scalar>
    /// One step from rows made by `projected(_:)`; by default the cell itself.
    func step(_ state: State, projected: Tensor<Scalar>) -> (State, Tensor<Scalar>)
    /// The whole fold over projected steps (`[time, batch, …]`) as one fused operation, if the
    /// cell has one; it must compute what stepping does. By default nil: the fold steps the cell.
    func fusedFold(
        overProjected steps: Tensor<Scalar>, from state: State?, mask: Tensor<Scalar>?, truncation: Int?
    ) -> (state: State, outputs: Tensor<Scalar>)?
}

extension RecurrentCell {
    /// The inputs themselves.
    @inlinable
    public func projected(_ inputs: Tensor<Scalar>) -> Tensor<Scalar> { inputs }

    /// None: the fold steps the cell.
    @inlinable
    public func fusedFold(
        overProjected steps: Tensor<Scalar>, from state: State?, mask: Tensor<Scalar>?, truncation: Int?
    ) -> (state: State, outputs: Tensor<Scalar>)? { nil }

    /// The cell applied to `(state, projected)`.
    @inlinable
    public func step(_ state: State, projected: Tensor<Scalar>) -> (State, Tensor<Scalar>) {
        self((state, projected))
    }

    /// One step: the new state and the step's output for `input` (`[batch, features]`).
    @inlinable
    public func callAsFunction(_ state: State, _ input: Tensor<Scalar>) -> (State, Tensor<Scalar>) {
        self((state, input))
    }
}
