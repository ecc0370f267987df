/**
 * The random stream against independent test vectors (docs/stream.md §9).
 *
 * test/fixtures/vectors/vectors.json comes from test/fixtures/vectors/generate.py, a Python
 * implementation written from docs/stream.md alone. Every comparison here is on bit patterns
 * (hex strings of Uint32Array / BigUint64Array / Uint16Array views), never with a tolerance;
 * tolerances appear only in the property tests at the end, which check accuracy, not identity.
 */
import t from "tap";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  uniform, normal, truncNormal, sparse, orthogonal, Generator, STREAM_VERSION, BLOCK_SIZE, backend, type DType, type OutArray,
} from "../lib/index.js";
import { sparseBounded, sparseRows } from "../lib/stream/sparseRows.js";
import { mix64, splitmixNext, splitmixNextBig, type U64 } from "../lib/stream/splitmix64.js";
import { seedBlock } from "../lib/stream/blocks.js";
import { xoshiro128plusNext } from "../lib/stream/xoshiro128plus.js";
import { log32, ndtri32, sinCos2Pi, bmRadius } from "../lib/math/f32.js";
import { bf16FromBits, f16FromBits } from "../lib/math/halfFloat.js";
import { uniformParams } from "../lib/api/uniform.js";
import { normalParams } from "../lib/api/normal.js";
import { truncNormalParams } from "../lib/api/truncNormal.js";
import { CDF_FRAC, normalCdfFixed } from "../lib/math/normalCdf.js";
import { uniformBlock, normalBlock, truncNormalBlock } from "../lib/backend/jsKernels.js";

// ------------------------------------------------------------------------------------------
// Fixture
// ------------------------------------------------------------------------------------------

type Method = "uniform" | "normal" | "truncNormal";
interface FillVec {
  key: string;
  offset: number;
  float32: string;
  float64: string;
  bfloat16: string;
  float16: string;
}
interface Vectors {
  streamVersion: number;
  splitmix64: { state: string; mix64: string; next: string[]; finalState: string }[];
  blocks: { key: string; block: number; lanes: string[] }[];
  xoshiro128plus: { key: string; block: number; lane: number; state: string[]; outputs: string[] }[];
  fills: { method: Method; options: Record<string, number>; params: string[]; fills: FillVec[] }[];
  truncParams: { options: { mean: number; std: number; a: number; b: number }; params: string[] }[];
  log32: [string, string][];
  ndtri32: [string, string][];
  sincos: [number, string, string][];
  bmRadius: [string, string][];
  halfFloat: { f32: string; f16: string; bf16: string };
  sparseBounded: { key: string; col: number; bounds: number[]; values: number[] }[];
  sparse: { key: string; rows: number; cols: number; sparsity: number; std: number; zeroRows: number[][]; float32: string }[];
}

// CommonJS under the project's tsconfig; fall back to the repository root's layout otherwise.
const here = typeof __dirname === "string" ? __dirname : join(process.cwd(), "test");
const V = JSON.parse(readFileSync(join(here, "fixtures", "vectors", "vectors.json"), "utf8")) as Vectors;

// ------------------------------------------------------------------------------------------
// Bit-pattern helpers
// ------------------------------------------------------------------------------------------

const f32buf = new Float32Array(1);
const u32buf = new Uint32Array(f32buf.buffer);
/** float32 bits of a number that is already a float32 value (checked: rounding would hide bugs). */
function bits32(x: number): number {
  f32buf[0] = x;
  if (f32buf[0] !== x && !(Number.isNaN(x))) throw new Error(`${x} is not a float32 value`);
  return u32buf[0]!;
}
function fromBits32(b: number): number {
  u32buf[0] = b >>> 0;
  return f32buf[0]!;
}
const hex8 = (x: number): string => (x >>> 0).toString(16).padStart(8, "0");
const hex16 = (x: bigint): string => x.toString(16).padStart(16, "0");
const h32 = (x: number): string => hex8(bits32(x));
const big = (hex: string): bigint => BigInt("0x" + hex);
const u64 = (hex: string): U64 => ({ hi: Number(big(hex) >> 32n), lo: Number(big(hex) & 0xffffffffn) });
const u64hex = (z: U64): string => hex8(z.hi) + hex8(z.lo);
/** A decimal string ("0.0123", "1.2e-31", "1") as a fixed-point bigint with CDF_FRAC fraction bits. */
function decimalToFixed(d: string): bigint {
  const [mant, exp = "0"] = d.split("e");
  const [int, frac = ""] = mant.split(".");
  const digits = BigInt(int + frac);
  const e = Number(exp) - frac.length;
  return e >= 0 ? (digits * 10n ** BigInt(e)) << CDF_FRAC : (digits << CDF_FRAC) / 10n ** BigInt(-e);
}

/** float32 values as integers in order: ulpKey(y) - ulpKey(x) counts the float32 steps from x to y. */
function ulpKey(x: number): number {
  const b = bits32(x);
  return b >= 0x80000000 ? -(b - 0x80000000) : b;
}

