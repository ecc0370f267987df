/**
 * ggml's legacy block quantizations Q8_0 and Q4_0, computed as ggml's reference quantizers
 * (ggml/src/ggml-quants.c quantize_row_q8_0_ref / quantize_row_q4_0_ref) compute them: every
 * operation in float32 (Math.fround), the block scale rounded to float16 to nearest, ties to even
 * (GGML_FP32_TO_FP16). Blocks of 32 consecutive elements of a row; ne0 must be a multiple of 32.
 *
 *   Q8_0 block (34 bytes): d (float16, little-endian), qs[32] (int8); x[j] ~ d * qs[j]
 *     amax = max |x|;  d = amax / 127;  id = d ? 1/d : 0;  qs[j] = roundf(x[j] * id)
 *   Q4_0 block (18 bytes): d (float16, little-endian), qs[16] (two 4-bit values per byte)
 *     max = the x of largest |x| (the first one on ties);  d = max / -8;  id = d ? 1/d : 0
 *     q(x) = min(15, trunc(x * id + 8.5));  qs[j] = q(x[j]) | q(x[j + 16]) << 4,  x ~ d * (q - 8)
 *
 * roundf rounds halves away from zero; trunc is the C cast (int8_t) of a value in [0, 17).
 * All loops run over typed arrays with no allocation.
 *
 * Inputs that ggml leaves undefined get the bytes these expressions give in JavaScript, which the
 * native quantizer reproduces: NaN elements never become amax; a NaN, ±Inf or |y| >= 2^31 product
 * quantizes to 0 in Q8_0 (`& 0xff`), and to 0 (NaN, -Inf) or 15 (+Inf) in Q4_0.
 *
 * fusedQuantizer(plan, type) is the GGUF writer's fast path: with the native backend active, the
 * binding fills and quantizes in one pass per stream block (the floats stay in cache), with the
 * bytes of fill-then-quantize.
 *
 * quantizeQ8_0 / quantizeQ4_0 run the native binding's quantizers (native/core/quant.cc: the same
 * bits, AVX2 and on the binding's threads) when the native backend is loaded, else the TypeScript
 * code below, which is the reference (exported as quantizeQ8_0Js / quantizeQ4_0Js for the tests).
 */
import { active, nativeBinding } from "../backend/select.js";
import { f16FromBits } from "../math/halfFloat.js";
import { KERNELS, keyWords, type FillPlan } from "../plan/plan.js";

export const QK = 32;
export const Q8_0_BLOCK_BYTES = 34;
export const Q4_0_BLOCK_BYTES = 18;

const f = Math.fround;
const bits = new Float32Array(1);
const bitsI = new Int32Array(bits.buffer);

/** float16 bits of a float32 value (round to nearest, ties to even; -0 stays -0). */
export function f16(x: number): number {
  bits[0] = x;
  return f16FromBits(bitsI[0]);
}

/** C's roundf of a float32 value: halves away from zero. */
function roundf(x: number): number {
  return x < 0 ? -Math.floor(-x + 0.5) : Math.floor(x + 0.5);
}

/** The TypeScript Q8_0 quantizer (the reference; see quantizeQ8_0). */
export function quantizeQ8_0Js(src: Float32Array, from: number, n: number, dst: Uint8Array, at: number): number {
  let o = at;
  for (let b = from, end = from + n; b < end; b += QK) {
    let amax = 0;
    for (let j = b; j < b + QK; j++) {
      const a = Math.abs(src[j]);
      if (a > amax) amax = a;
    }
    const d = f(amax / 127);
    const id = d !== 0 ? f(1 / d) : 0;
    const h = f16(d);
    dst[o] = h & 0xff;
    dst[o + 1] = h >>> 8;
    o += 2;
    for (let j = b; j < b + QK; j++) dst[o++] = roundf(f(src[j] * id)) & 0xff;
  }
  return o - at;
}

