/**
 * The native backend as a component: what it reports and how NNINIT_* select it, that every bad
 * argument to the raw binding throws (never crashes, never writes), worker_threads, concurrent
 * async fills, a worker terminated mid-fill, and the detach hazard of async fills into ordinary
 * ArrayBuffers (TOOLCHAIN.md §7, §8). Output values themselves are checked in parity.test.ts.
 */
import t from "tap";
import { Worker } from "node:worker_threads";
import { active, jsBackend, nativeBackendFor, nativeBinding, nativeIsas, ISA_IDS } from "../lib/backend/select.js";
import { PACKAGE_ROOT, type NativeBinding } from "../lib/backend/native.js";
import type { RandomPlan } from "../lib/plan/plan.js";

const skip = nativeBinding === null ? `native backend not loaded: ${jsBackend.info.loadError}` : false;
const b = nativeBinding as NativeBinding;
const U = Float32Array.from([-1, 2]);
const N = Float32Array.from([0, 1]);
const T = Float32Array.from([0, 1, Math.fround(0.02275013194817921), Math.fround(0.9544997361036416), 1, -2, 2]);
const PARAMS = [U, N, T];
/** Path of the loaded nninit.node, for workers. */
const nodePath = (require("node-gyp-build") as { resolve(dir: string): string }).resolve(PACKAGE_ROOT);

/** Sync native fill of [offset, offset + n) as the reference for async/worker fills. */
function syncFill(kernel: number, n: number, keyLo: number, offset = 0, dtype = 0): Float32Array | Float64Array | Uint16Array {
  const out = dtype === 0 ? new Float32Array(n) : dtype === 1 ? new Float64Array(n) : new Uint16Array(n);
  b.fill(out, dtype, kernel, PARAMS[kernel], 0, keyLo, offset, 1);
  return out;
}

const same = (a: ArrayBufferView, c: ArrayBufferView): boolean =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(c.buffer, c.byteOffset, c.byteLength));

t.test("backend reporting and environment selection", { skip }, async (t) => {
  t.equal(active.info.name, "native");
  t.equal(active.info.loadError, undefined);
  t.ok(nativeIsas.includes(active.info.isa as string), "the active ISA is a supported one");
  const info = b.info();
  t.same(info.isas, nativeIsas);
  t.ok(info.compiled.every((i) => (ISA_IDS as readonly string[]).includes(i)), "compiled ISAs use the known ids");
  t.ok(info.threads >= 1 && info.hardwareThreads >= 1);

  const saved = { ...process.env };
  const original = info.isa;
  t.teardown(() => {
    process.env = saved;
    b.setIsa(original);
    b.setThreads(0);
  });
  const fresh = (env: Record<string, string | undefined>, mocks: Record<string, unknown> = {}) => {
    process.env = { ...saved, ...env };
    return t.mockRequire("../lib/backend/select.js", mocks) as typeof import("../lib/backend/select.js");
  };
  for (const isa of nativeIsas) {
    const s = fresh({ NNINIT_ISA: isa, NNINIT_THREADS: "3" });
    t.equal(s.active.info.isa, isa, `NNINIT_ISA=${isa} is the active ISA`);
    t.equal(s.nativeBinding?.info().isa, isa, "and the binding's default");
    t.equal(s.active.info.threads, 3, "NNINIT_THREADS=3");
  }
  const js = fresh({ NNINIT_BACKEND: "js" });
  t.equal(js.active.info.name, "js");
  t.match(js.active.info.loadError, /NNINIT_BACKEND=js/);
  t.throws(() => fresh({ NNINIT_BACKEND: "gpu" }), /NNINIT_BACKEND must be one of "native", "js". Received "gpu"/);
  t.throws(() => fresh({ NNINIT_ISA: "sse9" }), /NNINIT_ISA must be one of "scalar", "avx2", "avx512", "neon"/);
  const unsupported = ISA_IDS.find((i) => !nativeIsas.includes(i));
  if (unsupported) t.throws(() => fresh({ NNINIT_ISA: unsupported }), /is not supported by this build and CPU; valid values here/);
  t.throws(() => fresh({ NNINIT_THREADS: "0" }), /NNINIT_THREADS must be an integer in 1..1024/);
  t.throws(() => fresh({ NNINIT_THREADS: "two" }), /NNINIT_THREADS/);
  const broken = { "../lib/backend/native.js": { ...require("../lib/backend/native.js"), loadBinding: () => { throw new Error("no build for this platform"); } } };
  const fallback = fresh({}, broken);
  t.equal(fallback.active.info.name, "js");
  t.equal(fallback.active.info.loadError, "no build for this platform");
  t.throws(() => fresh({ NNINIT_BACKEND: "native" }, broken), /NNINIT_BACKEND=native, but the native backend did not load: no build/);
});

