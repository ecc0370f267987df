/**
 * nninit rows: every method at every size through the public API of the built package, with a
 * `threads` option (native 1T / NT) or without one (wasm and pure TS: one thread). Which backend
 * runs is whatever dist/ loaded in this process; the caller makes sure it is the intended one.
 */
import type * as Nninit from "../../dist/index.js";
import { progress } from "../format.js";
import { measure, type Budget } from "../harness.js";
import type { ImplId, Row } from "../types.js";
import type { Log } from "./baselines.js";
import { METHODS } from "./methods.js";

export function nninitRows(
  nn: typeof Nninit, impl: ImplId, threads: number | undefined, buf: Float32Array, sizes: number[], budget: Budget, log: Log,
): Row[] {
  const rows: Row[] = [];
  for (const m of METHODS) {
    let perElement: number | undefined;
    for (const size of sizes) {
      const a = buf.subarray(0, size);
      const t = measure(() => m.nninit(nn, a, threads), budget, perElement === undefined ? undefined : perElement * size);
      perElement = t.medianS / size;
      rows.push({ method: m.id, impl, size, ...t });
      log(progress(`${impl} ${m.id}`, size, t));
    }
  }
  return rows;
}
