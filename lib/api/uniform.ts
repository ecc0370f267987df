import { checkFloat, opt, type OutArray } from "../plan/validate.js";
import { rangeError } from "../plan/errors.js";
import { COMMON_KEYS, f, num, prepare, readOptions, runRandom, type CommonOptions } from "./common.js";
import type { Float32DType, Float64DType, Uint16DType } from "./signatures.js";

/** Options of `uniform`. */
export interface UniformOptions extends CommonOptions {
  /** Lower bound (inclusive). Default 0. */
  low?: number;
  /** Upper bound. Default 1. Values lie in [low, high]; high is reached only through float32 rounding. */
  high?: number;
}

/** Kernel parameters [lo, span] of U(low, high): lo = RN32(low), span = RN32(high - low). */
export function uniformParams(low: number, high: number, lowName = opt("low"), highName = opt("high")): number[] {
  checkFloat(lowName, low);
  checkFloat(highName, high);
  if (!(low <= high)) throw rangeError(highName, `>= "low" (${low})`, high);
  const span = f(high - low);
  if (!Number.isFinite(span)) throw rangeError(highName, `such that high - low fits in float32 (low is ${low})`, high);
  return [f(low), span];
}

const KEYS = ["low", "high", ...COMMON_KEYS];

/**
 * Fills `out` with U(low, high) (PyTorch `uniform_`, Keras `RandomUniform`). Returns `out`.
 * @example uniform(new Float32Array(1024), { low: -0.1, high: 0.1, seed: 42 })
 */
export function uniform<T extends Float32Array>(out: T, options?: UniformOptions & Float32DType): T;
export function uniform<T extends Float64Array>(out: T, options?: UniformOptions & Float64DType): T;
export function uniform<T extends Uint16Array>(out: T, options: UniformOptions & Uint16DType): T;
export function uniform<T extends OutArray>(out: T, options?: UniformOptions): T {
  const bag = readOptions(options, KEYS);
  const params = uniformParams(num(bag, "low", 0), num(bag, "high", 1));
  return runRandom(prepare(out, bag), "uniform", params);
}
