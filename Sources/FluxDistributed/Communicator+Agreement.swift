import CMPI

// Stopping every process, not just one, when the processes disagree: a process that threw
// alone would leave the others waiting in the next collective operation forever.

extension Communicator {
    /// Throws the same ``DistributedError/mismatch(operation:rank:detail:)`` on every process
    /// when any process has a `failure`: the lowest such rank's. Returns when none has.
    func agree(_ failure: String?, operation: String) throws(DistributedError) {
        let failed = try allGather(failure == nil ? 0 : 1, operation: operation)
        guard let first = failed.firstIndex(of: 1) else { return }
        let message = try broadcast(bytes: Array((failure ?? "").utf8), from: first, operation: operation)
        throw .mismatch(operation: operation, rank: first, detail: String(decoding: message, as: UTF8.self))
    }

    /// Returns when every process has `layout`; otherwise every process throws the
    /// ``DistributedError/mismatch(operation:rank:detail:)`` of the lowest rank whose layout
    /// differs from `root`'s, naming the first difference.
    ///
    /// The common case costs one all-reduce of two integers: the layouts' signatures.
    func requireSameLayout(_ layout: ModelLayout, root: Int = 0, operation: String) throws(DistributedError) {
        let signature = layout.signature
        // The maxima of s and of ~s (which reverses the order) give the largest and smallest s.
        let extremes = try allReduced([signature, ~signature], flux_mpi_max()!, operation: operation)
        if extremes[0] == ~extremes[1] { return }  // every process decides alike: they have the same extremes
        let reference = ModelLayout(
            serialized: try broadcast(bytes: layout.serialized, from: root, operation: operation))
        // Some process differs from the root (if two differ from each other, one of them does).
        try agree(layout.difference(from: reference, rank: rank, root: root), operation: operation)
    }
}
