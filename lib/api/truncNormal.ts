import { CDF_FRAC, fixedToFloat32, normalCdf, normalCdfFixed } from "../math/normalCdf.js";
import { P_MIN } from "../plan/plan.js";
import { rangeError } from "../plan/errors.js";
import { checkFloat, checkNonNegative, opt, type OutArray } from "../plan/validate.js";
import { COMMON_KEYS, f, num, prepare, readOptions, runRandom, type CommonOptions } from "./common.js";
import type { Float32DType, Float64DType, Uint16DType } from "./signatures.js";

/** Options of `truncNormal`. */
export interface TruncNormalOptions extends CommonOptions {
  /** Mean of the untruncated normal. Default 0. */
  mean?: number;
  /** Standard deviation of the untruncated normal, > 0. Default 1. */
  std?: number;
  /** Lower bound, in absolute units (as PyTorch `trunc_normal_`). Default -2. */
  a?: number;
  /** Upper bound, in absolute units, > a. Default 2. */
  b?: number;
}

/** Relative error bound taken for normalCdf's float64 values (measured: about 1e-15). */
const CDF_REL = 2 ** -36;
const P_MIN_FIXED = 1n << (CDF_FRAC - 100n);

/** RN32 of every real within delta of v, or NaN where they do not all round alike. */
function unambiguousF32(v: number, delta: number): number {
  const lo = Math.fround(v - delta);
  return lo === Math.fround(v + delta) ? lo : NaN;
}

/**
 * [pa, w] of docs/stream.md §7: the float32 values nearest the exact PA = max(Phi(alpha), 2^-100)
 * and PB - PA (PB = Phi(beta)). From normalCdf's float64 values where every real within their
 * error bound rounds to the same float32; otherwise (about one call in 2^12, more for very narrow
 * intervals) from the 448-bit fixed-point Phi, which decides every case that is not within 2^-430
 * of a rounding boundary.
 */
export function truncatedMass(alpha: number, beta: number): [number, number] {
  const PA = Math.max(normalCdf(alpha), P_MIN);
  const PB = normalCdf(beta);
  const pa = unambiguousF32(PA, PA * CDF_REL);
  const w = unambiguousF32(PB - PA, (PA + PB) * CDF_REL);
  if (!Number.isNaN(pa) && !Number.isNaN(w)) return [pa, w];
  const fa = normalCdfFixed(alpha);
  const fpa = fa > P_MIN_FIXED ? fa : P_MIN_FIXED;
  return [fixedToFloat32(fpa), fixedToFloat32(normalCdfFixed(beta) - fpa)];
}

/**
 * Kernel parameters [mean, std, pa, w, sgn, lo, hi] of N(mean, std^2) truncated to [a, b]
 * (docs/stream.md §7). Standardized bounds alpha, beta (float64); when alpha + beta > 0 the
 * interval is mirrored (sgn = -1) so that p stays in the lower half, where float32 resolves it
 * finely. pa and w are correctly rounded (truncatedMass).
 */
export function truncNormalParams(mean: number, std: number, a: number, b: number, names = { a: opt("a"), b: opt("b") }): number[] {
  checkFloat(opt("mean"), mean);
  checkNonNegative(opt("std"), std, true);
  checkFloat(names.a, a);
  checkFloat(names.b, b);
  if (!(a < b)) throw rangeError(names.b, `> "a" (${a})`, b);
  let alpha = (a - mean) / std;
  let beta = (b - mean) / std;
  let sgn = 1;
  if (alpha + beta > 0) {
    [alpha, beta] = [-beta, -alpha];
    sgn = -1;
  }
  const [pa, w] = truncatedMass(alpha, beta);
  return [f(mean), f(std), pa, w, sgn, f(a), f(b)];
}

const KEYS = ["mean", "std", "a", "b", ...COMMON_KEYS];

/**
 * Fills `out` with N(mean, std^2) truncated to [a, b] by inverse-CDF sampling (PyTorch
 * `trunc_normal_` semantics: a and b are absolute bounds). Returns `out`.
 * @example truncNormal(new Float32Array(1024), { std: 0.02, a: -0.04, b: 0.04, seed: 7 })
 */
export function truncNormal<T extends Float32Array>(out: T, options?: TruncNormalOptions & Float32DType): T;
export function truncNormal<T extends Float64Array>(out: T, options?: TruncNormalOptions & Float64DType): T;
export function truncNormal<T extends Uint16Array>(out: T, options: TruncNormalOptions & Uint16DType): T;
export function truncNormal<T extends OutArray>(out: T, options?: TruncNormalOptions): T {
  const bag = readOptions(options, KEYS);
  const params = truncNormalParams(num(bag, "mean", 0), num(bag, "std", 1), num(bag, "a", -2), num(bag, "b", 2));
  return runRandom(prepare(out, bag), "truncNormal", params);
}
