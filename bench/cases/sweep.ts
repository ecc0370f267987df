/**
 * Thread scaling: uniform and normal (and the streaming-store limit for reference) at one large
 * size for 1..N threads, through the public `threads` option. Native only.
 */
import type * as Nninit from "../../dist/index.js";
import { progress } from "../format.js";
import { measure, type Budget } from "../harness.js";
import type { SweepRow } from "../types.js";
import type { Log } from "./baselines.js";
import { METHODS } from "./methods.js";

/** 1..n, or for many cores the powers of two up to n and n itself. */
export function threadCounts(n: number): number[] {
  if (n <= 8) return Array.from({ length: n }, (_, i) => i + 1);
  const out: number[] = [];
  for (let t = 1; t < n; t *= 2) out.push(t);
  return [...out, n];
}

export function sweepRows(
  nn: typeof Nninit, streamFill: ((out: Float32Array, value: number, threads: number) => void) | null,
  maxThreads: number, buf: Float32Array, size: number, budget: Budget, log: Log,
): SweepRow[] {
  const a = buf.subarray(0, size);
  const rows: SweepRow[] = [];
  const fills: { method: string; fill: (threads: number) => void }[] = METHODS
    .filter((m) => m.id === "uniform" || m.id === "normal")
    .map((m) => ({ method: m.id, fill: (t: number) => m.nninit(nn, a, t) }));
  if (streamFill !== null) fills.unshift({ method: "stream fill", fill: (t) => streamFill(a, 0.5, t) });
  for (const { method, fill } of fills) {
    for (const threads of threadCounts(maxThreads)) {
      const t = measure(() => fill(threads), budget);
      rows.push({ method, size, threads, ...t });
      log(progress(`sweep ${method} ${threads}T`, size, t));
    }
  }
  return rows;
}
