import CMPI
import Flux

/// The gradient of one step in buckets of about `bucketBytes`, each summed over the processes
/// by a non-blocking all-reduce as soon as the backward pass has completed all its
/// parameters: the last layers' bucket travels while the first layers' gradients are
/// still being computed (PyTorch's DistributedDataParallel buckets the same way).
///
/// Parameters go into buckets from the last declared to the first, the order in which the
/// backward pass usually completes them. Buckets start strictly in that order, so every
/// process issues the same collectives in the same order, whatever order its gradients come in.
final class GradientBuckets {
    private let communicator: Communicator
    /// Whether the gradients are `Float` (else `Double`), and MPI's name for their type.
    private let isFloat: Bool
    private let datatype: MPI_Datatype
    private let stride: Int
    /// Every bucket, end to end, in the communicator's workspace.
    private let storage: UnsafeMutableRawPointer
    /// Each parameter's bucket and element offset in `storage`, by declaration order.
    private var places: [(bucket: Int, offset: Int)]
    /// Each bucket's first element in `storage` and its element count.
    private var buckets: [(start: Int, count: Int)] = []
    /// How many parameters each bucket still waits for.
    private var waiting: [Int]
    private var requests: [MPI_Request?]
    /// How many buckets have started (they start in order).
    private var started = 0
    /// The first MPI error, thrown by ``finish()`` (the backward pass cannot throw).
    private var failure: DistributedError?

    /// Buckets for `Float` (or, unless `isFloat`, `Double`) parameters of `counts` elements
    /// (in declaration order).
    init(counts: [Int], isFloat: Bool, bucketBytes: Int, communicator: Communicator) throws(DistributedError) {
        self.communicator = communicator
        self.isFloat = isFloat
        (datatype, stride) = isFloat ? (Float.datatype, 4) : (Double.datatype, 8)
        places = Array(repeating: (0, 0), count: counts.count)
        var members: [Int] = []
        var total = 0
        for index in counts.indices.reversed() {
            if buckets.isEmpty || buckets[buckets.count - 1].count * stride >= bucketBytes {
                buckets.append((total, 0))
                members.append(0)
            }
            places[index] = (buckets.count - 1, total)
            buckets[buckets.count - 1].count += counts[index]
            members[members.count - 1] += 1
            total += counts[index]
        }
        if let large = buckets.first(where: { $0.count > largestMPICount }) {
            throw .invalidArgument(
                operation: "valueWithGradient",
                detail:
                    "a bucket of \(large.count) elements is above MPI's count limit of \(largestMPICount); use a smaller bucketBytes or overlapping: false"
            )
        }
        storage = UnsafeMutableRawPointer(
            communicator.workspace.buffer(UInt8.self, count: total * stride, in: .buckets).baseAddress!)
        waiting = members
        requests = Array(repeating: flux_mpi_request_null(), count: buckets.count)
    }

    deinit {
        if started > 0 { _ = try? finish() }  // never leave the workspace to a write still in flight
    }

    /// Takes the finished gradient of parameter `index`, starts every bucket that is now
    /// complete (in order), and lets MPI progress the ones in flight.
    func receive(_ index: Int, _ gradient: AnyParameter) {
        let (bucket, offset) = places[index]
        switch gradient {
        case .float(let t): t.withUnsafeBufferPointer { copy(UnsafeRawBufferPointer($0), to: offset) }
        case .double(let t): t.withUnsafeBufferPointer { copy(UnsafeRawBufferPointer($0), to: offset) }
        }
        waiting[bucket] -= 1
        startCompleteBuckets()
        progress()
    }

    private func copy(_ bytes: UnsafeRawBufferPointer, to offset: Int) {
        guard let source = bytes.baseAddress else { return }
        (storage + offset * stride).copyMemory(from: source, byteCount: bytes.count)
    }

    private func startCompleteBuckets() {
        while started < buckets.count, waiting[started] == 0, failure == nil {
            let (start, count) = buckets[started]
            let code = MPI_Iallreduce(
                flux_mpi_in_place(), storage + start * stride, Int32(count), datatype, flux_mpi_sum(),
                communicator.handle, &requests[started])
            record(code)
            started += 1
        }
    }

    /// Lets MPI move the started all-reduces along (Open MPI progresses non-blocking
    /// collectives inside MPI calls).
    private func progress() {
        guard started > 0, failure == nil else { return }
        var done: Int32 = 0
        record(MPI_Testall(Int32(started), &requests, &done, flux_mpi_statuses_ignore()))
    }

    private func record(_ code: Int32) {
        guard failure == nil, code != MPI_SUCCESS else { return }
        failure = .mpi(operation: "valueWithGradient", code: code, message: MPILibrary.explain(code))
    }

    /// Waits for every bucket's all-reduce (starting any not started yet).
    func finish() throws(DistributedError) {
        startCompleteBuckets()
        if started > 0 {
            record(MPI_Waitall(Int32(started), &requests, flux_mpi_statuses_ignore()))
        }
        if let failure { throw failure }
        guard started == buckets.count else {
            throw .invalidArgument(
                operation: "valueWithGradient", detail: "the backward pass did not report every parameter")
        }
    }

    /// The summed gradient of parameter `index` (after ``finish()``), times `scale`, in place
    /// of `parameter` (whose shape it takes).
    func replace(_ parameter: inout AnyParameter, _ index: Int, scale: Double) {
        let offset = places[index].offset
        switch parameter {
        case .float(let t):
            let source = UnsafeBufferPointer(
                start: storage.assumingMemoryBound(to: Float.self), count: offset + t.count)
            parameter = .float(scaledTensor(shape: t.shape, from: source, at: offset, scale: Float(scale)))
        case .double(let t):
            let source = UnsafeBufferPointer(
                start: storage.assumingMemoryBound(to: Double.self), count: offset + t.count)
            parameter = .double(scaledTensor(shape: t.shape, from: source, at: offset, scale: scale))
        }
    }
}
