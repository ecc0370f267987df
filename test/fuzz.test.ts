/**
 * Property-based tests (fast-check) over the public API (issue #8). Fixed seeds and run counts in
 * CI; NNINIT_FUZZ_RUNS=<k> multiplies every run count for a longer local run, NNINIT_FUZZ_SEED=<n>
 * shifts the seeds (another sample). A failure lists the case; fast-check's seed/path replay it.
 *
 * - valid calls: random methods, dtypes, shapes (zero-size dims too), seeds (numbers, bigints up
 *   to 2^64 - 1, Generators), shard offsets, threads 1..8, frozen options, outputs with canaries
 *   around them (subarrays of ordinary or shared buffers). The public sync call (active backend),
 *   every native ISA and nninit/promises must give exactly the bytes of the pure-TS reference
 *   (lib/backend/js.ts) run on the captured plan, and a call takes exactly one Generator key;
 * - invalid calls: one argument made bad (wrong type, NaN/±Infinity, beyond float32, negative or
 *   fractional sizes, shape/length mismatch, offsets past the end, unknown keys and enum values,
 *   seeds out of range, detached outputs, getters that throw or detach `out` mid-call, look-alike
 *   Generators, look-alike arrays (Proxies, prototype-only objects, subclasses of other types,
 *   subclasses whose `length` lies about a wrong true length), look-alike options (inherited,
 *   class instances, Maps) and look-alike signals) must throw a TypeError/RangeError with Node's
 *   code whose message names the argument (a getter's own error propagates as is), promises must
 *   reject instead, and `out` (with its canaries) and the Generator must stay unchanged;
 * - look-alikes in valid calls (issue 15): `out` may be a subclass or carry own properties whose
 *   length/buffer/byteOffset getters and set/fill/subarray methods lie, options may have a null
 *   prototype or non-enumerable properties, and the promises call may get a real AbortSignal
 *   whose own or inherited members detach `out`: the bytes must still equal the reference built
 *   from a plain array and plain options, and none of those getters or methods may run;
 * - shard splits concatenate to the whole fill; Generator sequences replay after manualSeed;
 *   model shards reassemble to initModel's tensor; computeFans/calculateGain match their formulas;
 * - the raw binding, called with random argument vectors, throws only TypeError/RangeError and
 *   never writes outside `out`;
 * - matrix methods (orthogonal, eye/identity, dirac, sparse, zca; they make no FillPlan): valid
 *   calls (2-D..5-D shapes, both layouts, gains, groups, sparsities, zca data, every dtype,
 *   threads) run the captured job on the JS backend, the active backend and a native ISA: sync and
 *   promises equal the active backend bit for bit, native equals JS bit for bit (orthogonal: within
 *   1e-5·|gain|, its QR rounding depends on the ISA) and orthogonal is thread-count independent;
 *   the values are checked independently (eye/dirac index loops, QᵀQ = I, sparse's zeros per
 *   column and normal-stream values, zca's symmetry and W(C + εI)W = I, every dtype = the float32
 *   result converted); invalid calls get the shared mutations plus each method's own.
 * The methods come from the method table (lib/plan/methods.ts): an element-wise, fan or constant
 * method of it needs its valid options, enums and constraints in DETAILS here (the type requires
 * one entry per method; `dtypes` if it writes fewer dtypes); a matrix method needs an entry in
 * GEOMETRY and MATRIX_WEIGHTS (required by their types), its mutations in matrixMutationsFor and
 * its value checks in checkMatrixValid.
 */
import t from "tap";
import fc from "fast-check";
import * as nn from "../lib/index.js";
import * as promises from "../lib/promises.js";
import * as model from "../lib/model/index.js";
import { captureJob, capturePlan } from "../lib/api/execute.js";
import { active, jsBackend, nativeBackendFor, nativeBinding, nativeIsas, type Backend } from "../lib/backend/select.js";
import { bytes as view } from "./helpers.js";
import { decodeBf16, decodeF16 } from "./fixtures/stats.js";
import { bf16FromBits, f16FromBits } from "../lib/math/halfFloat.js";
import { NONLINEARITIES } from "../lib/plan/gain.js";
import { FILL_METHODS, methodInfo, type MethodName, type MethodNamesOf } from "../lib/plan/methods.js";
import { DTYPES, F32_MAX, type DType, type OutArray } from "../lib/plan/validate.js";
import type { FillPlan } from "../lib/plan/plan.js";

// ---- run counts -----------------------------------------------------------------------------
const SCALE = (() => {
  const v = process.env.NNINIT_FUZZ_RUNS;
  if (v === undefined || v === "") return 1;
  if (!/^[1-9]\d*$/.test(v)) throw new Error(`NNINIT_FUZZ_RUNS must be a positive integer. Received "${v}"`);
  return Number(v);
})();
/** NNINIT_FUZZ_SEED=<n> shifts every seed (a different sample for a long local run). */
const SEED_SHIFT = (() => {
  const v = process.env.NNINIT_FUZZ_SEED;
  if (v === undefined || v === "") return 0;
  if (!/^\d+$/.test(v)) throw new Error(`NNINIT_FUZZ_SEED must be a non-negative integer. Received "${v}"`);
  return Number(v);
})();
const runs = (seed: number, numRuns: number) => ({ seed: (seed + SEED_SHIFT) | 0, numRuns: numRuns * SCALE, endOnFailure: true });

// ---- the method table -------------------------------------------------------------------------
type Fns = Record<string, (...args: unknown[]) => unknown>;
const SYNC = nn as unknown as Fns;
const ASYNC = promises as unknown as Fns;
const B = nn.BLOCK_SIZE;
const GAMMA = 0x9e3779b97f4a7c15n;
const U64 = (1n << 64n) - 1n;

type Kind = "elementwise" | "fan" | "constant";
interface Method {
  name: string;
  kind: Kind;
  /** Valid method-specific options (a constant's value travels as options.value here). */
  options: fc.Arbitrary<Record<string, unknown>>;
  /** Number-valued options (NaN, ±Infinity, > FLT_MAX and wrong types are tried on each). */
  numbers: readonly string[];
  /** Enum-valued options and their valid values. */
  enums: Readonly<Record<string, readonly string[]>>;
  /** Valid-typed values that break a constraint: [options to merge, the name the error must show]. */
  constraints: fc.Arbitrary<[Record<string, unknown>, string]>;
  /** Takes a stream key (seed/generator options). */
  random: boolean;
  /** false: the method fills whole tensors only (no `offset` shards; e.g. a matrix method). */
  offsets?: boolean;
  /** The dtypes it writes (default: all four). */
  dtypes?: readonly DType[];
}

const small = fc.double({ min: -10, max: 10, noNaN: true });
const wide = fc.oneof(small, fc.double({ min: -1e37, max: 1e37, noNaN: true }), fc.constantFrom(0, -0, 1e-45, -3e-39, 65504, 65520));
const positive = (min: number, max: number) => fc.double({ min, max, noNaN: true });
const none = fc.constant({} as Record<string, unknown>);
const noConstraint = fc.constant<[Record<string, unknown>, string]>([{ low: 1, high: 0 }, '"high"']);
const fanOverrides = fc.record({ fanIn: positive(0.5, 1e5), fanOut: positive(0.5, 1e5) }, { requiredKeys: [] });
const withFans = (a: fc.Arbitrary<Record<string, unknown>>) => fc.tuple(a, fanOverrides).map(([x, y]) => ({ ...x, ...y }));
const fanConstraints = (extra: fc.Arbitrary<[Record<string, unknown>, string]>[] = []) =>
  fc.oneof(
    positive(-1e6, 0).map((v): [Record<string, unknown>, string] => [{ fanIn: v }, '"fanIn"']),
    positive(-1e6, 0).map((v): [Record<string, unknown>, string] => [{ fanOut: v }, '"fanOut"']),
    ...extra,
  );

const KAIMING_MODES = ["fanIn", "fanOut"];
const kaimingOpts = fc.record({ a: positive(-5, 5), mode: fc.constantFrom(...KAIMING_MODES), nonlinearity: fc.constantFrom(...NONLINEARITIES) }, { requiredKeys: [] });
const kaimingEnums = { mode: KAIMING_MODES, nonlinearity: NONLINEARITIES as readonly string[] };
const gainOpts = fc.record({ gain: positive(0, 10) }, { requiredKeys: [] });
const badGain = positive(-1e6, -1e-300).map((v): [Record<string, unknown>, string] => [{ gain: v }, '"gain"']);

/** What the fuzzer draws for a method of the table: valid options (fan methods: without fanIn/fanOut, added here), enums, constraint breaks. */
interface Details {
  options: fc.Arbitrary<Record<string, unknown>>;
  enums?: Method["enums"];
  /** Random methods only. */
  constraints?: Method["constraints"];
  dtypes?: readonly DType[];
}
const DETAILS: { readonly [K in Exclude<MethodName, MethodNamesOf<"matrix">>]: Details } = {
  uniform: {
    options: fc.oneof(none, fc.tuple(wide, wide).map(([x, y]) => ({ low: Math.min(x, y), high: Math.max(x, y) }))),
    constraints: fc.tuple(wide, positive(1e-3, 1e6)).map(([low, d]): [Record<string, unknown>, string] => [{ low, high: low - d - Math.abs(low) * 1e-3 }, '"high"']),
  },
  normal: {
    options: fc.record({ mean: wide, std: positive(0, 1e30) }, { requiredKeys: [] }),
    constraints: positive(-1e30, -1e-300).map((std): [Record<string, unknown>, string] => [{ std }, '"std"']),
  },
  truncNormal: {
    options: fc.oneof(none, fc.record({ mean: positive(-100, 100), std: positive(1e-3, 100) }),
      fc.tuple(positive(-100, 100), positive(1e-3, 100), positive(-12, 12), positive(-12, 12))
        .map(([mean, std, za, zb]) => ({ mean, std, a: mean + Math.min(za, zb) * std, b: mean + Math.max(za, zb) * std }))
        .filter((o) => o.a < o.b)),
    constraints: fc.oneof(
      positive(-1e6, 0).map((std): [Record<string, unknown>, string] => [{ std }, '"std"']),
      fc.tuple(small, positive(0, 5)).map(([a, d]): [Record<string, unknown>, string] => [{ a, b: a - d }, '"b"']),
    ),
  },
  xavierUniform: { options: gainOpts, constraints: fanConstraints([badGain]) },
  xavierNormal: { options: gainOpts, constraints: fanConstraints([badGain]) },
  kaimingUniform: { options: kaimingOpts, enums: kaimingEnums, constraints: fanConstraints() },
  kaimingNormal: { options: kaimingOpts, enums: kaimingEnums, constraints: fanConstraints() },
  lecunUniform: { options: none, constraints: fanConstraints() },
  lecunNormal: { options: none, constraints: fanConstraints() },
  varianceScaling: {
    options: fc.record({ scale: positive(1e-3, 100), mode: fc.constantFrom("fanIn", "fanOut", "fanAvg"), distribution: fc.constantFrom("truncatedNormal", "untruncatedNormal", "uniform") }, { requiredKeys: [] }),
    enums: { mode: ["fanIn", "fanOut", "fanAvg"], distribution: ["truncatedNormal", "untruncatedNormal", "uniform"] },
    constraints: fanConstraints([positive(-1e6, 0).map((v): [Record<string, unknown>, string] => [{ scale: v }, '"scale"'])]),
  },
  // a constant's value travels as options.value here
  constant: { options: fc.record({ value: wide }) },
  zeros: { options: none },
  ones: { options: none },
};

/** The table's element-wise, fan and constant methods, in its order. */
export const METHODS: readonly Method[] = FILL_METHODS.filter((m) => m.family !== "matrix").map((m): Method => {
  const d = DETAILS[m.name as keyof typeof DETAILS];
  return {
    name: m.name,
    kind: m.family as Kind,
    options: m.family === "fan" ? withFans(d.options) : d.options,
    numbers: m.operand === "value" ? ["value"] : m.numbers,
    enums: d.enums ?? {},
    constraints: d.constraints ?? noConstraint,
    random: m.random,
    ...(m.offsets ? {} : { offsets: false }),
    ...(d.dtypes === undefined ? {} : { dtypes: d.dtypes }),
  };
});

// ---- cases ------------------------------------------------------------------------------------
type Key = { mode: "seed"; seed: number | bigint } | { mode: "generator"; seed: bigint };
/** How a valid call is made, for element-wise and matrix cases alike (MatrixCase below). */
interface CallStyle {
  dtype: DType;
  /** Whether dtype is passed explicitly (it must be for Uint16Array). */
  explicitDtype: boolean;
  key: Key;
  threads: number | undefined;
  frozen: boolean;
  shared: boolean;
  /** Canary elements on each side of `out`. */
  pad: number;
  /** Index into nativeIsas (mod its length). */
  isa: number;
  /** `out` is a plain typed array, a lying subclass instance, or one with lying own properties. */
  lookalike: Lookalike;
  /** The options bag: a plain object, a null-prototype one, or one with non-enumerable properties. */
  optionsStyle: OptionsStyle;
  /** The promises call gets a real AbortSignal whose own or inherited members detach `out`. */
  hostileSignal: "none" | "own" | "inherited";
}
interface Case extends CallStyle {
  method: Method;
  shape: number[] | undefined;
  layout: "torch" | "keras" | undefined;
  offset: number | undefined;
  length: number;
  extra: Record<string, unknown>;
}

const MAX = Number.MAX_SAFE_INTEGER;
const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);
const shapeArb = (layout: "torch" | "keras") =>
  fc.oneof(
    fc.array(fc.integer({ min: 0, max: 160 }), { minLength: 2, maxLength: 2 }),
    fc.array(fc.integer({ min: 0, max: 14 }), { minLength: layout === "torch" ? 2 : 0, maxLength: 4 }),
    fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 5000 })),
    fc.tuple(fc.integer({ min: 64, max: 300 }), fc.integer({ min: 256, max: 900 })), // above the inline thresholds
  ).map((s) => [...s]).filter((s) => sizeOf(s) <= 3 * B + 500 || (s.length === 2 && s[0] >= 64 && s[1] >= 256));
