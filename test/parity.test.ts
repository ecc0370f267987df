/**
 * Native and WebAssembly vs pure-TypeScript parity, byte for byte (docs/stream.md: the native
 * kernels and their wasm32 SIMD128 build must match lib/backend/jsKernels.ts bit for bit). Every
 * kernel x dtype x key x offset x size is filled by the JS reference once, then by every native
 * ISA this machine supports x threads {1,2,3,7} and by the wasm backend, into a subarray of a
 * larger buffer whose canary words around the target must stay untouched. Comparisons are on raw
 * bytes (Buffer.compare of the views), never with a tolerance. The wasm backend fills in chunks of
 * its scratch size (65536 elements): sizes and offsets here cut both blocks and chunks.
 */
import t from "tap";
import { createHash } from "node:crypto";
import { jsBackend, nativeBinding, nativeIsas, wasmBackend } from "../lib/backend/select.js";
import { fillConstantWasm, wasmInstance } from "../lib/backend/wasm.js";
import { WASM_BASE64, WASM_BYTES, WASM_SHA256 } from "../lib/backend/wasmModule.js";
import type { FillPlan, RandomPlan } from "../lib/plan/plan.js";
import type { DType, OutArray } from "../lib/plan/validate.js";
import { truncNormalParams } from "../lib/api/truncNormal.js";
import { KERNELS, type KernelId } from "../lib/plan/plan.js";
import { bytes, fillTargets } from "./helpers.js";

const B = 4096;
const DTYPES: DType[] = ["float32", "float64", "bfloat16", "float16"];
const THREADS = [1, 2, 3, 7];
const KEYS = [0n, 42n, 0xfedcba9876543210n, 2n ** 64n - 1n];
const SIZES = [0, 1, 7, 8, 9, B - 1, B, B + 1, 3 * B + 5, 200_003];
const OFFSETS = [0, 1, 8, B - 1, B + 3, 2 ** 40 + 3];
const PAD = 8; // canary elements on each side

const f = Math.fround;
/** Kernel parameter sets: ordinary ones plus ranges that reach float16 subnormals/overflow and AS 241's tails. */
const PARAMS: Record<KernelId, number[][]> = {
  uniform: [[-0.5, 2], [f(-1e-4), f(2e-4)], [-70000, 140000]],
  normal: [[0.25, 1.5], [0, f(1e-5)], [100000, 30000]],
  truncNormal: [
    truncNormalParams(0, 1, -2, 2),
    truncNormalParams(0.5, 2, 1, 7), // mirrored (sgn = -1)
    truncNormalParams(0, 1, 6, 8), // both tail branches of ndtri32 (t <= 5 and t > 5)
    truncNormalParams(0, 1, -13, -11), // p clamped at 2^-100
  ],
};

type Ctor = Float32ArrayConstructor | Float64ArrayConstructor | Uint16ArrayConstructor;
const CTOR: Record<DType, Ctor> = { float32: Float32Array, float64: Float64Array, bfloat16: Uint16Array, float16: Uint16Array };

/** Fills a padded buffer's middle with `fill`; returns a description of what went wrong, or null. */
function checkAgainst(expected: OutArray, plan: FillPlan, fill: (out: OutArray) => void): string | null {
  const n = expected.length;
  const big = new CTOR[plan.dtype](n + 2 * PAD);
  bytes(big).fill(0xa5);
  const target = big.subarray(PAD, PAD + n);
  fill(target);
  const canary = Buffer.alloc(PAD * big.BYTES_PER_ELEMENT, 0xa5);
  if (!bytes(big.subarray(0, PAD)).equals(canary)) return "canary before the target was written";
  if (!bytes(big.subarray(PAD + n)).equals(canary)) return "canary after the target was written";
  if (bytes(target).equals(bytes(expected))) return null;
  const a = bytes(expected), b = bytes(target);
  let i = 0;
  while (a[i] === b[i]) i++;
  const e = Math.floor(i / big.BYTES_PER_ELEMENT);
  return `first difference at element ${e}: js ${expected[e]} got ${target[e]}`;
}

function reference(plan: FillPlan, n: number): OutArray {
  const out = new CTOR[plan.dtype](n);
  jsBackend.fill(plan, out);
  return out;
}

const skip = nativeBinding === null ? `native backend not loaded: ${jsBackend.info.loadError}` : false;
const skipWasm = wasmBackend === null ? "no WebAssembly SIMD128 in this engine" : false;
const skipBoth = skip !== false && skipWasm !== false ? `${skip}; ${skipWasm}` : false;

