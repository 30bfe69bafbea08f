extension Optimizer {
    /// Writes `model` and this optimizer to one safetensors file at `path`, atomically, so that
    /// training resumes exactly where it stopped: the model's tensors and layer state under
    /// their paths (as ``ParameterContainer/save(to:metadata:)`` writes them), the optimizer's
    /// state tensor `k` of each parameter under `optimizer.state.k.<path>`, and its step
    /// counts in the metadata (`flux.optimizer`, `flux.optimizer.step`,
    /// `flux.optimizer.skipped`) beside yours. The hyperparameters and the learning-rate
    /// schedule are code: make the optimizer the same way before loading.
    /// ```swift
    /// try optimizer.save(model, to: "/tmp/run.safetensors", metadata: ["epoch": "4"])
    /// (model, optimizer) = try optimizer.loaded(from: "/tmp/run.safetensors", model: model)
    /// ```
    /// - Throws: ``CheckpointError/unwritable(path:reason:)``; a metadata key of yours that
    ///   starts with `flux.` is refused as ``CheckpointError/mismatch(path:name:reason:)``.
    public func save(_ model: Model, to path: String, metadata: [String: String] = [:]) throws(CheckpointError) {
        try safeTensors(model, metadata: metadata, file: path).write(to: path)
    }

    /// `model` and this optimizer as the safetensors file ``save(_:to:metadata:)`` writes,
    /// in memory (to send to another process, say).
    ///
    /// - Throws: a metadata key of yours that starts with `flux.`, as
    ///   ``CheckpointError/mismatch(path:name:reason:)``.
    public func safeTensors(_ model: Model, metadata: [String: String] = [:]) throws(CheckpointError) -> SafeTensors {
        try safeTensors(model, metadata: metadata, file: "safetensors")
    }

    /// The checkpoint of `model` and this optimizer; `name` stands for the file in errors.
    private func safeTensors(_ model: Model, metadata: [String: String], file name: String) throws(CheckpointError)
        -> SafeTensors
    {
        if let key = metadata.keys.first(where: { $0.hasPrefix("flux.") }) {
            throw .mismatch(
                path: name, name: key, reason: "is a metadata key; keys starting with `flux.` are Flux's own")
        }
        var file = model.safeTensors(metadata: metadata, includingState: true)
        file.metadata["flux.optimizer"] = Rule.optimizerName
        file.metadata["flux.optimizer.step"] = String(steps)
        file.metadata["flux.optimizer.skipped"] = String(skipped)
        file.metadata["flux.optimizer.slots"] = String(slots.count)
        for (k, slot) in slots.enumerated() {
            let part = slot.base.safeTensors(metadata: [:], includingState: false, prefix: Self.prefix(k))
            for name in part.names { file[name] = part[name] }
        }
        return file
    }

    /// `model` and this optimizer with everything read from a file written by
    /// ``save(_:to:metadata:)``: the continuation of the saved run, step for step.
    ///
    /// - Throws: ``CheckpointError``: the file's own problems; a tensor of the wrong shape;
    ///   missing tensors, or tensors neither the model nor the optimizer has; a file saved
    ///   by another optimizer rule or with another number of state slots.
    public func loaded(from path: String, model: Model) throws(CheckpointError) -> (model: Model, optimizer: Self) {
        try loaded(from: SafeTensors(contentsOf: path), file: path, model: model)
    }

    /// `model` and this optimizer read from `file`, a checkpoint that ``safeTensors(_:metadata:)``
    /// made (named `path` in errors); see ``loaded(from:model:)``.
    public func loaded(from file: SafeTensors, file path: String = "safetensors", model: Model) throws(CheckpointError)
        -> (model: Model, optimizer: Self)
    {
        let (loadedModel, report) = try model.loaded(from: file, file: path, strict: false, includingState: true)
        let strangers = report.unexpected.filter { !$0.hasPrefix("optimizer.state.") }
        guard report.missing.isEmpty, strangers.isEmpty else {
            throw .keys(path: path, missing: report.missing, unexpected: strangers)
        }
        func number(_ key: String) throws(CheckpointError) -> Int {
            guard let text = file.metadata[key], let value = Int(text), value >= 0 else {
                throw .malformed(
                    path: path,
                    reason:
                        "metadata `\(key)` is \(file.metadata[key].map { "\"\($0)\"" } ?? "absent"); an optimizer checkpoint has a count there"
                )
            }
            return value
        }
        guard file.metadata["flux.optimizer"] == Rule.optimizerName else {
            throw .mismatch(
                path: path, name: "flux.optimizer",
                reason:
                    "is \(file.metadata["flux.optimizer"].map { "\"\($0)\"" } ?? "absent"), but this optimizer is \(Rule.optimizerName)"
            )
        }
        let slotCount = try number("flux.optimizer.slots")
        guard slotCount == rule.stateCount else {
            throw .mismatch(
                path: path, name: "flux.optimizer.slots",
                reason: "is \(slotCount), but \(rule) keeps \(rule.stateCount) state tensors per parameter")
        }
        var optimizer = self
        optimizer.slots = (0..<slotCount).map { _ in Gradient(zerosLike: model) }
        for k in 0..<slotCount {
            let (base, _) = try optimizer.slots[k].base.loaded(
                from: file, file: path, strict: true, includingState: false, prefix: Self.prefix(k))
            optimizer.slots[k] = Gradient(base)
        }
        (optimizer.steps, optimizer.skipped) = (try number("flux.optimizer.step"), try number("flux.optimizer.skipped"))
        return (loadedModel, optimizer)
    }

    /// Where state slot `k` is stored.
    private static func prefix(_ k: Int) -> String { "optimizer.state.\(k)." }
}
