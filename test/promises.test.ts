/**
 * nninit/promises: same results as the sync API (every family), argument errors reject instead
 * of throwing, the resolved value is `out`, and concurrent fills do not interfere. AbortSignal:
 * validation, pre-aborted, abort mid-fill (the buffer's state), late abort, listener cleanup.
 */
import { getEventListeners } from "node:events";
import t from "tap";
import * as sync from "../lib/index.js";
import * as promises from "../lib/promises.js";

const bytes = (a: ArrayBufferView): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

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
  t.throws(() => sync.uniform(out, { seed: 1, signal }), { name: "RangeError", code: "ERR_INVALID_ARG_VALUE", message: /only by the "nninit\/promises" functions/ });
  t.throws(() => sync.constant(out, 1, { signal }), { name: "RangeError", code: "ERR_INVALID_ARG_VALUE" });
  t.throws(() => sync.kaimingNormal(out, [50, 100], { signal }), RangeError);
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
