// Whole-model precision conversion, in the spirit of Flux.jl's `f64`/`f32`.

extension ParameterContainer {
    /// `template` with this model's parameters in their places, each converted to the scalar
    /// type that `template` holds there: a `Float` model as `Double` (to check its gradient
    /// in `Double`, or evaluate it more precisely), or back.
    ///
    /// Swift closures have one scalar type (a `Dense<Float>`'s activation is a function of
    /// `Tensor<Float>`), so a model cannot be rebuilt at another precision from its value
    /// alone: `template` is the same architecture built at the target precision, from the
    /// same code, and only its parameters are replaced.
    /// ```swift
    /// let model = Chain { Dense(4, 8, relu); Dense(8, 1) }   // Float, trained
    /// let model64 = model.converted(into: Chain(of: Double.self) { Dense<Double>(4, 8, relu); Dense<Double>(8, 1) })
    /// ```
    /// ``LayerState`` (BatchNorm's running statistics, say) comes from this model too, its
    /// tensors converted like parameters. Everything else that is not a parameter (sizes,
    /// activations, modes, ``Frozen`` tensors) comes from `template`.
    /// - Precondition: both have the same parameter paths, in the same order, with the same
    ///   shapes; the first difference is named.
    public func converted<Target: ParameterContainer>(into template: Target) -> Target {
        let operation = "converted(into:)"
        var source = self
        var found: [(path: String, value: AnyParameter)] = []
        var states: [(path: String, value: Any)] = []
        let collect = { (field: StateReference) -> Void in
            if let type = field.type { states.append((field.path, type._value(at: field.field(0)))) }
        }
        forEachParameter(of: &source, operation: operation, states: collect) { parameter in
            switch parameter.kind {
            case .float: found.append((parameter.path, .float(parameter.tensor(0, as: Float.self).pointee)))
            case .double: found.append((parameter.path, .double(parameter.tensor(0, as: Double.self).pointee)))
            }
        }
        var target = template
        var next = 0
        var nextState = 0
        let assign = { (field: StateReference) -> Void in
            guard let type = field.type else { return }
            guard nextState < states.count, states[nextState].path == field.path else {
                let had = nextState < states.count ? "`\(states[nextState].path)`" : "nothing"
                fail(
                    "\(operation): layer state \(nextState) is `\(field.path)` in \(Target.self) but \(had) in \(Self.self); build the template with the same layers in the same order"
                )
            }
            let value = states[nextState].value
            let converted: Any? =
                switch value {
                case let t as Tensor<Float>: Tensor<Double>(t)
                case let t as Tensor<Double>: Tensor<Float>(t)
                default: nil
                }
            guard
                type._assign(value, at: field.field(0))
                    || converted.map({ type._assign($0, at: field.field(0)) }) == true
            else {
                fail(
                    "\(operation): layer state `\(field.path)` holds a \(Swift.type(of: value)), which \(Target.self) cannot hold there"
                )
            }
            nextState += 1
        }
        forEachParameter(of: &target, operation: operation, states: assign) { parameter in
            guard next < found.count else {
                fail(
                    "\(operation): \(Target.self) has more parameters than \(Self.self) (\(found.count)); the first extra one is `\(parameter.path)`"
                )
            }
            let (path, value) = found[next]
            guard path == parameter.path else {
                fail(
                    "\(operation): parameter \(next) is `\(path)` in \(Self.self) but `\(parameter.path)` in \(Target.self); build the template with the same layers in the same order"
                )
            }
            switch parameter.kind {
            case .float: parameter.replace(with: value, as: Float.self, operation: operation)
            case .double: parameter.replace(with: value, as: Double.self, operation: operation)
            }
            next += 1
        }
        guard nextState == states.count else {
            fail(
                "\(operation): \(Target.self) has fewer layer states (\(nextState)) than \(Self.self) (\(states.count)); the first missing one is `\(states[nextState].path)`"
            )
        }
        guard next == found.count else {
            fail(
                "\(operation): \(Target.self) has fewer parameters (\(next)) than \(Self.self) (\(found.count)); the first missing one is `\(found[next].path)`"
            )
        }
        return target
    }
}

extension AnyParameter {
    /// The tensor, converted to `S`.
    fileprivate func converted<S: TensorFloatingPoint>(to _: S.Type) -> Tensor<S> {
        switch self {
        case .float(let t): Tensor<S>(t.withoutDerivative)
        case .double(let t): Tensor<S>(t.withoutDerivative)
        }
    }
}

extension ParameterReference {
    /// Replaces the `S` tensor of value 0 with `value` converted to `S`, after checking shapes.
    fileprivate func replace<S: TensorFloatingPoint>(with value: AnyParameter, as _: S.Type, operation: String) {
        let p = tensor(0, as: S.self)
        guard p.pointee.shape == value.shape else {
            fail("\(operation): `\(path)` has shape \(value.shape) in the model but \(p.pointee.shape) in the template")
        }
        p.pointee = value.converted(to: S.self)
    }
}
