/**
 * The single exit point of every public function: hands validated work to the active backend.
 *
 * Work is a `Job`: an element-wise fill (a FillPlan, run by Backend.fill/fillAsync) or a matrix
 * job (orthogonal, sparse, eye, dirac, zca: their files in lib/api/) that combines backend
 * primitives with TypeScript steps. Every job has a synchronous and an asynchronous form.
 * lib/promises.ts reuses the synchronous API functions unchanged by capturing the job here (JS is
 * single-threaded and every API function reaches this point synchronously after validating, so a
 * module-level capture slot is safe) and running its async form instead. The `signal` option is
 * checked here too, since only a captured (async) job can be aborted.
 */
import { active } from "../backend/select.js";
import type { AbortSignalLike, Backend } from "../backend/types.js";
import type { FillPlan } from "../plan/plan.js";
import { typeError, valueError } from "../plan/errors.js";
import { isProxy, lookalikeError, opt, uncurry, type OutArray } from "../plan/validate.js";

// AbortSignalLike is defined with the Backend interface (backends take it too); API files import it from here.
export type { AbortSignalLike };

/** Validated work on `out`. */
export interface Job {
  /** The view of the caller's `out` that the job writes (validate.ts checkOut: same memory, a fresh object). */
  out: OutArray;
  /** The FillPlan of an element-wise fill (absent for matrix jobs): tests run it on the reference backend. */
  plan?: FillPlan;
  /** The caller's AbortSignal (promises API only; checkSignal). Backends never see it: runAsync passes them a follower (withSignal). */
  signal?: AbortSignalLike;
  /** Runs on `backend` now, on the calling thread. */
  run(backend: Backend): void;
  /** Runs with the backend's async primitives (native: off the event loop); `out` is written by settlement. */
  runAsync(backend: Backend): Promise<void>;
}

/** The job of an element-wise fill (`out`: a view from checkOut). */
export function fillJob(plan: FillPlan, out: OutArray, signal?: AbortSignalLike): Job {
  return {
    out,
    plan,
    signal,
    run: (backend) => backend.fill(plan, out),
    runAsync: (backend) => withSignal(signal, (s) => backend.fillAsync(plan, out, s)),
  };
}

/** A job done entirely in TypeScript on the calling thread (cheap structured fills: eye, dirac). */
export function localJob(out: OutArray, write: () => void): Job {
  return { out, run: write, runAsync: async () => write() };
}

type Capture = (job: Job) => void;
let capture: Capture | null = null;

/** Runs `job` now on the active backend, or hands it to the current capture (promises API). */
export function submit(job: Job): void {
  if (capture !== null) capture(job);
  else job.run(active);
}

/**
 * Runs the fill `plan` on `out` now, or hands it to the current capture. `signal` comes from
 * checkSignal, so it is always undefined for a synchronous call.
 */
export function execute(plan: FillPlan, out: OutArray, signal?: AbortSignalLike): void {
  if (capture !== null) capture(fillJob(plan, out, signal));
  else active.fill(plan, out); // = submit(fillJob(...)) without building the job (every sync fill comes here)
}

// The AbortSignal members nninit uses, captured when this module loads: the caller's signal is
// only ever read through these (an own or inherited override of `aborted`, `throwIfAborted`,
// `addEventListener`... never runs), and backends get a signal of nninit's own that follows it.
const signalAborted = uncurry((Reflect.getOwnPropertyDescriptor(AbortSignal.prototype, "aborted") as PropertyDescriptor).get as () => boolean);
const signalReason = uncurry((Reflect.getOwnPropertyDescriptor(AbortSignal.prototype, "reason") as PropertyDescriptor).get as () => unknown);
type Listen = (type: string, listener: () => void, options?: { once?: boolean }) => void;
const addListener = uncurry(EventTarget.prototype.addEventListener as Listen);
const removeListener = uncurry(EventTarget.prototype.removeEventListener as Listen);
const Controller = AbortController;
const ONCE = Object.freeze({ once: true });

