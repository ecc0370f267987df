/**
 * Fan-based initializers: Keras VarianceScaling, and the PyTorch/Keras presets built on the same
 * three distributions (docs/methods.md §3):
 *   xavierUniform: U(-g*sqrt(6/(fanIn+fanOut)), +...)      xavierNormal: N(0, g^2 * 2/(fanIn+fanOut))
 *   kaimingUniform: U(-sqrt(3)*gain/sqrt(fan), +...)       kaimingNormal: N(0, gain^2/fan)
 *   lecunUniform: U(-sqrt(3/fanIn), +...)                  lecunNormal: TN(0, (sqrt(1/fanIn)/0.8796...)^2, ±2 std)
 *   varianceScaling: scale /= max(1, fan); truncatedNormal std = sqrt(scale)/0.87962566103423978
 *     cut at ±2 std; untruncatedNormal std = sqrt(scale); uniform limit = sqrt(3*scale).
 */
import { rangeError } from "../plan/errors.js";
import { fansOf, LAYOUTS, type Fans, type Layout } from "../plan/fans.js";
import { calculateGain, NONLINEARITIES, type Nonlinearity } from "../plan/gain.js";
import { checkEnum, checkFloat, checkNonNegative, checkShape, F32_MAX, opt, shapeSize, type OutArray } from "../plan/validate.js";
import { COMMON_KEYS, num, prepare, readOptions, runRandom, takeKey, type CommonOptions, type Prepared } from "./common.js";
import { throwIfAborted } from "./execute.js";
import { normalParams } from "./normal.js";
import { truncNormalParams } from "./truncNormal.js";
import { uniformParams } from "./uniform.js";
import type { Float32DType, Float64DType, Uint16DType } from "./signatures.js";

/** Keras's truncation correction: the std of N(0,1) truncated to [-2, 2]. */
export const TRUNCATED_STD = 0.87962566103423978;

/** Options of every fan-based initializer. */
export interface FanOptions extends CommonOptions {
  /** Shape convention: "torch" = [out, in, ...kernel] (default), "keras" = [...kernel, in, out]. */
  layout?: Layout;
  /** Overrides the fan-in computed from the shape (> 0). */
  fanIn?: number;
  /** Overrides the fan-out computed from the shape (> 0). */
  fanOut?: number;
}

export const MODES = ["fanIn", "fanOut", "fanAvg"] as const;
export const DISTRIBUTIONS = ["truncatedNormal", "untruncatedNormal", "uniform"] as const;
export type Distribution = (typeof DISTRIBUTIONS)[number];

/** Options of `varianceScaling`. */
export interface VarianceScalingOptions extends FanOptions {
  /** Scale factor (> 0). Default 1. */
  scale?: number;
  /** Which fan divides the scale. Default "fanIn". */
  mode?: (typeof MODES)[number];
  /** Default "truncatedNormal" (Keras). */
  distribution?: Distribution;
}
/** Options of `xavierUniform` / `xavierNormal`. */
export interface XavierOptions extends FanOptions {
  /** Gain (>= 0). Default 1. */
  gain?: number;
}
/** Options of `kaimingUniform` / `kaimingNormal`. */
export interface KaimingOptions extends FanOptions {
  /** Negative slope of the rectifier after this layer (leaky_relu only). Default 0. */
  a?: number;
  /** "fanIn" preserves the forward pass's variance, "fanOut" the backward pass's. Default "fanIn". */
  mode?: "fanIn" | "fanOut";
  /** Default "leaky_relu" (with a = 0 that is relu's gain sqrt(2)), as PyTorch. */
  nonlinearity?: Nonlinearity;
}

const FAN_KEYS = ["layout", "fanIn", "fanOut", ...COMMON_KEYS] as const;
const VS_KEYS = ["scale", "mode", "distribution", ...FAN_KEYS];
const XAVIER_KEYS = ["gain", ...FAN_KEYS];
const KAIMING_KEYS = ["a", "mode", "nonlinearity", ...FAN_KEYS];

/** Reads shape + fan options (`keys`: every option the method takes); validates the common options against the shape's size. */
function setup<T extends OutArray>(out: T, shape: unknown, options: unknown, keys: readonly string[]) {
  const bag = readOptions(options, keys);
  const dims = checkShape(shape);
  const layout = bag.layout === undefined ? "torch" : checkEnum(opt("layout"), bag.layout, LAYOUTS);
  const size = shapeSize(dims);
  const prep = prepare(out, bag, size);
  const fanIn = bag.fanIn === undefined ? undefined : checkNonNegative(opt("fanIn"), bag.fanIn, true);
  const fanOut = bag.fanOut === undefined ? undefined : checkNonNegative(opt("fanOut"), bag.fanOut, true);
  // Both fans given: nothing is computed from the shape, so any shape will do (a 1-D one in the torch layout too).
  const fans: Fans = fanIn !== undefined && fanOut !== undefined ? { fanIn, fanOut } : fansOf(dims, layout);
  if (fanIn !== undefined) fans.fanIn = fanIn;
  if (fanOut !== undefined) fans.fanOut = fanOut;
  return { bag, prep, fans, size };
}

