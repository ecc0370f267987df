// sparse's zero positions (docs/stream.md §13), natively: for each column, the first `zeros`
// entries of a partial Fisher–Yates shuffle of the row indices driven by the column's SplitMix64
// stream and Lemire's bounded integers, written as +0 into the row-major rows×cols output.
// The executable TypeScript form is lib/stream/sparseRows.ts; both are bit-identical. No N-API.
#ifndef NNINIT_CORE_SPARSE_H_
#define NNINIT_CORE_SPARSE_H_

#include <cstddef>
#include <cstdint>

#include "types.h"

namespace nninit {

struct SparseSpec {
  uint64_t key = 0;     // the call key K
  uint64_t rows = 0;    // < 2^32
  uint64_t cols = 0;
  uint64_t zeros = 0;   // <= rows
  DType dtype = DType::kFloat32;
  void* dst = nullptr;  // rows*cols elements of dtype
  int threads = 1;      // participants, including the caller
};

// Columns per pool task: a fixed function of `rows` only (never of the thread count), a multiple
// of 64 (a task writes its zeros 64 columns at a time, row by row, sparse.cc).
uint64_t sparse_cols_per_task(uint64_t rows);

// Writes +0 (the dtype's zero bits) at each column's zero rows, on the calling thread plus pool
// threads; nothing else is touched. Allocates its scratch (per participant: a rows-long uint32
// index array and a per-row bit mask of 1 to 8 bytes by cols, so at most 12 bytes a row) before
// writing anything, so std::bad_alloc leaves dst unchanged.
void sparse_zeros(const SparseSpec& spec);

}  // namespace nninit

#endif  // NNINIT_CORE_SPARSE_H_
