/**
 * Statistical tests of every random method, plus determinism and sharding.
 *
 * Each distribution check (test/fixtures/stats.ts) runs on n = 2^20 samples at α = 1e-6 per check:
 *   KS:       sqrt(n)·D_n ≤ λ* = 2.6934 (asymptotic Kolmogorov), i.e. D_n ≤ 0.00263
 *   mean:     |x̄ − μ| / sqrt(σ²/n) ≤ Z* = 4.8916 (= Φ⁻¹(1 − 5e-7))
 *   variance: |s² − σ²| / sqrt(μ4/n − σ⁴(n−3)/(n(n−1))) ≤ Z*
 *   support:  every value in [lo, hi] up to one float32 ulp of the bound
 * against exact CDFs and moments computed in the fixture (its own erfc, not lib/math/normalCdf.ts).
 * Negative controls feed deliberately wrong samples (std × 1.02, mean + 0.01·σ, the truncated
 * normal without Keras's 0.8796 factor, 16-bit data decoded with the wrong format) to the same
 * checker and assert that it rejects them. Seeds are fixed and printed in every message.
 */
import t, { type Test } from "tap";
import * as nn from "../lib/index.js";
import {
  ALPHA, KS_LAMBDA_CRIT, Z_CRIT, checkHalfSample, checkSample, decodeBf16, decodeF16, decodeHalf, erfc, erfcFast,
  halfCells, kolmogorovQ, normalDist, phi, truncNormalDist, uniformDist, type CheckName, type CheckResult,
  type Dist, type HalfFormat,
} from "./fixtures/stats.js";
import { bytes } from "./helpers.js";

const N = 1 << 20;
const SEEDS: nn.Seed[] = [1, 987654321, 0xfedcba9876543210n];
const show = (s: nn.Seed) => (typeof s === "bigint" ? `${s}n` : String(s));

/** Keras's constant: the std of N(0, 1) truncated to [-2, 2] (checked below from our own erfc). */
const KERAS_TRUNC = 0.87962566103423978;

type Opts = Record<string, unknown>;
type Out = Float32Array | Float64Array | Uint16Array;
/** A method under test: fills `out` with the given common options (seed, offset, dtype, ...). */
interface Method {
  name: string;
  fill: (out: Out, opts: Opts) => void;
  /** The exact distribution of one element (undefined for constant). */
  dist?: Dist;
}

const any = nn as unknown as Record<string, (...args: unknown[]) => unknown>;
const elementwise = (fn: string, params: Opts): Method["fill"] => (out, o) => void any[fn](out, { ...params, ...o });
const fanBased = (fn: string, shape: number[], params: Opts): Method["fill"] => (out, o) => void any[fn](out, shape, { ...params, ...o });

// The fan-based shapes hold exactly 2^20 elements, so one fill is one sample of size N.
const TORCH_SQ = [1024, 1024]; // torch: fanIn = fanOut = 1024
const TORCH_RECT = [512, 2048]; // torch: fanIn = 2048, fanOut = 512
const KERAS_CONV = [4, 4, 64, 1024]; // keras: fanIn = 16·64 = 1024, fanOut = 16·1024 = 16384, fanAvg = 8704

const sVsTrunc = Math.sqrt(2 / 8704) / KERAS_TRUNC;
const sLecun = Math.sqrt(1 / 2048) / KERAS_TRUNC;

