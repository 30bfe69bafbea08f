// The tensor layer states of a model (BatchNorm's running statistics) by path, read and
// replaced in bulk: what averaging them across processes, or inspecting them, needs.

extension ParameterContainer {
    /// Every ``LayerState`` that holds a tensor of `scalarType` (BatchNorm's running mean and
    /// variance, say), with its path (`layers.1.runningMean`), in declaration order.
    ///
    /// ```swift
    /// let model = Chain { Dense(2, 4); BatchNorm<Float>(4) }
    /// print(model.stateTensors().map(\.path))   // ["layers.1.runningMean", "layers.1.runningVariance"]
    /// ```
    public func stateTensors<S: TensorFloatingPoint>(
        of scalarType: S.Type = Float.self
    ) -> [(path: String, tensor: Tensor<S>)] {
        var copy = self
        var found: [(path: String, tensor: Tensor<S>)] = []
        let states = { (field: StateReference) -> Void in
            guard let type = field.type, let tensor = type._value(at: field.field(0)) as? Tensor<S> else { return }
            found.append((field.path, tensor))
        }
        forEachParameter(of: &copy, operation: "stateTensors", states: states) { _ in }
        return found
    }

    /// Replaces every ``LayerState`` that holds a `Float` or `Double` tensor with
    /// `transform` of it, in declaration order (layer states of other types are left alone).
    ///
    /// - Precondition: `transform` keeps each state's scalar type and shape.
    public mutating func mapStateTensors(_ transform: (inout AnyParameter) -> Void) {
        // The walk keeps its state callback as an optional (escaping) closure; this one ends with it.
        withoutActuallyEscaping(transform) { transform in mapStateTensors(escaping: transform) }
    }

    private mutating func mapStateTensors(escaping transform: @escaping (inout AnyParameter) -> Void) {
        let states = { (field: StateReference) -> Void in
            guard let type = field.type else { return }
            let current: AnyParameter
            switch type._value(at: field.field(0)) {
            case let t as Tensor<Float>: current = .float(t)
            case let t as Tensor<Double>: current = .double(t)
            default: return
            }
            var new = current
            transform(&new)
            guard new.shape == current.shape, new.isFloat == current.isFloat,
                type._assign(new.value, at: field.field(0))
            else {
                fail(
                    "mapStateTensors: the layer state `\(field.path)` is a \(current.isFloat ? "Float" : "Double") tensor of shape \(current.shape); the transform returned a \(new.isFloat ? "Float" : "Double") tensor of shape \(new.shape)"
                )
            }
        }
        forEachParameter(of: &self, operation: "mapStateTensors", states: states) { _ in }
    }
}
