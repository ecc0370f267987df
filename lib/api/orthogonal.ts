/**
 * orthogonal: a Haar-random (semi-)orthogonal matrix times `gain` (Saxe et al. 2014; PyTorch
 * `orthogonal_`, Keras `Orthogonal`). docs/stream.md §12 fixes how the Gaussian matrix is drawn;
 * the QR is the Backend's `orthonormalize` (lib/backend/select.ts).
 *
 * The tensor is flattened to rows×cols (layout "torch": rows = shape[0]; "keras": cols =
 * shape[-1]). G, of shape [max(rows, cols), min(rows, cols)] row-major, is the float32 standard
 * normal stream of the call's key at offsets 0..; out = RN32(gain·Q) of G's sign-corrected QR, or
 * its transpose when rows < cols (orthonormal rows). Float32 outputs are computed in place.
 */
import type { Backend } from "../backend/types.js";
import { rangeError, stateError } from "../plan/errors.js";
import { LAYOUTS, type Layout } from "../plan/fans.js";
import type { RandomPlan } from "../plan/plan.js";
import { arg, checkEnum, checkFloat, checkShape, opt, readOptions, shapeSize, typedArrayLength, type DType, type OutArray } from "../plan/validate.js";
import { prepare, takeKey, type CommonOptions } from "./common.js";
import { submit, throwIfAborted, withSignal, type AbortSignalLike, type Job } from "./execute.js";
import { normalParams } from "./normal.js";
import { storeF32 } from "./store.js";
import type { Float32DType, Float64DType, Uint16DType } from "./signatures.js";

/** Options of `orthogonal`. `offset` is not accepted (a QR couples every element). */
export interface OrthogonalOptions extends Omit<CommonOptions, "offset"> {
  /** Multiplies the orthogonal matrix (any finite number). Default 1. */
  gain?: number;
  /** "torch" (default): rows = shape[0], cols = ∏shape[1:]; "keras": rows = ∏shape[:-1], cols = shape[-1]. */
  layout?: Layout;
}

/** rows × cols of an orthogonal/matrix weight of `dims` (>= 2 dims) in `layout`. */
export function flatten(dims: readonly number[], layout: Layout): [number, number] {
  const size = shapeSize(dims);
  if (layout === "torch") return [dims[0], dims[0] === 0 ? 0 : size / dims[0]];
  const cols = dims[dims.length - 1];
  return [cols === 0 ? 0 : size / cols, cols];
}

/**
 * The job: draw G (normal stream, key, offset 0), orthonormalize, store. `out` is checkOut's view
 * (m·n elements, fixed length); `signal` the caller's, followed by withSignal in runAsync.
 */
function orthogonalJob(out: OutArray, dtype: DType, key: bigint, rows: number, cols: number, gain: number, threads: number,
  signal: AbortSignalLike | undefined): Job {
  const [m, n, transpose] = rows >= cols ? [rows, cols, false] : [cols, rows, true];
  const plan: RandomPlan = { kind: "random", kernel: "normal", params: new Float32Array(normalParams(0, 1)), key, offset: 0, dtype: "float32", threads };
  return {
    out,
    signal,
    run(backend: Backend): void {
      const g = dtype === "float32" ? (out as Float32Array) : new Float32Array(m * n);
      backend.fill(plan, g);
      backend.orthonormalize(g, m, n, gain, transpose, threads);
      if (g !== out) storeF32(g, out, dtype);
    },
    runAsync: (backend: Backend): Promise<void> => withSignal(signal, async (s) => {
      const g = new Float32Array(m * n); // memory of our own: `out` is written only at the end
      await backend.fillAsync(plan, g, s);
      s?.throwIfAborted(); // between the draw and the QR: `out` untouched
      await backend.orthonormalizeAsync(g, m, n, gain, transpose, threads);
      s?.throwIfAborted(); // aborted during the QR: `out` untouched
      // the rule of every async fill (docs/safety.md §10): the m·n elements out had when it was
      // checked are written at the end, all or none; if some are gone (an ordinary buffer
      // detached, transferred or shrunk meanwhile), reject with nothing written
      if (typedArrayLength(out) !== m * n) throw stateError();
      storeF32(g, out, dtype);
    }),
  };
}

const KEYS = ["gain", "layout", "seed", "generator", "dtype", "threads", "signal"];

/**
 * Fills `out` (the row-major tensor of `shape`, >= 2 dims) with gain·Q, Q a Haar-random matrix
 * with orthonormal columns (rows >= cols) or rows (rows < cols). Returns `out`.
 * @example orthogonal(new Float32Array(256 * 256), [256, 256], { seed: 1 })
 */
export function orthogonal<T extends Float32Array>(out: T, shape: readonly number[], options?: OrthogonalOptions & Float32DType): T;
export function orthogonal<T extends Float64Array>(out: T, shape: readonly number[], options?: OrthogonalOptions & Float64DType): T;
export function orthogonal<T extends Uint16Array>(out: T, shape: readonly number[], options: OrthogonalOptions & Uint16DType): T;
export function orthogonal<T extends OutArray>(out: T, shape: readonly number[], options?: OrthogonalOptions): T {
  const bag = readOptions(options, KEYS);
  const dims = checkShape(shape);
  if (dims.length < 2) throw rangeError(arg("shape"), "at least 2-D for orthogonal", shape);
  const layout = bag.layout === undefined ? "torch" : checkEnum(opt("layout"), bag.layout, LAYOUTS);
  const gain = bag.gain === undefined ? 1 : checkFloat(opt("gain"), bag.gain);
  const prep = prepare(out, bag, shapeSize(dims)); // out last: nothing of the caller's runs after it
  throwIfAborted(prep.signal); // after every check, before the key
  const key = takeKey(prep);
  const [rows, cols] = flatten(dims, layout);
  if (rows > 0 && cols > 0) submit(orthogonalJob(prep.view, prep.dtype, key, rows, cols, gain, prep.threads, prep.signal));
  return out;
}
