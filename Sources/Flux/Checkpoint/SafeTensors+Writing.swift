extension SafeTensors {
    /// The file's bytes: the header length, the header (the metadata first, then each
    /// tensor in ``names`` order, padded with spaces to a multiple of 8 bytes, as the
    /// reference implementation pads it), then the data in the same order.
    public var serialized: [UInt8] { parts.joined().map { $0 } }

    /// Writes the file to `path` atomically: a process killed in the middle leaves the
    /// previous file at `path` intact.
    ///
    /// - Throws: ``CheckpointError/unwritable(path:reason:)``.
    public func write(to path: String) throws(CheckpointError) {
        try write(to: path) { _ in }
    }

    /// ``write(to:)``, calling `afterPart` after the length, the header and each tensor's
    /// data are written (for tests that stop the process in the middle).
    func write(to path: String, afterPart: (Int) -> Void) throws(CheckpointError) {
        do { try writeAtomically(parts, to: path, afterPart: afterPart) } catch {
            throw .unwritable(path: path, reason: error.reason)
        }
    }

    /// The length, header and data, as separate byte arrays.
    private var parts: [[UInt8]] {
        var fields: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.keys.sorted().map { "\(jsonString($0)):\(jsonString(metadata[$0]!))" }
            fields.append("\"__metadata__\":{\(pairs.joined(separator: ","))}")
        }
        var offset = 0
        for name in names {
            let entry = self[name]!
            let end = offset + entry.bytes.count
            fields.append(
                "\(jsonString(name)):{\"dtype\":\"\(entry.dtype.rawValue)\",\"shape\":[\(entry.shape.map(String.init).joined(separator: ","))],\"data_offsets\":[\(offset),\(end)]}"
            )
            offset = end
        }
        var header = Array("{\(fields.joined(separator: ","))}".utf8)
        header += repeatElement(UInt8(ascii: " "), count: (8 - header.count % 8) % 8)
        let length = (0..<8).map { UInt8(truncatingIfNeeded: UInt64(header.count) >> (8 * $0)) }
        return [length, header] + names.map { self[$0]!.bytes }
    }
}
