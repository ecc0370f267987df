// The AVX-512 linalg implementation (x86-64, AVX-512F): native/linalg/generic/ over __m512d inside
// a target("avx512f,...") region, MR = 24, NR = 8 (24 of the 32 zmm registers accumulate), with
// explicit fused multiply-adds (_mm512_fmadd_pd, part of AVX-512F). orthonormalize only promises
// 1e-5 agreement across ISAs, not bit parity, so FMA is allowed here (never in the fill kernels).
#if defined(__x86_64__) || defined(_M_X64)

#include <immintrin.h>

#include <cstddef>
#include <cstring>

#include "../linalg_table.h"

#pragma GCC push_options
#pragma GCC target("avx512f,avx512bw,avx512dq,avx512vl")

namespace nninit {
namespace linalg_avx512 {

typedef double vd __attribute__((vector_size(64)));
constexpr int VL = 8, MV = 3, NR = 8;
static inline vd load(const double* p) { return (vd)_mm512_loadu_pd(p); }
static inline void store(double* p, vd v) { _mm512_storeu_pd(p, (__m512d)v); }
static inline vd bcast(double x) { return (vd)_mm512_set1_pd(x); }
static inline vd madd(vd c, vd a, vd b) { return (vd)_mm512_fmadd_pd((__m512d)a, (__m512d)b, (__m512d)c); }

#include "../generic/gemm.h"
#include "../generic/panel.h"

const LinalgTable& table() { return make_table("avx512"); }

}  // namespace linalg_avx512
}  // namespace nninit

#pragma GCC pop_options

#endif