/** [offset or undefined (the whole tensor), length] inside a tensor of `size` elements. */
const rangeIn = (size: number) =>
  fc.oneof(
    fc.constant<[number | undefined, number]>([undefined, size]),
    fc.tuple(fc.integer({ min: 0, max: size }), fc.integer({ min: 0, max: size })).map(([a, b]): [number | undefined, number] => [Math.min(a, b), Math.abs(a - b)]),
  );
// (lengths above the native inline thresholds, 64 Ki / 256 Ki elements, make `threads` matter)
const lengthArb = fc.oneof(
  { arbitrary: fc.integer({ min: 0, max: 40 }), weight: 6 },
  { arbitrary: fc.integer({ min: 0, max: 3 * B + 9 }), weight: 6 },
  { arbitrary: fc.constantFrom(B - 1, B, B + 1, 2 * B), weight: 3 },
  { arbitrary: fc.integer({ min: 65_536, max: 270_000 }), weight: 1 },
);
const unboundedRange = lengthArb.chain((n) =>
  fc.tuple(fc.oneof(
    fc.constant(undefined),
    fc.integer({ min: 0, max: 3 * B }),
    fc.integer({ min: 0, max: MAX - n }),
    fc.integer({ min: 0, max: 3 * B }).map((d) => Math.max(0, MAX - n - d)),
  ), fc.constant(n)));
const keyArb: fc.Arbitrary<Key> = fc.oneof(
  fc.oneof(fc.maxSafeNat(), fc.bigInt({ min: 0n, max: U64 }), fc.constantFrom<number | bigint>(0, 0n, U64, 1n << 63n, MAX)).map((seed): Key => ({ mode: "seed", seed })),
  fc.bigInt({ min: 0n, max: U64 }).map((seed): Key => ({ mode: "generator", seed })),
);

// ---- look-alikes (issue 15) ---------------------------------------------------------------------
type Lookalike = "none" | "subclass" | "ownProps";
type OptionsStyle = "plain" | "nullProto" | "hidden";
const lookArb = fc.record({
  lookalike: fc.constantFrom<Lookalike>("none", "none", "subclass", "ownProps"),
  optionsStyle: fc.constantFrom<OptionsStyle>("plain", "plain", "nullProto", "hidden"),
  hostileSignal: fc.constantFrom<"none" | "own" | "inherited">("none", "none", "own", "inherited"),
});
/**
 * The draws of a CallStyle, in two groups that stand at the same places in every case's fc.record
 * (it draws in key order: moving a field changes every fixed-seed sample): KEY_ARBS right after
 * dtype, STYLE_ARBS last. callStyle turns such a record into the CallStyle.
 */
const KEY_ARBS = {
  explicitDtype: fc.boolean(),
  key: keyArb,
  threads: fc.option(fc.integer({ min: 1, max: 8 }), { nil: undefined }),
};
const STYLE_ARBS = {
  frozen: fc.boolean(),
  shared: fc.boolean(),
  pad: fc.integer({ min: 0, max: 9 }),
  isa: fc.nat(7),
  look: lookArb,
};
/** The values a record of arbitraries draws. */
type Drawn<T> = { [K in keyof T]: T[K] extends fc.Arbitrary<infer V> ? V : never };
type StyleDraw = { dtype: DType } & Drawn<typeof KEY_ARBS> & Drawn<typeof STYLE_ARBS>;
const callStyle = (r: StyleDraw): CallStyle => ({
  dtype: r.dtype, explicitDtype: r.explicitDtype || r.dtype === "bfloat16" || r.dtype === "float16",
  key: r.key, threads: r.threads, frozen: r.frozen, shared: r.shared, pad: r.pad, isa: r.isa, ...r.look,
});
/** A case's plain twin: a plain typed array and plain options (the reference of a look-alike call). */
const plain = <C extends { lookalike: Lookalike; optionsStyle: OptionsStyle; hostileSignal: string }>(c: C): C =>
  ({ ...c, lookalike: "none", optionsStyle: "plain", hostileSignal: "none" });
/** Every look-alike getter or method that ran (a valid call must run none of them). */
const tripped: string[] = [];
/** Makes `target`'s typed-array getters and methods lie (and record that they ran). */
function lie(target: object, kind: string): void {
  const rec = (name: string) => void tripped.push(`${kind} ${name}`);
  for (const name of ["length", "byteLength", "byteOffset"]) {
    Object.defineProperty(target, name, { configurable: true, get() { rec(name); return 3; } });
  }
  Object.defineProperty(target, "buffer", { configurable: true, get() { rec("buffer"); return new ArrayBuffer(64); } });
  for (const name of ["set", "fill", "subarray", "slice", "copyWithin", "map", "forEach", "every", Symbol.iterator]) {
    Object.defineProperty(target, name, { configurable: true, writable: true, value() { rec(String(name)); throw new Error(`out.${String(name)} ran`); } });
  }
  Object.defineProperty(target, "constructor", { configurable: true, get() { rec("constructor"); return Object; } });
}
const HOSTILE = new Map<Ctor, Ctor>();
/** A subclass of `ctor` whose getters and methods lie (and whose species is not a typed array). */
function hostileClass(ctor: Ctor): Ctor {
  let sub = HOSTILE.get(ctor);
  if (sub === undefined) {
    sub = class extends (ctor as Float32ArrayConstructor) {} as unknown as Ctor;
    lie(sub.prototype, "subclass");
    Object.defineProperty(sub, Symbol.species, { get() { tripped.push("subclass species"); return Object; } });
    HOSTILE.set(ctor, sub);
  }
  return sub;
}
/** `out` of a case: a plain typed array or a look-alike over the same memory. */
function makeOut(ctor: Ctor, buffer: ArrayBufferLike, byteOffset: number, length: number, look: Lookalike): OutArray {
  if (look === "subclass") return new (hostileClass(ctor))(buffer as ArrayBuffer, byteOffset, length);
  const out = new ctor(buffer as ArrayBuffer, byteOffset, length);
  if (look === "ownProps") lie(out, "own");
  return out;
}
/** The options object in `style`: the same own properties, on a null prototype or non-enumerable. */
function styleOptions(options: Record<string, unknown>, style: OptionsStyle): Record<string, unknown> {
  if (style === "plain") return options;
  const o: Record<string, unknown> = style === "nullProto" ? Object.create(null) : {};
  for (const [k, v] of Object.entries(options)) Object.defineProperty(o, k, { value: v, enumerable: style === "nullProto", writable: true, configurable: true });
  return o;
}
/**
 * A real AbortSignal (never aborted) whose members, own or on an inserted prototype, record that
 * they ran and transfer `buffer` away (when it can be): the call must use none of them.
 */
function hostileSignal(where: "own" | "inherited", buffer: ArrayBufferLike): AbortSignal {
  const signal = new AbortController().signal;
  const rec = (name: string) => {
    tripped.push(`signal ${name}`);
    if (buffer instanceof ArrayBuffer && buffer.byteLength > 0) structuredClone(buffer, { transfer: [buffer] });
  };
  const target = where === "own" ? signal : Object.create(AbortSignal.prototype);
  for (const name of ["aborted", "reason", "onabort"]) Object.defineProperty(target, name, { configurable: true, get() { rec(name); return name === "aborted" ? false : undefined; } });
  for (const name of ["throwIfAborted", "addEventListener", "removeEventListener", "dispatchEvent"]) {
    Object.defineProperty(target, name, { configurable: true, writable: true, value() { rec(name); } });
  }
  if (where === "inherited") Object.setPrototypeOf(signal, target);
  return signal;
}
/** Whether two typed arrays are views of the same elements. */
const sameMemory = (x: OutArray, y: unknown): boolean => ArrayBuffer.isView(y) && y.buffer === x.buffer && y.byteOffset === x.byteOffset && (y as OutArray).length === x.length;

const caseArb: fc.Arbitrary<Case> = fc.constantFrom(...METHODS).chain((method) => {
  const geometry = method.kind === "fan"
    ? fc.constantFrom<"torch" | "keras">("torch", "keras").chain((layout) =>
      shapeArb(layout).chain((shape) => (method.offsets === false ? fc.constant<[number | undefined, number]>([undefined, sizeOf(shape)]) : rangeIn(sizeOf(shape)))
        .map(([offset, length]) => ({ shape, layout, offset, length }))))
    : unboundedRange.map(([offset, length]) => ({ shape: undefined, layout: undefined, offset, length }));
  return fc.record({
    geometry,
    dtype: fc.constantFrom(...(method.dtypes ?? DTYPES)),
    ...KEY_ARBS,
    extra: method.options,
    ...STYLE_ARBS,
  }).map((r): Case => ({
    method, ...callStyle(r),
    shape: r.geometry.shape, layout: r.geometry.layout, offset: r.geometry.offset, length: r.geometry.length, extra: r.extra,
  }));
});

// ---- building and running calls --------------------------------------------------------------
type Ctor = Float32ArrayConstructor | Float64ArrayConstructor | Uint16ArrayConstructor;
const CTOR: Record<DType, Ctor> = { float32: Float32Array, float64: Float64Array, bfloat16: Uint16Array, float16: Uint16Array };
const CANARY = 0xa5;

/** One call's arguments, built fresh (new buffers, new Generator) for every invocation. */
interface Args {
  out: unknown;
  /** The whole buffer (out plus canaries), for the unchanged-bytes checks. */
  whole: Uint8Array;
  shape: unknown;
  value: unknown;
  options: unknown;
  generator: nn.Generator | undefined;
  /** zca's data argument (matrix cases). */
  data?: unknown;
  /** Where a detaching mutation moved out's buffer. */
  moved?: ArrayBuffer;
}

/** A fresh `out` of `length` elements with c.pad canary elements on each side (the whole buffer filled with CANARY). */
function canaried(c: CallStyle, length: number): { buffer: ArrayBufferLike; whole: Uint8Array; out: OutArray } {
  const ctor = CTOR[c.dtype];
  const bytes = (length + 2 * c.pad) * ctor.BYTES_PER_ELEMENT;
  const buffer = c.shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
  const whole = new Uint8Array(buffer);
  whole.fill(CANARY);
  return { buffer, whole, out: makeOut(ctor, buffer, c.pad * ctor.BYTES_PER_ELEMENT, length, c.lookalike) };
}

/** `withSignal`: add the case's hostile AbortSignal (promises calls only). */
function build(c: Case, withSignal = false): Args {
  const { buffer, whole, out } = canaried(c, c.length);
  const { value, ...extra } = c.method.kind === "constant" ? { value: c.method.name === "constant" ? c.extra.value : undefined, ...c.extra } : { value: undefined, ...c.extra };
  const options: Record<string, unknown> = { ...extra };
  if (c.method.kind === "fan" && c.layout === "keras") options.layout = "keras";
  const generator = c.method.random && c.key.mode === "generator" ? new nn.Generator(c.key.seed) : undefined;
  if (c.method.random) {
    if (generator !== undefined) options.generator = generator;
    else options.seed = (c.key as { seed: number | bigint }).seed;
  }
  if (c.offset !== undefined) options.offset = c.offset;
  if (c.explicitDtype) options.dtype = c.dtype;
  if (c.threads !== undefined) options.threads = c.threads;
  if (withSignal && c.hostileSignal !== "none") options.signal = hostileSignal(c.hostileSignal, buffer);
  const styled = styleOptions(options, c.optionsStyle);
  const shape = c.shape === undefined ? undefined : [...c.shape];
  if (c.frozen) {
    Object.freeze(styled);
    if (shape !== undefined) Object.freeze(shape);
  }
  return { out, whole, shape, value, options: styled, generator };
}

function invoke(fns: Fns, m: Method, a: Args): unknown {
  if (m.kind === "fan") return fns[m.name](a.out, a.shape, a.options);
  if (m.name === "constant") return fns.constant(a.out, a.value, a.options);
  return fns[m.name](a.out, a.options);
}

const hex = (u: Uint8Array): string => view(u).toString("hex");
/** The canaries on both sides of `out` are intact. */
function canariesIntact(a: Args, c: { dtype: DType; pad: number; length: number }): boolean {
  const es = CTOR[c.dtype].BYTES_PER_ELEMENT;
  const before = a.whole.subarray(0, c.pad * es);
  const after = a.whole.subarray((c.pad + c.length) * es);
  return before.every((x) => x === CANARY) && after.every((x) => x === CANARY);
}
const stepped = (seed: bigint, n: number): bigint => (seed + BigInt(n) * GAMMA) & U64;

