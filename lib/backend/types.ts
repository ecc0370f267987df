/**
 * What every backend implements and what a caller hands one: the `Backend` interface, what
 * `nninit.backend` reports (`BackendInfo`) and the structural AbortSignal type of the async fills.
 * Types only, and no import from lib/api/: the arrows run api/ -> backend/select -> each backend
 * -> plan/, stream/, math/ (test/validation.test.ts walks the import graph and fails on a cycle).
 */
import type { FillPlan } from "../plan/plan.js";
import type { DType, OutArray } from "../plan/validate.js";

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

/** What `nninit.backend` reports. */
export interface BackendInfo {
  /** "native" (C++ SIMD core), "wasm" (the same kernels in WebAssembly SIMD128) or "js" (pure TypeScript). */
  name: "native" | "wasm" | "js";
  /** The instruction set of the kernels: native's (e.g. "avx2"), "simd128" for wasm, null for the JS backend. */
  isa: string | null;
  /**
   * Threads a fill uses by default: native's pool threads; the wasm backend's workers for an
   * async fill (its sync fills run on the calling thread); 1 for the JS backend.
   */
  threads: number;
  /** Why the native backend is not active, when it is not. */
  loadError?: string;
  /** The native binary that was loaded (build/Release/… or prebuilds/<platform>-<arch>/…). */
  binary?: string;
}

export interface Backend {
  info: BackendInfo;
  fill(plan: FillPlan, out: OutArray): void;
  /**
   * The same fill, settled later; the native backend computes it off the event loop. An abort of
   * `signal` rejects with its reason (lib/promises.ts says what `out` then holds).
   */
  fillAsync(plan: FillPlan, out: OutArray, signal?: AbortSignalLike): Promise<void>;
  /** Sets the default thread count (native; a no-op for JS). 0 restores the hardware count. */
  setThreads(n: number): void;
  /**
   * gain·Q of the m×n row-major matrix held in a[0, m·n) (m >= n >= 1): A = Q·R by Householder
   * reflections computed in float64, with R's diagonal made >= 0 (column j of Q negated when
   * R[j][j] < 0; sign(0) = +1), each element rounded once to float32 at the end (f32(gain·q)).
   * Written over `a` as Q (m×n row-major), or as Qᵀ (n×m row-major) when `transpose`.
   * threads: 0 = the backend's default; the result never depends on it.
   */
  orthonormalize(a: Float32Array, m: number, n: number, gain: number, transpose: boolean, threads: number): void;
  /** The same off the event loop; `a` is read before this returns and written when the Promise resolves. */
  orthonormalizeAsync(a: Float32Array, m: number, n: number, gain: number, transpose: boolean, threads: number): Promise<void>;
  /**
   * sparse's zero positions (docs/stream.md §13, lib/stream/sparseRows.ts): +0 (in `dtype`'s
   * encoding) at the first `zeros` rows of each column's shuffle, for the call key `key`, in the
   * row-major rows×cols `out` (out.length === rows·cols, rows < 2^32, 0 <= zeros <= rows); nothing
   * else is written. Synchronous on both backends (native: parallel over fixed column ranges, the
   * result never depends on `threads`; 0 = the backend's default); sparse's async form calls it
   * after the async fill resolved.
   */
  sparseZeros(out: OutArray, dtype: DType, key: bigint, rows: number, cols: number, zeros: number, threads: number): void;
}
