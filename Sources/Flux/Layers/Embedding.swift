/// A lookup table from integer indices to vectors: index `i` becomes row `i` of ``table``.
///
/// Indices of any shape give vectors in a new last axis: `[batch, time]` tokens become
/// `[batch, time, width]`. The gradient of the table is scattered back, row by row, summed
/// over repeated indices; rows that were not looked up get zero. The table is
/// `[vocabulary, width]`, as PyTorch's `nn.Embedding.weight` (no transpose when porting),
/// and starts from N(0, 1), as PyTorch's does.
/// ```swift
/// let embed = Embedding<Float>(1000, 64)
/// let vectors = embed(Tensor<Int>([[3, 14, 15], [9, 2, 6]]))     // [2, 3, 64]
/// ```
public struct Embedding<Scalar: TensorFloatingPoint>: Model {
    /// `[vocabulary, width]`.
    public var table: Tensor<Scalar>

    /// An embedding with the given table.
    public init(table: Tensor<Scalar>) {
        guard table.rank == 2 else { fail("Embedding: the table is [vocabulary, width]; got shape \(table.shape)") }
        self.table = table
    }

    /// `vocabulary` vectors of `width` numbers, drawn from N(0, 1) with `generator`.
    public init<G: RandomNumberGenerator>(_ vocabulary: Int, _ width: Int, using generator: inout G) {
        guard vocabulary >= 0, width >= 0 else {
            fail("Embedding: vocabulary and width must not be negative, got \(vocabulary) and \(width)")
        }
        self.init(table: Tensor(randomNormal: [vocabulary, width], using: &generator))
    }

    /// `vocabulary` vectors of `width` numbers, from the default generator.
    public init(_ vocabulary: Int, _ width: Int) {
        self = RandomGenerator.withDefault { Embedding(vocabulary, width, using: &$0) }
    }

    /// The rows of the table at `indices`, in a new last axis.
    ///
    /// - Precondition: every index is in `0..<vocabulary` (as in PyTorch, negative indices
    ///   do not count from the end).
    @inlinable
    public func callAsFunction(_ indices: Tensor<Int>) -> Tensor<Scalar> {
        let vocabulary = table.shape[0]
        let outside = indices.withUnsafeBufferPointer { $0.first { $0 < 0 || $0 >= vocabulary } }
        if let outside {
            failInLayer(
                "Embedding(\(vocabulary) → \(table.shape[1]))",
                "index \(outside) is outside the vocabulary 0..<\(vocabulary)")
        }
        return table.gathering(atIndices: indices)
    }
}
