// State that a layer carries from one training step to the next without an optimizer
// training it (BatchNorm's running statistics, Dropout's generator), kept pure: a forward
// pass never mutates a model. Inside a gradient computation of the model, a layer records
// the state's next value; the gradient carries it, and the optimizer's update writes it into
// the new model, with the new parameters.

/// A value in a model that the model's training steps update but no optimizer trains:
/// running statistics, a random generator's position, a step counter.
///
/// A layer reads it as an ordinary stored property and, while training, records its next
/// value with `$name.update(to:)`. Nothing changes during the forward pass: inside
/// `valueWithGradient(at: model)` the recorded value travels in the ``Gradient``, and
/// ``Optimizer/update(_:along:)`` stores it in the model it returns, along with the new
/// parameters. Outside a gradient computation of the model there is no step to carry it, so
/// `update(to:)` does nothing (``isRecording`` is false).
/// ```swift
/// struct Counter: Model {
///     var weight = Tensor<Float>(ones: [1])
///     @LayerState var calls = 0
///     func callAsFunction(_ x: Tensor<Float>) -> Tensor<Float> {
///         $calls.update(to: calls + 1)          // one more after each training step
///         return x * weight
///     }
/// }
/// ```
@propertyWrapper
public struct LayerState<Value>: _LayerStateField {
    /// The state as of the last update.
    public var wrappedValue: Value
    /// Where an update goes while a gradient computation of the model is running.
    @usableFromInline var binding: StateBinding?

    /// Wraps `wrappedValue`.
    public init(wrappedValue: Value) { (self.wrappedValue, binding) = (wrappedValue, nil) }

    /// This state, for ``update(to:)`` and ``isRecording`` (`$name`).
    public var projectedValue: LayerState<Value> { self }

    /// Whether a gradient computation of the model that holds this state is running, so that
    /// ``update(to:)`` takes effect: what `LayerMode.automatic` calls training.
    @inlinable public var isRecording: Bool { binding?.recorder.isOpen == true }

    /// Records `newValue` as this state after the current training step: the gradient carries
    /// it and the optimizer's update stores it in the new model. The last update of a step
    /// wins. Does nothing outside a gradient computation of the model.
    @inlinable
    public func update(to newValue: Value) {
        guard let binding, binding.recorder.isOpen else { return }
        binding.recorder.updates[binding.index] = newValue
    }

    @usableFromInline static func _bind(at field: UnsafeMutableRawPointer, to recorder: StateRecorder) {
        let state = field.assumingMemoryBound(to: Self.self)
        state.pointee.binding = StateBinding(recorder: recorder, index: recorder.count)
        recorder.count += 1
    }

    @usableFromInline static func _settle(at field: UnsafeMutableRawPointer) {
        let state = field.assumingMemoryBound(to: Self.self)
        guard let binding = state.pointee.binding else { return }
        if let value = binding.recorder.updates[binding.index] as? Value { state.pointee.wrappedValue = value }
        state.pointee.binding = nil
    }

    @usableFromInline static func _copy(from source: UnsafeRawPointer, to target: UnsafeMutableRawPointer) {
        target.assumingMemoryBound(to: Self.self).pointee.wrappedValue =
            source.assumingMemoryBound(to: Self.self).pointee.wrappedValue
    }

    @usableFromInline static func _value(at field: UnsafeRawPointer) -> Any {
        field.assumingMemoryBound(to: Self.self).pointee.wrappedValue
    }

    @usableFromInline static func _assign(_ value: Any, at field: UnsafeMutableRawPointer) -> Bool {
        guard let value = value as? Value else { return false }
        field.assumingMemoryBound(to: Self.self).pointee.wrappedValue = value
        return true
    }
}

extension LayerState: Equatable where Value: Equatable {
    public static func == (a: Self, b: Self) -> Bool { a.wrappedValue == b.wrappedValue }
}
extension LayerState: @unchecked Sendable where Value: Sendable {}

/// What the parameter layout knows of a ``LayerState`` field: how to bind it to a gradient
/// computation, settle its update, and copy it between values of the same type.
@usableFromInline
protocol _LayerStateField {
    static func _bind(at field: UnsafeMutableRawPointer, to recorder: StateRecorder)
    static func _settle(at field: UnsafeMutableRawPointer)
    static func _copy(from source: UnsafeRawPointer, to target: UnsafeMutableRawPointer)
    static func _value(at field: UnsafeRawPointer) -> Any
    static func _assign(_ value: Any, at field: UnsafeMutableRawPointer) -> Bool
}

/// A state field's place among the states of one gradient computation.
@usableFromInline
struct StateBinding {
    @usableFromInline let recorder: StateRecorder
    @usableFromInline let index: Int
    @inlinable init(recorder: StateRecorder, index: Int) { (self.recorder, self.index) = (recorder, index) }
}

/// The state updates of one gradient computation, by the order in which its arguments'
/// states were bound. It belongs to the computation's tape and is closed with it.
@usableFromInline
final class StateRecorder {
    @usableFromInline var updates: [Int: Any] = [:]
    @usableFromInline var count = 0
    @usableFromInline var isOpen = true
    @usableFromInline init() {}
}

/// A state or mode field met by a walk: its type's operations and where it sits in each value.
@usableFromInline
struct StateReference {
    /// The ``LayerState`` type, or nil for a ``LayerMode`` field.
    @usableFromInline let type: (any _LayerStateField.Type)?
    @usableFromInline let roots: UnsafeMutablePointer<UnsafeMutableRawPointer>
    @usableFromInline let offset: Int
    let entry: ParameterLayout.Entry
    let frame: UnsafePointer<PathFrame>?

    /// The field in value `i`.
    @inlinable func field(_ i: Int) -> UnsafeMutableRawPointer { roots[i] + offset }

    /// The path from the value, e.g. `layers.1.runningMean`.
    var path: String { entry.path(under: frame) }
}
