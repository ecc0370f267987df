// The AVX-512 implementation (x86-64; F, BW, DQ, VL): the generic kernels over __m512i/__m512,
// two blocks per vector, inside a target("avx512f,avx512bw,avx512dq,avx512vl") region. AVX-512F
// has FMA instructions, but nothing here asks for one and the build has -ffp-contract=off
// (docs/stream.md: no fused multiply-add). Only this translation unit is compiled for AVX-512;
// core/dispatch.cc calls it after checking the CPU and the OS (XCR0 opmask/ZMM state).
#if defined(__x86_64__) || defined(_M_X64)

#pragma GCC diagnostic push
// GCC 12 flags the _mm512_undefined_* placeholders inside its own shift/rotate intrinsics
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>

#include <cstddef>
#include <cstdint>

#include "../kernel_table.h"
#include "../generic/prelude.h"

#pragma GCC push_options
#pragma GCC target("avx512f,avx512bw,avx512dq,avx512vl")

namespace nninit {
namespace avx512 {

#include "vec.h"
#include "../generic/stream.h"
#include "../generic/math.h"
#include "../generic/half.h"
#include "../generic/kernels.h"

const KernelTable& kernels() { return make_table(); }

}  // namespace avx512
}  // namespace nninit

#pragma GCC pop_options
#pragma GCC diagnostic pop

#endif
