// FillPlan: a fill request reduced to plain data (lib/plan/plan.ts's FillPlan, re-checked by
// native/binding/args.cc), and how it is cut into tasks for the pool.
// Partition (native/core/fill.cc; docs/stream.md §3: threads take whole blocks): task t covers
// blocks [first + t*chunk, ...) of the range, chunk = kChunkBlocks[kernel]; it is a pure function
// of the range and the kernel, never of the thread count. Partial first/last blocks are generated
// whole into a per-call stack scratch block and the overlapping part is converted/copied. The
// tasks run as one TaskGroup on the pool (native/core/pool.h). No N-API here.
#ifndef NNINIT_CORE_FILL_H_
#define NNINIT_CORE_FILL_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>

#include "dispatch.h"
#include "pool.h"
#include "quant.h"
#include "types.h"

namespace nninit {

enum class FillKind { kRandom, kConstant };

struct FillPlan {
  FillKind kind = FillKind::kRandom;  // lib/plan/plan.ts: FillPlan["kind"]
  const Impl* impl = nullptr;
  DType dtype = DType::kFloat32;
  KernelId kernel = KernelId::kUniform;
  float params[kMaxParams] = {};
  uint64_t key = 0;
  uint64_t offset = 0;      // stream index of dst[0]
  uint64_t const_bits = 0;  // kConstant: the value in the dtype's encoding
  void* dst = nullptr;
  size_t n = 0;             // elements
  int threads = 1;          // participants (sync: including the caller)
  int nt_mode = 0;          // 0: streaming stores when large; 1: always (streamFill); -1: never
};

// Blocks per task, by kernel: about 10-20 us of work each on one core (AVX2), so that a helper
// thread that takes a while to wake up still finds work. Elements per task of a constant fill.
constexpr uint64_t kChunkBlocks[kKernelCount] = {16, 4, 4};
constexpr size_t kConstChunk = 65536;
// Fills shorter than this (by kernel; constants use the uniform value) run on the calling thread
// alone: handing half of a memory-bound in-cache fill to another core cost more than it saved.
constexpr size_t kInlineElements[kKernelCount] = {262144, 65536, 65536};
// Below this many output bytes a fill uses regular stores (the result stays in cache); above it,
// streaming stores where the destination is in memory already (fill.cc pages_resident).
constexpr size_t kStreamBytes = size_t{16} << 20;
// No madvise(MADV_HUGEPAGE) on destinations: it made fresh fills ~3x faster (6 x 64 MiB: 357-400
// -> 100-148 ms) but, with THP defrag "madvise", stalled fills in direct compaction once the page
// cache was full: a TinyLlama checkpoint write alternated 1.5 s / 5 s instead of a steady 1.6 s.

// Runs the fill on the calling thread plus pool threads; returns when done.
void fill_sync(const FillPlan& plan);
// Runs the fill on pool threads only; on_done runs on the thread that completes it.
std::shared_ptr<TaskGroup> fill_async(const FillPlan& plan, std::function<void()> on_done);

// The GGUF writer's fused path: the float32 random fill of [plan.offset, plan.offset + plan.n)
// (plan.kind kRandom; plan.dtype and plan.dst are ignored) quantized straight into plan.n / 32
// blocks of `type` at `dst`, each stream block generated into a stack scratch (L1/L2) and
// quantized there, never stored as float32 in memory. Bit for bit quantize(fill(range)): the
// fill is the kernel's float32 output and the quantizer quantize_blocks (`simd` as there).
// Requires plan.offset % 32 == 0 and plan.n % 32 == 0 (the binding checks), so no quantization
// block straddles two stream blocks; tasks are the fill's (kChunkBlocks), on the calling thread
// plus pool threads; returns when done.
void fill_quantize_sync(const FillPlan& plan, QuantType type, uint8_t* dst, bool simd);

}  // namespace nninit

#endif  // NNINIT_CORE_FILL_H_
