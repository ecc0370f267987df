/**
 * nninit/promises: same results as the sync API (every family), argument errors reject instead
 * of throwing, the resolved value is `out`, and concurrent fills do not interfere. AbortSignal:
 * validation, pre-aborted, abort mid-fill (the buffer's state), late abort, listener cleanup.
 */
import { getEventListeners } from "node:events";
import t from "tap";
import * as sync from "../lib/index.js";
import * as promises from "../lib/promises.js";
import { bytes } from "./helpers.js";


t.test("each async function equals its sync twin, and resolves with out", async (t) => {
  const n = 70_000; // above the native small-fill threshold, so the pool really runs
  const cases: [string, (o: Float32Array) => unknown, (o: Float32Array) => Promise<unknown>][] = [
    ["uniform", (o) => sync.uniform(o, { seed: 1, low: -2, high: 3 }), (o) => promises.uniform(o, { seed: 1, low: -2, high: 3 })],
    ["normal", (o) => sync.normal(o, { seed: 2, std: 0.5 }), (o) => promises.normal(o, { seed: 2, std: 0.5 })],
    ["truncNormal", (o) => sync.truncNormal(o, { seed: 3, offset: 4099 }), (o) => promises.truncNormal(o, { seed: 3, offset: 4099 })],
    ["constant", (o) => sync.constant(o, 0.25), (o) => promises.constant(o, 0.25)],
    ["kaimingNormal", (o) => sync.kaimingNormal(o, [700, 100], { seed: 4 }), (o) => promises.kaimingNormal(o, [700, 100], { seed: 4 })],
    ["xavierUniform", (o) => sync.xavierUniform(o, [700, 100], { seed: 5 }), (o) => promises.xavierUniform(o, [700, 100], { seed: 5 })],
    ["lecunNormal", (o) => sync.lecunNormal(o, [700, 100], { seed: 6 }), (o) => promises.lecunNormal(o, [700, 100], { seed: 6 })],
    ["varianceScaling", (o) => sync.varianceScaling(o, [700, 100], { seed: 7, mode: "fanAvg" }), (o) => promises.varianceScaling(o, [700, 100], { seed: 7, mode: "fanAvg" })],
  ];
  for (const [name, s, a] of cases) {
    const expected = new Float32Array(n);
    s(expected);
    const out = new Float32Array(n);
    const result = await a(out);
    t.equal(result, out, `${name} resolves with out`);
    t.ok(bytes(out).equals(bytes(expected)), `${name}: async bytes equal sync bytes`);
  }
});

t.test("16-bit and shared-memory outputs", async (t) => {
  const expected = sync.normal(new Uint16Array(50_000), { seed: 9, dtype: "bfloat16" });
  const shared = new Uint16Array(new SharedArrayBuffer(100_000));
  await promises.normal(shared, { seed: 9, dtype: "bfloat16" });
  t.ok(bytes(shared).equals(bytes(expected)), "bfloat16 into a SharedArrayBuffer");
});

t.test("argument errors reject (never throw synchronously) and write nothing", async (t) => {
  const out = new Float32Array(16).fill(7);
  let threw = false;
  let p: Promise<unknown> | undefined;
  try {
    p = promises.normal(out, { std: -1 });
  } catch {
    threw = true;
  }
  t.notOk(threw, "no synchronous throw");
  await t.rejects(p!, { name: "RangeError", code: "ERR_OUT_OF_RANGE" });
  await t.rejects(promises.uniform([] as unknown as Float32Array), TypeError);
  t.ok(out.every((v) => v === 7), "out unchanged");
});

t.test("many concurrent fills resolve with the right values", async (t) => {
  const outs = Array.from({ length: 64 }, (_, i) => new Float32Array(1000 + 997 * i));
  await Promise.all(outs.map((o, i) => promises.uniform(o, { seed: i })));
  outs.forEach((o, i) => {
    t.ok(bytes(o).equals(bytes(sync.uniform(new Float32Array(o.length), { seed: i }))), `fill ${i}`);
  });
});

