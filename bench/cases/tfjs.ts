/**
 * TensorFlow.js rows: the peer of each method (cases/methods.ts) on tfjs's pure-JS CPU backend,
 * timed from the call to a Float32Array in hand (dataSync) and including dispose. tfjs is slow
 * (~20 M/s for heNormal), so it runs only up to Config.tfjsMaxSize.
 */
import type * as Tf from "@tensorflow/tfjs";
import { progress } from "../format.js";
import { measure, type Budget } from "../harness.js";
import type { Row } from "../types.js";
import type { Log } from "./baselines.js";
import { METHODS } from "./methods.js";

/** Loads @tensorflow/tfjs on its CPU backend, or returns why it cannot. */
export async function loadTfjs(): Promise<{ tf: typeof Tf; version: string } | { error: string }> {
  try {
    const tf = await import("@tensorflow/tfjs");
    await tf.setBackend("cpu");
    await tf.ready();
    return { tf, version: tf.version.tfjs };
  } catch (e) {
    return { error: `@tensorflow/tfjs could not be loaded (${(e as Error).message.split("\n")[0]})` };
  }
}

export function tfjsRows(tf: typeof Tf, sizes: number[], budget: Budget, log: Log): Row[] {
  const rows: Row[] = [];
  for (const m of METHODS) {
    let perElement: number | undefined;
    for (const size of sizes) {
      const run = (): void => {
        const t = m.tfjs(tf, size);
        const values = t.dataSync();
        if (!(values instanceof Float32Array) || values.length !== size) throw new Error(`tfjs ${m.peer} gave no Float32Array[${size}]`);
        t.dispose();
      };
      const t = measure(run, budget, perElement === undefined ? undefined : perElement * size);
      perElement = t.medianS / size;
      rows.push({ method: m.id, impl: "tfjs", size, peer: m.peer, ...t });
      log(progress(`tfjs ${m.peer}`, size, t));
    }
  }
  return rows;
}
