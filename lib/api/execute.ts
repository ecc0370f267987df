/**
 * The single exit point of every public fill: hands a validated plan to the active backend.
 * lib/promises.ts reuses the synchronous API functions unchanged by capturing the plan here
 * (JS is single-threaded and every API function reaches this point synchronously, so a
 * module-level capture slot is safe) and running it with the backend's async fill instead.
 */
import { active } from "../backend/select.js";
import type { FillPlan } from "../plan/plan.js";
import type { OutArray } from "../plan/validate.js";

type Capture = (plan: FillPlan, out: OutArray) => void;
let capture: Capture | null = null;

/** Runs `plan` on `out` now, or hands it to the current capture (promises API). */
export function execute(plan: FillPlan, out: OutArray): void {
  if (capture !== null) capture(plan, out);
  else active.fill(plan, out);
}

/** Calls `fn` with plans captured instead of executed; returns the captured plan, if any. */
export function capturePlan(fn: () => unknown): { plan: FillPlan; out: OutArray } | null {
  let job: { plan: FillPlan; out: OutArray } | null = null;
  const previous = capture;
  capture = (plan, out) => {
    job = { plan, out };
  };
  try {
    fn();
  } finally {
    capture = previous;
  }
  return job;
}