/** The TypeScript Q4_0 quantizer (the reference; see quantizeQ4_0). */
export function quantizeQ4_0Js(src: Float32Array, from: number, n: number, dst: Uint8Array, at: number): number {
  let o = at;
  for (let b = from, end = from + n; b < end; b += QK) {
    let amax = 0;
    let max = 0;
    for (let j = b; j < b + QK; j++) {
      const v = src[j];
      const a = Math.abs(v);
      if (amax < a) {
        amax = a;
        max = v;
      }
    }
    const d = f(max / -8); // an all-zero block: -0, stored as float16 0x8000 as ggml does
    const id = d !== 0 ? f(1 / d) : 0;
    const h = f16(d);
    dst[o] = h & 0xff;
    dst[o + 1] = h >>> 8;
    o += 2;
    for (let j = 0; j < QK / 2; j++) {
      const lo = Math.min(15, Math.trunc(f(f(src[b + j] * id) + 8.5)));
      const hi = Math.min(15, Math.trunc(f(f(src[b + QK / 2 + j] * id) + 8.5)));
      dst[o++] = lo | (hi << 4);
    }
  }
  return o - at;
}

type Quantizer = (src: Float32Array, from: number, n: number, dst: Uint8Array, at: number) => number;

/** Whether src[from, from + n) and dst[at, at + bytes) share memory (the binding refuses that). */
function overlaps(src: Float32Array, from: number, n: number, dst: Uint8Array, at: number, bytes: number): boolean {
  if (src.buffer !== dst.buffer || n === 0) return false;
  const a = src.byteOffset + from * 4;
  const b = dst.byteOffset + at;
  return a < b + bytes && b < a + n * 4;
}

function pick(native: Quantizer | undefined, js: Quantizer, blockBytes: number): Quantizer {
  if (native === undefined) return js;
  return (src, from, n, dst, at) => (overlaps(src, from, n, dst, at, (n / QK) * blockBytes) ? js : native)(src, from, n, dst, at);
}

const q8 = nativeBinding?.quantizeQ8_0;
const q4 = nativeBinding?.quantizeQ4_0;

/**
 * Quantizes `n` (a multiple of 32) float32 values src[from .. from + n) into Q8_0 blocks at
 * dst[at ..]; returns the bytes written (n / 32 * 34). Native when the binding has it.
 */
export const quantizeQ8_0: Quantizer = pick(
  typeof q8 === "function" ? (src, from, n, dst, at) => q8.call(nativeBinding, src, from, n, dst, at) : undefined, quantizeQ8_0Js, Q8_0_BLOCK_BYTES);

/**
 * Quantizes `n` (a multiple of 32) float32 values src[from .. from + n) into Q4_0 blocks at
 * dst[at ..]; returns the bytes written (n / 32 * 18). Native when the binding has it.
 */
export const quantizeQ4_0: Quantizer = pick(
  typeof q4 === "function" ? (src, from, n, dst, at) => q4.call(nativeBinding, src, from, n, dst, at) : undefined, quantizeQ4_0Js, Q4_0_BLOCK_BYTES);

/** Which quantizer quantizeQ8_0 / quantizeQ4_0 run. */
export const quantizerBackend: "native" | "js" = typeof q8 === "function" && typeof q4 === "function" ? "native" : "js";

const fq = nativeBinding?.fillQuantize;

/**
 * The native fused fill-and-quantize for the element-wise fill `plan` (its offset is replaced by
 * each call's): `(offset, n, dst) => bytes` writes the n / 32 blocks of `type` of stream elements
 * [offset, offset + n) at dst[0 ..] (offset and n multiples of 32), the same bytes as filling a
 * Float32Array with `plan` at that offset and quantizing it. Null where it does not apply: the
 * native backend is not the active one (NNINIT_BACKEND=js or wasm, or no binding), the binding
 * predates it, or the plan is not a float32 random fill.
 */
export function fusedQuantizer(plan: FillPlan, type: "q8_0" | "q4_0"): ((offset: number, n: number, dst: Uint8Array) => number) | null {
  if (typeof fq !== "function" || active.info.name !== "native" || plan.kind !== "random" || plan.dtype !== "float32") return null;
  const kernel = KERNELS.indexOf(plan.kernel);
  const [keyHi, keyLo] = keyWords(plan.key);
  const t = type === "q8_0" ? 0 : 1;
  return (offset, n, dst) => fq.call(nativeBinding, dst, 0, t, n, kernel, plan.params, keyHi, keyLo, offset, plan.threads);
}
