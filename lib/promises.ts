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
 * Every function takes `signal` (an AbortSignal) in its options (only these: the synchronous
 * functions' types have no `signal`, and they reject one at run time). Already aborted: the Promise
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
import type { DataFill, Fill, ShapeFill, ShapeFillRequired, ValueFill } from "./api/signatures.js";

/**
 * Wraps a sync fill. `F` is the Promise form's type: the sync function's call form in mode
 * "promise" (lib/api/signatures.ts: the same overloads, plus `signal`, returning a Promise), given
 * explicitly because an overloaded function's type cannot be mapped; test/types.check.ts checks
 * that each sync function has exactly the overloads of its call form.
 */
function promisify<F extends (...args: never[]) => Promise<unknown>>(fn: (...args: never[]) => unknown): F;
function promisify(fn: (...args: never[]) => unknown): (...args: never[]) => Promise<unknown> {
  return async (...args: never[]): Promise<unknown> => {
    let result: unknown;
    const job = captureJob(() => {
      result = fn(...args);
    });
    if (job !== null) await job.runAsync(active);
    return result;
  };
}

// One per method of the method table (lib/plan/methods.ts) with `promise: true`; test/validation.test.ts checks it.
export const uniform = promisify<Fill<sync.UniformOptions, "promise">>(sync.uniform);
export const normal = promisify<Fill<sync.NormalOptions, "promise">>(sync.normal);
export const truncNormal = promisify<Fill<sync.TruncNormalOptions, "promise">>(sync.truncNormal);
export const constant = promisify<ValueFill<sync.ConstantOptions, "promise">>(sync.constant);
export const zeros = promisify<Fill<sync.ConstantOptions, "promise">>(sync.zeros);
export const ones = promisify<Fill<sync.ConstantOptions, "promise">>(sync.ones);
export const varianceScaling = promisify<ShapeFill<sync.VarianceScalingOptions, "promise">>(sync.varianceScaling);
export const xavierUniform = promisify<ShapeFill<sync.XavierOptions, "promise">>(sync.xavierUniform);
export const xavierNormal = promisify<ShapeFill<sync.XavierOptions, "promise">>(sync.xavierNormal);
export const kaimingUniform = promisify<ShapeFill<sync.KaimingOptions, "promise">>(sync.kaimingUniform);
export const kaimingNormal = promisify<ShapeFill<sync.KaimingOptions, "promise">>(sync.kaimingNormal);
export const lecunUniform = promisify<ShapeFill<sync.FanOptions, "promise">>(sync.lecunUniform);
export const lecunNormal = promisify<ShapeFill<sync.FanOptions, "promise">>(sync.lecunNormal);
export const orthogonal = promisify<ShapeFill<sync.OrthogonalOptions, "promise">>(sync.orthogonal);
export const eye = promisify<ShapeFill<sync.EyeOptions, "promise">>(sync.eye);
export const identity = promisify<ShapeFill<sync.EyeOptions, "promise">>(sync.identity);
export const dirac = promisify<ShapeFill<sync.DiracOptions, "promise">>(sync.dirac);
export const sparse = promisify<ShapeFillRequired<sync.SparseOptions, "promise">>(sync.sparse);
export const zca = promisify<DataFill<sync.ZcaOptions, "promise">>(sync.zca);
