// The system CBLAS (Debian: libopenblas-dev) plus the few OpenBLAS extras Flux uses.
#include <cblas.h>

// A square root that compiles to a packed instruction inside a loop: Swift's
// `squareRoot()` keeps an errno check on Linux and does not vectorise.
static inline float flux_sqrtf(float x) { return __builtin_elementwise_sqrt(x); }
static inline double flux_sqrt(double x) { return __builtin_elementwise_sqrt(x); }
