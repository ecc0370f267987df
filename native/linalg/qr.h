// orthonormalize: gain * Q of a float32 m x n matrix (m >= n), A = Q R by blocked Householder QR
// in float64 with R's diagonal made >= 0 (the Haar sign correction), rounded once to float32.
//
// Algorithm (LAPACK dgeqrf / dlarft / dlarfb / dorgqr, written here from the textbook formulas):
// the column-major float64 workspace is factored in panels of kNb columns; each panel by the
// unblocked level-2 code of the ISA table (panel_qr), its reflectors gathered in compact WY form
// H_1..H_w = I - V T V^T (T from the Gram matrix V^T V), and the trailing columns updated with
// three GEMMs (W = V^T C, W = T^T W, C -= V W). Q is then formed in place, last block first: apply
// I - V T V^T to the Q columns already formed, then write the panel's own columns as
// [I; 0] - V (T V1^T). Almost all flops go through the ISA's GEMM tile (linalg_table.h); threads
// split every GEMM into fixed kMc x kNc output tiles, so the result is the same for every thread
// count (it does depend on the ISA). No N-API here (native/binding/orthonormalize.cc).
#ifndef NNINIT_LINALG_QR_H_
#define NNINIT_LINALG_QR_H_

#include <atomic>
#include <cstddef>
#include <memory>

#include "../core/dispatch.h"
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
std::unique_ptr<double[]> load_workspace(const OrthoSpec& s, const float* a);

// Overwrites the workspace with Q and writes f32(gain * q) (or its transpose) to out[0, m*n).
// Throws std::bad_alloc before writing `out` when scratch memory is short. With `cancel` set
// part-way it returns early, leaving `out` unwritten.
void orthonormalize_workspace(const OrthoSpec& s, double* w, float* out, const std::atomic<bool>* cancel);

}  // namespace nninit

#endif  // NNINIT_LINALG_QR_H_