/** Concatenated hex bit patterns of a typed array, as generate.py writes them. */
function hexOf(out: OutArray, dtype: DType): string {
  if (dtype === "float32") return Array.from(new Uint32Array(out.buffer, out.byteOffset, out.length), hex8).join("");
  if (dtype === "float64") {
    return Array.from(new BigUint64Array(out.buffer, out.byteOffset, out.length), hex16).join("");
  }
  return Array.from(out as Uint16Array, (x) => x.toString(16).padStart(4, "0")).join("");
}

function alloc(dtype: DType, n: number): OutArray {
  if (dtype === "float32") return new Float32Array(n);
  if (dtype === "float64") return new Float64Array(n);
  return new Uint16Array(n);
}

const DTYPES: readonly DType[] = ["float32", "float64", "bfloat16", "float16"];

function runMethod(method: Method, out: OutArray, options: Record<string, unknown>): void {
  if (method === "uniform") uniform(out as never, options); // out's array type: known at run time only
  else if (method === "normal") normal(out as never, options);
  else truncNormal(out as never, options);
}

// ------------------------------------------------------------------------------------------
// Vectors: version, SplitMix64, blocks, xoshiro128+
// ------------------------------------------------------------------------------------------

t.test("fixture matches STREAM_VERSION", async (t) => {
  t.equal(V.streamVersion, STREAM_VERSION, "vectors.json was generated for this STREAM_VERSION");
  t.equal(BLOCK_SIZE, 4096);
  t.comment(`active backend: ${backend.name}`);
});

t.test("SplitMix64 (§2)", async (t) => {
  for (const v of V.splitmix64) {
    const z = u64(v.state);
    mix64(z);
    t.equal(u64hex(z), v.mix64, `mix64(${v.state})`);

    const state = u64(v.state);
    const out: U64 = { hi: 0, lo: 0 };
    const got: string[] = [];
    for (let i = 0; i < v.next.length; i++) {
      splitmixNext(state, out);
      got.push(u64hex(out));
    }
    t.same(got, v.next, `splitmixNext from ${v.state}`);
    t.equal(u64hex(state), v.finalState, `state after ${v.next.length} steps from ${v.state}`);

    let s = big(v.state);
    const gotBig: string[] = [];
    for (let i = 0; i < v.next.length; i++) {
      const [ns, o] = splitmixNextBig(s);
      s = ns;
      gotBig.push(hex16(o));
    }
    t.same(gotBig, v.next, `splitmixNextBig from ${v.state}`);
    t.equal(hex16(s), v.finalState);

    // §1: a Generator's keys are its SplitMix64 outputs.
    const g = new Generator(big(v.state));
    t.same([g.nextKey(), g.nextKey()].map(hex16), v.next.slice(0, 2), `Generator(${v.state}).nextKey()`);
  }
});

t.test("block lane seeding (§3)", async (t) => {
  const lanes = new Int32Array(32);
  for (const v of V.blocks) {
    const k = u64(v.key);
    lanes.fill(0);
    seedBlock(k.hi, k.lo, v.block, lanes);
    t.same(Array.from(lanes, hex8), v.lanes, `seedBlock(key ${v.key}, block ${v.block})`);
  }
});

t.test("xoshiro128+ raw outputs (§4)", async (t) => {
  for (const v of V.xoshiro128plus) {
    const k = u64(v.key);
    const lanes = new Int32Array(32);
    seedBlock(k.hi, k.lo, v.block, lanes);
    t.same(Array.from(lanes.subarray(4 * v.lane, 4 * v.lane + 4), hex8), v.state, "lane state");
    const got: string[] = [];
    for (let i = 0; i < v.outputs.length; i++) got.push(hex8(xoshiro128plusNext(lanes, 4 * v.lane)));
    t.same(got, v.outputs, `key ${v.key} block ${v.block} lane ${v.lane}`);
  }
});

// ------------------------------------------------------------------------------------------
// Vectors: the public API, every method x key x offset x dtype
// ------------------------------------------------------------------------------------------

t.test("kernel parameters (§7, §8)", async (t) => {
  for (const c of V.fills) {
    const o = c.options;
    const p =
      c.method === "uniform" ? uniformParams(o.low!, o.high!)
      : c.method === "normal" ? normalParams(o.mean!, o.std!)
      : truncNormalParams(o.mean!, o.std!, o.a!, o.b!);
    t.same(p.map(h32), c.params, `${c.method} ${JSON.stringify(o)}`);
  }
});