// ---- AbortSignal (lib/promises.ts, docs/safety.md "Aborting an async fill") ----
const SENTINEL = 7777; // outside every range the fills below can produce
const abortListeners = (s: AbortSignal): number => getEventListeners(s, "abort").length;
const native = sync.backend.name === "native";

t.test("signal: an invalid signal rejects (TypeError); the sync API refuses one (RangeError); nothing written", async (t) => {
  const out = new Float32Array(5000).fill(SENTINEL);
  for (const bad of [{}, "signal", 1, null, new AbortController()]) {
    await t.rejects(promises.uniform(out, { seed: 1, signal: bad as never }), { name: "TypeError", code: "ERR_INVALID_ARG_TYPE", message: /"signal" option must be an AbortSignal/ });
  }
  await t.rejects(promises.zeros(out, { signal: {} as never }), { name: "TypeError", code: "ERR_INVALID_ARG_TYPE" });
  const signal = new AbortController().signal;
  t.throws(() => sync.uniform(out, { seed: 1, signal } as never), { name: "RangeError", code: "ERR_INVALID_ARG_VALUE", message: /only by the "nninit\/promises" functions/ }); // as never: the sync types have no signal
  t.throws(() => sync.constant(out, 1, { signal } as never), { name: "RangeError", code: "ERR_INVALID_ARG_VALUE" });
  t.throws(() => sync.kaimingNormal(out, [50, 100], { signal } as never), RangeError);
  t.ok(out.every((v) => v === SENTINEL), "out unchanged");
  // argument errors come before the abort check
  const aborted = AbortSignal.abort();
  await t.rejects(promises.normal(out, { std: -1, signal: aborted }), { name: "RangeError", code: "ERR_OUT_OF_RANGE" });
});

t.test("an already-aborted signal rejects with its reason, writes nothing and draws no stream key", async (t) => {
  const out = new Float32Array(300_000).fill(SENTINEL);
  const reason = new Error("stop now");
  const custom = AbortSignal.abort(reason);
  const calls: [string, (s: AbortSignal) => Promise<unknown>][] = [
    ["uniform", (signal) => promises.uniform(out, { seed: 1, signal })],
    ["normal", (signal) => promises.normal(out, { seed: 1, signal })],
    ["truncNormal", (signal) => promises.truncNormal(out, { signal })],
    ["kaimingUniform", (signal) => promises.kaimingUniform(out, [3000, 100], { signal })],
    ["varianceScaling", (signal) => promises.varianceScaling(out, [3000, 100], { seed: 2, signal })],
    ["constant", (signal) => promises.constant(out, 3, { signal })],
    ["ones", (signal) => promises.ones(out, { signal })],
  ];
  for (const [name, call] of calls) {
    await t.rejects(call(custom), reason, `${name}: rejects with the signal's own reason`);
    await t.rejects(call(AbortSignal.abort()), { name: "AbortError" }, `${name}: default reason is an AbortError DOMException`);
  }
  t.ok(out.every((v) => v === SENTINEL), "out unchanged");
  const g = new sync.Generator(99);
  await t.rejects(promises.normal(out, { generator: g, signal: custom }), reason);
  const a = sync.normal(new Float32Array(100), { generator: g });
  const b = sync.normal(new Float32Array(100), { generator: new sync.Generator(99) });
  t.ok(bytes(a).equals(bytes(b)), "the generator did not advance");
  t.equal(abortListeners(custom), 0, "no listener left");
});

t.test("abort right after the call: rejects with AbortError, a non-shared out is unchanged", async (t) => {
  const n = 64 << 20; // 256 MiB: far longer to fill on one thread than the abort takes
  const out = new Float32Array(n).fill(SENTINEL);
  const ac = new AbortController();
  const p = promises.normal(out, { seed: 5, threads: 1, signal: ac.signal });
  ac.abort();
  await t.rejects(p, { name: "AbortError" });
  let changed = 0;
  for (let i = 0; i < n; i++) if (out[i] !== SENTINEL) changed++;
  t.equal(changed, 0, "no element of out changed");
  t.equal(abortListeners(ac.signal), 0, "listener removed");
});

