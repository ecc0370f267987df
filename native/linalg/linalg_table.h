// The function table of the dense linear algebra behind orthonormalize (native/linalg/qr.h): one
// per ISA, each compiled in its own translation unit (native/linalg/<isa>/linalg.cc) from the generic
// code in native/linalg/generic/. Everything is float64 on column-major matrices; nothing here
// allocates, threads or touches N-API (the driver in qr.cc does).
//
// Results depend on the ISA (vector width, and FMA in the avx512 GEMM) but never on threads: every
// function is a serial computation in a fixed order, and the driver splits only over output tiles.
#ifndef NNINIT_LINALG_LINALG_TABLE_H_
#define NNINIT_LINALG_LINALG_TABLE_H_

#include <cstddef>

namespace nninit {

// C(i, j) += alpha * sum_k A(i, k) B(k, j) for i < m, j < n, k < k; element (i, k) of A at
// a[i*rsa + k*csa], (k, j) of B at b[k*rsb + j*csb], C column-major (c[i + j*ldc]).
struct GemmArgs {
  size_t m, n, k;
  const double* a;
  ptrdiff_t rsa, csa;
  const double* b;
  ptrdiff_t rsb, csb;
  double* c;
  size_t ldc;
  double alpha;
};

// Cache blocking of the GEMM (the same for every ISA; multiples of every ISA's MR and NR). A task
// of the driver is one kMc x kNc tile of C, summed over k in kKc slices in increasing order. An
// operand that several tiles share (A when there are several column tiles, B when several row
// tiles) is packed once per GEMM beforehand; packing is a copy, so this changes no result.
constexpr size_t kMc = 240;
constexpr size_t kNc = 256;
constexpr size_t kKc = 256;
// Every ISA's MR divides kMrAll and its NR divides kNrAll (packed sizes are rounded up to MR/NR).
constexpr size_t kMrAll = 24;
constexpr size_t kNrAll = 8;

struct LinalgTable {
  const char* name;
  // The tile C[i0, i1) x [j0, j1) of `g`, all of k. a_all / b_all: its rows of A / columns of B
  // already packed for all of k by pack_a_all / pack_b_all, or null: then each k slice is packed
  // into pa (kMc*kKc doubles) / pb (kKc*kNc), 64-byte aligned scratch of the calling thread.
  void (*gemm_tile)(const GemmArgs& g, size_t i0, size_t i1, size_t j0, size_t j1, const double* a_all,
                    const double* b_all, double* pa, double* pb);
  // Rows [i0, i1) of A (columns [j0, j1) of B) packed for all of k: at most kMc*k (kNc*k) doubles.
  void (*pack_a_all)(const GemmArgs& g, size_t i0, size_t i1, double* dst);
  void (*pack_b_all)(const GemmArgs& g, size_t j0, size_t j1, double* dst);
  // Householder QR of the column-major mb x nb panel p (leading dimension ld, mb >= nb), in place,
  // unblocked (LAPACK dgeqr2): R on and above the diagonal, v_j below it (v_j[0] = 1 implicit),
  // tau[j], and rdiag[j] = R[j][j].
  void (*panel_qr)(double* p, size_t ld, size_t mb, size_t nb, double* tau, double* rdiag);
  // sum_i x[i] y[i] in a fixed order (Gram matrices of very narrow panels, where a GEMM tile
  // would mostly multiply padding).
  double (*dot)(const double* x, const double* y, size_t n);
};

namespace linalg_scalar { const LinalgTable& table(); }
#if defined(__x86_64__) || defined(_M_X64)
namespace linalg_avx2 { const LinalgTable& table(); }
namespace linalg_avx512 { const LinalgTable& table(); }
#endif

}  // namespace nninit

#endif  // NNINIT_LINALG_LINALG_TABLE_H_
