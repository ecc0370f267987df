import { checkFloat, checkNonNegative, opt, type OutArray } from "../plan/validate.js";
import { COMMON_KEYS, f, num, prepare, readOptions, runRandom, type CommonOptions } from "./common.js";
import type { Float32DType, Float64DType, Uint16DType } from "./signatures.js";

/** Options of `normal`. */
export interface NormalOptions extends CommonOptions {
  /** Mean. Default 0. */
  mean?: number;
  /** Standard deviation, >= 0. Default 1. */
  std?: number;
}

/** Kernel parameters [mean, std] of N(mean, std^2), rounded to float32. */
export function normalParams(mean: number, std: number): number[] {
  return [f(checkFloat(opt("mean"), mean)), f(checkNonNegative(opt("std"), std))];
}

const KEYS = ["mean", "std", ...COMMON_KEYS];

/**
 * Fills `out` with N(mean, std^2) (PyTorch `normal_`, Keras `RandomNormal`), Box–Muller in
 * float32 (docs/stream.md §6). Returns `out`.
 * @example normal(new Float32Array(1024), { std: 0.02, seed: 1 })
 */
export function normal<T extends Float32Array>(out: T, options?: NormalOptions & Float32DType): T;
export function normal<T extends Float64Array>(out: T, options?: NormalOptions & Float64DType): T;
export function normal<T extends Uint16Array>(out: T, options: NormalOptions & Uint16DType): T;
export function normal<T extends OutArray>(out: T, options?: NormalOptions): T {
  const bag = readOptions(options, KEYS);
  const params = normalParams(num(bag, "mean", 0), num(bag, "std", 1));
  return runRandom(prepare(out, bag), "normal", params);
}
