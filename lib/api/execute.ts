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
import { active, type Backend } from "../backend/select.js";
import type { FillPlan } from "../plan/plan.js";
import { typeError, valueError } from "../plan/errors.js";
import { opt, type OutArray } from "../plan/validate.js";

/**
 * The members of an AbortSignal that nninit uses, typed structurally so that nninit's declarations
 * need neither the DOM lib nor @types/node. At run time `signal` must be a real AbortSignal.
 */
export interface AbortSignalLike {
  readonly aborted: boolean;
  readonly reason: unknown;
  throwIfAborted(): void;
  addEventListener(type: "abort", listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: "abort", listener: () => void): void;
}

/** Validated work on `out`. */
export interface Job {
  out: OutArray;
  /** The FillPlan of an element-wise fill (absent for matrix jobs): tests run it on the reference backend. */
  plan?: FillPlan;
  /** The caller's AbortSignal (promises API only; checkSignal). */
  signal?: AbortSignalLike;
  /** Runs on `backend` now, on the calling thread. */
  run(backend: Backend): void;
  /** Runs with the backend's async primitives (native: off the event loop); `out` is written by settlement. */
  runAsync(backend: Backend): Promise<void>;
}

/** The job of an element-wise fill. */
export function fillJob(plan: FillPlan, out: OutArray, signal?: AbortSignalLike): Job {
  return {
    out,
    plan,
    signal,
    run: (backend) => backend.fill(plan, out),
    runAsync: (backend) => backend.fillAsync(plan, out, signal),
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
  submit(fillJob(plan, out, signal));
}

/**
 * The `signal` option: an AbortSignal, accepted only by the nninit/promises functions. The
 * synchronous functions reject it (RangeError) rather than ignore it: a synchronous fill cannot be
 * interrupted, and silently ignoring the option would promise what it cannot keep.
 */
export function checkSignal(value: unknown): AbortSignalLike | undefined {
  if (value === undefined) return undefined;
  if (capture === null) {
    throw valueError(opt("signal"), 'is accepted only by the "nninit/promises" functions (a synchronous fill cannot be aborted)', value);
  }
  if (!(value instanceof AbortSignal)) throw typeError(opt("signal"), "an AbortSignal", value);
  return value;
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