t.test("every bad argument to the raw binding throws and writes nothing", { skip }, async (t) => {
  const out = new Float32Array(16).fill(7);
  const good = [out, 0, 0, U, 0, 1, 0, 1] as const;
  const fill = (...args: unknown[]) => () => (b.fill as (...a: unknown[]) => void)(...args);
  const replace = (i: number, v: unknown) => fill(...good.slice(0, i), v, ...good.slice(i + 1));
  const cases: [string, () => unknown, new (...a: never[]) => Error][] = [
    ["no arguments", fill(), RangeError],
    ["too many arguments", fill(...good, "avx2", 1), RangeError],
    ["out not a typed array", replace(0, [1, 2]), TypeError],
    ["out an ArrayBuffer", replace(0, new ArrayBuffer(64)), TypeError],
    ["out of the wrong element type", replace(0, new Int32Array(4)), TypeError],
    ["float64 dtype for a Float32Array", replace(1, 1), TypeError],
    ["dtype out of range", replace(1, 4), RangeError],
    ["dtype not an integer", replace(1, 0.5), RangeError],
    ["dtype a string", replace(1, "float32"), TypeError],
    ["kernel out of range", replace(2, 3), RangeError],
    ["kernel negative", replace(2, -1), RangeError],
    ["params not a Float32Array", replace(3, [0, 1]), TypeError],
    ["params a Float64Array", replace(3, new Float64Array(2)), TypeError],
    ["params of the wrong length", replace(3, new Float32Array(7)), RangeError],
    ["keyHi negative", replace(4, -1), RangeError],
    ["keyHi >= 2^32", replace(4, 2 ** 32), RangeError],
    ["keyLo fractional", replace(5, 1.5), RangeError],
    ["keyLo NaN", replace(5, NaN), RangeError],
    ["keyLo a bigint", replace(5, 1n), TypeError],
    ["offset negative", replace(6, -1), RangeError],
    ["offset fractional", replace(6, 0.25), RangeError],
    ["offset infinite", replace(6, Infinity), RangeError],
    ["offset + length > 2^53 - 1", replace(6, Number.MAX_SAFE_INTEGER - 8), RangeError],
    ["threads negative", replace(7, -1), RangeError],
    ["threads > 1024", replace(7, 1025), RangeError],
    ["threads a string", replace(7, "2"), TypeError],
    ["isa unknown", fill(...good, "sse9"), RangeError],
    ["isa not a string", fill(...good, 2), TypeError],
    ["truncNormal with 2 params", fill(out, 0, 2, U, 0, 1, 0, 1), RangeError],
    ["fillConstant: wrong dtype", () => (b.fillConstant as (...a: unknown[]) => void)(out, 2, 1, 1), TypeError],
    ["fillConstant: value a string", () => (b.fillConstant as (...a: unknown[]) => void)(out, 0, "1", 1), TypeError],
    ["fillConstant: bad threads", () => (b.fillConstant as (...a: unknown[]) => void)(out, 0, 1, 2000), RangeError],
    ["streamFill: a Float64Array", () => (b.streamFill as (...a: unknown[]) => void)(new Float64Array(4), 1, 1), TypeError],
    ["streamFill: missing threads", () => (b.streamFill as (...a: unknown[]) => void)(out, 1), RangeError],
    ["setThreads: 1025", () => b.setThreads(1025), RangeError],
    ["setThreads: none", () => (b.setThreads as (...a: unknown[]) => void)(), RangeError],
    ["setIsa: unknown", () => b.setIsa("mmx"), RangeError],
    ["setIsa: a number", () => (b.setIsa as (...a: unknown[]) => void)(1), TypeError],
  ];
  for (const [name, call, ctor] of cases) {
    t.throws(call, ctor, name);
    t.ok(out.every((v) => v === 7), `${name}: out untouched`);
  }
  t.throws(replace(6, -1), { code: "ERR_OUT_OF_RANGE", message: /The "offset" argument must be an integer in \[0, 9007199254740991\]. Received -1/ });
  t.throws(replace(0, "x"), { code: "ERR_INVALID_ARG_TYPE", message: /The "out" argument must be a Float32Array/ });
  // async entry points throw synchronously on bad arguments (the Backend turns that into a rejection)
  t.throws(() => (b.fillAsync as (...a: unknown[]) => unknown)(out, 0, 0, U, 0, 1, -5, 1), RangeError);
  const plan: RandomPlan = { kind: "random", kernel: "uniform", params: U, key: 1n, offset: -1, dtype: "float32", threads: 0 };
  await t.rejects(nativeBackendFor("scalar").fillAsync(plan, out), RangeError, "Backend.fillAsync rejects");
  t.ok(out.every((v) => v === 7));
  // a detached array has length 0: nothing to do, no crash
  const gone = new Float32Array(8);
  structuredClone(gone.buffer, { transfer: [gone.buffer] });
  t.doesNotThrow(() => b.fill(gone, 0, 0, U, 0, 1, 0, 1));
  await t.resolves(b.fillAsync(gone, 0, 0, U, 0, 1, 0, 1));
});

