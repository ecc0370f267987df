/**
 * xoshiro128+ 1.0 (Blackman & Vigna, https://prng.di.unimi.it/xoshiro128plus.c), one lane.
 * Implements docs/stream.md §4. The hot loops in lib/backend/jsKernels.ts inline this same step
 * on local variables; this function is the readable statement of it, used by tests and tools.
 *
 *   result = s0 + s3 (mod 2^32)
 *   t = s1 << 9
 *   s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 11)
 *
 * Its lowest bits are weak (low linear complexity): the stream uses the top 24 bits for floats
 * in [0, 1), and all 32 bits only for the logarithm's argument in Box–Muller (docs/stream.md §5).
 */

/** Advances the lane state s[o..o+4) by one step and returns its output as a uint32. */
export function xoshiro128plusNext(s: Int32Array, o = 0): number {
  const s0 = s[o];
  const s1 = s[o + 1];
  let s2 = s[o + 2];
  let s3 = s[o + 3];
  const result = (s0 + s3) >>> 0;
  const t = s1 << 9;
  s2 ^= s0;
  s3 ^= s1;
  s[o + 1] = s1 ^ s2;
  s[o] = s0 ^ s3;
  s[o + 2] = s2 ^ t;
  s[o + 3] = (s3 << 11) | (s3 >>> 21);
  return result;
}
