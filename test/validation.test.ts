/**
 * Input validation (docs/safety.md §1): every bad input throws a TypeError (wrong type, code
 * ERR_INVALID_ARG_TYPE) or a RangeError (bad value, code ERR_OUT_OF_RANGE or
 * ERR_INVALID_ARG_VALUE) whose message names the argument or option and shows the bad value,
 * and `out` is left byte-for-byte unchanged (it is pre-filled with a sentinel pattern). A failed
 * call never advances a Generator.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { runInNewContext } from "node:vm";
import t, { type Test } from "tap";
import * as nn from "../lib/index.js";
import * as model from "../lib/model/index.js";
import * as promises from "../lib/promises.js";
import { FILL_METHODS, methodInfo } from "../lib/plan/methods.js";
import { naturalDType } from "../lib/plan/validate.js";
import { KERNELS, P_MIN } from "../lib/plan/plan.js";
import * as jsKernels from "../lib/backend/jsKernels.js";
import { bytes } from "./helpers.js";
import { METHODS as BENCH_METHODS } from "../bench/cases/methods.js";

type Fn = (...args: unknown[]) => unknown;
const api = nn as unknown as Record<string, Fn>;

const SHAPE = [3, 4];
const LEN = 12;

/**
 * Every public fill of the method table (lib/plan/methods.ts) but the matrix ones (their bad input
 * is in test/matrix.test.ts and test/fuzz.test.ts), called as fill(out, options): fan-based ones
 * on SHAPE, constant with 0.5.
 */
interface Method {
  name: string;
  call: (out: unknown, options?: unknown) => unknown;
  /** Its float-valued options. */
  floats: readonly string[];
  random: boolean;
}
const METHODS: Method[] = FILL_METHODS.filter((m) => m.family !== "matrix").map((m) => ({
  name: m.name,
  floats: m.numbers,
  random: m.random,
  call: m.operand === "shape" ? (o, p) => api[m.name](o, SHAPE, p) : m.operand === "value" ? (o, p) => api[m.name](o, 0.5, p) : (o, p) => api[m.name](o, p),
}));
const RANDOM = METHODS.filter((m) => m.random);

/** A sentinel-filled output: every byte 0xA5 (a finite value in every dtype). */
function sentinel(kind: "f32" | "f64" | "u16" = "f32", n = LEN): Float32Array | Float64Array | Uint16Array {
  const a = kind === "f32" ? new Float32Array(n) : kind === "f64" ? new Float64Array(n) : new Uint16Array(n);
  new Uint8Array(a.buffer).fill(0xa5);
  return a;
}

function snapshot(out: unknown): string {
  if (ArrayBuffer.isView(out)) {
    try {
      return bytes(out).toString("hex");
    } catch {
      return "unreadable";
    }
  }
  try {
    return JSON.stringify(out) ?? String(out);
  } catch {
    return String(out);
  }
}

interface Want {
  type: typeof TypeError | typeof RangeError;
  /** Substrings the message must contain: the argument/option name and the bad value. */
  mentions: string[];
  /** The exact error object expected to propagate (getter tests). */
  error?: unknown;
}

/**
 * Runs `call`, which must throw what `want` says, and checks that `out` is unchanged. One
 * assertion per case, listing every problem found.
 */
function expectFail(t: Test, what: string, out: unknown, call: () => unknown, want: Want): void {
  const before = snapshot(out);
  let thrown: unknown;
  let threw = false;
  try {
    call();
  } catch (e) {
    threw = true;
    thrown = e;
  }
  const problems: string[] = [];
  const err = thrown as { name?: string; message?: string; code?: string } | undefined;
  if (!threw) problems.push("did not throw");
  else if (want.error !== undefined) {
    if (thrown !== want.error) problems.push(`threw ${String(thrown)} instead of the getter's error`);
  } else {
    if (!(thrown instanceof want.type)) problems.push(`threw ${err?.name}, want ${want.type.name}`);
    const codes = want.type === TypeError ? ["ERR_INVALID_ARG_TYPE"] : ["ERR_OUT_OF_RANGE", "ERR_INVALID_ARG_VALUE"];
    if (!codes.includes(String(err?.code))) problems.push(`code ${err?.code}, want ${codes.join(" or ")}`);
    const msg = String(err?.message);
    for (const m of want.mentions) if (!msg.includes(m)) problems.push(`message does not mention ${JSON.stringify(m)}`);
  }
  if (snapshot(out) !== before) problems.push("out was modified");
  t.same(problems, [], `${what}${threw ? ` -> ${err?.name} [${err?.code}]: ${err?.message}` : ""}`);
}

const T = TypeError;
const R = RangeError;
const q = (name: string) => `"${name}"`;

t.test("out: wrong types and mismatched dtype", async (t) => {
  for (const m of METHODS) {
    const arr = Array.from({ length: LEN }, (_, i) => i);
    expectFail(t, `${m.name}: plain array`, arr, () => m.call(arr), { type: T, mentions: [q("out"), "array"] });
    const i32 = new Int32Array(LEN).fill(7);
    expectFail(t, `${m.name}: Int32Array`, i32, () => m.call(i32), { type: T, mentions: [q("out"), "Int32Array"] });
    expectFail(t, `${m.name}: null`, null, () => m.call(null), { type: T, mentions: [q("out"), "null"] });
    const dv = new DataView(new ArrayBuffer(48));
    expectFail(t, `${m.name}: DataView`, dv, () => m.call(dv), { type: T, mentions: [q("out"), "DataView"] });
    const u16 = sentinel("u16");
    expectFail(t, `${m.name}: Uint16Array without dtype`, u16, () => m.call(u16), { type: R, mentions: [q("dtype"), "Uint16Array"] });
    expectFail(t, `${m.name}: Uint16Array with dtype float32`, u16, () => m.call(u16, { dtype: "float32" }), { type: R, mentions: [q("dtype"), "float32"] });
    const f32 = sentinel("f32");
    expectFail(t, `${m.name}: Float32Array with dtype float16`, f32, () => m.call(f32, { dtype: "float16" }), { type: R, mentions: [q("dtype"), "float16"] });
    const f64 = sentinel("f64");
    expectFail(t, `${m.name}: Float64Array with dtype float32`, f64, () => m.call(f64, { dtype: "float32" }), { type: R, mentions: [q("dtype"), "float32"] });
    expectFail(t, `${m.name}: unknown dtype float8`, f32, () => m.call(f32, { dtype: "float8" }), { type: R, mentions: [q("dtype"), "float8"] });
  }
});

t.test("dtype aliases (bf16, f16, F32, fp64...) are the dtypes nninit/model and the CLI take: the same bits as the full names", async (t) => {
  const pairs: [() => Float32Array | Float64Array | Uint16Array, string, string][] = [
    [() => new Uint16Array(LEN), "bfloat16", "bf16"], [() => new Uint16Array(LEN), "bfloat16", "BF16"],
    [() => new Uint16Array(LEN), "float16", "f16"], [() => new Uint16Array(LEN), "float16", "fp16"],
    [() => new Float32Array(LEN), "float32", "F32"], [() => new Float64Array(LEN), "float64", "fp64"],
  ];
  for (const m of METHODS) {
    for (const [make, full, alias] of pairs) {
      const a = m.call(make(), { dtype: full, ...(m.random ? { seed: 5 } : {}) }) as Uint16Array;
      const b = m.call(make(), { dtype: alias, ...(m.random ? { seed: 5 } : {}) }) as Uint16Array;
      t.ok(bytes(a).equals(bytes(b)), `${m.name}: dtype ${alias} = ${full}`);
    }
    const f32 = sentinel("f32");
    expectFail(t, `${m.name}: Float32Array with dtype bf16`, f32, () => m.call(f32, { dtype: "bf16" }), { type: R, mentions: [q("dtype"), "bf16", "Float32Array"] });
    expectFail(t, `${m.name}: dtype 16`, f32, () => m.call(f32, { dtype: 16 }), { type: T, mentions: [q("dtype"), "16"] });
  }
});

