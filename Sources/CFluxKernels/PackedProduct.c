// See CFluxKernels.h. A matrix product with the right operand packed once and reused: an
// LSTM multiplies its recurrent weight by a thin batch of states at every time step, and
// BLAS repacks the whole weight at every call (a third of the time at these shapes). The
// tile is 8 rows × 32 columns of accumulators, which fit the AVX-512 registers; the same
// source is compiled for each instruction set, as the elementwise loops are.
#include "CFluxKernels.h"

#include <string.h>

#define NR FLUX_PACKED_COLUMNS
#define MR 8

void flux_pack_f32(const float *b, ptrdiff_t ldb, int transposed, ptrdiff_t k, ptrdiff_t n, float *packed) {
    ptrdiff_t panels = (n + NR - 1) / NR;
    for (ptrdiff_t p = 0; p < panels; p++) {
        float *dst = packed + p * k * NR;
        ptrdiff_t cols = n - p * NR < NR ? n - p * NR : NR;
        if (cols < NR)
            for (ptrdiff_t i = 0; i < k * NR; i++) dst[i] = 0.0f;
        if (transposed) {
            // Column j of the panel is row p·NR + j of b: read it contiguously.
            for (ptrdiff_t j = 0; j < cols; j++) {
                const float *src = b + (p * NR + j) * ldb;
                for (ptrdiff_t i = 0; i < k; i++) dst[i * NR + j] = src[i];
            }
        } else {
            for (ptrdiff_t i = 0; i < k; i++) memcpy(dst + i * NR, b + i * ldb + p * NR, (size_t)cols * sizeof(float));
        }
    }
}

// One tile: rows × cols of C (at most MR × NR) from `rows` rows of A and one packed panel.
#define FLUX_PACKED(suffix, target)                                                                    \
    target static void tile_##suffix(const float *a, ptrdiff_t lda, const float *bp, ptrdiff_t k,      \
                                     float *c, const float *addend, ptrdiff_t ldc, ptrdiff_t rows,     \
                                     ptrdiff_t cols) {                                                 \
        float acc[MR][NR];                                                                             \
        for (int r = 0; r < MR; r++)                                                                   \
            for (int j = 0; j < NR; j++) acc[r][j] = 0;                                                \
        if (rows == MR) {                                                                              \
            for (ptrdiff_t q = 0; q < k; q++) {                                                        \
                const float *b = bp + q * NR;                                                          \
                for (int r = 0; r < MR; r++) {                                                         \
                    float av = a[r * lda + q];                                                         \
                    for (int j = 0; j < NR; j++) acc[r][j] += av * b[j];                               \
                }                                                                                      \
            }                                                                                          \
        } else {                                                                                       \
            for (ptrdiff_t q = 0; q < k; q++) {                                                        \
                const float *b = bp + q * NR;                                                          \
                for (ptrdiff_t r = 0; r < rows; r++) {                                                 \
                    float av = a[r * lda + q];                                                         \
                    for (int j = 0; j < NR; j++) acc[r][j] += av * b[j];                               \
                }                                                                                      \
            }                                                                                          \
        }                                                                                              \
        for (ptrdiff_t r = 0; r < rows; r++)                                                           \
            for (ptrdiff_t j = 0; j < cols; j++)                                                       \
                c[r * ldc + j] = addend ? addend[r * ldc + j] + acc[r][j] : acc[r][j];                 \
    }                                                                                                  \
    target static void product_##suffix(const float *a, ptrdiff_t lda, const float *packed, float *c, \
                                        ptrdiff_t ldc, ptrdiff_t m, ptrdiff_t n, ptrdiff_t k,          \
                                        const float *addend, ptrdiff_t first, ptrdiff_t last) {        \
        for (ptrdiff_t p = first; p < last; p++) {                                                     \
            ptrdiff_t cols = n - p * NR < NR ? n - p * NR : NR;                                        \
            for (ptrdiff_t r = 0; r < m; r += MR)                                                      \
                tile_##suffix(a + r * lda, lda, packed + p * k * NR, k, c + r * ldc + p * NR,           \
                              addend ? addend + r * ldc + p * NR : 0, ldc, m - r < MR ? m - r : MR, cols); \
        }                                                                                              \
    }

typedef void (*packed_product)(const float *, ptrdiff_t, const float *, float *, ptrdiff_t, ptrdiff_t,
                               ptrdiff_t, ptrdiff_t, const float *, ptrdiff_t, ptrdiff_t);

FLUX_PACKED(baseline, )
#if defined(__x86_64__) && defined(__clang__)
FLUX_PACKED(v3, __attribute__((target("avx2,fma"))))
FLUX_PACKED(v4, __attribute__((target("avx512f,avx512dq,avx512bw,avx512vl,avx2,fma"))))
static const packed_product products[] = {product_baseline, product_v3, product_v4};
#else
static const packed_product products[] = {product_baseline};
#endif

void flux_packed_product_f32(const float *a, ptrdiff_t lda, const float *packed, float *c, ptrdiff_t ldc,
                             ptrdiff_t m, ptrdiff_t n, ptrdiff_t k, const float *addend, ptrdiff_t first,
                             ptrdiff_t last) {
    products[flux_kernel_variants() - 1](a, lda, packed, c, ldc, m, n, k, addend, first, last);
}
