/**
 * Helpers shared by the test files. Not a test file itself: package.json's tap `include` runs only
 * the files named *.test.ts under test/ (tap's default would run every file under test/).
 *
 * - `bytes` / `sameBytes`: raw-byte views of typed arrays (every bit-for-bit comparison).
 * - `eachIsa`: the one loop over the native ISAs this machine runs (`nativeIsas`, best first), so a
 *   new test cannot cover fewer ISAs than the others by hand; it fails when it would run none.
 * - `fillTargets`: every backend a fill must equal the JS reference on: native once per ISA (and
 *   thread count), then wasm where the engine has SIMD128.
 */
import type { Test } from "tap";
import { nativeBackendFor, nativeBinding, nativeIsas, wasmBackend } from "../lib/backend/select.js";
import type { Backend } from "../lib/backend/types.js";
import type { FillPlan } from "../lib/plan/plan.js";
import type { OutArray } from "../lib/plan/validate.js";

/** The bytes of a typed array's view: the same memory, no copy. */
export function bytes(a: ArrayBufferView): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

/** Whether two views hold the same bytes (so NaN payloads and signed zeros count). */
export function sameBytes(a: ArrayBufferView, b: ArrayBufferView): boolean {
  return bytes(a).equals(bytes(b));
}

/**
 * Runs `fn` once per ISA the native backend runs on this machine, best first, with a Backend that
 * names that ISA in every call (nativeBackendFor). Awaits each run before the next. Without the
 * native backend, or with an empty ISA list, it fails `t` instead of passing vacuously (a test that
 * calls it must skip when the native backend is not loaded). Returns the ISAs it ran.
 */
export async function eachIsa(t: Test, fn: (isa: string, backend: Backend) => void | Promise<void>): Promise<readonly string[]> {
  if (nativeBinding === null || nativeIsas.length === 0) {
    t.fail(`eachIsa: no native ISA to run (${nativeBinding === null ? "the native backend is not loaded: skip this test" : "nativeIsas is empty"})`);
    return [];
  }
  for (const isa of nativeIsas) await fn(isa, nativeBackendFor(isa));
  return nativeIsas;
}

/** A fill compared with the JS reference: its name in messages and how it fills. */
export interface FillTarget {
  name: string;
  /** "native" (with `isa` and `threads`) or "wasm". */
  kind: "native" | "wasm";
  isa?: string;
  threads?: number;
  fill(plan: FillPlan, out: OutArray): void;
}

/**
 * Every fill that must give the JS backend's bytes: each native ISA x each of `threads` (the plan's
 * thread count replaced), then the wasm backend (one thread). Empty where neither is available.
 */
export function fillTargets(threads: readonly number[] = [0]): FillTarget[] {
  const list: FillTarget[] = [];
  for (const isa of nativeBinding === null ? [] : nativeIsas) {
    const backend = nativeBackendFor(isa);
    for (const th of threads) {
      list.push({ name: `${isa} threads=${th}`, kind: "native", isa, threads: th, fill: (plan, out) => backend.fill({ ...plan, threads: th }, out) });
    }
  }
  const wasm = wasmBackend;
  if (wasm !== null) list.push({ name: "wasm", kind: "wasm", fill: (plan, out) => wasm.fill(plan, out) });
  return list;
}
