// orthonormalize: gain * Q of a float32 m x n matrix (m >= n), A = Q R by blocked Householder QR
// in float64 with R's diagonal made >= 0 (the Haar sign correction), rounded once to float32.
//
// Algorithm (LAPACK dgeqrf / dgeqrt3 / dlarfb / dorgqr, written here from the textbook formulas):
// the column-major float64 workspace is factored in panels of 32/64/128 columns (by n). A panel is
// factored recursively (left half, block update of the right half, right half; 16-column leaves
// by the ISA's level-2 panel_qr), which also yields the compact-WY T of its reflectors,
// H_1..H_w = I - V T V^T with T = [T1, -T1 (V1^T V2) T2; 0, T2]. The trailing columns are then
// updated as C -= V (T^T (V^T C)): V packed once, each task one 64-column slice of C through all
// three products. Q is formed in place, last panel first: apply I - V T V^T to the Q columns
// already formed, then write the panel's own columns as [I; 0] - V (T V1^T). Almost all flops go
// through the ISA's GEMM tile (linalg_table.h). Work is split only over fixed output tiles (GEMM
// tiles of kMc x kNc, update slices of 64 columns), each summed in a fixed order, so the result
// is the same for every thread count (it does depend on the ISA). No N-API here
// (native/binding/orthonormalize.cc).
#ifndef NNINIT_LINALG_QR_H_
#define NNINIT_LINALG_QR_H_

#include <atomic>
#include <cstddef>

#include "../core/dispatch.h"
#include "gemm.h"
#include "linalg_table.h"

namespace nninit {

struct OrthoSpec {
  const Impl* impl = nullptr;  // picks the linalg table (avx512 | avx2 | scalar; others: scalar)
  size_t m = 0, n = 0;         // 1 <= n <= m
  double gain = 1.0;
  bool transpose = false;      // write Q^T (n x m row-major) instead of Q (m x n row-major)
  int threads = 1;             // participants of each parallel step (never changes the result)
};

// The ISA table for `impl`.
const LinalgTable& linalg_table(const Impl* impl);

// A new column-major float64 copy of the row-major m x n matrix `a` (throws std::bad_alloc).
Doubles load_workspace(const OrthoSpec& s, const float* a);

// Overwrites the workspace with Q and writes f32(gain * q) (or its transpose) to out[0, m*n).
// Throws std::bad_alloc before writing `out` when scratch memory is short. With `cancel` set
// part-way it returns early, leaving `out` unwritten.
void orthonormalize_workspace(const OrthoSpec& s, double* w, float* out, const std::atomic<bool>* cancel);

}  // namespace nninit

#endif  // NNINIT_LINALG_QR_H_
