/**
 * The native backend: loads nninit.node (native/, built by node-gyp or cmake-js into
 * build/Release/, or shipped in prebuilds/<platform>-<arch>/) through node-gyp-build, and turns
 * a FillPlan into one binding call. The binding re-checks every argument itself; this file only
 * translates (dtype/kernel names to the codes of DTYPES/KERNELS, the bigint key to two uint32).
 */
import { join } from "node:path";
import { KERNELS, keyWords, type FillPlan } from "../plan/plan.js";
import { DTYPES, type DType, type OutArray } from "../plan/validate.js";
import type { AbortSignalLike, Backend, BackendInfo } from "./types.js";

/** What the binding's info() reports. */
export interface NativeInfo {
  /** The ISA this environment uses by default. */
  isa: string;
  /** ISAs compiled in and supported by this CPU, best first. */
  isas: string[];
  /** ISAs compiled into this binary, best first. */
  compiled: string[];
  /** Default thread count of this environment. */
  threads: number;
  /** std::thread::hardware_concurrency(). */
  hardwareThreads: number;
}

/**
 * What the binding's async fills return: a Promise with `cancel()`, which makes the pool skip the
 * tasks not yet started; the Promise then rejects with code ERR_NNINIT_CANCELLED once no thread
 * writes any more (unless it had settled already: then cancel() does nothing).
 */
export type CancellablePromise = Promise<void> & { cancel(): void };

/** The raw N-API surface of nninit.node (native/binding/addon.cc). */
export interface NativeBinding {
  fill(out: OutArray, dtype: number, kernel: number, params: Float32Array, keyHi: number, keyLo: number,
    offset: number, threads: number, isa?: string): void;
  fillAsync(out: OutArray, dtype: number, kernel: number, params: Float32Array, keyHi: number, keyLo: number,
    offset: number, threads: number, isa?: string): CancellablePromise;
  fillConstant(out: OutArray, dtype: number, value: number, threads: number, isa?: string): void;
  fillConstantAsync(out: OutArray, dtype: number, value: number, threads: number, isa?: string): CancellablePromise;
  /** gain·Q of a's m×n row-major matrix, over `a` (Qᵀ when transpose); Backend.orthonormalize. */
  orthonormalize(a: Float32Array, m: number, n: number, gain: number, transpose: boolean, threads: number, isa?: string): void;
  orthonormalizeAsync(a: Float32Array, m: number, n: number, gain: number, transpose: boolean, threads: number,
    isa?: string): Promise<void>;
  /** +0 at sparse's zero positions in the rows×cols `out` (Backend.sparseZeros; native/core/sparse.h). */
  sparseZeros(out: OutArray, dtype: number, keyHi: number, keyLo: number, rows: number, cols: number, zeros: number,
    threads: number, isa?: string): void;
  /**
   * Streamed-file write-behind (native/binding/write_behind.cc), off the event loop: starts the
   * writeback of [start, start+length) of `fd`, then waits for [dropStart, dropStart+dropLength)
   * to reach the device and drops it from the page cache. Resolves at once outside Linux.
   */
  writeBehind(fd: number, start: number, length: number, dropStart: number, dropLength: number): Promise<void>;
  /**
   * GGUF block quantizers (native/core/quant.h; lib/model/quant.ts is the reference): src[srcOffset,
   * srcOffset + n), n a multiple of 32, into n / 32 blocks (34 bytes Q8_0, 18 bytes Q4_0) at
   * dst[dstOffset ..]; returns the bytes written. Threads: 0 (default) the environment's. Optional:
   * a binding built before them lacks them (quant.ts then quantizes in TypeScript).
   */
  quantizeQ8_0?(src: Float32Array, srcOffset: number, n: number, dst: Uint8Array, dstOffset: number, threads?: number, isa?: string): number;
  quantizeQ4_0?(src: Float32Array, srcOffset: number, n: number, dst: Uint8Array, dstOffset: number, threads?: number, isa?: string): number;
  /**
   * The GGUF writer's fused path (native/core/fill.h fill_quantize_sync): the float32 random fill
   * of stream elements [offset, offset + n) (kernel, params and key as fill's; offset and n
   * multiples of 32) quantized into n / 32 blocks of `type` (0 Q8_0, 1 Q4_0) at dst[dstOffset ..]
   * without storing the floats; returns the bytes written. The same bytes as fill, then
   * quantizeQ8_0/Q4_0. Optional, like them.
   */
  fillQuantize?(dst: Uint8Array, dstOffset: number, type: number, n: number, kernel: number, params: Float32Array,
    keyHi: number, keyLo: number, offset: number, threads: number, isa?: string): number;
  /** A constant fill with streaming stores on all threads: the bench's "physical limit" row. */
  streamFill(out: Float32Array, value: number, threads: number): void;
  /** Default threads of this environment (1..1024; 0 restores the hardware count). */
  setThreads(n: number): void;
  /** Default ISA of this environment (one of info().isas). */
  setIsa(isa: string): void;
  info(): NativeInfo;
}

