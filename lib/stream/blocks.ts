/**
 * Block seeding: the 8 xoshiro128+ lane states of block j of the stream with key K.
 * Implements docs/stream.md §3.
 *
 *   state = K XOR mix64(j + GAMMA)            (all mod 2^64)
 *   for lane l in 0..7:
 *     a = splitmixNext(state); b = splitmixNext(state)
 *     lane l words = [lo32(a), hi32(a), lo32(b), hi32(b)]
 *   a lane whose four words are all zero gets word 0 = 1 (xoshiro's forbidden state; never seen)
 *
 * Blocks are independent, so any block can be generated without the ones before it: this is what
 * makes thread counts and shard offsets irrelevant to the output.
 */
import { GAMMA_HI, GAMMA_LO, add64, mix64, splitmixNext, type U64 } from "./splitmix64.js";
import { LANES } from "./version.js";

const state: U64 = { hi: 0, lo: 0 };
const word: U64 = { hi: 0, lo: 0 };

/** Splits a non-negative safe integer into uint32 halves. */
export function splitIndex(j: number, r: U64): void {
  r.hi = Math.floor(j / 0x100000000) >>> 0;
  r.lo = j >>> 0;
}

/**
 * Writes the lane states of block `block` (a safe integer) of the stream with key keyHi:keyLo
 * into `lanes` (32 words: lane l at [4l, 4l+4)).
 */
export function seedBlock(keyHi: number, keyLo: number, block: number, lanes: Int32Array): void {
  splitIndex(block, state);
  add64(state, state.hi, state.lo, GAMMA_HI, GAMMA_LO);
  mix64(state);
  state.hi = (state.hi ^ keyHi) >>> 0;
  state.lo = (state.lo ^ keyLo) >>> 0;
  for (let l = 0; l < LANES; l++) {
    splitmixNext(state, word);
    lanes[4 * l] = word.lo;
    lanes[4 * l + 1] = word.hi;
    splitmixNext(state, word);
    lanes[4 * l + 2] = word.lo;
    lanes[4 * l + 3] = word.hi;
    if ((lanes[4 * l] | lanes[4 * l + 1] | lanes[4 * l + 2] | lanes[4 * l + 3]) === 0) lanes[4 * l] = 1;
  }
}