t.test("fan methods with both fanIn and fanOut given take any shape: nothing is computed from it", async (t) => {
  const fans = RANDOM.filter((m) => m.floats.includes("fanIn"));
  for (const m of fans) {
    for (const shape of [[10], [2, 5], [1, 1, 10]]) {
      const got = api[m.name](new Float32Array(10), shape, { fanIn: 100, fanOut: 30, seed: 2 }) as Float32Array;
      const ref = api[m.name](new Float32Array(10), [30, 100], { seed: 2, offset: 0 }) as Float32Array; // the first 10 of a [30, 100] tensor
      t.ok(bytes(got).equals(bytes(ref)), `${m.name} shape ${JSON.stringify(shape)} with both fans = shape [30, 100]`);
    }
    const out = sentinel("f32", 10);
    expectFail(t, `${m.name}: a 1-D torch shape with only fanIn`, out, () => api[m.name](out, [10], { fanIn: 100, seed: 2 }), { type: R, mentions: [q("shape")] });
  }
});

t.test("out: a detached buffer", async (t) => {
  for (const m of METHODS) {
    const buf = new ArrayBuffer(LEN * 4);
    const out = new Float32Array(buf);
    structuredClone(buf, { transfer: [buf] });
    t.equal(buf.byteLength, 0, "the buffer is detached");
    expectFail(t, `${m.name}: detached Float32Array`, out, () => m.call(out), { type: R, mentions: [q("out"), "detached"] });
    const buf16 = new ArrayBuffer(LEN * 2);
    const out16 = new Uint16Array(buf16);
    structuredClone(buf16, { transfer: [buf16] });
    expectFail(t, `${m.name}: detached Uint16Array (bfloat16)`, out16, () => m.call(out16, { dtype: "bfloat16" }), { type: R, mentions: [q("out"), "detached"] });
  }
});

t.test("numeric parameters: NaN, ±Infinity, beyond float32, wrong type", async (t) => {
  for (const m of METHODS) {
    for (const name of m.floats) {
      for (const v of [NaN, Infinity, -Infinity, 1e39, -1e39]) {
        const out = sentinel();
        expectFail(t, `${m.name}({${name}: ${v}})`, out, () => m.call(out, { [name]: v }), { type: R, mentions: [q(name), String(v)] });
      }
      for (const [v, shown] of [["1", '"1"'], [null, "null"], [1n, "1n"], [true, "true"]] as const) {
        const out = sentinel();
        expectFail(t, `${m.name}({${name}: ${shown}})`, out, () => m.call(out, { [name]: v }), { type: T, mentions: [q(name), shown] });
      }
    }
  }
  for (const [v, type, shown] of [[NaN, R, "NaN"], [Infinity, R, "Infinity"], [1e39, R, "1e+39"], ["1", T, '"1"'], [undefined, T, "undefined"]] as const) {
    const out = sentinel();
    expectFail(t, `constant(out, ${shown})`, out, () => api.constant(out, v), { type, mentions: [q("value"), shown] });
    const out64 = sentinel("f64");
    expectFail(t, `constant(Float64Array, ${shown})`, out64, () => api.constant(out64, v), { type, mentions: [q("value"), shown] });
  }
});

t.test("parameter constraints: std, bounds, gain, scale, fans", async (t) => {
  const cases: [string, (out: Float32Array) => unknown, string[], Want["type"]?][] = [
    ["normal std -1", (o) => nn.normal(o, { std: -1, seed: 1 }), [q("std"), "-1"]],
    ["normal std -0.5", (o) => nn.normal(o, { std: -0.5, seed: 1 }), [q("std"), "-0.5"]],
    ["truncNormal std 0", (o) => nn.truncNormal(o, { std: 0, seed: 1 }), [q("std"), "0"]],
    ["truncNormal std -1", (o) => nn.truncNormal(o, { std: -1, seed: 1 }), [q("std"), "-1"]],
    ["uniform low 2 > high 1", (o) => nn.uniform(o, { low: 2, high: 1, seed: 1 }), [q("high"), q("low"), "Received 1"]],
    ["uniform high - low overflows float32", (o) => nn.uniform(o, { low: -3e38, high: 3e38, seed: 1 }), [q("high"), "3e+38"]],
    ["truncNormal a = b", (o) => nn.truncNormal(o, { a: 1, b: 1, seed: 1 }), [q("b"), q("a"), "Received 1"]],
    ["truncNormal a > b", (o) => nn.truncNormal(o, { a: 2, b: -2, seed: 1 }), [q("b"), q("a"), "-2"]],
    ["truncNormal b below the default a", (o) => nn.truncNormal(o, { b: -3, seed: 1 }), [q("b"), "-3"]],
    ["xavierUniform gain -1", (o) => nn.xavierUniform(o, SHAPE, { gain: -1, seed: 1 }), [q("gain"), "-1"]],
    ["xavierNormal gain -0.1", (o) => nn.xavierNormal(o, SHAPE, { gain: -0.1, seed: 1 }), [q("gain"), "-0.1"]],
    ["varianceScaling scale 0", (o) => nn.varianceScaling(o, SHAPE, { scale: 0, seed: 1 }), [q("scale"), "0"]],
    ["varianceScaling scale -2", (o) => nn.varianceScaling(o, SHAPE, { scale: -2, seed: 1 }), [q("scale"), "-2"]],
    ["kaimingNormal fanIn 0", (o) => nn.kaimingNormal(o, SHAPE, { fanIn: 0, seed: 1 }), [q("fanIn"), "0"]],
    ["kaimingNormal fanIn -5", (o) => nn.kaimingNormal(o, SHAPE, { fanIn: -5, seed: 1 }), [q("fanIn"), "-5"]],
    ["xavierUniform fanOut 0", (o) => nn.xavierUniform(o, SHAPE, { fanOut: 0, seed: 1 }), [q("fanOut"), "0"]],
    ["varianceScaling fanOut -5", (o) => nn.varianceScaling(o, SHAPE, { fanOut: -5, seed: 1 }), [q("fanOut"), "-5"]],
    // a derived bound or std that overflows float32 must be blamed on the option that caused it
    ["xavierUniform gain 3e38 (the bound overflows float32)", (o) => nn.xavierUniform(o, SHAPE, { gain: 3e38, seed: 1 }), [q("gain"), "3e+38"]],
    ["kaimingNormal fanIn 1e-80 (the std overflows float32)", (o) => nn.kaimingNormal(o, SHAPE, { fanIn: 1e-80, seed: 1 }), [q("fanIn"), "1e-80"]],
    ["calculateGain leaky_relu NaN slope", () => nn.calculateGain("leaky_relu", NaN), [q("param"), "NaN"]],
    ["calculateGain leaky_relu string slope", () => nn.calculateGain("leaky_relu", "0.2" as unknown as number), [q("param"), '"0.2"'], T],
  ];
  for (const [what, call, mentions, type] of cases) {
    const out = sentinel() as Float32Array;
    expectFail(t, what, out, () => call(out), { type: type ?? R, mentions });
  }
  // values at the edge of each constraint are accepted
  const ok: [string, () => unknown][] = [
    ["normal std 0", () => nn.normal(new Float32Array(4), { std: 0, seed: 1 })],
    ["uniform low = high", () => nn.uniform(new Float32Array(4), { low: 2, high: 2, seed: 1 })],
    ["xavierUniform gain 0", () => nn.xavierUniform(new Float32Array(LEN), SHAPE, { gain: 0, seed: 1 })],
    ["kaiming a negative (gain uses a^2)", () => nn.kaimingUniform(new Float32Array(LEN), SHAPE, { a: -0.2, seed: 1 })],
    ["constant -FLT_MAX", () => nn.constant(new Float32Array(2), -3.4028234663852886e38)],
    ["xavierNormal gain 3e38 on [1, 1] (std 3e38 fits float32)", () => nn.xavierNormal(new Float32Array(1), [1, 1], { gain: 3e38, seed: 1 })],
    ["truncNormal a just below b", () => nn.truncNormal(new Float32Array(4), { a: 0.5, b: 0.5000001, seed: 1 })],
  ];
  for (const [what, call] of ok) t.doesNotThrow(call, `${what} is accepted`);
  t.same(Array.from(nn.normal(new Float32Array(3), { mean: 2, std: 0, seed: 1 })), [2, 2, 2], "normal std 0 gives the mean");
});

