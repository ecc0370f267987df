// Partition of a fill into pool tasks (native/core/fill.h); docs/stream.md §3.
#include "fill.h"

#include <algorithm>

#ifdef __linux__
#include <sys/mman.h>
#include <unistd.h>
#endif

namespace nninit {
namespace {

// Whether the destination's pages are in memory already: its first, middle and last page, by
// mincore(2) (Linux; elsewhere assumed yes). A fresh buffer (a new Float32Array: nothing there
// until the first touch zero-fills each page, into the cache) is written faster with plain
// stores, which then hit the cache, than with streaming stores, which must evict the zeroed lines
// first: 6 fresh 64 MiB arrays, 2 threads, uniform 119-131 ms plain vs 186-214 ms streaming, a
// constant 105 vs 150 ms (measured on a 2-vCPU Xeon). A buffer written before takes streaming
// stores, as the size rule says.
bool pages_resident(const void* dst, size_t bytes) {
#ifdef __linux__
  const long page_size = sysconf(_SC_PAGESIZE);
  if (page_size <= 0 || bytes == 0) return true;
  const uintptr_t page = static_cast<uintptr_t>(page_size);
  const uintptr_t begin = reinterpret_cast<uintptr_t>(dst);
  const uintptr_t probes[3] = {begin, begin + bytes / 2, begin + bytes - 1};
  for (const uintptr_t at : probes) {
    unsigned char in_core = 0;
    if (mincore(reinterpret_cast<void*>(at & ~(page - 1)), 1, &in_core) != 0) return true;  // unknown
    if ((in_core & 1) == 0) return false;
  }
#else
  (void)dst;
  (void)bytes;
#endif
  return true;
}

// One FillPlan cut into `ntasks` pool tasks (the tasks of the TaskGroup that runs it): what every
// task reads, computed once per fill.
struct Partition {
  FillPlan plan;
  const KernelTable* table;
  uint64_t first_block = 0;  // first block overlapping [offset, offset + n)
  uint64_t end_block = 0;    // one past the last
  bool nt = false;
  size_t ntasks = 0;
};

char* element_ptr(const Partition& p, uint64_t index) {
  return static_cast<char*>(p.plan.dst) + (index - p.plan.offset) * dtype_size(p.plan.dtype);
}

bool whole(const Partition& p, uint64_t j) {
  return j * kBlockSize >= p.plan.offset && (j + 1) * kBlockSize <= p.plan.offset + p.plan.n;
}

// A block that the range only partly covers: generate it whole into scratch, store the overlap.
void partial_block(const Partition& p, uint64_t j) {
  alignas(64) float scratch[kBlockSize];
  const RunArgs args{p.plan.key, j, 1, p.plan.params, scratch};
  p.table->run[static_cast<int>(p.plan.kernel)][0][0](args);
  const uint64_t from = std::max(j * kBlockSize, p.plan.offset);
  const uint64_t to = std::min((j + 1) * kBlockSize, p.plan.offset + p.plan.n);
  p.table->store_range(scratch + (from - j * kBlockSize), to - from, element_ptr(p, from), p.plan.dtype);
}

void random_task(const Partition& p, size_t t) {
  const uint64_t chunk = kChunkBlocks[static_cast<int>(p.plan.kernel)];
  uint64_t a = p.first_block + t * chunk;
  uint64_t b = std::min(a + chunk, p.end_block);
  if (!whole(p, a)) partial_block(p, a++);
  const bool tail = b > a && !whole(p, b - 1);
  if (tail) --b;
  if (b > a) {
    const RunArgs args{p.plan.key, a, b - a, p.plan.params, element_ptr(p, a * kBlockSize)};
    p.table->run[static_cast<int>(p.plan.kernel)][static_cast<int>(p.plan.dtype)][p.nt ? 1 : 0](args);
  }
  if (tail) partial_block(p, b);
}

void constant_task(const Partition& p, size_t t) {
  const size_t from = t * kConstChunk;
  const size_t len = std::min(kConstChunk, p.plan.n - from);
  p.table->fill_constant(element_ptr(p, p.plan.offset + from), len, p.plan.dtype, p.plan.const_bits, p.nt);
}

std::shared_ptr<Partition> make_partition(const FillPlan& plan) {
  auto p = std::make_shared<Partition>();
  p->plan = plan;
  p->table = &plan.impl->table();
  const size_t bytes = plan.n * dtype_size(plan.dtype);
  p->nt = plan.nt_mode > 0 || (plan.nt_mode == 0 && bytes >= kStreamBytes && pages_resident(plan.dst, bytes));
  if (plan.n == 0) return p;
  if (plan.kind == FillKind::kConstant) {
    p->ntasks = (plan.n + kConstChunk - 1) / kConstChunk;
    return p;
  }
  p->first_block = plan.offset / kBlockSize;
  p->end_block = (plan.offset + plan.n - 1) / kBlockSize + 1;
  const uint64_t chunk = kChunkBlocks[static_cast<int>(plan.kernel)];
  p->ntasks = (p->end_block - p->first_block + chunk - 1) / chunk;
  // streaming stores need every whole block's destination 16-byte aligned (block sizes in bytes
  // are multiples of 16, so checking one block start suffices)
  const uint64_t j = whole(*p, p->first_block) ? p->first_block : p->first_block + 1;
  if ((reinterpret_cast<uintptr_t>(element_ptr(*p, j * kBlockSize)) & 15) != 0) p->nt = false;
  return p;
}

std::function<void(size_t)> task_fn(const std::shared_ptr<Partition>& p) {
  if (p->plan.kind == FillKind::kConstant) return [p](size_t t) { constant_task(*p, t); };
  return [p](size_t t) { random_task(*p, t); };
}

// Blocks generated per step of a fused fill-and-quantize task: two, so that an ISA whose vector
// spans two blocks (AVX-512) generates no block it then drops; 32 KiB of stack (docs/safety.md §6).
constexpr uint64_t kQuantStepBlocks = 2;

void fill_quantize_task(const FillPlan& s, const KernelTable& table, QuantType type, uint8_t* dst, bool simd,
                        uint64_t a, uint64_t b) {
  alignas(64) float scratch[kQuantStepBlocks * kBlockSize];
  const size_t bsize = quant_block_bytes(type);
  const uint64_t end = s.offset + s.n;
  for (uint64_t j = a; j < b; j += kQuantStepBlocks) {
    const uint64_t count = std::min(kQuantStepBlocks, b - j);
    const RunArgs args{s.key, j, count, s.params, scratch};
    table.run[static_cast<int>(s.kernel)][static_cast<int>(DType::kFloat32)][0](args);
    const uint64_t from = std::max(j * kBlockSize, s.offset);
    const uint64_t to = std::min((j + count) * kBlockSize, end);
    // from, to and offset are multiples of 32: whole quantization blocks
    quantize_blocks(type, scratch + (from - j * kBlockSize), (to - from) / kQuantBlock,
                    dst + (from - s.offset) / kQuantBlock * bsize, simd);
  }
}

}  // namespace

void fill_quantize_sync(const FillPlan& plan, QuantType type, uint8_t* dst, bool simd) {
  if (plan.n == 0) return;
  const KernelTable& table = plan.impl->table();
  const uint64_t first = plan.offset / kBlockSize;
  const uint64_t last = (plan.offset + plan.n - 1) / kBlockSize + 1;
  const uint64_t chunk = kChunkBlocks[static_cast<int>(plan.kernel)];
  const size_t ntasks = static_cast<size_t>((last - first + chunk - 1) / chunk);
  const int threads = plan.n < kInlineElements[static_cast<int>(plan.kernel)] ? 1 : plan.threads;
  run_sync(ntasks, threads, [&](size_t t) {
    const uint64_t a = first + t * chunk;
    fill_quantize_task(plan, table, type, dst, simd, a, std::min(a + chunk, last));
  });
}

void fill_sync(const FillPlan& plan) {
  const std::shared_ptr<Partition> p = make_partition(plan);
  const int k = plan.kind == FillKind::kConstant ? 0 : static_cast<int>(plan.kernel);
  run_sync(p->ntasks, plan.n < kInlineElements[k] ? 1 : plan.threads, task_fn(p));
}

std::shared_ptr<TaskGroup> fill_async(const FillPlan& plan, std::function<void()> on_done) {
  const std::shared_ptr<Partition> p = make_partition(plan);
  return run_async(p->ntasks, plan.threads, task_fn(p), std::move(on_done));
}

}  // namespace nninit
