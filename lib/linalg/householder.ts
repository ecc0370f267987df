/**
 * The orthonormal factor of a thin QR decomposition (the pure-TypeScript `orthonormalize` of the
 * Backend contract, lib/backend/select.ts; the native backend implements the same contract).
 *
 * A (m×n, m >= n) = Q·R by Householder reflections in float64, with the sign correction that
 * makes the factorization unique: R's diagonal >= 0 (column j of Q negated when R[j][j] < 0,
 * sign(0) = +1). For A with i.i.d. N(0, 1) entries that Q is Haar-distributed on the Stiefel
 * manifold (Mezzadri, "How to generate random matrices from the classical compact groups",
 * Notices AMS 54(5), 2007). Each element of the result is rounded once: RN32(gain·q).
 *
 * Layout: the working copy is column-major float64 (contiguous inner loops); the reflectors
 * overwrite the strictly-lower part plus the diagonal (v, with v[0] = x0 − alpha), R's diagonal is
 * kept apart. Each call allocates two m×n float64 buffers (not kept: they can be hundreds of MB);
 * nothing is allocated per reflector.
 * O(2mn² − 2n³/3) for the factorization plus the same for forming Q; unblocked (the native
 * backend is the fast path).
 */

/** Reduces the column-major m×n `c` to R; leaves the reflectors in c[k..m, k] and fills betas/rdiag. */
function factor(c: Float64Array, m: number, n: number, betas: Float64Array, rdiag: Float64Array): void {
  for (let k = 0; k < n; k++) {
    const col = k * m;
    let norm2 = 0;
    for (let i = col + k; i < col + m; i++) norm2 += c[i] * c[i];
    const x0 = c[col + k];
    // reflect x onto alpha·e1, alpha of the sign opposite to x0 (no cancellation in v0 = x0 − alpha)
    const alpha = x0 >= 0 ? -Math.sqrt(norm2) : Math.sqrt(norm2);
    const v0 = x0 - alpha;
    const v2 = norm2 - x0 * x0 + v0 * v0;
    const beta = v2 === 0 ? 0 : 2 / v2; // x = 0: no reflection, R[k][k] = 0
    c[col + k] = v0;
    betas[k] = beta;
    rdiag[k] = beta === 0 ? x0 : alpha;
    if (beta === 0) continue;
    for (let j = k + 1; j < n; j++) reflect(c, col + k, j * m + k, m - k, beta);
  }
}

/** y -= beta·(v·y)·v for v = buf[vAt, vAt + len) and y = buf[yAt, yAt + len) (in place). */
function reflect(buf: Float64Array, vAt: number, yAt: number, len: number, beta: number): void {
  let dot = 0;
  for (let i = 0; i < len; i++) dot += buf[vAt + i] * buf[yAt + i];
  const s = beta * dot;
  if (s === 0) return;
  for (let i = 0; i < len; i++) buf[yAt + i] -= s * buf[vAt + i];
}

/** Same as reflect, with v in `vs` and y in `ys` (a reflector of the factor applied to Q). */
function reflectInto(vs: Float64Array, vAt: number, ys: Float64Array, yAt: number, len: number, beta: number): void {
  let dot = 0;
  for (let i = 0; i < len; i++) dot += vs[vAt + i] * ys[yAt + i];
  const s = beta * dot;
  if (s === 0) return;
  for (let i = 0; i < len; i++) ys[yAt + i] -= s * vs[vAt + i];
}

/**
 * Overwrites the row-major m×n matrix `a` (m >= n >= 1) with RN32(gain·Q), Q the sign-corrected
 * orthonormal factor of a; as Qᵀ (n×m row-major) when `transpose`.
 */
export function orthonormalize(a: Float32Array, m: number, n: number, gain: number, transpose: boolean): void {
  if (!(m >= n && n >= 1 && a.length >= m * n)) throw new RangeError(`internal: orthonormalize needs m >= n >= 1 and m·n elements (got ${m}×${n}, ${a.length})`);
  const c = new Float64Array(m * n);
  const betas = new Float64Array(n);
  const rdiag = new Float64Array(n);
  for (let i = 0; i < m; i++) for (let j = 0, r = i * n; j < n; j++) c[j * m + i] = a[r + j];
  factor(c, m, n, betas, rdiag);
  // Q = H_0 H_1 ... H_(n−1) applied to the first n columns of I, last reflector first: before H_k
  // is applied, columns j < k are still e_j, which H_k (acting on rows >= k) leaves alone.
  const q = new Float64Array(m * n);
  for (let j = 0; j < n; j++) q[j * m + j] = 1;
  for (let k = n - 1; k >= 0; k--) {
    if (betas[k] === 0) continue;
    for (let j = k; j < n; j++) reflectInto(c, k * m + k, q, j * m + k, m - k, betas[k]);
  }
  for (let j = 0; j < n; j++) {
    const g = rdiag[j] < 0 ? -gain : gain;
    const col = j * m;
    if (transpose) for (let i = 0; i < m; i++) a[col + i] = g * q[col + i]; // row j of Qᵀ = column j of Q
    else for (let i = 0; i < m; i++) a[i * n + j] = g * q[col + i];
  }
}
