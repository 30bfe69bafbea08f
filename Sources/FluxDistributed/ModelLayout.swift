import Flux
import Synchronization

/// What must be the same on every process for their tensors to be combined element by
/// element: each parameter's (and tensor layer state's) path, scalar type and shape, in order.
struct ModelLayout: Equatable {
    struct Entry: Equatable {
        var path: String
        var scalar: String
        var shape: [Int]

        var description: String { "\(scalar) \(shape)" }
        /// Whether it is a layer state (not a parameter).
        var isState: Bool { scalar.hasSuffix(" state") }
        /// Whether its scalars are `Float` (else `Double`).
        var isFloat: Bool { scalar.hasPrefix("Float") }
        /// The number of scalars.
        var count: Int { shape.reduce(1, *) }
    }

    /// The model's type, as it prints.
    var type: String
    var entries: [Entry]

    /// The layout of `model`'s parameters and, with `includingState`, its tensor layer states.
    init<M: ParameterContainer>(of model: M, includingState: Bool) {
        type = typeName(M.self)
        var entries: [Entry] = []
        for (path, tensor) in model.parameters(of: Float.self) {
            entries.append(Entry(path: path, scalar: "Float", shape: tensor.shape))
        }
        for (path, tensor) in model.parameters(of: Double.self) {
            entries.append(Entry(path: path, scalar: "Double", shape: tensor.shape))
        }
        if includingState {
            for (path, tensor) in model.stateTensors(of: Float.self) {
                entries.append(Entry(path: path, scalar: "Float state", shape: tensor.shape))
            }
            for (path, tensor) in model.stateTensors(of: Double.self) {
                entries.append(Entry(path: path, scalar: "Double state", shape: tensor.shape))
            }
        }
        self.entries = entries
    }

    init(type: String, entries: [Entry]) { (self.type, self.entries) = (type, entries) }

    /// A 64-bit FNV-1a hash of the whole layout: equal layouts hash equal on every process.
    /// Hashed field by field, with a separator after each, building no text.
    var signature: Int64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ byte: UInt8) {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        func mix(_ text: String) {
            for byte in text.utf8 { mix(byte) }
            mix(0xff)
        }
        mix(type)
        for entry in entries {
            mix(entry.path)
            mix(entry.scalar)
            for extent in entry.shape {
                withUnsafeBytes(of: UInt64(extent).littleEndian) { for byte in $0 { mix(byte) } }
            }
            mix(0xfe)
        }
        return Int64(bitPattern: hash)
    }

    /// The layout as lines of text (sent between processes).
    var serialized: [UInt8] {
        var lines = [type]
        for entry in entries {
            lines.append("\(entry.path)\t\(entry.scalar)\t\(entry.shape.map(String.init).joined(separator: ","))")
        }
        return Array(lines.joined(separator: "\n").utf8)
    }

    /// The layout that ``serialized`` wrote.
    init(serialized bytes: [UInt8]) {
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        type = lines.first.map(String.init) ?? ""
        entries = lines.dropFirst().map { line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            let shape = fields.count > 2 ? fields[2].split(separator: ",").compactMap { Int($0) } : []
            return Entry(path: String(fields[0]), scalar: fields.count > 1 ? String(fields[1]) : "", shape: shape)
        }
    }

    /// The first difference between this layout (process `rank`'s) and `reference` (process
    /// `root`'s), as a phrase after "rank R", or nil when they are the same.
    func difference(from reference: ModelLayout, rank: Int, root: Int) -> String? {
        let prefix = "has a model that differs from rank \(root)'s"
        for (mine, theirs) in zip(entries, reference.entries) where mine != theirs {
            if mine.path != theirs.path {
                return
                    "\(prefix): its tensor \(entries.firstIndex(of: mine)!) is `\(mine.path)` (\(mine.description)) where rank \(root) has `\(theirs.path)` (\(theirs.description))"
            }
            return
                "\(prefix): `\(mine.path)` is \(mine.description) on rank \(rank) but \(theirs.description) on rank \(root)"
        }
        if entries.count < reference.entries.count {
            let missing = reference.entries[entries.count]
            return "\(prefix): it lacks `\(missing.path)` (\(missing.description) on rank \(root))"
        }
        if entries.count > reference.entries.count {
            let extra = entries[reference.entries.count]
            return "\(prefix): it has `\(extra.path)` (\(extra.description)), which rank \(root)'s lacks"
        }
        if type != reference.type { return "\(prefix): it is a \(type) where rank \(root)'s is a \(reference.type)" }
        return nil
    }
}

/// The names of model types as they print, made once per type (the runtime builds each anew).
private let typeNames = Mutex<[ObjectIdentifier: String]>([:])

/// `type` as it prints, e.g. `Chain<Dense<Float>, Dense<Float>>`.
func typeName(_ type: Any.Type) -> String {
    if let name = typeNames.withLock({ $0[ObjectIdentifier(type)] }) { return name }
    let name = String(reflecting: type)
    typeNames.withLock { $0[ObjectIdentifier(type)] = name }
    return name
}
