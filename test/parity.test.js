"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * Native and WebAssembly vs pure-TypeScript parity, byte for byte (docs/stream.md: the native
 * kernels and their wasm32 SIMD128 build must match lib/backend/jsKernels.ts bit for bit). Every
 * kernel x dtype x key x offset x size is filled by the JS reference once, then by every native
 * ISA this machine supports x threads {1,2,3,7} and by the wasm backend, into a subarray of a
 * larger buffer whose canary words around the target must stay untouched. Comparisons are on raw
 * bytes (Buffer.compare of the views), never with a tolerance. The wasm backend fills in chunks of
 * its scratch size (65536 elements): sizes and offsets here cut both blocks and chunks.
 */
const tap_1 = __importDefault(require("tap"));
const node_crypto_1 = require("node:crypto");
const select_js_1 = require("../lib/backend/select.js");
const wasm_js_1 = require("../lib/backend/wasm.js");
const wasmModule_js_1 = require("../lib/backend/wasmModule.js");
const truncNormal_js_1 = require("../lib/api/truncNormal.js");
const plan_js_1 = require("../lib/plan/plan.js");
const helpers_js_1 = require("./helpers.js");
const B = 4096;
const DTYPES = ["float32", "float64", "bfloat16", "float16"];
const THREADS = [1, 2, 3, 7];
const KEYS = [0n, 42n, 0xfedcba9876543210n, 2n ** 64n - 1n];
const SIZES = [0, 1, 7, 8, 9, B - 1, B, B + 1, 3 * B + 5, 200_003];
const OFFSETS = [0, 1, 8, B - 1, B + 3, 2 ** 40 + 3];
const PAD = 8; // canary elements on each side
const f = Math.fround;
/** Kernel parameter sets: ordinary ones plus ranges that reach float16 subnormals/overflow and AS 241's tails. */
const PARAMS = {
    uniform: [[-0.5, 2], [f(-1e-4), f(2e-4)], [-70000, 140000]],
    normal: [[0.25, 1.5], [0, f(1e-5)], [100000, 30000]],
    truncNormal: [
        (0, truncNormal_js_1.truncNormalParams)(0, 1, -2, 2),
        (0, truncNormal_js_1.truncNormalParams)(0.5, 2, 1, 7), // mirrored (sgn = -1)
        (0, truncNormal_js_1.truncNormalParams)(0, 1, 6, 8), // both tail branches of ndtri32 (t <= 5 and t > 5)
        (0, truncNormal_js_1.truncNormalParams)(0, 1, -13, -11), // p clamped at 2^-100
    ],
};
const CTOR = { float32: Float32Array, float64: Float64Array, bfloat16: Uint16Array, float16: Uint16Array };
/** Fills a padded buffer's middle with `fill`; returns a description of what went wrong, or null. */
function checkAgainst(expected, plan, fill) {
    const n = expected.length;
    const big = new CTOR[plan.dtype](n + 2 * PAD);
    (0, helpers_js_1.bytes)(big).fill(0xa5);
    const target = big.subarray(PAD, PAD + n);
    fill(target);
    const canary = Buffer.alloc(PAD * big.BYTES_PER_ELEMENT, 0xa5);
    if (!(0, helpers_js_1.bytes)(big.subarray(0, PAD)).equals(canary))
        return "canary before the target was written";
    if (!(0, helpers_js_1.bytes)(big.subarray(PAD + n)).equals(canary))
        return "canary after the target was written";
    if ((0, helpers_js_1.bytes)(target).equals((0, helpers_js_1.bytes)(expected)))
        return null;
    const a = (0, helpers_js_1.bytes)(expected), b = (0, helpers_js_1.bytes)(target);
    let i = 0;
    while (a[i] === b[i])
        i++;
    const e = Math.floor(i / big.BYTES_PER_ELEMENT);
    return `first difference at element ${e}: js ${expected[e]} got ${target[e]}`;
}
function reference(plan, n) {
    const out = new CTOR[plan.dtype](n);
    select_js_1.jsBackend.fill(plan, out);
    return out;
}
const skip = select_js_1.nativeBinding === null ? `native backend not loaded: ${select_js_1.jsBackend.info.loadError}` : false;
const skipWasm = select_js_1.wasmBackend === null ? "no WebAssembly SIMD128 in this engine" : false;
const skipBoth = skip !== false && skipWasm !== false ? `${skip}; ${skipWasm}` : false;
tap_1.default.test("native backend is loaded and reports its ISAs", { skip }, async (t) => {
    t.ok(select_js_1.nativeIsas.length > 0);
    t.ok(select_js_1.nativeIsas.includes("scalar"), "scalar is always available");
});
for (const kernel of plan_js_1.KERNELS) {
    tap_1.default.test(`${kernel}: native and wasm === js, every ISA, dtype, key, offset, size and thread count`, { skip: skipBoth }, async (t) => {
        const fills = (0, helpers_js_1.fillTargets)(THREADS);
        const failures = [];
        let compared = 0;
        for (const dtype of DTYPES) {
            PARAMS[kernel].forEach((params, pi) => {
                for (const [oi, offset] of OFFSETS.entries()) {
                    // keys rotate over offsets and parameter sets (every key meets every kernel and dtype)
                    const key = KEYS[(oi + pi) % KEYS.length];
                    {
                        for (const n of SIZES) {
                            // keep the run time sane: the big size at fewer offsets
                            if (n > 3 * B + 5 && offset !== 0 && offset !== B + 3 && offset !== 2 ** 40 + 3)
                                continue;
                            const plan = { kind: "random", kernel, params: Float32Array.from(params), key, offset, dtype, threads: 0 };
                            const expected = reference(plan, n);
                            for (const { name, fill } of fills) {
                                const err = checkAgainst(expected, plan, (out) => fill(plan, out));
                                compared++;
                                if (err !== null)
                                    failures.push(`${name} ${dtype} params#${pi} key=${key} offset=${offset} n=${n}: ${err}`);
                            }
                        }
                    }
                }
            });
        }
        t.same(failures.slice(0, 20), [], `${compared} fills (${fills.map((f) => f.name).join(", ")}) compared with the JS reference`);
        t.equal(failures.length, 0);
    });
}
tap_1.default.test("large fills (streaming stores, several tasks, many wasm chunks) and unaligned targets", { skip: skipBoth }, async (t) => {
    const cases = [
        ["uniform", "float32", (4 << 20) + 123, 4099], // >= 16 MiB: streaming stores
        ["uniform", "float64", (2 << 20) + 7, 0],
        ["normal", "bfloat16", (1 << 20) + 3, 5],
        ["truncNormal", "float16", (1 << 19) + 1, 2 ** 45 + 17],
        ["normal", "float32", 3 * 65536 + 1, 65536 - 1], // wasm: chunk ends one element past a chunk
        ["truncNormal", "float64", 2 * 65536, 4096 * 16 + 1],
    ];
    for (const [kernel, dtype, n, offset] of cases) {
        const plan = { kind: "random", kernel, params: Float32Array.from(PARAMS[kernel][0]), key: 7n, offset, dtype, threads: 0 };
        const expected = reference(plan, n);
        for (const { name, fill } of (0, helpers_js_1.fillTargets)([1, 2, 3])) {
            t.equal(checkAgainst(expected, plan, (out) => fill(plan, out)), null, `${kernel} ${dtype} n=${n} offset=${offset} ${name}`);
        }
        // a destination that is only element-aligned (not 16-byte aligned), on every ISA and wasm
        for (const { name, fill } of (0, helpers_js_1.fillTargets)([2])) {
            const big = new CTOR[dtype](n + 1);
            fill(plan, big.subarray(1));
            t.ok((0, helpers_js_1.bytes)(big.subarray(1)).equals((0, helpers_js_1.bytes)(expected)), `${kernel} ${dtype} unaligned target (${name})`);
        }
    }
});
tap_1.default.test("wasm: the module is the committed one, and its fill is a pure function of the index", { skip: skipWasm }, async (t) => {
    const bytesOf = Buffer.from(wasmModule_js_1.WASM_BASE64, "base64");
    t.equal(bytesOf.length, wasmModule_js_1.WASM_BYTES);
    t.equal((0, node_crypto_1.createHash)("sha256").update(bytesOf).digest("hex"), wasmModule_js_1.WASM_SHA256, "lib/backend/wasmModule.ts's bytes match its SHA-256");
    t.equal(select_js_1.wasmBackend.info.name, "wasm");
    t.equal(select_js_1.wasmBackend.info.isa, "simd128");
    t.equal((0, wasm_js_1.wasmInstance)().x.nninit_scratch_elems(), 65536, "the scratch chunk the sizes here are chosen around");
    // a long fill equals the concatenation of fills of its pieces, cut anywhere
    for (const kernel of plan_js_1.KERNELS) {
        const plan = { kind: "random", kernel, params: Float32Array.from(PARAMS[kernel][0]), key: 99n, offset: 12345, dtype: "float32", threads: 0 };
        const whole = new Float32Array(150_000);
        select_js_1.wasmBackend.fill(plan, whole);
        const pieces = new Float32Array(whole.length);
        for (const [a, b] of [[0, 1], [1, 4000], [4000, 70001], [70001, 70002], [70002, 150_000]]) {
            select_js_1.wasmBackend.fill({ ...plan, offset: plan.offset + a }, pieces.subarray(a, b));
        }
        t.ok((0, helpers_js_1.bytes)(pieces).equals((0, helpers_js_1.bytes)(whole)), `${kernel}: pieces === whole`);
    }
    // bad arguments are refused by the module (it never writes out of range)
    const x = (0, wasm_js_1.wasmInstance)().x;
    t.equal(x.nninit_fill(x.nninit_scratch(), 1, 4, 0, x.nninit_params(), 0, 0, 0, 0), -1, "dtype 4");
    t.equal(x.nninit_fill(x.nninit_scratch(), 1, 0, 3, x.nninit_params(), 0, 0, 0, 0), -1, "kernel 3");
    t.equal(x.nninit_fill(x.nninit_scratch(), 2, 0, 0, x.nninit_params(), 0, 0, 0x200000, 0xffffffff), -1, "offset + n > 2^53");
    t.equal(x.nninit_fill_constant(x.nninit_scratch(), 1, -1, 0), -1, "constant dtype -1");
});
tap_1.default.test("offset at the end of the safe range", { skip: skipBoth }, async (t) => {
    for (const n of [1, 9, B + 1]) {
        const offset = Number.MAX_SAFE_INTEGER - n;
        for (const kernel of plan_js_1.KERNELS) {
            const plan = { kind: "random", kernel, params: Float32Array.from(PARAMS[kernel][0]), key: 3n, offset, dtype: "float32", threads: 2 };
            const expected = reference(plan, n);
            for (const { name, fill } of (0, helpers_js_1.fillTargets)([2])) {
                t.equal(checkAgainst(expected, plan, (out) => fill(plan, out)), null, `${kernel} n=${n} ${name}`);
            }
        }
    }
});
tap_1.default.test("constant fills: native and wasm === js for every dtype, including float16 subnormals and overflow", { skip: skipBoth }, async (t) => {
    const values = [0, -0, 1, 1.5, -2.75, 1e-7, -3e-8, 6e-5, 65504, 65519, 65520, 1e5, 3.4e38, -1e-40, 0.1];
    for (const dtype of DTYPES) {
        for (const value of values) {
            for (const n of [0, 1, 7, 9, 1000, 65537, (4 << 20) + 5]) {
                if (n > 65537 && value !== 1.5)
                    continue;
                const plan = { kind: "constant", value: dtype === "float64" ? value : f(value), dtype, threads: 0 };
                const expected = reference(plan, n);
                for (const { name, fill } of (0, helpers_js_1.fillTargets)([1, 3])) {
                    t.equal(checkAgainst(expected, plan, (out) => fill(plan, out)), null, `${dtype} ${value} n=${n} ${name}`);
                }
                // the module's own constant fill (the backend uses TypedArray.fill; lib/backend/wasm.ts)
                if (select_js_1.wasmBackend !== null && n <= 65536 && plan.kind === "constant") {
                    const code = DTYPES.indexOf(dtype);
                    t.equal(checkAgainst(expected, plan, (out) => (0, wasm_js_1.fillConstantWasm)(out, code, plan.value)), null, `${dtype} ${value} n=${n} nninit_fill_constant`);
                }
            }
        }
    }
    if (select_js_1.nativeBinding === null)
        return;
    // streamFill (the bench's limit row) writes the value everywhere, aligned or not
    const big = new Float32Array((5 << 20) + 3);
    select_js_1.nativeBinding.streamFill(big.subarray(1, big.length - 1), 2.5, 2);
    t.equal(big[0], 0);
    t.equal(big[big.length - 1], 0);
    t.ok(big.subarray(1, big.length - 1).every((v) => v === 2.5), "streamFill wrote every element");
});