t.test("truncNormal's pa and w are exactly rounded, next to a float32 rounding boundary too (§7)", async (t) => {
  t.ok(V.truncParams.length >= 10, `${V.truncParams.length} cases from generate.py`);
  for (const { options: o, params } of V.truncParams) {
    t.same(truncNormalParams(o.mean, o.std, o.a, o.b).map(h32), params, JSON.stringify(o));
  }
  // the fixed-point Phi itself, against mpmath's ncdf (printed to 50 digits), to 2^-133 absolute
  const mp: [number, string][] = [
    [-2, "0.022750131948179207200282637166533437471776223701678"],
    [-11.5, "6.595771446113675079052472105923209465760670274915e-31"],
    [0.5, "0.69146246127401310363770461060833773988360217555458"],
    [-26.5, "4.846162660303320292807913327373805403362070517247e-155"],
    [26.5, "1.0"],
  ];
  for (const [x, want] of mp) {
    const got = normalCdfFixed(x);
    const ref = decimalToFixed(want);
    const diff = got > ref ? got - ref : ref - got;
    t.ok(diff < 1n << (CDF_FRAC - 133n), `normalCdfFixed(${x}) within 2^-133 of mpmath's Phi`);
  }
});

t.test("fills reproduce the vectors bit for bit", async (t) => {
  for (const c of V.fills) {
    t.test(`${c.method} ${JSON.stringify(c.options)}`, async (t) => {
      for (const v of c.fills) {
        for (const dtype of DTYPES) {
          const want = v[dtype];
          const out = alloc(dtype, want.length / (dtype === "float64" ? 16 : dtype === "float32" ? 8 : 4));
          runMethod(c.method, out, { ...c.options, seed: big(v.key), offset: v.offset, dtype });
          t.equal(hexOf(out, dtype), want, `key ${v.key} offset ${v.offset} ${dtype}`);
        }
      }
    });
  }
});

t.test("number and bigint seeds, generator keys, shards", async (t) => {
  const c = V.fills.find((x) => x.method === "normal")!;
  for (const v of c.fills.filter((x) => big(x.key) <= BigInt(Number.MAX_SAFE_INTEGER))) {
    const out = new Float32Array(24);
    normal(out, { ...c.options, seed: Number(big(v.key)), offset: v.offset });
    t.equal(hexOf(out, "float32"), v.float32, `seed ${Number(big(v.key))} as a number`);
  }
  // §1: {generator: G} uses K = G.nextKey(), i.e. SplitMix64's first output from G's seed.
  const sm = V.splitmix64.find((x) => x.state === "000000000000002a")!;
  const a = new Float32Array(100);
  const b = new Float32Array(100);
  truncNormal(a, { generator: new Generator(42n) });
  truncNormal(b, { seed: big(sm.next[0]!) });
  t.equal(hexOf(a, "float32"), hexOf(b, "float32"), "generator key = splitmix64 output");
  // §3: a whole fill equals the concatenation of shard fills at any offsets.
  for (const method of ["uniform", "normal", "truncNormal"] as const) {
    const whole = new Float32Array(3 * BLOCK_SIZE + 77);
    runMethod(method, whole, { seed: 7n });
    const cuts = [0, 1, 15, 16, 17, 4095, 4096, 4097, 8190, 8200, 3 * BLOCK_SIZE + 76, whole.length];
    for (let i = 0; i + 1 < cuts.length; i++) {
      const part = new Float32Array(cuts[i + 1]! - cuts[i]!);
      runMethod(method, part, { seed: 7n, offset: cuts[i]! });
      if (hexOf(part, "float32") !== hexOf(whole.subarray(cuts[i]!, cuts[i + 1]!), "float32")) {
        t.fail(`${method} shard [${cuts[i]}, ${cuts[i + 1]}) differs from the whole fill`);
      }
    }
    t.pass(`${method}: shards equal the whole fill`);
  }
});

t.test("sparse: bounded integers, zero rows and whole outputs (§13)", async (t) => {
  for (const v of V.sparseBounded) {
    t.same(sparseBounded(big(v.key), v.col, v.bounds), v.values, `key ${v.key} column ${v.col}: Lemire bounded(s) sequence`);
  }
  for (const v of V.sparse) {
    const rows: number[][] = Array.from({ length: v.cols }, () => []);
    sparseRows(big(v.key), v.rows, v.cols, Math.ceil(v.sparsity * v.rows), (r, c) => rows[c].push(r));
    t.same(rows, v.zeroRows, `key ${v.key} ${v.rows}×${v.cols} sparsity ${v.sparsity}: zero rows in shuffle order`);
    const out = sparse(new Float32Array(v.rows * v.cols), [v.rows, v.cols], { sparsity: v.sparsity, std: v.std, seed: big(v.key) });
    t.equal(hexOf(out, "float32"), v.float32, `key ${v.key}: sparse() output bits`);
  }
});

