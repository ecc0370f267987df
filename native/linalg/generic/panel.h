// Generic level-2 Householder panel factorization (included inside an ISA namespace by
// native/linalg/<isa>/linalg.cc after generic/gemm.h's definitions of vd, VL, load, store, bcast,
// madd). Dot products use four vector accumulators and a fixed final reduction order, so each
// result is a pure function of the inputs (per ISA).

// sum_i x[i] * y[i]
static double dot(const double* x, const double* y, size_t n) {
  vd s0 = bcast(0.0), s1 = s0, s2 = s0, s3 = s0;
  size_t i = 0;
  for (; i + 4 * VL <= n; i += 4 * VL) {
    s0 = madd(s0, load(x + i), load(y + i));
    s1 = madd(s1, load(x + i + VL), load(y + i + VL));
    s2 = madd(s2, load(x + i + 2 * VL), load(y + i + 2 * VL));
    s3 = madd(s3, load(x + i + 3 * VL), load(y + i + 3 * VL));
  }
  for (; i + VL <= n; i += VL) s0 = madd(s0, load(x + i), load(y + i));
  const vd s = (s0 + s1) + (s2 + s3);
  double r = 0.0;
  for (int l = 0; l < VL; ++l) r += s[l];
  for (; i < n; ++i) r += x[i] * y[i];
  return r;
}

// y[i] += a * x[i]
static void axpy(double a, const double* x, double* y, size_t n) {
  const vd va = bcast(a);
  size_t i = 0;
  for (; i + VL <= n; i += VL) store(y + i, madd(load(y + i), va, load(x + i)));
  for (; i < n; ++i) y[i] += a * x[i];
}

// x[i] *= a
static void scal(double a, double* x, size_t n) {
  const vd va = bcast(a);
  size_t i = 0;
  for (; i + VL <= n; i += VL) store(x + i, load(x + i) * va);
  for (; i < n; ++i) x[i] *= a;
}

// LAPACK dgeqr2 with dlarfg's reflector: H = I - tau v v^T, v[0] = 1, H x = beta e1, beta =
// -sign(x0) ||x|| (sign(0) = +1); x with a zero tail gives tau = 0 (H = I) and R[j][j] = x0.
static void panel_qr(double* p, size_t ld, size_t mb, size_t nb, double* tau, double* rdiag) {
  for (size_t j = 0; j < nb; ++j) {
    double* x = p + j * ld + j;
    const size_t len = mb - j;
    const double alpha = x[0];
    const double tail = dot(x + 1, x + 1, len - 1);
    if (tail == 0.0) {
      tau[j] = 0.0;
      rdiag[j] = alpha;
      continue;
    }
    const double norm = __builtin_sqrt(alpha * alpha + tail);
    const double beta = alpha >= 0.0 ? -norm : norm;
    tau[j] = (beta - alpha) / beta;
    scal(1.0 / (alpha - beta), x + 1, len - 1);
    x[0] = beta;
    rdiag[j] = beta;
    for (size_t k = j + 1; k < nb; ++k) {
      double* y = p + k * ld + j;
      const double w = tau[j] * (y[0] + dot(x + 1, y + 1, len - 1));
      y[0] -= w;
      axpy(-w, x + 1, y + 1, len - 1);
    }
  }
}

static const LinalgTable& make_table(const char* name) {
  static const LinalgTable t = {name, &gemm_tile, &pack_a_all, &pack_b_all, &panel_qr, &dot};
  return t;
}
