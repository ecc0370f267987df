/**
 * TO BE REPLACED by the core's orthogonal (nninit's matrix methods, a later issue) when it lands.
 *
 * The orthonormal factor of a thin QR decomposition, by Householder reflections in float64, with
 * the sign correction that makes it unique: A = Q·R with R's diagonal >= 0 (Q·diag(sign(diag R)),
 * sign(0) taken as +1). For A with i.i.d. N(0, 1) entries that Q is Haar-distributed (Mezzadri,
 * "How to generate random matrices from the classical compact groups", Notices AMS 54(5), 2007),
 * which is what Keras/tfjs Orthogonal draw. O(m·n²) scalar work: correct, not fast.
 */

/**
 * Q (m×n, m >= n, orthonormal columns) of the row-major m×n matrix `a`, returned column-major:
 * column j is q[j*m .. j*m + m).
 */
export function orthonormalFactor(a: ArrayLike<number>, m: number, n: number): Float64Array {
  if (!(m >= n)) throw new RangeError(`internal: orthonormalFactor needs m >= n (got ${m}×${n})`);
  const c = new Float64Array(m * n); // A column-major, reduced in place to R (upper part)
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) c[j * m + i] = a[i * n + j];
  const vs: Float64Array[] = [];
  const betas = new Float64Array(n);
  const rDiag = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const col = k * m;
    let norm2 = 0;
    for (let i = k; i < m; i++) norm2 += c[col + i] * c[col + i];
    const norm = Math.sqrt(norm2);
    const v = new Float64Array(m - k);
    for (let i = k; i < m; i++) v[i - k] = c[col + i];
    // reflect x onto alpha·e1 with alpha of the sign opposite to x0 (no cancellation in v0)
    const alpha = c[col + k] >= 0 ? -norm : norm;
    v[0] -= alpha;
    let v2 = 0;
    for (let i = 0; i < v.length; i++) v2 += v[i] * v[i];
    const beta = v2 === 0 ? 0 : 2 / v2; // x = 0: no reflection
    vs.push(v);
    betas[k] = beta;
    rDiag[k] = beta === 0 ? c[col + k] : alpha;
    for (let j = k; j < n; j++) reflect(c, j * m, k, v, beta);
  }
  // Q = H_0 H_1 ... H_(n-1) applied to the first n columns of I, last reflector first; column j
  // has zeros in rows >= k for j < k until H_k is applied, so H_k only touches columns j >= k.
  const q = new Float64Array(m * n);
  for (let j = 0; j < n; j++) q[j * m + j] = 1;
  for (let k = n - 1; k >= 0; k--) for (let j = k; j < n; j++) reflect(q, j * m, k, vs[k], betas[k]);
  for (let j = 0; j < n; j++) {
    if (rDiag[j] < 0) for (let i = 0; i < m; i++) q[j * m + i] = -q[j * m + i];
  }
  return q;
}

/** y[k..m) -= beta·(v·y[k..m))·v for the column y starting at `base` of a column-major buffer. */
function reflect(buf: Float64Array, base: number, k: number, v: Float64Array, beta: number): void {
  if (beta === 0) return;
  let dot = 0;
  for (let i = 0; i < v.length; i++) dot += v[i] * buf[base + k + i];
  const s = beta * dot;
  for (let i = 0; i < v.length; i++) buf[base + k + i] -= s * v[i];
}