/** Every random method with the distribution its formula (PyTorch / Keras) prescribes. */
const METHODS: Method[] = [
  { name: "uniform()", fill: elementwise("uniform", {}), dist: uniformDist(0, 1) },
  { name: "uniform(-0.1, 0.3)", fill: elementwise("uniform", { low: -0.1, high: 0.3 }), dist: uniformDist(-0.1, 0.3) },
  { name: "normal()", fill: elementwise("normal", {}), dist: normalDist(0, 1) },
  { name: "normal(3, 0.25)", fill: elementwise("normal", { mean: 3, std: 0.25 }), dist: normalDist(3, 0.25) },
  { name: "truncNormal() [-2, 2]", fill: elementwise("truncNormal", {}), dist: truncNormalDist(0, 1, -2, 2) },
  { name: "truncNormal(0, 1, -1, 3)", fill: elementwise("truncNormal", { a: -1, b: 3 }), dist: truncNormalDist(0, 1, -1, 3) },
  { name: "truncNormal(0, 1, 1.5, 4) (upper tail)", fill: elementwise("truncNormal", { a: 1.5, b: 4 }), dist: truncNormalDist(0, 1, 1.5, 4) },
  {
    name: "truncNormal(1, 2, -7, -2) (lower tail)",
    fill: elementwise("truncNormal", { mean: 1, std: 2, a: -7, b: -2 }),
    dist: truncNormalDist(1, 2, -7, -2),
  },
  // xavierUniform: a = gain·sqrt(6/(fanIn+fanOut)) = sqrt(6/2048)
  { name: "xavierUniform [1024,1024]", fill: fanBased("xavierUniform", TORCH_SQ, {}), dist: uniformDist(-Math.sqrt(6 / 2048), Math.sqrt(6 / 2048)) },
  // xavierNormal: std = gain·sqrt(2/(fanIn+fanOut)) = sqrt(2)·sqrt(2/2048)
  { name: "xavierNormal [1024,1024] gain √2", fill: fanBased("xavierNormal", TORCH_SQ, { gain: Math.SQRT2 }), dist: normalDist(0, Math.sqrt(4 / 2048)) },
  // kaimingUniform (a = 0, leaky_relu → gain √2, fanIn = 2048): bound = √2·sqrt(3/2048)
  { name: "kaimingUniform [512,2048]", fill: fanBased("kaimingUniform", TORCH_RECT, {}), dist: uniformDist(-Math.sqrt(6 / 2048), Math.sqrt(6 / 2048)) },
  // kaimingNormal fanOut, tanh: std = (5/3)/sqrt(512)
  {
    name: "kaimingNormal [512,2048] fanOut tanh",
    fill: fanBased("kaimingNormal", TORCH_RECT, { mode: "fanOut", nonlinearity: "tanh" }),
    dist: normalDist(0, 5 / 3 / Math.sqrt(512)),
  },
  { name: "lecunUniform [512,2048]", fill: fanBased("lecunUniform", TORCH_RECT, {}), dist: uniformDist(-Math.sqrt(3 / 2048), Math.sqrt(3 / 2048)) },
  // lecunNormal (Keras): truncated normal, std sqrt(1/fanIn)/0.8796..., cut at ±2 std
  { name: "lecunNormal [512,2048]", fill: fanBased("lecunNormal", TORCH_RECT, {}), dist: truncNormalDist(0, sLecun, -2 * sLecun, 2 * sLecun) },
  {
    name: "varianceScaling keras [4,4,64,1024] scale 2 fanAvg truncatedNormal",
    fill: fanBased("varianceScaling", KERAS_CONV, { layout: "keras", scale: 2, mode: "fanAvg", distribution: "truncatedNormal" }),
    dist: truncNormalDist(0, sVsTrunc, -2 * sVsTrunc, 2 * sVsTrunc),
  },
  {
    name: "varianceScaling keras [4,4,64,1024] scale 2 fanOut untruncatedNormal",
    fill: fanBased("varianceScaling", KERAS_CONV, { layout: "keras", scale: 2, mode: "fanOut", distribution: "untruncatedNormal" }),
    dist: normalDist(0, Math.sqrt(2 / 16384)),
  },
  {
    name: "varianceScaling keras [4,4,64,1024] scale 2 fanIn uniform",
    fill: fanBased("varianceScaling", KERAS_CONV, { layout: "keras", scale: 2, mode: "fanIn", distribution: "uniform" }),
    dist: uniformDist(-Math.sqrt(6 / 1024), Math.sqrt(6 / 1024)),
  },
];

/** Samples of the methods the negative controls reuse, kept from the main test (no refill). */
const kept = new Map<string, Float32Array>();
const KEEP = new Set(["uniform(-0.1, 0.3)", "normal()", "normal(3, 0.25)", "truncNormal(0, 1, -1, 3)", "varianceScaling keras [4,4,64,1024] scale 2 fanAvg truncatedNormal"]);

