import CMPI
import Flux

/// A model's (or gradient's) parameters and tensor layer states laid end to end, one buffer
/// per scalar type, so that one MPI message carries all of them: the parameters in
/// declaration order, then the states, then any extra values (a loss). The buffers are the
/// communicator's ``Workspace``, valid until its next collective operation.
struct PackedTensors {
    private(set) var floats: UnsafeMutableBufferPointer<Float>
    private(set) var doubles: UnsafeMutableBufferPointer<Double>
    /// Whether the parameters are packed (or only the states and extras).
    let hasParameters: Bool
    /// Where the states start in each buffer (the parameters come before).
    private var floatStates = 0
    private var doubleStates = 0
    /// Where the extra values start in each buffer (the states come before).
    private var floatExtras = 0
    private var doubleExtras = 0

    /// The tensors of `value`, whose layout is `layout` (its states alone unless
    /// `includingParameters`), followed by `extras` in the buffer of `S`, packed into `workspace`.
    init<M: ParameterContainer, S: TensorFloatingPoint>(
        _ value: M, layout: ModelLayout, includingParameters: Bool = true, extras: [S] = [] as [Float],
        in workspace: Workspace
    ) {
        hasParameters = includingParameters
        var copy = value
        // The counts come from the layout; the tensors are copied once, into memory reused
        // from step to step.
        func count(isFloat: Bool, isState: Bool) -> Int {
            layout.entries.reduce(0) { $0 + ($1.isFloat == isFloat && $1.isState == isState ? $1.count : 0) }
        }
        floatStates = includingParameters ? count(isFloat: true, isState: false) : 0
        doubleStates = includingParameters ? count(isFloat: false, isState: false) : 0
        floatExtras = floatStates + count(isFloat: true, isState: true)
        doubleExtras = doubleStates + count(isFloat: false, isState: true)
        let floatCount = floatExtras + (S.self == Float.self ? extras.count : 0)
        let doubleCount = doubleExtras + (S.self == Double.self ? extras.count : 0)
        floats = workspace.buffer(Float.self, count: floatCount, in: .floats)
        doubles = workspace.buffer(Double.self, count: doubleCount, in: .doubles)
        var (f, d) = (0, 0)
        let pack = { [floats, doubles] (tensor: inout AnyParameter) in
            switch tensor {
            case .float(let t):
                t.withUnsafeBufferPointer {
                    _ = UnsafeMutableBufferPointer(rebasing: floats[f...]).initialize(from: $0)
                }
                f += t.count
            case .double(let t):
                t.withUnsafeBufferPointer {
                    _ = UnsafeMutableBufferPointer(rebasing: doubles[d...]).initialize(from: $0)
                }
                d += t.count
            }
        }
        if includingParameters { copy.mapParameters(pack) }
        copy.mapStateTensors(pack)
        for (i, extra) in extras.enumerated() {
            switch extra {
            case let x as Float: floats[floatExtras + i] = x
            case let x as Double: doubles[doubleExtras + i] = x
            default: fatalError("PackedTensors: \(S.self) is neither Float nor Double")
            }
        }
    }

    /// Sums every element over the processes of `communicator`, in place: one message per
    /// scalar type that has any.
    func sum(over communicator: Communicator, operation: String) throws(DistributedError) {
        if !floats.isEmpty { try communicator.allReduceInPlace(floats, flux_mpi_sum()!, operation: operation) }
        if !doubles.isEmpty { try communicator.allReduceInPlace(doubles, flux_mpi_sum()!, operation: operation) }
    }

    /// `value` with its parameters (if packed) replaced by the packed ones times
    /// `parameterScale`, and its tensor states by the packed ones times `stateScale`.
    func unpacked<M: ParameterContainer>(into value: M, parameterScale: Double, stateScale: Double) -> M {
        var result = value
        var (f, d) = (0, 0)
        if hasParameters {
            result.mapParameters { self.replace(&$0, floatsAt: &f, doublesAt: &d, scale: parameterScale) }
        }
        (f, d) = (floatStates, doubleStates)
        result.mapStateTensors { self.replace(&$0, floatsAt: &f, doublesAt: &d, scale: stateScale) }
        return result
    }

    /// Extra value `i`, of type `S`.
    func extra<S: TensorFloatingPoint>(_ i: Int, of _: S.Type) -> S {
        S.self == Float.self ? floats[floatExtras + i] as! S : doubles[doubleExtras + i] as! S
    }

    private func replace(_ tensor: inout AnyParameter, floatsAt f: inout Int, doublesAt d: inout Int, scale: Double) {
        switch tensor {
        case .float(let t):
            tensor = .float(scaledTensor(shape: t.shape, from: UnsafeBufferPointer(floats), at: f, scale: Float(scale)))
            f += t.count
        case .double(let t):
            tensor = .double(scaledTensor(shape: t.shape, from: UnsafeBufferPointer(doubles), at: d, scale: scale))
            d += t.count
        }
    }
}

/// A tensor of `shape` from `buffer[start...]` times `scale`.
@_specialize(where S == Float)
@_specialize(where S == Double)
func scaledTensor<S: TensorFloatingPoint>(
    shape: [Int], from buffer: UnsafeBufferPointer<S>, at start: Int, scale: S
) -> Tensor<S> {
    Tensor<S>(shape: shape) { out in
        guard let target = out.baseAddress, let base = buffer.baseAddress else { return }
        let source = base + start
        if scale == 1 {
            target.initialize(from: source, count: out.count)
        } else {
            // Pointers, not subscripts: no index arithmetic to check, so the loop vectorises.
            for i in 0..<out.count { target[i] = source[i] * scale }
        }
    }
}
