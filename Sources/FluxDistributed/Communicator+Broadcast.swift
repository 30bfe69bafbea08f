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
        try broadcastCheckpoint(of: model, from: root, what: "model") {
            model.safeTensors()
        } read: {
            (file: SafeTensors, name: String) throws(CheckpointError) -> M in
            try model.loaded(from: file, file: name).model
        }
    }

    /// Process `root`'s `model` and `optimizer` on every process: what resuming a run from a
    /// checkpoint that only `root` can read needs (the optimizer's state and step count travel
    /// with the model).
    ///
    /// ```swift
    /// var optimizer = Adam(for: model, learningRate: 1e-3)
    /// if world.isRoot { (model, optimizer) = try optimizer.loaded(from: "/tmp/run.safetensors", model: model) }
    /// (model, optimizer) = try world.broadcast(model, optimizer)
    /// ```
    /// Make the optimizer the same way on every process (its rule, hyperparameters and
    /// schedule are code); the broadcast carries its state.
    ///
    /// - Throws: on every process, ``DistributedError/mismatch(operation:rank:detail:)``
    ///   naming the first rank whose model or optimizer differs from `root`'s; or an MPI error.
    public func broadcast<M: ParameterContainer, R: OptimizerRule>(
        _ model: M, _ optimizer: Optimizer<M, R>, from root: Int = 0
    ) throws(DistributedError) -> (model: M, optimizer: Optimizer<M, R>) {
        try broadcastCheckpoint(of: model, from: root, what: "model and optimizer") {
            (try? optimizer.safeTensors(model)) ?? SafeTensors()
        } read: { (file: SafeTensors, name: String) throws(CheckpointError) -> (model: M, optimizer: Optimizer<M, R>) in
            try optimizer.loaded(from: file, file: name, model: model)
        }
    }

    /// Process `root`'s checkpoint (`write` there) read on every other process by `read`,
    /// after checking that every process's `model` has the layout of `root`'s; a process that
    /// cannot read it stops every process, naming it.
    private func broadcastCheckpoint<M: ParameterContainer, T>(
        of model: M, from root: Int, what: String, write: () -> SafeTensors,
        read: (SafeTensors, String) throws(CheckpointError) -> T
    ) throws(DistributedError) -> T {
        try requireRank(root, operation: "broadcast")
        try requireSameLayout(ModelLayout(of: model, includingState: true), root: root, operation: "broadcast")
        let bytes = try broadcast(bytes: rank == root ? write().serialized : [], from: root, operation: "broadcast")
        let name = "rank \(root)'s \(what)"
        var received: T?
        var failure: String?
        do { received = try read(SafeTensors(bytes: bytes, name: name), name) } catch {
            failure = "could not take \(name): \(error)"
        }
        try agree(failure, operation: "broadcast")
        return received!
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
