/**
 * The WebAssembly backend: the native kernels (native/kernels/generic/) compiled once more, for
 * wasm32 + SIMD128 (native/kernels/wasm/, native/wasm/entry.cc; scripts/build-wasm.sh), so it gives
 * the same bits as the native and pure-TypeScript backends. The module ships as base64 in
 * lib/backend/wasmModule.ts (no fs: it works wherever the package's JavaScript does, browsers
 * included: lib/backend/host.ts decodes it, with Buffer on Node, atob in a browser); it is
 * compiled and instantiated synchronously on the first fill.
 *
 * A sync fill runs on the calling thread: the module writes the stream into a scratch area of its
 * own memory chunk by chunk and each chunk is copied into `out` (lib/backend/wasmWorker.ts
 * fillChunks, the loop the workers run too).
 *
 * Constant fills use TypedArray.fill (a memset, faster than any fill plus copy); the module's
 * nninit_fill_constant gives the same bits and is checked in test/parity.test.ts. The matrix
 * primitives (orthonormalize, sparseZeros) are the JS backend's (lib/linalg/, lib/stream/).
 *
 * fillAsync (nninit/promises) runs random fills on a pool of workers, each with its own instance
 * of the same compiled module (lib/backend/wasmPool.ts); `threads` (the option, setThreads,
 * NNINIT_THREADS; by default the hardware's count) bounds the workers one fill uses.
 */
import { stateError } from "../plan/errors.js";
import { KERNELS, keyWords, type FillPlan, type RandomPlan } from "../plan/plan.js";
import { DTYPES, isSharedView, typedArrayBuffer, typedArrayByteOffset, typedArrayLength, type OutArray } from "../plan/validate.js";
import { BLOCK_SIZE } from "../stream/version.js";
import { decodeBase64, hardwareThreads, startWorker } from "./host.js";
import { fillJs, orthonormalizeJs, orthonormalizeJsAsync, sparseZerosJs } from "./js.js";
import type { AbortSignalLike, Backend, BackendInfo } from "./types.js";
import { WASM_BASE64 } from "./wasmModule.js";
import { PIECE_ELEMENTS, WasmPool, type Part } from "./wasmPool.js";
import { fillChunks, type PieceFill, type WasmExports } from "./wasmWorker.js";

/** The interface version of native/wasm/entry.cc this file speaks. */
const ABI = 1;

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

/** The compiled module and its instance on this thread. */
interface Instance {
  module: object;
  x: WasmExports;
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
  instance = { module, x };
  return instance;
}

/** What a fill of `plan` sends to fillChunks, here or in a worker. */
function pieceFill(plan: RandomPlan): PieceFill {
  const [keyHi, keyLo] = keyWords(plan.key);
  return { dt: DTYPES.indexOf(plan.dtype), kernel: KERNELS.indexOf(plan.kernel), params: plan.params, keyHi, keyLo, offset: plan.offset };
}

/** Fills `out` with the wasm module (random plans) or TypedArray.fill (constant plans). */
export function fillWasm(plan: FillPlan, out: OutArray): void {
  if (plan.kind === "constant") fillJs(plan, out);
  else fillChunks(wasmInstance().x, out, pieceFill(plan), BLOCK_SIZE);
}

/**
 * The module's own constant fill (nninit_fill_constant), for tests: fills `out` (at most
 * nninit_scratch_elems() elements) with the value in `dtypeCode`'s encoding.
 */
export function fillConstantWasm(out: OutArray, dtypeCode: number, value: number): void {
  const { x } = wasmInstance();
  const elems = x.nninit_scratch_elems();
  if (out.length > elems) throw new RangeError(`at most ${elems} elements`);
  const scratch = x.nninit_scratch();
  if (x.nninit_fill_constant(scratch, out.length, dtypeCode, value) !== 0) throw new Error("nninit_fill_constant rejected its arguments");
  const ctor = dtypeCode === 0 ? Float32Array : dtypeCode === 1 ? Float64Array : Uint16Array;
  (out as Float32Array).set(new ctor(x.memory.buffer, scratch, out.length) as Float32Array);
}

