// The scalar (portable) implementation: the generic kernels instantiated over plain arrays.
// Compiled at the baseline ISA with -ffp-contract=off (binding.gyp); docs/stream.md §3–§8.
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "../kernel_table.h"
#include "../generic/prelude.h"

namespace nninit {
namespace scalar {

#include "vec.h"
#include "../generic/stream.h"
#include "../generic/math.h"
#include "../generic/half.h"
#include "../generic/kernels.h"

const KernelTable& kernels() { return make_table(); }

}  // namespace scalar

// docs/stream.md §8 constant(v): RN32(v) for float32/bfloat16/float16, v exactly for float64.
uint64_t constant_bits(DType dt, double value) {
  if (dt == DType::kFloat64) {
    uint64_t b;
    std::memcpy(&b, &value, 8);
    return b;
  }
  const float f = static_cast<float>(value);
  uint32_t b;
  std::memcpy(&b, &f, 4);
  if (dt == DType::kBFloat16) return scalar::bf16_from_bits(b);
  if (dt == DType::kFloat16) return scalar::f16_from_bits(b);
  return b;
}

}  // namespace nninit