/** Runs `code` in a worker with `data`; resolves with its first message. */
function inWorker(code: string, data: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const w = new Worker(code, { eval: true, workerData: data });
    w.once("message", (m) => {
      resolve(m);
      void w.terminate();
    });
    w.once("error", reject);
  });
}

const WORKER_FILL = `
const { workerData: d, parentPort } = require("node:worker_threads");
const b = require(d.nodePath);
const out = new Float32Array(d.sab, d.from * 4, d.to - d.from);
const params = Float32Array.from(d.params);
(async () => {
  if (d.async) await b.fillAsync(out, 0, d.kernel, params, 0, 77, d.from, 2);
  else b.fill(out, 0, d.kernel, params, 0, 77, d.from, 2);
  parentPort.postMessage(b.info().isa);
})();
`;

t.test("worker_threads fill disjoint slices of one SharedArrayBuffer, sync and async", { skip }, async (t) => {
  const n = 1_000_003;
  for (const async of [false, true]) {
    for (const kernel of [0, 1, 2]) {
      const sab = new SharedArrayBuffer(n * 4);
      const cuts = [0, 4095, 300_001, 300_002, 777_777, n];
      await Promise.all(cuts.slice(1).map((to, i) =>
        inWorker(WORKER_FILL, { nodePath, sab, from: cuts[i], to, kernel, params: Array.from(PARAMS[kernel]), async })));
      t.ok(same(new Float32Array(sab), syncFill(kernel, n, 77)), `kernel ${kernel} ${async ? "async" : "sync"}`);
    }
  }
});