t.test("abort mid-fill into a SharedArrayBuffer: the fill stops between tasks; what was written is right", { skip: native ? false : "the JS backend fills in one piece" }, async (t) => {
  const n = 128 << 20; // 512 MiB, truncNormal on one thread: ~0.1 s, far longer than the abort takes
  const out = new Float32Array(new SharedArrayBuffer(n * 4)).fill(SENTINEL);
  const ac = new AbortController();
  const p = promises.truncNormal(out, { seed: 6, threads: 1, signal: ac.signal });
  t.equal(abortListeners(ac.signal), 1, "one listener while the fill runs");
  // spin (the pool thread works meanwhile) until the first task has written, then abort at once
  const words = new Int32Array(out.buffer);
  const unwritten = new Int32Array(Float32Array.of(SENTINEL).buffer)[0];
  const deadline = Date.now() + 60_000;
  while (Atomics.load(words, 0) === unwritten && Date.now() < deadline);
  ac.abort();
  await t.rejects(p, { name: "AbortError" });
  // one pool thread runs the tasks in order: the written part is a prefix
  let k = 0;
  while (k < n && out[k] !== SENTINEL) k++;
  t.ok(k > 0 && k < n, `stopped early: ${k} of ${n} elements written`);
  let after = 0;
  for (let i = k; i < n; i++) if (out[i] !== SENTINEL) after++;
  t.equal(after, 0, "nothing written past the prefix");
  const expected = sync.truncNormal(new Float32Array(k), { seed: 6 });
  t.ok(bytes(out.subarray(0, k)).equals(bytes(expected)), "the written prefix equals the sync fill");
  t.equal(abortListeners(ac.signal), 0, "listener removed");
});

t.test("abort after completion is a no-op; listeners never accumulate", async (t) => {
  const ac = new AbortController();
  const outs = Array.from({ length: 40 }, (_, i) => new Float32Array(70_000 + 4097 * i));
  await Promise.all(outs.map((o, i) => (i % 2 === 0 ? promises.uniform(o, { seed: i, signal: ac.signal }) : promises.constant(o, i, { signal: ac.signal }))));
  t.equal(abortListeners(ac.signal), 0, "0 listeners after 40 resolved fills");
  ac.abort();
  outs.forEach((o, i) => {
    const expected = i % 2 === 0 ? sync.uniform(new Float32Array(o.length), { seed: i }) : new Float32Array(o.length).fill(i);
    t.ok(bytes(o).equals(bytes(expected)), `fill ${i} intact after the late abort`);
  });
  const bad = new AbortController();
  await t.rejects(promises.uniform(new Float32Array(8), { low: 2, high: 1, signal: bad.signal }), RangeError);
  t.equal(abortListeners(bad.signal), 0, "0 listeners after a validation error");
});