t.test("unknown enum values and option names", async (t) => {
  const fill = (name: string, opts: object) => (o: unknown) => api[name](o, SHAPE, opts);
  const cases: [string, (o: unknown) => unknown, string[]][] = [
    ["kaimingNormal mode fan_in (PyTorch spelling)", fill("kaimingNormal", { mode: "fan_in" }), [q("mode"), '"fan_in"']],
    ["kaimingUniform mode fanAvg (Keras only)", fill("kaimingUniform", { mode: "fanAvg" }), [q("mode"), '"fanAvg"']],
    ["varianceScaling mode bogus", fill("varianceScaling", { mode: "bogus" }), [q("mode"), '"bogus"']],
    ["varianceScaling distribution normal", fill("varianceScaling", { distribution: "normal" }), [q("distribution"), '"normal"']],
    ["varianceScaling distribution truncated_normal (Keras spelling)", fill("varianceScaling", { distribution: "truncated_normal" }), [q("distribution"), '"truncated_normal"']],
    ["kaimingNormal nonlinearity gelu", fill("kaimingNormal", { nonlinearity: "gelu" }), [q("nonlinearity"), '"gelu"']],
    ["xavierUniform layout hwio", fill("xavierUniform", { layout: "hwio" }), [q("layout"), '"hwio"']],
    ["lecunNormal layout oihw", fill("lecunNormal", { layout: "oihw" }), [q("layout"), '"oihw"']],
    ["lecunNormal scale (not a LeCun option)", fill("lecunNormal", { scale: 2 }), ["scale", "2"]],
    ["xavierNormal gian (typo)", fill("xavierNormal", { gian: 2 }), ["gian", "2"]],
    ["uniform std (another method's option)", (o) => nn.uniform(o as Float32Array, { std: 1 } as nn.UniformOptions), ["std", "1"]],
    ["normal sead: 1", (o) => nn.normal(o as Float32Array, { sead: 1 } as nn.NormalOptions), ["sead", "1"]],
    ["truncNormal Seed: 1 (case)", (o) => nn.truncNormal(o as Float32Array, { Seed: 1 } as nn.TruncNormalOptions), ["Seed", "1"]],
    ["constant seed (constant takes no seed)", (o) => nn.constant(o as Float32Array, 1, { seed: 1 } as nn.ConstantOptions), ["seed", "1"]],
  ];
  for (const [what, call, mentions] of cases) {
    const out = sentinel();
    expectFail(t, what, out, () => call(out), { type: R, mentions });
  }
  for (const m of METHODS) {
    const out = sentinel();
    expectFail(t, `${m.name} {sead: 1}`, out, () => m.call(out, { sead: 1 }), { type: R, mentions: ["sead", "1"] });
  }
  expectFail(t, "calculateGain gelu", undefined, () => nn.calculateGain("gelu" as nn.Nonlinearity), { type: R, mentions: [q("nonlinearity"), '"gelu"'] });
  expectFail(t, "computeFans layout oihw", undefined, () => nn.computeFans([2, 3], "oihw" as nn.Layout), { type: R, mentions: [q("layout"), '"oihw"'] });
});

t.test("wrong types for enum-valued options are TypeErrors (a wrong type throws TypeError, a bad value RangeError)", async (t) => {
  const cases: [string, (o: unknown) => unknown, string[]][] = [
    ["dtype 16", (o) => nn.uniform(o as Float32Array, { dtype: 16 as never }), [q("dtype"), "16"]],
    ["kaimingNormal mode 1", (o) => api.kaimingNormal(o, SHAPE, { mode: 1 }), [q("mode"), "1"]],
    ["varianceScaling distribution true", (o) => api.varianceScaling(o, SHAPE, { distribution: true }), [q("distribution"), "true"]],
    ["kaimingUniform nonlinearity 3", (o) => api.kaimingUniform(o, SHAPE, { nonlinearity: 3 }), [q("nonlinearity"), "3"]],
    ["xavierUniform layout null", (o) => api.xavierUniform(o, SHAPE, { layout: null }), [q("layout"), "null"]],
    ["calculateGain(5)", () => nn.calculateGain(5 as unknown as nn.Nonlinearity), [q("nonlinearity"), "5"]],
  ];
  for (const [what, call, mentions] of cases) {
    const out = sentinel();
    expectFail(t, what, out, () => call(out), { type: T, mentions });
  }
});

t.test("seed and generator", async (t) => {
  const bad: [unknown, Want["type"], string][] = [
    [-1, R, "-1"], [1.5, R, "1.5"], [2 ** 53, R, "9007199254740992"], [NaN, R, "NaN"], [Infinity, R, "Infinity"],
    [-1n, R, "-1n"], [2n ** 64n, R, "18446744073709551616n"], ["1", T, '"1"'], [true, T, "true"], [{}, T, "Object"],
  ];
  for (const m of RANDOM) {
    for (const [seed, type, shown] of bad) {
      const out = sentinel();
      expectFail(t, `${m.name} seed ${shown}`, out, () => m.call(out, { seed }), { type, mentions: [q("seed"), shown] });
    }
    const out = sentinel();
    expectFail(t, `${m.name} seed + generator`, out, () => m.call(out, { seed: 1, generator: new nn.Generator(1) }), { type: R, mentions: [q("seed"), q("generator")] });
    for (const [g, shown] of [[{}, "Object"], [5, "5"], [{ nextKey: () => 1n }, "Object"], [nn.defaultGenerator.initialSeed, "n"]] as const) {
      expectFail(t, `${m.name} generator ${shown}`, out, () => m.call(out, { generator: g }), { type: T, mentions: [q("generator"), shown] });
    }
  }
  t.doesNotThrow(() => nn.uniform(new Float32Array(2), { seed: 2n ** 64n - 1n }), "seed 2^64 - 1 is accepted");
  t.doesNotThrow(() => nn.uniform(new Float32Array(2), { seed: Number.MAX_SAFE_INTEGER }), "seed 2^53 - 1 is accepted");
  expectFail(t, "new Generator(-1)", undefined, () => new nn.Generator(-1), { type: R, mentions: ["seed", "-1"] });
  expectFail(t, "new Generator('x')", undefined, () => new nn.Generator("x" as unknown as number), { type: T, mentions: ["seed", '"x"'] });
  expectFail(t, "manualSeed(0.5)", undefined, () => nn.manualSeed(0.5), { type: R, mentions: ["seed", "0.5"] });
  const g = new nn.Generator(3);
  expectFail(t, "generator.state = -1n", undefined, () => { g.state = -1n; }, { type: R, mentions: ["state", "-1n"] });
  t.equal(g.state, 3n, "a rejected state assignment leaves the generator's state unchanged");
});

