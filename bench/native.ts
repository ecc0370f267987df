/**
 * What the bench needs from the native backend beyond the public API, from the built
 * dist/backend/select.js: the streaming-store fill (the physical-limit baseline) and the ISAs
 * this machine runs. The public fills and their `threads` option cover everything else.
 */
import { nativeBinding, nativeIsas } from "../dist/backend/select.js";

export interface NativeHooks {
  /** Streaming-store fill of `out` with `value` on `threads` threads, or null without native. */
  streamFill: ((out: Float32Array, value: number, threads: number) => void) | null;
  /** ISAs the native core supports on this CPU, best first (empty without native). */
  isas: string[];
}

export function nativeHooks(): NativeHooks {
  const b = nativeBinding;
  return {
    streamFill: b === null ? null : (out, value, threads) => b.streamFill(out, value, threads),
    isas: [...nativeIsas],
  };
}
