/**
 * float32 -> bfloat16 / float16 conversion, round to nearest, ties to even (docs/stream.md §8).
 * Inputs are float32 bit patterns (int32); NaN never reaches here (parameters are validated).
 * Overflow goes to ±Infinity as IEEE 754 prescribes; float16 subnormals are produced exactly.
 */

/** bfloat16 bits of the float32 with bits `b`. */
export function bf16FromBits(b: number): number {
  return ((b + 0x7fff + ((b >>> 16) & 1)) >>> 16) & 0xffff;
}

/** float16 bits of the float32 with bits `b`. */
export function f16FromBits(b: number): number {
  const sign = (b >>> 16) & 0x8000;
  const a = b & 0x7fffffff;
  if (a >= 0x477ff000) return sign | (a > 0x7f800000 ? 0x7e00 : 0x7c00); // >= 65520 rounds to inf
  if (a >= 0x38800000) {
    // normal: rebias the exponent (127 -> 15) and round the 13 dropped mantissa bits
    return sign | ((a + 0xfff + ((a >>> 13) & 1) - 0x38000000) >>> 13);
  }
  if (a <= 0x33000000) return sign; // |x| <= 2^-25 rounds to (signed) zero
  // subnormal: value = m * 2^(e-150), unit 2^-24, so h = m >> (126 - e) rounded to nearest even
  const e = a >>> 23;
  const m = (a & 0x7fffff) | 0x800000;
  const s = 126 - e;
  let h = m >>> s;
  const rem = m & ((1 << s) - 1);
  const half = 1 << (s - 1);
  if (rem > half || (rem === half && (h & 1) === 1)) h++;
  return sign | h;
}

const sf = new Float32Array(1);
const si = new Int32Array(sf.buffer);

/** The float32 bit pattern of a number (rounded to float32 first). */
export function f32Bits(x: number): number {
  sf[0] = x;
  return si[0];
}