/**
 * Fills with the distribution of the given std (normal, or truncated at ±2 std) or uniform bound.
 * When the derived spread does not fit float32, the error names the option that caused it: the
 * first of `causes` the caller set (else the shape). A zero-element tensor (whose fans may be 0)
 * writes nothing but still takes its key; a zero-length shard of a non-empty tensor is checked
 * and keyed like any other shard (validity and keys never depend on out.length, issue #8).
 */
function fillDist<T extends OutArray>(setup: { prep: Prepared<T>; bag: Record<string, unknown>; size: number }, dist: Distribution, spread: number, causes: readonly string[]): T {
  const { prep, bag } = setup;
  if (setup.size === 0) {
    throwIfAborted(prep.signal); // as every call: a pre-aborted one takes no key
    takeKey(prep);
    return prep.out;
  }
  const limit = dist === "uniform" ? F32_MAX / 2 : dist === "truncatedNormal" ? F32_MAX / 4 : F32_MAX;
  if (!(spread <= limit)) {
    const cause = causes.find((c) => bag[c] !== undefined);
    const what = `such that the derived ${dist === "uniform" ? "bound" : "std"} (${spread}) fits in float32`;
    throw cause === undefined ? rangeError('"shape" argument', "one with non-zero fans", "a zero fan") : rangeError(opt(cause), what, bag[cause]);
  }
  if (dist === "uniform") return runRandom(prep, "uniform", uniformParams(-spread, spread));
  if (dist === "untruncatedNormal" || spread === 0) return runRandom(prep, "normal", normalParams(0, spread));
  return runRandom(prep, "truncNormal", truncNormalParams(0, spread, -2 * spread, 2 * spread));
}

/** Keras VarianceScaling: std (or limit) from scale / max(1, fan). Returns `out`. */
export function varianceScaling<T extends Float32Array>(out: T, shape: readonly number[], options?: VarianceScalingOptions & Float32DType): T;
export function varianceScaling<T extends Float64Array>(out: T, shape: readonly number[], options?: VarianceScalingOptions & Float64DType): T;
export function varianceScaling<T extends Uint16Array>(out: T, shape: readonly number[], options: VarianceScalingOptions & Uint16DType): T;
export function varianceScaling<T extends OutArray>(out: T, shape: readonly number[], options?: VarianceScalingOptions): T {
  const s = setup(out, shape, options, VS_KEYS);
  const { bag, fans } = s;
  const scale = checkNonNegative(opt("scale"), num(bag, "scale", 1), true);
  const mode = bag.mode === undefined ? "fanIn" : checkEnum(opt("mode"), bag.mode, MODES);
  const dist = bag.distribution === undefined ? "truncatedNormal" : checkEnum(opt("distribution"), bag.distribution, DISTRIBUTIONS);
  const fan = mode === "fanIn" ? fans.fanIn : mode === "fanOut" ? fans.fanOut : (fans.fanIn + fans.fanOut) / 2;
  const v = scale / Math.max(1, fan);
  const spread = dist === "uniform" ? Math.sqrt(3 * v) : dist === "truncatedNormal" ? Math.sqrt(v) / TRUNCATED_STD : Math.sqrt(v);
  return fillDist(s, dist, spread, ["scale", "fanIn", "fanOut"]);
}

function xavier<T extends OutArray>(out: T, shape: readonly number[], options: XavierOptions | undefined, dist: Distribution): T {
  const s = setup(out, shape, options, XAVIER_KEYS);
  const gain = checkNonNegative(opt("gain"), num(s.bag, "gain", 1));
  const std = gain * Math.sqrt(2 / (s.fans.fanIn + s.fans.fanOut));
  return fillDist(s, dist, dist === "uniform" ? Math.sqrt(3) * std : std, ["gain", "fanIn", "fanOut"]);
}

/** Glorot/Xavier uniform (PyTorch `xavier_uniform_`): U(-a, a), a = gain*sqrt(6/(fanIn+fanOut)). */
export function xavierUniform<T extends Float32Array>(out: T, shape: readonly number[], options?: XavierOptions & Float32DType): T;
export function xavierUniform<T extends Float64Array>(out: T, shape: readonly number[], options?: XavierOptions & Float64DType): T;
export function xavierUniform<T extends Uint16Array>(out: T, shape: readonly number[], options: XavierOptions & Uint16DType): T;
export function xavierUniform<T extends OutArray>(out: T, shape: readonly number[], options?: XavierOptions): T {
  return xavier(out, shape, options, "uniform");
}