/** Checks one valid case; returns the list of problems (empty when all is well). */
async function checkValid(c: Case): Promise<string[]> {
  const problems: string[] = [];
  const m = c.method;
  tripped.length = 0;
  // the reference: the plan the public call makes with a plain array and plain options, run by the pure-TS backend
  const ref = build(plain(c));
  const job = capturePlan(() => invoke(SYNC, m, ref));
  let plan: FillPlan | null = null;
  if (job !== null) {
    plan = job.plan;
    if (!sameMemory(ref.out as OutArray, job.out)) problems.push("the plan targets other memory than out's");
    jsBackend.fill(plan, job.out);
    if (plan.kind === "random") {
      const want = c.key.mode === "seed" ? BigInt(c.key.seed) : new nn.Generator(c.key.seed).nextKey();
      if (plan.key !== want) problems.push(`key ${plan.key} != ${want}`);
      if (plan.offset !== (c.offset ?? 0)) problems.push(`plan offset ${plan.offset}`);
    }
  } else if (c.length !== 0) problems.push("no plan for a non-empty fill");
  const expected = hex(ref.whole);
  const check = (what: string, a: Args) => {
    if (hex(a.whole) !== expected) problems.push(`${what}: bytes differ from the JS reference${canariesIntact(a, c) ? "" : " (canaries overwritten)"}`);
    if (m.random && a.generator !== undefined && c.key.mode === "generator" && a.generator.state !== stepped(c.key.seed, 1)) {
      problems.push(`${what}: the call took ${a.generator.state === c.key.seed ? "no key" : "more than one key"}`);
    }
  };
  if (!canariesIntact(ref, c)) problems.push("the JS reference wrote outside out");
  // the public sync call (active backend)
  const s = build(c);
  if (invoke(SYNC, m, s) !== s.out) problems.push("sync call did not return out");
  check("sync", s);
  // an explicit native ISA on the same plan
  if (nativeBinding !== null && plan !== null) {
    const isa = nativeIsas[c.isa % nativeIsas.length];
    const n = build(plain(c));
    nativeBackendFor(isa).fill(plan, n.out as OutArray);
    if (hex(n.whole) !== expected) problems.push(`native ${isa}: bytes differ from the JS reference`);
  }
  // nninit/promises (with the case's hostile AbortSignal, if any)
  const p = build(c, true);
  try {
    const result = await invoke(ASYNC, m, p);
    if (result !== p.out) problems.push("promise did not resolve with out");
  } catch (e) {
    problems.push(`promises: rejected: ${String(e)}`);
  }
  check("promises", p);
  if (tripped.length > 0) problems.push(`look-alike members ran: ${[...new Set(tripped)].join(", ")}`);
  return problems;
}

/** A case's look-alikes, for its description ("" when it has none). */
const describeLook = (c: CallStyle): string =>
  `${c.lookalike !== "none" ? ` out ${c.lookalike}` : ""}${c.optionsStyle !== "plain" ? ` options ${c.optionsStyle}` : ""}${c.hostileSignal !== "none" ? ` signal ${c.hostileSignal}` : ""}`;
const describeCase = (c: Case): string =>
  `${c.method.name} ${c.dtype}${c.shape ? ` shape [${c.shape}] ${c.layout}` : ""} offset ${c.offset} length ${c.length} ` +
  `${c.key.mode} ${c.key.seed} threads ${c.threads} ${JSON.stringify(c.extra)}${c.frozen ? " frozen" : ""}${c.shared ? " shared" : ""}` +
  describeLook(c);

// ---- valid calls ------------------------------------------------------------------------------
const counts = { valid: 0, invalid: 0, binding: 0, shards: 0, sequences: 0, models: 0, matrixValid: 0, matrixInvalid: 0 };
/**
 * Runs the async property `problems` (a case passes when it lists none) over `arb` with `opts`
 * (from runs()), counting each case in counts[count]. Returns the failures: each failing case's
 * description and problems, then the first two lines of fast-check's counterexample report.
 */
async function collectFailures<C>(count: keyof typeof counts, arb: fc.Arbitrary<C>, opts: fc.Parameters<[C]>, problems: (c: C) => Promise<string[]>, describe: (c: C) => string): Promise<string[]> {
  const failures: string[] = [];
  await fc.assert(
    fc.asyncProperty(arb, async (c) => {
      counts[count]++;
      const found = await problems(c);
      if (found.length > 0) failures.push(`${describe(c)}: ${found.join("; ")}`);
      return found.length === 0;
    }),
    opts,
  ).catch((err: Error) => failures.push(err.message.split("\n").slice(0, 2).join(" ")));
  return failures;
}

t.test("valid calls: sync, every native ISA and promises equal the JS reference, bit for bit", async (t) => {
  const failures = await collectFailures("valid", caseArb, runs(0x5eed01, 1000), checkValid, describeCase);
  t.same(failures.slice(0, 3), [], `${counts.valid} valid cases`);
});

t.test("the harness can tell: a changed parameter or a lost key is caught", async (t) => {
  const sampled = fc.sample(caseArb.filter((x) => x.method.name === "normal" && x.length > 0 && x.key.mode === "seed"), { seed: 7, numRuns: 1 })[0];
  const c: Case = { ...sampled, extra: {} }; // N(0, 1): every key gives other values
  const ref = build(c);
  SYNC.normal(ref.out, ref.options);
  const other = build({ ...c, key: { mode: "seed", seed: BigInt((c.key as { seed: number | bigint }).seed) ^ 1n } });
  SYNC.normal(other.out, other.options);
  t.ok(hex(ref.whole) !== hex(other.whole), "another key gives other bytes");
  const g = new nn.Generator(5n);
  nn.uniform(new Float32Array(3), { generator: g });
  t.equal(g.state, stepped(5n, 1), "one call, one key");
  t.not(stepped(5n, 0), stepped(5n, 1));
});

// ---- invalid calls ----------------------------------------------------------------------------
type ErrorClass = typeof TypeError | typeof RangeError;
interface Mutation {
  label: string;
  /** Makes the fresh, valid `a` invalid. */
  apply: (a: Args) => void;
  /** The expected class and the names its message must contain; or the exact error that must propagate. */
  type?: ErrorClass;
  names?: string[];
  error?: unknown;
  /** What the promises call must reject with, when it differs from the sync call (signals). */
  promises?: { type: ErrorClass; names: string[] };
}

const setOption = (name: string, v: unknown) => (a: Args) => {
  a.options = { ...(a.options as object), [name]: v };
};
const badNumberArb: fc.Arbitrary<[unknown, ErrorClass]> = fc.oneof(
  fc.constantFrom<[unknown, ErrorClass]>([NaN, RangeError], [Infinity, RangeError], [-Infinity, RangeError], [F32_MAX * 1.0000001, RangeError], [-1e39, RangeError]),
  fc.double({ min: 3.5e38, max: 1.7e308, noNaN: true }).map((v): [unknown, ErrorClass] => [v, RangeError]),
  fc.oneof(fc.string({ maxLength: 5 }), fc.bigInt(), fc.constantFrom(null, true, false), fc.object({ maxDepth: 0 }), fc.array(fc.integer(), { maxLength: 2 }))
    .map((v): [unknown, ErrorClass] => [v, TypeError]),
);
const badIntegerArb = (min: number, max: number): fc.Arbitrary<[unknown, ErrorClass]> => fc.oneof(
  fc.integer({ min: -1e9, max: min - 1 }).map((v): [unknown, ErrorClass] => [v, RangeError]),
  fc.double({ min: min + 1e-6, max: Math.min(max, 1e9), noNaN: true }).filter((v) => !Number.isInteger(v)).map((v): [unknown, ErrorClass] => [v, RangeError]),
  fc.constantFrom<[unknown, ErrorClass]>([NaN, RangeError], [Infinity, RangeError], [-Infinity, RangeError], [2 ** 53, RangeError], [-0.5, RangeError]),
  fc.oneof(fc.string({ maxLength: 4 }), fc.bigInt({ min: 0n, max: 10n }), fc.constantFrom(null, true)).map((v): [unknown, ErrorClass] => [v, TypeError]),
  ...(max < MAX ? [fc.integer({ min: max + 1, max: max + 1e6 }).map((v): [unknown, ErrorClass] => [v, RangeError])] : []),
);
const badSeedArb: fc.Arbitrary<[unknown, ErrorClass]> = fc.oneof(
  fc.integer({ min: -1e9, max: -1 }).map((v): [unknown, ErrorClass] => [v, RangeError]),
  fc.double({ min: 2 ** 53, max: 1e300, noNaN: true }).map((v): [unknown, ErrorClass] => [v, RangeError]),
  fc.double({ min: 0, max: 1e6, noNaN: true }).filter((v) => !Number.isInteger(v)).map((v): [unknown, ErrorClass] => [v, RangeError]),
  fc.bigInt({ min: -(1n << 70n), max: -1n }).map((v): [unknown, ErrorClass] => [v, RangeError]),
  fc.bigInt({ min: 1n << 64n, max: 1n << 80n }).map((v): [unknown, ErrorClass] => [v, RangeError]),
  fc.constantFrom<[unknown, ErrorClass]>([NaN, RangeError], [Infinity, RangeError], [-Infinity, RangeError], ["1", TypeError], [true, TypeError], [{}, TypeError], [[1], TypeError]),
);
const unknownEnumArb = (valid: readonly string[]): fc.Arbitrary<[unknown, ErrorClass]> => fc.oneof(
  fc.string({ maxLength: 12 }).filter((s) => !valid.includes(s)).map((v): [unknown, ErrorClass] => [v, RangeError]),
  fc.constantFrom<[unknown, ErrorClass]>(["fan_in", RangeError], ["FANIN", RangeError], [1, TypeError], [null, TypeError], [true, TypeError], [Symbol("x"), TypeError]),
);
const KNOWN_OPTIONS = ["seed", "generator", "offset", "dtype", "threads", "low", "high", "mean", "std", "a", "b", "layout", "fanIn", "fanOut", "gain", "mode", "nonlinearity", "scale", "distribution", "value"];
const mutation = (label: string, apply: Mutation["apply"], type: ErrorClass, names: string[]): Mutation => ({ label, apply, type, names });

/** Bad seeds, seed with generator, look-alike Generators (methods that take a stream key). */
function keyMutations(): fc.Arbitrary<Mutation>[] {
  const list: fc.Arbitrary<Mutation>[] = [];
  const q = (s: string) => `"${s}"`;
  list.push(badSeedArb.map(([v, type]) => mutation(`seed = ${typeof v === "bigint" ? `${v}n` : String(v)}`, (a) => {
    const { generator: _g, ...rest } = a.options as Record<string, unknown>;
    a.options = { ...rest, seed: v };
  }, type, [q("seed")])));
  list.push(fc.constant(mutation("seed and generator", (a) => {
    a.options = { ...(a.options as object), seed: 1, generator: new nn.Generator(1) };
  }, RangeError, [q("generator"), q("seed")])));
  list.push(fc.constantFrom<unknown>({}, { nextKey: () => 1n }, 5, 1n, Object.create(nn.Generator.prototype), new (class extends Object {})())
    .map((g) => mutation(`generator = ${String(g)}`, (a) => {
      const { seed: _s, ...rest } = a.options as Record<string, unknown>;
      a.options = { ...rest, generator: g };
    }, TypeError, [q("generator")])));
  return list;
}

/** A shape that is no array of non-negative integers, or whose size overflows. */
const badShapeMutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constantFrom<[unknown, ErrorClass]>(["3x4", TypeError], [12, TypeError], [null, TypeError], [{ length: 2, 0: 3, 1: 4 }, TypeError], [new Int32Array([3, 4]), TypeError]),
  fc.tuple(fc.array(fc.nat(5), { minLength: 1, maxLength: 3 }), fc.constantFrom<[unknown, ErrorClass]>([-1, RangeError], [1.5, RangeError], [NaN, RangeError], [Infinity, RangeError], ["3", TypeError], [3n, TypeError], [null, TypeError]))
    .map(([dims, [bad, type]]): [unknown, ErrorClass] => [[...dims, bad], type]),
  fc.constant<[unknown, ErrorClass]>([[2 ** 27, 2 ** 27, 2 ** 27], RangeError]),
).map(([v, type]) => mutation(`shape = ${String(v)}`, (a) => { a.shape = v; }, type, ['"shape"']));

/** Every mutation that applies to case `c`. */
function mutationsFor(c: Case): fc.Arbitrary<Mutation>[] {
  const m = c.method;
  const list: fc.Arbitrary<Mutation>[] = [];
  const q = (s: string) => `"${s}"`;
  for (const name of m.numbers) {
    list.push(badNumberArb.map(([v, type]) => mutation(`${name} = ${String(v)}`,
      name === "value" ? (a) => { a.value = v; } : setOption(name, v), type, [q(name)])));
  }
  if (m.name === "constant") list.push(fc.constant(mutation("value = undefined", (a) => { a.value = undefined; }, TypeError, [q("value")])));
  if (m.random) {
    list.push(m.constraints.map(([o, name]) => mutation(`constraint on ${name}: ${JSON.stringify(o)}`, (a) => { a.options = { ...(a.options as object), ...o }; }, RangeError, [name])));
    list.push(...keyMutations());
  }
  for (const [name, valid] of Object.entries(m.enums)) {
    list.push(unknownEnumArb(valid).map(([v, type]) => mutation(`${name} = ${String(v)}`, setOption(name, v), type, [q(name)])));
  }
  if (m.kind === "fan") {
    list.push(unknownEnumArb(["torch", "keras"]).map(([v, type]) => mutation(`layout = ${String(v)}`, setOption("layout", v), type, [q("layout")])));
  }
  list.push(badIntegerArb(1, 1024).map(([v, type]) => mutation(`threads = ${String(v)}`, setOption("threads", v), type, [q("threads")])));
  // offsets: bad values, and offsets past the end of the logical tensor
  list.push(badIntegerArb(0, MAX).map(([v, type]) => mutation(`offset = ${String(v)}`, setOption("offset", v), type, [q("offset")])));
  const size = c.shape === undefined ? MAX : sizeOf(c.shape);
  if (c.length <= size && m.offsets !== false) {
    list.push(fc.integer({ min: size - c.length + 1, max: size - c.length + 5000 }).map((v) =>
      mutation(`offset ${v} past the end (${size} elements)`, setOption("offset", v), RangeError, [q("offset")])));
  }
  list.push(...outMutations(c.dtype, c.shared, Object.keys(build(c).options as object), ["dtype", "threads", "offset", ...(m.random ? ["seed"] : [])], KNOWN_OPTIONS));
  if (!c.shared && m.kind === "fan" && (c.shape?.length ?? 0) > 0) list.push(shapeGetterDetaches);
  // shape
  if (m.kind === "fan") {
    list.push(badShapeMutation);
    if (c.offset === undefined) {
      list.push(fc.integer({ min: 1, max: 50 }).map((d) => mutation(`out longer than the shape by ${d}`, (a) => {
        const o = a.out as OutArray;
        a.out = new (o.constructor as Ctor)(o.length + d);
      }, RangeError, [q("out")])));
      list.push(lyingLength(c.dtype, c.length));
    }
  }
  return list;
}

