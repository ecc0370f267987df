// Generic GEMM tile (included inside an ISA namespace by native/linalg/<isa>/linalg.cc, which defines
// vd (a GCC vector of VL doubles), VL, MV, NR, load/store/bcast/madd). BLIS-style: for each kKc
// slice of k, B's slice is packed into NR-column slivers and A's into MR-row slivers (zero padded),
// then an MR x NR register-blocked micro-kernel (MR = MV*VL, MV*NR vector accumulators) runs over
// them and adds alpha * (its sum over the slice) to C. Summation order per C element: k slices in
// increasing order, k increasing inside a slice; nothing depends on which thread runs the tile.

constexpr size_t MR = static_cast<size_t>(MV) * VL;

// dst[s*MR*kc + k*MR + r] = A(i0 + s*MR + r, p0 + k), 0 past row i1.
static void pack_a(const GemmArgs& g, size_t i0, size_t i1, size_t p0, size_t kc, double* dst) {
  for (size_t s = i0; s < i1; s += MR) {
    const size_t rows = i1 - s < MR ? i1 - s : MR;
    const double* a = g.a + static_cast<ptrdiff_t>(s) * g.rsa + static_cast<ptrdiff_t>(p0) * g.csa;
    if (g.rsa == 1 && rows == MR) {
      for (size_t k = 0; k < kc; ++k) {
        const double* col = a + static_cast<ptrdiff_t>(k) * g.csa;
        for (size_t r = 0; r < MR; ++r) dst[k * MR + r] = col[r];
      }
    } else {
      for (size_t r = 0; r < MR; ++r) {
        if (r < rows) {
          const double* row = a + static_cast<ptrdiff_t>(r) * g.rsa;
          for (size_t k = 0; k < kc; ++k) dst[k * MR + r] = row[static_cast<ptrdiff_t>(k) * g.csa];
        } else {
          for (size_t k = 0; k < kc; ++k) dst[k * MR + r] = 0.0;
        }
      }
    }
    dst += MR * kc;
  }
}

// dst[s*NR*kc + k*NR + j] = B(p0 + k, j0 + s*NR + j), 0 past column j1.
static void pack_b(const GemmArgs& g, size_t p0, size_t kc, size_t j0, size_t j1, double* dst) {
  for (size_t s = j0; s < j1; s += NR) {
    const size_t cols = j1 - s < static_cast<size_t>(NR) ? j1 - s : NR;
    const double* b = g.b + static_cast<ptrdiff_t>(p0) * g.rsb + static_cast<ptrdiff_t>(s) * g.csb;
    if (g.csb == 1 && cols == static_cast<size_t>(NR)) {
      for (size_t k = 0; k < kc; ++k) {
        const double* row = b + static_cast<ptrdiff_t>(k) * g.rsb;
        for (int j = 0; j < NR; ++j) dst[k * NR + j] = row[j];
      }
    } else {
      for (int j = 0; j < NR; ++j) {
        if (static_cast<size_t>(j) < cols) {
          const double* col = b + static_cast<ptrdiff_t>(j) * g.csb;
          for (size_t k = 0; k < kc; ++k) dst[k * NR + j] = col[static_cast<ptrdiff_t>(k) * g.rsb];
        } else {
          for (size_t k = 0; k < kc; ++k) dst[k * NR + j] = 0.0;
        }
      }
    }
    dst += NR * kc;
  }
}

