// The parallel GEMM of native/linalg over an ISA table (linalg_table.h), and what it needs: float64
// buffers (Doubles), the calling thread's packing scratch and the operands packed once per GEMM. C is cut into fixed
// kMc x kNc tiles that pool threads claim; an operand several tiles share (A when there are
// several column tiles, B when several row tiles) is packed once beforehand; so the result is
// the same for every thread count. No N-API here.
#ifndef NNINIT_LINALG_GEMM_H_
#define NNINIT_LINALG_GEMM_H_

#include <cstddef>
#include <cstdlib>
#include <memory>

#include "linalg_table.h"

namespace nninit {

// A heap array of n doubles, uninitialized, 64-byte aligned; from 4 MiB on 2 MiB aligned and, on
// Linux, marked for transparent huge pages (first-touch page faults of a fresh 128 MiB workspace
// cost ~100 ms on 4 KiB pages in a VM, ~25 ms on 2 MiB pages). Throws std::bad_alloc.
class Doubles {
 public:
  Doubles() = default;
  explicit Doubles(size_t n);
  double* data() const { return p_.get(); }
  size_t size() const { return n_; }

 private:
  struct Free {
    void operator()(double* p) const { std::free(p); }
  };
  std::unique_ptr<double[], Free> p_;
  size_t n_ = 0;
};

inline size_t round_up(size_t x, size_t r) { return (x + r - 1) / r * r; }

// Operands packed once per GEMM (grown as needed, kept across the GEMMs of one factorization).
struct PackCache {
  Doubles a, b;
};

// The calling thread's packing scratch: kMc*kKc doubles for A, then kKc*kNc for B, 64-byte
// aligned, kept for the thread's lifetime; nullptr when memory is short (pool tasks call it, and an
// exception must not leave a pool thread: std::terminate).
double* pack_buffers() noexcept;

// C += alpha A B (GemmArgs) on the calling thread plus threads-1 pool threads. Throws
// std::bad_alloc (on the calling thread) when scratch memory is short.
void gemm(const LinalgTable& t, const GemmArgs& g, PackCache& cache, int threads);

}  // namespace nninit

#endif  // NNINIT_LINALG_GEMM_H_