t.test("offset", async (t) => {
  for (const m of METHODS) {
    for (const [offset, type, shown] of [[-1, R, "-1"], [1.5, R, "1.5"], [NaN, R, "NaN"], ["1", T, '"1"'], [1n, T, "1n"]] as const) {
      const out = sentinel();
      expectFail(t, `${m.name} offset ${shown}`, out, () => m.call(out, { offset, ...(m.random ? { seed: 1 } : {}) }), { type, mentions: [q("offset"), shown] });
    }
  }
  for (const m of RANDOM.filter((m) => m.floats.includes("fanIn"))) {
    // SHAPE [3, 4] holds 12 elements: a 4-element shard may start at 0..8
    const out = sentinel("f32", 4);
    expectFail(t, `${m.name} offset 9 + 4 elements past the end of [3, 4]`, out, () => m.call(out, { offset: 9, seed: 1 }), { type: R, mentions: [q("offset"), "9"] });
    t.doesNotThrow(() => m.call(new Float32Array(4), { offset: 8, seed: 1 }), `${m.name} offset 8 + 4 elements ends exactly at the end`);
    const long = sentinel("f32", LEN + 1);
    expectFail(t, `${m.name} out longer than the shape, with offset 0`, long, () => m.call(long, { offset: 0, seed: 1 }), { type: R, mentions: [q("out"), "13"] });
  }
  for (const m of METHODS.filter((m) => !m.floats.includes("fanIn"))) {
    // no shape: the logical tensor has 2^53 - 1 elements
    const out = sentinel("f32", 4);
    const past = Number.MAX_SAFE_INTEGER - 3;
    expectFail(t, `${m.name} offset ${past} + 4 elements past 2^53 - 1`, out, () => m.call(out, { offset: past, ...(m.random ? { seed: 1 } : {}) }), { type: R, mentions: [q("offset"), String(past)] });
  }
});

t.test("shape", async (t) => {
  const fans = RANDOM.filter((m) => m.floats.includes("fanIn"));
  for (const m of fans) {
    const call = (out: unknown, shape: unknown, opts: object = { seed: 1 }) => api[m.name](out, shape, opts);
    const bad: [unknown, Want["type"], string[]][] = [
      ["3x4", T, [q("shape"), '"3x4"']], [12, T, [q("shape"), "12"]], [null, T, [q("shape"), "null"]], [{ length: 2, 0: 3, 1: 4 }, T, [q("shape"), "Object"]],
      [[3, -4], R, ["shape", "-4"]], [[1.5, 8], R, ["shape", "1.5"]], [[3, NaN], R, ["shape", "NaN"]], [["3", 4], T, ["shape", '"3"']],
      [[2 ** 30, 2 ** 30, 2 ** 30], R, [q("shape")]],
    ];
    for (const [shape, type, mentions] of bad) {
      const out = sentinel();
      expectFail(t, `${m.name} shape ${JSON.stringify(shape)}`, out, () => call(out, shape), { type, mentions });
    }
    const out = sentinel("f32", 10);
    expectFail(t, `${m.name} shape [3, 4] with out of length 10 and no offset`, out, () => call(out, [3, 4]), { type: R, mentions: [q("out"), "12", "10"] });
    const out1 = sentinel("f32", 7);
    expectFail(t, `${m.name} torch layout with a 1-D shape`, out1, () => call(out1, [7]), { type: R, mentions: [q("shape"), "7"] });
  }
  // A shape's length and elements are read once: a Proxy whose length grows on every read, a revoked Proxy, too many dimensions.
  for (const m of fans) {
    let reads = 0;
    const growing = new Proxy([3, 4], { get: (target, key) => (key === "length" ? 2 + reads++ : Reflect.get(target, key)) });
    const out = new Float32Array(LEN);
    api[m.name](out, growing, { seed: 1 });
    t.equal(reads, 1, `${m.name}: a Proxy shape's length is read once`);
    t.ok(out.every((x, i) => x === (api[m.name](new Float32Array(LEN), [3, 4], { seed: 1 }) as Float32Array)[i]), `${m.name}: and the shape is the one read, [3, 4]`);
    const { proxy, revoke } = Proxy.revocable([3, 4], {});
    revoke();
    const out2 = sentinel();
    expectFail(t, `${m.name}: a revoked Proxy shape`, out2, () => api[m.name](out2, proxy, { seed: 1 }), { type: T, mentions: [q("shape"), "a revoked Proxy"] });
    const out3 = sentinel();
    expectFail(t, `${m.name}: 65 dimensions`, out3, () => api[m.name](out3, [3, 4, ...new Array(63).fill(1)], { seed: 1 }), { type: R, mentions: [q("shape"), "64 dimensions", "65"] });
    const out4 = sentinel();
    expectFail(t, `${m.name}: a shape whose length is not a number`, out4, () => api[m.name](out4, new Proxy([3, 4], { get: (tg, k) => (k === "length" ? "2" : Reflect.get(tg, k)) }), { seed: 1 }), { type: R, mentions: [q("shape")] });
  }
  expectFail(t, "computeFans('3x4')", undefined, () => nn.computeFans("3x4" as unknown as number[]), { type: T, mentions: [q("shape"), '"3x4"'] });
  expectFail(t, "computeFans([2, -1])", undefined, () => nn.computeFans([2, -1]), { type: R, mentions: ["shape", "-1"] });
  expectFail(t, "computeFans([5]) torch", undefined, () => nn.computeFans([5]), { type: R, mentions: [q("shape"), "5"] });
});

t.test("threads", async (t) => {
  for (const m of RANDOM) {
    for (const [threads, type, shown] of [[0, R, "0"], [1.5, R, "1.5"], [2000, R, "2000"], [-1, R, "-1"], [NaN, R, "NaN"], ["4", T, '"4"']] as const) {
      const out = sentinel();
      expectFail(t, `${m.name} threads ${shown}`, out, () => m.call(out, { threads, seed: 1 }), { type, mentions: [q("threads"), shown] });
    }
    t.doesNotThrow(() => m.call(new Float32Array(LEN), { threads: 1, seed: 1 }), `${m.name} threads 1 is accepted`);
    t.doesNotThrow(() => m.call(new Float32Array(LEN), { threads: 1024, seed: 1 }), `${m.name} threads 1024 is accepted`);
  }
});

t.test("options that are not an object, and throwing getters", async (t) => {
  for (const m of METHODS) {
    for (const [opts, shown] of [[5, "5"], ["seed", '"seed"'], [true, "true"], [[1, 2], "array"], [() => 1, "function"]] as const) {
      const out = sentinel();
      expectFail(t, `${m.name} options ${shown}`, out, () => m.call(out, opts), { type: T, mentions: [q("options"), shown] });
    }
    t.doesNotThrow(() => m.call(new Float32Array(LEN), null), `${m.name}: null options mean defaults`);
    const boom = new Error("boom from a getter");
    const key = m.random ? "seed" : "dtype";
    const out = sentinel();
    const opts = Object.defineProperty({}, key, { enumerable: true, get: () => { throw boom; } });
    expectFail(t, `${m.name}: a getter that throws on "${key}"`, out, () => m.call(out, opts), { type: Error as never, mentions: [], error: boom });
    if (m.floats.length > 0) {
      const name = m.floats[0];
      const late = Object.defineProperty({ seed: 1 }, name, { enumerable: true, get: () => { throw boom; } });
      const out2 = sentinel();
      expectFail(t, `${m.name}: a getter that throws on "${name}"`, out2, () => m.call(out2, late), { type: Error as never, mentions: [], error: boom });
    }
    const proxy = new Proxy({}, { ownKeys: () => { throw boom; } });
    const out3 = sentinel();
    expectFail(t, `${m.name}: a Proxy whose ownKeys throws`, out3, () => m.call(out3, proxy), { type: Error as never, mentions: [], error: boom });
    const { proxy: revoked, revoke } = Proxy.revocable({ seed: 1 }, {});
    revoke();
    const out4 = sentinel();
    expectFail(t, `${m.name}: a revoked Proxy as options`, out4, () => m.call(out4, revoked), { type: T, mentions: [q("options"), "a revoked Proxy"] });
  }
});

