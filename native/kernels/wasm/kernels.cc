// The WebAssembly SIMD128 implementation (wasm32 only; compiles to nothing elsewhere): the generic
// kernels instantiated over pairs of v128 registers, docs/stream.md §3–§8. Not part of the addon:
// scripts/build-wasm.sh compiles it with clang --target=wasm32 -msimd128 into the module that
// lib/backend/wasm.ts runs (lib/backend/wasmModule.ts holds it); native/wasm/entry.cc is its
// exported interface. SIMD128 is the module's baseline, so no target region is needed.
#if defined(__wasm__)

#include <wasm_simd128.h>

#include <cstddef>
#include <cstdint>

#include "../kernel_table.h"
#include "../generic/prelude.h"

namespace nninit {
namespace wasm {

#include "vec.h"
#include "../generic/stream.h"
#include "../generic/math.h"
#include "../generic/half.h"
#include "../generic/kernels.h"

const KernelTable& kernels() { return make_table(); }

// docs/stream.md §8 constant(v) for the module's constant fills (scalar/kernels.cc's
// constant_bits, which the module does not link).
uint64_t constant_bits(DType dt, double value) {
  if (dt == DType::kFloat64) {
    uint64_t b;
    __builtin_memcpy(&b, &value, 8);
    return b;
  }
  const float f = static_cast<float>(value);
  uint32_t b;
  __builtin_memcpy(&b, &f, 4);
  if (dt == DType::kBFloat16) return bf16_from_bits(b);
  if (dt == DType::kFloat16) return f16_from_bits(b);
  return b;
}

}  // namespace wasm
}  // namespace nninit

#endif