/**
 * Mutations of `out`, `dtype`, the options bag and its getters, shared by every method: `keys` are
 * the valid call's option keys, `detachKeys` the options a getter may detach `out` from (any key
 * the method accepts), `known` the option names the unknown-key mutation must avoid.
 */
function outMutations(dtype: DType, shared: boolean, keys: string[], detachKeys: string[], known: readonly string[]): fc.Arbitrary<Mutation>[] {
  const list: fc.Arbitrary<Mutation>[] = [];
  const q = (s: string) => `"${s}"`;
  // dtype
  const natural = dtype === "float32" || dtype === "float64" ? dtype : undefined;
  list.push(fc.oneof(
    fc.string({ maxLength: 10 }).filter((s) => !(DTYPES as readonly string[]).includes(s)).map((v): [unknown, ErrorClass] => [v, RangeError]),
    fc.constantFrom<[unknown, ErrorClass]>([32, TypeError], [null, TypeError], [Float32Array, TypeError]),
    fc.constantFrom(...DTYPES.filter((d) => natural !== undefined ? d !== natural : d === "float32" || d === "float64")).map((v): [unknown, ErrorClass] => [v, RangeError]),
  ).map(([v, type]) => mutation(`dtype = ${String(v)}`, setOption("dtype", v), type, [q("dtype")])));
  if (natural === undefined) {
    list.push(fc.constant(mutation("Uint16Array without dtype", (a) => {
      const { dtype: _d, ...rest } = a.options as Record<string, unknown>;
      a.options = rest;
    }, RangeError, [q("dtype")])));
  }
  // unknown option keys, options that are not objects
  list.push(fc.string({ minLength: 1, maxLength: 8 }).filter((k) => !known.includes(k) && k !== "__proto__")
    .map((k) => mutation(`unknown option = ${JSON.stringify(k)}`, setOption(k, 1), RangeError, [q("options"), k])));
  list.push(fc.constantFrom<unknown>(5, "seed", true, [1, 2], () => 1, 1n, Symbol("o"))
    .map((v) => mutation(`options = ${String(v)}`, (a) => { a.options = v; }, TypeError, [q("options")])));
  // out
  list.push(fc.constantFrom<unknown>([1, 2, 3], new Int32Array(4), new Uint8Array(8), new BigInt64Array(2), new DataView(new ArrayBuffer(8)), new ArrayBuffer(8), null, undefined, 3, "out")
    .map((o) => mutation(`out = ${Object.prototype.toString.call(o)}`, (a) => { a.out = o; }, TypeError, [q("out")])));
  list.push(fc.constant(mutation("out detached", (a) => {
    const o = a.out as OutArray;
    if (o.buffer instanceof ArrayBuffer) detach(a, o);
    else {
      a.out = new (o.constructor as Ctor)(1);
      structuredClone((a.out as OutArray).buffer, { transfer: [(a.out as OutArray).buffer as ArrayBuffer] });
    }
  }, RangeError, [q("out"), "detached"])));
  list.push(...lookalikeMutations(dtype));
  // getters: a throwing one propagates its own error; one that detaches out is caught afterwards
  const boom = new Error("boom from a getter");
  if (keys.length > 0) {
    list.push(fc.constantFrom(...keys).map((k) => ({
      label: `getter on "${k}" throws`,
      apply: (a: Args) => {
        const o = { ...(a.options as object) };
        Object.defineProperty(o, k, { enumerable: true, get: () => { throw boom; } });
        a.options = o;
      },
      error: boom,
    })));
  }
  if (!shared) {
    list.push(fc.constantFrom(...detachKeys).map((k) => mutation(`getter on "${k}" detaches out`, (a) => {
      const o = { ...(a.options as Record<string, unknown>) };
      const v = o[k];
      const target = a.out as OutArray;
      Object.defineProperty(o, k, { enumerable: true, get: () => { detach(a, target); return v; } });
      if (k === "seed") delete o.generator;
      a.options = o;
    }, RangeError, [q("out"), "detached"])));
  }
  return list;
}

/**
 * Look-alike arguments (issue 15): `out` as a Proxy (whose traps detach it), an object that only
 * inherits from a typed array prototype, another typed array type posing as this one; options as
 * an object inheriting the valid ones, a class instance with getters for them, one with own fields,
 * a Map; `signal` as a Proxy of a real one, a prototype-only object, a duck-typed object, an
 * AbortController (the sync API refuses every signal: a RangeError; promises: a TypeError).
 */
function lookalikeMutations(dtype: DType): fc.Arbitrary<Mutation>[] {
  const q = (s: string) => `"${s}"`;
  const ctor = CTOR[dtype];
  const list: fc.Arbitrary<Mutation>[] = [];
  list.push(fc.constantFrom("bare", "detaching traps").map((kind) => mutation(`look-alike out: a Proxy (${kind})`, (a) => {
    const target = a.out as OutArray;
    const trap = (name: string) => (...args: unknown[]) => {
      detach(a, target);
      return (Reflect as unknown as Record<string, (...x: unknown[]) => unknown>)[name](...args);
    };
    a.out = new Proxy(target, (kind === "bare" ? {} : { get: trap("get"), getPrototypeOf: trap("getPrototypeOf"), has: trap("has"), ownKeys: trap("ownKeys"), getOwnPropertyDescriptor: trap("getOwnPropertyDescriptor") }) as ProxyHandler<object>);
  }, TypeError, [q("out"), "Proxy"])));
  list.push(fc.constant(mutation("look-alike out: Object.create(<its type>.prototype)", (a) => { a.out = Object.create(ctor.prototype); }, TypeError, [q("out")])));
  // (an Int32Array or Uint8Array whose prototype chain, constructor, name and toStringTag say `ctor`: instanceof passes)
  list.push(fc.constantFrom<[Int32ArrayConstructor | Uint8ArrayConstructor, string]>([Int32Array, "Int32Array"], [Uint8Array, "Uint8Array"])
    .map(([base, name]) => mutation(`look-alike out: a ${name} subclass posing as a ${ctor.name}`, (a) => {
      const length = (a.out as OutArray).length;
      const Posing = class extends (base as Int32ArrayConstructor) {};
      Object.defineProperty(Posing, "name", { value: ctor.name });
      Object.setPrototypeOf(Posing.prototype, ctor.prototype);
      Object.defineProperty(Posing.prototype, Symbol.toStringTag, { get: () => ctor.name });
      Object.defineProperty(Posing.prototype, "constructor", { value: ctor });
      a.out = new Posing(length * ctor.BYTES_PER_ELEMENT / base.BYTES_PER_ELEMENT);
    }, TypeError, [q("out"), name])));
  list.push(fc.constantFrom("Object.create(options)", "a class instance with getters", "a class instance with own fields", "a Map").map((kind) => mutation(`look-alike options: ${kind}`, (a) => {
    const o = { ...(a.options as Record<string, unknown>) };
    if (kind === "Object.create(options)") a.options = Object.create(o);
    else if (kind === "a Map") a.options = new Map(Object.entries(o));
    else if (kind === "a class instance with own fields") a.options = Object.assign(new (class Options {})(), o);
    else {
      const Options = class {};
      for (const [k, v] of Object.entries(o)) Object.defineProperty(Options.prototype, k, { get: () => v, enumerable: true });
      a.options = new Options();
    }
  }, TypeError, [q("options")])));
  list.push(fc.constantFrom("a Proxy of an AbortSignal", "Object.create(AbortSignal.prototype)", "a duck-typed signal", "an AbortController").map((kind) => ({
    label: `look-alike signal: ${kind}`,
    apply: (a: Args) => {
      const target = a.out as OutArray;
      const duck = { aborted: false, reason: undefined, throwIfAborted() { detach(a, target); }, addEventListener() { detach(a, target); }, removeEventListener() {} };
      const signal = kind === "a Proxy of an AbortSignal" ? new Proxy(new AbortController().signal, { get: (t, k) => { detach(a, target); return Reflect.get(t, k); } })
        : kind === "Object.create(AbortSignal.prototype)" ? Object.create(AbortSignal.prototype)
          : kind === "a duck-typed signal" ? duck : new AbortController();
      a.options = { ...(a.options as Record<string, unknown>), signal };
    },
    type: RangeError, names: [q("signal")],
    promises: { type: TypeError, names: [q("signal")] },
  })));
  return list;
}

/**
 * `out` whose length getter claims the `length` the call needs while its true length differs
 * (a whole-tensor fill: a RangeError naming "out"; nothing may be written to it).
 */
function lyingLength(dtype: DType, length: number): fc.Arbitrary<Mutation> {
  const q = (s: string) => `"${s}"`;
  return fc.integer({ min: -Math.min(length, 9), max: 9 }).filter((d) => d !== 0).map((d) => mutation(`out's length getter claims ${length} (true length ${length} ${d > 0 ? "+" : "-"} ${Math.abs(d)})`, (a) => {
    const ctor = CTOR[dtype];
    const Lying = class extends (ctor as Float32ArrayConstructor) {};
    Object.defineProperty(Lying.prototype, "length", { get: () => length });
    const buffer = new ArrayBuffer((length + d) * ctor.BYTES_PER_ELEMENT);
    new Uint8Array(buffer).fill(CANARY);
    a.out = new Lying(buffer, 0, length + d);
    a.whole = new Uint8Array(buffer);
  }, RangeError, [q("out")]));
}

/** A getter on shape[0] detaches out (shape-taking methods; checked before out is). */
const shapeGetterDetaches: fc.Arbitrary<Mutation> = fc.constant(mutation("a shape element's getter detaches out", (a) => {
  const shape = [...(a.shape as number[])];
  const d = shape[0];
  const target = a.out as OutArray;
  Object.defineProperty(shape, 0, { enumerable: true, get: () => { detach(a, target); return d; } });
  a.shape = shape;
}, RangeError, ['"out"', "detached"]));

// (no fill happens: large outputs would only cost snapshot time)
// (plain arrays and options: the mutations below spread and detach them; look-alikes are mutations of their own)
const invalidArb = caseArb.filter((c) => c.length <= 20_000).map(plain).chain((c) => fc.oneof(...mutationsFor(c)).map((mu) => ({ c, mu })));

/** Runs `call`; returns the problems with what it threw, given what `mu` expects (of the sync or the promises call). */
function judge(mu: Mutation, threw: boolean, err: unknown, mode: "sync" | "promises" = "sync"): string[] {
  if (!threw) return ["did not throw"];
  if (mu.error !== undefined) return err === mu.error ? [] : [`threw ${String(err)} instead of the getter's own error`];
  const e = err as { name?: string; code?: string; message?: string };
  const want = mode === "promises" && mu.promises !== undefined ? mu.promises : { type: mu.type!, names: mu.names ?? [] };
  const problems: string[] = [];
  if (!(err instanceof want.type)) problems.push(`threw ${e?.name}: ${e?.message}; want ${want.type.name}`);
  const codes = want.type === TypeError ? ["ERR_INVALID_ARG_TYPE"] : ["ERR_OUT_OF_RANGE", "ERR_INVALID_ARG_VALUE"];
  if (!codes.includes(String(e?.code))) problems.push(`code ${e?.code}`);
  for (const n of want.names) if (!String(e?.message).includes(n)) problems.push(`message "${e?.message}" does not name ${n}`);
  return problems;
}

/** The bytes of out and its canaries, or of the buffer a detaching getter moved them to. */
function snapshot(a: Args): string {
  if (a.whole.byteLength > 0 || a.moved === undefined) return hex(a.whole);
  return hex(new Uint8Array(a.moved));
}
/** Transfers (detaches) the buffer of `a.out`, keeping the moved bytes in `a.moved`. */
function detach(a: Args, target: OutArray): void {
  try {
    a.moved = structuredClone(target.buffer as ArrayBuffer, { transfer: [target.buffer as ArrayBuffer] });
  } catch {
    // already detached (a getter read twice): nothing more to do
  }
}

async function checkInvalid(c: Case, mu: Mutation): Promise<string[]> {
  return checkInvalidCall(() => build(c), (fns, a) => invoke(fns, c.method, a), mu);
}

/**
 * Builds fresh arguments with `make`, applies `mu`, calls sync and promises through `call`: each
 * must fail as `mu` says, leaving out (with its canaries), the call's Generator and the default
 * Generator unchanged. `after` may adjust the mutated arguments (e.g. freeze them).
 */
async function checkInvalidCall(make: () => Args, call: (fns: Fns, a: Args) => unknown, mu: Mutation, after?: (a: Args) => void): Promise<string[]> {
  const problems: string[] = [];
  for (const mode of ["sync", "promises"] as const) {
    const a = make();
    const keyBefore = a.generator?.state;
    const defaultBefore = nn.defaultGenerator.state;
    mu.apply(a);
    after?.(a);
    const before = snapshot(a); // (after `apply`, which may give out a buffer of its own)
    let threw = false;
    let err: unknown;
    let result: unknown;
    try {
      result = call(mode === "sync" ? SYNC : ASYNC, a);
    } catch (e) {
      threw = true;
      err = e;
      if (mode === "promises") problems.push("promises: threw synchronously instead of rejecting");
    }
    if (mode === "promises" && !threw) {
      if (!(result instanceof Promise)) problems.push("promises: did not return a Promise");
      else await result.then(() => {}, (e: unknown) => { threw = true; err = e; });
    }
    problems.push(...judge(mu, threw, err, mode).map((p) => `${mode}: ${p}`));
    if (snapshot(a) !== before) problems.push(`${mode}: out or its canaries changed`);
    if (keyBefore !== undefined && a.generator !== undefined && a.generator.state !== keyBefore) problems.push(`${mode}: the generator advanced`);
    if (nn.defaultGenerator.state !== defaultBefore) problems.push(`${mode}: the default generator advanced`);
  }
  return problems;
}