t.test("a failed call does not advance the Generator", async (t) => {
  const failures: [string, (g: nn.Generator) => unknown][] = [
    ["bad low", (g) => nn.uniform(new Float32Array(8), { generator: g, low: NaN })],
    ["bad std", (g) => nn.normal(new Float32Array(8), { generator: g, std: -1 })],
    ["a >= b", (g) => nn.truncNormal(new Float32Array(8), { generator: g, a: 1, b: 0 })],
    ["bad dtype", (g) => nn.uniform(new Float32Array(8), { generator: g, dtype: "float16" } as never)],
    ["bad offset", (g) => nn.uniform(new Float32Array(8), { generator: g, offset: -1 })],
    ["bad threads", (g) => nn.normal(new Float32Array(8), { generator: g, threads: 0 })],
    ["unknown option", (g) => nn.uniform(new Float32Array(8), { generator: g, sead: 1 } as nn.UniformOptions)],
    ["shape mismatch", (g) => nn.kaimingNormal(new Float32Array(8), [3, 4], { generator: g })],
    ["unknown mode", (g) => nn.varianceScaling(new Float32Array(12), [3, 4], { generator: g, mode: "x" as "fanIn" })],
    ["gain overflow", (g) => nn.xavierUniform(new Float32Array(12), [3, 4], { generator: g, gain: 3e38 })],
    ["fanIn overflow", (g) => nn.kaimingNormal(new Float32Array(12), [3, 4], { generator: g, fanIn: 1e-80 })],
    ["detached out", (g) => {
      const b = new ArrayBuffer(32);
      structuredClone(b, { transfer: [b] });
      return nn.uniform(new Float32Array(b), { generator: g });
    }],
  ];
  const expected = nn.uniform(new Float32Array(64), { generator: new nn.Generator(77) });
  for (const [what, fail] of failures) {
    const g = new nn.Generator(77);
    const state = g.state;
    t.throws(() => fail(g), `${what}: throws`);
    t.equal(g.state, state, `${what}: generator state unchanged`);
    const got = nn.uniform(new Float32Array(64), { generator: g });
    t.same(Array.from(got), Array.from(expected), `${what}: the next call gives what Generator(77)'s first call gives`);
  }
  // the default generator too
  nn.manualSeed(4242);
  const first = nn.normal(new Float32Array(16));
  nn.manualSeed(4242);
  t.throws(() => nn.normal(new Float32Array(16), { std: NaN }), "default generator: a failing call");
  t.same(Array.from(nn.normal(new Float32Array(16))), Array.from(first), "default generator: not advanced by the failed call");
});

// ---- look-alikes (issue 15): arrays and options that are not what they claim ------------------
/** Names of the getters/methods of a look-alike that ran (a call must run none of them). */
const ran: string[] = [];
/** Gives `target` lying typed-array getters and methods (own properties or on a prototype) that record and misbehave. */
function lying(target: object, what: string, onRun: () => void = () => {}): void {
  const rec = (name: string) => { ran.push(`${what}.${name}`); onRun(); };
  Object.defineProperty(target, "length", { configurable: true, get() { rec("length"); return 256; } });
  Object.defineProperty(target, "byteLength", { configurable: true, get() { rec("byteLength"); return 1024; } });
  Object.defineProperty(target, "byteOffset", { configurable: true, get() { rec("byteOffset"); return 4; } });
  Object.defineProperty(target, "buffer", { configurable: true, get() { rec("buffer"); return new ArrayBuffer(1024); } });
  for (const name of ["set", "fill", "subarray", "slice", "at", "copyWithin", "map"]) {
    Object.defineProperty(target, name, { configurable: true, writable: true, value() { rec(name); throw new Error(`${name} ran`); } });
  }
  Object.defineProperty(target, "constructor", { configurable: true, get() { rec("constructor"); return Object; } });
}
type AnyCtor = Float32ArrayConstructor | Float64ArrayConstructor | Uint16ArrayConstructor;
const CTORS: [string, AnyCtor, object][] = [["f32", Float32Array, {}], ["f64", Float64Array, {}], ["bf16", Uint16Array, { dtype: "bfloat16" }], ["f16", Uint16Array, { dtype: "float16" }]];
const bytesOf = (a: ArrayBufferView): string => bytes(a).toString("hex");
const realLength = (a: ArrayBufferView): number => (Reflect.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype), "length")!.get!).call(a) as number;

/** A plain options bag for m: seeded (random methods). */
const seeded = (m: Method, extra: object = {}) => ({ ...(m.random ? { seed: 5 } : {}), ...extra });

t.test("look-alike out: a subclass or own property whose length getter lies; the true length is used, the getter never runs", async (t) => {
  for (const m of METHODS) {
    for (const [kind, ctor, dt] of CTORS) {
      // a subclass claiming 256 elements (the issue's example) over 12 true ones
      const Lying = class extends (ctor as Float32ArrayConstructor) {};
      Object.defineProperty(Lying.prototype, "length", { get() { ran.push("subclass length"); return 256; } });
      ran.length = 0;
      const fits = new Lying(LEN) as unknown as Float32Array;
      const want = m.call(new ctor(LEN), seeded(m, dt)) as Float32Array;
      t.equal(m.call(fits, seeded(m, dt)), fits, `${m.name} ${kind}: returns out`);
      t.equal(bytesOf(fits), bytesOf(want), `${m.name} ${kind}: the 12 true elements hold the plain array's values`);
      t.same(ran, [], `${m.name} ${kind}: the lying getter never ran`);
      if (m.floats.includes("fanIn")) {
        // a fan-based fill of shape [3, 4] (12) on 8 true elements claiming 256: refused, nothing written
        const short = new Lying(8) as unknown as Float32Array;
        new Uint8Array(short.buffer).fill(0xa5);
        expectFail(t, `${m.name} ${kind}: 8 true elements, length getter says 256`, short, () => m.call(short, seeded(m, dt)), { type: R, mentions: [q("out"), "length 12", "length 8"] });
        // and one claiming the right 12 over 16 true elements
        const Claims12 = class extends (ctor as Float32ArrayConstructor) {};
        Object.defineProperty(Claims12.prototype, "length", { get: () => LEN });
        const long = new Claims12(16) as unknown as Float32Array;
        new Uint8Array(long.buffer).fill(0xa5);
        expectFail(t, `${m.name} ${kind}: 16 true elements, length getter says 12`, long, () => m.call(long, seeded(m, dt)), { type: R, mentions: [q("out"), "length 16"] });
      }
      // a getter that detaches the buffer (own property, and on a subclass): never runs, out stays attached and filled
      for (const where of ["own", "subclass"] as const) {
        ran.length = 0;
        let target: Float32Array;
        const detach = () => { ran.push(`${where} detaching length`); structuredClone(target.buffer, { transfer: [target.buffer as ArrayBuffer] }); return LEN; };
        if (where === "own") {
          target = new ctor(LEN) as Float32Array;
          Object.defineProperty(target, "length", { get: detach });
        } else {
          const Detaching = class extends (ctor as Float32ArrayConstructor) {};
          Object.defineProperty(Detaching.prototype, "length", { get: detach });
          target = new Detaching(LEN);
        }
        m.call(target, seeded(m, dt));
        t.equal(realLength(target), LEN, `${m.name} ${kind} ${where}: a detaching length getter did not run (out still attached)`);
        t.equal(bytesOf(target), bytesOf(want), `${m.name} ${kind} ${where}: filled like a plain array`);
        t.same(ran, [], `${m.name} ${kind} ${where}: no getter ran`);
      }
    }
  }
});

