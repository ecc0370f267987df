/**
 * The WebAssembly backend: the native kernels (native/kernels/generic/) compiled once more, for
 * wasm32 + SIMD128 (native/kernels/wasm/, native/wasm/entry.cc; scripts/build-wasm.sh), so it gives
 * the same bits as the native and pure-TypeScript backends. The module ships as base64 in
 * lib/backend/wasmModule.ts (no fs: it works wherever the package's JavaScript does, browsers
 * included: lib/backend/host.ts decodes it, with Buffer on Node, atob in a browser); it is
 * compiled and instantiated synchronously on the first fill.
 *
 * A fill runs on the calling thread: the module writes the stream into a scratch area of its own
 * memory (nninit_scratch_elems() elements, any dtype) chunk by chunk, each chunk [offset + k,
 * offset + k + m) filled exactly as a fill of that range would be (docs/stream.md §3: a pure
 * function of the element index), and each chunk is copied into `out` with TypedArray.set. Chunks
 * after the first start on a block boundary, so no block is generated twice.
 *
 * Constant fills use TypedArray.fill (a memset, faster than any fill plus copy); the module's
 * nninit_fill_constant gives the same bits and is checked in test/parity.test.ts. The matrix
 * primitives (orthonormalize, sparseZeros) are the JS backend's (lib/linalg/, lib/stream/).
 *
 * fillAsync runs the same fill in one piece on a later microtask, with the JS backend's semantics
 * (lib/backend/js.ts fillJsAsync). Worker threads (a pool of instances over a shared memory) are a
 * later step.
 */
import { stateError } from "../plan/errors.js";
import { KERNELS, keyWords, type FillPlan, type RandomPlan } from "../plan/plan.js";
import { DTYPES, type OutArray } from "../plan/validate.js";
import { BLOCK_SIZE } from "../stream/version.js";
import { decodeBase64 } from "./host.js";
import { fillJs, orthonormalizeJs, orthonormalizeJsAsync, sparseZerosJs } from "./js.js";
import type { AbortSignalLike, Backend, BackendInfo } from "./types.js";
import { WASM_BASE64 } from "./wasmModule.js";

/** The interface version of native/wasm/entry.cc this file speaks. */
const ABI = 1;

/** The exports of native/wasm/entry.cc. */
interface WasmExports {
  memory: { buffer: ArrayBuffer };
  nninit_abi(): number;
  nninit_scratch(): number;
  nninit_scratch_elems(): number;
  nninit_params(): number;
  nninit_fill(dst: number, n: number, dtype: number, kernel: number, params: number, keyHi: number, keyLo: number,
    offsetHi: number, offsetLo: number): number;
  nninit_fill_constant(dst: number, n: number, dtype: number, value: number): number;
}

/** The part of the WebAssembly JS API used here (the lib has no DOM/WebAssembly types). */
interface WebAssemblyApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}

/**
 * The smallest module with a SIMD128 instruction (i32.const 0; i8x16.splat; i8x16.popcnt; the
 * probe of the wasm-feature-detect package): validates only where SIMD128 is supported.
 */
const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0,
  253, 15, 253, 98, 11]);

