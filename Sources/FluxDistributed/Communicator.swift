import CMPI
import Flux

#if canImport(Glibc)
    import Glibc
#endif

/// A group of processes started together (by `mpirun`) that train one model data-parallel:
/// each holds the same model, takes its own part of every batch, and averages the gradients
/// with the others before the same update everywhere.
///
/// A value: it names the group (MPI's `MPI_COMM_WORLD`) and this process's place in it.
/// Every collective operation (`barrier()`, `allReduce`, `broadcast`, `gather` and
/// `valueWithGradient`) must be called by every process of the group, in the same order.
///
/// ```swift
/// Communicator.run { world in
///     var model = try world.broadcast(Chain { Dense(4, 8, relu); Dense(8, 2) })
///     print("rank \(world.rank) of \(world.size)")
///     _ = model
/// }
/// ```
/// Start it with `mpirun -np 2 .build/release/my-trainer`; started alone, it is a group of one.
public struct Communicator: @unchecked Sendable {
    // Unchecked: the handle is an immutable MPI object, usable from any thread one call at a
    // time (the library is initialised for MPI_THREAD_SERIALIZED).
    let handle: MPI_Comm
    /// This process's number in the group, `0..<size`.
    public let rank: Int
    /// The number of processes in the group.
    public let size: Int
    /// Memory the collective operations reuse from step to step.
    let workspace = Workspace()

    /// Whether this is process 0, the one that usually prints and saves.
    public var isRoot: Bool { rank == 0 }

    /// All the processes started together: MPI's world communicator. The first call
    /// initialises MPI (once per process). When the process exits with status 0, MPI is
    /// finalised; with any other status (`exit(1)` after an error), every process of the group
    /// is stopped, as none could finish without this one.
    ///
    /// - Throws: ``DistributedError/mpi(operation:code:message:)`` when MPI cannot start.
    public static func world() throws(DistributedError) -> Communicator {
        try MPILibrary.start()
        let world = flux_mpi_comm_world()!  // the address of a library global: never null
        var rank: Int32 = 0
        var size: Int32 = 0
        try check(MPI_Comm_rank(world, &rank), "Communicator.world")
        try check(MPI_Comm_size(world, &size), "Communicator.world")
        return Communicator(handle: world, rank: Int(rank), size: Int(size))
    }

    /// Waits until every process of the group has called it.
    public func barrier() throws(DistributedError) {
        try Self.check(MPI_Barrier(handle), "barrier")
    }

    /// Runs `body` with the world communicator, then exits the process: with status 0 when it
    /// returns, and otherwise stopping every process of the group.
    ///
    /// An error thrown by `body` (a missing data file, a ``DistributedError``) is printed to
    /// standard error as `rank 1 of 2: <error>` and the whole group is aborted
    /// (`MPI_Abort`), so that no process waits for the failed one. A process that traps
    /// (a Swift runtime error) is reported by `mpirun`, which stops the others.
    public static func run(_ body: (Communicator) throws -> Void) -> Never {
        let world: Communicator
        do { world = try Communicator.world() } catch {
            FileHandleOutput.standardError("FluxDistributed: \(error)\n")
            exit(1)
        }
        do {
            try body(world)
        } catch {
            world.abort("\(error)")
        }
        exit(0)  // MPI is finalised at exit (MPILibrary.start registers it)
    }

    /// Prints `message` as `rank R of N: message` to standard error and stops every process
    /// of the group with exit status `code`.
    public func abort(_ message: String, code: Int32 = 1) -> Never {
        FileHandleOutput.standardError("rank \(rank) of \(size): \(message)\n")
        MPI_Abort(handle, code)
        exit(code)  // MPI_Abort does not return; this satisfies the compiler
    }

    /// Throws `code` as a ``DistributedError`` named after `operation` unless it is MPI_SUCCESS.
    static func check(_ code: Int32, _ operation: String) throws(DistributedError) {
        guard code != MPI_SUCCESS else { return }
        throw .mpi(operation: operation, code: code, message: MPILibrary.explain(code))
    }
}

/// MPI's initialisation and finalisation, each done once per process.
enum MPILibrary {
    /// Initialises MPI unless it is already, asking for MPI_THREAD_SERIALIZED (calls from
    /// any thread, one at a time), with errors returned as codes rather than aborting; MPI is
    /// finalised when the process exits with status 0, and the group aborted otherwise.
    static func start() throws(DistributedError) {
        var initialised: Int32 = 0
        MPI_Initialized(&initialised)
        guard initialised == 0 else { return }
        var provided: Int32 = 0
        try Communicator.check(
            MPI_Init_thread(nil, nil, Int32(MPI_THREAD_SERIALIZED), &provided), "Communicator.world (MPI_Init_thread)")
        try Communicator.check(
            MPI_Comm_set_errhandler(flux_mpi_comm_world(), flux_mpi_errors_return()), "Communicator.world")
        // At exit: finalised after a success; after a failure (a non-zero status), the group is
        // aborted, since finalising would wait for processes that wait for this one.
        on_exit({ status, _ in MPILibrary.exiting(status: status) }, nil)
    }

    /// Finalises MPI when the process exits with status 0; otherwise stops every process of
    /// the group, naming this one.
    static func exiting(status: Int32) {
        guard status != 0 else { return finish() }
        var finalised: Int32 = 0
        MPI_Finalized(&finalised)
        guard finalised == 0 else { return }
        var (rank, size): (Int32, Int32) = (0, 0)
        MPI_Comm_rank(flux_mpi_comm_world(), &rank)
        MPI_Comm_size(flux_mpi_comm_world(), &size)
        FileHandleOutput.standardError(
            "rank \(rank) of \(size): exited with status \(status); stopping the other processes\n")
        MPI_Abort(flux_mpi_comm_world(), status)
    }

    /// Finalises MPI if it was initialised and not finalised yet.
    static func finish() {
        var initialised: Int32 = 0
        var finalised: Int32 = 0
        MPI_Initialized(&initialised)
        MPI_Finalized(&finalised)
        if initialised != 0 && finalised == 0 { MPI_Finalize() }
    }

    /// MPI's explanation of an error code.
    static func explain(_ code: Int32) -> String {
        var text = [CChar](repeating: 0, count: Int(MPI_MAX_ERROR_STRING) + 1)
        var length: Int32 = 0
        MPI_Error_string(code, &text, &length)
        return String(decoding: text.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// Unbuffered writes to standard error (lines from several processes stay whole).
enum FileHandleOutput {
    static func standardError(_ text: String) {
        var bytes = Array(text.utf8)
        _ = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
    }
}
