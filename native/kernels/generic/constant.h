// constant_bits: a constant fill's value in the dtype's encoding (docs/stream.md §8 constant(v):
// RN32(v) for float32/bfloat16/float16, v exactly for float64), computed once per fill before any
// kernel runs. Portable code with no ISA and no library call (__builtin_memcpy), so the one
// definition serves the addon (native/binding/args.cc, native/test/pool_stress.cc) and the wasm
// module (native/wasm/entry.cc) alike. Unlike the other generic headers it is self-contained
// (include guard, its own namespace): it includes half.h's scalar conversions in a namespace of
// its own rather than inside an ISA namespace.
#ifndef NNINIT_KERNELS_GENERIC_CONSTANT_H_
#define NNINIT_KERNELS_GENERIC_CONSTANT_H_

#include <cstdint>

#include "../../core/types.h"
#include "prelude.h"

namespace nninit {
namespace constant_detail {
#include "half.h"
}  // namespace constant_detail

inline uint64_t constant_bits(DType dt, double value) {
  if (dt == DType::kFloat64) {
    uint64_t b;
    __builtin_memcpy(&b, &value, 8);
    return b;
  }
  const float f = static_cast<float>(value);
  uint32_t b;
  __builtin_memcpy(&b, &f, 4);
  if (dt == DType::kBFloat16) return constant_detail::bf16_from_bits(b);
  if (dt == DType::kFloat16) return constant_detail::f16_from_bits(b);
  return b;
}

}  // namespace nninit

#endif  // NNINIT_KERNELS_GENERIC_CONSTANT_H_
