/**
 * The single exit point of every public function: hands validated work to the active backend.
 *
 * Work is a `Job`: an element-wise fill (a FillPlan, run by Backend.fill/fillAsync) or a matrix
 * job (orthogonal, sparse, eye, dirac, zca: their files in lib/api/) that combines backend
 * primitives with TypeScript steps. Every job has a synchronous and an asynchronous form.
 * lib/promises.ts reuses the synchronous API functions unchanged by capturing the job here (JS is
 * single-threaded and every API function reaches this point synchronously after validating, so a
 * module-level capture slot is safe) and running its async form instead.
 */
import { active, type Backend } from "../backend/select.js";
import type { FillPlan } from "../plan/plan.js";
import type { OutArray } from "../plan/validate.js";

/** Validated work on `out`. */
export interface Job {
  out: OutArray;
  /** The FillPlan of an element-wise fill (absent for matrix jobs): tests run it on the reference backend. */
  plan?: FillPlan;
  /** Runs on `backend` now, on the calling thread. */
  run(backend: Backend): void;
  /** Runs with the backend's async primitives (native: off the event loop); `out` is written by settlement. */
  runAsync(backend: Backend): Promise<void>;
}

/** The job of an element-wise fill. */
export function fillJob(plan: FillPlan, out: OutArray): Job {
  return {
    out,
    plan,
    run: (backend) => backend.fill(plan, out),
    runAsync: (backend) => backend.fillAsync(plan, out),
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

/** Runs the fill `plan` on `out` now, or hands it to the current capture. */
export function execute(plan: FillPlan, out: OutArray): void {
  submit(fillJob(plan, out));
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

/** captureJob for element-wise fills: the captured FillPlan and its array, or null (no fill, or a matrix job). */
export function capturePlan(fn: () => unknown): { plan: FillPlan; out: OutArray } | null {
  const job = captureJob(fn);
  return job === null || job.plan === undefined ? null : { plan: job.plan, out: job.out };
}
