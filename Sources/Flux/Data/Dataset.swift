/// Examples for training: `inputs` and `labels` whose first axis counts the examples, so
/// that row `i` of one belongs with row `i` of the other.
///
/// A value: subscripting, splitting and batching gather rows into new tensors and leave
/// the dataset as it was. Every shuffle is drawn from a seed, so a run can be replayed.
///
/// ```swift
/// let data = Dataset(inputs: inputs, labels: labels)         // [8, 4] and [8]
/// let parts = data.split(fractions: [0.75, 0.25], shuffledBy: 7)
/// let (train, test) = (parts[0], parts[1])                   // 6 and 2 examples
/// let firstTwo = train[0..<2]
/// ```
public struct Dataset<Input: TensorScalar, Label: TensorScalar>: Sendable {
    /// `[count, …]`: one row per example.
    public let inputs: Tensor<Input>
    /// `[count, …]`: one row per example (`[count]` for class indices).
    public let labels: Tensor<Label>

    /// The examples whose inputs are the rows of `inputs` and whose labels are the rows of
    /// `labels`.
    ///
    /// - Precondition: both have at least one axis and their first extents agree; otherwise
    ///   the program stops with a message naming both shapes.
    public init(inputs: Tensor<Input>, labels: Tensor<Label>) {
        guard inputs.rank >= 1, labels.rank >= 1, inputs.shape[0] == labels.shape[0] else {
            fail(
                "Dataset(inputs:labels:): inputs of shape \(inputs.shape) and labels of shape \(labels.shape) "
                    + "do not have the same first extent (one row per example)")
        }
        (self.inputs, self.labels) = (inputs, labels)
    }

    /// The number of examples.
    public var count: Int { inputs.shape[0] }

    /// The examples at `indices`, in that order (an index may repeat).
    ///
    /// - Precondition: every index is in `0..<count`.
    public subscript(indices: some Collection<Int>) -> Dataset {
        let positions = Array(indices)
        for i in positions where i < 0 || i >= count {
            fail("Dataset subscript: index \(i) is outside 0..<\(count)")
        }
        return positions.withUnsafeBufferPointer { rows(at: $0) }
    }

    /// The examples at `positions` (already checked), as new contiguous tensors.
    func rows(at positions: UnsafeBufferPointer<Int>) -> Dataset {
        Dataset(inputs: inputs.gatheringRows(positions), labels: labels.gatheringRows(positions))
    }

    /// The examples cut into consecutive parts of `counts` examples, after a shuffle drawn
    /// from `seed` (in their order when `seed` is nil): the parts are disjoint and together
    /// hold every example once. The same seed gives the same parts.
    ///
    /// ```swift
    /// let parts = Dataset(inputs: inputs, labels: labels).split(counts: [6, 1, 1], shuffledBy: 0)
    /// let (train, validation, test) = (parts[0], parts[1], parts[2])
    /// ```
    /// - Precondition: no count is negative and they add up to ``count``.
    public func split(counts: [Int], shuffledBy seed: UInt64?) -> [Dataset] {
        guard counts.allSatisfy({ $0 >= 0 }), counts.reduce(0, +) == count else {
            fail("Dataset.split(counts:): the counts \(counts) do not add up to the \(count) examples")
        }
        var order = Array(0..<count)
        if let seed {
            var generator = RandomGenerator(seed: seed)
            shuffle(&order, using: &generator)
        }
        var start = 0
        return order.withUnsafeBufferPointer { all in
            counts.map { n in
                defer { start += n }
                return rows(at: UnsafeBufferPointer(rebasing: all[start..<start + n]))
            }
        }
    }

    /// The examples cut into parts holding the given fractions of them (rounded, so that
    /// the parts still hold every example once), after a shuffle drawn from `seed`; see
    /// ``split(counts:shuffledBy:)``.
    ///
    /// - Precondition: no fraction is negative and they add up to 1.
    public func split(fractions: [Double], shuffledBy seed: UInt64?) -> [Dataset] {
        let total = fractions.reduce(0, +)
        guard fractions.allSatisfy({ $0 >= 0 }), abs(total - 1) < 1e-9 else {
            fail("Dataset.split(fractions:): the fractions \(fractions) do not add up to 1")
        }
        // Each part ends at its rounded cumulative fraction: the rounding errors do not add up.
        var (sum, previous) = (0.0, 0)
        let counts = fractions.indices.map { i in
            sum += fractions[i]
            let end = i == fractions.count - 1 ? count : min(count, Int((sum * Double(count)).rounded()))
            defer { previous = end }
            return end - previous
        }
        return split(counts: counts, shuffledBy: seed)
    }
}

extension Dataset where Label == Int {
    /// The same inputs with each class index `k` of `labels` replaced by a row of `classes`
    /// zeros holding a 1 at `k` (``Tensor/init(oneHotAtIndices:depth:)``).
    ///
    /// ```swift
    /// let data = Dataset(inputs: inputs, labels: labels).oneHotLabels(classes: 10, as: Float.self)
    /// ```
    /// - Precondition: every label is in `0..<classes`.
    public func oneHotLabels<T: TensorNumeric>(classes: Int, as type: T.Type) -> Dataset<Input, T> {
        Dataset<Input, T>(inputs: inputs, labels: Tensor<T>(oneHotAtIndices: labels, depth: classes))
    }
}

extension Tensor {
    /// The rows (slices along axis 0) at `positions`, which are in range, copied one after
    /// another into a new constant tensor: one pass, a block copy per row.
    func gatheringRows(_ positions: UnsafeBufferPointer<Int>) -> Tensor {
        let rowShape = Array(shape.dropFirst())
        let width = rowShape.reduce(1, *)
        return withUnsafeBufferPointer { source in
            Tensor(shape: [positions.count] + rowShape, operation: "Dataset rows") { out in
                guard width > 0, var destination = out.baseAddress else { return }
                for i in positions {
                    destination.initialize(from: source.baseAddress! + i * width, count: width)
                    destination += width
                }
            }
        }
    }
}
