"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.bytes = bytes;
exports.sameBytes = sameBytes;
exports.eachIsa = eachIsa;
exports.fillTargets = fillTargets;
const select_js_1 = require("../lib/backend/select.js");
/** The bytes of a typed array's view: the same memory, no copy. */
function bytes(a) {
    return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}
/** Whether two views hold the same bytes (so NaN payloads and signed zeros count). */
function sameBytes(a, b) {
    return bytes(a).equals(bytes(b));
}
/**
 * Runs `fn` once per ISA the native backend runs on this machine, best first, with a Backend that
 * names that ISA in every call (nativeBackendFor). Awaits each run before the next. Without the
 * native backend, or with an empty ISA list, it fails `t` instead of passing vacuously (a test that
 * calls it must skip when the native backend is not loaded). Returns the ISAs it ran.
 */
async function eachIsa(t, fn) {
    if (select_js_1.nativeBinding === null || select_js_1.nativeIsas.length === 0) {
        t.fail(`eachIsa: no native ISA to run (${select_js_1.nativeBinding === null ? "the native backend is not loaded: skip this test" : "nativeIsas is empty"})`);
        return [];
    }
    for (const isa of select_js_1.nativeIsas)
        await fn(isa, (0, select_js_1.nativeBackendFor)(isa));
    return select_js_1.nativeIsas;
}
/**
 * Every fill that must give the JS backend's bytes: each native ISA x each of `threads` (the plan's
 * thread count replaced), then the wasm backend (one thread). Empty where neither is available.
 */
function fillTargets(threads = [0]) {
    const list = [];
    for (const isa of select_js_1.nativeBinding === null ? [] : select_js_1.nativeIsas) {
        const backend = (0, select_js_1.nativeBackendFor)(isa);
        for (const th of threads) {
            list.push({ name: `${isa} threads=${th}`, kind: "native", isa, threads: th, fill: (plan, out) => backend.fill({ ...plan, threads: th }, out) });
        }
    }
    const wasm = select_js_1.wasmBackend;
    if (wasm !== null)
        list.push({ name: "wasm", kind: "wasm", fill: (plan, out) => wasm.fill(plan, out) });
    return list;
}
