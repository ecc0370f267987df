/**
 * `nninit/promises`: the same functions as the main entry, returning Promises. With the native
 * backend the fill runs on nninit's own thread pool, off the event loop, with the wasm backend on
 * its pool of workers (worker_threads, Web Workers in a browser); argument errors reject
 * (they never throw synchronously). The Promise resolves with `out`.
 *
 * Safety (docs/safety.md): an async fill never writes into memory that may have been freed. Arrays
 * backed by a SharedArrayBuffer are filled in place; for ordinary ArrayBuffers the native backend
 * computes into memory of its own and copies into `out` on the main thread at the end, after
 * checking that `out` is still attached (a transferred buffer makes the Promise reject).
 * Matrix methods: `orthogonal` draws and factors off the event loop (Backend.orthonormalizeAsync)
 * into memory of its own and copies into `out` at the end; `sparse` is the async normal fill plus
 * the zeroing (Backend.sparseZeros, synchronous) on the main thread, into memory of its own that
 * is copied into an ordinary `out` at the end (a shared one is filled in place); `eye`, `dirac`
 * and `zca` compute on the main thread (zca's eigensolver is TypeScript) and resolve with the
 * synchronous result. One rule for every method (docs/safety.md §10): the fill writes exactly the
 * elements `out` had when it was checked, and an ordinary `out` that lost some of them meanwhile
 * (detached, transferred, shrunk) makes the Promise reject with ERR_INVALID_STATE, nothing written.
 *
 * Every function takes `signal` (an AbortSignal) in its options. Already aborted: the Promise
 * rejects with `signal.reason` once the arguments are checked, and nothing is written (no stream
 * key is drawn either). Aborted while the native backend fills: the pool skips the tasks not yet
 * started, and the Promise rejects with the reason once no thread writes any more; an ordinary
 * `out` is then unchanged, a SharedArrayBuffer-backed one may hold some finished blocks (each of
 * them correct). Aborted after the fill completed: no effect. The wasm backend does the same on
 * its worker pool (lib/backend/wasmPool.ts): pieces not yet handed out are skipped, and the
 * Promise rejects once no worker works on the fill. The JS backend fills in one piece on the main
 * thread, so it honours an abort that comes before the fill starts. The signal is
 * read only through the built-in AbortSignal members, and backends see a signal of nninit's own
 * that follows it (lib/api/execute.ts withSignal): none of the caller's overrides runs.
 */
import * as sync from "./index.js";
import { active } from "./backend/select.js";
import { captureJob } from "./api/execute.js";

/** Wraps a sync fill (TypeScript keeps its generic signature: higher-order inference). */
function promisify<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => Promise<R> {
  return async (...args: A): Promise<R> => {
    let result: R | undefined;
    const job = captureJob(() => {
      result = fn(...args);
    });
    if (job !== null) await job.runAsync(active);
    return result as R;
  };
}

// One per method of the method table (lib/plan/methods.ts) with `promise: true`; test/validation.test.ts checks it.
export const uniform = promisify(sync.uniform);
export const normal = promisify(sync.normal);
export const truncNormal = promisify(sync.truncNormal);
export const constant = promisify(sync.constant);
export const zeros = promisify(sync.zeros);
export const ones = promisify(sync.ones);
export const varianceScaling = promisify(sync.varianceScaling);
export const xavierUniform = promisify(sync.xavierUniform);
export const xavierNormal = promisify(sync.xavierNormal);
export const kaimingUniform = promisify(sync.kaimingUniform);
export const kaimingNormal = promisify(sync.kaimingNormal);
export const lecunUniform = promisify(sync.lecunUniform);
export const lecunNormal = promisify(sync.lecunNormal);
export const orthogonal = promisify(sync.orthogonal);
export const eye = promisify(sync.eye);
export const identity = promisify(sync.identity);
export const dirac = promisify(sync.dirac);
export const sparse = promisify(sync.sparse);
export const zca = promisify(sync.zca);
