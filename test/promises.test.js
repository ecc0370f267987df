"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * nninit/promises: same results as the sync API (every family), argument errors reject instead
 * of throwing, the resolved value is `out`, and concurrent fills do not interfere. AbortSignal:
 * validation, pre-aborted, abort mid-fill (the buffer's state), late abort, listener cleanup.
 */
const node_child_process_1 = require("node:child_process");
const node_events_1 = require("node:events");
const node_fs_1 = require("node:fs");
const node_path_1 = require("node:path");
const tap_1 = __importDefault(require("tap"));
const sync = __importStar(require("../lib/index.js"));
const promises = __importStar(require("../lib/promises.js"));
const execute_js_1 = require("../lib/api/execute.js");
const select_js_1 = require("../lib/backend/select.js");
const wasm_js_1 = require("../lib/backend/wasm.js");
const wasmPool_js_1 = require("../lib/backend/wasmPool.js");
const version_js_1 = require("../lib/stream/version.js");
const helpers_js_1 = require("./helpers.js");
tap_1.default.test("each async function equals its sync twin, and resolves with out", async (t) => {
    const n = 70_000; // above the native small-fill threshold, so the pool really runs
    const cases = [
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
        t.ok((0, helpers_js_1.bytes)(out).equals((0, helpers_js_1.bytes)(expected)), `${name}: async bytes equal sync bytes`);
    }
});
tap_1.default.test("16-bit and shared-memory outputs", async (t) => {
    const expected = sync.normal(new Uint16Array(50_000), { seed: 9, dtype: "bfloat16" });
    const shared = new Uint16Array(new SharedArrayBuffer(100_000));
    await promises.normal(shared, { seed: 9, dtype: "bfloat16" });
    t.ok((0, helpers_js_1.bytes)(shared).equals((0, helpers_js_1.bytes)(expected)), "bfloat16 into a SharedArrayBuffer");
});
tap_1.default.test("argument errors reject (never throw synchronously) and write nothing", async (t) => {
    const out = new Float32Array(16).fill(7);
    let threw = false;
    let p;
    try {
        p = promises.normal(out, { std: -1 });
    }
    catch {
        threw = true;
    }
    t.notOk(threw, "no synchronous throw");
    await t.rejects(p, { name: "RangeError", code: "ERR_OUT_OF_RANGE" });
    await t.rejects(promises.uniform([]), TypeError);
    t.ok(out.every((v) => v === 7), "out unchanged");
});
tap_1.default.test("many concurrent fills resolve with the right values", async (t) => {
    const outs = Array.from({ length: 64 }, (_, i) => new Float32Array(1000 + 997 * i));
    await Promise.all(outs.map((o, i) => promises.uniform(o, { seed: i })));
    outs.forEach((o, i) => {
        t.ok((0, helpers_js_1.bytes)(o).equals((0, helpers_js_1.bytes)(sync.uniform(new Float32Array(o.length), { seed: i }))), `fill ${i}`);
    });
});
// ---- AbortSignal (lib/promises.ts, docs/safety.md "Aborting an async fill") ----
const SENTINEL = 7777; // outside every range the fills below can produce
const abortListeners = (s) => (0, node_events_1.getEventListeners)(s, "abort").length;
const native = sync.backend.name === "native";
tap_1.default.test("signal: an invalid signal rejects (TypeError); the sync API refuses one (RangeError); nothing written", async (t) => {
    const out = new Float32Array(5000).fill(SENTINEL);
    for (const bad of [{}, "signal", 1, null, new AbortController()]) {
        await t.rejects(promises.uniform(out, { seed: 1, signal: bad }), { name: "TypeError", code: "ERR_INVALID_ARG_TYPE", message: /"signal" option must be an AbortSignal/ });
    }
    await t.rejects(promises.zeros(out, { signal: {} }), { name: "TypeError", code: "ERR_INVALID_ARG_TYPE" });
    const signal = new AbortController().signal;
    t.throws(() => sync.uniform(out, { seed: 1, signal }), { name: "RangeError", code: "ERR_INVALID_ARG_VALUE", message: /only by the "nninit\/promises" functions/ }); // as never: the sync types have no signal
    t.throws(() => sync.constant(out, 1, { signal }), { name: "RangeError", code: "ERR_INVALID_ARG_VALUE" });
    t.throws(() => sync.kaimingNormal(out, [50, 100], { signal }), RangeError);
    t.ok(out.every((v) => v === SENTINEL), "out unchanged");
    // argument errors come before the abort check
    const aborted = AbortSignal.abort();
    await t.rejects(promises.normal(out, { std: -1, signal: aborted }), { name: "RangeError", code: "ERR_OUT_OF_RANGE" });
});
tap_1.default.test("an already-aborted signal rejects with its reason, writes nothing and draws no stream key", async (t) => {
    const out = new Float32Array(300_000).fill(SENTINEL);
    const reason = new Error("stop now");
    const custom = AbortSignal.abort(reason);
    const calls = [
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
    t.ok((0, helpers_js_1.bytes)(a).equals((0, helpers_js_1.bytes)(b)), "the generator did not advance");
    t.equal(abortListeners(custom), 0, "no listener left");
});
tap_1.default.test("abort right after the call: rejects with AbortError, a non-shared out is unchanged", async (t) => {
    const n = 64 << 20; // 256 MiB: far longer to fill on one thread than the abort takes
    const out = new Float32Array(n).fill(SENTINEL);
    const ac = new AbortController();
    const p = promises.normal(out, { seed: 5, threads: 1, signal: ac.signal });
    ac.abort();
    await t.rejects(p, { name: "AbortError" });
    let changed = 0;
    for (let i = 0; i < n; i++)
        if (out[i] !== SENTINEL)
            changed++;
    t.equal(changed, 0, "no element of out changed");
    t.equal(abortListeners(ac.signal), 0, "listener removed");
});
tap_1.default.test("abort mid-fill into a SharedArrayBuffer: the fill stops between tasks; what was written is right", { skip: sync.backend.name === "js" ? "the JS backend fills in one piece" : false }, async (t) => {
    const n = 128 << 20; // 512 MiB, truncNormal on one thread: ~0.1 s, far longer than the abort takes
    const out = new Float32Array(new SharedArrayBuffer(n * 4)).fill(SENTINEL);
    const ac = new AbortController();
    const p = promises.truncNormal(out, { seed: 6, threads: 1, signal: ac.signal });
    t.equal(abortListeners(ac.signal), 1, "one listener while the fill runs");
    // spin (the pool thread works meanwhile) until the first task has written, then abort at once
    const words = new Int32Array(out.buffer);
    const unwritten = new Int32Array(Float32Array.of(SENTINEL).buffer)[0];
    const deadline = Date.now() + 60_000;
    while (Atomics.load(words, 0) === unwritten && Date.now() < deadline)
        ;
    ac.abort();
    await t.rejects(p, { name: "AbortError" });
    // one pool thread runs the tasks in order: the written part is a prefix
    let k = 0;
    while (k < n && out[k] !== SENTINEL)
        k++;
    t.ok(k > 0 && k < n, `stopped early: ${k} of ${n} elements written`);
    let after = 0;
    for (let i = k; i < n; i++)
        if (out[i] !== SENTINEL)
            after++;
    t.equal(after, 0, "nothing written past the prefix");
    const expected = sync.truncNormal(new Float32Array(k), { seed: 6 });
    t.ok((0, helpers_js_1.bytes)(out.subarray(0, k)).equals((0, helpers_js_1.bytes)(expected)), "the written prefix equals the sync fill");
    t.equal(abortListeners(ac.signal), 0, "listener removed");
});
tap_1.default.test("abort after completion is a no-op; listeners never accumulate", async (t) => {
    const ac = new AbortController();
    const outs = Array.from({ length: 40 }, (_, i) => new Float32Array(70_000 + 4097 * i));
    await Promise.all(outs.map((o, i) => (i % 2 === 0 ? promises.uniform(o, { seed: i, signal: ac.signal }) : promises.constant(o, i, { signal: ac.signal }))));
    t.equal(abortListeners(ac.signal), 0, "0 listeners after 40 resolved fills");
    ac.abort();
    outs.forEach((o, i) => {
        const expected = i % 2 === 0 ? sync.uniform(new Float32Array(o.length), { seed: i }) : new Float32Array(o.length).fill(i);
        t.ok((0, helpers_js_1.bytes)(o).equals((0, helpers_js_1.bytes)(expected)), `fill ${i} intact after the late abort`);
    });
    const bad = new AbortController();
    await t.rejects(promises.uniform(new Float32Array(8), { low: 2, high: 1, signal: bad.signal }), RangeError);
    t.equal(abortListeners(bad.signal), 0, "0 listeners after a validation error");
});
tap_1.default.test("one signal shared by 40 concurrent fills: one listener on it, no MaxListenersExceededWarning; its abort reaches every running fill", async (t) => {
    const warnings = [];
    const onWarning = (w) => void warnings.push(`${w.name}: ${w.message}`);
    process.on("warning", onWarning);
    try {
        const ac = new AbortController();
        const outs = Array.from({ length: 40 }, (_, i) => new Float32Array(70_000 + 4097 * i));
        const running = outs.map((o, i) => promises.normal(o, { seed: i, signal: ac.signal }));
        t.equal(abortListeners(ac.signal), 1, "one listener on the signal while 40 fills run");
        await Promise.all(running);
        t.equal(abortListeners(ac.signal), 0, "none once they resolved");
        outs.forEach((o, i) => t.ok((0, helpers_js_1.sameBytes)(o, sync.normal(new Float32Array(o.length), { seed: i })), `fill ${i}`));
        const big = Array.from({ length: 20 }, () => new Float32Array(1 << 22).fill(SENTINEL));
        const stop = new AbortController();
        stop.abort();
        const again = big;
        const calls = again.map((o, i) => promises.truncNormal(o, { seed: 50 + i, signal: stop.signal }));
        const results = await Promise.allSettled(calls);
        t.ok(results.every((r) => r.status === "rejected" && r.reason.name === "AbortError"), "on the aborted signal, every fill rejects with its reason");
        t.ok(again.every((o) => o.every((v) => v === SENTINEL)), "and writes nothing");
        t.equal(abortListeners(stop.signal), 0, "no listener left");
        // aborted while they run: a fill may finish before the abort reaches it, and then holds its result
        const mid = new AbortController();
        const outs2 = big.map((o) => o.fill(SENTINEL));
        const calls2 = outs2.map((o, i) => promises.truncNormal(o, { seed: 50 + i, signal: mid.signal }));
        t.equal(abortListeners(mid.signal), 1, "one listener for 20 running fills");
        mid.abort();
        const results2 = await Promise.allSettled(calls2);
        let rejected = 0;
        results2.forEach((r, i) => {
            if (r.status === "rejected") {
                rejected++;
                t.equal(r.reason.name, "AbortError", `fill ${i}: the signal's reason`);
            }
            else {
                t.ok((0, helpers_js_1.sameBytes)(outs2[i], sync.truncNormal(new Float32Array(1 << 22), { seed: 50 + i })), `fill ${i} finished before the abort: its result`);
            }
        });
        t.ok(rejected > 0, `the abort reached the running fills (${rejected} of 20 rejected)`);
        t.equal(abortListeners(mid.signal), 0, "no listener left");
        await new Promise((r) => setImmediate(r)); // warnings are emitted on a later tick
        t.same(warnings.filter((w) => w.startsWith("MaxListenersExceededWarning")), [], "no MaxListenersExceededWarning");
    }
    finally {
        process.off("warning", onWarning);
    }
});
const S = sync;
const P = promises;
/** [name, elements of out, call(fns, out, extra options)]; each call is deterministic (seeded). */
const ZCA_DATA = Float64Array.from({ length: 50 * 10 }, (_, i) => Math.sin(i * 12.9898) * 43758.5453 % 1);
const ASYNC_CALLS = [
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
const reference = (name, n) => {
    const out = new Float32Array(n);
    ASYNC_CALLS.find(([m]) => m === name)[2](S, out, {});
    return out;
};
const resizable = (bytes, max) => new ArrayBuffer(bytes, { maxByteLength: max });
const realLength = (a) => (Reflect.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype), "length").get).call(a);
/**
 * A real AbortSignal whose members (own, or on an inserted prototype) record that they ran and do
 * `harm`. (`dispatchEvent` too, unless `keepDispatch`: AbortController.abort() itself calls the
 * signal's dispatchEvent, so replacing it silences the abort for every listener, nninit's included.)
 */
function hostile(signal, where, harm, ran, keepDispatch = false) {
    const target = where === "own" ? signal : Object.create(AbortSignal.prototype);
    const rec = (name) => { ran.push(`${where} ${name}`); harm(); };
    for (const name of ["aborted", "reason", "onabort"]) {
        Object.defineProperty(target, name, { configurable: true, get() { rec(name); return name === "aborted" ? false : "a fake reason"; } });
    }
    for (const name of ["throwIfAborted", "addEventListener", "removeEventListener", ...(keepDispatch ? [] : ["dispatchEvent"])]) {
        Object.defineProperty(target, name, { configurable: true, writable: true, value() { rec(name); } });
    }
    if (where === "inherited")
        Object.setPrototypeOf(signal, target);
    return signal;
}
tap_1.default.test("an AbortSignal whose own or inherited members detach or shrink out: none of them runs, the fill resolves with the sync result", async (t) => {
    for (const [name, n, call] of ASYNC_CALLS) {
        const want = (0, helpers_js_1.bytes)(reference(name, n));
        for (const where of ["own", "inherited"]) {
            for (const harm of ["detach", "shrink"]) {
                const buffer = resizable(n * 4, 2 * n * 4);
                const out = new Float32Array(buffer);
                const ran = [];
                const signal = hostile(new AbortController().signal, where, () => {
                    if (buffer.byteLength === 0)
                        return;
                    if (harm === "detach")
                        structuredClone(buffer, { transfer: [buffer] });
                    else
                        buffer.resize(n * 2);
                }, ran);
                let result;
                try {
                    result = await call(P, out, { signal });
                }
                catch (e) {
                    result = e;
                }
                t.equal(result, out, `${name}, ${where} members that ${harm} out: resolves with out`);
                t.same(ran, [], `${name}, ${where}: no member of the signal ran`);
                t.ok(realLength(out) === n && (0, helpers_js_1.bytes)(out).equals(want), `${name}, ${where} (${harm}): out holds the sync result`);
                t.equal(abortListeners(signal), 0, `${name}, ${where}: no listener left on the signal`);
            }
        }
    }
});
tap_1.default.test("a hostile signal still aborts through the built-in members: the real reason, nothing written, no key drawn", async (t) => {
    for (const where of ["own", "inherited"]) {
        // pre-aborted, while its own `aborted` getter says false and `reason` lies
        const reason = new Error(`really aborted (${where})`);
        const ran = [];
        const pre = hostile(AbortSignal.abort(reason), where, () => { }, ran);
        for (const [name, n, call] of ASYNC_CALLS) {
            const out = new Float32Array(n).fill(SENTINEL);
            await t.rejects(Promise.resolve().then(() => call(P, out, { signal: pre })), reason, `${name} (${where}): rejects with the real reason`);
            t.ok(out.every((v) => v === SENTINEL), `${name} (${where}): nothing written`);
        }
        for (const [name, call] of [["normal", (g) => promises.normal(new Float32Array(70), { generator: g, signal: pre })],
            ["orthogonal", (g) => promises.orthogonal(new Float32Array(70), [7, 10], { generator: g, signal: pre })],
            ["sparse", (g) => promises.sparse(new Float32Array(70), [7, 10], { sparsity: 0.5, generator: g, signal: pre })]]) {
            const g = new sync.Generator(21);
            await t.rejects(call(g), reason, `${name} (${where}): rejects`);
            t.equal(g.state, 21n, `${name} (${where}): no key drawn`);
        }
        t.same(ran, [], `${where}: no member of the pre-aborted signal ran`);
        // aborted right after the call: the follower cancels the fill
        const ac = new AbortController();
        const ran2 = [];
        const live = hostile(ac.signal, where, () => { }, ran2, true);
        const n = 4 << 20;
        const out = new Float32Array(n).fill(SENTINEL);
        const p = promises.normal(out, { seed: 5, threads: 1, signal: live });
        const why = new Error("stop");
        ac.abort(why);
        await t.rejects(p, why, `${where}: an abort after the call rejects with its real reason`);
        let changed = 0;
        for (let i = 0; i < n; i++)
            if (out[i] !== SENTINEL)
                changed++;
        t.equal(changed, 0, `${where}: a non-shared out is unchanged`);
        t.same(ran2, [], `${where}: no member of the live signal ran`);
        t.equal(abortListeners(live), 0, `${where}: the listener was removed`);
    }
});
tap_1.default.test("look-alike signals (Proxy, prototype-only, duck-typed, AbortController, EventTarget) reject with a TypeError naming signal; no trap runs", async (t) => {
    for (const [name, n, call] of ASYNC_CALLS) {
        const out = new Float32Array(n).fill(SENTINEL);
        let trapped = 0;
        const harm = () => { trapped++; if (out.length > 0)
            structuredClone(out.buffer, { transfer: [out.buffer] }); };
        const real = new AbortController().signal;
        const proxy = new Proxy(real, { get: (o, k) => { harm(); return Reflect.get(o, k); }, getPrototypeOf: (o) => { harm(); return Reflect.getPrototypeOf(o); } });
        const duck = { aborted: false, reason: undefined, throwIfAborted: harm, addEventListener: harm, removeEventListener: harm };
        for (const [what, signal] of [["a Proxy of a real AbortSignal", proxy], ["Object.create(AbortSignal.prototype)", Object.create(AbortSignal.prototype)], ["a duck-typed signal", duck],
            ["an AbortController", new AbortController()], ["an EventTarget", new EventTarget()], ["a function", () => false]]) {
            await t.rejects(Promise.resolve().then(() => call(P, out, { signal })), { name: "TypeError", code: "ERR_INVALID_ARG_TYPE", message: /"signal" option must be an AbortSignal/ }, `${name}: ${what}`);
        }
        t.equal(trapped, 0, `${name}: no trap or method of a look-alike ran`);
        t.ok(realLength(out) === n && out.every((v) => v === SENTINEL), `${name}: out attached and unchanged`);
    }
});
tap_1.default.test("one rule for every async method: out's elements as checked are written at the end, all or none (grown: the first n; shrunk or detached: ERR_INVALID_STATE, nothing written)", async (t) => {
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
            t.ok((0, helpers_js_1.bytes)(out.subarray(0, n)).equals((0, helpers_js_1.bytes)(want)), `${name}: grown: the first ${n} elements hold the result`);
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
            }
            else {
                t.equal(await p, out, `${name}: written during the call, before the shrink: resolves`);
                t.ok((0, helpers_js_1.bytes)(out).equals((0, helpers_js_1.bytes)(want.subarray(0, n >> 1))), `${name}: the elements left hold the result`);
            }
        }
        // detached while the fill runs: rejects, the moved buffer is unchanged
        {
            const out = new Float32Array(n).fill(SENTINEL);
            const p = Promise.resolve(call(P, out, {}));
            const moved = new Float32Array(structuredClone(out.buffer, { transfer: [out.buffer] }));
            if (later) {
                await t.rejects(p, state, `${name}: detached: rejects with ERR_INVALID_STATE`);
                t.ok(moved.every((v) => v === SENTINEL), `${name}: detached: the moved buffer was not written`);
            }
            else {
                await p;
                t.ok((0, helpers_js_1.bytes)(moved).equals((0, helpers_js_1.bytes)(want)), `${name}: written during the call, before the transfer`);
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
            t.ok((0, helpers_js_1.bytes)(out).equals((0, helpers_js_1.bytes)(want)), `${name}: shrunk and regrown: out holds the result`);
        }
        // a growable SharedArrayBuffer: written in place over the n elements
        {
            const gsab = new SharedArrayBuffer(n * 4, { maxByteLength: 2 * n * 4 });
            const out = new Float32Array(gsab).fill(SENTINEL);
            const p = call(P, out, {});
            gsab.grow(2 * n * 4);
            await p;
            t.ok((0, helpers_js_1.bytes)(out.subarray(0, n)).equals((0, helpers_js_1.bytes)(want)) && out.subarray(n).every((v) => v === 0), `${name}: growable shared buffer: the first ${n} written in place, the rest untouched`);
        }
    }
});
// ---- the wasm backend's worker pool (lib/backend/wasmPool.ts), driven directly in every run ------
const wasm = select_js_1.wasmBackend;
const noWasm = wasm === null ? "no WebAssembly SIMD128 in this engine" : false;
const alloc = (bytesPer, n, shared) => (shared ? new SharedArrayBuffer(n * bytesPer) : new ArrayBuffer(n * bytesPer));
const MAKERS = [
    ["float32", (n, s) => new Float32Array(alloc(4, n, s))],
    ["float64", (n, s) => new Float64Array(alloc(8, n, s))],
    ["bfloat16", (n, s) => new Uint16Array(alloc(2, n, s))],
    ["float16", (n, s) => new Uint16Array(alloc(2, n, s))],
];
const RANDOM = [
    ["uniform", (o, x) => sync.uniform(o, { low: -1, high: 2, ...x })],
    ["normal", (o, x) => sync.normal(o, { mean: 0.5, std: 2, ...x })],
    ["truncNormal", (o, x) => sync.truncNormal(o, { std: 0.7, a: -1, b: 1.5, ...x })],
];
/** The FillPlan the sync call would run (nothing is written). */
function planOf(method, out, options) {
    const captured = (0, execute_js_1.capturePlan)(() => method(out, options));
    if (captured === null)
        throw new Error("no fill was captured");
    return captured.plan;
}
/** Event-loop turns (a setImmediate chain) while `run` is pending: 0 when it runs on this thread in one piece. */
async function turnsDuring(run) {
    let turns = 0;
    let done = false;
    const tick = () => {
        if (done)
            return;
        turns++;
        setImmediate(tick);
    };
    setImmediate(tick);
    try {
        await run();
    }
    finally {
        done = true;
    }
    return turns;
}
tap_1.default.test("wasm async fills on the worker pool equal the JS reference: kernels x dtypes x sizes x offsets x threads, ordinary and shared outputs", { skip: noWasm }, async (t) => {
    const w = wasm;
    // the pool's smallest fill (one piece; two with an unaligned offset); a piece and a bit; several pieces
    const sizes = [wasm_js_1.INLINE_ELEMENTS, wasmPool_js_1.PIECE_ELEMENTS + 4097, 2 * wasmPool_js_1.PIECE_ELEMENTS + 12345];
    const offsets = [0, 8229, 2 ** 40 + 4064];
    let fills = 0;
    for (const [method, call] of RANDOM) {
        for (const [dtype, make] of MAKERS) {
            const bad = [];
            for (const n of sizes) {
                for (const offset of offsets) {
                    const plan0 = planOf(call, make(n, false), { seed: 17, offset, dtype });
                    const expected = make(n, false);
                    select_js_1.jsBackend.fill(plan0, expected);
                    for (const threads of [1, 2, 3]) {
                        for (const shared of [false, true]) {
                            const out = make(n, shared);
                            await w.fillAsync({ ...plan0, threads }, out);
                            fills++;
                            if (!(0, helpers_js_1.sameBytes)(out, expected))
                                bad.push(`n ${n} offset ${offset} threads ${threads}${shared ? " shared" : ""}`);
                        }
                    }
                }
            }
            t.same(bad, [], `${method} ${dtype}: ${sizes.length * offsets.length * 6} async fills equal the JS backend's`);
        }
    }
    const pool = (0, wasm_js_1.wasmPool)();
    t.ok(pool !== null && pool.started >= 1, `the fills ran on the pool (${pool?.started} workers started, ${fills} fills)`);
    t.ok(pool !== null && pool.workers === Math.min(3, pool.limit), `threads 3 used min(3, hardware ${pool?.limit}) workers: ${pool?.workers}`);
    t.equal(pool?.pending, 0, "no fill left pending");
});
tap_1.default.test("wasm: a subarray of a shared buffer is written in place, nothing outside it; concurrent fills with mixed thread counts", { skip: noWasm }, async (t) => {
    const w = wasm;
    const whole = new Float32Array(new SharedArrayBuffer(4 * (wasmPool_js_1.PIECE_ELEMENTS * 3))).fill(SENTINEL);
    const out = whole.subarray(1001, 1001 + 2 * wasmPool_js_1.PIECE_ELEMENTS + 7);
    const plan = planOf(RANDOM[1][1], out, { seed: 3, offset: 99 });
    const expected = new Float32Array(out.length);
    select_js_1.jsBackend.fill(plan, expected);
    await w.fillAsync({ ...plan, threads: 2 }, out);
    t.ok((0, helpers_js_1.sameBytes)(out, expected), "the subarray holds the fill");
    t.ok(whole.subarray(0, 1001).every((v) => v === SENTINEL) && whole.subarray(1001 + out.length).every((v) => v === SENTINEL), "nothing outside it was written");
    const jobs = Array.from({ length: 24 }, (_, i) => {
        const [, make] = MAKERS[i % 4];
        const o = make(3000 + 41_000 * i, i % 3 === 0);
        const p = planOf(RANDOM[i % 3][1], o, { seed: 100 + i, offset: 7 * i, dtype: MAKERS[i % 4][0] });
        const e = make(o.length, false);
        select_js_1.jsBackend.fill(p, e);
        return { o, e, run: w.fillAsync({ ...p, threads: 1 + (i % 3) }, o) };
    });
    await Promise.all(jobs.map((j) => j.run));
    t.same(jobs.flatMap((j, i) => ((0, helpers_js_1.sameBytes)(j.o, j.e) ? [] : [i])), [], "24 concurrent fills, each equal to its reference");
});
tap_1.default.test("wasm: the fill runs off the calling thread (its event loop turns meanwhile); where no worker starts, on the calling thread, with the same bytes", { skip: noWasm }, async (t) => {
    const w = wasm;
    const n = 4 << 20;
    const plan = planOf(RANDOM[1][1], new Float32Array(n), { seed: 5 });
    const expected = new Float32Array(n);
    select_js_1.jsBackend.fill(plan, expected);
    const out = new Float32Array(n);
    const turns = await turnsDuring(() => w.fillAsync(plan, out));
    t.ok(turns > 0, `the event loop turned ${turns} times during a ${n}-element fill on the workers`);
    t.ok((0, helpers_js_1.sameBytes)(out, expected), "the bytes");
    let tried = 0;
    (0, wasm_js_1.resetWasmPool)(() => {
        tried++;
        throw new Error("workers are not allowed here");
    });
    try {
        const out2 = new Float32Array(n);
        const turns2 = await turnsDuring(() => w.fillAsync(plan, out2));
        t.equal(tried, 1, "one worker start was tried");
        t.equal(turns2, 0, "no worker: the fill ran on the calling thread in one piece");
        t.ok((0, helpers_js_1.sameBytes)(out2, expected), "the same bytes");
        await w.fillAsync(plan, out2);
        t.equal(tried, 1, "a failed start is not retried on every fill");
    }
    finally {
        (0, wasm_js_1.resetWasmPool)();
    }
});
tap_1.default.test("wasm: shorter fills than INLINE_ELEMENTS run on the calling thread; the all-or-none rule on the pool (transferred, shrunk, grown)", { skip: noWasm }, async (t) => {
    const w = wasm;
    const small = wasm_js_1.INLINE_ELEMENTS - 1;
    const plan = planOf(RANDOM[0][1], new Float32Array(small), { seed: 8 });
    const expected = new Float32Array(small);
    select_js_1.jsBackend.fill(plan, expected);
    const out = new Float32Array(small);
    t.equal(await turnsDuring(() => w.fillAsync(plan, out)), 0, `${small} elements: on the calling thread, in one piece`);
    t.ok((0, helpers_js_1.sameBytes)(out, expected), "with the same bytes");
    const n = 3 * wasmPool_js_1.PIECE_ELEMENTS;
    const big = planOf(RANDOM[1][1], new Float32Array(n), { seed: 9 });
    const want = new Float32Array(n);
    select_js_1.jsBackend.fill(big, want);
    const state = { name: "RangeError", code: "ERR_INVALID_STATE" };
    {
        const o = new Float32Array(n).fill(SENTINEL);
        const p = w.fillAsync(big, o);
        const moved = new Float32Array(structuredClone(o.buffer, { transfer: [o.buffer] }));
        await t.rejects(p, state, "transferred mid-fill: ERR_INVALID_STATE");
        t.ok(moved.every((v) => v === SENTINEL), "the moved buffer was not written");
    }
    {
        const buffer = resizable(n * 4, n * 4);
        const o = new Float32Array(buffer).fill(SENTINEL);
        const p = w.fillAsync(big, new Float32Array(buffer, 0, n));
        buffer.resize((n >> 1) * 4);
        await t.rejects(p, state, "shrunk mid-fill: ERR_INVALID_STATE");
        t.ok(o.every((v) => v === SENTINEL), "the remaining elements are unchanged");
    }
    {
        const buffer = resizable(n * 4, 2 * n * 4);
        const o = new Float32Array(buffer, 0, n).fill(SENTINEL);
        const p = w.fillAsync(big, o);
        buffer.resize(2 * n * 4);
        await p;
        t.ok((0, helpers_js_1.sameBytes)(o, want) && new Float32Array(buffer, n * 4).every((v) => v === 0), "grown mid-fill: the n elements written, the new ones untouched");
    }
});
tap_1.default.test("wasm: abort mid-fill (ordinary out unchanged; shared out: a correct prefix), a worker that dies, a piece that fails", { skip: noWasm }, async (t) => {
    const w = wasm;
    const n = 32 << 20;
    const plan = planOf(RANDOM[2][1], new Float32Array(n), { seed: 6 });
    {
        const out = new Float32Array(n).fill(SENTINEL);
        const ac = new AbortController();
        const p = w.fillAsync({ ...plan, threads: 2 }, out, ac.signal);
        setTimeout(() => ac.abort(), 20);
        await t.rejects(p, { name: "AbortError" }, "ordinary out: rejects with the signal's reason");
        t.ok(out.every((v) => v === SENTINEL), "ordinary out: unchanged");
        t.equal((0, wasm_js_1.wasmPool)()?.pending, 0, "nothing left in the pool");
        t.equal(abortListeners(ac.signal), 0, "listener removed");
    }
    {
        const out = new Float32Array(new SharedArrayBuffer(n * 4)).fill(SENTINEL);
        const ac = new AbortController();
        const p = w.fillAsync({ ...plan, threads: 1 }, out, ac.signal);
        const words = new Int32Array(out.buffer);
        const unwritten = new Int32Array(Float32Array.of(SENTINEL).buffer)[0];
        const deadline = Date.now() + 60_000;
        while (Atomics.load(words, 0) === unwritten && Date.now() < deadline)
            ; // the worker writes while this thread spins
        ac.abort();
        await t.rejects(p, { name: "AbortError" });
        let k = 0;
        while (k < n && out[k] !== SENTINEL)
            k++;
        t.ok(k > 0 && k < n && k % version_js_1.BLOCK_SIZE === 0, `shared: stopped after ${k} of ${n} elements (whole pieces)`);
        let after = 0;
        for (let i = k; i < n; i++)
            if (out[i] !== SENTINEL)
                after++;
        t.equal(after, 0, "shared: nothing written past the prefix (one worker takes the pieces in order)");
        const expected = new Float32Array(k);
        select_js_1.jsBackend.fill({ ...plan }, expected);
        t.ok((0, helpers_js_1.sameBytes)(out.subarray(0, k), expected), "shared: the prefix equals the fill");
    }
    {
        const pool = (0, wasm_js_1.wasmPool)();
        const started = pool.started;
        const out = new Float32Array(n).fill(SENTINEL);
        const p = w.fillAsync({ ...plan, threads: 2 }, out);
        setTimeout(() => pool.terminate(), 20);
        await t.rejects(p, { code: "ERR_NNINIT_WORKER", message: /terminated/ }, "a worker ended mid-fill: rejects with ERR_NNINIT_WORKER");
        t.ok(out.every((v) => v === SENTINEL), "out unchanged");
        const again = new Float32Array(2 * wasmPool_js_1.PIECE_ELEMENTS);
        await w.fillAsync(plan, again);
        const expected = new Float32Array(2 * wasmPool_js_1.PIECE_ELEMENTS);
        select_js_1.jsBackend.fill(plan, expected);
        t.ok((0, helpers_js_1.sameBytes)(again, expected) && pool.started > started, "the next fill starts a new worker and is right");
    }
    {
        const pool = (0, wasm_js_1.wasmPool)();
        const bad = { dt: 0, kernel: 99, params: new Float32Array(8), keyHi: 0, keyLo: 1, offset: 0 };
        await t.rejects(pool.run(bad, 5000, 4, null, 1), { code: "ERR_NNINIT_WORKER", message: /nninit_fill rejected its arguments/ }, "a piece the module rejects: ERR_NNINIT_WORKER with the module's reason");
        t.equal(pool.pending, 0, "the pool is idle again");
    }
});
tap_1.default.test("wasm: idle workers do not keep a process alive", { skip: noWasm || !(0, node_fs_1.existsSync)((0, node_path_1.join)(__dirname, "..", "dist", "promises.js")) ? "needs dist/ (npm run build:ts)" : false }, async (t) => {
    const code = 'const p = require("./dist/promises.js"); p.normal(new Float32Array(1 << 20), { seed: 1 }).then((o) => ' +
        'console.log("filled", o[0], require("./dist/index.js").backend.name, require("./dist/backend/wasm.js").wasmPool().workers))';
    const r = (0, node_child_process_1.spawnSync)(process.execPath, ["-e", code], { cwd: (0, node_path_1.join)(__dirname, ".."), encoding: "utf8", timeout: 60_000,
        env: { ...process.env, NNINIT_BACKEND: "wasm" } });
    t.equal(r.status, 0, `the process exited by itself (signal ${r.signal}; stderr ${r.stderr.slice(0, 300)})`);
    t.match(r.stdout, /^filled -?\d\S* wasm [1-9]/, "after the fill, with its workers alive");
});
