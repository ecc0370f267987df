// The AVX2 implementation (x86-64): the generic kernels instantiated over __m256i/__m256, inside
// a target("avx2") region WITHOUT "fma" (docs/stream.md: no fused multiply-add). Only this
// translation unit is compiled for AVX2; core/dispatch.cc calls it after checking the CPU and OS.
#if defined(__x86_64__) || defined(_M_X64)

#include <immintrin.h>

#include <cstddef>
#include <cstdint>

#include "../kernel_table.h"
#include "../generic/prelude.h"

#pragma GCC push_options
#pragma GCC target("avx2")

namespace nninit {
namespace avx2 {

#include "vec.h"
#include "../generic/stream.h"
#include "../generic/math.h"
#include "../generic/half.h"
#include "../generic/kernels.h"

const KernelTable& kernels() { return make_table(); }

}  // namespace avx2
}  // namespace nninit

#pragma GCC pop_options

#endif