/**
 * The `signal` option: an AbortSignal, accepted only by the nninit/promises functions. The
 * synchronous functions reject it (RangeError) rather than ignore it: a synchronous fill cannot be
 * interrupted, and silently ignoring the option would promise what it cannot keep. A real
 * AbortSignal is recognised by the built-in `aborted` getter (which checks Node's internal state),
 * not by instanceof: a Proxy, Object.create(AbortSignal.prototype) or an AbortController is a
 * TypeError, and no trap or getter of the value runs.
 */
export function checkSignal(value: unknown): AbortSignalLike | undefined {
  if (value === undefined) return undefined;
  if (capture === null) {
    throw valueError(opt("signal"), 'is accepted only by the "nninit/promises" functions (a synchronous fill cannot be aborted)', value);
  }
  if (isProxy(value)) throw lookalikeError(opt("signal"), "an AbortSignal (a Proxy is not one, whatever its target)", "a Proxy");
  if (typeof value !== "object" || value === null) throw typeError(opt("signal"), "an AbortSignal", value);
  try {
    signalAborted(value);
  } catch {
    throw typeError(opt("signal"), "an AbortSignal", value);
  }
  return value as AbortSignalLike;
}

/** Throws the signal's reason if it is aborted (read through the built-in getters). Call after every check, before the key. */
export function throwIfAborted(signal: AbortSignalLike | undefined): void {
  if (signal !== undefined && signalAborted(signal)) throw signalReason(signal);
}

/** A caller's signal in use: the followers of the jobs running on it, and the one listener that aborts them. */
interface Watched {
  followers: Set<AbortController>;
  forward: () => void;
}
const watched = new WeakMap<AbortSignalLike, Watched>();

/**
 * Runs `body` (an async job's work) with a signal of nninit's own that follows the caller's
 * `source`: aborted, with source's reason, when source is or becomes aborted. Backends and the
 * matrix jobs call `aborted`, `throwIfAborted` and `addEventListener` on that follower only, so
 * nothing of the caller's runs while the job starts. One listener is added to `source` (with the
 * built-in addEventListener) however many jobs run on it at once, and it is removed when the last
 * of them ends: a signal shared by many concurrent fills (one AbortController to cancel them all)
 * never collects listeners, nor Node's MaxListenersExceededWarning.
 */
export async function withSignal<R>(source: AbortSignalLike | undefined, body: (signal: AbortSignalLike | undefined) => Promise<R>): Promise<R> {
  if (source === undefined) return body(undefined);
  const follower = new Controller();
  let w = watched.get(source);
  if (w === undefined) {
    const followers = new Set<AbortController>();
    const forward = (): void => {
      const reason = signalReason(source);
      for (const f of followers) f.abort(reason);
    };
    w = { followers, forward };
    watched.set(source, w);
    addListener(source, "abort", forward, ONCE);
  }
  w.followers.add(follower);
  try {
    if (signalAborted(source)) follower.abort(signalReason(source));
    return await body(follower.signal);
  } finally {
    w.followers.delete(follower);
    if (w.followers.size === 0) {
      removeListener(source, "abort", w.forward);
      watched.delete(source);
    }
  }
}

/** Calls `fn` with jobs captured instead of run; returns the captured job, if any. */
export function captureJob(fn: () => unknown): Job | null {
  let job: Job | null = null;
  const previous = capture;
  capture = (j) => {
    job = j;
  };
  try {
    fn();
  } finally {
    capture = previous;
  }
  return job;
}

/** captureJob for element-wise fills: the captured FillPlan, its array and signal, or null (no fill, or a matrix job). */
export function capturePlan(fn: () => unknown): { plan: FillPlan; out: OutArray; signal: AbortSignalLike | undefined } | null {
  const job = captureJob(fn);
  return job === null || job.plan === undefined ? null : { plan: job.plan, out: job.out, signal: job.signal };
}
