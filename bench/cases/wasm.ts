/**
 * The wasm backend's targets (issue 16), as scenarios read off the rows a run already has: the
 * wasm child's rows (NNINIT_BACKEND=wasm, one thread, bench/child.ts) against the pure-TS child's
 * and tfjs's for the same method, at the largest size both ran. Nothing extra is timed here.
 *
 * Both sides are compute-bound at every size the bench runs (wasm and pure TS write well under a
 * tenth of Float32Array.fill's rate, tfjs less), so the ratio does not depend on the size and a
 * --quick run (1 Mi) tests the target as well as a full one (64 Mi; tfjs 16 Mi): `met` is set in
 * both, unlike the size-bound scenarios, which print "n/a (quick)".
 */
import * as fmt from "../format.js";
import type { Row, Scenario } from "../types.js";

interface WasmTarget {
  method: string;
  vs: "js" | "tfjs";
  /** The least wasm rate ÷ peer rate that meets the target. */
  min: number;
}

export const WASM_TARGETS: readonly WasmTarget[] = [
  { method: "uniform", vs: "js", min: 3 },
  { method: "normal", vs: "js", min: 8 },
  { method: "truncNormal", vs: "js", min: 8 },
  { method: "normal", vs: "tfjs", min: 10 },
  { method: "truncNormal", vs: "tfjs", min: 10 },
];

/** The largest size at which both impls have a row of `method`. */
function pair(rows: Row[], method: string, a: Row["impl"], b: Row["impl"]): [Row, Row] | null {
  let best: [Row, Row] | null = null;
  for (const x of rows) {
    if (x.method !== method || x.impl !== a) continue;
    const y = rows.find((r) => r.method === method && r.impl === b && r.size === x.size);
    if (y !== undefined && (best === null || x.size > best[0].size)) best = [x, y];
  }
  return best;
}

export function wasmScenarios(rows: Row[]): Scenario[] {
  const out: Scenario[] = [];
  for (const t of WASM_TARGETS) {
    const p = pair(rows, t.method, "wasm", t.vs);
    if (p === null) continue;
    const [w, peer] = p;
    const ratio = peer.medianS / w.medianS;
    const peerLabel = t.vs === "js" ? "pure TS" : `tfjs ${peer.peer ?? ""}`.trim();
    out.push({
      id: `wasm-${t.method}-vs-${t.vs === "js" ? "ts" : "tfjs"}`,
      label: `wasm ${t.method} vs ${t.vs === "js" ? "pure TS" : "tfjs"}, ${fmt.size(w.size)}`,
      nninit: { label: "wasm", seconds: w.medianS },
      peer: { label: peerLabel, seconds: peer.medianS },
      ratio,
      ratioLabel: `faster than ${t.vs === "js" ? "pure TS" : "tfjs"}`,
      target: `≥ ${t.min}×`,
      met: ratio >= t.min,
      details: `${fmt.size(w.size)} elements, one thread each: wasm ${fmt.rate(w.size / w.medianS)} (best ${fmt.rate(w.size / w.bestS)}), ` +
        `${peerLabel} ${fmt.rate(peer.size / peer.medianS)} (best ${fmt.rate(peer.size / peer.bestS)}); medians of ${w.samples} and ${peer.samples} samples`,
    });
  }
  return out;
}