t.test("orthogonal draws G from the normal stream (§12)", async (t) => {
  // §12 pins G, not Q: Q is G's sign-corrected QR factor, so QᵀG = R must be upper triangular with
  // a non-negative diagonal when G is the seed's normal stream at offsets 0.. (m = 9, n = 4).
  const c = V.fills.find((x) => x.method === "normal" && x.options.std === 1)!;
  const v = c.fills.find((x) => x.offset === 0)!;
  const g = new Float32Array(24);
  normal(g, { seed: big(v.key) });
  t.equal(hexOf(g, "float32"), v.float32, "G's first 24 values are the normal vectors");
  for (const [rows, cols] of [[6, 4], [4, 6]]) {
    const q = orthogonal(new Float32Array(24), [rows, cols], { seed: big(v.key) });
    const at = (i: number, j: number) => (rows >= cols ? q[i * cols + j]! : q[j * cols + i]!); // Q is 6×4
    let below = 0, minDiag = Infinity;
    for (let a = 0; a < 4; a++) for (let b = 0; b <= a; b++) {
      let r = 0;
      for (let i = 0; i < 6; i++) r += at(i, a) * g[i * 4 + b]!;
      if (a === b) minDiag = Math.min(minDiag, r);
      else below = Math.max(below, Math.abs(r));
    }
    t.ok(below < 1e-5 && minDiag > 0, `${rows}×${cols}: QᵀG upper triangular (${below.toExponential(1)}) with a positive diagonal (${minDiag.toFixed(3)})`);
  }
});

// ------------------------------------------------------------------------------------------
// Vectors: float32 math
// ------------------------------------------------------------------------------------------

t.test("log32, ndtri32, sinCos2Pi, bmRadius (§5-§7)", async (t) => {
  const bad = (name: string, list: [string, string, string][]): void => {
    const diffs = list.filter(([, got, want]) => got !== want);
    t.same(diffs, [], `${name}: ${list.length - diffs.length}/${list.length} exact`);
  };
  bad("log32", V.log32.map(([x, y]) => [x, h32(log32(fromBits32(parseInt(x, 16)))), y]));
  bad("ndtri32", V.ndtri32.map(([p, z]) => [p, h32(ndtri32(fromBits32(parseInt(p, 16)))), z]));
  bad("bmRadius", V.bmRadius.map(([w, r]) => [w, h32(bmRadius(parseInt(w, 16) >>> 0)), r]));
  const cs = [0, 0];
  bad("sinCos2Pi", V.sincos.map(([k, c, s]) => {
    sinCos2Pi(k, cs);
    return [String(k), h32(cs[0]!) + h32(cs[1]!), c + s];
  }));
});

t.test("bf16FromBits / f16FromBits vs reference RNE (numpy-checked)", async (t) => {
  const hf = V.halfFloat;
  const n = hf.f32.length / 8;
  let badF16 = 0;
  let badBf16 = 0;
  const firstBad: string[] = [];
  for (let i = 0; i < n; i++) {
    const b = parseInt(hf.f32.slice(8 * i, 8 * i + 8), 16) >>> 0;
    const w16 = parseInt(hf.f16.slice(4 * i, 4 * i + 4), 16);
    const wbf = parseInt(hf.bf16.slice(4 * i, 4 * i + 4), 16);
    const g16 = f16FromBits(b);
    const gbf = bf16FromBits(b);
    if (g16 !== w16) {
      badF16++;
      if (firstBad.length < 10) firstBad.push(`f16(${hex8(b)}) = ${g16.toString(16)}, want ${w16.toString(16)}`);
    }
    if (gbf !== wbf) {
      badBf16++;
      if (firstBad.length < 10) firstBad.push(`bf16(${hex8(b)}) = ${gbf.toString(16)}, want ${wbf.toString(16)}`);
    }
  }
  t.equal(badF16, 0, `f16FromBits exact on ${n} edge-heavy float32 patterns`);
  t.equal(badBf16, 0, `bf16FromBits exact on ${n} edge-heavy float32 patterns`);
  t.same(firstBad, []);
  // the float16 landmarks, spelled out
  t.equal(f16FromBits(bits32(65504)), 0x7bff, "65504 is float16 max");
  t.equal(f16FromBits(bits32(65519)), 0x7bff, "65519 rounds down to 65504");
  t.equal(f16FromBits(bits32(65520)), 0x7c00, "65520 overflows to Infinity (tie to even)");
  t.equal(f16FromBits(bits32(-65520)), 0xfc00);
  t.equal(f16FromBits(bits32(2 ** -24)), 0x0001, "smallest subnormal");
  t.equal(f16FromBits(bits32(2 ** -25)), 0x0000, "half the smallest subnormal ties to 0");
  t.equal(f16FromBits(bits32(1.5 * 2 ** -25)), 0x0001);
  t.equal(f16FromBits(bits32(3 * 2 ** -25)), 0x0002, "1.5 ulp ties to even (2)");
  t.equal(f16FromBits(bits32(-0)), 0x8000, "-0 keeps its sign");
  t.equal(bf16FromBits(0x3f808000), 0x3f80, "bf16 tie to even (down)");
  t.equal(bf16FromBits(0x3f818000), 0x3f82, "bf16 tie to even (up)");
  t.equal(bf16FromBits(0x7f7fffff), 0x7f80, "bf16 overflow to Infinity");
});

