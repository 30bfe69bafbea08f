/// Why a collective operation of a ``Communicator`` failed. Every process of the
/// communicator throws the same error for a mismatch, so none waits for the others forever.
public enum DistributedError: Error, Equatable, Sendable, CustomStringConvertible {
    /// MPI itself reported `code` (with MPI's own explanation) during `operation`.
    case mpi(operation: String, code: Int32, message: String)
    /// The processes disagree: process `rank`'s model (or data) differs from the root's, as
    /// `detail` says (the first difference found).
    case mismatch(operation: String, rank: Int, detail: String)
    /// An argument that cannot be right on any process (a root outside the communicator, say).
    case invalidArgument(operation: String, detail: String)

    public var description: String {
        switch self {
        case .mpi(let operation, let code, let message): "\(operation): MPI error \(code): \(message)"
        case .mismatch(let operation, let rank, let detail): "\(operation): rank \(rank) \(detail)"
        case .invalidArgument(let operation, let detail): "\(operation): \(detail)"
        }
    }
}