// C[0, mr) x [0, nr) += alpha * Apanel(MR x kc) * Bpanel(kc x NR).
static void micro_kernel(size_t kc, const double* __restrict pa, const double* __restrict pb, double* c, size_t ldc,
                         double alpha, size_t mr, size_t nr) {
  // C is usually far away (L3 or memory, columns ldc apart): start fetching the tile now, its
  // latency hides behind the kc iterations below
  for (size_t j = 0; j < nr; ++j) {
    for (size_t i = 0; i < mr; i += 8) __builtin_prefetch(c + j * ldc + i, 1);
    __builtin_prefetch(c + j * ldc + mr - 1, 1);
  }
  vd acc[MV][NR];
#pragma GCC unroll 32
  for (int v = 0; v < MV; ++v) {
#pragma GCC unroll 32
    for (int j = 0; j < NR; ++j) acc[v][j] = bcast(0.0);
  }
  for (size_t k = 0; k < kc; ++k) {
    vd av[MV];
#pragma GCC unroll 8
    for (int v = 0; v < MV; ++v) av[v] = load(pa + k * MR + v * VL);
#pragma GCC unroll 32
    for (int j = 0; j < NR; ++j) {
      const vd bj = bcast(pb[k * NR + j]);
#pragma GCC unroll 8
      for (int v = 0; v < MV; ++v) acc[v][j] = madd(acc[v][j], av[v], bj);
    }
  }
  const vd va = bcast(alpha);
  if (mr == MR && nr == static_cast<size_t>(NR)) {
#pragma GCC unroll 32
    for (int j = 0; j < NR; ++j) {
#pragma GCC unroll 8
      for (int v = 0; v < MV; ++v) {
        double* p = c + j * ldc + v * VL;
        store(p, load(p) + va * acc[v][j]);
      }
    }
  } else {
    alignas(64) double t[MR * NR];
    for (int j = 0; j < NR; ++j) {
      for (int v = 0; v < MV; ++v) store(t + j * MR + v * VL, va * acc[v][j]);
    }
    for (size_t j = 0; j < nr; ++j) {
      for (size_t i = 0; i < mr; ++i) c[i + j * ldc] += t[i + j * MR];
    }
  }
}

static inline size_t round_up(size_t x, size_t r) { return (x + r - 1) / r * r; }

// Rows [i0, i1) of A packed for all of k: the slice at p0 starts at dst + round_up(i1 - i0, MR)*p0.
static void pack_a_all(const GemmArgs& g, size_t i0, size_t i1, double* dst) {
  const size_t mcp = round_up(i1 - i0, MR);
  for (size_t p0 = 0; p0 < g.k; p0 += kKc) pack_a(g, i0, i1, p0, g.k - p0 < kKc ? g.k - p0 : kKc, dst + mcp * p0);
}

// Columns [j0, j1) of B packed for all of k: the slice at p0 starts at dst + round_up(j1 - j0, NR)*p0.
static void pack_b_all(const GemmArgs& g, size_t j0, size_t j1, double* dst) {
  const size_t ncp = round_up(j1 - j0, NR);
  for (size_t p0 = 0; p0 < g.k; p0 += kKc) pack_b(g, p0, g.k - p0 < kKc ? g.k - p0 : kKc, j0, j1, dst + ncp * p0);
}

static void gemm_tile(const GemmArgs& g, size_t i0, size_t i1, size_t j0, size_t j1, const double* a_all,
                      const double* b_all, double* pa, double* pb) {
  const size_t mcp = round_up(i1 - i0, MR), ncp = round_up(j1 - j0, NR);
  for (size_t p0 = 0; p0 < g.k; p0 += kKc) {
    const size_t kc = g.k - p0 < kKc ? g.k - p0 : kKc;
    const double* bp = b_all != nullptr ? b_all + ncp * p0 : pb;
    const double* ap = a_all != nullptr ? a_all + mcp * p0 : pa;
    if (b_all == nullptr) pack_b(g, p0, kc, j0, j1, pb);
    if (a_all == nullptr) pack_a(g, i0, i1, p0, kc, pa);
    for (size_t jr = j0; jr < j1; jr += NR) {
      const size_t nr = j1 - jr < static_cast<size_t>(NR) ? j1 - jr : NR;
      const double* bs = bp + (jr - j0) * kc;
      for (size_t ir = i0; ir < i1; ir += MR) {
        const size_t mr = i1 - ir < MR ? i1 - ir : MR;
        micro_kernel(kc, ap + (ir - i0) * kc, bs, g.c + ir + jr * g.ldc, g.ldc, g.alpha, mr, nr);
      }
    }
  }
}
