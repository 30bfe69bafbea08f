// A count of the heap allocations this process has made, for the benchmark's
// `allocs_per_step`. Linking this target replaces the process's malloc family (see
// AllocationCounter.c), so only the benchmark executable links it, never the library.
#ifndef FLUX_ALLOCATION_COUNTER_H
#define FLUX_ALLOCATION_COUNTER_H

#include <stdint.h>

/// The number of successful allocation calls (malloc, calloc, realloc, posix_memalign,
/// aligned_alloc, memalign, valloc, pvalloc) since the process started, from every thread.
uint64_t flux_allocation_count(void);

#endif
