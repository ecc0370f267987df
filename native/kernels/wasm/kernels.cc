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

}  // namespace wasm
}  // namespace nninit

#endif
