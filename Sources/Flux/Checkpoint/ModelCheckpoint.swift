/// What a non-strict load left out: parameters the file did not have (kept as they were in
/// the model) and tensors of the file the model has no place for (PyTorch's
/// `load_state_dict(strict=False)` result).
public struct CheckpointLoadReport: Equatable, Sendable {
    /// Parameter paths of the model that the file lacks.
    public var missing: [String]
    /// Tensor names in the file that are no parameter path of the model.
    public var unexpected: [String]
}

extension ParameterContainer {
    /// The model's parameters, and its tensor ``LayerState`` (BatchNorm's running
    /// statistics), as a safetensors file named by parameter path: `layers.0.weight`,
    /// `layers.1.runningMean`. `Float` tensors are stored as F32, `Double` as F64.
    /// ```swift
    /// let model = Chain { Dense(4, 8, relu); Dense(8, 2) }
    /// try model.safeTensors(metadata: ["epoch": "3"]).write(to: "/tmp/model.safetensors")
    /// ```
    public func safeTensors(metadata: [String: String] = [:]) -> SafeTensors {
        safeTensors(metadata: metadata, includingState: true)
    }

    /// The parameters (and, `includingState`, the layer state) as a safetensors file, each
    /// name after `prefix`.
    func safeTensors(metadata: [String: String], includingState: Bool, prefix: String = "") -> SafeTensors {
        var file = SafeTensors(metadata: metadata)
        var copy = self
        let states = { (field: StateReference) -> Void in
            guard includingState, let type = field.type else { return }
            let value = type._value(at: field.field(0))
            guard let entry = SafeTensors.Entry(state: value) else {
                fail(
                    "safeTensors: the layer state `\(prefix + field.path)` is a \(Swift.type(of: value)), which a checkpoint cannot hold (it holds Float and Double tensors, RandomGenerator, Int, Float, Double and Bool)"
                )
            }
            file[prefix + field.path] = entry
        }
        forEachParameter(of: &copy, operation: "safeTensors", states: states) { parameter in
            switch parameter.kind {
            case .float: file[prefix + parameter.path] = .init(parameter.tensor(0, as: Float.self).pointee)
            case .double: file[prefix + parameter.path] = .init(parameter.tensor(0, as: Double.self).pointee)
            }
        }
        return file
    }

    /// Writes the model to `path` as safetensors (``safeTensors(metadata:)``), atomically: a
    /// process killed in the middle leaves the previous checkpoint intact.
    ///
    /// - Throws: ``CheckpointError/unwritable(path:reason:)``.
    public func save(to path: String, metadata: [String: String] = [:]) throws(CheckpointError) {
        try safeTensors(metadata: metadata).write(to: path)
    }

    /// This model with every parameter (and tensor layer state) read from the safetensors
    /// file at `path`, by path. Strict: the file must hold exactly the model's tensors, each
    /// of its shape, in a floating-point dtype (F16 and BF16 are widened, F64 into a `Float`
    /// model rounded).
    ///
    /// - Throws: ``CheckpointError``: the file's own problems, then the first tensor of the
    ///   wrong dtype or shape, then the missing and unexpected names.
    public func loaded(from path: String) throws(CheckpointError) -> Self {
        try loaded(from: SafeTensors(contentsOf: path), file: path, strict: true).model
    }

    /// This model with the parameters the file at `path` has read from it, and a report of
    /// the model's parameters it lacks (left as they are) and of its tensors the model does
    /// not have, as PyTorch's `load_state_dict(strict=False)`. A tensor of the wrong shape or
    /// dtype still throws.
    public func loaded(from path: String, strict: Bool) throws(CheckpointError) -> (
        model: Self, report: CheckpointLoadReport
    ) {
        try loaded(from: SafeTensors(contentsOf: path), file: path, strict: strict)
    }

    /// This model with its tensors read from `file` (named `name` in errors).
    public func loaded(from file: SafeTensors, file name: String = "safetensors", strict: Bool = true)
        throws(CheckpointError) -> (model: Self, report: CheckpointLoadReport)
    {
        try loaded(from: file, file: name, strict: strict, includingState: true)
    }