/** Glorot/Xavier normal (PyTorch `xavier_normal_`): N(0, std^2), std = gain*sqrt(2/(fanIn+fanOut)). */
export function xavierNormal<T extends Float32Array>(out: T, shape: readonly number[], options?: XavierOptions & Float32DType): T;
export function xavierNormal<T extends Float64Array>(out: T, shape: readonly number[], options?: XavierOptions & Float64DType): T;
export function xavierNormal<T extends Uint16Array>(out: T, shape: readonly number[], options: XavierOptions & Uint16DType): T;
export function xavierNormal<T extends OutArray>(out: T, shape: readonly number[], options?: XavierOptions): T {
  return xavier(out, shape, options, "untruncatedNormal");
}

function kaiming<T extends OutArray>(out: T, shape: readonly number[], options: KaimingOptions | undefined, dist: Distribution): T {
  const s = setup(out, shape, options, KAIMING_KEYS);
  const { bag, fans } = s;
  const a = checkFloat(opt("a"), num(bag, "a", 0));
  const mode = bag.mode === undefined ? "fanIn" : checkEnum(opt("mode"), bag.mode, ["fanIn", "fanOut"] as const);
  const nl = bag.nonlinearity === undefined ? "leaky_relu" : checkEnum(opt("nonlinearity"), bag.nonlinearity, NONLINEARITIES);
  const std = calculateGain(nl, a) / Math.sqrt(mode === "fanIn" ? fans.fanIn : fans.fanOut);
  return fillDist(s, dist, dist === "uniform" ? Math.sqrt(3) * std : std, ["fanIn", "fanOut", "a"]);
}

/** He/Kaiming uniform (PyTorch `kaiming_uniform_`): U(-b, b), b = gain*sqrt(3/fan). */
export function kaimingUniform<T extends Float32Array>(out: T, shape: readonly number[], options?: KaimingOptions & Float32DType): T;
export function kaimingUniform<T extends Float64Array>(out: T, shape: readonly number[], options?: KaimingOptions & Float64DType): T;
export function kaimingUniform<T extends Uint16Array>(out: T, shape: readonly number[], options: KaimingOptions & Uint16DType): T;
export function kaimingUniform<T extends OutArray>(out: T, shape: readonly number[], options?: KaimingOptions): T {
  return kaiming(out, shape, options, "uniform");
}

/** He/Kaiming normal (PyTorch `kaiming_normal_`): N(0, gain^2/fan). */
export function kaimingNormal<T extends Float32Array>(out: T, shape: readonly number[], options?: KaimingOptions & Float32DType): T;
export function kaimingNormal<T extends Float64Array>(out: T, shape: readonly number[], options?: KaimingOptions & Float64DType): T;
export function kaimingNormal<T extends Uint16Array>(out: T, shape: readonly number[], options: KaimingOptions & Uint16DType): T;
export function kaimingNormal<T extends OutArray>(out: T, shape: readonly number[], options?: KaimingOptions): T {
  return kaiming(out, shape, options, "untruncatedNormal");
}

/** varianceScaling's implementation signature (its overloads are the public type): the LeCun presets pass their arguments on, unchecked until then. */
type AnyVarianceScaling = <T extends OutArray>(out: T, shape: readonly number[], options?: VarianceScalingOptions) => T;

/** LeCun uniform (Keras `LecunUniform`): U(-sqrt(3/fanIn), +sqrt(3/fanIn)). */
export function lecunUniform<T extends Float32Array>(out: T, shape: readonly number[], options?: FanOptions & Float32DType): T;
export function lecunUniform<T extends Float64Array>(out: T, shape: readonly number[], options?: FanOptions & Float64DType): T;
export function lecunUniform<T extends Uint16Array>(out: T, shape: readonly number[], options: FanOptions & Uint16DType): T;
export function lecunUniform<T extends OutArray>(out: T, shape: readonly number[], options?: FanOptions): T {
  return (varianceScaling as AnyVarianceScaling)(out, shape, { ...readOptions(options, FAN_KEYS), scale: 1, mode: "fanIn", distribution: "uniform" });
}

/** LeCun normal (Keras `LecunNormal`): truncated normal, std sqrt(1/fanIn)/0.8796..., cut at ±2 std. */
export function lecunNormal<T extends Float32Array>(out: T, shape: readonly number[], options?: FanOptions & Float32DType): T;
export function lecunNormal<T extends Float64Array>(out: T, shape: readonly number[], options?: FanOptions & Float64DType): T;
export function lecunNormal<T extends Uint16Array>(out: T, shape: readonly number[], options: FanOptions & Uint16DType): T;
export function lecunNormal<T extends OutArray>(out: T, shape: readonly number[], options?: FanOptions): T {
  return (varianceScaling as AnyVarianceScaling)(out, shape, { ...readOptions(options, FAN_KEYS), scale: 1, mode: "fanIn", distribution: "truncatedNormal" });
}