function sample(m: Method, seed: nn.Seed, n = N): Float32Array {
  const key = `${m.name} ${show(seed)}`;
  const old = kept.get(key);
  if (old) return old;
  const out = new Float32Array(n);
  m.fill(out, { seed });
  if (KEEP.has(m.name)) kept.set(key, out);
  return out;
}
const method = (name: string) => METHODS.find((m) => m.name === name)!;

function passes(t: Test, r: CheckResult, what: string): void {
  t.same(r.failed, [], `${what}: ${r.summary}`);
}
function rejects(t: Test, r: CheckResult, expected: CheckName[], what: string): void {
  const missing = expected.filter((c) => !r.failed.includes(c));
  t.same(missing, [], `negative control ${what} must be rejected by ${expected.join(", ")}: ${r.summary}`);
}


t.test("the statistical machinery itself", async (t) => {
  // erfc reference values from mpmath (mp.dps = 40), rounded to float64
  const ref: [number, number][] = [
    [-3.5, 1.9999992569016276], [-1.2, 1.9103139782296354], [-0.5, 1.5204998778130465], [0, 1],
    [0.3, 0.6713732405408726], [0.9, 0.20309178757716786], [1.5, 0.033894853524689274],
    [2, 0.004677734981047266], [2.5, 0.0004069520174449589], [3, 2.209049699858544e-5],
    [4, 1.541725790028002e-8], [6, 2.1519736712498913e-17], [10, 2.088487583762545e-45],
  ];
  for (const [x, want] of ref) {
    t.ok(Math.abs(erfc(x) - want) <= 1e-14 * want, `erfc(${x}) = ${erfc(x)}, mpmath ${want}`);
    t.ok(Math.abs(erfcFast(x) - want) <= 1e-14 * want, `erfcFast(${x}) = ${erfcFast(x)}, mpmath ${want}`);
  }
  let worst = 0;
  for (let i = -200000; i <= 200000; i++) {
    const x = i * 4.1e-5;
    const e = Math.abs(erfcFast(x) - erfc(x));
    if (e > worst) worst = e;
  }
  t.ok(worst < 4e-15, `erfcFast agrees with erfc on [-8.2, 8.2] within 4e-15 absolute (worst ${worst})`);
  // Φ from mpmath.ncdf
  for (const [x, want] of [[-8, 6.220960574271784e-16], [-3, 0.0013498980316300946], [-1, 0.15865525393145705], [0.5, 0.6914624612740131], [2.7, 0.9965330261969594]]) {
    t.ok(Math.abs(phi(x) - want) <= 1e-14 * want, `Φ(${x}) = ${phi(x)}, mpmath ${want}`);
  }
  // Kolmogorov distribution: the classic 5% point 1.3581, continuity of the two series at λ = 1
  t.ok(Math.abs(kolmogorovQ(1.3581) - 0.05) < 1e-5, `Q_KS(1.3581) = ${kolmogorovQ(1.3581)} ≈ 0.05`);
  t.ok(Math.abs(kolmogorovQ(1 - 1e-9) - kolmogorovQ(1 + 1e-9)) < 1e-8, "Q_KS is continuous at λ = 1");
  t.ok(Math.abs(kolmogorovQ(KS_LAMBDA_CRIT) - ALPHA) < 1e-12, `λ* = ${KS_LAMBDA_CRIT} has Q_KS = α = ${ALPHA}`);
  t.ok(Math.abs(Z_CRIT - 4.8916384756982) < 1e-9, `Z* = ${Z_CRIT} (scipy norm.isf(5e-7) = 4.891638475698)`);
  // truncated normal moments against mpmath quadrature
  const tn = truncNormalDist(0, 1, -1, 3);
  t.ok(Math.abs(tn.mean - 0.282786110727154) < 1e-13 && Math.abs(tn.variance - 0.6161417353578293) < 1e-13 && Math.abs(tn.mu4 - 1.0607560889524121) < 1e-12,
    `TN(0,1,[-1,3]) moments ${tn.mean}, ${tn.variance}, ${tn.mu4}`);
  t.ok(Math.abs(tn.cdf(1) - 0.8127305705892683) < 1e-13, `TN(0,1,[-1,3]) cdf(1) = ${tn.cdf(1)}`);
  const tail = truncNormalDist(0, 1, 1.5, 4);
  t.ok(Math.abs(tail.mean - 1.9375924891612768) < 1e-13 && Math.abs(tail.variance - 0.1471136280405879) < 1e-13 && Math.abs(tail.mu4 - 0.11041786370949605) < 1e-13,
    `TN(0,1,[1.5,4]) moments ${tail.mean}, ${tail.variance}, ${tail.mu4}`);
  t.ok(Math.abs(tail.cdf(2.75) - 0.9558507136966445) < 1e-13, `TN(0,1,[1.5,4]) cdf(2.75) = ${tail.cdf(2.75)}`);
  // Keras's 0.87962566103423978 is the std of N(0,1) truncated to [-2, 2]
  const sd2 = Math.sqrt(truncNormalDist(0, 1, -2, 2).variance);
  t.ok(Math.abs(sd2 - KERAS_TRUNC) < 1e-15, `sqrt(Var TN(0,1,[-2,2])) = ${sd2}`);
  t.equal(nn.TRUNCATED_STD, KERAS_TRUNC, "lib's TRUNCATED_STD is Keras's constant");
  // decoders: hand-derived bit patterns
  const bf: [number, number][] = [[0x3f80, 1], [0xbf80, -1], [0x4049, 3.140625], [0x0000, 0], [0x7f7f, 3.3895313892515355e38], [0x0001, 2 ** -133], [0x7f80, Infinity]];
  for (const [h, v] of bf) t.equal(decodeBf16(h), v, `bfloat16 0x${h.toString(16)} = ${v}`);
  const hf: [number, number][] = [[0x3c00, 1], [0xc000, -2], [0x3555, 0.333251953125], [0x7bff, 65504], [0x0001, 2 ** -24], [0x03ff, 1023 * 2 ** -24], [0x0400, 2 ** -14], [0xfc00, -Infinity]];
  for (const [h, v] of hf) t.equal(decodeF16(h), v, `float16 0x${h.toString(16)} = ${v}`);
  t.ok(Number.isNaN(decodeF16(0x7e00)) && Number.isNaN(decodeBf16(0x7fc0)), "NaN patterns decode to NaN");
  const cells = halfCells("float16");
  t.equal(cells.upper[0x3c00], 1 + 2 ** -11, "float16 cell of 1 reaches 1 + 2^-11 above");
  t.equal(cells.lower[0x3c00], 1 - 2 ** -12, "and 1 - 2^-12 below (the binade below is twice as fine)");
});

