// The system CBLAS (Debian: libopenblas-dev) plus the few OpenBLAS extras Flux uses.
#include <cblas.h>

// A square root that compiles to a packed instruction inside a loop: Swift's
// `squareRoot()` keeps an errno check on Linux and does not vectorise.
static inline float flux_sqrtf(float x) { return __builtin_elementwise_sqrt(x); }
static inline double flux_sqrt(double x) { return __builtin_elementwise_sqrt(x); }

// Copies `bytes` (a multiple of 16) from `src` to 16-byte aligned `dst` with non-temporal
// stores, which write to memory without first reading the destination lines into cache.
// For outputs larger than the cache this saves a third of the memory traffic.
#if defined(__x86_64__)
__attribute__((target("avx"))) static void flux_stream_copy_avx(void *dst, const void *src, long bytes) {
    typedef float v8 __attribute__((vector_size(32), aligned(16)));
    typedef float v4 __attribute__((vector_size(16)));
    long n = bytes / 32, i = 0;
    if (((unsigned long)dst & 31) == 0) {
        for (; i < n; i++) __builtin_nontemporal_store(((const v8 *)src)[i], (v8 *)dst + i);
    }
    for (long j = 2 * i; j < bytes / 16; j++) __builtin_nontemporal_store(((const v4 *)src)[j], (v4 *)dst + j);
}
#endif

static inline void flux_stream_copy(void *dst, const void *src, long bytes) {
#if defined(__x86_64__)
    if (__builtin_cpu_supports("avx")) { flux_stream_copy_avx(dst, src, bytes); return; }
    typedef float v4 __attribute__((vector_size(16)));
    v4 *d = (v4 *)dst;
    const v4 *s = (const v4 *)src;
    long n = bytes / 16;
    for (long i = 0; i < n; i++) __builtin_nontemporal_store(s[i], d + i);
#else
    __builtin_memcpy(dst, src, bytes);
#endif
}

// Orders earlier non-temporal stores before any later store.
static inline void flux_store_fence(void) {
#if defined(__x86_64__)
    __builtin_ia32_sfence();
#endif
}