t.test("invalid calls: a TypeError/RangeError naming the argument, out and the Generator unchanged; promises reject", async (t) => {
  const labels = new Set<string>();
  const failures = await collectFailures("invalid", invalidArb, runs(0x5eed02, 3000), ({ c, mu }) => {
    labels.add(mu.label.replace(/ = .*|: .*| \d+.*/g, ""));
    return checkInvalid(c, mu);
  }, ({ c, mu }) => `${describeCase(c)} | ${mu.label}`);
  t.same(failures.slice(0, 3), [], `${counts.invalid} invalid inputs (${labels.size} kinds of mutation)`);
  t.ok(labels.size >= 20, `mutation kinds tried: ${[...labels].sort().join(", ")}`);
});

/** Runs a synchronous fc.assert; a counterexample report lands in `failures`. */
function assertCollect(failures: string[], run: () => void): void {
  try {
    run();
  } catch (err) {
    failures.push(String((err as Error).message).split("\n").slice(0, 2).join(" "));
  }
}

// ---- matrix methods: orthogonal, eye/identity, dirac, sparse, zca (issue #5) -----------------
// They make no FillPlan (capturePlan is null for them), so they have their own cases: the job the
// public call captures runs on the JS backend (the reference), the active backend and a native
// ISA; sync and promises must match the active backend bit for bit, the native backend must match
// JS bit for bit (eye, dirac, sparse, zca) or within 1e-5 (orthogonal: the float64 QR's rounding
// depends on the ISA's GEMM), and orthogonal must not depend on the thread count. Independent
// checks of the values: eye/dirac against index loops, orthogonal's QᵀQ (or QQᵀ) = I, sparse's
// zeros per column and its other values = the normal stream of the key, zca symmetric with
// W(C + εI)W = I (C computed here), and every dtype equal to the float32 result narrowed/widened.
type MatrixName = MethodNamesOf<"matrix">;
/** The table's matrix methods, in its order. */
const MATRIX_NAMES: readonly MatrixName[] = FILL_METHODS.filter((m) => m.family === "matrix").map((m) => m.name as MatrixName);
const matrixInfo = (name: MatrixName) => methodInfo(name)!;
const takesKey = (name: MatrixName): boolean => matrixInfo(name).random;
/** threads is undefined for a method without a key (eye, identity, dirac, zca). */
interface MatrixCase extends CallStyle {
  name: MatrixName;
  /** The shape argument (zca: none is passed; [cols, cols] is out's shape). */
  shape: number[];
  /** Method options (gain, layout, groups, sparsity, std, rows, cols, eps). */
  extra: Record<string, unknown>;
  /** zca's data, row-major rows × cols, and whether it is a Float64Array. */
  data?: { values: number[]; f64: boolean };
}
interface Geometry { shape: number[]; extra: Record<string, unknown>; data?: MatrixCase["data"] }

const layoutOpt = fc.constantFrom<"torch" | "keras" | undefined>(undefined, "torch", "keras");
const eyeGeometry = fc.tuple(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 30 }), fc.option(wide, { nil: undefined }))
  .map(([r, c, gain]): Geometry => ({ shape: [r, c], extra: gain === undefined ? {} : { gain } }));
const GEOMETRY: Record<MatrixName, fc.Arbitrary<Geometry>> = {
  orthogonal: fc.tuple(
    fc.oneof(
      { arbitrary: fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 2, maxLength: 5 }), weight: 3 },
      { arbitrary: fc.tuple(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40 })).map((s) => [...s]), weight: 3 },
      // several 32-column panels of the native blocked QR, tall or wide
      { arbitrary: fc.tuple(fc.integer({ min: 33, max: 80 }), fc.integer({ min: 0, max: 60 }), fc.boolean()).map(([n, d, w]) => (w ? [n, n + d] : [n + d, n])), weight: 1 },
    ).filter((s) => sizeOf(s) <= 6000),
    layoutOpt,
    fc.option(fc.oneof(positive(-10, 10), fc.constantFrom(0, -0, 1, -1, 1e30, -3e-20)), { nil: undefined }),
  ).map(([shape, layout, gain]) => ({ shape, extra: { ...(layout && { layout }), ...(gain !== undefined && { gain }) } })),
  eye: eyeGeometry,
  identity: eyeGeometry,
  dirac: fc.record({
    groups: fc.integer({ min: 1, max: 4 }),
    perGroup: fc.integer({ min: 0, max: 4 }),
    inC: fc.integer({ min: 0, max: 5 }),
    spatial: fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 3 }),
    layout: layoutOpt,
    passGroups: fc.boolean(),
  }).map((r) => {
    const o = r.groups * r.perGroup;
    const shape = r.layout === "keras" ? [...r.spatial, r.inC, o] : [o, r.inC, ...r.spatial];
    return { shape, extra: { ...(r.layout && { layout: r.layout }), ...((r.groups !== 1 || r.passGroups) && { groups: r.groups }) } };
  }),
  sparse: fc.tuple(
    fc.oneof(fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 40 })), fc.tuple(fc.integer({ min: 64, max: 300 }), fc.integer({ min: 1, max: 12 }))),
    fc.oneof(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), fc.constantFrom(0, 0.1, 0.5, 0.9, 1 - 2 ** -53)),
    fc.option(fc.oneof(positive(0, 100), fc.constant(0)), { nil: undefined }),
  ).map(([[r, c], sparsity, std]) => ({ shape: [r, c], extra: { sparsity, ...(std !== undefined && { std }) } })),
  zca: fc.record({
    rows: fc.integer({ min: 1, max: 24 }),
    cols: fc.integer({ min: 1, max: 8 }),
    ints: fc.boolean(), // small integers: repeated and constant columns (singular covariances)
    f64: fc.boolean(),
    eps: fc.option(fc.oneof(positive(1e-3, 10), fc.constant(1e-6)), { nil: undefined }),
    seed: fc.integer(),
  }).chain((r) => fc.array(r.ints ? fc.integer({ min: -2, max: 2 }) : fc.double({ min: -10, max: 10, noNaN: true }), { minLength: r.rows * r.cols, maxLength: r.rows * r.cols })
    .map((values) => ({ shape: [r.cols, r.cols], extra: { rows: r.rows, cols: r.cols, ...(r.eps !== undefined && { eps: r.eps }) }, data: { values, f64: r.f64 } }))),
};

/** Case mix: orthogonal (the most code paths) most often; eye and identity are one function. */
const MATRIX_WEIGHTS: Record<MatrixName, number> = { orthogonal: 4, eye: 1, identity: 1, dirac: 2, sparse: 2, zca: 2 };
const matrixCaseArb: fc.Arbitrary<MatrixCase> = fc.oneof(...MATRIX_NAMES.map((n) => ({ arbitrary: fc.constant(n), weight: MATRIX_WEIGHTS[n] }))).chain((name) => fc.record({
  geometry: GEOMETRY[name],
  dtype: fc.constantFrom(...DTYPES),
  ...KEY_ARBS,
  ...STYLE_ARBS,
}).map((r): MatrixCase => ({
  name, shape: r.geometry.shape, extra: r.geometry.extra, data: r.geometry.data,
  ...callStyle(r), threads: takesKey(name) ? r.threads : undefined,
})));

const matrixLength = (c: MatrixCase): number => sizeOf(c.shape);

/** `withSignal`: add the case's hostile AbortSignal (promises calls only). */
function buildMatrix(c: MatrixCase, withSignal = false): Args {
  const { buffer, whole, out } = canaried(c, matrixLength(c));
  const options: Record<string, unknown> = { ...c.extra };
  const generator = takesKey(c.name) && c.key.mode === "generator" ? new nn.Generator(c.key.seed) : undefined;
  if (takesKey(c.name)) {
    if (generator !== undefined) options.generator = generator;
    else options.seed = (c.key as { seed: number | bigint }).seed;
    if (c.threads !== undefined) options.threads = c.threads;
  }
  if (c.explicitDtype) options.dtype = c.dtype;
  if (withSignal && c.hostileSignal !== "none") options.signal = hostileSignal(c.hostileSignal, buffer);
  const styled = styleOptions(options, c.optionsStyle);
  const shape = [...c.shape];
  if (c.frozen) {
    Object.freeze(styled);
    Object.freeze(shape);
  }
  // zca's data is a look-alike too when out is (its own getters lie the same way)
  const dataCtor = c.data === undefined ? undefined : c.data.f64 ? Float64Array : Float32Array;
  const data = dataCtor === undefined ? undefined : makeOut(dataCtor, dataCtor.from(c.data!.values).buffer, 0, c.data!.values.length, c.lookalike);
  return { out, whole, shape, value: undefined, options: styled, generator, data };
}

function invokeMatrix(fns: Fns, c: MatrixCase, a: Args): unknown {
  return c.name === "zca" ? fns.zca(a.out, a.data, a.options) : fns[c.name](a.out, a.shape, a.options);
}

const describeMatrix = (c: MatrixCase): string =>
  `${c.name} ${c.dtype} shape [${c.shape}] ${JSON.stringify(c.extra)}${c.data ? ` data ${c.data.f64 ? "f64" : "f32"}[${c.data.values.length}]` : ""}` +
  `${takesKey(c.name) ? ` ${c.key.mode} ${c.key.seed} threads ${c.threads}` : ""}${c.frozen ? " frozen" : ""}${c.shared ? " shared" : ""} pad ${c.pad}` +
  describeLook(c);

/** The values of `out` as numbers (bfloat16/float16 decoded by test/fixtures/stats.ts, independently of lib/math). */
function decode(out: OutArray, dtype: DType): Float64Array {
  if (dtype === "float32" || dtype === "float64") return Float64Array.from(out);
  return Float64Array.from(out, dtype === "bfloat16" ? decodeBf16 : decodeF16);
}

/** rows × cols of an orthogonal weight, from the layout's definition (docs/methods.md §5). */
function orthoDims(c: MatrixCase): [number, number] {
  const s = c.shape;
  const size = sizeOf(s);
  if (c.extra.layout === "keras") return [s[s.length - 1] === 0 ? 0 : size / s[s.length - 1], s[s.length - 1]];
  return [s[0], s[0] === 0 ? 0 : size / s[0]];
}

/** max |QᵀQ − I| (rows >= cols) or |QQᵀ − I| (rows < cols) of Q = out / gain, out rows × cols. */
function orthonormalityError(v: Float64Array, rows: number, cols: number, gain: number): number {
  const tall = rows >= cols;
  const [len, k] = tall ? [rows, cols] : [cols, rows]; // k vectors of length len
  const q = new Float64Array(k * len); // vector a at q[a·len, (a + 1)·len)
  for (let a = 0; a < k; a++) for (let i = 0; i < len; i++) q[a * len + i] = (tall ? v[i * cols + a] : v[a * cols + i]) / gain;
  let err = 0;
  for (let a = 0; a < k; a++) for (let b = a; b < k; b++) {
    let d = 0;
    for (let i = 0, x = a * len, y = b * len; i < len; i++) d += q[x + i] * q[y + i];
    err = Math.max(err, Math.abs(d - (a === b ? 1 : 0)));
  }
  return err;
}

/** eye / dirac written from PyTorch's definitions (float64 values; the diagonal/one in float32 for float32). */
function structuredExpected(c: MatrixCase): Float64Array {
  const e = new Float64Array(matrixLength(c));
  if (c.name === "eye" || c.name === "identity") {
    const g = c.extra.gain === undefined ? 1 : (c.extra.gain as number);
    const [r, k] = c.shape;
    for (let i = 0; i < Math.min(r, k); i++) e[i * k + i] = c.dtype === "float64" ? g : Math.fround(g);
    return e;
  }
  if (e.length === 0) return e;
  const groups = (c.extra.groups as number | undefined) ?? 1;
  const keras = c.extra.layout === "keras";
  const n = c.shape.length;
  const [o, inC, spatial] = keras ? [c.shape[n - 1], c.shape[n - 2], c.shape.slice(0, n - 2)] : [c.shape[0], c.shape[1], c.shape.slice(2)];
  let centre = 0;
  for (const s of spatial) centre = centre * s + Math.floor(s / 2);
  const per = o / groups;
  for (let g = 0; g < groups; g++) for (let d = 0; d < Math.min(per, inC); d++) {
    const oc = g * per + d;
    e[keras ? (centre * inC + d) * o + oc : (oc * inC + d) * sizeOf(spatial) + centre] = 1;
  }
  return e;
}