t.test("each method matches its exact distribution (KS, mean, variance, range; n = 2^20, α = 1e-6)", async (t) => {
  for (const m of METHODS) {
    for (const seed of SEEDS) passes(t, checkSample(sample(m, seed), m.dist!), `${m.name} seed ${show(seed)}`);
  }
});

t.test("negative controls: the same checks reject wrong samples", async (t) => {
  for (const seed of SEEDS) {
    const s = show(seed);
    const z = sample(method("normal()"), seed);
    rejects(t, checkSample(z.map((v) => v * 1.02), normalDist(0, 1)), ["ks", "variance"], `N(0,1) with std × 1.02, seed ${s}`);
    rejects(t, checkSample(z.map((v) => v + 0.01), normalDist(0, 1)), ["ks", "mean"], `N(0,1) with mean + 0.01·std, seed ${s}`);

    // Keras's truncated normal without the 0.8796 factor: std sqrt(scale/fan), cut at ±2 of that
    const vs = method("varianceScaling keras [4,4,64,1024] scale 2 fanAvg truncatedNormal");
    const sWrong = Math.sqrt(2 / 8704);
    rejects(t, checkSample(sample(vs, seed), truncNormalDist(0, sWrong, -2 * sWrong, 2 * sWrong)), ["ks", "variance", "min", "max"],
      `varianceScaling truncatedNormal against the CDF without /0.8796, seed ${s}`);
    const wrong = new Float32Array(N);
    nn.truncNormal(wrong, { std: sWrong, a: -2 * sWrong, b: 2 * sWrong, seed });
    rejects(t, checkSample(wrong, vs.dist!), ["ks", "variance"], `a truncated normal drawn without /0.8796 against Keras's law, seed ${s}`);
  }
  // the same kinds of error on other laws (one seed)
  const seed = SEEDS[0];
  const z = sample(method("normal()"), seed);
  rejects(t, checkSample(z.map((v) => v * 0.98), normalDist(0, 1)), ["ks", "variance"], `N(0,1) with std × 0.98, seed ${seed}`);
  const zs = sample(method("normal(3, 0.25)"), seed);
  rejects(t, checkSample(zs, normalDist(3 + 0.0025, 0.25)), ["ks", "mean"], `N(3, 0.25²) against mean + 0.01·std, seed ${seed}`);
  rejects(t, checkSample(zs, normalDist(3, 0.25 * 1.02)), ["ks", "variance"], `N(3, 0.25²) against std × 1.02, seed ${seed}`);
  const u = sample(method("uniform(-0.1, 0.3)"), seed);
  rejects(t, checkSample(u.map((v) => 0.1 + (v - 0.1) * 1.02), uniformDist(-0.1, 0.3)), ["ks", "variance", "min", "max"], `U(-0.1,0.3) widened by 2%, seed ${seed}`);
  const tn = sample(method("truncNormal(0, 1, -1, 3)"), seed);
  rejects(t, checkSample(tn, truncNormalDist(0, 1.02, -1, 3)), ["ks", "variance"], `TN(0,1,[-1,3]) against std × 1.02, seed ${seed}`);
  rejects(t, checkSample(tn, truncNormalDist(0.01, 1, -1, 3)), ["ks", "mean"], `TN(0,1,[-1,3]) against mean + 0.01·std, seed ${seed}`);
  kept.clear();
});

