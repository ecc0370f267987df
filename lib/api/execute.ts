/**
 * The single exit point of every public fill: hands a validated plan to the active backend.
 * lib/promises.ts reuses the synchronous API functions unchanged by capturing the plan here
 * (JS is single-threaded and every API function reaches this point synchronously, so a
 * module-level capture slot is safe) and running it with the backend's async fill instead.
 * The `signal` option is checked here too, since only a captured (async) fill can be aborted.
 */
import { active } from "../backend/select.js";
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

/** A fill handed to the promises API: the plan, its output and the caller's AbortSignal. */
export interface CapturedFill {
  plan: FillPlan;
  out: OutArray;
  signal: AbortSignalLike | undefined;
}

type Capture = (job: CapturedFill) => void;
let capture: Capture | null = null;

/**
 * Runs `plan` on `out` now, or hands it to the current capture (promises API). `signal` comes
 * from checkSignal, so it is always undefined for a synchronous call.
 */
export function execute(plan: FillPlan, out: OutArray, signal?: AbortSignalLike): void {
  if (capture !== null) capture({ plan, out, signal });
  else active.fill(plan, out);
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

/** Calls `fn` with plans captured instead of executed; returns the captured fill, if any. */
export function capturePlan(fn: () => unknown): CapturedFill | null {
  let job: CapturedFill | null = null;
  const previous = capture;
  capture = (captured) => {
    job = captured;
  };
  try {
    fn();
  } finally {
    capture = previous;
  }
  return job;
}
