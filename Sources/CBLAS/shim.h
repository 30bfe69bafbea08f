// The system CBLAS (Debian: libopenblas-dev) plus the few OpenBLAS extras Flux uses.
#include <cblas.h>

// A square root that compiles to a packed instruction inside a loop: Swift's
// `squareRoot()` keeps an errno check on Linux and does not vectorise.
static inline float flux_sqrtf(float x) { return __builtin_elementwise_sqrt(x); }
static inline double flux_sqrt(double x) { return __builtin_elementwise_sqrt(x); }

// Non-temporal stores of eight 4-byte or four 8-byte values (to 16-byte aligned memory),
// straight from registers: Swift passes SIMD8<UInt32> / SIMD4<UInt64>.
typedef unsigned int flux_u32x8 __attribute__((ext_vector_type(8)));
typedef unsigned long long flux_u64x4 __attribute__((ext_vector_type(4)));
typedef unsigned int flux_u32x8_a16 __attribute__((ext_vector_type(8), aligned(16)));
typedef unsigned long long flux_u64x4_a16 __attribute__((ext_vector_type(4), aligned(16)));
static inline void flux_stream_u32x8(void *p, flux_u32x8 v) { __builtin_nontemporal_store(v, (flux_u32x8_a16 *)p); }
static inline void flux_stream_u64x4(void *p, flux_u64x4 v) { __builtin_nontemporal_store(v, (flux_u64x4_a16 *)p); }

// Orders earlier non-temporal stores before any later store.
static inline void flux_store_fence(void) {
#if defined(__x86_64__)
    __builtin_ia32_sfence();
#endif
}
