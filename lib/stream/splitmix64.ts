/**
 * SplitMix64 (Steele, Lea & Flood 2014; Vigna's reference splitmix64.c), on 64-bit words held as
 * two uint32 halves so that the hot path never touches BigInt.
 *
 * Implements docs/stream.md §2 ("SplitMix64"). Every operation is modulo 2^64.
 *   next(state): state += GAMMA; z = state;
 *                z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9;
 *                z = (z ^ (z >>> 27)) * 0x94D049BB133111EB;
 *                return z ^ (z >>> 31)            // this last part is mix64(z)
 */

/** 0x9E3779B97F4A7C15, the golden-ratio increment of SplitMix64. */
export const GAMMA_HI = 0x9e3779b9;
export const GAMMA_LO = 0x7f4a7c15;
const M1_HI = 0xbf58476d;
const M1_LO = 0x1ce4e5b9;
const M2_HI = 0x94d049bb;
const M2_LO = 0x133111eb;

/** A 64-bit word as two uint32 halves. Mutable scratch, reused to avoid allocation. */
export interface U64 {
  hi: number;
  lo: number;
}

/** (ahi:alo) * (bhi:blo) mod 2^64, into `r`. Exact: every partial product is < 2^53. */
export function mul64(r: U64, ahi: number, alo: number, bhi: number, blo: number): void {
  const a0 = alo & 0xffff;
  const a1 = alo >>> 16;
  const b0 = blo & 0xffff;
  const b1 = blo >>> 16;
  const p00 = a0 * b0;
  const p01 = a0 * b1;
  const p10 = a1 * b0;
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  const lo = (((mid & 0xffff) << 16) | (p00 & 0xffff)) >>> 0;
  const carry = a1 * b1 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16);
  r.hi = (carry + Math.imul(alo, bhi) + Math.imul(ahi, blo)) >>> 0;
  r.lo = lo;
}

/** (ahi:alo) + (bhi:blo) mod 2^64, into `r`. */
export function add64(r: U64, ahi: number, alo: number, bhi: number, blo: number): void {
  const lo = alo + blo;
  r.hi = (ahi + bhi + (lo > 0xffffffff ? 1 : 0)) >>> 0;
  r.lo = lo >>> 0;
}

/** The SplitMix64 output function (the finalizer), in place on `z`. */
export function mix64(z: U64): void {
  // z ^= z >>> 30
  let lo = (z.lo ^ ((z.lo >>> 30) | (z.hi << 2))) >>> 0;
  let hi = (z.hi ^ (z.hi >>> 30)) >>> 0;
  mul64(z, hi, lo, M1_HI, M1_LO);
  // z ^= z >>> 27
  lo = (z.lo ^ ((z.lo >>> 27) | (z.hi << 5))) >>> 0;
  hi = (z.hi ^ (z.hi >>> 27)) >>> 0;
  mul64(z, hi, lo, M2_HI, M2_LO);
  // z ^= z >>> 31
  lo = (z.lo ^ ((z.lo >>> 31) | (z.hi << 1))) >>> 0;
  hi = (z.hi ^ (z.hi >>> 31)) >>> 0;
  z.hi = hi;
  z.lo = lo;
}

/** Advances `state` by GAMMA and writes mix64(state) to `out` (one SplitMix64 output). */
export function splitmixNext(state: U64, out: U64): void {
  add64(state, state.hi, state.lo, GAMMA_HI, GAMMA_LO);
  out.hi = state.hi;
  out.lo = state.lo;
  mix64(out);
}

const MASK64 = (1n << 64n) - 1n;
const GAMMA = 0x9e3779b97f4a7c15n;

/** BigInt mix64, for per-call work (key derivation), never for per-element work. */
export function mix64Big(z: bigint): bigint {
  z &= MASK64;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return z ^ (z >> 31n);
}

/** One SplitMix64 step on a BigInt state: returns [newState, output]. */
export function splitmixNextBig(state: bigint): [bigint, bigint] {
  const s = (state + GAMMA) & MASK64;
  return [s, mix64Big(s)];
}