t.test("many concurrent async fills settle with the sync results", { skip }, async (t) => {
  const jobs = Array.from({ length: 96 }, (_, i) => {
    const kernel = i % 3, dtype = i % 4, n = (i * 7919) % 300_000, offset = i * 1001;
    const out = dtype === 0 ? new Float32Array(n) : dtype === 1 ? new Float64Array(n) : new Uint16Array(n);
    return { kernel, dtype, n, offset, out, i, p: b.fillAsync(out, dtype, kernel, PARAMS[kernel], 0, i, offset, 1 + (i % 3)) };
  });
  const shared = new Float32Array(new SharedArrayBuffer(4 * 500_000));
  const sp = b.fillAsync(shared, 0, 1, N, 0, 5, 12345, 0);
  await Promise.all(jobs.map((j) => j.p));
  await sp;
  const bad = jobs.filter((j) => !same(j.out, syncFill(j.kernel, j.n, j.i, j.offset, j.dtype))).map((j) => j.i);
  t.same(bad, [], "96 async fills equal their sync fills");
  t.ok(same(shared, syncFill(1, 500_000, 5, 12345)), "SharedArrayBuffer filled in place");
  const c = new Float64Array(70_000);
  await b.fillConstantAsync(c, 1, 0.1, 2);
  t.ok(c.every((v) => v === 0.1), "fillConstantAsync");
  await t.resolves(active.fillAsync({ kind: "constant", value: 2, dtype: "float32", threads: 0 }, new Float32Array(3)));
});

t.test("a worker terminated mid-fill leaves the process alive", { skip }, async (t) => {
  const code = `
const { workerData: d, parentPort } = require("node:worker_threads");
const b = require(d.nodePath);
const N = Float32Array.from([0, 1]);
for (let i = 0; i < 4; i++) b.fillAsync(new Float32Array(1 << 23), 0, 1, N, 0, i, 0, 2).catch(() => {});
b.fillAsync(new Float32Array(d.sab), 0, 1, N, 0, 9, 0, 2).catch(() => {});
b.fillAsync(new Float32Array(new SharedArrayBuffer(1 << 25)), 0, 1, N, 0, 9, 0, 2).catch(() => {});
parentPort.postMessage("started");
for (;;) b.fill(new Float32Array(1 << 20), 0, 1, N, 0, 1, 0, 1);
`;
  for (let round = 0; round < 3; round++) {
    const sab = new SharedArrayBuffer(1 << 24);
    const w = new Worker(code, { eval: true, workerData: { nodePath, sab } });
    await new Promise((resolve) => w.once("message", resolve));
    await new Promise((resolve) => setTimeout(resolve, round * 5));
    await w.terminate();
  }
  const out = new Float32Array(100_000);
  await b.fillAsync(out, 0, 1, N, 0, 3, 0, 2);
  t.ok(same(out, syncFill(1, 100_000, 3)), "fills still work after the terminations");
});

t.test("detach hazard: transferring the buffer during an async fill", { skip }, async (t) => {
  for (const kernel of [0, 1, 2]) {
    const out = new Float32Array(1 << 22);
    const p = b.fillAsync(out, 0, kernel, PARAMS[kernel], 0, 1, 0, 2);
    const moved = new Float32Array(structuredClone(out.buffer, { transfer: [out.buffer] }));
    t.equal(out.length, 0, "out is detached");
    await t.rejects(p, { name: "RangeError", code: "ERR_INVALID_STATE" }, `kernel ${kernel}: the promise rejects`);
    await new Promise((resolve) => setTimeout(resolve, 20));
    t.ok(moved.every((v) => v === 0), `kernel ${kernel}: the transferred copy was never written`);
  }
  // the transferred copy dropped and collected while the fill runs
  for (let i = 0; i < 8; i++) {
    const out = new Float64Array(1 << 21);
    const p = b.fillAsync(out, 1, 1, N, 0, i, 0, 2);
    structuredClone(out.buffer, { transfer: [out.buffer] });
    (globalThis as { gc?: () => void }).gc?.();
    await t.rejects(p, RangeError);
  }
  // a subarray of a live buffer gets exactly its elements
  const whole = new Float32Array(10_000).fill(-1);
  await b.fillAsync(whole.subarray(3, 9_000), 0, 0, U, 0, 4, 3, 2);
  t.ok(same(whole.subarray(3, 9_000), syncFill(0, 8_997, 4, 3)));
  t.equal(whole[2], -1);
  t.equal(whole[9_000], -1);
});

t.test("the harness can tell: parity views detect a changed element", { skip }, async (t) => {
  const a = syncFill(0, 100, 1);
  const c = a.slice();
  c[57] = Math.fround(c[57] * (1 + 2 ** -20));
  t.notOk(same(a, c));
});