const HALF_CASES: Method[] = [method("normal()"), method("uniform(-0.1, 0.3)"), method("truncNormal(0, 1, -1, 3)"), method("lecunNormal [512,2048]")];

t.test("16-bit outputs decode to the right distribution and round the float32 values to nearest", async (t) => {
  for (const format of ["bfloat16", "float16"] as HalfFormat[]) {
    const cells = halfCells(format);
    for (const m of HALF_CASES) {
      for (const seed of [SEEDS[(HALF_CASES.indexOf(m) + (format === "float16" ? 1 : 0)) % SEEDS.length]]) {
        const what = `${m.name} ${format} seed ${show(seed)}`;
        const bits = new Uint16Array(N);
        m.fill(bits, { seed, dtype: format });
        passes(t, checkHalfSample(bits, format, m.dist!), what);
        // each 16-bit value is the float32 value rounded to nearest: x lies in its rounding cell
        const x = sample(m, seed);
        let bad = -1;
        for (let i = 0; i < N && bad < 0; i++) if (!(cells.lower[bits[i]] <= x[i] && x[i] <= cells.upper[bits[i]])) bad = i;
        t.equal(bad, -1, `${what}: every element rounds the float32 fill to nearest${bad >= 0 ? ` (element ${bad}: ${x[bad]} -> 0x${bits[bad].toString(16)})` : ""}`);
      }
    }
    // negative controls: wrong decoding, or std off by 2%, must be rejected
    const bits = new Uint16Array(N);
    nn.normal(bits, { seed: 5, dtype: format });
    const other: HalfFormat = format === "bfloat16" ? "float16" : "bfloat16";
    rejects(t, checkHalfSample(bits, other, normalDist(0, 1)), ["ks", "variance"], `N(0,1) ${format} bits decoded as ${other}, seed 5`);
    rejects(t, checkHalfSample(bits, format, normalDist(0, 1.02)), ["ks", "variance"], `N(0,1) ${format} against std × 1.02, seed 5`);
    const f64 = decodeHalf(bits, format);
    t.ok(f64.every(Number.isFinite), `${format} N(0,1) values are all finite`);
  }
});

