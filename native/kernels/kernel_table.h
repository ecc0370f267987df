// The function table every ISA implementation exports (native/kernels/<isa>/kernels.cc).
// Each entry is one instantiation of the generic code in native/kernels/generic/.
#ifndef NNINIT_KERNELS_KERNEL_TABLE_H_
#define NNINIT_KERNELS_KERNEL_TABLE_H_

#include "../core/types.h"

namespace nninit {

using RunFn = void (*)(const RunArgs&);

struct KernelTable {
  // Whole-block kernels: run[kernel][dtype][nt]; nt = 1 uses non-temporal (streaming) stores and
  // needs a 16-byte aligned dst. ISAs without streaming stores put the same function in both.
  RunFn run[kKernelCount][kDTypeCount][2];
  // Converts n float32 values to `dt` and stores them at dst (any alignment): partial blocks.
  void (*store_range)(const float* src, size_t n, void* dst, DType dt);
  // Writes n elements of the constant `bits` (already in the dtype's encoding: constant_bits,
  // native/kernels/generic/constant.h) at dst.
  void (*fill_constant)(void* dst, size_t n, DType dt, uint64_t bits, bool nt);
};

namespace scalar { const KernelTable& kernels(); }
#if defined(__x86_64__) || defined(_M_X64)
namespace avx2 { const KernelTable& kernels(); }
namespace avx512 { const KernelTable& kernels(); }
#endif
#if defined(__aarch64__)
namespace neon { const KernelTable& kernels(); }
#endif

}  // namespace nninit

#endif  // NNINIT_KERNELS_KERNEL_TABLE_H_
