/**
 * sparse: a 2-D weight with exactly ceil(sparsity·rows) zeros in every column and N(0, std²)
 * elsewhere (PyTorch `sparse_`, Martens 2010), fully determined by the stream key: the values are
 * the normal stream of the key (docs/stream.md §6, element i = i-th value of `normal(out, {std})`)
 * and the zero rows of each column come from the key's positions stream (§13; Backend.sparseZeros:
 * lib/stream/sparseRows.ts or native/core/sparse.cc). PyTorch draws the permutation from the
 * global generator, ignoring `generator=`; here one key decides everything.
 */
import type { Backend } from "../backend/types.js";
import { rangeError, stateError } from "../plan/errors.js";
import type { RandomPlan } from "../plan/plan.js";
import { arg, checkFloat, checkNonNegative, checkShape, isSharedView, opt, readOptions, shapeSize, typedArrayLength, type OutArray } from "../plan/validate.js";
import { prepare, takeKey, type CommonOptions } from "./common.js";
import { submit, throwIfAborted, withSignal, type AbortSignalLike, type Job } from "./execute.js";
import { normalParams } from "./normal.js";
import type { Float32DType, Float64DType, Uint16DType } from "./signatures.js";

/** Options of `sparse`. `offset` is not accepted (the zero positions are per column). */
export interface SparseOptions extends Omit<CommonOptions, "offset"> {
  /** Fraction of each column set to zero, in [0, 1): ceil(sparsity·rows) zeros per column. Required. */
  sparsity: number;
  /** Standard deviation of the non-zero values (>= 0). Default 0.01 (PyTorch). */
  std?: number;
}

/** A zeroed array of out's type and `n` elements. */
function like(out: OutArray, n: number): OutArray {
  return out instanceof Float32Array ? new Float32Array(n) : out instanceof Float64Array ? new Float64Array(n) : new Uint16Array(n);
}

/**
 * The job: the normal fill, then +0 at each column's zero rows (Backend.sparseZeros, synchronous).
 * `out` is checkOut's view (rows·cols elements, fixed length). The async form follows the rule of
 * every async fill (docs/safety.md §10): an ordinary `out` is written once, at the end, all or
 * nothing — the values are filled into memory of nninit's own, zeroed there on the main thread
 * once the fill resolved, and copied into `out` only if its rows·cols elements are all still
 * there (else ERR_INVALID_STATE, nothing written); a SharedArrayBuffer-backed `out` (never
 * detached or shrunk) is filled and zeroed in place, as every shared fill.
 */
function sparseJob(out: OutArray, plan: RandomPlan, rows: number, cols: number, zeros: number, signal: AbortSignalLike | undefined): Job {
  const n = rows * cols;
  return {
    out,
    signal,
    run(backend): void {
      backend.fill(plan, out);
      backend.sparseZeros(out, plan.dtype, plan.key, rows, cols, zeros, plan.threads);
    },
    runAsync: (backend) => withSignal(signal, async (s) => {
      const target = isSharedView(out) ? out : like(out, n);
      await backend.fillAsync(plan, target, s); // an abort stops the fill; once it completed, the zeroing follows
      backend.sparseZeros(target, plan.dtype, plan.key, rows, cols, zeros, plan.threads);
      if (target === out) return;
      if (typedArrayLength(out) !== n) throw stateError();
      (out as Float32Array).set(target as Float32Array);
    }),
  };
}

const KEYS = ["sparsity", "std", "seed", "generator", "dtype", "threads", "signal"];

/**
 * Fills the row-major [rows, cols] tensor `out` as a sparse matrix: in each column,
 * ceil(sparsity·rows) elements are +0, the others N(0, std²). Returns `out`.
 * @example sparse(new Float32Array(100 * 50), [100, 50], { sparsity: 0.9, seed: 1 })
 */
export function sparse<T extends Float32Array>(out: T, shape: readonly number[], options: SparseOptions & Float32DType): T;
export function sparse<T extends Float64Array>(out: T, shape: readonly number[], options: SparseOptions & Float64DType): T;
export function sparse<T extends Uint16Array>(out: T, shape: readonly number[], options: SparseOptions & Uint16DType): T;
export function sparse<T extends OutArray>(out: T, shape: readonly number[], options: SparseOptions): T {
  const bag = readOptions(options, KEYS);
  const dims = checkShape(shape);
  if (dims.length !== 2) throw rangeError(arg("shape"), "2-D for sparse", shape);
  if (dims[0] >= 2 ** 32) throw rangeError(arg("shape"), "of fewer than 2^32 rows for sparse", shape);
  const sparsity = checkFloat(opt("sparsity"), bag.sparsity);
  if (!(sparsity >= 0 && sparsity < 1)) throw rangeError(opt("sparsity"), "in [0, 1)", sparsity);
  const params = normalParams(0, bag.std === undefined ? 0.01 : checkNonNegative(opt("std"), bag.std));
  const prep = prepare(out, bag, shapeSize(dims)); // out last: nothing of the caller's runs after it
  throwIfAborted(prep.signal); // after every check, before the key
  const key = takeKey(prep);
  const [rows, cols] = dims;
  const plan: RandomPlan = { kind: "random", kernel: "normal", params: new Float32Array(params), key, offset: 0, dtype: prep.dtype, threads: prep.threads };
  submit(sparseJob(prep.view, plan, rows, cols, Math.ceil(sparsity * rows), prep.signal));
  return out;
}
