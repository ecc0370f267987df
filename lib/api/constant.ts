import { checkSignal, execute, throwIfAborted } from "./execute.js";
import { checkFloat, checkInteger, checkOffset, checkOut, arg, MAX_THREADS, opt, readOptions, type OutArray } from "../plan/validate.js";
import { f } from "../math/f32.js";
import type { DType } from "../plan/validate.js";
import type { Float32DType, Float64DType, Uint16DType } from "./signatures.js";

/** Options of `constant`, `zeros` and `ones`; `dtype` and `signal` (nninit/promises only) are typed apart, as for CommonOptions. */
export interface ConstantOptions {
  /** Accepted for symmetry with the random methods (a constant has no stream); validated only. */
  offset?: number;
  /** Threads for the native backend (1..1024); default: the global setting. */
  threads?: number;
}

const KEYS = ["dtype", "offset", "threads", "signal"];

/**
 * Fills `out` with `value` (rounded to float32 for float32/bfloat16/float16 outputs, exact in a
 * Float64Array). Returns `out`.
 */
export function constant<T extends Float32Array>(out: T, value: number, options?: ConstantOptions & Float32DType): T;
export function constant<T extends Float64Array>(out: T, value: number, options?: ConstantOptions & Float64DType): T;
export function constant<T extends Uint16Array>(out: T, value: number, options: ConstantOptions & Uint16DType): T;
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

/** constant's implementation signature (its overloads are the public type): zeros and ones pass their arguments on, unchecked until then. */
type AnyConstant = <T extends OutArray>(out: T, value: number, options?: ConstantOptions) => T;

/** Fills `out` with 0. Returns `out`. */
export function zeros<T extends Float32Array>(out: T, options?: ConstantOptions & Float32DType): T;
export function zeros<T extends Float64Array>(out: T, options?: ConstantOptions & Float64DType): T;
export function zeros<T extends Uint16Array>(out: T, options: ConstantOptions & Uint16DType): T;
export function zeros<T extends OutArray>(out: T, options?: ConstantOptions): T {
  return (constant as AnyConstant)(out, 0, options);
}

/** Fills `out` with 1. Returns `out`. */
export function ones<T extends Float32Array>(out: T, options?: ConstantOptions & Float32DType): T;
export function ones<T extends Float64Array>(out: T, options?: ConstantOptions & Float64DType): T;
export function ones<T extends Uint16Array>(out: T, options: ConstantOptions & Uint16DType): T;
export function ones<T extends OutArray>(out: T, options?: ConstantOptions): T {
  return (constant as AnyConstant)(out, 1, options);
}