/** Checks one valid matrix case; returns the problems (empty when all is well). */
async function checkMatrixValid(c: MatrixCase): Promise<string[]> {
  const problems: string[] = [];
  const length = matrixLength(c);
  const geometry = { dtype: c.dtype, pad: c.pad, length };
  const defaultBefore = nn.defaultGenerator.state;
  const keyOk = (what: string, a: Args) => {
    if (a.generator !== undefined && c.key.mode === "generator" && a.generator.state !== stepped(c.key.seed, 1)) {
      problems.push(`${what}: the call took ${a.generator.state === c.key.seed ? "no key" : "more than one key"}`);
    }
  };
  /** Builds fresh arguments for `cc`, captures the public call's job and runs it on `backend`. */
  const runOn = (backend: Backend, what: string, cc: MatrixCase = c): Args => {
    const a = buildMatrix(cc);
    const job = captureJob(() => {
      if (invokeMatrix(SYNC, cc, a) !== a.out) problems.push(`${what}: did not return out`);
    });
    if (job !== null) {
      const mine = new (CTOR[cc.dtype])(a.whole.buffer as ArrayBuffer, cc.pad * CTOR[cc.dtype].BYTES_PER_ELEMENT, length);
      if (!sameMemory(mine, job.out)) problems.push(`${what}: the job targets other memory than out's`);
      job.run(backend);
    } else if (!(cc.name === "orthogonal" && length === 0)) problems.push(`${what}: no job`);
    if (!canariesIntact(a, { ...geometry, dtype: cc.dtype })) problems.push(`${what}: wrote outside out`);
    keyOk(what, a);
    return a;
  };
  const ortho = c.name === "orthogonal";
  const gain = (c.extra.gain as number | undefined) ?? 1;
  /** Values of two runs agree: bit for bit, or for orthogonal within 1e-5·|gain| (plus a half-float ulp). */
  const agree = (what: string, x: Args, y: Args) => {
    if (hex(x.whole) === hex(y.whole)) return;
    if (!ortho) return void problems.push(`${what}: bytes differ`);
    const [u, v] = [decode(x.out as OutArray, c.dtype), decode(y.out as OutArray, c.dtype)];
    // (half floats: one rounding may flip, relative 2^-7 / 2^-10, or absolute near their subnormals)
    const [ulp, tiny] = c.dtype === "bfloat16" ? [2 ** -7, 2 ** -133] : c.dtype === "float16" ? [2 ** -10, 2 ** -24] : [0, 2 ** -149];
    const far = u.findIndex((a, i) => a !== v[i] && !(Math.abs(a - v[i]) <= 1e-5 * Math.abs(gain) + ulp * Math.max(Math.abs(a), Math.abs(v[i])) + tiny));
    if (far >= 0) problems.push(`${what}: element ${far} differs by more than 1e-5·|gain|: ${u[far]} vs ${v[far]}`);
  };
  // the JS reference (a plain array and plain options), the active backend, one native ISA (the case's look-alikes)
  tripped.length = 0;
  const js = runOn(jsBackend, "js", plain(c));
  const act = active === jsBackend && c.lookalike === "none" && c.optionsStyle === "plain" ? js : runOn(active, "active");
  agree(`active (${active.info.name}) vs js`, act, js);
  if (nativeBinding !== null) {
    const isa = nativeIsas[c.isa % nativeIsas.length];
    const backend = nativeBackendFor(isa);
    const n = runOn(backend, `native ${isa}`);
    agree(`native ${isa} vs js`, n, js);
    if (ortho && length > 0) {
      const one = runOn(backend, `native ${isa} threads 1`, { ...c, threads: 1 });
      const many = runOn(backend, `native ${isa} threads k`, { ...c, threads: Math.max(2, c.threads ?? 8) });
      if (hex(one.whole) !== hex(many.whole) || hex(one.whole) !== hex(n.whole)) problems.push(`native ${isa}: the result depends on the thread count`);
    }
  }
  // the public sync call and nninit/promises: the active backend's bytes
  const s = buildMatrix(c);
  if (invokeMatrix(SYNC, c, s) !== s.out) problems.push("sync call did not return out");
  if (hex(s.whole) !== hex(act.whole)) problems.push("sync: bytes differ from the active backend's job");
  keyOk("sync", s);
  const p = buildMatrix(c, true);
  const pending = invokeMatrix(ASYNC, c, p);
  if (!(pending instanceof Promise)) problems.push("promises: not a Promise");
  try {
    if ((await pending) !== p.out) problems.push("promise did not resolve with out");
  } catch (e) {
    problems.push(`promises: rejected: ${String(e)}`);
  }
  if (hex(p.whole) !== hex(s.whole)) problems.push("promises: bytes differ from sync");
  keyOk("promises", p);
  if (tripped.length > 0) problems.push(`look-alike members ran: ${[...new Set(tripped)].join(", ")}`);
  if (nn.defaultGenerator.state !== defaultBefore) problems.push("the default generator advanced");
  // the values (of the JS reference)
  const v = decode(js.out as OutArray, c.dtype);
  const wideType = c.dtype === "float32" || c.dtype === "float64";
  if (c.name === "eye" || c.name === "identity" || c.name === "dirac") {
    if (wideType) {
      const e = structuredExpected(c);
      if (!e.every((x, i) => Object.is(x, v[i]))) problems.push("values differ from the index-loop definition");
    }
  } else if (ortho) {
    const [rows, cols] = orthoDims(c);
    if (wideType && Math.abs(gain) >= 1e-30 && rows > 0 && cols > 0) { // (smaller gains: float32 subnormals)
      const err = orthonormalityError(v, rows, cols, gain);
      if (!(err <= 1e-5)) problems.push(`not orthonormal: max |QᵀQ − I| = ${err}`);
    }
  } else if (c.name === "sparse") {
    const [rows, cols] = c.shape;
    const key = c.key.mode === "seed" ? c.key.seed : new nn.Generator(c.key.seed).nextKey();
    const std = (c.extra.std as number | undefined) ?? 0.01;
    const ref = nn.normal(new (CTOR[c.dtype])(length) as never, { seed: key, std, dtype: c.dtype } as never); // array type known at run time only
    const got = js.out as OutArray;
    const zeros = Math.ceil((c.extra.sparsity as number) * rows);
    const isZero = (x: number) => Object.is(x, 0); // +0 bits in every dtype
    const anyZero = (x: number) => (wideType ? x === 0 : (x & 0x7fff) === 0);
    for (let col = 0; col < cols; col++) {
      let z = 0;
      let refNonZero = true;
      for (let r = 0; r < rows; r++) {
        const i = r * cols + col;
        if (isZero(got[i])) z++;
        else if (!Object.is(got[i], ref[i])) { problems.push(`sparse: element ${i} is neither +0 nor the normal stream's value`); break; }
        if (anyZero(ref[i])) refNonZero = false;
      }
      if (z < zeros || (refNonZero && z !== zeros)) problems.push(`sparse: column ${col} has ${z} zeros, want ${zeros}`);
      if (problems.length > 0) break;
    }
  } else {
    const n = c.extra.cols as number;
    if (!v.every((x, i) => Object.is(x, v[(i % n) * n + Math.floor(i / n)]))) problems.push("zca: W is not exactly symmetric");
    if (c.dtype === "float64") {
      // C (float64, centred, divided by rows) computed here; W(C + εI)W must be I
      const rows = c.extra.rows as number;
      const x = c.data!.f64 ? c.data!.values : c.data!.values.map(Math.fround);
      const eps = (c.extra.eps as number | undefined) ?? 1e-6;
      const mean = Array.from({ length: n }, (_, j) => x.filter((_, i) => i % n === j).reduce((s, y) => s + y, 0) / rows);
      const cov = Array.from({ length: n * n }, (_, ij) => {
        let s = 0;
        for (let r = 0; r < rows; r++) s += (x[r * n + Math.floor(ij / n)] - mean[Math.floor(ij / n)]) * (x[r * n + (ij % n)] - mean[ij % n]);
        return s / rows + (Math.floor(ij / n) === ij % n ? eps : 0);
      });
      const trace = cov.reduce((s, y, ij) => s + (Math.floor(ij / n) === ij % n ? y : 0), 0);
      let err = 0;
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) for (let l = 0; l < n; l++) s += v[i * n + k] * cov[k * n + l] * v[l * n + j];
        err = Math.max(err, Math.abs(s - (i === j ? 1 : 0)));
      }
      const tol = 1e-11 * n * (trace / eps) + 1e-12;
      if (!(err <= tol)) problems.push(`zca: max |W(C + εI)W − I| = ${err} > ${tol}`);
    }
  }
  // every dtype is the float32 result converted: fround(float64) = float32 (float64 outputs are
  // the float32 values widened, except zca's, computed in float64), half = RNE(float32)
  if (c.dtype !== "float32") {
    const f = decode(runOn(jsBackend, "js float32", { ...plain(c), dtype: "float32", explicitDtype: false }).out as OutArray, "float32");
    const got = js.out as OutArray;
    const conv = c.dtype === "bfloat16" ? bf16FromBits : f16FromBits;
    const bits = new Int32Array(Float32Array.from(f).buffer);
    const ok = c.dtype === "float64" ? f.every((y, i) => Object.is(Math.fround(got[i]), y)) : f.every((_, i) => got[i] === conv(bits[i]));
    if (!ok) problems.push(`${c.dtype} output is not the float32 result converted`);
  }
  return problems;
}

t.test("matrix methods, valid calls: sync = promises = the active backend, native = JS, thread independence, values", async (t) => {
  const failures = await collectFailures("matrixValid", matrixCaseArb, runs(0x5eed0a, 1500), checkMatrixValid, describeMatrix);
  t.same(failures.slice(0, 3), [], `${counts.matrixValid} valid matrix cases`);
});

// The native QR runs serially below m·n² = 2^25 (native/linalg/qr.cc kSerialWork), so the cases
// above never exercise its thread pool: these few do (a JS QR of that size takes ~0.15 s).
t.test("orthogonal at parallel sizes (m·n² >= 2^25): thread counts agree bit for bit, native ≈ JS, orthonormal", { skip: nativeBinding === null ? "native backend not loaded" : false }, async (t) => {
  const failures: string[] = [];
  const arb = fc.record({
    n: fc.integer({ min: 160, max: 256 }),
    more: fc.integer({ min: 0, max: 64 }),
    wide: fc.boolean(),
    keras: fc.boolean(),
    seed: fc.bigInt({ min: 0n, max: U64 }),
    threads: fc.integer({ min: 2, max: 8 }),
    isa: fc.nat(7),
    gain: fc.option(fc.oneof(positive(0.5, 4), positive(-4, -0.5)), { nil: undefined }),
    dtype: fc.constantFrom<DType>("float32", "bfloat16"),
  });
  await fc.assert(fc.asyncProperty(arb, async (r) => {
    counts.matrixValid++;
    const m = Math.ceil(2 ** 25 / (r.n * r.n)) + r.more;
    const c: MatrixCase = {
      name: "orthogonal", shape: r.wide ? [r.n, m] : [m, r.n], extra: { ...(r.keras && { layout: "keras" }), ...(r.gain !== undefined && { gain: r.gain }) },
      dtype: r.dtype, explicitDtype: true, key: { mode: "seed", seed: r.seed }, threads: r.threads, frozen: false, shared: false, pad: 3, isa: r.isa,
      lookalike: "none", optionsStyle: "plain", hostileSignal: "none",
    };
    const isa = nativeIsas[r.isa % nativeIsas.length];
    const run = (backend: Backend, threads: number): Args => {
      const a = buildMatrix({ ...c, threads });
      const job = captureJob(() => invokeMatrix(SYNC, c, a));
      job!.run(backend);
      return a;
    };
    const one = run(nativeBackendFor(isa), 1);
    const many = run(nativeBackendFor(isa), r.threads);
    const js = run(jsBackend, 1);
    const problems: string[] = [];
    if (hex(one.whole) !== hex(many.whole)) problems.push(`native ${isa}: threads 1 and ${r.threads} differ`);
    if (!canariesIntact(many, { dtype: c.dtype, pad: c.pad, length: m * r.n })) problems.push("wrote outside out");
    const gain = r.gain ?? 1;
    const [u, v] = [decode(many.out as OutArray, c.dtype), decode(js.out as OutArray, c.dtype)];
    const ulp = c.dtype === "bfloat16" ? 2 ** -7 : 0;
    const far = u.findIndex((x, i) => !(Math.abs(x - v[i]) <= 1e-5 * Math.abs(gain) + ulp * Math.max(Math.abs(x), Math.abs(v[i]))));
    if (far >= 0) problems.push(`native ${isa} vs js: element ${far}: ${u[far]} vs ${v[far]}`);
    if (c.dtype === "float32") {
      const err = orthonormalityError(u, c.shape[0], c.shape[1], gain);
      if (!(err <= 1e-5)) problems.push(`not orthonormal: ${err}`);
    }
    if (problems.length > 0) failures.push(`${describeMatrix(c)}: ${problems.join("; ")}`);
    return problems.length === 0;
  }), runs(0x5eed0c, 4)).catch((err: Error) => failures.push(err.message.split("\n").slice(0, 2).join(" ")));
  t.same(failures.slice(0, 3), [], `${4 * SCALE} orthogonal fills at parallel sizes`);
});

// invalid matrix calls: the shared out/dtype/options/getter/key mutations plus each method's own
const MATRIX_OPTIONS = [...KNOWN_OPTIONS, "groups", "sparsity", "rows", "cols", "eps", "data"];
/** Valid ranks of the shape argument. */
const MATRIX_RANKS: Partial<Record<MatrixName, (rank: number) => boolean>> = {
  orthogonal: (n) => n >= 2, eye: (n) => n === 2, identity: (n) => n === 2, dirac: (n) => n >= 3 && n <= 5, sparse: (n) => n === 2,
};

