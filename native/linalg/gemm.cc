// The parallel GEMM and the float64 buffers of native/linalg (native/linalg/gemm.h).
#include "gemm.h"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <new>

#include "../core/pool.h"

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace nninit {
namespace {

struct AlignedFree {
  void operator()(double* p) const { std::free(p); }
};

}  // namespace

Doubles::Doubles(size_t n) : n_(n) {
  constexpr size_t kHuge = size_t{2} << 20;
  if (n > SIZE_MAX / sizeof(double) - kHuge) throw std::bad_alloc();
  const size_t bytes = (n == 0 ? 1 : n) * sizeof(double);
  const size_t align = bytes >= 2 * kHuge ? kHuge : 64;
  const size_t rounded = (bytes + align - 1) / align * align;
  void* p = std::aligned_alloc(align, rounded);
  if (p == nullptr) throw std::bad_alloc();
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  if (align == kHuge) madvise(p, rounded, MADV_HUGEPAGE);  // advice only: failure changes nothing
#endif
  p_.reset(static_cast<double*>(p));
}

double* pack_buffers() noexcept {
  thread_local std::unique_ptr<double, AlignedFree> buf;
  if (!buf) buf.reset(static_cast<double*>(std::aligned_alloc(64, (kMc * kKc + kKc * kNc) * sizeof(double))));
  return buf.get();
}

void gemm(const LinalgTable& t, const GemmArgs& g, PackCache& cache, int threads) {
  if (g.m == 0 || g.n == 0 || g.k == 0) return;
  const size_t ti = (g.m + kMc - 1) / kMc;
  const size_t tj = (g.n + kNc - 1) / kNc;
  const bool pre_a = tj > 1, pre_b = ti > 1;  // shared by several tiles: pack once
  const size_t a_size = ((ti - 1) * kMc + round_up(g.m - (ti - 1) * kMc, kMrAll)) * g.k;
  const size_t b_size = ((tj - 1) * kNc + round_up(g.n - (tj - 1) * kNc, kNrAll)) * g.k;
  if (pre_a && cache.a.size() < a_size) cache.a = Doubles(a_size);
  if (pre_b && cache.b.size() < b_size) cache.b = Doubles(b_size);
  double* a_all = pre_a ? cache.a.data() : nullptr;
  double* b_all = pre_b ? cache.b.data() : nullptr;
  if (pre_a || pre_b) {
    const size_t na = pre_a ? ti : 0;
    run_sync(na + (pre_b ? tj : 0), threads, [&](size_t task) {
      if (task < na) t.pack_a_all(g, task * kMc, std::min(g.m, (task + 1) * kMc), a_all + task * kMc * g.k);
      else t.pack_b_all(g, (task - na) * kNc, std::min(g.n, (task - na + 1) * kNc), b_all + (task - na) * kNc * g.k);
    });
  }
  std::atomic<bool> no_memory{false};  // reported as bad_alloc on the calling thread
  run_sync(ti * tj, threads, [&](size_t task) {
    const size_t bi = task % ti, bj = task / ti;
    double* pa = pack_buffers();
    if (pa == nullptr) return no_memory.store(true);
    t.gemm_tile(g, bi * kMc, std::min(g.m, (bi + 1) * kMc), bj * kNc, std::min(g.n, (bj + 1) * kNc),
                pre_a ? a_all + bi * kMc * g.k : nullptr, pre_b ? b_all + bj * kNc * g.k : nullptr, pa, pa + kMc * kKc);
  });
  if (no_memory.load()) throw std::bad_alloc();
}


}  // namespace nninit
