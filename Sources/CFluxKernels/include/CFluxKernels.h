// Elementwise Float kernels compiled once per instruction set (AVX-512, AVX2 with FMA, and
// the baseline), the best of them chosen at run time for the CPU that runs them.
// Swift code is compiled for baseline x86-64 (SSE) unless the user passes -target-cpu, and
// Swift has no per-function target attribute; these loops are the same branch-free
// arithmetic as Flux's Swift kernels (FastMath.swift), 8 or 16 lanes wide where the CPU
// allows. Each writes y[i] = f(x[i]) for i in [0, n); x and y may be the same array.
#ifndef CFLUXKERNELS_H
#define CFLUXKERNELS_H

#include <stddef.h>
#include "LayerPath.h"

/// e^x (max relative error 8.1e-8, as Float.fastExp).
void flux_exp_f32(const float *x, float *y, ptrdiff_t n);
/// tanh(x) (max relative error 1.4e-7, as Float.fastTanh).
void flux_tanh_f32(const float *x, float *y, ptrdiff_t n);
/// 1 / (1 + e^-x), stable for large |x| (as Float.sigmoid).
void flux_sigmoid_f32(const float *x, float *y, ptrdiff_t n);


/// How many variants this CPU can run: 1 (baseline), 2 (and AVX2 + FMA), 3 (and AVX-512);
/// the last is the one the functions above use.
int flux_kernel_variants(void);
/// Variant `variant` (below flux_kernel_variants()) of function 0 (exp), 1 (tanh) or
/// 2 (sigmoid): for tests that hold every variant to the same bounds.
void flux_kernel_f32(int variant, int function, const float *x, float *y, ptrdiff_t n);

/// Columns per panel of a packed matrix.
#define FLUX_PACKED_COLUMNS 32

/// Packs the k×n matrix B (element (i, j) at b[i*ldb + j], or at b[j*ldb + i] when
/// `transposed`) into panels of FLUX_PACKED_COLUMNS columns, each k rows, zero past column n:
/// `packed` holds ceil(n / FLUX_PACKED_COLUMNS) · k · FLUX_PACKED_COLUMNS floats.
void flux_pack_f32(const float *b, ptrdiff_t ldb, int transposed, ptrdiff_t k, ptrdiff_t n, float *packed);
/// Columns of panels [first, last) of C (m×n, row stride ldc) = A (m×k, row stride lda) · the
/// packed B, plus `addend` (m×n, row stride ldc) when it is not NULL.
void flux_packed_product_f32(const float *a, ptrdiff_t lda, const float *packed, float *c, ptrdiff_t ldc,
                             ptrdiff_t m, ptrdiff_t n, ptrdiff_t k, const float *addend, ptrdiff_t first,
                             ptrdiff_t last);

/// A spin-wait hint to the CPU (x86 `pause`), for threads that poll between jobs.
static inline void flux_pause(void) {
#if defined(__x86_64__)
    __builtin_ia32_pause();
#endif
}

#endif
