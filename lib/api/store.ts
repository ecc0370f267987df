/**
 * Storing values computed outside the block kernels (the matrix methods) into `out`, with the
 * same output-type rules as every fill (docs/stream.md §8): float32 values are widened exactly
 * into a Float64Array and rounded to nearest even into bfloat16/float16 (Uint16Array).
 */
import { bf16FromBits, f16FromBits } from "../math/halfFloat.js";
import type { DType, OutArray } from "../plan/validate.js";

const one = new Float32Array(1);
const oneBits = new Int32Array(one.buffer);

/** The element to store in an array of `dtype` for the float32 value v (v exact for float64 when `exact`). */
export function encode(v: number, dtype: DType, exact = false): number {
  if (dtype === "float64") return exact ? v : Math.fround(v);
  if (dtype === "float32") return v;
  one[0] = v;
  return dtype === "bfloat16" ? bf16FromBits(oneBits[0]) : f16FromBits(oneBits[0]);
}

/** Copies the float32 values `src` into `out` (same length) in `dtype`. */
export function storeF32(src: Float32Array, out: OutArray, dtype: DType): void {
  if (dtype === "float32" || dtype === "float64") {
    (out as Float32Array | Float64Array).set(src);
    return;
  }
  const bits = new Int32Array(src.buffer, src.byteOffset, src.length);
  const conv = dtype === "bfloat16" ? bf16FromBits : f16FromBits;
  for (let i = 0; i < src.length; i++) out[i] = conv(bits[i]);
}

/**
 * Copies float64 values into `out`: exactly into a Float64Array, else rounded to float32 first
 * (then to bfloat16/float16 as any float32 value).
 */
export function storeF64(src: Float64Array, out: OutArray, dtype: DType): void {
  if (dtype === "float64") (out as Float64Array).set(src);
  else storeF32(Float32Array.from(src), out, dtype);
}