// ------------------------------------------------------------------------------------------
// Exact-transform tests: drive the kernels with chosen words (a "counting generator")
// ------------------------------------------------------------------------------------------

/**
 * A lane state whose first two xoshiro128+ outputs are `a` then `b`: with s1 = s3 = d the first
 * output is s0 + d and the step leaves s0 unchanged and s3 = 0, so the second is s0.
 */
function setLane(lanes: Int32Array, l: number, a: number, b: number): void {
  const d = (a - b) >>> 0;
  lanes[4 * l] = b | 0;
  lanes[4 * l + 1] = d | 0;
  lanes[4 * l + 2] = 0x9e3779b9 | 0;
  lanes[4 * l + 3] = d | 0;
}

t.test("counting-generator lane states work as intended", async (t) => {
  const lanes = new Int32Array(32);
  const words = [0, 1, 0xffffffff, 0x80000000, 0x12345678, 0xdeadbeef, 0xffffff00, 0x000000ff];
  for (let l = 0; l < 8; l++) setLane(lanes, l, words[l]!, words[7 - l]!);
  for (let l = 0; l < 8; l++) {
    t.equal(xoshiro128plusNext(lanes, 4 * l), words[l], `lane ${l} first word`);
    t.equal(xoshiro128plusNext(lanes, 4 * l), words[7 - l], `lane ${l} second word`);
  }
});

/**
 * Runs `kernel` on blocks whose positions e = l (k = 0) and e = 8 + l (k = 1) get the words
 * `words[16*c + e]`, for every chunk c; calls check(word, value) for each.
 */
function driveBlocks(
  kernel: typeof uniformBlock, params: number[], words: (i: number) => number, count: number,
  check: (i: number, word: number, value: number) => void,
): void {
  const lanes = new Int32Array(32);
  const dst = new Float32Array(BLOCK_SIZE);
  const prm = new Float32Array(params);
  for (let base = 0; base < count; base += 16) {
    for (let l = 0; l < 8; l++) setLane(lanes, l, words(Math.min(base + l, count - 1)), words(Math.min(base + 8 + l, count - 1)));
    kernel(lanes, prm, dst, 0);
    for (let e = 0; e < 16 && base + e < count; e++) check(base + e, words(base + e), dst[e]!);
  }
}

t.test("uniform: codes map to k * 2^-24 exactly and monotonically (§4, §8)", async (t) => {
  // Every one of the 2^24 codes: u(k) = k * 2^-24 is a float32, strictly increasing, < 1,
  // and for each (low, high) the transform RN32(lo + RN32(span * u)) is monotone and in range.
  let ok = true;
  let prev = -1;
  for (let k = 0; k < 1 << 24; k++) {
    const u = k * 2 ** -24;
    if (Math.fround(u) !== u || !(u > prev) || u >= 1) { ok = false; break; }
    prev = u;
  }
  t.ok(ok, "all 2^24 codes are exact float32 values in [0, 1 - 2^-24], strictly increasing");
  for (const [low, high] of [[0, 1], [-0.1, 0.3], [-70000, 70000], [-1e-3, 1e-3], [2, 3]] as const) {
    const [lo, span] = uniformParams(low, high);
    let pv = -Infinity;
    let mono = true;
    for (let k = 0; k < 1 << 24; k++) {
      const v = Math.fround(lo! + Math.fround(span! * (k * 2 ** -24)));
      if (v < pv || v < Math.fround(low) || v > Math.fround(high)) { mono = false; break; }
      pv = v;
    }
    t.ok(mono, `uniform(${low}, ${high}): monotone in the code, within [RN32(low), RN32(high)]`);
  }
  // The kernel itself, driven with chosen words: the low 8 bits are ignored, value = k * 2^-24.
  const codes = (i: number): number => {
    // 2^16 lowest codes, 2^16 highest, then a stride over the rest; low bits vary
    const k = i < 65536 ? i : i < 131072 ? (1 << 24) - 131072 + i : ((i - 131072) * 2654435761) >>> 8;
    return ((k << 8) | ((i * 37) & 0xff)) >>> 0;
  };
  let bad = 0;
  let firstBad = "";
  driveBlocks(uniformBlock, [0, 1], codes, 131072 + 65536, (_i, w, v) => {
    if (v !== (w >>> 8) * 2 ** -24) {
      bad++;
      if (!firstBad) firstBad = `word ${hex8(w)} -> ${v}`;
    }
  });
  t.equal(bad, 0, `uniformBlock maps word x to (x >>> 8) * 2^-24 ${firstBad}`);
  // And the public fill against raw words recomputed from seedBlock + xoshiro128+ (§3, §4).
  const n = 64 * BLOCK_SIZE;
  const out = new Float32Array(n);
  uniform(out, { seed: 0x0123456789abcdefn, offset: 5 * BLOCK_SIZE });
  const lanes = new Int32Array(32);
  const k = u64("0123456789abcdef");
  let mism = 0;
  for (let j = 0; j < 64; j++) {
    seedBlock(k.hi, k.lo, 5 + j, lanes);
    for (let step = 0; step < BLOCK_SIZE / 8; step++) {
      for (let l = 0; l < 8; l++) {
        const x = xoshiro128plusNext(lanes, 4 * l);
        if (out[j * BLOCK_SIZE + 8 * step + l] !== (x >>> 8) * 2 ** -24) mism++;
      }
    }
  }
  t.equal(mism, 0, `uniform fill = (x[l][k] >>> 8) * 2^-24 at e = 8k + l over ${n} elements`);
});

