import Flux

extension Communicator {
    /// Process `root`'s `model` on every process: its parameters and layer state (running
    /// statistics, generators), so that every process starts from the same model whatever
    /// seed it drew its own from.
    ///
    /// ```swift
    /// var model = try world.broadcast(Chain { Dense(784, 128, relu); Dense(128, 10) })
    /// ```
    /// The model travels as a safetensors file in memory, and every process checks first
    /// that its own model has the same parameters and states (paths, types and shapes).
    ///
    /// - Throws: on every process, ``DistributedError/mismatch(operation:rank:detail:)``
    ///   naming the first rank whose model differs from `root`'s and the first difference; or
    ///   an MPI error.
    public func broadcast<M: ParameterContainer>(_ model: M, from root: Int = 0) throws(DistributedError) -> M {
        try requireRank(root, operation: "broadcast")
        try requireSameLayout(ModelLayout(of: model, includingState: true), root: root, operation: "broadcast")
        let bytes = try broadcast(
            bytes: rank == root ? model.safeTensors().serialized : [], from: root, operation: "broadcast")
        var received = model
        var failure: String?
        if rank != root {
            do {
                let name = "rank \(root)'s model"
                received = try model.loaded(from: SafeTensors(bytes: bytes, name: name), file: name).model
            } catch {
                failure = "could not take rank \(root)'s model: \(error)"
            }
        }
        try agree(failure, operation: "broadcast")
        return received
    }

    /// Process `root`'s `value` on every process (a seed drawn on one process, say).
    public func broadcast(_ value: UInt64, from root: Int = 0) throws(DistributedError) -> UInt64 {
        try requireRank(root, operation: "broadcast")
        let bytes = withUnsafeBytes(of: value.littleEndian) { Array($0) }
        let received = try broadcast(bytes: bytes, from: root, operation: "broadcast")
        return received.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
    }

    /// Every process's `values` (any number each), by rank, on process `root`; nil on the
    /// others. For metrics computed on each process's part of the data.
    ///
    /// ```swift
    /// let (loss, accuracy) = (0.31, 0.92)  // this process's
    /// if let all = try world.gather([loss, accuracy]) { print(all) }  // rank 0: [[0.31, 0.92], [0.29, 0.93]]
    /// ```
    public func gather(_ values: [Double], to root: Int = 0) throws(DistributedError) -> [[Double]]? {
        try requireRank(root, operation: "gather")
        return try gather(values, to: root, operation: "gather")
    }

    /// Every process's `value`, by rank, on process `root`; nil on the others.
    public func gather(_ value: Double, to root: Int = 0) throws(DistributedError) -> [Double]? {
        try gather([value], to: root)?.map { $0[0] }
    }

    /// Throws unless `root` is a rank of this communicator (the same check on every process).
    func requireRank(_ root: Int, operation: String) throws(DistributedError) {
        guard (0..<size).contains(root) else {
            throw .invalidArgument(
                operation: operation, detail: "rank \(root) is not in the group of \(size) (0..<\(size))")
        }
    }
}

extension Batches {
    /// This process's part of every batch: `Batches.sharded(_:of:)` by the communicator's
    /// rank and size.
    ///
    /// ```swift
    /// for (x, y) in train.batches(size: 64, shuffledBy: 7, epoch: epoch).sharded(for: world) { _ = (x, y) }
    /// ```
    public func sharded(for communicator: Communicator) -> Batches {
        sharded(communicator.rank, of: communicator.size)
    }
}
