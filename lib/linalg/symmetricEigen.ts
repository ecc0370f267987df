/**
 * Eigendecomposition of a real symmetric matrix, in float64: Householder reduction to tridiagonal
 * form, then the implicit QL algorithm with Wilkinson-like shifts, accumulating the eigenvectors.
 * This is the EISPACK tred2/tql2 pair (Bowdler, Martin, Reinsch, Wilkinson, Handbook for Automatic
 * Computation II, 1971) in the form JAMA (public domain, NIST/MathWorks) gives it. Used by
 * lib/api/zca.ts; deterministic (no randomness, a fixed operation order).
 *
 * Storage: n×n row-major Float64Array, V[r·n + c]; eigenvectors are the columns of V.
 * Cost: about (4/3 + 3 + 6·sweeps) n³ flops; accuracy: backward stable, |A·v − λ·v| ~ n·2^-52·‖A‖.
 */

export interface SymmetricEigen {
  /** Eigenvalues in ascending order. */
  values: Float64Array;
  /** n×n row-major; column j is the unit eigenvector of values[j]. */
  vectors: Float64Array;
}

/** Householder tridiagonalization: V becomes the accumulated transform, d/e the tridiagonal. */
function tred2(n: number, V: Float64Array, d: Float64Array, e: Float64Array): void {
  for (let j = 0; j < n; j++) d[j] = V[(n - 1) * n + j];
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]);
    if (scale === 0) {
      e[i] = d[i - 1];
      for (let j = 0; j < i; j++) {
        d[j] = V[(i - 1) * n + j];
        V[i * n + j] = 0;
        V[j * n + i] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] /= scale;
        h += d[k] * d[k];
      }
      let f = d[i - 1];
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j];
        V[j * n + i] = f;
        g = e[j] + V[j * n + j] * f;
        for (let k = j + 1; k <= i - 1; k++) {
          g += V[k * n + j] * d[k];
          e[k] += V[k * n + j] * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] /= h;
        f += e[j] * d[j];
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] -= hh * d[j];
      for (let j = 0; j < i; j++) {
        f = d[j];
        g = e[j];
        for (let k = j; k <= i - 1; k++) V[k * n + j] -= f * e[k] + g * d[k];
        d[j] = V[(i - 1) * n + j];
        V[i * n + j] = 0;
      }
    }
    d[i] = h;
  }
  // accumulate the transformations
  for (let i = 0; i < n - 1; i++) {
    V[(n - 1) * n + i] = V[i * n + i];
    V[i * n + i] = 1;
    const h = d[i + 1];
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = V[k * n + i + 1] / h;
      for (let j = 0; j <= i; j++) {
        let g = 0;
        for (let k = 0; k <= i; k++) g += V[k * n + i + 1] * V[k * n + j];
        for (let k = 0; k <= i; k++) V[k * n + j] -= g * d[k];
      }
    }
    for (let k = 0; k <= i; k++) V[k * n + i + 1] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = V[(n - 1) * n + j];
    V[(n - 1) * n + j] = 0;
  }
  V[(n - 1) * n + n - 1] = 1;
  e[0] = 0;
}

/**
 * Implicit QL on the tridiagonal (d, e), rotating the eigenvector estimates along. `W` holds Vᵀ
 * (row i = column i of V), so each rotation runs over two contiguous rows.
 *
 * An off-diagonal e[i] counts as zero when |e[i]| <= 2^-52·max(tst1, |d[i]| + |d[i+1]|): JAMA's
 * running norm tst1 plus LAPACK's local test (dsteqr). With tst1 alone, a tiny e[l] next to
 * d[l] = 0 (e.g. a subnormal covariance of a constant feature, issue #8) passed while
 * (d[l+1] − d[l]) / (2·e[l]) overflowed, and every eigenvalue became NaN; the local test bounds
 * that ratio by 2^51.
 */
function tql2(n: number, W: Float64Array, d: Float64Array, e: Float64Array): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    const coupled = (i: number): boolean => Math.abs(e[i]) > eps * Math.max(tst1, Math.abs(d[i]) + Math.abs(d[i + 1]));
    while (m < n - 1 && coupled(m)) m++;
    if (m > l) {
      for (let iter = 0; ; iter++) {
        if (iter > 60 * n) throw new Error("internal: symmetricEigen did not converge");
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        p = d[m];
        let c = 1, c2 = c, c3 = c, s = 0, s2 = 0;
        const el1 = e[l + 1];
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = Math.hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          for (let k = 0, a = i * n, b = a + n; k < n; k++) {
            h = W[b + k];
            W[b + k] = s * W[a + k] + c * h;
            W[a + k] = c * W[a + k] - s * h;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
        if (!coupled(l)) break;
      }
    }
    d[l] += f;
    e[l] = 0;
  }
}

/**
 * Eigenvalues (ascending) and orthonormal eigenvectors of the symmetric n×n row-major `a` (only
 * its values are read; a is not modified; the lower triangle is what tred2 uses).
 */
export function symmetricEigen(a: ArrayLike<number>, n: number): SymmetricEigen {
  const V = Float64Array.from({ length: n * n }, (_, i) => a[i]);
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  const W = new Float64Array(n * n);
  if (n > 0) {
    tred2(n, V, d, e);
    for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) W[c * n + r] = V[r * n + c];
    tql2(n, W, d, e);
  }
  // sort ascending (ties by index, so the order is deterministic)
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => d[x] - d[y] || x - y);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((src, dst) => {
    values[dst] = d[src];
    for (let r = 0; r < n; r++) vectors[r * n + dst] = W[src * n + r];
  });
  return { values, vectors };
}
