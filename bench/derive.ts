/**
 * Ratios derived from a run's raw timings (kept out of the JSON so that a report can be
 * re-rendered from any results file):
 * - vsFill: rate / Float32Array.fill's rate at the same size, taking the faster of the first and
 *   last baseline pass (the conservative choice on a drifting host);
 * - vsStream: rate / the streaming-store fill's rate at the same size (the physical limit);
 * - vsTfjs: rate / tfjs's rate for the same method at the same size or, above tfjsMaxSize, at
 *   the largest size tfjs ran (`tfjsSize` says which; rates are flat in size once out of cache).
 */
import type { BaselineRow, BenchResult, Row } from "./types.js";

export interface Derived extends Row {
  rate: number;
  gbps: number;
  vsFill: number | null;
  vsStream: number | null;
  vsTfjs: number | null;
  tfjsSize: number | null;
}

export function rateOf(t: { medianS: number }, size: number): number {
  return size / t.medianS;
}

export function baselineRate(baselines: BaselineRow[], kind: "fill" | "stream", size: number): number | null {
  const rates = baselines
    .filter((b) => b.size === size && (kind === "stream" ? b.id === "stream" : b.id !== "stream"))
    .map((b) => rateOf(b, size));
  return rates.length === 0 ? null : Math.max(...rates);
}

function tfjsRef(rows: Row[], method: string, size: number): Row | null {
  let best: Row | null = null;
  for (const r of rows) {
    if (r.impl === "tfjs" && r.method === method && r.size <= size && (best === null || r.size > best.size)) best = r;
  }
  return best;
}

export function derive(result: BenchResult): Derived[] {
  return result.rows.map((r) => {
    const rate = rateOf(r, r.size);
    const fill = baselineRate(result.baselines, "fill", r.size);
    const stream = baselineRate(result.baselines, "stream", r.size);
    const ref = tfjsRef(result.rows, r.method, r.size);
    return {
      ...r, rate, gbps: (rate * 4) / 1e9,
      vsFill: fill === null ? null : rate / fill,
      vsStream: stream === null ? null : rate / stream,
      vsTfjs: ref === null ? null : rate / rateOf(ref, ref.size),
      tfjsSize: ref === null ? null : ref.size,
    };
  });
}

/** The row of (method, impl, size), if it ran. */
export function find(rows: Derived[], method: string, impl: Row["impl"], size: number): Derived | undefined {
  return rows.find((r) => r.method === method && r.impl === impl && r.size === size);
}

/** Distinct values in first-seen order. */
export function distinct<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}
