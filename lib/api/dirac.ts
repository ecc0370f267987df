/**
 * dirac: the identity convolution kernel (PyTorch `dirac_`): for a 3-D/4-D/5-D kernel with
 * `groups` groups of out_channels/groups output channels each, output channel g·(out/groups) + d
 * takes input channel d at the spatial centre (size // 2 in each spatial dim) for
 * d < min(out/groups, in); every other element is 0. Layout "torch" is [out, in, ...k] (PyTorch),
 * "keras" is [...k, in, out] (the same kernel in Keras's order). No randomness.
 */
import { rangeError } from "../plan/errors.js";
import { LAYOUTS } from "../plan/fans.js";
import { arg, checkEnum, checkInteger, checkOffset, checkOut, checkShape, opt, readOptions, shapeSize, type DType, type OutArray } from "../plan/validate.js";
import type { Layout } from "../plan/fans.js";
import { checkSignal, localJob, submit, throwIfAborted } from "./execute.js";
import { encode } from "./store.js";
import type { Float32DType, Float64DType, Uint16DType } from "./signatures.js";

/** Options of `dirac`; `dtype` and `signal` (nninit/promises only) are typed apart, as for CommonOptions. */
export interface DiracOptions {
  /** Number of groups (a divisor of the output channels). Default 1. */
  groups?: number;
  /** "torch" (default): [out, in, ...kernel]; "keras": [...kernel, in, out]. */
  layout?: Layout;
}

/** Row-major strides of `dims`. */
function strides(dims: readonly number[]): number[] {
  const s = new Array<number>(dims.length).fill(1);
  for (let i = dims.length - 2; i >= 0; i--) s[i] = s[i + 1] * dims[i + 1];
  return s;
}

const KEYS = ["groups", "layout", "dtype", "signal"];

/**
 * Fills `out` (the row-major tensor of `shape`, 3 to 5 dims) with the Dirac delta kernel that
 * makes a convolution preserve its input channels. Returns `out`.
 * @example dirac(new Float32Array(4 * 4 * 3 * 3), [4, 4, 3, 3])
 */
export function dirac<T extends Float32Array>(out: T, shape: readonly number[], options?: DiracOptions & Float32DType): T;
export function dirac<T extends Float64Array>(out: T, shape: readonly number[], options?: DiracOptions & Float64DType): T;
export function dirac<T extends Uint16Array>(out: T, shape: readonly number[], options: DiracOptions & Uint16DType): T;
export function dirac<T extends OutArray>(out: T, shape: readonly number[], options?: DiracOptions): T {
  const bag = readOptions(options, KEYS);
  const dims = checkShape(shape);
  if (dims.length < 3 || dims.length > 5) throw rangeError(arg("shape"), "3-D, 4-D or 5-D for dirac", shape);
  const layout = bag.layout === undefined ? "torch" : checkEnum(opt("layout"), bag.layout, LAYOUTS);
  const groups = bag.groups === undefined ? 1 : checkInteger(opt("groups"), bag.groups, 1);
  const signal = checkSignal(bag.signal);
  const { view, dtype, length } = checkOut(out, bag.dtype); // last: nothing of the caller's runs after it
  checkOffset(undefined, length, shapeSize(dims));
  const k = dims.length - 2;
  const [o, i, spatial, oAxis, iAxis, sAxis] = layout === "torch"
    ? [dims[0], dims[1], dims.slice(2), 0, 1, 2]
    : [dims[k + 1], dims[k], dims.slice(0, k), k + 1, k, 0];
  if (o % groups !== 0) throw rangeError(opt("groups"), `a divisor of the output channels (${o})`, groups);
  const st = strides(dims);
  const centre = spatial.reduce((sum, size, d) => sum + Math.floor(size / 2) * st[sAxis + d], 0);
  const perGroup = o / groups;
  const one = encode(1, dtype);
  throwIfAborted(signal); // promises only; computed on the main thread, so only a prior abort counts
  submit(localJob(view, () => {
    view.fill(0);
    if (length === 0) return;
    for (let g = 0; g < groups; g++) {
      for (let d = 0; d < Math.min(perGroup, i); d++) view[(g * perGroup + d) * st[oAxis] + d * st[iAxis] + centre] = one;
    }
  }));
  return out;
}
