// See CFluxKernels.h. The polynomials are Cephes' (S. L. Moshier) minimax fits for single
// precision, the same as in FastMath.swift; the tests hold both to the same error bounds.
#include "CFluxKernels.h"

#include <stdint.h>
#include <string.h>

static inline uint32_t bits_of(float x) {
    uint32_t u;
    memcpy(&u, &x, 4);
    return u;
}

static inline float float_of(uint32_t u) {
    float x;
    memcpy(&x, &u, 4);
    return x;
}

// Range reduction x = n·ln2 + r, a degree-7 polynomial for e^r, then 2^n applied as two
// factors so that subnormal results round once and overflow gives +inf.
static inline float fast_exp(float x) {
    x = x > 89.0f ? 89.0f : x;
    x = x < -104.0f ? -104.0f : x;
    float shifted = x * 1.44269504f + 12582912.0f;  // rounds x·log2(e) into the low bits
    float n = shifted - 12582912.0f;
    int32_t k = (int32_t)bits_of(shifted) - 0x4B400000;
    float r = x - n * 0.693359375f;
    r = r - n * -2.12194440e-4f;
    float r2 = r * r;
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    p = p * r2 + r + 1.0f;
    int32_t half = k >> 1;
    float scale1 = float_of((uint32_t)(half + 127) << 23);
    float scale2 = float_of((uint32_t)(k - half + 127) << 23);
    return p * scale1 * scale2;
}

// An odd polynomial below |x| = 0.625; above, 1 - 2 / (e^(2|x|) + 1), exactly ±1 for large |x|.
static inline float fast_tanh(float x) {
    uint32_t sign = bits_of(x) & 0x80000000u;
    float ax = float_of(bits_of(x) & 0x7FFFFFFFu);
    float x2 = x * x;
    float p = -5.70498872745e-3f;
    p = p * x2 + 2.06390887954e-2f;
    p = p * x2 - 5.37397155531e-2f;
    p = p * x2 + 1.33314422036e-1f;
    p = p * x2 - 3.33332819422e-1f;
    float small = p * x2 * x + x;
    float large = 1.0f - 2.0f / (fast_exp(ax + ax) + 1.0f);
    float magnitude = ax < 0.625f ? small : large;
    return float_of(bits_of(magnitude) | sign);
}

// e^-|x| never overflows; for negative x the result is e^x / (1 + e^x).
static inline float fast_sigmoid(float x) {
    float z = fast_exp(-float_of(bits_of(x) & 0x7FFFFFFFu));
    float s = 1.0f / (1.0f + z);
    return x >= 0.0f ? s : z * s;
}

// Each loop compiled three times; the same source, so the variants differ only in the
// instructions the compiler may use (and FMA rounding).
// In place (x == y) a loop of its own: the general loop's overlap check would send the
// whole array down the scalar path.
#define FLUX_LOOP(name, f, target)                                                              \
    target static void name(const float *x, float *y, ptrdiff_t n) {                           \
        if (x == y) {                                                                          \
            float *restrict z = y;                                                             \
            for (ptrdiff_t i = 0; i < n; i++) z[i] = f(z[i]);                                  \
            return;                                                                            \
        }                                                                                      \
        for (ptrdiff_t i = 0; i < n; i++) y[i] = f(x[i]);                                      \
    }
#define FLUX_LOOPS(suffix, target)                                                              \
    FLUX_LOOP(exp_##suffix, fast_exp, target)                                                  \
    FLUX_LOOP(tanh_##suffix, fast_tanh, target)                                                \
    FLUX_LOOP(sigmoid_##suffix, fast_sigmoid, target)

typedef void (*kernel)(const float *, float *, ptrdiff_t);
struct variant { kernel exp, tanh, sigmoid; };

FLUX_LOOPS(baseline, )
#if defined(__x86_64__) && defined(__clang__)
FLUX_LOOPS(v3, __attribute__((target("avx2,fma"))))
FLUX_LOOPS(v4, __attribute__((target("avx512f,avx512dq,avx512bw,avx512vl,avx2,fma"))))
static const struct variant variants[] = {
    {exp_baseline, tanh_baseline, sigmoid_baseline},
    {exp_v3, tanh_v3, sigmoid_v3},
    {exp_v4, tanh_v4, sigmoid_v4},
};
static int supported(void) {
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512bw")
        && __builtin_cpu_supports("avx512vl"))
        return 3;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return 2;
    return 1;
}
#else
static const struct variant variants[] = {{exp_baseline, tanh_baseline, sigmoid_baseline}};
static int supported(void) { return 1; }
#endif

int flux_kernel_variants(void) {
    static int count;  // a benign race: every thread computes the same value
    if (count == 0) count = supported();
    return count;
}

static const struct variant *best(void) { return &variants[flux_kernel_variants() - 1]; }

void flux_exp_f32(const float *x, float *y, ptrdiff_t n) { best()->exp(x, y, n); }
void flux_tanh_f32(const float *x, float *y, ptrdiff_t n) { best()->tanh(x, y, n); }
void flux_sigmoid_f32(const float *x, float *y, ptrdiff_t n) { best()->sigmoid(x, y, n); }

void flux_kernel_f32(int variant, int function, const float *x, float *y, ptrdiff_t n) {
    const struct variant *v = &variants[variant];
    (function == 0 ? v->exp : function == 1 ? v->tanh : v->sigmoid)(x, y, n);
}