function api(): WebAssemblyApi | undefined {
  return (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly;
}

/** Why the wasm backend cannot run here, or undefined when it can (cheap: no module is compiled). */
export function wasmUnavailableReason(): string | undefined {
  const wa = api();
  if (wa === undefined) return "WebAssembly is not available in this JavaScript engine";
  try {
    if (!wa.validate(SIMD_PROBE)) return "this engine's WebAssembly has no SIMD128 (fixed-width SIMD) support";
  } catch (err) {
    return `WebAssembly.validate failed: ${err instanceof Error ? err.message : String(err)}`;
  }
  return undefined;
}

/** The instantiated module and typed views of its scratch area. */
interface Instance {
  x: WasmExports;
  scratch: number;
  elems: number;
  params: number;
  buffer: ArrayBuffer | null;
  f32: Float32Array;
  f64: Float64Array;
  u16: Uint16Array;
  par: Float32Array;
}

let instance: Instance | null = null;

/** Compiles and instantiates the module (once); throws with the reason if it cannot. */
export function wasmInstance(): Instance {
  if (instance !== null) return instance;
  const reason = wasmUnavailableReason();
  if (reason !== undefined) throw new Error(reason);
  const wa = api() as WebAssemblyApi;
  const module = new wa.Module(decodeBase64(WASM_BASE64));
  const x = new wa.Instance(module, {}).exports as WasmExports;
  if (x.nninit_abi() !== ABI) throw new Error(`the wasm module speaks interface ${x.nninit_abi()}, not ${ABI}`);
  const empty = new Float32Array(0);
  instance = { x, scratch: x.nninit_scratch(), elems: x.nninit_scratch_elems(), params: x.nninit_params(), buffer: null,
    f32: empty, f64: new Float64Array(0), u16: new Uint16Array(0), par: empty };
  return instance;
}

/** Refreshes the views if the memory's buffer changed (the module never grows it; cheap check). */
function views(w: Instance): Instance {
  const buffer = w.x.memory.buffer;
  if (buffer !== w.buffer) {
    w.buffer = buffer;
    w.f32 = new Float32Array(buffer, w.scratch, w.elems);
    w.f64 = new Float64Array(buffer, w.scratch, w.elems);
    w.u16 = new Uint16Array(buffer, w.scratch, w.elems);
    w.par = new Float32Array(buffer, w.params, 8);
  }
  return w;
}

const TWO32 = 2 ** 32;

function scratchView(w: Instance, dtypeCode: number): Float32Array | Float64Array | Uint16Array {
  return dtypeCode === 0 ? w.f32 : dtypeCode === 1 ? w.f64 : w.u16;
}

function fillRandom(plan: RandomPlan, out: OutArray): void {
  const n = out.length;
  if (n === 0) return;
  const w = views(wasmInstance());
  const dt = DTYPES.indexOf(plan.dtype);
  const kernel = KERNELS.indexOf(plan.kernel);
  const [keyHi, keyLo] = keyWords(plan.key);
  w.par.set(plan.params.subarray(0, 8));
  const view = scratchView(w, dt);
  const o = out as Float32Array; // set() copies any of the three view types into its own type
  // the first chunk ends on a block boundary: later chunks cover whole blocks only
  let m = Math.min(n, w.elems - (plan.offset % BLOCK_SIZE));
  for (let k = 0; k < n; k += m, m = Math.min(w.elems, n - k)) {
    const at = plan.offset + k;
    const rc = w.x.nninit_fill(w.scratch, m, dt, kernel, w.params, keyHi, keyLo, Math.floor(at / TWO32), at >>> 0);
    if (rc !== 0) throw new Error(`nninit_fill rejected its arguments (offset ${at}, n ${m})`);
    o.set(m === w.elems ? (view as Float32Array) : (view.subarray(0, m) as Float32Array), k);
  }
}

/** Fills `out` with the wasm module (random plans) or TypedArray.fill (constant plans). */
export function fillWasm(plan: FillPlan, out: OutArray): void {
  if (plan.kind === "constant") fillJs(plan, out);
  else fillRandom(plan, out);
}

/**
 * The module's own constant fill (nninit_fill_constant), for tests: fills `out` (at most
 * nninit_scratch_elems() elements) with the value in `dtypeCode`'s encoding.
 */
export function fillConstantWasm(out: OutArray, dtypeCode: number, value: number): void {
  const w = views(wasmInstance());
  if (out.length > w.elems) throw new RangeError(`at most ${w.elems} elements`);
  if (w.x.nninit_fill_constant(w.scratch, out.length, dtypeCode, value) !== 0) throw new Error("nninit_fill_constant rejected its arguments");
  (out as Float32Array).set(scratchView(w, dtypeCode).subarray(0, out.length) as Float32Array);
}

/** fillJsAsync's semantics (lib/backend/js.ts) over fillWasm. */
export function fillWasmAsync(plan: FillPlan, out: OutArray, signal?: AbortSignalLike): Promise<void> {
  const n = out.length;
  const shared = typeof SharedArrayBuffer !== "undefined" && out.buffer instanceof SharedArrayBuffer;
  return Promise.resolve().then(() => {
    signal?.throwIfAborted(); // the fill runs in one piece: only an abort before it starts counts
    if (!shared && out.length !== n) throw stateError();
    fillWasm(plan, out.length === n ? out : out.subarray(0, n));
  });
}

/** The wasm Backend; `loadError` says why native is not active, when it is not. */
export function createWasmBackend(loadError?: string): Backend {
  const info: BackendInfo = { name: "wasm", isa: "simd128", threads: 1 };
  if (loadError !== undefined) info.loadError = loadError;
  return {
    info,
    fill: fillWasm,
    fillAsync: fillWasmAsync,
    setThreads: () => {},
    orthonormalize: orthonormalizeJs,
    orthonormalizeAsync: orthonormalizeJsAsync,
    sparseZeros: sparseZerosJs,
  };
}
