/// Whether the layers that behave differently in training and in inference (``Dropout``,
/// ``BatchNorm``) train: a value stored in each such layer, set for a whole model at once with
/// ``ParameterContainer/withMode(_:)``.
///
/// The default, `automatic`, trains exactly inside a gradient computation of the model that
/// holds the layer (`valueWithGradient(at: model) { … }`) and infers everywhere else, as
/// Flux.jl's default does: a training loop and an evaluation need no switch at all. Set
/// `training` or `inference` to fix the behaviour, as for a gradient check of a training
/// step, a Monte Carlo dropout estimate or fine-tuning with frozen statistics.
/// ```swift
/// let evaluated = model.withMode(.inference)    // every Dropout and BatchNorm inside infers
/// ```
public enum LayerMode: Hashable, Sendable {
    /// Training inside a gradient computation of the model, inference elsewhere.
    case automatic
    /// Always training: batch statistics, dropped units.
    case training
    /// Always inference: running statistics, nothing dropped.
    case inference

    /// Whether a layer in this mode trains, given whether a gradient computation of its model
    /// is running (``LayerState/isRecording``).
    @inlinable
    public func isTraining(recording: Bool) -> Bool {
        switch self {
        case .automatic: recording
        case .training: true
        case .inference: false
        }
    }
}

extension ParameterContainer {
    /// A copy with every ``LayerMode`` inside, at any depth (chains, arrays, optionals), set
    /// to `mode`.
    /// ```swift
    /// let net = Chain { Dense(4, 8, relu); Dropout<Float>(0.5); Dense(8, 2) }
    /// let deterministic = net.withMode(.inference)
    /// ```
    public func withMode(_ mode: LayerMode) -> Self {
        var copy = self
        forEachParameter(
            of: &copy, operation: "withMode",
            states: { field in
                if field.type == nil { field.field(0).assumingMemoryBound(to: LayerMode.self).pointee = mode }
            }
        ) { _ in }
        return copy
    }
}
