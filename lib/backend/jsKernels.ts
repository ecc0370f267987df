/**
 * The pure-TypeScript block kernels: each writes one whole block (BLOCK_SIZE float32 values) of a
 * method into dst[o .. o + BLOCK_SIZE). This file is the executable form of docs/stream.md §4–§7
 * and the reference the native kernels are tested against bit for bit.
 *
 * Element mapping inside a block (lane l in 0..7, step s of that lane's xoshiro128+):
 *   uniform, truncNormal:  element 8*s + l  <- output s of lane l
 *   normal (Box–Muller):   elements 16*t + l and 16*t + 8 + l <- outputs 2t and 2t+1 of lane l
 * Every float operation is rounded to float32 (f = Math.fround) in the order written.
 * xoshiro128+ is inlined on local int32 variables (see lib/stream/xoshiro128plus.ts).
 */
import { bmRadius, cosPoly, ndtri32, sinPoly, ANGLE_STEP } from "../math/f32.js";

const f = Math.fround;
import { LANES, STEPS_PER_BLOCK } from "../stream/version.js";

/** 2^-24: maps the top 24 bits of a word onto [0, 1). */
const U24 = 2 ** -24;
/** The truncated normal's probability clamp (docs/stream.md §7). */
export const P_MIN = 2 ** -100;
export const P_MAX = 1 - 2 ** -24;

/** Kernel ids, in the order the native KernelId enum uses. */
export const KERNELS = ["uniform", "normal", "truncNormal"] as const;
export type KernelId = (typeof KERNELS)[number];

/** uniform: v = RN32(lo + RN32(span * u)), u = (x >>> 8) * 2^-24. params = [lo, span]. */
export function uniformBlock(lanes: Int32Array, params: Float32Array, dst: Float32Array, o: number): void {
  const lo = params[0];
  const span = params[1];
  for (let l = 0; l < LANES; l++) {
    let s0 = lanes[4 * l], s1 = lanes[4 * l + 1], s2 = lanes[4 * l + 2], s3 = lanes[4 * l + 3];
    for (let s = 0, i = o + l; s < STEPS_PER_BLOCK; s++, i += LANES) {
      const x = (s0 + s3) >>> 0;
      const t = s1 << 9;
      s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = (s3 << 11) | (s3 >>> 21);
      dst[i] = lo + f(span * ((x >>> 8) * U24));
    }
  }
}

/**
 * normal (Box–Muller): r = bmRadius(x1); (c, s) = cos/sin(2*pi*(x2 >>> 8)/2^24) by exact quadrant
 * reduction; elements mean + std*RN32(r*c) and mean + std*RN32(r*s). params = [mean, std].
 */
export function normalBlock(lanes: Int32Array, params: Float32Array, dst: Float32Array, o: number): void {
  const mean = params[0];
  const std = params[1];
  for (let l = 0; l < LANES; l++) {
    let s0 = lanes[4 * l], s1 = lanes[4 * l + 1], s2 = lanes[4 * l + 2], s3 = lanes[4 * l + 3];
    for (let g = 0, i = o + l; g < STEPS_PER_BLOCK / 2; g++, i += 2 * LANES) {
      const x1 = s0 + s3;
      let t = s1 << 9;
      s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = (s3 << 11) | (s3 >>> 21);
      const x2 = (s0 + s3) >>> 0;
      t = s1 << 9;
      s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = (s3 << 11) | (s3 >>> 21);

      const r = bmRadius(x1);
      const kk = ((x2 >>> 8) + 0x200000) & 0xffffff;
      const phi = f(((kk & 0x3fffff) - 0x200000) * ANGLE_STEP);
      const sn = sinPoly(phi);
      const cs = cosPoly(phi);
      const q = kk >>> 22;
      const c = q === 0 ? cs : q === 1 ? -sn : q === 2 ? -cs : sn;
      const sv = q === 0 ? sn : q === 1 ? cs : q === 2 ? -sn : -cs;
      dst[i] = mean + f(std * f(r * c));
      dst[i + LANES] = mean + f(std * f(r * sv));
    }
  }
}

/**
 * truncNormal (inverse CDF): p = clamp(RN32(pa + RN32(u * w)), P_MIN, P_MAX); z = sgn * ndtri32(p);
 * v = RN32(mean + RN32(std * z)), then v < lo -> lo, v > hi -> hi.
 * params = [mean, std, pa, w, sgn, lo, hi].
 */
export function truncNormalBlock(lanes: Int32Array, params: Float32Array, dst: Float32Array, o: number): void {
  const mean = params[0], std = params[1], pa = params[2], w = params[3], sgn = params[4], lo = params[5], hi = params[6];
  for (let l = 0; l < LANES; l++) {
    let s0 = lanes[4 * l], s1 = lanes[4 * l + 1], s2 = lanes[4 * l + 2], s3 = lanes[4 * l + 3];
    for (let s = 0, i = o + l; s < STEPS_PER_BLOCK; s++, i += LANES) {
      const x = (s0 + s3) >>> 0;
      const t = s1 << 9;
      s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = (s3 << 11) | (s3 >>> 21);
      let p = f(pa + f((x >>> 8) * U24 * w));
      if (p < P_MIN) p = P_MIN;
      if (p > P_MAX) p = P_MAX;
      const z = ndtri32(p);
      let v = f(mean + f(std * (sgn < 0 ? -z : z)));
      if (v < lo) v = lo;
      if (v > hi) v = hi;
      dst[i] = v;
    }
  }
}

export type BlockKernel = (lanes: Int32Array, params: Float32Array, dst: Float32Array, o: number) => void;

export const BLOCK_KERNELS: Record<KernelId, BlockKernel> = {
  uniform: uniformBlock,
  normal: normalBlock,
  truncNormal: truncNormalBlock,
};
