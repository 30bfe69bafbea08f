/// Why a checkpoint could not be read, written or loaded into a model: every case names the
/// file, and says what is wrong with it.
public enum CheckpointError: Error, CustomStringConvertible, Equatable {
    /// The file could not be opened or read (the system's reason).
    case unreadable(path: String, reason: String)
    /// The file could not be written; the previous file at `path`, if any, is intact.
    case unwritable(path: String, reason: String)
    /// The file is not a valid safetensors file: a bad header length, header JSON, dtype,
    /// shape or byte range.
    case malformed(path: String, reason: String)
    /// No tensor of that name in the file.
    case missingTensor(path: String, name: String)
    /// The tensor exists but cannot become what was asked (its dtype or shape).
    case mismatch(path: String, name: String, reason: String)
    /// A strict load found parameters the file lacks, or tensors the model does not have
    /// (PyTorch's missing and unexpected keys).
    case keys(path: String, missing: [String], unexpected: [String])

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "\(path): cannot be read (\(reason))"
        case .unwritable(let path, let reason): "\(path): cannot be written (\(reason))"
        case .malformed(let path, let reason): "\(path): not a valid safetensors file: \(reason)"
        case .missingTensor(let path, let name): "\(path): no tensor named `\(name)`"
        case .mismatch(let path, let name, let reason): "\(path): tensor `\(name)` \(reason)"
        case .keys(let path, let missing, let unexpected):
            "\(path): does not fit the model: "
                + [
                    missing.isEmpty ? nil : "missing \(missing.map { "`\($0)`" }.joined(separator: ", "))",
                    unexpected.isEmpty ? nil : "unexpected \(unexpected.map { "`\($0)`" }.joined(separator: ", "))",
                ].compactMap { $0 }.joined(separator: "; ")
        }
    }
}