function matrixMutationsFor(c: MatrixCase): fc.Arbitrary<Mutation>[] {
  const q = (s: string) => `"${s}"`;
  const list: fc.Arbitrary<Mutation>[] = [];
  const { options: accepts, numbers } = matrixInfo(c.name); // (accepts: its options, signal included)
  for (const name of numbers) {
    list.push(badNumberArb.map(([v, type]) => mutation(`${name} = ${String(v)}`, setOption(name, v), type, [q(name)])));
  }
  for (const name of c.name === "dirac" ? ["groups"] : c.name === "zca" ? ["rows", "cols"] : []) {
    list.push(badIntegerArb(1, MAX).map(([v, type]) => mutation(`${name} = ${String(v)}`, setOption(name, v), type, [q(name)])));
  }
  if (accepts.includes("layout")) {
    list.push(unknownEnumArb(["torch", "keras"]).map(([v, type]) => mutation(`layout = ${String(v)}`, setOption("layout", v), type, [q("layout")])));
  }
  if (takesKey(c.name)) {
    list.push(badIntegerArb(1, 1024).map(([v, type]) => mutation(`threads = ${String(v)}`, setOption("threads", v), type, [q("threads")])));
    list.push(...keyMutations());
  }
  // options a method does not take: offset everywhere (matrix methods fill whole tensors), keys and threads for eye/dirac/zca
  const foreign = ["offset", ...["seed", "generator", "threads", "gain", "layout", "groups", "sparsity", "std", "rows", "cols", "eps"].filter((k) => !accepts.includes(k))];
  list.push(fc.tuple(fc.constantFrom(...foreign), fc.constantFrom<unknown>(0, 1, 0n, new nn.Generator(1), "x")).map(([k, v]) =>
    mutation(`foreign option ${k} = ${String(v)}`, setOption(k, v), RangeError, [q("options"), `"${k}"`])));
  // shapes of the wrong rank, and the method's own constraints
  const ranks = MATRIX_RANKS[c.name];
  if (ranks !== undefined) {
    list.push(fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: c.name === "orthogonal" ? 1 : 8 }).filter((s) => !ranks(s.length))
      .map((s) => mutation(`shape of rank ${s.length}`, (a) => { a.shape = s; }, RangeError, [q("shape")])));
    list.push(badShapeMutation);
    if (!c.shared && c.shape.length > 0) list.push(shapeGetterDetaches);
  }
  if (c.name === "dirac") {
    const o = c.extra.layout === "keras" ? c.shape[c.shape.length - 1] : c.shape[0];
    if (o > 0) {
      list.push(fc.integer({ min: 2, max: o + 6 }).filter((g) => o % g !== 0)
        .map((g) => mutation(`groups ${g} not dividing ${o}`, setOption("groups", g), RangeError, [q("groups")])));
    }
  }
  if (c.name === "sparse") {
    list.push(fc.oneof(fc.constantFrom(1, 1 + 2 ** -52, -(2 ** -1074), -0.5), positive(1, 1e30), positive(-1e30, -1e-300))
      .map((v) => mutation(`sparsity = ${v} outside [0, 1)`, setOption("sparsity", v), RangeError, [q("sparsity")])));
    list.push(fc.constant(mutation("sparsity missing", (a) => {
      const { sparsity: _s, ...rest } = a.options as Record<string, unknown>;
      a.options = rest;
    }, TypeError, [q("sparsity")])));
    list.push(positive(-1e30, -1e-300).map((v) => mutation(`std = ${v}`, setOption("std", v), RangeError, [q("std")])));
    list.push(fc.integer({ min: 0, max: 3 }).map((d) => mutation(`2^32 + ${d} rows`, (a) => { a.shape = [2 ** 32 + d, 0]; }, RangeError, [q("shape")])));
  }
  if (c.name === "zca") {
    const n = c.data!.values.length;
    list.push(fc.integer({ min: -Math.min(n, 5), max: 5 }).filter((d) => d !== 0).map((d) => mutation(`data length ${n} + ${d}`, (a) => {
      const data = a.data as Float32Array | Float64Array;
      a.data = d < 0 ? data.slice(0, n + d) : Float64Array.from([...data, ...new Array<number>(d).fill(1)]);
    }, RangeError, [q("data")])));
    list.push(fc.constantFrom<unknown>([1, 2], new Int32Array(n), new Uint16Array(n), new DataView(new ArrayBuffer(8)), null, undefined, "data")
      .map((v) => mutation(`data = ${Object.prototype.toString.call(v)}`, (a) => { a.data = v; }, TypeError, [q("data")])));
    list.push(fc.tuple(fc.nat(n - 1), fc.constantFrom(NaN, Infinity, -Infinity)).map(([i, v]) => mutation(`data[${i}] = ${v}`, (a) => {
      (a.data as Float32Array)[i] = v;
    }, RangeError, [q("data")])));
    if ((c.extra.rows as number) >= 2) {
      list.push(fc.tuple(fc.nat(n - 1), fc.double({ min: 1e200, max: 1.7e308, noNaN: true }), fc.boolean()).map(([i, v, neg]) => mutation(`data[${i}] = ${neg ? -v : v} (the covariance overflows)`, (a) => {
        const data = Float64Array.from(a.data as Float32Array);
        data[i] = neg ? -v : v;
        a.data = data;
      }, RangeError, [q("data")])));
    }
    list.push(fc.constant(mutation("data detached", (a) => {
      structuredClone((a.data as Float32Array).buffer, { transfer: [(a.data as Float32Array).buffer as ArrayBuffer] });
    }, RangeError, [q("data")])));
    list.push(fc.oneof(fc.constantFrom(0, -0, -(2 ** -1074)), positive(-1e30, -1e-300))
      .map((v) => mutation(`eps = ${v}`, setOption("eps", v), RangeError, [q("eps")])));
    list.push(fc.constantFrom("rows", "cols").map((k) => mutation(`${k} missing`, (a) => {
      const o = { ...(a.options as Record<string, unknown>) };
      delete o[k];
      a.options = o;
    }, TypeError, [q(k)])));
  }
  // out of another length than the shape's (cols² for zca), also behind a length getter that claims the right one
  list.push(lyingLength(c.dtype, matrixLength(c)));
  list.push(fc.integer({ min: -Math.min(matrixLength(c), 50), max: 50 }).filter((d) => d !== 0).map((d) => mutation(`out length ${d > 0 ? "+" : ""}${d}`, (a) => {
    const o = a.out as OutArray;
    a.out = new (o.constructor as Ctor)(o.length + d);
  }, RangeError, [q("out")])));
  const keys = Object.keys(buildMatrix(c).options as object);
  list.push(...outMutations(c.dtype, c.shared, keys, accepts.filter((k) => k !== "generator" && k !== "signal"), MATRIX_OPTIONS));
  return list;
}

// (plain arrays and options: the mutations spread and detach them; look-alikes are mutations of their own)
const matrixInvalidArb = matrixCaseArb.map(plain).chain((c) => fc.oneof(...matrixMutationsFor(c)).map((mu) => ({ c, mu })));

t.test("matrix methods, invalid calls: a TypeError/RangeError naming the argument, out and Generators unchanged; promises reject", async (t) => {
  const labels = new Set<string>();
  /** A frozen case's mutated options and shape are frozen too. */
  const freeze = (c: MatrixCase) => (a: Args) => {
    if (!c.frozen) return;
    if (typeof a.options === "object" && a.options !== null) Object.freeze(a.options);
    if (Array.isArray(a.shape)) Object.freeze(a.shape);
  };
  const failures = await collectFailures("matrixInvalid", matrixInvalidArb, runs(0x5eed0b, 4000), ({ c, mu }) => {
    labels.add(mu.label.replace(/ = .*|: .*/g, "").replace(/\[\d+\]|[-+]?\d[\d.e+-]*/g, "#"));
    return checkInvalidCall(() => buildMatrix(c), (fns, a) => invokeMatrix(fns, c, a), mu, freeze(c));
  }, ({ c, mu }) => `${describeMatrix(c)} | ${mu.label}`);
  t.same(failures.slice(0, 3), [], `${counts.matrixInvalid} invalid matrix calls (${labels.size} kinds of mutation)`);
  t.ok(labels.size >= 25, `mutation kinds tried: ${[...labels].sort().join(", ")}`);
});

t.test("matrix harness can tell: decoding, the orthonormality measure, the index-loop references", async (t) => {
  t.same(Array.from(decode(Uint16Array.from([0x3f80, 0xc000, 0x0001]), "bfloat16")), [1, -2, 2 ** -133]);
  t.same(Array.from(decode(Uint16Array.from([0x3c00, 0x0001, 0x7c00, 0xc200]), "float16")), [1, 2 ** -24, Infinity, -3]);
  const eye3 = Float64Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1]);
  t.equal(orthonormalityError(eye3, 3, 3, 1), 0);
  t.equal(orthonormalityError(eye3.map((x) => 2 * x), 3, 3, 2), 0, "gain divided out");
  t.ok(orthonormalityError(eye3.map((x) => 1.001 * x), 3, 3, 1) > 1e-5, "a scaled Q is caught");
  t.ok(orthonormalityError(Float64Array.from([1, 0, 0, 0.01, 1, 0]), 2, 3, 1) > 1e-5, "non-orthogonal rows of a wide Q are caught");
  const base = fc.sample(matrixCaseArb, { seed: 1, numRuns: 1 })[0];
  t.same(Array.from(structuredExpected({ ...base, name: "dirac", dtype: "float32", shape: [2, 2, 3], extra: {} })), [0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0]);
  t.same(Array.from(structuredExpected({ ...base, name: "dirac", dtype: "float32", shape: [3, 2, 2], extra: { layout: "keras" } })), [0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0], "[k, in, out]: w[1][d][d] = 1");
  t.same(Array.from(structuredExpected({ ...base, name: "eye", dtype: "float32", shape: [2, 3], extra: { gain: 0.1 } })), [Math.fround(0.1), 0, 0, 0, Math.fround(0.1), 0]);
});

t.test("matrix methods: subclassed Generators cannot run code in the call; an async orthogonal whose out is detached rejects", async (t) => {
  let calls = 0;
  class Sneaky extends nn.Generator {
    override nextKey(): bigint {
      calls++;
      return 5n;
    }
  }
  for (const name of ["orthogonal", "sparse"] as const) {
    const g = new Sneaky(11n);
    const out = name === "orthogonal" ? nn.orthogonal(new Float32Array(12), [4, 3], { generator: g }) : nn.sparse(new Float32Array(12), [4, 3], { sparsity: 0.5, generator: g });
    const want = name === "orthogonal" ? nn.orthogonal(new Float32Array(12), [4, 3], { seed: new nn.Generator(11n).nextKey() }) : nn.sparse(new Float32Array(12), [4, 3], { sparsity: 0.5, seed: new nn.Generator(11n).nextKey() });
    t.equal(calls, 0, `${name}: the nextKey override was not called`);
    t.ok(view(out).equals(view(want)), `${name}: the Generator's own key was used`);
    t.equal(g.state, stepped(11n, 1), `${name}: one key taken`);
  }
  for (const [dtype, ctor] of [["float32", Float32Array], ["float64", Float64Array], ["bfloat16", Uint16Array], ["float16", Uint16Array]] as const) {
    const out = new ctor(120 * 80);
    const pending = promises.orthogonal(out as never, [120, 80], { seed: 3, dtype } as never);
    const moved = structuredClone(out.buffer, { transfer: [out.buffer] });
    await t.rejects(pending, { name: "RangeError", code: "ERR_INVALID_STATE" }, `${dtype}: rejects`);
    t.ok(new Uint8Array(moved).every((b) => b === 0), `${dtype}: nothing was written`);
  }
});

// ---- resizable buffers, look-alike and subclassed Generators ----------------------------------
type Resizable = ArrayBuffer & { resize(n: number): void };
const resizable = (bytes: number, max: number): Resizable => new (ArrayBuffer as unknown as new (n: number, o: object) => Resizable)(bytes, { maxByteLength: max });

t.test("resizable ArrayBuffers: shrinking before or during validation never writes out of bounds", async (t) => {
  // a length-tracking view shrunk by a getter: the call sees the shorter array (checked as a whole)
  const rab = resizable(400, 4000);
  const tracking = new Float32Array(rab);
  nn.normal(tracking, { seed: 1, get std() { rab.resize(40); return 1; } });
  t.equal(tracking.length, 10);
  t.same(Array.from(tracking), Array.from(nn.normal(new Float32Array(10), { seed: 1 })), "the 10 remaining elements hold the reference values");
  rab.resize(400);
  t.ok(new Float32Array(rab, 40).every((v) => v === 0), "nothing was written past the shrunk end");
  // a fan-based whole-tensor fill whose out shrinks in a getter: the shape no longer fits
  const rab1 = resizable(400, 4000);
  const w = new Float32Array(rab1);
  t.throws(() => nn.xavierUniform(w, [10, 10], { seed: 1, get gain() { rab1.resize(200); return 1; } }), { name: "RangeError", message: /"out" argument/ });
  rab1.resize(400);
  t.ok(new Float32Array(rab1).every((v) => v === 0), "out unchanged");
  // a fixed-length view pushed out of bounds: length 0
  const rab2 = resizable(400, 4000);
  const fixed = new Float32Array(rab2, 0, 100);
  rab2.resize(40);
  t.equal(fixed.length, 0);
  t.throws(() => nn.kaimingNormal(fixed, [10, 10], { seed: 1 }), { name: "RangeError", message: /"out" argument must be of length 100/ });
  t.doesNotThrow(() => nn.uniform(fixed, { seed: 1 }), "an elementwise fill of the (now empty) view is a no-op");
  rab2.resize(400);
  t.ok(new Float32Array(rab2).every((v) => v === 0), "nothing written");
  // a growable SharedArrayBuffer: filled in place, sync and async
  const gsab = new (SharedArrayBuffer as unknown as new (n: number, o: object) => SharedArrayBuffer)(4 * 70_000, { maxByteLength: 4 * 140_000 });
  const g = new Float32Array(gsab);
  const p = promises.truncNormal(g, { seed: 9, offset: 5 });
  (gsab as unknown as { grow(n: number): void }).grow(4 * 140_000);
  await p;
  t.ok(view(g.subarray(0, 70_000)).equals(view(nn.truncNormal(new Float32Array(70_000), { seed: 9, offset: 5 }))), "async fill of a growable SharedArrayBuffer");
  t.ok(g.subarray(70_000).every((v) => v === 0), "the grown part is untouched");
  // an async fill whose ordinary, resizable buffer shrinks while it runs: rejects, writes nothing
  const rab3 = resizable(4 * 300_000, 4 * 300_000);
  const big = new Float32Array(rab3);
  const q = promises.normal(big, { seed: 3 });
  rab3.resize(4 * 1000);
  await t.rejects(q, { name: "RangeError", code: "ERR_INVALID_STATE" }, "the promise rejects");
  t.ok(big.every((v) => v === 0), "nothing was written");
});

