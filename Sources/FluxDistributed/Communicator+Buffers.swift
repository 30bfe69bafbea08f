import CMPI

// The collectives on raw buffers that the model-level operations are built on; each throws
// the MPI error named after the public operation that called it.

extension Communicator {
    /// Replaces every element of `buffer` with its combination by `op` (sum, max, min) over
    /// all processes, in place, in pieces of at most ``largestMPICount`` elements.
    func allReduceInPlace<T: MPIScalar>(
        _ buffer: UnsafeMutableBufferPointer<T>, _ op: MPI_Op, operation: String
    ) throws(DistributedError) {
        var start = 0
        while start < buffer.count {
            let count = min(buffer.count - start, largestMPICount)
            try Self.check(
                MPI_Allreduce(flux_mpi_in_place(), buffer.baseAddress! + start, Int32(count), T.datatype, op, handle),
                operation)
            start += count
        }
    }

    /// `values` combined by `op` over all processes.
    func allReduced<T: MPIScalar>(_ values: [T], _ op: MPI_Op, operation: String) throws(DistributedError) -> [T] {
        var result = values
        try result.withUnsafeMutableBufferPointer { (buffer) throws(DistributedError) in
            try allReduceInPlace(buffer, op, operation: operation)
        }
        return result
    }

    /// `bytes` as the process `root` has them, on every process (the others' are ignored).
    func broadcast(bytes: [UInt8], from root: Int, operation: String) throws(DistributedError) -> [UInt8] {
        var length = [Int64(bytes.count)]
        try length.withUnsafeMutableBufferPointer { (buffer) throws(DistributedError) in
            try Self.check(MPI_Bcast(buffer.baseAddress, 1, Int64.datatype, Int32(root), handle), operation)
        }
        var received = rank == root ? bytes : [UInt8](repeating: 0, count: Int(length[0]))
        try received.withUnsafeMutableBufferPointer { (buffer) throws(DistributedError) in
            var start = 0
            while start < buffer.count {
                let count = min(buffer.count - start, largestMPICount)
                try Self.check(
                    MPI_Bcast(buffer.baseAddress! + start, Int32(count), UInt8.datatype, Int32(root), handle), operation
                )
                start += count
            }
        }
        return received
    }

    /// Every process's `value`, by rank, on every process.
    func allGather(_ value: Int64, operation: String) throws(DistributedError) -> [Int64] {
        var mine = value
        var all = [Int64](repeating: 0, count: size)
        try all.withUnsafeMutableBufferPointer { (buffer) throws(DistributedError) in
            try Self.check(
                MPI_Allgather(&mine, 1, Int64.datatype, buffer.baseAddress, 1, Int64.datatype, handle), operation)
        }
        return all
    }

    /// Every process's `values` (of any length), by rank, on `root`; nil on the others.
    func gather<T: MPIScalar>(_ values: [T], to root: Int, operation: String) throws(DistributedError) -> [[T]]? {
        let counts = try allGather(Int64(values.count), operation: operation)
        guard counts.allSatisfy({ $0 <= Int64(Int32.max) }), counts.reduce(0, +) <= Int64(Int32.max) else {
            throw .invalidArgument(operation: operation, detail: "more than \(Int32.max) values in all")
        }
        let lengths = counts.map { Int32($0) }
        var offsets = [Int32](repeating: 0, count: size)
        for r in 1..<max(size, 1) { offsets[r] = offsets[r - 1] + lengths[r - 1] }
        var received = [T](repeating: .zero, count: rank == root ? Int(counts.reduce(0, +)) : 0)
        var sent = values
        try sent.withUnsafeMutableBufferPointer { (mine) throws(DistributedError) in
            try received.withUnsafeMutableBufferPointer { (all) throws(DistributedError) in
                try Self.check(
                    MPI_Gatherv(
                        mine.baseAddress, Int32(mine.count), T.datatype, all.baseAddress, lengths, offsets, T.datatype,
                        Int32(root), handle),
                    operation)
            }
        }
        guard rank == root else { return nil }
        return (0..<size).map { r in Array(received[Int(offsets[r])..<Int(offsets[r] + lengths[r])]) }
    }
}