// ---- look-alike signals and the async write rule (issue 15) -----------------------------------
type Fns = Record<string, (...a: unknown[]) => unknown>;
const S = sync as unknown as Fns;
const P = promises as unknown as Fns;
/** [name, elements of out, call(fns, out, extra options)]; each call is deterministic (seeded). */
const ZCA_DATA = Float64Array.from({ length: 50 * 10 }, (_, i) => Math.sin(i * 12.9898) * 43758.5453 % 1);
const ASYNC_CALLS: [string, number, (f: Fns, out: Float32Array, x: object) => unknown][] = [
  ["uniform", 7000, (f, o, x) => f.uniform(o, { seed: 1, ...x })],
  ["normal", 7000, (f, o, x) => f.normal(o, { seed: 2, std: 0.5, ...x })],
  ["truncNormal", 7000, (f, o, x) => f.truncNormal(o, { seed: 3, offset: 11, ...x })],
  ["constant", 7000, (f, o, x) => f.constant(o, 0.25, x)],
  ["zeros", 7000, (f, o, x) => f.zeros(o, x)],
  ["ones", 7000, (f, o, x) => f.ones(o, x)],
  ["xavierUniform", 7000, (f, o, x) => f.xavierUniform(o, [70, 100], { seed: 4, ...x })],
  ["kaimingNormal", 7000, (f, o, x) => f.kaimingNormal(o, [70, 100], { seed: 5, ...x })],
  ["lecunNormal", 7000, (f, o, x) => f.lecunNormal(o, [70, 100], { seed: 6, ...x })],
  ["varianceScaling", 7000, (f, o, x) => f.varianceScaling(o, [70, 100], { seed: 7, mode: "fanAvg", ...x })],
  ["orthogonal", 7000, (f, o, x) => f.orthogonal(o, [70, 100], { seed: 8, gain: 2, ...x })],
  ["sparse", 7000, (f, o, x) => f.sparse(o, [70, 100], { seed: 9, sparsity: 0.4, std: 1, ...x })],
  ["eye", 7000, (f, o, x) => f.eye(o, [70, 100], x)],
  ["dirac", 7000, (f, o, x) => f.dirac(o, [7, 10, 10, 10], x)],
  ["zca", 100, (f, o, x) => f.zca(o, ZCA_DATA, { rows: 50, cols: 10, ...x })],
];
/** Methods whose async form writes at the end of an off-thread (or later-microtask) fill; eye, dirac and zca write during the call. */
const WRITES_LATER = new Set(["uniform", "normal", "truncNormal", "constant", "zeros", "ones", "xavierUniform", "kaimingNormal", "lecunNormal", "varianceScaling", "orthogonal", "sparse"]);
const reference = (name: string, n: number): Float32Array => {
  const out = new Float32Array(n);
  ASYNC_CALLS.find(([m]) => m === name)![2](S, out, {});
  return out;
};
type Resizable = ArrayBuffer & { resize(n: number): void };
const resizable = (bytes: number, max: number): Resizable => new (ArrayBuffer as unknown as new (n: number, o: object) => Resizable)(bytes, { maxByteLength: max });
const realLength = (a: ArrayBufferView): number => (Reflect.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype), "length")!.get!).call(a) as number;

/**
 * A real AbortSignal whose members (own, or on an inserted prototype) record that they ran and do
 * `harm`. (`dispatchEvent` too, unless `keepDispatch`: AbortController.abort() itself calls the
 * signal's dispatchEvent, so replacing it silences the abort for every listener, nninit's included.)
 */
function hostile(signal: AbortSignal, where: "own" | "inherited", harm: () => void, ran: string[], keepDispatch = false): AbortSignal {
  const target = where === "own" ? signal : Object.create(AbortSignal.prototype);
  const rec = (name: string) => { ran.push(`${where} ${name}`); harm(); };
  for (const name of ["aborted", "reason", "onabort"]) {
    Object.defineProperty(target, name, { configurable: true, get() { rec(name); return name === "aborted" ? false : "a fake reason"; } });
  }
  for (const name of ["throwIfAborted", "addEventListener", "removeEventListener", ...(keepDispatch ? [] : ["dispatchEvent"])]) {
    Object.defineProperty(target, name, { configurable: true, writable: true, value() { rec(name); } });
  }
  if (where === "inherited") Object.setPrototypeOf(signal, target);
  return signal;
}

t.test("an AbortSignal whose own or inherited members detach or shrink out: none of them runs, the fill resolves with the sync result", async (t) => {
  for (const [name, n, call] of ASYNC_CALLS) {
    const want = bytes(reference(name, n));
    for (const where of ["own", "inherited"] as const) {
      for (const harm of ["detach", "shrink"] as const) {
        const buffer = resizable(n * 4, 2 * n * 4);
        const out = new Float32Array(buffer);
        const ran: string[] = [];
        const signal = hostile(new AbortController().signal, where, () => {
          if (buffer.byteLength === 0) return;
          if (harm === "detach") structuredClone(buffer, { transfer: [buffer] });
          else buffer.resize(n * 2);
        }, ran);
        let result: unknown;
        try {
          result = await call(P, out, { signal });
        } catch (e) {
          result = e;
        }
        t.equal(result, out, `${name}, ${where} members that ${harm} out: resolves with out`);
        t.same(ran, [], `${name}, ${where}: no member of the signal ran`);
        t.ok(realLength(out) === n && bytes(out).equals(want), `${name}, ${where} (${harm}): out holds the sync result`);
        t.equal(abortListeners(signal), 0, `${name}, ${where}: no listener left on the signal`);
      }
    }
  }
});