t.test("look-alike out: lying buffer/byteOffset getters and set/fill/subarray/constructor overrides never run", async (t) => {
  for (const m of METHODS) {
    for (const [kind, ctor, dt] of CTORS) {
      const want = bytesOf(m.call(new ctor(LEN), seeded(m, dt)) as Float32Array);
      const Sub = class extends (ctor as Float32ArrayConstructor) {};
      lying(Sub.prototype, "subclass");
      Object.defineProperty(Sub, Symbol.species, { get() { ran.push("species"); return Object; } });
      const es = ctor.BYTES_PER_ELEMENT;
      // [what, its buffer, the byte offset of out in it, out]; a subarray of a bigger buffer gets only its elements
      const cases: [string, ArrayBuffer, number, (b: ArrayBuffer, at: number) => unknown][] = [
        ["own properties", new ArrayBuffer(LEN * es), 0, (b, at) => { const o = new ctor(b, at, LEN); lying(o, "own"); return o; }],
        ["subclass", new ArrayBuffer(LEN * es), 0, (b, at) => new Sub(b, at, LEN)],
        ["subclass at an offset", new ArrayBuffer((LEN + 6) * es), 3 * es, (b, at) => new Sub(b, at, LEN)],
        ["both, at an offset", new ArrayBuffer((LEN + 6) * es), 3 * es, (b, at) => { const o = new Sub(b, at, LEN); lying(o, "own"); return o; }],
      ];
      for (const [what, buffer, at, make] of cases) {
        const out = make(buffer, at);
        ran.length = 0;
        t.doesNotThrow(() => m.call(out, seeded(m, dt)), `${m.name} ${kind} ${what}: fills`);
        t.equal(bytesOf(new ctor(buffer, at, LEN)), want, `${m.name} ${kind} ${what}: the true elements hold the plain array's values`);
        const around = new Uint8Array(buffer);
        t.ok(around.subarray(0, at).every((v) => v === 0) && around.subarray(at + LEN * es).every((v) => v === 0), `${m.name} ${kind} ${what}: nothing written around out`);
        t.same(ran, [], `${m.name} ${kind} ${what}: no getter or method of out ran`);
      }
    }
  }
});

t.test("look-alike out: Proxies, prototype-only objects and other types posing as a Float32Array are TypeErrors naming out", async (t) => {
  for (const m of METHODS) {
    for (const [kind, ctor, dt] of CTORS) {
      const target = sentinel(kind === "f32" ? "f32" : kind === "f64" ? "f64" : "u16");
      let trapped = 0;
      const detachAll = () => { trapped++; try { structuredClone(target.buffer, { transfer: [target.buffer as ArrayBuffer] }); } catch { /* already */ } };
      const traps: ProxyHandler<object> = {
        get: (o, k) => { detachAll(); return Reflect.get(o, k); }, getPrototypeOf: (o) => { detachAll(); return Reflect.getPrototypeOf(o); },
        has: (o, k) => { detachAll(); return Reflect.has(o, k); }, ownKeys: (o) => { detachAll(); return Reflect.ownKeys(o); },
      };
      expectFail(t, `${m.name} ${kind}: a bare Proxy of a typed array`, target, () => m.call(new Proxy(target, {}), seeded(m, dt)), { type: T, mentions: [q("out"), "Proxy"] });
      expectFail(t, `${m.name} ${kind}: a Proxy whose traps detach its target`, target, () => m.call(new Proxy(target, traps), seeded(m, dt)), { type: T, mentions: [q("out"), "Proxy"] });
      t.equal(trapped, 0, `${m.name} ${kind}: no trap ran`);
      t.equal(realLength(target), LEN, `${m.name} ${kind}: the target is still attached`);
      const proto = Object.create(ctor.prototype);
      expectFail(t, `${m.name} ${kind}: Object.create(${ctor.name}.prototype)`, proto, () => m.call(proto, seeded(m, dt)), { type: T, mentions: [q("out"), "typed array prototype"] });
      // (a Float32Array posing as a Uint16Array is a valid type: judged by its true type against the dtype option)
      for (const Base of [Int32Array, Uint8Array, BigInt64Array, ...(ctor === Uint16Array ? [Float32Array] : [])]) {
        // instanceof, constructor, name and toStringTag all say `ctor`; the internal type is Base's
        const Posing = class extends (Base as unknown as Int32ArrayConstructor) {};
        Object.setPrototypeOf(Posing.prototype, ctor.prototype);
        Object.defineProperty(Posing.prototype, Symbol.toStringTag, { get: () => ctor.name });
        Object.defineProperty(Posing.prototype, "constructor", { value: ctor });
        const posing = new Posing(24) as unknown as Float32Array;
        new Uint8Array(posing.buffer).fill(0x5a);
        if (!(posing instanceof ctor)) throw new Error("the posing array should pass instanceof");
        if (Base === Float32Array) {
          expectFail(t, `${m.name} ${kind}: a ${Base.name} posing as a ${ctor.name}`, posing, () => m.call(posing, seeded(m, dt)), { type: R, mentions: [q("dtype"), Base.name] });
          continue;
        }
        expectFail(t, `${m.name} ${kind}: a ${Base.name} posing as a ${ctor.name}`, posing, () => m.call(posing, seeded(m, dt)), { type: T, mentions: [q("out"), Base.name] });
      }
    }
  }
});

