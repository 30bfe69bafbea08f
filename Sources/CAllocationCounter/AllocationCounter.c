// Counts heap allocations by defining the malloc family in the executable itself.
//
// A definition in the executable comes first in the dynamic linker's search order, so the
// Swift runtime, OpenBLAS and libc's own callers through the PLT reach these functions.
// Each one counts and forwards to glibc's exported implementation (__libc_*), so the
// allocator's behaviour (and MALLOC_* tuning) is exactly glibc's. glibc-internal
// allocations that do not go through the PLT (e.g. inside reallocarray, strdup, fopen)
// are not seen; the Swift runtime and OpenBLAS call malloc directly, so they are.
//
// A relaxed atomic is enough: the count is only ever read as a total, never used to order
// other memory, and it costs one locked add per allocation.
#include "CAllocationCounter.h"

#include <errno.h>
#include <stdatomic.h>
#include <stddef.h>

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *pointer, size_t size);
extern void __libc_free(void *pointer);
extern void *__libc_memalign(size_t alignment, size_t size);
extern void *__libc_valloc(size_t size);
extern void *__libc_pvalloc(size_t size);

static _Atomic uint64_t allocations;

// Counts only calls that returned memory: a failed call allocated nothing.
static inline void *counted(void *pointer) {
    if (pointer) atomic_fetch_add_explicit(&allocations, 1, memory_order_relaxed);
    return pointer;
}

uint64_t flux_allocation_count(void) { return atomic_load_explicit(&allocations, memory_order_relaxed); }

void *malloc(size_t size) { return counted(__libc_malloc(size)); }

void *calloc(size_t count, size_t size) { return counted(__libc_calloc(count, size)); }

// A realloc may move the block, so it counts as one allocation, as it does for the peers' malloc.
void *realloc(void *pointer, size_t size) { return counted(__libc_realloc(pointer, size)); }

void free(void *pointer) { __libc_free(pointer); }

void *memalign(size_t alignment, size_t size) { return counted(__libc_memalign(alignment, size)); }

void *aligned_alloc(size_t alignment, size_t size) { return counted(__libc_memalign(alignment, size)); }

void *valloc(size_t size) { return counted(__libc_valloc(size)); }

void *pvalloc(size_t size) { return counted(__libc_pvalloc(size)); }

// posix_memalign reports errors instead of setting errno, and rejects alignments that are
// not a power of two times sizeof(void *), which __libc_memalign would round up instead.
int posix_memalign(void **result, size_t alignment, size_t size) {
    if (alignment == 0 || alignment % sizeof(void *) != 0 || (alignment & (alignment - 1)) != 0) return EINVAL;
    int saved = errno;  // posix_memalign reports through its result and leaves errno alone
    void *pointer = counted(__libc_memalign(alignment, size));
    errno = saved;
    if (!pointer) return ENOMEM;
    *result = pointer;
    return 0;
}