/** The truncated normal's per-element formula of §7, from the kernel parameters and ndtri32. */
function truncFormula(prm: readonly number[], x: number): number {
  const [mean, std, pa, w, sgn, lo, hi] = prm as [number, number, number, number, number, number, number];
  const f = Math.fround;
  let p = f(pa + f((x >>> 8) * 2 ** -24 * w));
  if (p < 2 ** -100) p = 2 ** -100;
  if (p > 1 - 2 ** -24) p = 1 - 2 ** -24;
  let z = ndtri32(p);
  if (sgn < 0) z = -z;
  let v = f(mean + f(std * z));
  if (v < lo) v = lo;
  if (v > hi) v = hi;
  return v;
}

t.test("truncNormal: kernel = formula at the code ends; monotone in the code (§7)", async (t) => {
  const sets = [[0, 1, -2, 2], [0, 1, -1, 3], [0, 1, 2.5, 4], [0.25, 0.1, 0, 1], [0, 1, -4, -2.5]] as const;
  for (const [mean, std, a, b] of sets) {
    const prm = truncNormalParams(mean, std, a, b);
    const name = `truncNormal(${mean}, ${std}, ${a}, ${b})`;
    // The JS kernel driven with chosen words: the 512 lowest and 512 highest codes (where the
    // p clamps and the [lo, hi] clamps act), with varying low bits, against the formula.
    const word = (i: number): number => {
      const k = i < 512 ? i : (1 << 24) - 1024 + i;
      return ((k << 8) | ((i * 91) & 0xff)) >>> 0;
    };
    let bad = 0;
    let detail = "";
    driveBlocks(truncNormalBlock, prm, word, 1024, (_i, w, v) => {
      const want = truncFormula(prm, w);
      if (!Object.is(v, want) || v < Math.fround(a) || v > Math.fround(b)) {
        bad++;
        if (!detail) detail = ` (first: word ${hex8(w)} -> ${v}, formula ${want})`;
      }
    });
    t.equal(bad, 0, `${name}: truncNormalBlock = formula, in [RN32(a), RN32(b)]${detail}`);
    // Monotone in the code (increasing for sgn = +1, decreasing when mirrored): ndtri32 wobbles
    // by up to 2 ulps (see "ndtri32 properties") and mean + std*z rounds monotonically.
    const dir = prm[4]! < 0 ? -1 : 1;
    let prev = truncFormula(prm, 0);
    let back = 0;
    let worst = 0;
    for (let k = 1; k < 1 << 24; k += k < 4096 || k > (1 << 24) - 4096 ? 1 : 16) {
      const v = truncFormula(prm, (k << 8) >>> 0);
      const step = dir * (ulpKey(v) - ulpKey(prev));
      if (step < 0) {
        back++;
        worst = Math.max(worst, -step);
      }
      prev = v;
    }
    t.ok(worst <= 2, `${name}: ${dir > 0 ? "non-decreasing" : "non-increasing"} in the code up to 2 ulps (${back} backward steps, worst ${worst})`);
  }
});