/** Bytes per element of each dtype. */
const BYTES = { float32: 4, float64: 8, bfloat16: 2, float16: 2 } as const;

let pool: WasmPool | null = null;
/** Why no worker can be made here (set when the pool's first worker failed to start): async fills then run on the calling thread. */
let poolUnavailable: string | undefined;

let start = startWorker;

/** The worker pool of the async fills, once one ran (tests read it), else null. */
export function wasmPool(): WasmPool | null {
  return pool;
}

/** For tests: ends the pool's workers and forgets the pool; the next async fill starts one with `starter`. */
export function resetWasmPool(starter: typeof startWorker = startWorker): void {
  pool?.terminate();
  pool = null;
  poolUnavailable = undefined;
  start = starter;
}

/**
 * Async random fills shorter than this run on the calling thread (in a later microtask): one
 * piece of the pool, at most ~0.7 ms of work (truncNormal), less than the round trip to a worker
 * costs (measured: a 65536-element uniform fill took ~0.3-0.5 ms through the pool, 0.05 ms here).
 */
export const INLINE_ELEMENTS = PIECE_ELEMENTS;

/**
 * The async fill: random plans of INLINE_ELEMENTS or more on the worker pool
 * (lib/backend/wasmPool.ts), `threads` workers at most; constant plans (a memset: no work to
 * move) and shorter fills on the calling thread in a later microtask, as everything where no
 * worker can be started (a Content-Security-Policy without `worker-src blob:`, an engine without
 * workers). The rule of every async fill (lib/promises.ts): the n elements `out` had when it was
 * checked, all or none; an ordinary `out` is written once every piece is back, after checking
 * that it still has them.
 */
function fillWasmAsync(plan: FillPlan, out: OutArray, threads: number, signal?: AbortSignalLike): Promise<void> {
  const n = typedArrayLength(out);
  const shared = isSharedView(out);
  if (plan.kind === "constant" || n < INLINE_ELEMENTS || poolUnavailable !== undefined) {
    return Promise.resolve().then(() => {
      signal?.throwIfAborted(); // the fill runs in one piece: only an abort before it starts counts
      if (!shared && typedArrayLength(out) !== n) throw stateError();
      fillWasm(plan, out);
    });
  }
  let running: Promise<Part[]>;
  try {
    signal?.throwIfAborted();
    pool ??= new WasmPool(wasmInstance().module, start);
  } catch (err) {
    return Promise.reject(err);
  }
  try {
    const target = shared ? { buffer: typedArrayBuffer(out) as SharedArrayBuffer, byteOffset: typedArrayByteOffset(out) } : null;
    running = pool.run(pieceFill(plan), n, BYTES[plan.dtype], target, plan.threads === 0 ? threads : plan.threads, signal);
  } catch (err) {
    poolUnavailable = err instanceof Error ? err.message : String(err); // run() throws only when no worker starts
    pool = null;
    return fillWasmAsync(plan, out, threads, signal);
  }
  return running.then((parts) => {
    if (shared) return;
    if (typedArrayLength(out) !== n) throw stateError();
    const o = out as Float32Array; // set() copies any of the three view types into its own type
    const ctor = plan.dtype === "float32" ? Float32Array : plan.dtype === "float64" ? Float64Array : Uint16Array;
    for (const part of parts) o.set(new ctor(part.buffer) as Float32Array, part.start);
  });
}

/**
 * The wasm Backend; `loadError` says why native is not active, when it is not; `threads` (the
 * NNINIT_THREADS setting) is the default number of workers of an async fill (else the hardware's).
 */
export function createWasmBackend(loadError?: string, threads?: number): Backend {
  const info: BackendInfo = { name: "wasm", isa: "simd128", threads: threads ?? hardwareThreads() };
  if (loadError !== undefined) info.loadError = loadError;
  return {
    info,
    fill: fillWasm,
    fillAsync: (plan, out, signal) => fillWasmAsync(plan, out, info.threads, signal),
    setThreads: (n) => {
      info.threads = n === 0 ? hardwareThreads() : n;
    },
    orthonormalize: orthonormalizeJs,
    orthonormalizeAsync: orthonormalizeJsAsync,
    sparseZeros: sparseZerosJs,
  };
}
