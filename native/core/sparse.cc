// sparse's zero positions (native/core/sparse.h; docs/stream.md §13, lib/stream/sparseRows.ts).
// Columns are independent, so tasks take fixed column ranges and the output never depends on the
// thread count or on which thread runs a task. Each running task borrows one of the scratch slots
// (an index array and a row bit mask) allocated up front (at most min(tasks, threads) tasks run at
// once, pool.h), so no task allocates.
#include "sparse.h"

#include <algorithm>
#include <memory>
#include <mutex>
#include <vector>

#include "../kernels/generic/prelude.h"
#include "pool.h"

namespace nninit {
namespace sparse_stream {
// SplitMix64's GAMMA and mix64 (§2), the same text the kernels use; nothing ISA-specific in it.
#include "../kernels/generic/stream.h"
}  // namespace sparse_stream

namespace {

using sparse_stream::kGamma;
using sparse_stream::mix64;

// "sparse.z" in ASCII: separates the positions' stream from the values' stream of the same key.
constexpr uint64_t kSparseSalt = 0x7370617273652E7Aull;
// Index entries (rows × columns) a task covers at least: few rows mean more columns per task.
constexpr uint64_t kTaskEntries = 65536;
// Most columns whose zeros are collected in one bit mask per row before they are written.
constexpr uint64_t kGroupCols = 64;
// Below this many entries in all, the caller does everything (waking a helper costs more).
constexpr uint64_t kInlineEntries = 131072;

// Column c's SplitMix64 stream: word() = hi32(next(S)).
struct ColumnStream {
  uint64_t s;
  uint32_t word() {
    s += kGamma;
    return static_cast<uint32_t>(mix64(s) >> 32);
  }
  // Lemire's nearly divisionless unbiased integer in [0, bound), 1 <= bound < 2^32.
  uint32_t bounded(uint32_t bound) {
    uint64_t p = static_cast<uint64_t>(word()) * bound;
    if (static_cast<uint32_t>(p) < bound) {
      const uint32_t t = static_cast<uint32_t>(-bound) % bound;  // (2^32 - bound) mod bound
      while (static_cast<uint32_t>(p) < t) p = static_cast<uint64_t>(word()) * bound;
    }
    return static_cast<uint32_t>(p >> 32);
  }
};

// Columns [c0, c1), at most 8·sizeof(M) of them: each column's shuffle sets its bit in mask[row],
// then one pass over the rows writes the group's zeros row by row (a row's zeros share cache lines
// and a page, instead of one scattered store per draw across the whole array) and clears the mask.
template <class T, class M>
void zero_group(const SparseSpec& s, uint64_t p, uint64_t c0, uint64_t c1, uint32_t* idx, M* mask) {
  const uint32_t rows = static_cast<uint32_t>(s.rows);
  const uint32_t zeros = static_cast<uint32_t>(s.zeros);
  for (uint64_t c = c0; c < c1; ++c) {
    ColumnStream st{p ^ mix64(c + kGamma)};
    const M bit = static_cast<M>(M{1} << (c - c0));
    for (uint32_t i = 0; i < rows; ++i) idx[i] = i;
    for (uint32_t i = 0; i < zeros; ++i) {
      const uint32_t j = i + st.bounded(rows - i);
      const uint32_t r = idx[j];
      idx[j] = idx[i];
      idx[i] = r;
      mask[r] = static_cast<M>(mask[r] | bit);
    }
  }
  T* out = static_cast<T*>(s.dst) + c0;
  for (uint64_t r = 0; r < rows; ++r) {
    T* row = out + r * s.cols;
    for (uint64_t m = mask[r]; m != 0; m &= m - 1) row[__builtin_ctzll(m)] = T(0);
    mask[r] = 0;
  }
}

template <class M>
void zero_range(const SparseSpec& s, uint64_t p, uint64_t c0, uint64_t c1, uint32_t* idx, void* mask_bytes) {
  M* mask = static_cast<M*>(mask_bytes);
  constexpr uint64_t kWidth = 8 * sizeof(M);
  for (uint64_t g = c0; g < c1; g += kWidth) {
    const uint64_t g1 = std::min(c1, g + kWidth);
    switch (s.dtype) {
      case DType::kFloat32: zero_group<uint32_t>(s, p, g, g1, idx, mask); break;  // +0.0f: all-zero bits
      case DType::kFloat64: zero_group<uint64_t>(s, p, g, g1, idx, mask); break;
      default: zero_group<uint16_t>(s, p, g, g1, idx, mask); break;               // bfloat16 / float16 +0
    }
  }
}

// Bytes of a row's mask: as narrow as the columns allow (a tall, narrow matrix needs 1 byte a row).
size_t mask_size(uint64_t cols) { return cols <= 8 ? 1 : cols <= 16 ? 2 : cols <= 32 ? 4 : 8; }

void zero_range_any(const SparseSpec& s, uint64_t p, uint64_t c0, uint64_t c1, uint32_t* idx, void* mask) {
  switch (mask_size(s.cols)) {
    case 1: zero_range<uint8_t>(s, p, c0, c1, idx, mask); break;
    case 2: zero_range<uint16_t>(s, p, c0, c1, idx, mask); break;
    case 4: zero_range<uint32_t>(s, p, c0, c1, idx, mask); break;
    default: zero_range<uint64_t>(s, p, c0, c1, idx, mask); break;
  }
}

}  // namespace

uint64_t sparse_cols_per_task(uint64_t rows) {
  const uint64_t by_work = rows == 0 ? kTaskEntries : (kTaskEntries + rows - 1) / rows;
  return (std::max<uint64_t>(kGroupCols, by_work) + kGroupCols - 1) / kGroupCols * kGroupCols;
}

void sparse_zeros(const SparseSpec& s) {
  if (s.zeros == 0 || s.cols == 0 || s.rows == 0) return;
  const uint64_t p = mix64(s.key ^ kSparseSalt);
  const uint64_t per = sparse_cols_per_task(s.rows);
  const uint64_t ntasks = (s.cols + per - 1) / per;
  const bool inline_only = s.rows * s.cols < kInlineEntries;
  const int threads = inline_only ? 1 : std::max(1, s.threads);
  const size_t slots = static_cast<size_t>(std::min<uint64_t>(ntasks, static_cast<uint64_t>(threads)));
  // All scratch before the first write (bad_alloc leaves dst unchanged, and no task can throw).
  std::unique_ptr<uint32_t[]> scratch(new uint32_t[slots * s.rows]);
  const size_t mask_words = static_cast<size_t>((s.rows * mask_size(s.cols) + 7) / 8);  // per slot, 8-aligned
  std::unique_ptr<uint64_t[]> masks(new uint64_t[slots * mask_words]());
  std::vector<size_t> free_slots(slots);
  for (size_t i = 0; i < slots; ++i) free_slots[i] = slots - 1 - i;
  std::mutex mutex;
  run_sync(static_cast<size_t>(ntasks), threads, [&](size_t task) {
    size_t slot;
    {
      std::lock_guard<std::mutex> lock(mutex);
      slot = free_slots.back();  // never empty: at most `slots` tasks run at once
      free_slots.pop_back();
    }
    const uint64_t c0 = task * per;
    zero_range_any(s, p, c0, std::min(s.cols, c0 + per), scratch.get() + slot * s.rows, masks.get() + slot * mask_words);
    std::lock_guard<std::mutex> lock(mutex);
    free_slots.push_back(slot);
  });
}

}  // namespace nninit