t.test("ndtri32 properties (§7)", async (t) => {
  // Monotone over every p = k * 2^-24 and exactly odd: for such p, 1 - p, p - 0.5 and
  // 1 - (1 - p) are exact in float32, so the spec gives ndtri32(1 - p) = -ndtri32(p) bit for bit.
  // Monotone only up to float32 wobble: the spec's float32 evaluation (rational functions, and the
  // switch at t = 5) steps back by at most 2 ulps here and there, e.g. p = 2248558 * 2^-24 gives
  // 0xbf8dc4bd and p = 2248559 * 2^-24 gives 0xbf8dc4be; generate.py computes the same values.
  let prev = -Infinity;
  let back = 0;
  let worst = 0;
  let odd = 0;
  for (let k = 1; k < 1 << 24; k++) {
    const p = k * 2 ** -24;
    const z = ndtri32(p);
    if (z < prev) {
      back++;
      worst = Math.max(worst, ulpKey(prev) - ulpKey(z));
    }
    prev = z;
    if (k < 1 << 23 && ndtri32(1 - p) !== -z) odd++;
  }
  t.ok(worst <= 2, `monotone on p = k 2^-24 up to 2 ulps (${back} backward steps, worst ${worst} ulps)`);
  t.equal(odd, 0, "ndtri32(1 - p) === -ndtri32(p) for p = k 2^-24 < 0.5");
  t.equal(ndtri32(2 ** -24), -ndtri32(1 - 2 ** -24), "the clamp ends are symmetric");
  // The deep lower tail: every 256th float32 from 2^-100 up to 2^-24.
  prev = -Infinity;
  back = 0;
  worst = 0;
  for (let b = bits32(2 ** -100); b <= bits32(2 ** -24); b += 256) {
    const z = ndtri32(fromBits32(b));
    if (z < prev) {
      back++;
      worst = Math.max(worst, ulpKey(prev) - ulpKey(z));
    }
    prev = z;
  }
  t.ok(worst <= 2, `monotone on a float32 grid over [2^-100, 2^-24] up to 2 ulps (${back} backward steps, worst ${worst} ulps)`);
  // Spot accuracy (the bit-exact values are in the vectors; generate.py checks ndtri32 against
  // scipy.special.ndtri): Phi(1) = 0.8413447460685429; |dz| <= |p - RN32(p)| / phi(z) + 1e-6.
  t.equal(ndtri32(0.5), 0, "ndtri32(0.5) = 0");
  for (const [p, z] of [[0.8413447460685429, 1], [0.15865525393145705, -1]] as const) {
    const tol = Math.abs(Math.fround(p) - p) / 0.24197072451914337 + 1e-6;
    t.ok(Math.abs(ndtri32(Math.fround(p)) - z) < tol, `ndtri32(${p}) ~ ${z}`);
  }
});

t.test("log32 of powers of two is e * ln 2 within an ulp (§5)", async (t) => {
  let bad = 0;
  let detail = "";
  for (let e = -126; e <= 127; e++) {
    const got = log32(2 ** e);
    const want = e * Math.LN2;
    const ulp = e === 0 ? 0 : 2 ** (Math.floor(Math.log2(Math.abs(want))) - 23);
    if (Math.abs(got - want) > ulp || Math.fround(got) !== got) {
      bad++;
      if (!detail) detail = ` (first: e = ${e}: ${got} vs ${want})`;
    }
  }
  t.equal(bad, 0, `log32(2^e) for e in [-126, 127]${detail}`);
  t.equal(log32(1), 0, "log32(1) = 0");
});

t.test("sinCos2Pi: exact quadrant structure and accuracy over all 2^24 angles (§6)", async (t) => {
  const a = [0, 0];
  const b = [0, 0];
  let quad = 0;
  let acc = 0;
  let worst = 0;
  for (let k = 0; k < 1 << 24; k++) {
    sinCos2Pi(k, a);
    const c = a[0]!;
    const s = a[1]!;
    // rotation by a quarter turn: (c, s) -> (-s, c), exactly, since i is unchanged and q + 1
    sinCos2Pi((k + (1 << 22)) & 0xffffff, b);
    if (!Object.is(b[0], -s) || !Object.is(b[1], c)) quad++;
    if ((k & 15) === 0) {
      const th = (2 * Math.PI * k) / 2 ** 24;
      const err = Math.max(Math.abs(c - Math.cos(th)), Math.abs(s - Math.sin(th)));
      if (err > worst) worst = err;
      if (err > 2e-7 || Math.fround(c) !== c || Math.fround(s) !== s) acc++;
    }
  }
  t.equal(quad, 0, "sinCos2Pi(k + 2^22) = (-sin, cos)(k) bit for bit");
  t.equal(acc, 0, `|error| <= 2e-7 (worst ${worst.toExponential(2)})`);
});

