/**
 * nninit rows: every method at every size through the public API of the built package, with a
 * `threads` option (native 1T / NT) or without one (wasm and pure TS: one thread). Which backend
 * runs is whatever dist/ loaded in this process; the caller makes sure it is the intended one.
 */
import type * as Nninit from "../../dist/index.js";
import type * as NninitPromises from "../../dist/promises.js";
import { progress } from "../format.js";
import { measure, measureAsync, type Budget } from "../harness.js";
import type { ImplId, Row } from "../types.js";
import type { Log } from "./baselines.js";
import { METHODS } from "./methods.js";

/**
 * The wasm backend's nninit/promises rows ("wasm workers"): the random methods at every size,
 * each call awaited (its pieces run on the pool's workers, `backend.threads` of them by default);
 * constant fills are left out (they stay on the calling thread: the "wasm" row already times them).
 */
export async function promisesRows(
  nnAsync: typeof NninitPromises, impl: ImplId, buf: Float32Array, sizes: number[], budget: Budget, log: Log,
): Promise<Row[]> {
  const rows: Row[] = [];
  for (const m of METHODS) {
    if (m.kernel === "constant") continue;
    let perElement: number | undefined;
    for (const size of sizes) {
      const a = buf.subarray(0, size);
      const t = await measureAsync(() => m.nninit(nnAsync as unknown as typeof Nninit, a, undefined) as unknown as Promise<unknown>, budget,
        perElement === undefined ? undefined : perElement * size);
      perElement = t.medianS / size;
      rows.push({ method: m.id, impl, size, ...t });
      log(progress(`${impl} ${m.id}`, size, t));
    }
  }
  return rows;
}

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
