/**
 * Backend selection. The pure-TypeScript backend is the reference and always available; the
 * native backend (issue: native core) plugs in here. NNINIT_BACKEND=js|native forces one.
 */
import type { FillPlan } from "../plan/plan.js";
import type { OutArray } from "../plan/validate.js";
import { fillJs } from "./js.js";

/** What `nninit.backend` reports. */
export interface BackendInfo {
  /** "native" (C++ SIMD core) or "js" (pure TypeScript). */
  name: "native" | "js";
  /** The instruction set of the native kernels (e.g. "avx2"), or null for the JS backend. */
  isa: string | null;
  /** Worker threads the native backend uses by default (1 for the JS backend). */
  threads: number;
  /** Why the native backend is not active, when it is not. */
  loadError?: string;
}

export interface Backend {
  info: BackendInfo;
  fill(plan: FillPlan, out: OutArray): void;
}

export const jsBackend: Backend = {
  info: { name: "js", isa: null, threads: 1, loadError: "no native build is present in this version" },
  fill: fillJs,
};

/** The active backend. */
export const active: Backend = jsBackend;
