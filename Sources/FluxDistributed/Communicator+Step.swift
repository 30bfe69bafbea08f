import Flux

extension Communicator {
    /// The mean over the processes of `f`'s value at `model` and of its gradient: each process
    /// runs `f` on its own part of the batch, and the gradients are averaged by an all-reduce,
    /// on every process. With equal parts of a batch and a mean loss, this is the value and the
    /// gradient of the whole batch.
    ///
    /// By default the whole gradient is one message (one per scalar type) after the backward
    /// pass. With `overlapping`, it travels in buckets of about `bucketBytes` while the pass
    /// goes on: each bucket is sent as soon as the pass has completed its parameters, the last
    /// layers' first. Both give the same result. On one machine, where the processes share
    /// memory and the same cores copy it, overlapping measured 3–8% slower for the peers'
    /// `mlp` (`make bench-distributed`); across machines, where the network moves the bytes
    /// while the processes compute, measure both. A model whose parameters are not all of
    /// `f`'s scalar type is always sent after the pass.
    ///
    /// ```swift
    /// let (loss, grad) = try world.valueWithGradient(at: model) { m in
    ///     softmaxCrossEntropy(logits: m(images), labels: labels)
    /// }
    /// optimizer.update(&model, along: grad)
    /// ```
    /// Layer state is averaged as in ``allReduce(_:_:)-(Gradient<M>,_)``.
    ///
    /// - Throws: on every process, ``DistributedError/mismatch(operation:rank:detail:)``
    ///   naming the first rank whose model differs from rank 0's; or an MPI error.
    public func valueWithGradient<S: TensorFloatingPoint, M: ParameterContainer>(
        at model: M, overlapping: Bool = false, bucketBytes: Int = 1 << 20, of f: (M) -> Tensor<S>
    ) throws(DistributedError) -> (value: S, gradient: Gradient<M>) {
        let layout = ModelLayout(of: model, includingState: true)
        try requireSameLayout(layout, operation: "valueWithGradient")
        // Alone, the mean is the process's own: nothing to send.
        if size == 1 { return Flux.valueWithGradient(at: model, of: f) }
        let mean = 1 / Double(size)
        let parameters = layout.entries.filter { !$0.isState }
        guard overlapping, parameters.allSatisfy({ $0.isFloat == (S.self == Float.self) }) else {
            let (value, gradient) = Flux.valueWithGradient(at: model, of: f)
            let packed = PackedTensors(gradient.base, layout: layout, extras: [value], in: workspace)
            try packed.sum(over: self, operation: "valueWithGradient")
            let base = packed.unpacked(into: gradient.base, parameterScale: mean, stateScale: mean)
            return (packed.extra(0, of: S.self) * S(mean), Gradient(base))
        }
        let buckets = try GradientBuckets(
            counts: parameters.map(\.count), isFloat: S.self == Float.self, bucketBytes: bucketBytes,
            communicator: self)
        let (value, gradient) = Flux.valueWithGradient(at: model, reportingEach: buckets.receive, of: f)
        // Then the states the step recorded and the loss, in one small message.
        let rest = PackedTensors(
            gradient.base, layout: layout, includingParameters: false, extras: [value], in: workspace)
        try buckets.finish()
        try rest.sum(over: self, operation: "valueWithGradient")
        var base = rest.unpacked(into: gradient.base, parameterScale: mean, stateScale: mean)
        var index = 0
        base.mapParameters { parameter in
            buckets.replace(&parameter, index, scale: mean)
            index += 1
        }
        return (rest.extra(0, of: S.self) * S(mean), Gradient(base))
    }
}
