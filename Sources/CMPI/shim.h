// MPI for FluxDistributed (Debian: libopenmpi-dev, found by pkg-config as ompi-c).
//
// Open MPI spells its handles as macros over the addresses of library globals
// (`#define MPI_COMM_WORLD OMPI_PREDEFINED_GLOBAL(MPI_Comm, ompi_mpi_comm_world)`), which
// Swift cannot import: these functions give them to Swift.
#include <mpi.h>

static inline MPI_Comm flux_mpi_comm_world(void) { return MPI_COMM_WORLD; }
static inline MPI_Comm flux_mpi_comm_null(void) { return MPI_COMM_NULL; }
static inline MPI_Datatype flux_mpi_float(void) { return MPI_FLOAT; }
static inline MPI_Datatype flux_mpi_double(void) { return MPI_DOUBLE; }
static inline MPI_Datatype flux_mpi_int64(void) { return MPI_INT64_T; }
static inline MPI_Datatype flux_mpi_byte(void) { return MPI_BYTE; }
static inline MPI_Op flux_mpi_sum(void) { return MPI_SUM; }
static inline MPI_Op flux_mpi_max(void) { return MPI_MAX; }
static inline MPI_Op flux_mpi_min(void) { return MPI_MIN; }
static inline void *flux_mpi_in_place(void) { return MPI_IN_PLACE; }
static inline MPI_Request flux_mpi_request_null(void) { return MPI_REQUEST_NULL; }
static inline MPI_Status *flux_mpi_status_ignore(void) { return MPI_STATUS_IGNORE; }
static inline MPI_Status *flux_mpi_statuses_ignore(void) { return MPI_STATUSES_IGNORE; }
static inline MPI_Errhandler flux_mpi_errors_return(void) { return MPI_ERRORS_RETURN; }