const FUNCTIONS = ["fill", "fillAsync", "fillConstant", "fillConstantAsync", "orthonormalize", "orthonormalizeAsync",
  "sparseZeros", "writeBehind", "streamFill", "setThreads", "setIsa", "info"] as const;

/** The package root: this file is lib/backend/native.ts or dist/backend/native.js. */
export const PACKAGE_ROOT = join(__dirname, "..", "..");

/** A loaded binding and the file it came from. */
export interface LoadedBinding {
  binding: NativeBinding;
  /** The nninit.node that was loaded: build/Release/ (built from source) or prebuilds/<platform>-<arch>/. */
  path: string;
}

/**
 * Loads the binding that node-gyp-build picks for this process (build/Release, then the prebuilds
 * for this platform, arch and libc); throws with node-gyp-build's reason when there is none.
 */
export function loadBinding(root: string = PACKAGE_ROOT): LoadedBinding {
  const load = require("node-gyp-build") as { resolve(dir: string): string };
  const path = load.resolve(root);
  const binding = require(path) as Partial<NativeBinding> | null;
  const missing = FUNCTIONS.filter((name) => typeof binding?.[name] !== "function");
  if (missing.length > 0) throw new Error(`${path} is not this version's binding (missing ${missing.join(", ")})`);
  return { binding: binding as NativeBinding, path };
}


function dtypeCode(plan: FillPlan): number {
  return DTYPES.indexOf(plan.dtype);
}

/** Calls the binding's sync or async entry point for `plan`. */
function call<R>(binding: NativeBinding, plan: FillPlan, out: OutArray, isa: string | undefined, async: boolean): R {
  if (plan.kind === "constant") {
    const fn = async ? binding.fillConstantAsync : binding.fillConstant;
    return fn(out, dtypeCode(plan), plan.value, plan.threads, isa) as R;
  }
  const fn = async ? binding.fillAsync : binding.fill;
  const [keyHi, keyLo] = keyWords(plan.key);
  return fn(out, dtypeCode(plan), KERNELS.indexOf(plan.kernel), plan.params, keyHi, keyLo, plan.offset, plan.threads, isa) as R;
}

/**
 * Ties `pending` to `signal`: an abort cancels the native job, and the rejection that follows
 * becomes `signal.reason`. The listener is removed however the fill ends.
 */
async function abortable(pending: CancellablePromise, signal: AbortSignalLike): Promise<void> {
  const onAbort = (): void => pending.cancel();
  signal.addEventListener("abort", onAbort, { once: true });
  try {
    await pending;
  } catch (err) {
    if (signal.aborted && (err as { code?: unknown } | null)?.code === "ERR_NNINIT_CANCELLED") throw signal.reason;
    throw err;
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
}

/**
 * A Backend over `binding`. With `isa`, every call names that ISA explicitly (tests compare all
 * ISAs in one process); without, the environment's default ISA (NNINIT_ISA or the best one).
 */
export function createNativeBackend(binding: NativeBinding, isa?: string, path?: string): Backend {
  const native = binding.info();
  const info: BackendInfo = { name: "native", isa: isa ?? native.isa, threads: native.threads };
  if (path !== undefined) info.binary = path;
  return {
    info,
    fill(plan: FillPlan, out: OutArray): void {
      call<void>(binding, plan, out, isa, false);
    },
    fillAsync(plan: FillPlan, out: OutArray, signal?: AbortSignalLike): Promise<void> {
      let pending: CancellablePromise;
      try {
        signal?.throwIfAborted();
        pending = call<CancellablePromise>(binding, plan, out, isa, true);
      } catch (err) {
        return Promise.reject(err);
      }
      return signal === undefined ? pending : abortable(pending, signal);
    },
    orthonormalize(a: Float32Array, m: number, n: number, gain: number, transpose: boolean, threads: number): void {
      binding.orthonormalize(a, m, n, gain, transpose, threads, isa);
    },
    orthonormalizeAsync(a: Float32Array, m: number, n: number, gain: number, transpose: boolean, threads: number): Promise<void> {
      try {
        return binding.orthonormalizeAsync(a, m, n, gain, transpose, threads, isa);
      } catch (err) {
        return Promise.reject(err);
      }
    },
    sparseZeros(out: OutArray, dtype: DType, key: bigint, rows: number, cols: number, zeros: number, threads: number): void {
      const [keyHi, keyLo] = keyWords(key);
      binding.sparseZeros(out, DTYPES.indexOf(dtype), keyHi, keyLo, rows, cols, zeros, threads, isa);
    },
    setThreads(n: number): void {
      binding.setThreads(n);
      info.threads = binding.info().threads;
    },
  };
}