t.test("native backend is loaded and reports its ISAs", { skip }, async (t) => {
  t.ok(nativeIsas.length > 0);
  t.ok(nativeIsas.includes("scalar"), "scalar is always available");
});

for (const kernel of KERNELS) {
  t.test(`${kernel}: native and wasm === js, every ISA, dtype, key, offset, size and thread count`, { skip: skipBoth }, async (t) => {
    const fills = fillTargets(THREADS);
    const failures: string[] = [];
    let compared = 0;
    for (const dtype of DTYPES) {
      PARAMS[kernel].forEach((params, pi) => {
        for (const [oi, offset] of OFFSETS.entries()) {
          // keys rotate over offsets and parameter sets (every key meets every kernel and dtype)
          const key = KEYS[(oi + pi) % KEYS.length];
          {
            for (const n of SIZES) {
              // keep the run time sane: the big size at fewer offsets
              if (n > 3 * B + 5 && offset !== 0 && offset !== B + 3 && offset !== 2 ** 40 + 3) continue;
              const plan: RandomPlan = { kind: "random", kernel, params: Float32Array.from(params), key, offset, dtype, threads: 0 };
              const expected = reference(plan, n);
              for (const { name, fill } of fills) {
                const err = checkAgainst(expected, plan, (out) => fill(plan, out));
                compared++;
                if (err !== null) failures.push(`${name} ${dtype} params#${pi} key=${key} offset=${offset} n=${n}: ${err}`);
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

t.test("large fills (streaming stores, several tasks, many wasm chunks) and unaligned targets", { skip: skipBoth }, async (t) => {
  const cases: [KernelId, DType, number, number][] = [
    // >= 16 MiB into a written buffer (checkAgainst's canary fill): streaming stores where the
    // first whole block starts 16-byte aligned (offset 4099: it does not, plain stores); on
    // AVX-512 uniform then runs one generator instead of two (generic/kernels.h interleave()),
    // normal and truncNormal keep theirs
    ["uniform", "float32", (4 << 20) + 123, 4099],
    ["uniform", "float32", (4 << 20) + 123, 4100],
    ["uniform", "float64", (2 << 20) + 7, 0],
    ["uniform", "bfloat16", (8 << 20) + 9, 8],
    ["normal", "float32", (4 << 20) + 5, 8],
    ["truncNormal", "float32", (4 << 20) + 1, 80],
    ["normal", "bfloat16", (1 << 20) + 3, 5],
    ["truncNormal", "float16", (1 << 19) + 1, 2 ** 45 + 17],
    ["normal", "float32", 3 * 65536 + 1, 65536 - 1], // wasm: chunk ends one element past a chunk
    ["truncNormal", "float64", 2 * 65536, 4096 * 16 + 1],
  ];
  for (const [kernel, dtype, n, offset] of cases) {
    const plan: RandomPlan = { kind: "random", kernel, params: Float32Array.from(PARAMS[kernel][0]), key: 7n, offset, dtype, threads: 0 };
    const expected = reference(plan, n);
    for (const { name, fill } of fillTargets([1, 2, 3])) {
      t.equal(checkAgainst(expected, plan, (out) => fill(plan, out)), null, `${kernel} ${dtype} n=${n} offset=${offset} ${name}`);
    }
    // a new array: its pages may be untouched (then plain stores at any size, core/fill.cc
    // pages_resident) or reused memory the allocator zeroed (streaming stores)
    for (const { name, fill } of fillTargets([2])) {
      const fresh = new CTOR[dtype](n);
      fill(plan, fresh);
      t.ok(bytes(fresh).equals(bytes(expected)), `${kernel} ${dtype} new array (${name})`);
    }
    // a destination that is only element-aligned (not 16-byte aligned), on every ISA and wasm
    for (const { name, fill } of fillTargets([2])) {
      const big = new CTOR[dtype](n + 1);
      fill(plan, big.subarray(1));
      t.ok(bytes(big.subarray(1)).equals(bytes(expected)), `${kernel} ${dtype} unaligned target (${name})`);
    }
  }
});

t.test("wasm: the module is the committed one, and its fill is a pure function of the index", { skip: skipWasm }, async (t) => {
  const bytesOf = Buffer.from(WASM_BASE64, "base64");
  t.equal(bytesOf.length, WASM_BYTES);
  t.equal(createHash("sha256").update(bytesOf).digest("hex"), WASM_SHA256, "lib/backend/wasmModule.ts's bytes match its SHA-256");
  t.equal(wasmBackend!.info.name, "wasm");
  t.equal(wasmBackend!.info.isa, "simd128");
  t.equal(wasmInstance().x.nninit_scratch_elems(), 65536, "the scratch chunk the sizes here are chosen around");
  // a long fill equals the concatenation of fills of its pieces, cut anywhere
  for (const kernel of KERNELS) {
    const plan: RandomPlan = { kind: "random", kernel, params: Float32Array.from(PARAMS[kernel][0]), key: 99n, offset: 12345, dtype: "float32", threads: 0 };
    const whole = new Float32Array(150_000);
    wasmBackend!.fill(plan, whole);
    const pieces = new Float32Array(whole.length);
    for (const [a, b] of [[0, 1], [1, 4000], [4000, 70001], [70001, 70002], [70002, 150_000]]) {
      wasmBackend!.fill({ ...plan, offset: plan.offset + a }, pieces.subarray(a, b));
    }
    t.ok(bytes(pieces).equals(bytes(whole)), `${kernel}: pieces === whole`);
  }
  // bad arguments are refused by the module (it never writes out of range)
  const x = wasmInstance().x;
  t.equal(x.nninit_fill(x.nninit_scratch(), 1, 4, 0, x.nninit_params(), 0, 0, 0, 0), -1, "dtype 4");
  t.equal(x.nninit_fill(x.nninit_scratch(), 1, 0, 3, x.nninit_params(), 0, 0, 0, 0), -1, "kernel 3");
  t.equal(x.nninit_fill(x.nninit_scratch(), 2, 0, 0, x.nninit_params(), 0, 0, 0x200000, 0xffffffff), -1, "offset + n > 2^53");
  t.equal(x.nninit_fill_constant(x.nninit_scratch(), 1, -1, 0), -1, "constant dtype -1");
});

t.test("offset at the end of the safe range", { skip: skipBoth }, async (t) => {
  for (const n of [1, 9, B + 1]) {
    const offset = Number.MAX_SAFE_INTEGER - n;
    for (const kernel of KERNELS) {
      const plan: RandomPlan = { kind: "random", kernel, params: Float32Array.from(PARAMS[kernel][0]), key: 3n, offset, dtype: "float32", threads: 2 };
      const expected = reference(plan, n);
      for (const { name, fill } of fillTargets([2])) {
        t.equal(checkAgainst(expected, plan, (out) => fill(plan, out)), null, `${kernel} n=${n} ${name}`);
      }
    }
  }
});

t.test("constant fills: native and wasm === js for every dtype, including float16 subnormals and overflow", { skip: skipBoth }, async (t) => {
  const values = [0, -0, 1, 1.5, -2.75, 1e-7, -3e-8, 6e-5, 65504, 65519, 65520, 1e5, 3.4e38, -1e-40, 0.1];
  for (const dtype of DTYPES) {
    for (const value of values) {
      for (const n of [0, 1, 7, 9, 1000, 65537, (4 << 20) + 5]) {
        if (n > 65537 && value !== 1.5) continue;
        const plan: FillPlan = { kind: "constant", value: dtype === "float64" ? value : f(value), dtype, threads: 0 };
        const expected = reference(plan, n);
        for (const { name, fill } of fillTargets([1, 3])) {
          t.equal(checkAgainst(expected, plan, (out) => fill(plan, out)), null, `${dtype} ${value} n=${n} ${name}`);
        }
        // the module's own constant fill (the backend uses TypedArray.fill; lib/backend/wasm.ts)
        if (wasmBackend !== null && n <= 65536 && plan.kind === "constant") {
          const code = DTYPES.indexOf(dtype);
          t.equal(checkAgainst(expected, plan, (out) => fillConstantWasm(out, code, plan.value)), null, `${dtype} ${value} n=${n} nninit_fill_constant`);
        }
      }
    }
  }
  if (nativeBinding === null) return;
  // streamFill (the bench's limit row) writes the value everywhere, aligned or not
  const big = new Float32Array((5 << 20) + 3);
  nativeBinding!.streamFill(big.subarray(1, big.length - 1), 2.5, 2);
  t.equal(big[0], 0);
  t.equal(big[big.length - 1], 0);
  t.ok(big.subarray(1, big.length - 1).every((v) => v === 2.5), "streamFill wrote every element");
});
