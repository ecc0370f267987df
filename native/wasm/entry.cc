// The WebAssembly module's exported interface (wasm32 only; scripts/build-wasm.sh builds it with
// native/kernels/wasm/kernels.cc and native/wasm/libc.cc; binding.gyp never compiles it). One
// call fills [offset, offset + n) of a stream into dst exactly as native/core/fill.cc does on one
// thread (docs/stream.md §3): whole blocks through the kernel table, a first/last block that the
// range only partly covers generated whole into a stack scratch block and its overlap stored with
// store_range. lib/backend/wasm.ts calls it on a scratch area of the module's memory chunk by
// chunk and copies each chunk out.
//
// Exports (all integers are i32; pointers are offsets into the exported memory):
//   nninit_abi() -> 1                  the interface version lib/backend/wasm.ts expects
//   nninit_scratch() -> ptr            16-byte aligned scratch of nninit_scratch_elems() elements
//                                      of any dtype (8 bytes each)
//   nninit_scratch_elems() -> count    a multiple of 4096
//   nninit_params() -> ptr             room for 8 float32 kernel parameters
//   nninit_fill(dst, n, dtype, kernel, params, key_hi, key_lo, offset_hi, offset_lo) -> 0 | -1
//   nninit_fill_constant(dst, n, dtype, value: f64) -> 0 | -1
// dtype and kernel are the codes of DTYPES (lib/plan/validate.ts) and KERNELS
// (lib/backend/jsKernels.ts); offset_hi:offset_lo is the 64-bit stream index of dst[0], and
// offset + n must not exceed 2^53. -1: an argument out of range, nothing written.
#if defined(__wasm__)

#include <cstddef>
#include <cstdint>

#include "../kernels/generic/constant.h"
#include "../kernels/kernel_table.h"

#ifndef NNINIT_WASM_SCRATCH_ELEMS
#define NNINIT_WASM_SCRATCH_ELEMS 65536
#endif

namespace nninit {
namespace wasm {
const KernelTable& kernels();
}  // namespace wasm

namespace {

constexpr size_t kScratchElems = NNINIT_WASM_SCRATCH_ELEMS;
static_assert(kScratchElems % kBlockSize == 0, "the scratch holds whole blocks");
alignas(16) double g_scratch[kScratchElems];
alignas(16) float g_params[8];

struct Range {
  const KernelTable* table;
  int kernel;
  DType dtype;
  const float* params;
  uint64_t key, offset;
  size_t n;
  char* dst;
};

char* element_ptr(const Range& r, uint64_t index) {
  return r.dst + (index - r.offset) * dtype_size(r.dtype);
}

bool whole(const Range& r, uint64_t j) {
  return j * kBlockSize >= r.offset && (j + 1) * kBlockSize <= r.offset + r.n;
}

uint64_t max64(uint64_t a, uint64_t b) { return a > b ? a : b; }
uint64_t min64(uint64_t a, uint64_t b) { return a < b ? a : b; }

// fill.cc's partial_block: generate block j whole, store the overlap with [offset, offset + n).
void partial_block(const Range& r, uint64_t j) {
  alignas(16) float scratch[kBlockSize];
  const RunArgs args{r.key, j, 1, r.params, scratch};
  r.table->run[r.kernel][0][0](args);
  const uint64_t from = max64(j * kBlockSize, r.offset);
  const uint64_t to = min64((j + 1) * kBlockSize, r.offset + r.n);
  r.table->store_range(scratch + (from - j * kBlockSize), static_cast<size_t>(to - from), element_ptr(r, from), r.dtype);
}

// fill.cc's random_task over the whole range (one participant).
void fill_range(const Range& r) {
  uint64_t a = r.offset / kBlockSize;
  uint64_t b = (r.offset + r.n - 1) / kBlockSize + 1;
  if (!whole(r, a)) partial_block(r, a++);
  const bool tail = b > a && !whole(r, b - 1);
  if (tail) --b;
  if (b > a) {
    const RunArgs args{r.key, a, static_cast<size_t>(b - a), r.params, element_ptr(r, a * kBlockSize)};
    r.table->run[r.kernel][static_cast<int>(r.dtype)][0](args);
  }
  if (tail) partial_block(r, b);
}

}  // namespace
}  // namespace nninit

#define NNINIT_EXPORT(name) extern "C" __attribute__((export_name(#name), used))

NNINIT_EXPORT(nninit_abi) int nninit_abi() { return 1; }
NNINIT_EXPORT(nninit_scratch) double* nninit_scratch() { return nninit::g_scratch; }
NNINIT_EXPORT(nninit_scratch_elems) int nninit_scratch_elems() { return static_cast<int>(nninit::kScratchElems); }
NNINIT_EXPORT(nninit_params) float* nninit_params() { return nninit::g_params; }

NNINIT_EXPORT(nninit_fill)
int nninit_fill(void* dst, uint32_t n, int dtype, int kernel, const float* params, uint32_t key_hi, uint32_t key_lo,
                uint32_t offset_hi, uint32_t offset_lo) {
  using namespace nninit;
  const uint64_t offset = (static_cast<uint64_t>(offset_hi) << 32) | offset_lo;
  if (dtype < 0 || dtype >= kDTypeCount || kernel < 0 || kernel >= kKernelCount) return -1;
  if (offset > (uint64_t{1} << 53) || n > (uint64_t{1} << 53) - offset) return -1;
  if (n == 0) return 0;
  const Range r{&wasm::kernels(), kernel, static_cast<DType>(dtype), params,
                (static_cast<uint64_t>(key_hi) << 32) | key_lo, offset, n, static_cast<char*>(dst)};
  fill_range(r);
  return 0;
}

NNINIT_EXPORT(nninit_fill_constant)
int nninit_fill_constant(void* dst, uint32_t n, int dtype, double value) {
  using namespace nninit;
  if (dtype < 0 || dtype >= kDTypeCount) return -1;
  const DType dt = static_cast<DType>(dtype);
  wasm::kernels().fill_constant(dst, n, dt, constant_bits(dt, value), false);
  return 0;
}

#endif
