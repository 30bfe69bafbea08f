import CMPI

/// A scalar type that MPI sends as one of its own datatypes.
protocol MPIScalar: Numeric {
    static var datatype: MPI_Datatype { get }
}

extension Float: MPIScalar { static var datatype: MPI_Datatype { flux_mpi_float()! } }
extension Double: MPIScalar { static var datatype: MPI_Datatype { flux_mpi_double()! } }
extension Int64: MPIScalar { static var datatype: MPI_Datatype { flux_mpi_int64()! } }
extension UInt8: MPIScalar { static var datatype: MPI_Datatype { flux_mpi_byte()! } }

/// The largest count passed to one MPI call (its counts are 32-bit); longer buffers go in pieces.
let largestMPICount = 1 << 30
