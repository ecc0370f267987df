// The AVX2 linalg implementation (x86-64): native/linalg/generic/ over __m256d inside a
// target("avx2") region, MR = 8, NR = 4 (16 ymm registers), separate multiply and add: no "fma"
// target, so it runs on every CPU core/dispatch.cc reports as avx2.
#if defined(__x86_64__) || defined(_M_X64)

#include <immintrin.h>

#include <cstddef>
#include <cstring>

#include "../linalg_table.h"

#pragma GCC push_options
#pragma GCC target("avx2")

namespace nninit {
namespace linalg_avx2 {

typedef double vd __attribute__((vector_size(32)));
constexpr int VL = 4, MV = 2, NR = 4;
static inline vd load(const double* p) { return (vd)_mm256_loadu_pd(p); }
static inline void store(double* p, vd v) { _mm256_storeu_pd(p, (__m256d)v); }
static inline vd bcast(double x) { return (vd)_mm256_set1_pd(x); }
static inline vd madd(vd c, vd a, vd b) { return c + a * b; }

#include "../generic/gemm.h"
#include "../generic/panel.h"

const LinalgTable& table() { return make_table("avx2"); }

}  // namespace linalg_avx2
}  // namespace nninit

#pragma GCC pop_options

#endif