t.test("sinCos2Pi: lib/backend/jsKernels.ts's inlined copy in normalBlock gives the same (cos, sin) (§6)", async (t) => {
  // normalBlock writes the quadrant reduction out in its loop, so the exhaustive check above does
  // not reach it: drive the kernel. Lane l's first pair gets words (W, k << 8) (setLane), with W
  // chosen so that bmRadius(W) = 1: with params [mean, std] = [-0, 1] the elements are then
  // -0 + RN32(1 * RN32(1 * c)) = c and s exactly, signed zeros included, so each chosen angle k
  // checks the kernel's (cos, sin) bit for bit against sinCos2Pi(k). Every other pair of every
  // 32nd block (random words) is checked against -0 + RN32(bmRadius(x1) * sinCos2Pi(x2 >>> 8)).
  const W = 0x9b4597e3;
  t.equal(bmRadius(W), 1, "bmRadius(W) = 1");
  const angles: number[] = [];
  for (let c = 0; c < 1 << 24; c += 1 << 21) for (let d = -64; d <= 64; d++) angles.push((c + d) & 0xffffff); // octant and quadrant edges
  for (let k = 0; k < 1 << 24; k += 2399) angles.push(k); // a stride over all residues
  angles.push(0xffffff, 0x3fffff, 0x400000, 0x7fffff, 0x800000, 0xbfffff, 0xc00000);
  const lanes = new Int32Array(32);
  const dst = new Float32Array(BLOCK_SIZE);
  const prm = Float32Array.of(-0, 1);
  const cs = [0, 0];
  let chosen = 0, other = 0, bad = 0, detail = "";
  const expect = (what: string, got: number, want: number) => {
    if (Object.is(got, want)) return;
    bad++;
    if (!detail) detail = ` (first: ${what}: kernel ${got}, sinCos2Pi ${want})`;
  };
  for (let base = 0; base < angles.length; base += 8) {
    for (let l = 0; l < 8; l++) {
      const k = angles[Math.min(base + l, angles.length - 1)]!;
      setLane(lanes, l, W, ((k << 8) | ((k * 131) & 0xff)) >>> 0);
    }
    const state = lanes.slice();
    normalBlock(lanes, prm, dst, 0);
    const pairs = base % 256 === 0 ? BLOCK_SIZE / 16 : 1; // the stream pairs of every 32nd block
    for (let l = 0; l < 8; l++) {
      for (let g = 0; g < pairs; g++) {
        const x1 = xoshiro128plusNext(state, 4 * l);
        const x2 = xoshiro128plusNext(state, 4 * l);
        sinCos2Pi(x2 >>> 8, cs);
        const at = 16 * g + l;
        if (g === 0) {
          expect(`k = ${x2 >>> 8} cos`, dst[at]!, cs[0]!);
          expect(`k = ${x2 >>> 8} sin`, dst[at + 8]!, cs[1]!);
          chosen++;
        } else {
          const r = bmRadius(x1);
          expect(`words ${hex8(x1)} ${hex8(x2)} r*cos`, dst[at]!, -0 + Math.fround(r * cs[0]!));
          expect(`words ${hex8(x1)} ${hex8(x2)} r*sin`, dst[at + 8]!, -0 + Math.fround(r * cs[1]!));
          other++;
        }
      }
    }
  }
  t.equal(bad, 0, `normalBlock's (cos, sin) = sinCos2Pi at ${chosen} chosen angles, exactly; and r·(cos, sin) at ${other} stream pairs${detail}`);
  // the check can fail: the kernel's sin at one angle is not the next angle's
  setLane(lanes, 0, W, 1 << 8);
  normalBlock(lanes, prm, dst, 0);
  sinCos2Pi(2, cs);
  t.not(dst[8], cs[1], "negative control: sin at k = 1 differs from sin at k = 2");
});

t.test("bmRadius (§6)", async (t) => {
  // RN32(w) = 2^32 gives u1 = 1, log32(1) = +0 and r = RN32(sqrt(-2 * +0)) = sqrt(-0) = -0:
  // the formulas give -0 (the text of §6 says "r = 0"); generate.py agrees (vectors: 80000000).
  t.ok(Object.is(log32(1), 0), "log32(1) = +0");
  t.ok(Object.is(bmRadius(0xffffffff), -0), "bmRadius(0xffffffff) = -0");
  t.ok(Object.is(bmRadius(0xffffff80), -0), "bmRadius(0xffffff80) = -0 (RN32 rounds it up to 2^32)");
  t.ok(bmRadius(0xffffff7f) > 0, "bmRadius(0xffffff7f) > 0");
  let prev = Infinity;
  let bad = 0;
  for (let w = 0; w < 2 ** 32; w += 65521) {
    const r = bmRadius(w);
    if (r > prev || Math.fround(r) !== r) bad++;
    prev = r;
  }
  t.equal(bad, 0, "non-increasing in w");
  t.ok(bmRadius(0) > 6.66 && bmRadius(0) < 6.67, "max radius ~ 6.66");
});

// ------------------------------------------------------------------------------------------
// Change detector
// ------------------------------------------------------------------------------------------

t.test("stream digest snapshot", async (t) => {
  // CHANGE DETECTOR tied to STREAM_VERSION: any change to an output bit must bump STREAM_VERSION
  // (docs/stream.md §10), regenerate vectors.json with generate.py, and then re-snapshot with
  // `npx tap --snapshot --disable-coverage test/stream.test.ts`.
  const digest: Record<string, unknown> = { STREAM_VERSION };
  const first = (method: Method, options: Record<string, unknown>): string[] => {
    const out = new Float32Array(4);
    runMethod(method, out, { ...options, seed: 1 });
    return Array.from(new Uint32Array(out.buffer), hex8);
  };
  digest.uniform = first("uniform", {});
  digest.normal = first("normal", {});
  digest.truncNormal = first("truncNormal", {});
  digest.truncNormalTail = first("truncNormal", { a: 2.5, b: 4 });
  const lanes = new Int32Array(32);
  seedBlock(0, 1, 0, lanes);
  digest.block0Lane0 = Array.from(lanes.subarray(0, 4), hex8);
  t.matchSnapshot(digest, "first values for seed 1 (STREAM_VERSION change detector)");
});