t.test("Generators: look-alikes are rejected, subclasses cannot run code between validation and the fill", async (t) => {
  const fake = Object.create(nn.Generator.prototype) as nn.Generator;
  t.throws(() => nn.uniform(new Float32Array(4), { generator: fake }), { name: "TypeError", code: "ERR_INVALID_ARG_TYPE", message: /"generator" option/ });
  let calls = 0;
  class Sneaky extends nn.Generator {
    target: Float32Array | null = null;
    override nextKey(): bigint {
      calls++;
      if (this.target) structuredClone(this.target.buffer, { transfer: [this.target.buffer as ArrayBuffer] });
      return "not a key" as unknown as bigint;
    }
  }
  const g = new Sneaky(11n);
  const out = new Float32Array(5000);
  g.target = out;
  nn.normal(out, { generator: g });
  t.equal(calls, 0, "the override was not called by the fill");
  t.equal(out.length, 5000, "out is still attached");
  t.ok(view(out).equals(view(nn.normal(new Float32Array(5000), { generator: new nn.Generator(11n) }))), "the fill used the Generator's own key");
  t.equal(g.state, stepped(11n, 1), "and took exactly one");
  t.equal(new nn.Generator(11n).nextKey(), new nn.Generator(11n).nextKey(), "nextKey() itself still works");
});

// ---- shard splits, Generator replay, model shards ---------------------------------------------
/** A whole-tensor case (offset undefined), seeded: the base of the shard property. */
const wholeArb = caseArb.filter((c) => c.method.offsets !== false).map((c): Case => {
  const length = c.shape === undefined ? Math.min(c.length, 3 * B + 9) : sizeOf(c.shape);
  return { ...c, offset: undefined, length, pad: 0, frozen: false, key: c.key.mode === "seed" ? c.key : { mode: "seed", seed: c.key.seed } };
});

t.test("any shard split of a fill concatenates to the whole fill", async (t) => {
  const failures: string[] = [];
  assertCollect(failures, () => fc.assert(
    fc.property(wholeArb.chain((c) => fc.tuple(fc.constant(c), fc.array(fc.integer({ min: 0, max: c.length }), { maxLength: 6 }))), ([c, cuts]) => {
      counts.shards++;
      const whole = build(c);
      invoke(SYNC, c.method, whole);
      const points = [0, ...cuts.sort((x, y) => x - y), c.length];
      const joined = new Uint8Array(whole.whole.length);
      const es = CTOR[c.dtype].BYTES_PER_ELEMENT;
      for (let i = 0; i + 1 < points.length; i++) {
        const piece = build({ ...c, offset: points[i], length: points[i + 1] - points[i] });
        invoke(SYNC, c.method, piece);
        joined.set(piece.whole, points[i] * es);
      }
      const ok = hex(joined) === hex(whole.whole);
      if (!ok) failures.push(`${describeCase(c)} cuts [${points}]`);
      return ok;
    }),
    runs(0x5eed03, 200),
  ));
  t.same(failures.slice(0, 3), [], `${counts.shards} shard splits`);
});

t.test("Generator sequences replay after manualSeed, one key per successful call", async (t) => {
  const failures: string[] = [];
  const callArb = fc.tuple(caseArb.filter((c) => c.method.random), fc.boolean());
  assertCollect(failures, () => fc.assert(
    fc.property(fc.bigInt({ min: 0n, max: U64 }), fc.array(callArb, { minLength: 1, maxLength: 6 }), fc.boolean(), (seed, calls, useDefault) => {
      counts.sequences++;
      const g = useDefault ? nn.manualSeed(seed) : new nn.Generator(seed);
      const run = (): string[] => calls.map(([c, failing]) => {
        const a = build({ ...c, optionsStyle: "plain", key: { mode: "seed", seed: 0 } });
        const options = { ...(a.options as Record<string, unknown>) };
        delete options.seed;
        if (!useDefault) options.generator = g;
        if (failing) options.threads = 0; // a failed call between the fills takes no key
        a.options = options;
        try {
          invoke(SYNC, c.method, a);
        } catch (e) {
          return failing && e instanceof RangeError ? "failed" : `unexpected ${String(e)}`;
        }
        return hex(a.whole);
      });
      const first = run();
      const taken = first.filter((x) => x !== "failed").length;
      const stateOk = g.state === stepped(seed, taken);
      g.manualSeed(seed);
      const again = run();
      const ok = stateOk && first.every((x, i) => x === again[i]) && !first.some((x) => x.startsWith("unexpected"));
      if (!ok) failures.push(`seed ${seed}${useDefault ? " (default generator)" : ""}: ${calls.map(([c, f]) => `${describeCase(c)}${f ? " failing" : ""}`).join(" / ")}${stateOk ? "" : `: state ${g.state}, want ${stepped(seed, taken)} after ${taken} keys`}`);
      return ok;
    }),
    runs(0x5eed04, 100),
  ));
  t.same(failures.slice(0, 3), [], `${counts.sequences} call sequences replayed`);
});

t.test("nninit/model: every rank's shard reassembles to initModel's tensor", async (t) => {
  const inits = ["normal", "uniform", "truncNormal", "xavierUniform", "kaimingNormal", "lecunNormal", "zeros", "constant"] as const;
  const specArb = fc.record({
    rows: fc.integer({ min: 1, max: 90 }),
    cols: fc.integer({ min: 1, max: 200 }),
    init: fc.constantFrom(...inits),
    dtype: fc.constantFrom<"float32" | "bfloat16" | "float64" | "float16">("float32", "bfloat16", "float64", "float16"),
    seed: fc.oneof(fc.maxSafeNat(), fc.bigInt({ min: 0n, max: U64 })),
    worldSize: fc.integer({ min: 1, max: 5 }),
    dim: fc.constantFrom<0 | 1 | "flat">(0, 1, "flat"),
  });
  const failures: string[] = [];
  assertCollect(failures, () => fc.assert(
    fc.property(specArb, (s) => {
      counts.models++;
      const spec: model.TensorSpec[] = [
        { name: "emb", shape: [s.rows, s.cols], init: s.init, dtype: s.dtype, ...(s.init === "constant" ? { options: { value: 0.5 } } : {}) },
        { name: "bias", shape: [s.cols], init: "normal" as const, options: { std: 0.1 } },
      ];
      const whole = model.initModel(spec, { seed: s.seed }).get("emb") as OutArray;
      const got = new (whole.constructor as Ctor)(whole.length);
      for (let rank = 0; rank < s.worldSize; rank++) {
        const sh = model.initShard(spec, "emb", { seed: s.seed, rank, worldSize: s.worldSize, dim: s.dim });
        const w = sh.cols[1] - sh.cols[0];
        if (s.dim === "flat") got.set(sh.data as never, sh.rows[0]);
        else for (let r = sh.rows[0]; r < sh.rows[1]; r++) got.set(sh.data.subarray((r - sh.rows[0]) * w, (r - sh.rows[0] + 1) * w) as never, r * s.cols + sh.cols[0]);
      }
      const ok = view(got).equals(view(whole));
      if (!ok) failures.push(JSON.stringify({ ...s, seed: String(s.seed) }));
      return ok;
    }),
    runs(0x5eed05, 60),
  ));
  t.same(failures.slice(0, 3), [], `${counts.models} model specs sharded`);
});

t.test("nninit/model: a zero-length shard is validated like the whole tensor (spec errors surface at defineModel)", async (t) => {
  const spec: model.TensorSpec[] = [{ name: "w", shape: [3, 4], init: "xavierUniform", options: { gain: 3e38 } }];
  t.throws(() => model.defineModel(spec), { name: "RangeError", message: /Tensor "w".*"gain" option/ }, "the dry run (a zero-length fill) rejects the overflowing gain");
  t.throws(() => nn.xavierUniform(new Float32Array(0), [3, 4], { seed: 1, offset: 12, gain: 3e38 }), { name: "RangeError", message: /"gain" option/ }, "so does an empty shard at the end");
});

// ---- computeFans and calculateGain -------------------------------------------------------------
t.test("computeFans and calculateGain match their formulas; bad input throws naming the argument", async (t) => {
  const prod = (a: number[]) => a.reduce((x, y) => x * y, 1);
  fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 1000 }), { maxLength: 5 }), fc.constantFrom<"torch" | "keras">("torch", "keras"), (shape, layout) => {
    const n = shape.length;
    if (layout === "torch" && n < 2) {
      try { nn.computeFans(shape, layout); return false; } catch (e) { return e instanceof RangeError && /"shape"/.test(e.message); }
    }
    const want = layout === "torch"
      ? { fanIn: shape[1] * prod(shape.slice(2)), fanOut: shape[0] * prod(shape.slice(2)) }
      : n === 0 ? { fanIn: 1, fanOut: 1 } : n === 1 ? { fanIn: shape[0], fanOut: shape[0] }
        : { fanIn: shape[n - 2] * prod(shape.slice(0, -2)), fanOut: shape[n - 1] * prod(shape.slice(0, -2)) };
    const got = nn.computeFans(shape, layout);
    return got.fanIn === want.fanIn && got.fanOut === want.fanOut;
  }), runs(0x5eed06, 200));
  fc.assert(fc.property(fc.double({ min: -1e150, max: 1e150, noNaN: true }), (slope) =>
    nn.calculateGain("leaky_relu", slope) === Math.sqrt(2 / (1 + slope * slope))), runs(0x5eed07, 200));
  fc.assert(fc.property(fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.constant(null)), (bad) => {
    if ((NONLINEARITIES as readonly unknown[]).includes(bad)) return true;
    try { nn.calculateGain(bad as nn.Nonlinearity); return false; } catch (e) {
      return (e instanceof RangeError || e instanceof TypeError) && /"nonlinearity"/.test((e as Error).message);
    }
  }), runs(0x5eed08, 200));
  t.pass("600 computeFans / calculateGain cases");
});

// ---- the raw binding ---------------------------------------------------------------------------
t.test("raw binding: random argument vectors throw only TypeError/RangeError and never write outside out", { skip: nativeBinding === null ? "native backend not loaded" : false }, async (t) => {
  const b = nativeBinding!;
  const junk = fc.oneof(fc.anything({ maxDepth: 1 }), fc.double(), fc.integer({ min: -5, max: 2 ** 33 }), fc.constantFrom(undefined, -0, 2 ** 53, NaN));
  const PARAMS = [Float32Array.from([0, 1]), Float32Array.from([0, 1]), Float32Array.from([0, 1, 0.02275, 0.9545, 1, -2, 2])];
  const argsArb = fc.record({
    async: fc.boolean(),
    constant: fc.boolean(),
    dtype: fc.integer({ min: 0, max: 3 }),
    length: fc.integer({ min: 0, max: 3 * B }),
    pad: fc.integer({ min: 1, max: 8 }),
    kernel: fc.integer({ min: 0, max: 2 }),
    /** Which arguments to replace with junk (bit i: argument i). */
    mask: fc.integer({ min: 0, max: 511 }),
    junks: fc.array(junk, { minLength: 9, maxLength: 9 }),
    count: fc.integer({ min: 0, max: 10 }),
    offset: fc.oneof(fc.maxSafeNat(), fc.integer({ min: 0, max: 5 * B })),
  });
  const failures: string[] = [];
  await fc.assert(fc.asyncProperty(argsArb, async (r) => {
    counts.binding++;
    const ctor = [Float32Array, Float64Array, Uint16Array, Uint16Array][r.dtype] as Ctor;
    const whole = new ctor(r.length + 2 * r.pad);
    const bytes = new Uint8Array(whole.buffer);
    bytes.fill(CANARY);
    const out = whole.subarray(r.pad, r.pad + r.length);
    const good: unknown[] = r.constant ? [out, r.dtype, 0.5, 2] : [out, r.dtype, r.kernel, PARAMS[r.kernel], 1, 2, Math.min(r.offset, MAX - r.length), 2];
    let args = good.map((v, i) => ((r.mask >> i) & 1 ? r.junks[i] : v));
    if (r.count < args.length && r.mask % 7 === 0) args = args.slice(0, r.count);
    const before = hex(bytes);
    const fn = (r.constant ? (r.async ? b.fillConstantAsync : b.fillConstant) : (r.async ? b.fillAsync : b.fill)) as (...a: unknown[]) => unknown;
    let err: unknown;
    try {
      const p = fn(...args);
      if (r.async) await (p as Promise<unknown>).catch((e: unknown) => { err = e; });
    } catch (e) {
      err = e;
    }
    const problems: string[] = [];
    if (err !== undefined && !(err instanceof TypeError || err instanceof RangeError)) problems.push(`threw ${String(err)}`);
    if (err !== undefined && hex(bytes) !== before) problems.push("threw but wrote");
    const head = bytes.subarray(0, r.pad * ctor.BYTES_PER_ELEMENT);
    const tail = bytes.subarray((r.pad + r.length) * ctor.BYTES_PER_ELEMENT);
    if (!head.every((x) => x === CANARY) || !tail.every((x) => x === CANARY)) problems.push("wrote outside out");
    if (problems.length > 0) failures.push(`${JSON.stringify({ ...r, junks: undefined })}: ${problems.join("; ")}`);
    return problems.length === 0;
  }), runs(0x5eed09, 1000)).catch((err: Error) => failures.push(err.message.split("\n").slice(0, 2).join(" ")));
  t.same(failures.slice(0, 3), [], `${counts.binding} raw binding calls`);
});

t.teardown(() => {
  // one line for the CI log: how much was fuzzed in this run
  console.log(`# fuzz: ${counts.valid} valid cases, ${counts.invalid} invalid inputs, ${counts.shards} shard splits, ` +
    `${counts.sequences} generator sequences, ${counts.models} model specs, ${counts.binding} raw binding calls, ` +
    `${counts.matrixValid} valid and ${counts.matrixInvalid} invalid matrix calls (NNINIT_FUZZ_RUNS=${SCALE})`);
});
