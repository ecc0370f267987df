import { active } from "../backend/select.js";
import { checkFloat, checkOffset, checkOut, arg, readOptions, type OutArray } from "../plan/validate.js";
import { f } from "../math/f32.js";
import type { DType } from "../plan/validate.js";

/** Options of `constant`, `zeros` and `ones`. */
export interface ConstantOptions {
  /** Element type of `out`: required for Uint16Array ("bfloat16" | "float16"). */
  dtype?: DType;
  /** Accepted for symmetry with the random methods (a constant has no stream); validated only. */
  offset?: number;
}

/**
 * Fills `out` with `value` (rounded to float32 for float32/bfloat16/float16 outputs, exact in a
 * Float64Array). Returns `out`.
 */
export function constant<T extends OutArray>(out: T, value: number, options?: ConstantOptions): T {
  const bag = readOptions(options, ["dtype", "offset"]);
  const dtype = checkOut(out, bag.dtype);
  checkOffset(bag.offset, out.length);
  checkFloat(arg("value"), value);
  active.fill({ kind: "constant", value: dtype === "float64" ? value : f(value), dtype }, out);
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
