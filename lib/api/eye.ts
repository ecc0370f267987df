/**
 * eye / identity: gain on the main diagonal of a 2-D tensor, 0 elsewhere (PyTorch `eye_`, Keras
 * `Identity`); rectangular shapes allowed. No randomness.
 */
import { rangeError } from "../plan/errors.js";
import { arg, checkFloat, checkOffset, checkOut, checkShape, opt, readOptions, shapeSize, type DType, type OutArray } from "../plan/validate.js";
import { checkSignal, localJob, submit, throwIfAborted } from "./execute.js";
import { encode } from "./store.js";
import type { Float32DType, Float64DType, Uint16DType } from "./signatures.js";

/** Options of `eye` / `identity`; `dtype` and `signal` (nninit/promises only) are typed apart, as for CommonOptions. */
export interface EyeOptions {
  /** The diagonal's value (rounded to float32 except in a Float64Array, as `constant`). Default 1. */
  gain?: number;
}

const KEYS = ["gain", "dtype", "signal"];

/**
 * Fills the row-major [rows, cols] tensor `out` with gain·I (out[i·cols + i] = gain for
 * i < min(rows, cols), 0 elsewhere). Returns `out`.
 * @example eye(new Float32Array(6), [2, 3]) // [1, 0, 0, 0, 1, 0]
 */
export function eye<T extends Float32Array>(out: T, shape: readonly number[], options?: EyeOptions & Float32DType): T;
export function eye<T extends Float64Array>(out: T, shape: readonly number[], options?: EyeOptions & Float64DType): T;
export function eye<T extends Uint16Array>(out: T, shape: readonly number[], options: EyeOptions & Uint16DType): T;
export function eye<T extends OutArray>(out: T, shape: readonly number[], options?: EyeOptions): T {
  const bag = readOptions(options, KEYS);
  const dims = checkShape(shape);
  if (dims.length !== 2) throw rangeError(arg("shape"), "2-D for eye", shape);
  const signal = checkSignal(bag.signal);
  const { view, dtype, length } = checkOut(out, bag.dtype); // last: nothing of the caller's runs after it
  checkOffset(undefined, length, shapeSize(dims));
  const gain = bag.gain === undefined ? 1 : checkFloat(opt("gain"), bag.gain);
  const [rows, cols] = dims;
  const value = encode(dtype === "float64" ? gain : Math.fround(gain), dtype, true);
  throwIfAborted(signal); // promises only; computed on the main thread, so only a prior abort counts
  submit(localJob(view, () => {
    view.fill(0);
    for (let i = 0, n = Math.min(rows, cols); i < n; i++) view[i * cols + i] = value;
  }));
  return out;
}

/** The same as `eye` (Keras's name). */
export const identity = eye;
