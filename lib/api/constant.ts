import { checkSignal, execute, throwIfAborted, type AbortSignalLike } from "./execute.js";
import { checkFloat, checkInteger, checkOffset, checkOut, arg, MAX_THREADS, opt, readOptions, type OutArray, type DTypeName } from "../plan/validate.js";
import { f } from "../math/f32.js";
import type { DType } from "../plan/validate.js";

/** Options of `constant`, `zeros` and `ones`. */
export interface ConstantOptions {
  /** Element type of `out`: required for Uint16Array ("bfloat16" | "float16"). */
  dtype?: DTypeName;
  /** Accepted for symmetry with the random methods (a constant has no stream); validated only. */
  offset?: number;
  /** Threads for the native backend (1..1024); default: the global setting. */
  threads?: number;
  /** nninit/promises only: aborts the fill (see CommonOptions.signal). */
  signal?: AbortSignalLike;
}

const KEYS = ["dtype", "offset", "threads", "signal"];

/**
 * Fills `out` with `value` (rounded to float32 for float32/bfloat16/float16 outputs, exact in a
 * Float64Array). Returns `out`.
 */
export function constant<T extends OutArray>(out: T, value: number, options?: ConstantOptions): T {
  const bag = readOptions(options, KEYS);
  const signal = checkSignal(bag.signal);
  const { view, dtype, length } = checkOut(out, bag.dtype);
  checkOffset(bag.offset, length);
  const threads = bag.threads === undefined ? 0 : checkInteger(opt("threads"), bag.threads, 1, MAX_THREADS);
  checkFloat(arg("value"), value);
  throwIfAborted(signal);
  execute({ kind: "constant", value: dtype === "float64" ? value : f(value), dtype, threads }, view, signal);
  return out;
}

/** Fills `out` with 0. Returns `out`. */
export function zeros<T extends OutArray>(out: T, options?: ConstantOptions): T {
  return constant(out, 0, options);
}

/** Fills `out` with 1. Returns `out`. */
export function ones<T extends OutArray>(out: T, options?: ConstantOptions): T {
  return constant(out, 1, options);
}