    /// This model with its tensors read from `file`, each name after `prefix`; layer state
    /// only when `includingState`. Names of `file` outside `prefix` are not reported.
    func loaded(
        from file: SafeTensors, file name: String, strict: Bool, includingState: Bool, prefix: String = ""
    ) throws(CheckpointError) -> (model: Self, report: CheckpointLoadReport) {
        var copy = self
        var used = Set<String>()
        var missing: [String] = []
        var failure: CheckpointError?
        func read<S: TensorFloatingPoint>(_ relative: String, like current: Tensor<S>) -> Tensor<S>? {
            let path = prefix + relative
            guard failure == nil else { return nil }
            guard let entry = file[path] else {
                missing.append(path)
                return nil
            }
            used.insert(path)
            guard entry.shape == current.shape else {
                failure = .mismatch(
                    path: name, name: path, reason: "has shape \(entry.shape), but the model's is \(current.shape)")
                return nil
            }
            do { return try file.tensor(path, as: S.self, file: name) } catch {
                failure = error
                return nil
            }
        }
        let states = { (field: StateReference) -> Void in
            guard includingState, failure == nil, let type = field.type else { return }
            switch type._value(at: field.field(0)) {
            case let t as Tensor<Float>:
                if let new = read(field.path, like: t) { _ = type._assign(new, at: field.field(0)) }
            case let t as Tensor<Double>:
                if let new = read(field.path, like: t) { _ = type._assign(new, at: field.field(0)) }
            case let current:
                // A generator or a number: stored as its own entry, checked against the kind.
                let path = prefix + field.path
                guard let entry = file[path] else { return missing.append(path) }
                used.insert(path)
                guard let value = entry.state(like: current) else {
                    failure = .mismatch(
                        path: name, name: path,
                        reason:
                            "is \(entry.dtype.rawValue) \(entry.shape), which does not hold a \(Swift.type(of: current))"
                    )
                    return
                }
                _ = type._assign(value, at: field.field(0))
            }
        }
        forEachParameter(of: &copy, operation: "loaded(from:)", states: states) { parameter in
            switch parameter.kind {
            case .float:
                let p = parameter.tensor(0, as: Float.self)
                if let new = read(parameter.path, like: p.pointee) { p.pointee = new }
            case .double:
                let p = parameter.tensor(0, as: Double.self)
                if let new = read(parameter.path, like: p.pointee) { p.pointee = new }
            }
        }
        if let failure { throw failure }
        let report = CheckpointLoadReport(
            missing: missing, unexpected: file.names.filter { $0.hasPrefix(prefix) && !used.contains($0) })
        if strict, !report.missing.isEmpty || !report.unexpected.isEmpty {
            throw .keys(path: name, missing: report.missing, unexpected: report.unexpected)
        }
        return (copy, report)
    }
}

extension SafeTensors.Entry {
    /// The entry of a layer state value the format can hold: a `Float` or `Double` tensor, or
    /// a ``RandomGenerator`` (its four state words as U64 `[4]`); nil for anything else.
    init?(state value: Any) {
        switch value {
        case let t as Tensor<Float>: self.init(t)
        case let t as Tensor<Double>: self.init(t)
        case let g as RandomGenerator:
            let words = [g.s0, g.s1, g.s2, g.s3]
            let bytes = words.flatMap { w in (0..<8).map { UInt8(truncatingIfNeeded: w >> (8 * $0)) } }
            self.init(dtype: .uint64, shape: [4], bytes: bytes)
        case let n as Int: self.init(Tensor<Int>(n))
        case let x as Float: self.init(Tensor<Float>(x))
        case let x as Double: self.init(Tensor<Double>(x))
        case let b as Bool: self.init(dtype: .bool, shape: [], bytes: [b ? 1 : 0])
        default: return nil
        }
    }

    /// The value of the same kind as `current` this entry holds (a generator or a number,
    /// stored by ``init(state:)``), or nil when it holds another kind.
    func state(like current: Any) -> Any? {
        switch current {
        case is RandomGenerator: return generator
        case is Int:
            return dtype == .int64 && shape == []
                ? bytes.withUnsafeBytes { Int($0.loadUnaligned(as: Int64.self)) } : nil
        case is Float:
            return dtype == .float32 && shape == [] ? bytes.withUnsafeBytes { $0.loadUnaligned(as: Float.self) } : nil
        case is Double:
            return dtype == .float64 && shape == [] ? bytes.withUnsafeBytes { $0.loadUnaligned(as: Double.self) } : nil
        case is Bool: return dtype == .bool && shape == [] && bytes[0] <= 1 ? bytes[0] == 1 : nil
        default: return nil
        }
    }

    /// The generator this U64 `[4]` entry holds, or nil.
    var generator: RandomGenerator? {
        guard dtype == .uint64, shape == [4] else { return nil }
        let w = (0..<4).map { i in (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[i * 8 + $1]) << (8 * $1) } }
        return RandomGenerator(state: (w[0], w[1], w[2], w[3]))
    }
}

extension RandomGenerator {
    /// A generator at exactly this state (as a checkpoint stores it).
    init(state: (UInt64, UInt64, UInt64, UInt64)) {
        self.init(seed: 0)
        (s0, s1, s2, s3) = state
    }
}
