extension SafeTensors {
    /// The tensor named `name` as `S`: F32 and F64 exactly or rounded once, F16 and BF16
    /// widened (a checkpoint saved in half precision loads into a `Float` model).
    ///
    /// - Throws: ``CheckpointError/missingTensor(path:name:)``, or ``CheckpointError/mismatch(path:name:reason:)``
    ///   for an integer dtype; `path` is `file` (the file it came from, when known).
    public func tensor<S: TensorFloatingPoint>(_ name: String, as _: S.Type, file: String = "safetensors")
        throws(CheckpointError) -> Tensor<S>
    {
        guard let entry = self[name] else { throw .missingTensor(path: file, name: name) }
        guard [.float32, .float64, .float16, .bfloat16].contains(entry.dtype) else {
            throw .mismatch(
                path: file, name: name, reason: "is \(entry.dtype.rawValue), which does not load as \(S.self)")
        }
        let count = entry.shape.reduce(1, *)
        return entry.bytes.withUnsafeBytes { raw in
            func load<T>(_: T.Type, _ convert: (T) -> S) -> Tensor<S> {
                Tensor(shape: entry.shape) { out in
                    for i in 0..<count {
                        out[i] = convert(raw.loadUnaligned(fromByteOffset: i * MemoryLayout<T>.size, as: T.self))
                    }
                }
            }
            switch entry.dtype {
            case .float32: return load(Float.self) { S($0) }
            case .float64: return load(Double.self) { S($0) }
            case .float16: return load(UInt16.self) { S(Float(halfBits: $0)) }
            default: return load(UInt16.self) { S(Float(bitPattern: UInt32($0) << 16)) }  // bfloat16
            }
        }
    }

    /// The tensor named `name` as `Int`, from any integer dtype (U64 values above `Int.max`
    /// are refused) or BOOL.
    ///
    /// - Throws: ``CheckpointError/missingTensor(path:name:)`` or ``CheckpointError/mismatch(path:name:reason:)``.
    public func integers(_ name: String, file: String = "safetensors") throws(CheckpointError) -> Tensor<Int> {
        guard let entry = self[name] else { throw .missingTensor(path: file, name: name) }
        let count = entry.shape.reduce(1, *)
        var values: [Int] = []
        values.reserveCapacity(count)
        let fits: Bool = entry.bytes.withUnsafeBytes { raw in
            func read<T: BinaryInteger>(_: T.Type) -> Bool {
                for i in 0..<count {
                    guard let v = Int(exactly: raw.loadUnaligned(fromByteOffset: i * MemoryLayout<T>.size, as: T.self))
                    else { return false }
                    values.append(v)
                }
                return true
            }
            switch entry.dtype {
            case .bool, .uint8: return read(UInt8.self)
            case .int8: return read(Int8.self)
            case .uint16: return read(UInt16.self)
            case .int16: return read(Int16.self)
            case .uint32: return read(UInt32.self)
            case .int32: return read(Int32.self)
            case .uint64: return read(UInt64.self)
            case .int64: return read(Int64.self)
            default: return false
            }
        }
        guard fits else {
            throw .mismatch(
                path: file, name: name,
                reason: entry.dtype == .uint64
                    ? "holds a U64 value above Int.max" : "is \(entry.dtype.rawValue), which does not load as Int")
        }
        return Tensor(shape: entry.shape, scalars: values)
    }
}

extension Float {
    /// The IEEE half-precision number with bit pattern `bits`, widened exactly.
    init(halfBits bits: UInt16) {
        let sign = UInt32(bits >> 15) << 31
        let exponent = Int(bits >> 10) & 0x1F
        let fraction = UInt32(bits & 0x3FF)
        switch exponent {
        case 0:  // zero or subnormal: fraction · 2^-24
            self = Float(fraction) * 0x1p-24 * (sign == 0 ? 1 : -1)
        case 0x1F:  // infinity or NaN
            self = Float(bitPattern: sign | 0x7F80_0000 | fraction << 13)
        default:
            self = Float(bitPattern: sign | UInt32(exponent + 112) << 23 | fraction << 13)
        }
    }
}