t.test("a hostile signal still aborts through the built-in members: the real reason, nothing written, no key drawn", async (t) => {
  for (const where of ["own", "inherited"] as const) {
    // pre-aborted, while its own `aborted` getter says false and `reason` lies
    const reason = new Error(`really aborted (${where})`);
    const ran: string[] = [];
    const pre = hostile(AbortSignal.abort(reason), where, () => {}, ran);
    for (const [name, n, call] of ASYNC_CALLS) {
      const out = new Float32Array(n).fill(SENTINEL);
      await t.rejects(Promise.resolve().then(() => call(P, out, { signal: pre })), reason, `${name} (${where}): rejects with the real reason`);
      t.ok(out.every((v) => v === SENTINEL), `${name} (${where}): nothing written`);
    }
    for (const [name, call] of [["normal", (g: sync.Generator) => promises.normal(new Float32Array(70), { generator: g, signal: pre })],
      ["orthogonal", (g: sync.Generator) => promises.orthogonal(new Float32Array(70), [7, 10], { generator: g, signal: pre })],
      ["sparse", (g: sync.Generator) => promises.sparse(new Float32Array(70), [7, 10], { sparsity: 0.5, generator: g, signal: pre })]] as const) {
      const g = new sync.Generator(21);
      await t.rejects(call(g), reason, `${name} (${where}): rejects`);
      t.equal(g.state, 21n, `${name} (${where}): no key drawn`);
    }
    t.same(ran, [], `${where}: no member of the pre-aborted signal ran`);
    // aborted right after the call: the follower cancels the fill
    const ac = new AbortController();
    const ran2: string[] = [];
    const live = hostile(ac.signal, where, () => {}, ran2, true);
    const n = 4 << 20;
    const out = new Float32Array(n).fill(SENTINEL);
    const p = promises.normal(out, { seed: 5, threads: 1, signal: live });
    const why = new Error("stop");
    ac.abort(why);
    await t.rejects(p, why, `${where}: an abort after the call rejects with its real reason`);
    let changed = 0;
    for (let i = 0; i < n; i++) if (out[i] !== SENTINEL) changed++;
    t.equal(changed, 0, `${where}: a non-shared out is unchanged`);
    t.same(ran2, [], `${where}: no member of the live signal ran`);
    t.equal(abortListeners(live), 0, `${where}: the listener was removed`);
  }
});

t.test("look-alike signals (Proxy, prototype-only, duck-typed, AbortController, EventTarget) reject with a TypeError naming signal; no trap runs", async (t) => {
  for (const [name, n, call] of ASYNC_CALLS) {
    const out = new Float32Array(n).fill(SENTINEL);
    let trapped = 0;
    const harm = () => { trapped++; if (out.length > 0) structuredClone(out.buffer, { transfer: [out.buffer as ArrayBuffer] }); };
    const real = new AbortController().signal;
    const proxy = new Proxy(real, { get: (o, k) => { harm(); return Reflect.get(o, k); }, getPrototypeOf: (o) => { harm(); return Reflect.getPrototypeOf(o); } });
    const duck = { aborted: false, reason: undefined, throwIfAborted: harm, addEventListener: harm, removeEventListener: harm };
    for (const [what, signal] of [["a Proxy of a real AbortSignal", proxy], ["Object.create(AbortSignal.prototype)", Object.create(AbortSignal.prototype)], ["a duck-typed signal", duck],
      ["an AbortController", new AbortController()], ["an EventTarget", new EventTarget()], ["a function", () => false]] as const) {
      await t.rejects(Promise.resolve().then(() => call(P, out, { signal })), { name: "TypeError", code: "ERR_INVALID_ARG_TYPE", message: /"signal" option must be an AbortSignal/ }, `${name}: ${what}`);
    }
    t.equal(trapped, 0, `${name}: no trap or method of a look-alike ran`);
    t.ok(realLength(out) === n && out.every((v) => v === SENTINEL), `${name}: out attached and unchanged`);
  }
});