/** Methods for the exact (non-statistical) tests, on a logical tensor of L = 104·128 elements. */
const L = 104 * 128; // 13312 = 3.25 blocks of 4096
const SHAPE = [104, 128];
const EXACT: Method[] = [
  { name: "uniform", fill: elementwise("uniform", { low: -2, high: 3 }) },
  { name: "normal", fill: elementwise("normal", { mean: 1, std: 2 }) },
  { name: "truncNormal", fill: elementwise("truncNormal", {}) },
  { name: "truncNormal upper tail", fill: elementwise("truncNormal", { a: 1.5, b: 4 }) },
  { name: "truncNormal lower tail", fill: elementwise("truncNormal", { mean: 1, std: 2, a: -7, b: -2 }) },
  { name: "xavierUniform", fill: fanBased("xavierUniform", SHAPE, { gain: 2 }) },
  { name: "xavierNormal", fill: fanBased("xavierNormal", SHAPE, {}) },
  { name: "kaimingUniform", fill: fanBased("kaimingUniform", SHAPE, { a: 0.1 }) },
  { name: "kaimingNormal", fill: fanBased("kaimingNormal", SHAPE, { mode: "fanOut" }) },
  { name: "lecunUniform", fill: fanBased("lecunUniform", SHAPE, {}) },
  { name: "lecunNormal", fill: fanBased("lecunNormal", SHAPE, {}) },
  { name: "varianceScaling truncatedNormal", fill: fanBased("varianceScaling", SHAPE, { distribution: "truncatedNormal", mode: "fanAvg" }) },
  { name: "varianceScaling untruncatedNormal", fill: fanBased("varianceScaling", SHAPE, { distribution: "untruncatedNormal", scale: 3 }) },
  { name: "varianceScaling uniform", fill: fanBased("varianceScaling", SHAPE, { distribution: "uniform", mode: "fanOut", layout: "keras" }) },
];
const DTYPES = ["float32", "float64", "bfloat16", "float16"] as const;
function alloc(dtype: (typeof DTYPES)[number], n: number): Out {
  return dtype === "float32" ? new Float32Array(n) : dtype === "float64" ? new Float64Array(n) : new Uint16Array(n);
}
const dtypeOpt = (dtype: (typeof DTYPES)[number]) => (dtype === "bfloat16" || dtype === "float16" ? { dtype } : {});

t.test("determinism: seeds, Generator, manualSeed", async (t) => {
  for (const m of EXACT) {
    const fill = (opts: Opts) => {
      const out = new Float32Array(L);
      m.fill(out, opts);
      return out;
    };
    const a = fill({ seed: 77 });
    t.ok(bytes(a).equals(bytes(fill({ seed: 77 }))), `${m.name}: seed 77 twice gives the same bytes`);
    t.ok(bytes(a).equals(bytes(fill({ seed: 77n }))), `${m.name}: seed 77 and 77n give the same bytes`);
    const b = fill({ seed: 78 });
    let same = 0;
    for (let i = 0; i < L; i++) if (a[i] === b[i]) same++;
    t.ok(same < L / 100, `${m.name}: seeds 77 and 78 differ (${same} of ${L} elements equal)`);
    const top = fill({ seed: 2n ** 64n - 1n });
    t.notOk(bytes(top).equals(bytes(fill({ seed: 0 }))), `${m.name}: seed 2^64-1 differs from seed 0`);

    const g = new nn.Generator(2024);
    const g1 = fill({ generator: g });
    const g2 = fill({ generator: g });
    t.notOk(bytes(g1).equals(bytes(g2)), `${m.name}: a Generator(2024) gives successive calls different values`);
    const h = new nn.Generator(2024n);
    t.ok(bytes(g1).equals(bytes(fill({ generator: h }))) && bytes(g2).equals(bytes(fill({ generator: h }))),
      `${m.name}: a second Generator(2024) replays both calls`);
    // docs/stream.md §1: a generator call uses K = nextKey(), a seed call uses K = seed
    t.ok(bytes(g1).equals(bytes(fill({ seed: new nn.Generator(2024).nextKey() }))), `${m.name}: generator call = seed call with K = nextKey()`);
  }
  const g = new nn.Generator(99);
  t.equal(g.initialSeed, 99n, "Generator(99).initialSeed is 99n");
  const saved = g.state;
  const x1 = nn.normal(new Float32Array(64), { generator: g });
  g.state = saved;
  t.ok(bytes(x1).equals(bytes(nn.normal(new Float32Array(64), { generator: g }))), "restoring Generator.state replays a call");
  g.manualSeed(99);
  t.ok(bytes(x1).equals(bytes(nn.normal(new Float32Array(64), { generator: g }))), "generator.manualSeed(99) replays from the start");

  const r = nn.manualSeed(31337);
  t.equal(r, nn.defaultGenerator, "manualSeed returns the default generator");
  const d1 = nn.uniform(new Float32Array(L));
  const d2 = nn.uniform(new Float32Array(L));
  t.notOk(bytes(d1).equals(bytes(d2)), "successive default-generator calls differ");
  nn.manualSeed(31337);
  t.ok(bytes(d1).equals(bytes(nn.uniform(new Float32Array(L)))) && bytes(d2).equals(bytes(nn.uniform(new Float32Array(L)))),
    "manualSeed(31337) replays the default-generator calls");
  t.equal(nn.defaultGenerator.initialSeed, 31337n, "defaultGenerator.initialSeed reports the manual seed");
});

