// Blocked Householder QR and forming Q (native/linalg/qr.h): the driver over the ISA tables
// (GEMMs through native/linalg/gemm.h).
#include "qr.h"

#include <algorithm>
#include <cstring>
#include <new>
#include <string>
#include <vector>

#include "../core/pool.h"
#include "gemm.h"

namespace nninit {
namespace {

// Panel width: the trailing-update GEMMs have inner dimension kNb (wider: more of the flops in the
// GEMM's register-blocked kernel, but a costlier level-2 panel).
size_t panel_width(size_t n) { return n <= 256 ? 32 : n <= 768 ? 64 : 128; }

// Scratch of one factorization.
struct Work {
  size_t nb;
  std::vector<double> tau, rdiag;
  Doubles v, t, w1, w2, g, h;
  PackCache pack;
};

// V (mb x w, ld mb) with the unit diagonal and zeros above it, from the factored panel p (ld m).
void explicit_v(const double* p, size_t ld, size_t mb, size_t w, double* v) {
  for (size_t j = 0; j < w; ++j) {
    double* col = v + j * mb;
    std::fill(col, col + j, 0.0);
    col[j] = 1.0;
    std::memcpy(col + j + 1, p + j * ld + j + 1, (mb - j - 1) * sizeof(double));
  }
}

// Columns of C per task of the block update.
constexpr size_t kUpdateCols = 64;

// C (mb x nc, ld ldc) = (I - V T' V^T) C with T' = T^T (trans: applying H^T, the QR update) or T
// (T upper triangular, ld nb; V explicit, ld mb, w <= kMc columns); C's first zero_rows rows are 0.
// V is packed once (as Vᵀ for W = VᵀC and as V for C -= V·W); then each task takes kUpdateCols
// columns C_j through all three products (W_j = VᵀC_j, W_j' = T'·W_j, C_j -= V·W_j'), so C_j is
// still in cache for its second pass and the update costs two pool hand-offs, not one per GEMM.
void apply_block(const LinalgTable& tab, const double* v, size_t mb, size_t w, const double* t, size_t nb, bool trans,
                 double* c, size_t ldc, size_t nc, size_t zero_rows, Work& k, int threads) {
  const size_t z = zero_rows;
  const ptrdiff_t smb = static_cast<ptrdiff_t>(mb), snb = static_cast<ptrdiff_t>(nb), sw = static_cast<ptrdiff_t>(w);
  const GemmArgs vt{w, 0, mb - z, v + z, smb, 1, nullptr, 0, 0, nullptr, 0, 1.0};  // A = V^T (rows z..)
  const GemmArgs vv{mb, 0, w, v, 1, smb, nullptr, 0, 0, nullptr, 0, -1.0};          // A = V
  const size_t ti = (mb + kMc - 1) / kMc;
  const size_t a1 = round_up(w, kMrAll) * (mb - z);
  const size_t a3 = ((ti - 1) * kMc + round_up(mb - (ti - 1) * kMc, kMrAll)) * w;
  if (k.pack.a.size() < a1) k.pack.a = Doubles(a1);
  if (k.pack.b.size() < a3) k.pack.b = Doubles(a3);
  double* pa1 = k.pack.a.data();
  double* pa3 = k.pack.b.data();
  run_sync(1 + ti, threads, [&](size_t task) {
    if (task == 0) tab.pack_a_all(vt, 0, w, pa1);
    else tab.pack_a_all(vv, (task - 1) * kMc, std::min(mb, task * kMc), pa3 + (task - 1) * kMc * w);
  });
  std::atomic<bool> no_memory{false};
  run_sync((nc + kUpdateCols - 1) / kUpdateCols, threads, [&](size_t task) {
    double* pa = pack_buffers();
    if (pa == nullptr) return no_memory.store(true);
    double* pb = pa + kMc * kKc;
    const size_t j0 = task * kUpdateCols, ncj = std::min(nc, j0 + kUpdateCols) - j0;
    double* cj = c + j0 * ldc;
    double* wj = k.w1.data() + w * j0;  // w x ncj, ld w: this task's slice
    double* wj2 = k.w2.data() + w * j0;
    std::fill(wj, wj + w * ncj, 0.0);
    std::fill(wj2, wj2 + w * ncj, 0.0);
    const GemmArgs g1{w, ncj, mb - z, v + z, smb, 1, cj + z, 1, static_cast<ptrdiff_t>(ldc), wj, w, 1.0};
    tab.gemm_tile(g1, 0, w, 0, ncj, pa1, nullptr, pa, pb);
    const GemmArgs g2{w, ncj, w, t, trans ? snb : 1, trans ? 1 : snb, wj, 1, sw, wj2, w, 1.0};
    tab.gemm_tile(g2, 0, w, 0, ncj, nullptr, nullptr, pa, pb);
    const GemmArgs g3{mb, ncj, w, v, 1, smb, wj2, 1, sw, cj, ldc, -1.0};
    tab.pack_b_all(g3, 0, ncj, pb);
    for (size_t bi = 0; bi < ti; ++bi) {
      tab.gemm_tile(g3, bi * kMc, std::min(mb, (bi + 1) * kMc), 0, ncj, pa3 + bi * kMc * w, pb, nullptr, nullptr);
    }
  });
  if (no_memory.load()) throw std::bad_alloc();
}

// Panels up to this width are factored by the ISA's level-2 panel_qr.
constexpr size_t kLeaf = 16;

// QR of the mb x w panel p (ld m, mb >= w) in place, with tau, rdiag and the compact-WY T (w x w
// upper triangular, ld k.nb) of its reflectors: H_1..H_w = I - V T V^T. Recursive (Elmroth and
// Gustavson; LAPACK dgeqrt3): factor the left half, update the right half with its block
// reflector, factor the right half, then T = [T1, -T1 (V1^T V2) T2; 0, T2]. A leaf uses panel_qr
// and T from the Gram matrix V^T V: T[i][i] = tau_i, T[0:i, i] = -tau_i T[0:i, 0:i] (V^T v_i).
// Uses k.v (mb x w), k.g, k.h, k.w1, k.w2 as scratch.
void factor_panel(const LinalgTable& tab, double* p, size_t ld, size_t mb, size_t w, double* tau, double* rdiag,
                  double* t, Work& k, int threads) {
  const size_t nb = k.nb;
  const ptrdiff_t snb = static_cast<ptrdiff_t>(nb);
  double* v = k.v.data();
  if (w <= kLeaf) {
    tab.panel_qr(p, ld, mb, w, tau, rdiag);
    explicit_v(p, ld, mb, w, v);
    double* g = k.g.data();
    if (w < kNrAll) {  // G[q][r] = v_q . v_r over rows >= r (v_r is 0 above row r), q <= r
      for (size_t r = 0; r < w; ++r) {
        for (size_t q = 0; q <= r; ++q) g[q + r * w] = g[r + q * w] = tab.dot(v + q * mb + r, v + r * mb + r, mb - r);
      }
    } else {
      std::fill(g, g + w * w, 0.0);
      gemm(tab, GemmArgs{w, w, mb, v, static_cast<ptrdiff_t>(mb), 1, v, 1, static_cast<ptrdiff_t>(mb), g, w, 1.0}, k.pack,
           threads);
    }
    for (size_t i = 0; i < w; ++i) {
      for (size_t r = i; r < w; ++r) t[r + i * nb] = 0.0;
      for (size_t r = 0; r < i; ++r) {
        double s = 0.0;
        for (size_t q = r; q < i; ++q) s += t[r + q * nb] * g[q + i * w];
        t[r + i * nb] = -tau[i] * s;
      }
      t[i + i * nb] = tau[i];
    }
    return;
  }
  const size_t w1 = w / 2, w2 = w - w1;
  factor_panel(tab, p, ld, mb, w1, tau, rdiag, t, k, threads);
  explicit_v(p, ld, mb, w1, v);
  apply_block(tab, v, mb, w1, t, nb, true, p + w1 * ld, ld, w2, 0, k, threads);
  double* t2 = t + w1 + w1 * nb;
  factor_panel(tab, p + w1 + w1 * ld, ld, mb - w1, w2, tau + w1, rdiag + w1, t2, k, threads);
  // X = V1[w1:]^T V2 (w1 x w2); Y = X T2; T12 = -T1 Y
  const size_t mb2 = mb - w1;
  double* v1 = v;
  double* v2 = v + mb * w1;
  explicit_v(p, ld, mb, w1, v1);
  explicit_v(p + w1 + w1 * ld, ld, mb2, w2, v2);
  double* x = k.g.data();
  double* y = k.h.data();
  std::fill(x, x + w1 * w2, 0.0);
  std::fill(y, y + w1 * w2, 0.0);
  const ptrdiff_t smb = static_cast<ptrdiff_t>(mb), smb2 = static_cast<ptrdiff_t>(mb2), sw1 = static_cast<ptrdiff_t>(w1);
  gemm(tab, GemmArgs{w1, w2, mb2, v1 + w1, smb, 1, v2, 1, smb2, x, w1, 1.0}, k.pack, threads);
  gemm(tab, GemmArgs{w1, w2, w2, x, 1, sw1, t2, 1, snb, y, w1, 1.0}, k.pack, threads);
  double* t12 = t + w1 * nb;
  for (size_t j = 0; j < w2; ++j) {
    std::fill(t12 + j * nb, t12 + j * nb + w1, 0.0);
  }
  for (size_t j = 0; j < w1; ++j) std::fill(t + j * nb + w1, t + j * nb + w, 0.0);  // below T1 in T's lower half
  gemm(tab, GemmArgs{w1, w2, w1, t, 1, snb, y, 1, sw1, t12, nb, -1.0}, k.pack, threads);
}

// Below this many m*n*n (about 3 ms of work on one core) the calling thread works alone: handing
// the small GEMMs of a 256² matrix to a second core cost more than it saved. Only who computes
// changes, never the tiles, so the result is the same.
constexpr double kSerialWork = 33554432.0;  // 2^25

int participants(const OrthoSpec& s) {
  return static_cast<double>(s.m) * static_cast<double>(s.n) * static_cast<double>(s.n) < kSerialWork ? 1 : s.threads;
}

bool stopped(const std::atomic<bool>* cancel) { return cancel != nullptr && cancel->load(std::memory_order_relaxed); }

// Tasks over fixed blocks of rows or columns for the layout conversions.
constexpr size_t kTile = 64;

}  // namespace

const LinalgTable& linalg_table(const Impl* impl) {
  return impl == nullptr ? linalg_scalar::table() : impl->linalg();  // the ISA's table (core/dispatch.cc)
}

Doubles load_workspace(const OrthoSpec& s, const float* a) {
  const size_t m = s.m, n = s.n;
  Doubles w(m * n);
  double* wp = w.data();
  run_sync((n + kTile - 1) / kTile, participants(s), [&](size_t t) {
    const size_t j0 = t * kTile, j1 = std::min(n, j0 + kTile);
    for (size_t i0 = 0; i0 < m; i0 += kTile) {
      const size_t i1 = std::min(m, i0 + kTile);
      for (size_t j = j0; j < j1; ++j) {
        for (size_t i = i0; i < i1; ++i) wp[i + j * m] = a[i * n + j];
      }
    }
  });
  return w;
}

void orthonormalize_workspace(const OrthoSpec& s, double* a, float* out, const std::atomic<bool>* cancel) {
  const LinalgTable& tab = linalg_table(s.impl);
  const size_t m = s.m, n = s.n;
  const int threads = participants(s);
  Work k;
  k.nb = std::min(panel_width(n), n);
  const size_t nb = k.nb;
  const size_t nblocks = (n + nb - 1) / nb;
  k.tau.resize(n);
  k.rdiag.resize(n);
  k.v = Doubles(m * nb);
  k.t = Doubles(nblocks * nb * nb);
  k.w1 = Doubles(nb * n);
  k.w2 = Doubles(nb * n);
  k.g = Doubles(nb * nb);
  k.h = Doubles(nb * nb);

  // A = Q R: panels left to right.
  for (size_t b = 0; b < nblocks; ++b) {
    if (stopped(cancel)) return;
    const size_t jb = b * nb, w = std::min(nb, n - jb), mb = m - jb, nc = n - jb - w;
    double* p = a + jb + jb * m;
    double* t = k.t.data() + b * nb * nb;
    factor_panel(tab, p, m, mb, w, k.tau.data() + jb, k.rdiag.data() + jb, t, k, threads);
    if (nc == 0) continue;
    explicit_v(p, m, mb, w, k.v.data());
    apply_block(tab, k.v.data(), mb, w, t, nb, true, p + w * m, m, nc, 0, k, threads);
  }
  // Q = H_1 H_2 ... applied to the first n columns of I, in place, last block first.
  std::vector<double> x(nb * nb);
  for (size_t b = nblocks; b-- > 0;) {
    if (stopped(cancel)) return;
    const size_t jb = b * nb, w = std::min(nb, n - jb), mb = m - jb, nc = n - jb - w;
    double* p = a + jb + jb * m;
    explicit_v(p, m, mb, w, k.v.data());
    const double* t = k.t.data() + b * nb * nb;
    if (nc > 0) apply_block(tab, k.v.data(), mb, w, t, nb, false, p + w * m, m, nc, w, k, threads);  // rows jb..jb+w of Q's later columns are 0
    // X = T V1^T (w x w), then the panel's columns = [I; 0] - V X (rows above jb: 0)
    std::fill(x.begin(), x.end(), 0.0);
    const double* v = k.v.data();
    gemm(tab, GemmArgs{w, w, w, t, 1, static_cast<ptrdiff_t>(nb), v, static_cast<ptrdiff_t>(mb), 1, x.data(), w, 1.0}, k.pack, threads);
    for (size_t j = 0; j < w; ++j) {
      double* col = a + (jb + j) * m;
      std::fill(col, col + m, 0.0);
      col[jb + j] = 1.0;
    }
    gemm(tab, GemmArgs{mb, w, w, v, 1, static_cast<ptrdiff_t>(mb), x.data(), 1, static_cast<ptrdiff_t>(w), p, m, -1.0}, k.pack, threads);
  }
  if (stopped(cancel)) return;
  // out = f32(g_j q_ij), g_j = -gain where R[j][j] < 0 (f32(gain * -q) == -f32(gain * q))
  std::vector<double> gj(n);
  for (size_t j = 0; j < n; ++j) gj[j] = k.rdiag[j] < 0.0 ? -s.gain : s.gain;
  const double* g = gj.data();
  if (s.transpose) {  // out[j*m + i]: contiguous columns
    run_sync((n + kTile - 1) / kTile, threads, [&](size_t t) {
      for (size_t j = t * kTile; j < std::min(n, (t + 1) * kTile); ++j) {
        const double* col = a + j * m;
        float* o = out + j * m;
        for (size_t i = 0; i < m; ++i) o[i] = static_cast<float>(g[j] * col[i]);
      }
    });
  } else {  // out[i*n + j]: transposed through kTile x kTile tiles
    run_sync((m + kTile - 1) / kTile, threads, [&](size_t t) {
      const size_t i0 = t * kTile, i1 = std::min(m, i0 + kTile);
      for (size_t j0 = 0; j0 < n; j0 += kTile) {
        const size_t j1 = std::min(n, j0 + kTile);
        for (size_t i = i0; i < i1; ++i) {
          for (size_t j = j0; j < j1; ++j) out[i * n + j] = static_cast<float>(g[j] * a[i + j * m]);
        }
      }
    });
  }
}

}  // namespace nninit
