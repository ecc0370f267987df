/**
 * What the bench needs from the native backend beyond the public API, from the built
 * dist/backend/select.js: the streaming-store fill (the physical-limit baseline) and the ISAs
 * this machine runs, and orthonormalize (the orthogonal rows). The public fills and their `threads` option cover everything else.
 */
import { nativeBinding, nativeIsas } from "../dist/backend/select.js";

export interface NativeHooks {
  /** Streaming-store fill of `out` with `value` on `threads` threads, or null without native. */
  streamFill: ((out: Float32Array, value: number, threads: number) => void) | null;
  /** The binding's orthonormalize (native/linalg/), or null without native. */
  orthonormalize: ((a: Float32Array, m: number, n: number, gain: number, transpose: boolean, threads: number) => void) | null;
  /** ISAs the native core supports on this CPU, best first (empty without native). */
  isas: string[];
}

export function nativeHooks(): NativeHooks {
  const b = nativeBinding;
  return {
    streamFill: b === null ? null : (out, value, threads) => b.streamFill(out, value, threads),
    orthonormalize: b === null ? null : (a, m, n, gain, transpose, threads) => b.orthonormalize(a, m, n, gain, transpose, threads),
    isas: [...nativeIsas],
  };
}