t.test("sharding: a fill of [offset, offset+n) equals that slice of the whole fill", async (t) => {
  // offsets and lengths that start, end and straddle 4096-element blocks
  const B = nn.BLOCK_SIZE;
  t.equal(B, 4096, "BLOCK_SIZE");
  const SHARDS: [number, number][] = [
    [0, L], [0, 1], [1, 7], [7, 9], [8, 8], [15, 17], [0, B - 1], [1, B], [B - 1, 2], [B - 1, B + 2], [B, B], [B + 3, 100],
    [4000, 5000], [2 * B - 1, 1], [2 * B - 5, B + 10], [3 * B - 1, L - 3 * B + 1], [3 * B, L - 3 * B], [L - 1, 1], [L - 5000, 5000], [5, 0], [L, 0],
  ];
  for (const m of EXACT) {
    for (const dtype of DTYPES) {
      const seed = 0xabcdef;
      const whole = alloc(dtype, L);
      m.fill(whole, { seed, ...dtypeOpt(dtype) });
      const withOffset0 = alloc(dtype, L);
      m.fill(withOffset0, { seed, offset: 0, ...dtypeOpt(dtype) });
      const bad: string[] = [];
      if (!bytes(whole).equals(bytes(withOffset0))) bad.push("offset 0 (explicit)");
      for (const [offset, n] of SHARDS) {
        const part = alloc(dtype, n);
        m.fill(part, { seed, offset, ...dtypeOpt(dtype) });
        if (!bytes(part).equals(bytes(whole.subarray(offset, offset + n)))) bad.push(`[${offset}, ${offset + n})`);
      }
      t.same(bad, [], `${m.name} ${dtype} seed ${seed}: every shard equals its slice of the whole fill`);
    }
    // Float64Array fill = Float32Array fill widened exactly (docs/stream.md §8), also for shards
    const f32 = new Float32Array(L);
    const f64 = new Float64Array(L);
    m.fill(f32, { seed: 5 });
    m.fill(f64, { seed: 5 });
    t.ok(bytes(Float64Array.from(f32)).equals(bytes(f64)), `${m.name} seed 5: the Float64Array fill is the Float32Array fill widened`);
    const p64 = new Float64Array(B + 9);
    m.fill(p64, { seed: 5, offset: B - 4 });
    t.ok(bytes(Float64Array.from(f32.subarray(B - 4, 2 * B + 5))).equals(bytes(p64)), `${m.name} seed 5: a Float64Array shard is the Float32Array slice widened`);
  }
});
