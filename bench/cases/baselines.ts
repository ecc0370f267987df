/**
 * The memory-write baselines every row is compared with, per size:
 * - "fill": Float32Array.prototype.fill(0.5) on a preallocated, pre-faulted array — what a JS
 *   programmer gets for free. Measured first and last in a run, to show drift on a noisy host.
 * - "stream": the native streaming-store fill (non-temporal stores, all threads): the physical
 *   limit of writing memory (docs/benchmarks.md). Native only.
 * Non-zero values on purpose: zeros write about twice as fast on this host (docs/benchmarks.md).
 */
import { progress } from "../format.js";
import { measure, type Budget } from "../harness.js";
import type { BaselineRow } from "../types.js";

export type Log = (line: string) => void;

export function fillBaseline(id: "fill-first" | "fill-last", buf: Float32Array, sizes: number[], budget: Budget, log: Log): BaselineRow[] {
  return sizes.map((size) => {
    const a = buf.subarray(0, size);
    const t = measure(() => a.fill(0.5), budget);
    log(progress(`baseline ${id}`, size, t));
    return { id, size, threads: 1, ...t };
  });
}

export function streamBaseline(
  streamFill: (out: Float32Array, value: number, threads: number) => void,
  threads: number, buf: Float32Array, sizes: number[], budget: Budget, log: Log,
): BaselineRow[] {
  return sizes.map((size) => {
    const a = buf.subarray(0, size);
    const t = measure(() => streamFill(a, 0.5, threads), budget);
    log(progress(`baseline stream ${threads}T`, size, t));
    return { id: "stream" as const, size, threads, ...t };
  });
}