t.test("options that are not plain objects (inherited, class instances, Maps, ...) are TypeErrors naming options; null-prototype and non-enumerable own options are read", async (t) => {
  class Getters { get seed() { return 5; } get dtype() { return "float32"; } }
  class Fields { seed = 5; }
  for (const m of METHODS) {
    const key = m.random ? "seed" : "dtype";
    const value = m.random ? 5 : "float32";
    const bad: [string, unknown, string[]][] = [
      [`Object.create({${key}})`, Object.create({ [key]: value }), [q("options"), `"${key}"`, "inherited"]],
      ["Object.create(Object.create(null))", Object.create(Object.create(null)), [q("options"), "plain object"]],
      ["a class instance with getters", new Getters(), [q("options"), `"${key}"`]],
      ["a class instance with own fields", new Fields(), [q("options"), "plain object"]],
      [`a Map [[${key}, ${String(value)}]]`, new Map([[key, value]]), [q("options"), "Map", "map entries"]],
      ["a Set", new Set([key]), [q("options"), "Set"]],
      ["a boxed number", new Number(5), [q("options"), "Number"]],
      ["a Date", new Date(0), [q("options"), "Date"]],
      ["a Float32Array", new Float32Array(2), [q("options"), "Float32Array"]],
      ["an Error", new Error("x"), [q("options"), "Error"]],
      ["a Promise", Promise.resolve(), [q("options"), "Promise"]],
      ["a Proxy claiming Map.prototype", new Proxy({ [key]: value }, { getPrototypeOf: () => Map.prototype }), [q("options")]],
    ];
    for (const [what, opts, mentions] of bad) {
      const g = new nn.Generator(9);
      const out = sentinel();
      expectFail(t, `${m.name}: options = ${what}`, out, () => m.call(out, opts), { type: T, mentions });
      if (m.random) {
        const inheritedGen = Object.create({ generator: g });
        expectFail(t, `${m.name}: options inheriting "generator"`, out, () => m.call(out, inheritedGen), { type: T, mentions: [q("options"), '"generator"'] });
        t.equal(g.state, 9n, `${m.name}: the inherited Generator did not advance`);
      }
    }
    // what is read: own properties of plain objects, enumerable or not, each getter once
    const want = bytesOf(m.call(new Float32Array(LEN), seeded(m)) as Float32Array);
    const nullProto = Object.assign(Object.create(null), seeded(m));
    const hidden = Object.defineProperties({}, Object.fromEntries(Object.entries(seeded(m)).map(([k, v]) => [k, { value: v, enumerable: false }])));
    let reads = 0;
    const getter = Object.defineProperty({}, key, { enumerable: false, get: () => { reads++; return value; } });
    const foreign = runInNewContext(m.random ? "({ seed: 5 })" : "({})");
    for (const [what, opts] of [["a null-prototype object", nullProto], ["non-enumerable own properties", hidden], ["a frozen plain object", Object.freeze(seeded(m))], ["an object literal of another realm (vm)", foreign]] as const) {
      const out = new Float32Array(LEN);
      t.doesNotThrow(() => m.call(out, opts), `${m.name}: ${what} accepted`);
      t.equal(bytesOf(out), want, `${m.name}: ${what} read like a plain object`);
    }
    const out = new Float32Array(LEN);
    m.call(out, getter);
    t.equal(reads, 1, `${m.name}: a non-enumerable own getter is read exactly once`);
    const unknown = Object.defineProperty(Object.create(null), "sead", { value: 5, enumerable: false });
    expectFail(t, `${m.name}: a non-enumerable unknown option`, out, () => m.call(out, unknown), { type: R, mentions: [q("options"), "sead"] });
  }
});

t.test("naturalDType (for nninit/model's fillTensor and fillBlock): the array's true type, an error naming the array passed", async (t) => {
  t.equal(naturalDType(new Float32Array(1)), "float32");
  t.equal(naturalDType(new Float64Array(1)), "float64");
  t.equal(naturalDType(new Uint16Array(1)), undefined);
  const Posing = class extends Int32Array {};
  Object.setPrototypeOf(Posing.prototype, Float32Array.prototype);
  for (const [what, v, mention] of [["Int32Array", new Int32Array(2), "Int32Array"], ["Int32Array posing as Float32Array", new Posing(2), "Int32Array"], ["Uint8Array", new Uint8Array(2), "Uint8Array"],
    ["a Proxy", new Proxy(new Float32Array(2), {}), "Proxy"], ["an array", [1, 2], "array"], ["null", null, "null"]] as const) {
    expectFail(t, `naturalDType(${what})`, undefined, () => naturalDType(v), { type: T, mentions: [q("out"), mention] });
  }
});

t.test("nninit/model: fillTensor and fillBlock with an Int32Array name the array passed", async (t) => {
  const spec = [{ name: "w", shape: [2, 3], init: "normal" as const }];
  for (const [name, call] of [["fillTensor", (o: unknown) => model.fillTensor(spec, "w", o as Float32Array, { seed: 1 })], ["fillBlock", (o: unknown) => model.fillBlock(spec, "w", o as Float32Array, { seed: 1 })]] as const) {
    const out = new Int32Array(6).fill(7);
    expectFail(t, `${name}(Int32Array)`, out, () => call(out), { type: T, mentions: [q("out"), "Int32Array"] });
  }
});

// ---- the method table (lib/plan/methods.ts) against the exports, the options and the bench ----
/**
 * The function exports of lib/index.ts that are no fill method (a class and helpers), and its
 * value exports that are no function. Every other export of lib/index.ts, and every export of
 * lib/promises.ts, is a fill method of the table: a new fill method goes into FILL_METHODS and both
 * entry points, a new export of another kind into one of these lists.
 */
const NON_METHOD_FUNCTIONS = ["Generator", "manualSeed", "computeFans", "calculateGain"];
const NON_FUNCTION_VALUES = ["TRUNCATED_STD", "defaultGenerator", "STREAM_VERSION", "BLOCK_SIZE", "backend"];

/** Calls a table method the way its operand says, with `options`. */
function callTable(fns: Record<string, Fn>, m: (typeof FILL_METHODS)[number], options: unknown): unknown {
  const out = new Float32Array(LEN);
  if (m.operand === "shape") return fns[m.name](out, SHAPE, options);
  if (m.operand === "value") return fns[m.name](out, 0.5, options);
  if (m.operand === "data") return fns[m.name](out, new Float32Array(6), options);
  return fns[m.name](out, options);
}

t.test("the method table agrees with the exports of nninit and nninit/promises", async (t) => {
  const names = FILL_METHODS.map((m) => m.name);
  t.equal(new Set(names).size, names.length, "each method is in the table once");
  const exported = (ns: object, fn: boolean) => Object.keys(ns).filter((k) => (typeof (ns as Record<string, unknown>)[k] === "function") === fn).sort();
  t.same(exported(nn, true), [...names, ...NON_METHOD_FUNCTIONS].sort(), "lib/index.ts: its functions are the table's methods and NON_METHOD_FUNCTIONS");
  t.same(exported(nn, false), [...NON_FUNCTION_VALUES].sort(), "lib/index.ts: its other values are NON_FUNCTION_VALUES");
  t.same(exported(promises, false), [], "lib/promises.ts exports only functions");
  t.same(exported(promises, true), FILL_METHODS.filter((m) => m.promise).map((m) => m.name).sort(), "lib/promises.ts: its functions are the table's methods with a promise form");
  for (const m of FILL_METHODS) t.equal(methodInfo(m.name), m, `methodInfo("${m.name}")`);
  t.equal(methodInfo("Generator"), undefined, "methodInfo of a non-method");
  // INITS is public (nninit/model, and its error message lists it): the table's order keeps it as it was
  t.same([...model.INITS], ["normal", "uniform", "truncNormal", "constant", "zeros", "ones", "xavierUniform", "xavierNormal",
    "kaimingUniform", "kaimingNormal", "lecunUniform", "lecunNormal", "varianceScaling"], "INITS: the table's init methods, in their historical order");
});

t.test("the table's option lists are the options each method accepts, sync and promise form", async (t) => {
  for (const m of FILL_METHODS) {
    let message = "";
    try {
      callTable(api, m, { zzz: 1 });
    } catch (e) {
      message = (e as Error).message;
    }
    t.same(/\(valid: ([^)]*)\)/.exec(message)?.[1].split(", "), m.options, `${m.name}: accepts ${m.options.join(", ")}`);
    if (m.promise && typeof (promises as Record<string, unknown>)[m.name] === "function") { // (a missing one fails the test above)
      const p = callTable(promises as unknown as Record<string, Fn>, m, { zzz: 1 }) as Promise<unknown>;
      await t.rejects(p, { name: "RangeError", message }, `${m.name}: the promise form rejects the same way`);
    }
    t.same(m.numbers.filter((k) => !m.options.includes(k)), [], `${m.name}: its number options are options`);
    t.equal(m.random, m.options.includes("seed") && m.options.includes("generator"), `${m.name}: random iff it takes seed and generator`);
  }
});

