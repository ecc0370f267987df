/**
 * zca: the ZCA (Mahalanobis) whitening matrix of a data set, as an initializer for a linear layer
 * that whitens its input: W = V·diag(1/√(λ + eps))·Vᵀ with C = V·diag(λ)·Vᵀ the covariance of the
 * data (Bell & Sejnowski 1997; Kessy, Lewin & Strimmer, "Optimal whitening and decorrelation",
 * The American Statistician 72(4), 2018, eq. W^ZCA = Σ^(−1/2)). The data are centred per feature;
 * the covariance divides by the sample count (`rows`), as Keras's ImageDataGenerator ZCA does,
 * and eps defaults to its 1e-6. All arithmetic is float64 (eigensolver: lib/linalg/symmetricEigen.ts);
 * deterministic (no seed). Eigenvalues are clamped at 0 before adding eps (rounding can make a
 * zero eigenvalue slightly negative).
 */
import { rangeError } from "../plan/errors.js";
import { arg, checkFloatData, checkInteger, checkNonNegative, checkOffset, checkOut, opt, readOptions, type DType, type OutArray } from "../plan/validate.js";
import { symmetricEigen } from "../linalg/symmetricEigen.js";
import { checkSignal, localJob, submit, throwIfAborted } from "./execute.js";
import { storeF64 } from "./store.js";
import type { Float32DType, Float64DType, Uint16DType } from "./signatures.js";

/** Options of `zca`; `dtype` and `signal` (nninit/promises only) are typed apart, as for CommonOptions. */
export interface ZcaOptions {
  /** Number of samples (rows of `data`), >= 1. Required. */
  rows: number;
  /** Number of features (columns of `data`; `out` is cols×cols), >= 1. Required. */
  cols: number;
  /** Added to every eigenvalue before the inverse square root (> 0). Default 1e-6. */
  eps?: number;
}

/** C = (X − μ)ᵀ(X − μ) / rows, float64, n×n row-major (only the lower triangle is computed, then mirrored). */
export function covariance(data: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const mean = new Float64Array(cols);
  for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) mean[j] += data[r * cols + j];
  for (let j = 0; j < cols; j++) mean[j] /= rows;
  const c = new Float64Array(cols * cols);
  // Four centred rows at a time: each c[i][j] still adds its terms one by one in row order (the same
  // roundings as one row at a time), but is loaded and stored once per four rows.
  const x = new Float64Array(4 * cols);
  for (let r = 0; r < rows; r += 4) {
    const k = Math.min(4, rows - r);
    x.fill(0);
    for (let q = 0; q < k; q++) for (let j = 0; j < cols; j++) x[q * cols + j] = data[(r + q) * cols + j] - mean[j];
    for (let i = 0; i < cols; i++) {
      const row = i * cols;
      if (k === 4) {
        const a0 = x[i], a1 = x[cols + i], a2 = x[2 * cols + i], a3 = x[3 * cols + i];
        for (let j = 0; j <= i; j++) {
          let acc = c[row + j];
          acc += a0 * x[j];
          acc += a1 * x[cols + j];
          acc += a2 * x[2 * cols + j];
          acc += a3 * x[3 * cols + j];
          c[row + j] = acc;
        }
      } else {
        for (let q = 0; q < k; q++) {
          const xi = x[q * cols + i];
          for (let j = 0; j <= i; j++) c[row + j] += xi * x[q * cols + j];
        }
      }
    }
  }
  for (let i = 0; i < cols; i++) {
    for (let j = 0; j <= i; j++) c[j * cols + i] = c[i * cols + j] /= rows;
  }
  return c;
}

/** W = V·diag(1/√(max(λ, 0) + eps))·Vᵀ, exactly symmetric (the upper triangle mirrors the lower). */
export function zcaMatrix(cov: Float64Array, n: number, eps: number): Float64Array {
  const { values, vectors: v } = symmetricEigen(cov, n);
  const s = values.map((l) => 1 / Math.sqrt(Math.max(l, 0) + eps));
  const w = new Float64Array(n * n);
  const u = new Float64Array(n); // row i of V·diag(s): the (v·s) of (v·s)·v, computed once per row
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) u[k] = v[i * n + k] * s[k];
    for (let j = 0; j <= i; j++) {
      let sum = 0;
      const vj = j * n;
      for (let k = 0; k < n; k++) sum += u[k] * v[vj + k];
      w[i * n + j] = sum;
      w[j * n + i] = sum;
    }
  }
  return w;
}

function maxAbs(data: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < data.length; i++) m = Math.max(m, Math.abs(data[i]));
  return m;
}

const KEYS = ["rows", "cols", "eps", "dtype", "signal"];

/**
 * Fills `out` (cols×cols) with the ZCA whitening matrix of `data` (rows×cols row-major: samples ×
 * features), so that y = W·(x − mean) has covariance ≈ I. Returns `out`.
 * @example zca(new Float32Array(3 * 3), data, { rows: 1000, cols: 3 })
 */
export function zca<T extends Float32Array>(out: T, data: Float32Array | Float64Array, options: ZcaOptions & Float32DType): T;
export function zca<T extends Float64Array>(out: T, data: Float32Array | Float64Array, options: ZcaOptions & Float64DType): T;
export function zca<T extends Uint16Array>(out: T, data: Float32Array | Float64Array, options: ZcaOptions & Uint16DType): T;
export function zca<T extends OutArray>(out: T, data: Float32Array | Float64Array, options: ZcaOptions): T {
  const bag = readOptions(options, KEYS);
  // data is read like out (its true type and length, a view of its own: no getter of the caller's
  // runs), and before out, which is checked last
  const x = checkFloatData(data, arg("data"));
  const signal = checkSignal(bag.signal);
  const { view, dtype, length } = checkOut(out, bag.dtype);
  const rows = checkInteger(opt("rows"), bag.rows, 1);
  const cols = checkInteger(opt("cols"), bag.cols, 1);
  if (x.length !== rows * cols) throw rangeError(arg("data"), `of length rows·cols = ${rows * cols}`, `length ${x.length}`);
  checkOffset(undefined, length, cols * cols);
  const eps = bag.eps === undefined ? 1e-6 : checkNonNegative(opt("eps"), bag.eps, true);
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i])) throw rangeError(arg("data"), `finite (element ${i} is not)`, x[i]);
  }
  // computed now (zca is TypeScript on the calling thread either way), so that values too large
  // for float64 arithmetic (|x| beyond ~1e154: the covariance overflows) reject before the job
  const cov = covariance(x, rows, cols);
  const w = cov.every(Number.isFinite) ? zcaMatrix(cov, cols, eps) : null;
  if (w === null || !w.every(Number.isFinite)) {
    throw rangeError(arg("data"), "of values whose covariance and whitening matrix are finite in float64 (some |value| is too large)", `max |value| ${maxAbs(x)}`);
  }
  throwIfAborted(signal); // promises only; computed on the main thread, so only a prior abort counts
  submit(localJob(view, () => storeF64(w, view, dtype)));
  return out;
}
