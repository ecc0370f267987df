/**
 * Threefry-2x32 with 20 rounds (Salmon, Moraes, Dror & Shaw, "Parallel random numbers: as easy as
 * 1, 2, 3", SC 2011; Random123's threefry2x32): a counter-based generator, the ziggurat's retry
 * sub-stream. Implements docs/stream.md §6.3. All arithmetic is u32 (int32 bit patterns here).
 *
 *   k2 = 0x1BD11BDA ^ k0 ^ k1;  X0 = c0 + k0;  X1 = c1 + k1
 *   round d = 0..19: X0 += X1; X1 = rotl(X1, ROT[d % 8]); X1 ^= X0
 *     after every 4th round (s = (d + 1) / 4): X0 += k[s % 3]; X1 += k[(s + 1) % 3] + s
 */

/** The output pair of the last threefry2x32 call (int32 bit patterns; `>>> 0` for u32). */
export const tfOut = new Int32Array(2);

/** TF(key, c0, c1) into tfOut, with key = k1:k0 (k0 = lo32, k1 = hi32 of the 64-bit key). */
export function threefry2x32(k0: number, k1: number, c0: number, c1: number): void {
  const k2 = 0x1bd11bda ^ k0 ^ k1;
  let x0 = (c0 + k0) | 0;
  let x1 = (c1 + k1) | 0;
  // 5 groups of 4 rounds (rotations 13 15 26 6 | 17 29 16 24, alternating), each followed by the
  // key injection s = 1..5: X0 += k[s % 3], X1 += k[(s + 1) % 3] + s
  for (let s = 1; s <= 5; s++) {
    const odd = (s & 1) === 0; // groups 2 and 4 use the second half of ROT
    x0 = (x0 + x1) | 0; x1 = odd ? (x1 << 17) | (x1 >>> 15) : (x1 << 13) | (x1 >>> 19); x1 ^= x0;
    x0 = (x0 + x1) | 0; x1 = odd ? (x1 << 29) | (x1 >>> 3) : (x1 << 15) | (x1 >>> 17); x1 ^= x0;
    x0 = (x0 + x1) | 0; x1 = odd ? (x1 << 16) | (x1 >>> 16) : (x1 << 26) | (x1 >>> 6); x1 ^= x0;
    x0 = (x0 + x1) | 0; x1 = odd ? (x1 << 24) | (x1 >>> 8) : (x1 << 6) | (x1 >>> 26); x1 ^= x0;
    const m = s % 3;
    x0 = (x0 + (m === 0 ? k0 : m === 1 ? k1 : k2)) | 0;
    x1 = (x1 + (m === 0 ? k1 : m === 1 ? k2 : k0) + s) | 0;
  }
  tfOut[0] = x0;
  tfOut[1] = x1;
}