t.test("bench/cases/methods.ts has a case for each elementwise, fan and constant method of the table", async (t) => {
  // (zeros and ones are the constant row: the same fill with another value)
  const want = FILL_METHODS.filter((m) => m.family !== "matrix" && m.value === undefined).map((m) => m.name).sort();
  t.same(BENCH_METHODS.map((c) => c.id).sort(), want, "bench ids = the table's elementwise, fan and constant methods");
});

// --- the import graph of lib/ (docs/architecture.md: api/ -> plan/; api/ -> backend/select -> each
// backend -> plan/, stream/, math/, linalg/; plan/ knows no backend) --------------------------------

const ROOT = join(typeof __dirname === "string" ? __dirname : join(process.cwd(), "test"), "..");
const LIB = join(ROOT, "lib");

/** Every .ts file under lib/, as "dir/file.ts" relative to lib/, with its source. */
function libSources(): Map<string, string> {
  const walk = (d: string): string[] => readdirSync(d, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : e.name.endsWith(".ts") ? [join(d, e.name)] : []));
  return new Map(walk(LIB).sort().map((f) => [relative(LIB, f).split("\\").join("/"), readFileSync(f, "utf8")]));
}

/**
 * The relative imports of each file (type-only ones included: a type import is an arrow too): `import
 * ... from`, `export ... from`, side-effect `import "x"` and `require("./x")`, resolved to lib/ paths.
 */
function importGraph(sources: Map<string, string>): Map<string, string[]> {
  const re = /^\s*(?:import|export)\s+(?:[^;"'`]*?\sfrom\s+)?["'](\.[^"']+)["']|\brequire\(\s*["'](\.[^"']+)["']\s*\)/gm;
  const graph = new Map<string, string[]>();
  for (const [file, src] of sources) {
    const to = [...src.matchAll(re)].map((m) => join(dirname(file), (m[1] ?? m[2]).replace(/\.js$/, ".ts")).split("\\").join("/"));
    graph.set(file, [...new Set(to)]);
  }
  return graph;
}

/** The import cycles: strongly connected components of more than one file (or a file importing itself), Tarjan's algorithm. */
function importCycles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>(), low = new Map<string, number>(), stack: string[] = [], on = new Set<string>();
  const cycles: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next); low.set(v, next); next++;
    stack.push(v); on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) { visit(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); }
      else if (on.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const scc: string[] = [];
    let w: string;
    do { w = stack.pop()!; on.delete(w); scc.push(w); } while (w !== v);
    if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(scc.sort());
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return cycles.sort((a, b) => a[0].localeCompare(b[0]));
}

/**
 * Where each layer of lib/ may import from (its own directory always). The entry points (index.ts,
 * promises.ts) and the layers above the fills (model/, cli/, tfjs/) are not restricted here.
 */
const LAYERS: Record<string, readonly string[]> = {
  "plan": [], // pure: no backend, no API
  "stream": ["math"],
  "math": [],
  "linalg": [],
  "backend": ["plan", "stream", "math", "linalg"],
  "api": ["plan", "stream", "math", "linalg", "backend/select.ts", "backend/types.ts"],
};

/** Every arrow of `graph` that runs the wrong way, as "from -> to" (an unresolved import counts too). */
function layerViolations(graph: Map<string, string[]>): string[] {
  const bad: string[] = [];
  for (const [from, tos] of graph) {
    const layer = from.split("/")[0];
    for (const to of tos) {
      if (!graph.has(to)) { bad.push(`${from} -> ${to} (no such file)`); continue; }
      const allowed = LAYERS[layer];
      if (allowed === undefined) continue;
      const ok = to.split("/")[0] === layer || allowed.some((a) => (a.endsWith(".ts") ? to === a : to.split("/")[0] === a));
      // inside backend/, select.ts picks the backends: nothing there imports it back
      if (!ok || (layer === "backend" && to === "backend/select.ts")) bad.push(`${from} -> ${to}`);
    }
  }
  return bad;
}

t.test("the import graph of lib/ has no cycle and no arrow running backwards (docs/architecture.md)", async (t) => {
  const graph = importGraph(libSources());
  t.ok(graph.size > 50 && [...graph.values()].some((e) => e.length > 0), `${graph.size} files under lib/ read`);
  t.ok(graph.get("api/execute.ts")?.includes("backend/select.ts"), "the parser sees api/execute.ts -> backend/select.ts");
  t.ok(graph.get("plan/plan.ts")?.includes("plan/validate.ts"), "and a type-only import (plan/plan.ts -> plan/validate.ts)");
  t.same(importCycles(graph), [], "no import cycle");
  t.same(layerViolations(graph), [], "every import follows LAYERS (plan/ imports no backend/ or api/, backend/ no api/, ...)");
  // the checks can fail: the same graph with one bad arrow each
  const withEdge = (from: string, to: string) => new Map([...graph, [from, [...graph.get(from)!, to]]]);
  t.same(importCycles(withEdge("backend/types.ts", "api/execute.ts")).filter((c) => c.includes("api/execute.ts")).length, 1,
    "negative control: backend/types.ts -> api/execute.ts closes a cycle");
  t.same(layerViolations(withEdge("plan/plan.ts", "backend/jsKernels.ts")), ["plan/plan.ts -> backend/jsKernels.ts"],
    "negative control: plan/plan.ts -> backend/jsKernels.ts runs backwards");
  t.same(layerViolations(withEdge("backend/native.ts", "backend/select.ts")), ["backend/native.ts -> backend/select.ts"],
    "negative control: a backend importing select.ts runs backwards");
});

t.test("kernel ids: lib/plan/plan.ts KERNELS = native/core/types.h's KernelId enum, same ids, same order", async (t) => {
  const header = readFileSync(join(ROOT, "native", "core", "types.h"), "utf8");
  const body = /enum\s+class\s+KernelId\b[^{]*\{([^}]*)\}/.exec(header)?.[1];
  t.ok(body !== undefined, "native/core/types.h declares enum class KernelId");
  const entries = (body ?? "").split(",").map((e) => e.trim()).filter((e) => e !== "").map((e) => /^k(\w+?)(?:\s*=\s*(\d+))?$/.exec(e));
  t.ok(entries.every((m) => m !== null), "every enumerator is kName or kName = <int>");
  const ids = entries.map((m) => m![1][0].toLowerCase() + m![1].slice(1));
  t.same(ids, [...KERNELS], "the enum's ids (kTruncNormal -> truncNormal) are KERNELS, in order");
  t.same(entries.map((m, i) => (m![2] === undefined ? i : Number(m![2]))), KERNELS.map((_, i) => i), "each enumerator's value is its index");
  t.equal(Number(/constexpr\s+int\s+kKernelCount\s*=\s*(\d+)/.exec(header)?.[1]), KERNELS.length, "kKernelCount = KERNELS.length");
  t.equal(/kParamCount\[kKernelCount\]\s*=\s*\{([^}]*)\}/.exec(header)?.[1].split(",").length, KERNELS.length, "kParamCount has one entry per kernel");
  // the JS backend's kernel table (lib/backend/jsKernels.ts takes the ids and P_MIN from lib/plan/plan.ts)
  t.same(Object.keys(jsKernels.BLOCK_KERNELS), [...KERNELS], "BLOCK_KERNELS: one block kernel per id, in order");
  const own = jsKernels as unknown as { KERNELS?: readonly string[]; P_MIN?: number };
  if (own.KERNELS !== undefined) t.same([...own.KERNELS], [...KERNELS], "jsKernels.ts's KERNELS = lib/plan/plan.ts's");
  if (own.P_MIN !== undefined) t.equal(own.P_MIN, P_MIN, "jsKernels.ts's P_MIN = lib/plan/plan.ts's");
});