t.test("one rule for every async method: out's elements as checked are written at the end, all or none (grown: the first n; shrunk or detached: ERR_INVALID_STATE, nothing written)", async (t) => {
  const state = { name: "RangeError", code: "ERR_INVALID_STATE" };
  for (const [name, n, call] of ASYNC_CALLS) {
    const want = reference(name, n);
    const later = WRITES_LATER.has(name);
    // grown while the fill runs: the n elements it was checked with are written, the new ones stay 0
    {
      const buffer = resizable(n * 4, 3 * n * 4);
      const out = new Float32Array(buffer).fill(SENTINEL);
      const p = call(P, out, {});
      buffer.resize(3 * n * 4);
      t.equal(await p, out, `${name}: grown: resolves`);
      t.ok(bytes(out.subarray(0, n)).equals(bytes(want)), `${name}: grown: the first ${n} elements hold the result`);
      t.ok(out.subarray(n).every((v) => v === 0), `${name}: grown: the new elements are untouched`);
    }
    // shrunk while the fill runs: rejects, the remaining elements are unchanged
    {
      const buffer = resizable(n * 4, n * 4);
      const out = new Float32Array(buffer).fill(SENTINEL);
      const p = Promise.resolve(call(P, out, {}));
      buffer.resize((n >> 1) * 4);
      if (later) {
        await t.rejects(p, state, `${name}: shrunk: rejects with ERR_INVALID_STATE`);
        t.ok(out.length === n >> 1 && out.every((v) => v === SENTINEL), `${name}: shrunk: nothing written`);
      } else {
        t.equal(await p, out, `${name}: written during the call, before the shrink: resolves`);
        t.ok(bytes(out).equals(bytes(want.subarray(0, n >> 1))), `${name}: the elements left hold the result`);
      }
    }
    // detached while the fill runs: rejects, the moved buffer is unchanged
    {
      const out = new Float32Array(n).fill(SENTINEL);
      const p = Promise.resolve(call(P, out, {}));
      const moved = new Float32Array(structuredClone(out.buffer, { transfer: [out.buffer as ArrayBuffer] }));
      if (later) {
        await t.rejects(p, state, `${name}: detached: rejects with ERR_INVALID_STATE`);
        t.ok(moved.every((v) => v === SENTINEL), `${name}: detached: the moved buffer was not written`);
      } else {
        await p;
        t.ok(bytes(moved).equals(bytes(want)), `${name}: written during the call, before the transfer`);
      }
    }
    // shrunk and grown back before the fill writes: every element is there again, so it is written
    if (later) {
      const buffer = resizable(n * 4, n * 4);
      const out = new Float32Array(buffer).fill(SENTINEL);
      const p = call(P, out, {});
      buffer.resize(4);
      buffer.resize(n * 4);
      t.equal(await p, out, `${name}: shrunk and regrown: resolves`);
      t.ok(bytes(out).equals(bytes(want)), `${name}: shrunk and regrown: out holds the result`);
    }
    // a growable SharedArrayBuffer: written in place over the n elements
    {
      const gsab = new (SharedArrayBuffer as unknown as new (n: number, o: object) => SharedArrayBuffer)(n * 4, { maxByteLength: 2 * n * 4 });
      const out = new Float32Array(gsab).fill(SENTINEL);
      const p = call(P, out, {});
      (gsab as unknown as { grow(n: number): void }).grow(2 * n * 4);
      await p;
      t.ok(bytes(out.subarray(0, n)).equals(bytes(want)) && out.subarray(n).every((v) => v === 0), `${name}: growable shared buffer: the first ${n} written in place, the rest untouched`);
    }
  }
});
