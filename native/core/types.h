// Shared vocabulary of the native core: block geometry, dtypes, kernel ids and the argument record
// a kernel receives. No N-API, no intrinsics (docs/stream.md §3 fixes BLOCK_SIZE and LANES).
#ifndef NNINIT_CORE_TYPES_H_
#define NNINIT_CORE_TYPES_H_

#include <cstddef>
#include <cstdint>

namespace nninit {

// docs/stream.md §3: element i belongs to block i / 4096; each block has 8 xoshiro128+ lanes.
constexpr uint64_t kBlockSize = 4096;
constexpr int kLanes = 8;

// The most threads a call or the environment default may ask for (MAX_THREADS in
// lib/plan/validate.ts); the pool starts at most kMaxPoolThreads of them (pool.h).
constexpr int kMaxThreads = 1024;

// Output element types, in the order of DTYPES in lib/plan/validate.ts (the JS dtype code).
enum class DType : int { kFloat32 = 0, kFloat64 = 1, kBFloat16 = 2, kFloat16 = 3 };
constexpr int kDTypeCount = 4;

// Kernels, in the order of KERNELS in lib/plan/plan.ts (the JS kernel id; test/validation.test.ts checks it).
enum class KernelId : int { kUniform = 0, kNormal = 1, kTruncNormal = 2 };
constexpr int kKernelCount = 3;

// Float32 parameters each kernel takes (lib/backend/jsKernels.ts documents their meaning).
constexpr int kParamCount[kKernelCount] = {2, 2, 7};
constexpr int kMaxParams = 7;

inline size_t dtype_size(DType d) {
  return d == DType::kFloat32 ? 4 : d == DType::kFloat64 ? 8 : 2;
}

// One kernel call: `nblocks` consecutive whole blocks starting at block `block` of the stream
// with key `key`, written contiguously to `dst` (element type chosen by the table slot).
struct RunArgs {
  uint64_t key;
  uint64_t block;
  size_t nblocks;
  const float* params;
  void* dst;
};

}  // namespace nninit

#endif  // NNINIT_CORE_TYPES_H_
