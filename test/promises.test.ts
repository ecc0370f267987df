/**
 * nninit/promises: same results as the sync API (every family), argument errors reject instead
 * of throwing, the resolved value is `out`, and concurrent fills do not interfere.
 */
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
