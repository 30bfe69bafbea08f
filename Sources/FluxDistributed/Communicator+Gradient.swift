import CMPI
import Flux

/// How ``Communicator/allReduce(_:_:)-(Gradient<M>,_)`` combines the processes' values.
public enum Reduction: Sendable, Hashable {
    /// The sum over the processes.
    case sum
    /// The mean over the processes: what data-parallel training applies to gradients of
    /// per-process mean losses over equal parts of a batch, giving the whole batch's gradient.
    case mean
}

extension Communicator {
    /// The sum or mean of every process's `gradient`, on every process: one MPI all-reduce
    /// per scalar type (all parameters packed into one message, not one per tensor).
    ///
    /// Layer state that the gradient carries (BatchNorm's running statistics, updated by
    /// each process from its own part of the batch) is averaged whatever `reduction` is, so
    /// that every process's model stays the same; states that are not tensors (Dropout's
    /// generator) stay each process's own, and advance alike on every process.
    ///
    /// ```swift
    /// let (loss, grad) = valueWithGradient(at: model) { m in softmaxCrossEntropy(logits: m(x), labels: labels) }
    /// optimizer.update(&model, along: try world.allReduce(grad, .mean))
    /// ```
    /// Before combining, the processes check (with one all-reduce of two integers) that
    /// their gradients have the same parameters, in the same order, of the same shapes.
    ///
    /// - Throws: on every process, ``DistributedError/mismatch(operation:rank:detail:)``
    ///   naming the first rank whose model differs from rank 0's and how; or an MPI error.
    public func allReduce<M: ParameterContainer>(
        _ gradient: Gradient<M>, _ reduction: Reduction = .mean
    ) throws(DistributedError) -> Gradient<M> {
        let layout = ModelLayout(of: gradient.base, includingState: true)
        try requireSameLayout(layout, operation: "allReduce")
        if size == 1 { return gradient }  // the sum and the mean of one
        let packed = PackedTensors(gradient.base, layout: layout, in: workspace)
        try packed.sum(over: self, operation: "allReduce")
        let mean = 1 / Double(size)
        return Gradient(
            packed.unpacked(into: gradient.base, parameterScale: reduction == .mean ? mean : 1, stateScale: mean))
    }

    /// The sum or mean over the processes of each element of `values` (a metric, say), on every process.
    ///
    /// - Throws: on every process, ``DistributedError/mismatch(operation:rank:detail:)`` when
    ///   the processes pass different numbers of values; or an MPI error.
    public func allReduce(_ values: [Double], _ reduction: Reduction) throws(DistributedError) -> [Double] {
        let counts = try allGather(Int64(values.count), operation: "allReduce")
        if let other = counts.firstIndex(where: { $0 != counts[0] }) {
            throw .mismatch(
                operation: "allReduce", rank: other,
                detail: "passes \(counts[other]) values where rank 0 passes \(counts[0])")
        }
        let sums = try allReduced(values, flux_mpi_sum()!, operation: "allReduce")
        return reduction == .sum ? sums : sums.map { $0 / Double(size) }
    }

    /// The sum or mean of `value` over the processes, on every process.
    public func allReduce(_ value: Double, _ reduction: Reduction) throws(DistributedError) -> Double {
        try allReduce([value], reduction)[0]
    }
}
