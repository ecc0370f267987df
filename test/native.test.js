"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * The native backend as a component: what it reports and how NNINIT_* select it, that every bad
 * argument to the raw binding throws (never crashes, never writes), worker_threads, concurrent
 * async fills, a worker terminated mid-fill, and the detach hazard of async fills into ordinary
 * ArrayBuffers (docs/safety.md §4, §5). Output values themselves are checked in parity.test.ts.
 * orthonormalize (native/linalg/): orthonormality, Qᵀ·A upper triangular with a positive diagonal,
 * agreement with the TS Householder reference, bit-identical results for every thread count,
 * argument checks, and the async variant's detach hazard.
 * sparseZeros (native/core/sparse.cc): byte-identical to lib/stream/sparseRows.ts (the spec's
 * executable form, itself pinned by the Python vectors in stream.test.ts) for every dtype, shape
 * edge, seed, thread count and ISA argument; argument checks that throw and write nothing.
 */
const tap_1 = __importDefault(require("tap"));
const node_worker_threads_1 = require("node:worker_threads");
const node_os_1 = require("node:os");
const select_js_1 = require("../lib/backend/select.js");
const helpers_js_1 = require("./helpers.js");
const native_js_1 = require("../lib/backend/native.js");
const normal_js_1 = require("../lib/api/normal.js");
const execute_js_1 = require("../lib/api/execute.js");
const sparseRows_js_1 = require("../lib/stream/sparseRows.js");
const validate_js_1 = require("../lib/plan/validate.js");
const skip = select_js_1.nativeBinding === null ? `native backend not loaded: ${select_js_1.jsBackend.info.loadError}` : false;
const b = select_js_1.nativeBinding;
const U = Float32Array.from([-1, 2]);
const N = Float32Array.from([0, 1]);
const T = Float32Array.from([0, 1, Math.fround(0.02275013194817921), Math.fround(0.9544997361036416), 1, -2, 2]);
const PARAMS = [U, N, T];
/** Path of the loaded nninit.node, for workers. */
const nodePath = require("node-gyp-build").resolve(native_js_1.PACKAGE_ROOT);
/** Sync native fill of [offset, offset + n) as the reference for async/worker fills. */
function syncFill(kernel, n, keyLo, offset = 0, dtype = 0) {
    const out = dtype === 0 ? new Float32Array(n) : dtype === 1 ? new Float64Array(n) : new Uint16Array(n);
    b.fill(out, dtype, kernel, PARAMS[kernel], 0, keyLo, offset, 1);
    return out;
}
tap_1.default.test("backend reporting and environment selection", { skip }, async (t) => {
    t.equal(select_js_1.active.info.name, "native");
    t.equal(select_js_1.active.info.loadError, undefined);
    t.ok(select_js_1.nativeIsas.includes(select_js_1.active.info.isa), "the active ISA is a supported one");
    const info = b.info();
    t.same(info.isas, select_js_1.nativeIsas);
    t.ok(info.compiled.every((i) => select_js_1.ISA_IDS.includes(i)), "compiled ISAs use the known ids");
    t.ok(info.threads >= 1 && info.hardwareThreads >= 1);
    const saved = { ...process.env };
    const original = info.isa;
    t.teardown(() => {
        process.env = saved;
        b.setIsa(original);
        b.setThreads(0);
    });
    const fresh = (env, mocks = {}) => {
        process.env = { ...saved, ...env };
        return t.mockRequire("../lib/backend/select.js", mocks);
    };
    await (0, helpers_js_1.eachIsa)(t, async (isa) => {
        const s = fresh({ NNINIT_ISA: isa, NNINIT_THREADS: "3" });
        t.equal(s.active.info.isa, isa, `NNINIT_ISA=${isa} is the active ISA`);
        t.equal(s.nativeBinding?.info().isa, isa, "and the binding's default");
        t.equal(s.active.info.threads, 3, "NNINIT_THREADS=3");
    });
    const js = fresh({ NNINIT_BACKEND: "js" });
    t.equal(js.active.info.name, "js");
    t.match(js.active.info.loadError, /NNINIT_BACKEND=js/);
    t.throws(() => fresh({ NNINIT_BACKEND: "gpu" }), /NNINIT_BACKEND must be one of "native", "wasm", "js". Received "gpu"/);
    const wasm = fresh({ NNINIT_BACKEND: "wasm" });
    t.equal(wasm.active.info.name, "wasm", "NNINIT_BACKEND=wasm");
    t.equal(wasm.active.info.isa, "simd128");
    t.equal(wasm.active.info.threads, (0, node_os_1.availableParallelism)(), "its async fills' workers: the hardware's threads by default");
    t.equal(fresh({ NNINIT_BACKEND: "wasm", NNINIT_THREADS: "3" }).active.info.threads, 3, "NNINIT_THREADS=3 for wasm too");
    t.equal(wasm.nativeBinding, null, "no native binding is loaded");
    t.match(wasm.active.info.loadError, /NNINIT_BACKEND=wasm/);
    t.equal(wasm.active, wasm.wasmBackend, "forced: no fallback warning wrapper");
    const noSimd = { "../lib/backend/wasm.js": { ...require("../lib/backend/wasm.js"), wasmUnavailableReason: () => "no SIMD128 here" } };
    t.throws(() => fresh({ NNINIT_BACKEND: "wasm" }, noSimd), /NNINIT_BACKEND=wasm, but the WebAssembly backend is not available: no SIMD128 here/);
    t.equal(fresh({}, noSimd).active.info.name, "native", "native first, wasm or not");
    t.equal(fresh({}, noSimd).wasmBackend, null, "wasmBackend is null without SIMD128");
    t.throws(() => fresh({ NNINIT_ISA: "sse9" }), /NNINIT_ISA must be one of "scalar", "avx2", "avx512", "neon"/);
    const unsupported = select_js_1.ISA_IDS.find((i) => !select_js_1.nativeIsas.includes(i));
    if (unsupported)
        t.throws(() => fresh({ NNINIT_ISA: unsupported }), /is not supported by this build and CPU; valid values here/);
    t.throws(() => fresh({ NNINIT_THREADS: "0" }), /NNINIT_THREADS must be an integer in 1..1024/);
    t.throws(() => fresh({ NNINIT_THREADS: "two" }), /NNINIT_THREADS/);
    const broken = { "../lib/backend/native.js": { ...require("../lib/backend/native.js"), loadBinding: () => { throw new Error("no build for this platform"); } } };
    const fallback = fresh({}, broken);
    t.equal(fallback.active.info.name, "wasm", "no native: wasm");
    t.equal(fallback.active.info.isa, "simd128");
    t.equal(fallback.active.info.loadError, "no build for this platform");
    const neither = fresh({}, { ...broken, ...noSimd });
    t.equal(neither.active.info.name, "js", "no native, no SIMD128: js");
    t.equal(neither.active.info.loadError, "no build for this platform; the WebAssembly backend is not available either: no SIMD128 here");
    t.throws(() => fresh({ NNINIT_BACKEND: "native" }, broken), /NNINIT_BACKEND=native, but the native backend did not load: no build/);
});
tap_1.default.test("a fallback nobody asked for warns once (NNINIT_FALLBACK), on its first fill", async (t) => {
    const saved = { ...process.env };
    t.teardown(() => {
        process.env = saved;
    });
    const broken = { "../lib/backend/native.js": { ...require("../lib/backend/native.js"), loadBinding: () => { throw new Error("no build for this platform"); } } };
    const noSimd = { "../lib/backend/wasm.js": { ...require("../lib/backend/wasm.js"), wasmUnavailableReason: () => "no SIMD128 here" } };
    const load = (env, wasm = true) => {
        process.env = { ...saved, NNINIT_BACKEND: undefined, NNINIT_NO_FALLBACK_WARNING: undefined, ...env };
        for (const [k, v] of Object.entries(process.env))
            if (v === undefined)
                delete process.env[k];
        return t.mockRequire("../lib/backend/select.js", wasm ? broken : { ...broken, ...noSimd });
    };
    const out = new Float32Array(64);
    const captured = (0, execute_js_1.capturePlan)(() => (0, normal_js_1.normal)(out, { seed: 1 }));
    if (captured === null)
        throw new Error("normal() did not reach execute()");
    const warnings = [];
    const listener = (w) => void warnings.push(w);
    process.on("warning", listener);
    t.teardown(() => void process.off("warning", listener));
    const settle = () => new Promise((r) => setImmediate(r));
    // without native: wasm (this engine has SIMD128), and js where wasm is unavailable too
    for (const [wasm, name, says] of [[true, "wasm", /fills run on the WebAssembly backend \(the same bits, slower than native\)/],
        [false, "js", /fills run on the pure-TypeScript backend \(the same bits, several times slower\)/]]) {
        warnings.length = 0;
        out.fill(0);
        const s = load({}, wasm);
        t.equal(s.active.info.name, name);
        await settle();
        t.equal(warnings.length, 0, "loading does not warn");
        s.active.fill(captured.plan, out);
        s.active.fill(captured.plan, out);
        await s.active.fillAsync(captured.plan, out);
        s.active.orthonormalize(new Float32Array(4), 2, 2, 1, false, 0);
        await settle();
        t.equal(warnings.length, 1, `${name}: one warning over four calls`);
        t.equal(warnings[0].code, "NNINIT_FALLBACK");
        t.match(warnings[0]?.message, says, "it names the backend used");
        t.match(warnings[0]?.message, /npm rebuild nninit/);
        t.match(warnings[0].detail, /Reason: no build for this platform/);
        t.same(Array.from(out), Array.from((0, normal_js_1.normal)(new Float32Array(64), { seed: 1 })), `the ${name} fallback's fill is the reference`);
    }
    for (const env of [{ NNINIT_NO_FALLBACK_WARNING: "1" }, { NNINIT_BACKEND: "js" }, { NNINIT_BACKEND: "wasm" }]) {
        warnings.length = 0;
        const s = load(env);
        s.active.fill(captured.plan, out);
        await settle();
        t.equal(warnings.length, 0, `no warning with ${JSON.stringify(env)} (${s.active.info.name})`);
    }
});
tap_1.default.test("every bad argument to the raw binding throws and writes nothing", { skip }, async (t) => {
    const out = new Float32Array(16).fill(7);
    const good = [out, 0, 0, U, 0, 1, 0, 1];
    const fill = (...args) => () => b.fill(...args);
    const replace = (i, v) => fill(...good.slice(0, i), v, ...good.slice(i + 1));
    const cases = [
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
        ["fillConstant: wrong dtype", () => b.fillConstant(out, 2, 1, 1), TypeError],
        ["fillConstant: value a string", () => b.fillConstant(out, 0, "1", 1), TypeError],
        ["fillConstant: bad threads", () => b.fillConstant(out, 0, 1, 2000), RangeError],
        ["streamFill: a Float64Array", () => b.streamFill(new Float64Array(4), 1, 1), TypeError],
        ["streamFill: missing threads", () => b.streamFill(out, 1), RangeError],
        ["setThreads: 1025", () => b.setThreads(1025), RangeError],
        ["setThreads: none", () => b.setThreads(), RangeError],
        ["setIsa: unknown", () => b.setIsa("mmx"), RangeError],
        ["setIsa: a number", () => b.setIsa(1), TypeError],
    ];
    for (const [name, call, ctor] of cases) {
        t.throws(call, ctor, name);
        t.ok(out.every((v) => v === 7), `${name}: out untouched`);
    }
    t.throws(replace(6, -1), { code: "ERR_OUT_OF_RANGE", message: /The "offset" argument must be an integer in \[0, 9007199254740991\]. Received -1/ });
    t.throws(replace(0, "x"), { code: "ERR_INVALID_ARG_TYPE", message: /The "out" argument must be a Float32Array/ });
    // async entry points throw synchronously on bad arguments (the Backend turns that into a rejection)
    t.throws(() => b.fillAsync(out, 0, 0, U, 0, 1, -5, 1), RangeError);
    const plan = { kind: "random", kernel: "uniform", params: U, key: 1n, offset: -1, dtype: "float32", threads: 0 };
    await t.rejects((0, select_js_1.nativeBackendFor)("scalar").fillAsync(plan, out), RangeError, "Backend.fillAsync rejects");
    t.ok(out.every((v) => v === 7));
    // a detached array has length 0: nothing to do, no crash
    const gone = new Float32Array(8);
    structuredClone(gone.buffer, { transfer: [gone.buffer] });
    t.doesNotThrow(() => b.fill(gone, 0, 0, U, 0, 1, 0, 1));
    await t.resolves(b.fillAsync(gone, 0, 0, U, 0, 1, 0, 1));
});
/** Runs `code` in a worker with `data`; resolves with its first message. */
function inWorker(code, data) {
    return new Promise((resolve, reject) => {
        const w = new node_worker_threads_1.Worker(code, { eval: true, workerData: data });
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
tap_1.default.test("worker_threads fill disjoint slices of one SharedArrayBuffer, sync and async", { skip }, async (t) => {
    const n = 1_000_003;
    for (const async of [false, true]) {
        for (const kernel of [0, 1, 2]) {
            const sab = new SharedArrayBuffer(n * 4);
            const cuts = [0, 4095, 300_001, 300_002, 777_777, n];
            await Promise.all(cuts.slice(1).map((to, i) => inWorker(WORKER_FILL, { nodePath, sab, from: cuts[i], to, kernel, params: Array.from(PARAMS[kernel]), async })));
            t.ok((0, helpers_js_1.sameBytes)(new Float32Array(sab), syncFill(kernel, n, 77)), `kernel ${kernel} ${async ? "async" : "sync"}`);
        }
    }
});
tap_1.default.test("many concurrent async fills settle with the sync results", { skip }, async (t) => {
    const jobs = Array.from({ length: 96 }, (_, i) => {
        const kernel = i % 3, dtype = i % 4, n = (i * 7919) % 300_000, offset = i * 1001;
        const out = dtype === 0 ? new Float32Array(n) : dtype === 1 ? new Float64Array(n) : new Uint16Array(n);
        return { kernel, dtype, n, offset, out, i, p: b.fillAsync(out, dtype, kernel, PARAMS[kernel], 0, i, offset, 1 + (i % 3)) };
    });
    const shared = new Float32Array(new SharedArrayBuffer(4 * 500_000));
    const sp = b.fillAsync(shared, 0, 1, N, 0, 5, 12345, 0);
    await Promise.all(jobs.map((j) => j.p));
    await sp;
    const bad = jobs.filter((j) => !(0, helpers_js_1.sameBytes)(j.out, syncFill(j.kernel, j.n, j.i, j.offset, j.dtype))).map((j) => j.i);
    t.same(bad, [], "96 async fills equal their sync fills");
    t.ok((0, helpers_js_1.sameBytes)(shared, syncFill(1, 500_000, 5, 12345)), "SharedArrayBuffer filled in place");
    const c = new Float64Array(70_000);
    await b.fillConstantAsync(c, 1, 0.1, 2);
    t.ok(c.every((v) => v === 0.1), "fillConstantAsync");
    await t.resolves(select_js_1.active.fillAsync({ kind: "constant", value: 2, dtype: "float32", threads: 0 }, new Float32Array(3)));
});
tap_1.default.test("a worker terminated mid-fill leaves the process alive", { skip }, async (t) => {
    const code = `
const { workerData: d, parentPort } = require("node:worker_threads");
const b = require(d.nodePath);
const N = Float32Array.from([0, 1]);
for (let i = 0; i < 4; i++) b.fillAsync(new Float32Array(1 << 23), 0, 1, N, 0, i, 0, 2).catch(() => {});
b.fillAsync(new Float32Array(d.sab), 0, 1, N, 0, 9, 0, 2).catch(() => {});
b.fillAsync(new Float32Array(new SharedArrayBuffer(1 << 25)), 0, 1, N, 0, 9, 0, 2).catch(() => {});
b.orthonormalizeAsync(new Float32Array(1500 * 1500).fill(0.5), 1500, 1500, 1, false, 2).catch(() => {});
parentPort.postMessage("started");
for (;;) b.fill(new Float32Array(1 << 20), 0, 1, N, 0, 1, 0, 1);
`;
    for (let round = 0; round < 3; round++) {
        const sab = new SharedArrayBuffer(1 << 24);
        const w = new node_worker_threads_1.Worker(code, { eval: true, workerData: { nodePath, sab } });
        await new Promise((resolve) => w.once("message", resolve));
        await new Promise((resolve) => setTimeout(resolve, round * 5));
        await w.terminate();
    }
    const out = new Float32Array(100_000);
    await b.fillAsync(out, 0, 1, N, 0, 3, 0, 2);
    t.ok((0, helpers_js_1.sameBytes)(out, syncFill(1, 100_000, 3)), "fills still work after the terminations");
    const q = gaussian(80, 30, 1);
    const ref = ortho(q, 80, 30, { threads: 1 });
    await b.orthonormalizeAsync(q, 80, 30, 1, false, 2);
    t.ok((0, helpers_js_1.sameBytes)(q, ref), "and so does orthonormalizeAsync");
});
tap_1.default.test("detach hazard: transferring the buffer during an async fill", { skip }, async (t) => {
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
        globalThis.gc?.();
        await t.rejects(p, RangeError);
    }
    // a subarray of a live buffer gets exactly its elements
    const whole = new Float32Array(10_000).fill(-1);
    await b.fillAsync(whole.subarray(3, 9_000), 0, 0, U, 0, 4, 3, 2);
    t.ok((0, helpers_js_1.sameBytes)(whole.subarray(3, 9_000), syncFill(0, 8_997, 4, 3)));
    t.equal(whole[2], -1);
    t.equal(whole[9_000], -1);
});
tap_1.default.test("the harness can tell: parity views detect a changed element", { skip }, async (t) => {
    const a = syncFill(0, 100, 1);
    const c = a.slice();
    c[57] = Math.fround(c[57] * (1 + 2 ** -20));
    t.notOk((0, helpers_js_1.sameBytes)(a, c));
});
// ---- orthonormalize ----
/** A row-major m×n matrix of N(0, 1) draws from the nninit stream. */
const gaussian = (m, n, seed) => (0, normal_js_1.normal)(new Float32Array(m * n), { seed });
/** Native orthonormalize of a copy of `a`. */
function ortho(a, m, n, opts = {}) {
    const q = a.slice();
    b.orthonormalize(q, m, n, opts.gain ?? 1, opts.transpose ?? false, opts.threads ?? 2, opts.isa);
    return q;
}
/**
 * max |Σ_i q[i][a]·q[i][c] − δ_ac| over column pairs (a, c) of `cols` (default all), in float64;
 * q is row-major with `n` columns and `m` rows.
 */
function gramError(q, m, n, cols) {
    const cs = cols ?? Array.from({ length: n }, (_, j) => j);
    let err = 0;
    for (let x = 0; x < cs.length; x++) {
        for (let y = x; y < cs.length; y++) {
            let s = 0;
            for (let i = 0; i < m; i++)
                s += q[i * n + cs[x]] * q[i * n + cs[y]];
            err = Math.max(err, Math.abs(s - (x === y ? 1 : 0)));
        }
    }
    return err;
}
/** The n×m row-major transpose of a row-major m×n matrix. */
function transposed(a, m, n) {
    const r = new Float32Array(m * n);
    for (let i = 0; i < m; i++)
        for (let j = 0; j < n; j++)
            r[j * m + i] = a[i * n + j];
    return r;
}
/**
 * R = Qᵀ·A (float64) for row-major q and a (m×n): its largest |R[i][j]| below the diagonal relative
 * to the largest |R[j][j]|, and its smallest diagonal element relative to the same.
 */
function triangularity(q, a, m, n) {
    let lower = 0, maxDiag = 0, minDiag = Infinity;
    for (let r = 0; r < n; r++) {
        for (let c = 0; c <= r; c++) {
            let s = 0;
            for (let i = 0; i < m; i++)
                s += q[i * n + r] * a[i * n + c];
            if (r === c) {
                maxDiag = Math.max(maxDiag, Math.abs(s));
                minDiag = Math.min(minDiag, s);
            }
            else {
                lower = Math.max(lower, Math.abs(s));
            }
        }
    }
    return { lower: lower / maxDiag, minDiag: minDiag / maxDiag };
}
const maxAbsDiff = (x, y) => {
    let d = 0;
    for (let i = 0; i < x.length; i++)
        d = Math.max(d, Math.abs(x[i] - y[i]));
    return d;
};
tap_1.default.test("orthonormalize: orthonormal columns (rows when transposed) on every ISA", { skip }, async (t) => {
    await (0, helpers_js_1.eachIsa)(t, async (isa) => {
        for (const [m, n] of [[1, 1], [5, 1], [7, 3], [64, 64], [300, 257], [129, 33]]) {
            const a = gaussian(m, n, m + n);
            const q = ortho(a, m, n, { isa });
            t.ok(gramError(q, m, n) <= 1e-5, `${isa} ${m}×${n}: ‖QᵀQ − I‖ ≤ 1e-5`);
            // wide n×m (n <= m) through the transpose: the n×m result has orthonormal rows
            const w = ortho(a, m, n, { isa, transpose: true });
            t.ok((0, helpers_js_1.sameBytes)(w, transposed(q, m, n)), `${isa} ${m}×${n}: the transposed write is the transpose, bit for bit`);
            t.ok(gramError(transposed(w, n, m), m, n) <= 1e-5, `${isa} ${n}×${m}: rows orthonormal`);
        }
        const m = 1000, n = 1000;
        const q = ortho(gaussian(m, n, 3), m, n, { isa });
        const cols = [0, 1, 2, 127, 128, 129, 255, 256, 511, 512, 640, 998, 999, ...Array.from({ length: 40 }, (_, i) => 13 + 24 * i)];
        t.ok(gramError(q, m, n, cols) <= 1e-5, `${isa} 1000×1000: ‖QᵀQ − I‖ ≤ 1e-5 over ${cols.length} columns`);
    });
    // negative control: a perturbed Q fails the check
    const q = ortho(gaussian(64, 64, 1), 64, 64);
    q[5 * 64 + 7] += 1e-4;
    t.ok(gramError(q, 64, 64) > 1e-5, "a perturbed element is detected");
});
tap_1.default.test("orthonormalize: Qᵀ·A is upper triangular with a positive diagonal (A = Q·R, Haar sign)", { skip }, async (t) => {
    await (0, helpers_js_1.eachIsa)(t, async (isa) => {
        for (const [m, n, seed] of [[7, 3, 1], [50, 20, 2], [64, 64, 3], [300, 257, 4]]) {
            const a = gaussian(m, n, seed);
            const q = ortho(a, m, n, { isa });
            const r = triangularity(q, a, m, n);
            t.ok(r.lower <= 1e-5, `${isa} ${m}×${n}: below-diagonal of QᵀA ≤ 1e-5 relative (${r.lower.toExponential(1)})`);
            t.ok(r.minDiag > 1e-4, `${isa} ${m}×${n}: diagonal of QᵀA positive (${r.minDiag.toExponential(1)})`);
        }
    });
    // negative control: Q without the sign correction of one column
    const a = gaussian(50, 20, 2);
    const q = ortho(a, 50, 20);
    for (let i = 0; i < 50; i++)
        q[i * 20 + 4] = -q[i * 20 + 4];
    t.ok(triangularity(q, a, 50, 20).minDiag < 0, "a negated column shows as a negative diagonal");
    // gain: f32(gain·q), i.e. gain times the gain-1 result to float32 precision
    const q1 = ortho(a, 50, 20);
    const q3 = ortho(a, 50, 20, { gain: -3 });
    t.ok(q1.every((v, i) => Math.abs(q3[i] + 3 * v) <= 3 * Math.abs(v) * 2 ** -22), "gain -3 scales Q by -3");
    t.ok(ortho(a, 50, 20, { gain: 0 }).every((v) => v === 0), "gain 0 gives zeros");
});
tap_1.default.test("orthonormalize: native agrees with the TS Householder reference to 1e-5", { skip }, async (t) => {
    for (const [m, n, seed] of [[1, 1, 9], [6, 1, 8], [7, 3, 1], [64, 64, 2], [130, 129, 3], [300, 257, 4], [257, 17, 5]]) {
        const a = gaussian(m, n, seed);
        for (const transpose of [false, true]) {
            const ref = a.slice();
            select_js_1.jsBackend.orthonormalize(ref, m, n, 1.5, transpose, 0);
            await (0, helpers_js_1.eachIsa)(t, async (isa) => {
                const q = ortho(a, m, n, { isa, gain: 1.5, transpose });
                t.ok(maxAbsDiff(q, ref) <= 1e-5, `${isa} ${m}×${n} seed ${seed}${transpose ? " transposed" : ""}: max |native − TS| ≤ 1e-5`);
            });
        }
    }
    // negative control: a different seed is far from the reference
    const ref = gaussian(64, 64, 2);
    select_js_1.jsBackend.orthonormalize(ref, 64, 64, 1.5, false, 0);
    t.ok(maxAbsDiff(ortho(gaussian(64, 64, 3), 64, 64, { gain: 1.5 }), ref) > 0.1, "another input disagrees");
});
tap_1.default.test("orthonormalize: the result is bit-identical for every thread count", { skip }, async (t) => {
    await (0, helpers_js_1.eachIsa)(t, async (isa) => {
        for (const [m, n] of [[700, 520], [1100, 300]]) {
            const a = gaussian(m, n, 11);
            const ref = ortho(a, m, n, { isa, threads: 1 });
            for (const threads of [2, 3, 7])
                t.ok((0, helpers_js_1.sameBytes)(ortho(a, m, n, { isa, threads }), ref), `${isa} ${m}×${n}: threads ${threads} = threads 1`);
            const async = a.slice();
            await b.orthonormalizeAsync(async, m, n, 1, false, 3, isa);
            t.ok((0, helpers_js_1.sameBytes)(async, ref), `${isa} ${m}×${n}: async (3 threads) = sync`);
        }
    });
    const be = (0, select_js_1.nativeBackendFor)(select_js_1.nativeIsas[0]);
    const a = gaussian(90, 40, 5);
    const viaBackend = a.slice();
    await be.orthonormalizeAsync(viaBackend, 90, 40, 2, true, 0);
    t.ok((0, helpers_js_1.sameBytes)(viaBackend, ortho(a, 90, 40, { gain: 2, transpose: true, isa: select_js_1.nativeIsas[0] })), "Backend.orthonormalizeAsync = the binding's sync result");
});
tap_1.default.test("orthonormalize: every bad argument throws and writes nothing", { skip }, async (t) => {
    const a = new Float32Array(12).fill(7);
    const good = [a, 4, 3, 1, false, 1];
    const call = (...args) => () => b.orthonormalize(...args);
    const replace = (i, v) => call(...good.slice(0, i), v, ...good.slice(i + 1));
    const cases = [
        ["no arguments", call(), RangeError],
        ["too many arguments", call(...good, "scalar", 1), RangeError],
        ["a a Float64Array", replace(0, new Float64Array(12)), TypeError],
        ["a an array", replace(0, [1, 2, 3]), TypeError],
        ["m not an integer", replace(1, 4.5), RangeError],
        ["m zero", replace(1, 0), RangeError],
        ["m a string", replace(1, "4"), TypeError],
        ["n zero", replace(2, 0), RangeError],
        ["n NaN", replace(2, NaN), RangeError],
        ["m < n", call(a, 3, 4, 1, false, 1), RangeError],
        ["a shorter than m·n", call(a, 5, 3, 1, false, 1), RangeError],
        ["huge m·n", call(a, 2 ** 40, 2 ** 20, 1, false, 1), RangeError],
        ["gain NaN", replace(3, NaN), RangeError],
        ["gain infinite", replace(3, -Infinity), RangeError],
        ["gain a string", replace(3, "1"), TypeError],
        ["transpose a number", replace(4, 1), TypeError],
        ["threads negative", replace(5, -1), RangeError],
        ["threads > 1024", replace(5, 1025), RangeError],
        ["isa unknown", call(...good, "sse9"), RangeError],
    ];
    for (const [name, fn, ctor] of cases) {
        t.throws(fn, ctor, name);
        t.ok(a.every((v) => v === 7), `${name}: a untouched`);
    }
    t.throws(() => b.orthonormalizeAsync(a, 3, 4, 1, false, 1), RangeError, "async: m < n throws synchronously");
    t.throws(() => b.orthonormalizeAsync(a, 4, 3, 1, "no", 1), TypeError, "async: bad transpose");
    t.throws(call(a, 5, 3, 1, false, 1), { code: "ERR_OUT_OF_RANGE", message: /The "a" argument must be of length >= m\*n = 15/ });
    t.throws(call(a, 3, 4, 1, false, 1), { message: /The "n" argument must be an integer in \[1, m\] \(m is 3\)/ });
    await t.rejects((0, select_js_1.nativeBackendFor)(select_js_1.nativeIsas[0]).orthonormalizeAsync(a, 4, 3, NaN, false, 0), RangeError, "Backend async rejects");
    t.ok(a.every((v) => v === 7));
    // a subarray: only its first m·n elements are written
    const whole = new Float32Array(30).fill(-1);
    const view = whole.subarray(2, 28);
    view.set(gaussian(4, 3, 1));
    b.orthonormalize(view, 4, 3, 1, false, 1);
    t.ok((0, helpers_js_1.sameBytes)(view.subarray(0, 12), ortho(gaussian(4, 3, 1), 4, 3)), "the matrix is written in place");
    t.ok(view.subarray(12).every((v) => v === -1) && whole[0] === -1 && whole[29] === -1, "nothing past m·n");
});
tap_1.default.test("orthonormalizeAsync: a transferred buffer rejects and is never written", { skip }, async (t) => {
    const m = 600, n = 600;
    const a = gaussian(m, n, 1);
    const copy = a.slice();
    const p = b.orthonormalizeAsync(a, m, n, 1, false, 2);
    const buffer = a.buffer;
    const moved = new Float32Array(structuredClone(buffer, { transfer: [buffer] }));
    t.equal(a.length, 0, "a is detached");
    await t.rejects(p, { name: "RangeError", code: "ERR_INVALID_STATE" });
    await new Promise((resolve) => setTimeout(resolve, 20));
    t.ok((0, helpers_js_1.sameBytes)(moved, copy), "the transferred copy still holds the input");
    // many concurrent calls settle with the sync results
    const jobs = Array.from({ length: 12 }, (_, i) => {
        const mm = 40 + 37 * i, nn = 10 + 23 * i;
        const x = gaussian(mm, nn, i);
        const out = x.slice();
        return { out, ref: ortho(x, mm, nn, { threads: 1 }), p: b.orthonormalizeAsync(out, mm, nn, 1, false, 1 + (i % 3)) };
    });
    await Promise.all(jobs.map((j) => j.p));
    t.ok(jobs.every((j) => (0, helpers_js_1.sameBytes)(j.out, j.ref)), "12 concurrent async calls equal their sync results");
});
/** rows·cols elements of dtype code d, none of them zero (so every written +0 shows). */
function prefilled(d, n) {
    const out = d === 0 ? new Float32Array(n) : d === 1 ? new Float64Array(n) : new Uint16Array(n);
    for (let i = 0; i < n; i++)
        out[i] = d >= 2 ? (i * 7919) % 65535 + 1 : (i % 251) + 0.5;
    return out;
}
/** The expected output: `prefilled` with +0 at sparseRows' positions. */
function expected(d, key, rows, cols, zeros) {
    const out = prefilled(d, rows * cols);
    (0, sparseRows_js_1.sparseRows)(key, rows, cols, zeros, (r, c) => {
        out[r * cols + c] = 0;
    });
    return out;
}
const hiLo = (key) => [Number(key >> 32n), Number(key & 0xffffffffn)];
tap_1.default.test("sparseZeros: byte-identical to sparseRows for every dtype, shape edge, seed, thread count, ISA", { skip }, async (t) => {
    const KEYS = [0n, 1n, 2n ** 64n - 1n, 0x9e3779b97f4a7c15n, 0x7370617273652e7an]; // the last: K ^ SPARSE_SALT = 0
    const SHAPES = [
        [1, 1, 0], [1, 1, 1], [1, 9, 1], [9, 1, 8], [5, 3, 0], [13, 17, 12], [13, 17, 13], [37, 129, 10],
        [100, 3, 99], [2, 40_000, 1], [300, 1000, 150], [0, 4, 0], [5, 0, 3], [3000, 700, 2700],
    ];
    for (const [rows, cols, zeros] of SHAPES) {
        const keys = rows * cols > 100_000 ? KEYS.slice(1, 3) : KEYS;
        const bad = [];
        let calls = 0;
        for (const key of keys) {
            const [hi, lo] = hiLo(key);
            for (let d = 0; d < 4; d++) {
                const want = expected(d, key, rows, cols, zeros);
                for (const threads of [1, 2, 3, 7]) {
                    for (const isa of [undefined, ...select_js_1.nativeIsas]) {
                        const out = prefilled(d, rows * cols);
                        b.sparseZeros(out, d, hi, lo, rows, cols, zeros, threads, isa);
                        calls++;
                        if (!(0, helpers_js_1.sameBytes)(out, want))
                            bad.push(`key ${key} ${validate_js_1.DTYPES[d]} threads ${threads} isa ${isa}`);
                    }
                }
            }
        }
        t.same(bad, [], `${rows}×${cols}, ${zeros} zeros: ${calls} calls equal the reference`);
    }
    // the check can fail: another key, or one zero fewer, gives other bytes
    const [hi, lo] = hiLo(1n);
    const out = prefilled(0, 13 * 17);
    b.sparseZeros(out, 0, hi, lo + 1, 13, 17, 12, 1);
    t.notOk((0, helpers_js_1.sameBytes)(out, expected(0, 1n, 13, 17, 12)), "negative control: key 2 ≠ key 1's positions");
    const fewer = prefilled(0, 13 * 17);
    b.sparseZeros(fewer, 0, hi, lo, 13, 17, 11, 1);
    t.notOk((0, helpers_js_1.sameBytes)(fewer, expected(0, 1n, 13, 17, 12)), "negative control: 11 zeros ≠ 12 zeros");
    t.equal(Array.from(fewer).filter((v) => v === 0).length, 11 * 17, "exactly zeros·cols +0");
    // the Backend method (bigint key, dtype names) on every ISA = the JS backend's
    await (0, helpers_js_1.eachIsa)(t, async (isa) => {
        for (const dtype of validate_js_1.DTYPES) {
            const d = validate_js_1.DTYPES.indexOf(dtype);
            const x = prefilled(d, 257 * 65), y = prefilled(d, 257 * 65);
            (0, select_js_1.nativeBackendFor)(isa).sparseZeros(x, dtype, 0xfedcba9876543210n, 257, 65, 200, 0);
            select_js_1.jsBackend.sparseZeros(y, dtype, 0xfedcba9876543210n, 257, 65, 200, 0);
            t.ok((0, helpers_js_1.sameBytes)(x, y) && !(0, helpers_js_1.sameBytes)(x, prefilled(d, 257 * 65)), `Backend.sparseZeros ${isa} ${dtype} = the JS backend`);
        }
    });
});
tap_1.default.test("sparseZeros: every bad argument throws and writes nothing", { skip }, async (t) => {
    const out = new Float32Array(12).fill(7);
    const good = [out, 0, 0, 5, 4, 3, 2, 1];
    const call = (...args) => () => b.sparseZeros(...args);
    const replace = (i, v) => call(...good.slice(0, i), v, ...good.slice(i + 1));
    const cases = [
        ["no arguments", call(), RangeError],
        ["too many arguments", call(...good, "scalar", 1), RangeError],
        ["out an array", replace(0, [1, 2, 3]), TypeError],
        ["out a Float64Array for float32", replace(0, new Float64Array(12)), TypeError],
        ["out a Float32Array for bfloat16", replace(1, 2), TypeError],
        ["dtype 4", replace(1, 4), RangeError],
        ["dtype a string", replace(1, "float32"), TypeError],
        ["keyHi 2^32", replace(2, 2 ** 32), RangeError],
        ["keyLo negative", replace(3, -1), RangeError],
        ["keyLo a bigint", replace(3, 5n), TypeError],
        ["rows 4.5", replace(4, 4.5), RangeError],
        ["rows NaN", replace(4, NaN), RangeError],
        ["rows 2^32", call(new Float32Array(0), 0, 0, 5, 2 ** 32, 0, 0, 1), RangeError],
        ["rows a string", replace(4, "4"), TypeError],
        ["cols negative", replace(5, -3), RangeError],
        ["length < rows·cols", replace(5, 4), RangeError],
        ["length > rows·cols", replace(5, 2), RangeError],
        ["rows·cols overflowing", call(out, 0, 0, 5, 2 ** 32 - 1, 2 ** 52, 1, 1), RangeError],
        ["zeros > rows", replace(6, 5), RangeError],
        ["zeros negative", replace(6, -1), RangeError],
        ["zeros undefined", replace(6, undefined), TypeError],
        ["threads > 1024", replace(7, 1025), RangeError],
        ["isa unknown", call(...good, "sse9"), RangeError],
    ];
    for (const [name, fn, ctor] of cases) {
        t.throws(fn, ctor, name);
        t.ok(out.every((v) => v === 7), `${name}: out untouched`);
    }
    t.throws(replace(6, 5), { code: "ERR_OUT_OF_RANGE", message: /The "zeros" argument must be an integer in \[0, rows\] \(rows is 4\)/ });
    t.throws(replace(5, 4), { code: "ERR_OUT_OF_RANGE", message: /The "out" argument must be of length rows\*cols \(rows 4, cols 4; its length is 12\)/ });
    // a detached buffer: length 0 ≠ rows·cols
    const gone = new Float32Array(12);
    structuredClone(gone.buffer, { transfer: [gone.buffer] });
    t.throws(() => b.sparseZeros(gone, 0, 0, 5, 4, 3, 2, 1), RangeError, "a detached out throws");
    // empty shapes are valid and write nothing; rows up to 2^32 − 1 are accepted (cols 0)
    t.doesNotThrow(() => b.sparseZeros(new Float32Array(0), 0, 0, 5, 2 ** 32 - 1, 0, 2 ** 32 - 1, 1), "rows 2^32 − 1, cols 0");
    t.doesNotThrow(() => b.sparseZeros(new Float32Array(0), 0, 0, 5, 0, 9, 0, 1), "rows 0");
    // a subarray: only its rows·cols elements are written
    const whole = new Uint16Array(40).fill(9);
    const view = whole.subarray(3, 3 + 6 * 5);
    b.sparseZeros(view, 3, 0, 5, 6, 5, 6, 2);
    t.ok(view.every((v) => v === 0), "zeros = rows: the whole view is +0 (float16 bits)");
    t.ok(whole.subarray(0, 3).every((v) => v === 9) && whole.subarray(33).every((v) => v === 9), "nothing outside the view");
});
tap_1.default.test("writeBehind: bad arguments throw; a real file keeps its bytes; a closed fd rejects", { skip }, async (t) => {
    const { openSync, closeSync, writeSync, readFileSync, mkdtempSync, rmSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const call = (...args) => () => b.writeBehind(...args);
    const cases = [
        ["no arguments", call(), RangeError],
        ["4 arguments", call(3, 0, 0, 0), RangeError],
        ["6 arguments", call(3, 0, 0, 0, 0, 0), RangeError],
        ["fd a string", call("3", 0, 0, 0, 0), TypeError],
        ["fd negative", call(-1, 0, 0, 0, 0), RangeError],
        ["fd 2^31", call(2 ** 31, 0, 0, 0, 0), RangeError],
        ["fd 1.5", call(1.5, 0, 0, 0, 0), RangeError],
        ["start NaN", call(3, NaN, 0, 0, 0), RangeError],
        ["length -1", call(3, 0, -1, 0, 0), RangeError],
        ["dropStart a bigint", call(3, 0, 0, 0n, 0), TypeError],
        ["dropLength Infinity", call(3, 0, 0, 0, Infinity), RangeError],
        ["start + length past 2^53", call(3, 2 ** 52, 2 ** 52, 0, 0), RangeError],
    ];
    for (const [name, fn, ctor] of cases)
        t.throws(fn, ctor, name);
    // the OS temp dir, and tmpfs where there is one (its pages are the file's only copy: DONTNEED must keep them)
    const { existsSync } = await import("node:fs");
    for (const base of [tmpdir(), ...(existsSync("/dev/shm") ? ["/dev/shm"] : [])]) {
        const dir = mkdtempSync(join(base, "nninit-wb-"));
        try {
            const path = join(dir, "f.bin");
            const fd = openSync(path, "w+");
            const bytes = Buffer.alloc(3 << 20);
            for (let i = 0; i < bytes.length; i++)
                bytes[i] = (i * 2654435761) >>> 24;
            writeSync(fd, bytes, 0, bytes.length, 0);
            await t.resolves(b.writeBehind(fd, 0, bytes.length, 0, 0), `${base}: start writeback of a written range`);
            await t.resolves(b.writeBehind(fd, 2 << 20, 1 << 20, 0, 2 << 20), `${base}: wait for and drop an earlier range`);
            await t.resolves(b.writeBehind(fd, 0, 0, 0, 0), `${base}: empty ranges`);
            closeSync(fd);
            t.ok(readFileSync(path).equals(bytes), `${base}: dropping the page cache leaves the file's bytes as written`);
            if (process.platform === "linux")
                await t.rejects(b.writeBehind(fd, 0, 4096, 0, 4096), { code: "EBADF" }, "a closed fd rejects with EBADF");
            else
                await t.resolves(b.writeBehind(fd, 0, 4096, 0, 4096), "outside Linux writeBehind does nothing");
        }
        finally {
            rmSync(dir, { recursive: true, force: true });
        }
    }
});
