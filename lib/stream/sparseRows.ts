/**
 * The zero positions of `sparse` (docs/stream.md §13): for each column, the first `zeros` entries
 * of a partial Fisher–Yates shuffle of the row indices, driven by a SplitMix64 stream of the
 * column, with Lemire's unbiased bounded integers. Executable form of the spec; no BigInt per draw.
 *
 *   P   = mix64(K ^ SPARSE_SALT)                      (per call)
 *   S_c = P ^ mix64(c + GAMMA)                        (column c's SplitMix64 state)
 *   word() = hi32(next(S_c))
 *   bounded(s), 1 <= s < 2^32 (Lemire 2019, "Fast random integer generation in an interval"):
 *       p = word()·s;  if lo32(p) < s: t = (2^32 − s) mod s; while lo32(p) < t: p = word()·s
 *       return hi32(p)
 *   idx = [0, 1, ..., rows−1];  for i in 0..zeros−1: j = i + bounded(rows − i); swap idx[i], idx[j]
 *   column c's zero rows: idx[0], ..., idx[zeros−1]
 */
import { add64, GAMMA_HI, GAMMA_LO, mix64, mix64Big, mul64, splitmixNext, type U64 } from "./splitmix64.js";

/** "sparse.z" in ASCII: separates the positions' stream from the values' stream of the same key. */
export const SPARSE_SALT = 0x73706172_73652e7an;

const state: U64 = { hi: 0, lo: 0 };
const word: U64 = { hi: 0, lo: 0 };
const prod: U64 = { hi: 0, lo: 0 };

function nextWord(): number {
  splitmixNext(state, word);
  return word.hi;
}

/** Lemire's nearly divisionless unbiased integer in [0, s), 1 <= s < 2^32. */
function bounded(s: number): number {
  mul64(prod, 0, nextWord(), 0, s);
  if (prod.lo < s) {
    const t = (0x100000000 - s) % s;
    while (prod.lo < t) mul64(prod, 0, nextWord(), 0, s);
  }
  return prod.hi;
}

/** Column c's state: P ^ mix64(c + GAMMA), P = (pHi:pLo). */
function seedColumn(pHi: number, pLo: number, c: number): void {
  add64(state, Math.floor(c / 0x100000000), c >>> 0, GAMMA_HI, GAMMA_LO);
  mix64(state);
  state.hi = (state.hi ^ pHi) >>> 0;
  state.lo = (state.lo ^ pLo) >>> 0;
}

function positionsKey(key: bigint): [number, number] {
  const p = mix64Big(key ^ SPARSE_SALT);
  return [Number(p >> 32n), Number(p & 0xffffffffn)];
}

/** The successive bounded(s) results of column `col` for the given bounds (for the test vectors). */
export function sparseBounded(key: bigint, col: number, bounds: readonly number[]): number[] {
  const [pHi, pLo] = positionsKey(key);
  seedColumn(pHi, pLo, col);
  return bounds.map((s) => bounded(s));
}

/**
 * Calls `zero(row, col)` for the `zeros` zero rows of every column 0..cols−1 (in shuffle order),
 * for the call key `key`. Requires 0 <= zeros <= rows < 2^32.
 */
export function sparseRows(key: bigint, rows: number, cols: number, zeros: number, zero: (row: number, col: number) => void): void {
  if (zeros === 0) return;
  const [pHi, pLo] = positionsKey(key);
  const idx = new Uint32Array(rows);
  for (let c = 0; c < cols; c++) {
    seedColumn(pHi, pLo, c);
    for (let i = 0; i < rows; i++) idx[i] = i;
    for (let i = 0; i < zeros; i++) {
      const j = i + bounded(rows - i);
      const r = idx[j];
      idx[j] = idx[i];
      idx[i] = r;
      zero(r, c);
    }
  }
}
