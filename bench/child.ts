/**
 * The wasm, pure-TS and tfjs columns run in child processes (`main.js --child wasm|js|tfjs`):
 * - wasm and pure TS: the child starts with NNINIT_BACKEND=wasm (=js), so the very same public
 *   API runs on that backend, with no private entry point (plans, validation and the wasm
 *   backend's copy out of its module memory are timed, as users pay them); the child checks that
 *   the switch took effect. A process per backend also keeps each one's JIT and GC state apart:
 *   three backends timed in one process would warm and collect each other's code;
 * - tfjs: keeps tfjs's heap and allocations out of the parent, whose RSS is measured.
 * Children run one at a time while the parent waits. They print progress to the inherited stderr
 * (synchronous, unlike IPC messages, which would wait for the measuring loop to end) and send
 * their rows over the IPC channel at the end.
 */
import { fork } from "node:child_process";
import * as path from "node:path";
import * as nn from "../dist/index.js";
import * as nnAsync from "../dist/promises.js";
import { prefaulted } from "./harness.js";
import { nninitRows, promisesRows } from "./cases/nninit.js";
import { runScenario, SCENARIO_CHILDREN, type ScenarioChild } from "./cases/scenarios.js";
import { loadTfjs, tfjsRows } from "./cases/tfjs.js";
import type { Config, Row, Scenario } from "./types.js";

export type ChildImpl = "wasm" | "js" | "tfjs" | ScenarioChild;
export const CHILDREN: readonly string[] = ["wasm", "js", "tfjs", ...SCENARIO_CHILDREN];

/** The backend a child forces with NNINIT_BACKEND (undefined: the parent's, nninit as users get it). */
function childBackend(impl: ChildImpl): "wasm" | "js" | undefined {
  return impl === "wasm" ? "wasm" : impl === "js" || impl === "tfjs" ? "js" : undefined;
}

export interface ChildResult {
  rows: Row[];
  notes: string[];
  tfjs: string | null;
  scenarios?: Scenario[];
}

type Message = { type: "done" } & ChildResult;

export function runChild(impl: ChildImpl, config: Config): Promise<ChildResult> {
  return new Promise((resolve) => {
    const child = fork(path.join(__dirname, "main.js"), ["--child", impl, "--config", JSON.stringify(config)], {
      // scenario children keep the parent's backend (nninit as users get it)
      env: childBackend(impl) === undefined ? process.env : { ...process.env, NNINIT_BACKEND: childBackend(impl) },
      execArgv: process.execArgv,
      stdio: ["ignore", 2, 2, "ipc"], // the child's stdout (tfjs prints a banner there) joins our stderr
    });
    let result: ChildResult | null = null;
    child.on("message", (m: Message) => {
      result = { rows: m.rows, notes: m.notes, tfjs: m.tfjs, scenarios: m.scenarios };
    });
    child.on("close", (code, signal) => { // after the IPC channel closed: every message is in
      resolve(result ?? { rows: [], notes: [`the ${impl} rows are missing: their process ended (${signal ?? `exit code ${code}`})`], tfjs: null });
    });
  });
}

function send(m: Message): Promise<void> {
  return new Promise((resolve) => process.send?.(m, undefined, undefined, () => resolve()));
}

async function childRows(impl: ChildImpl, config: Config): Promise<ChildResult> {
  const log = (line: string): void => void process.stderr.write(`  ${line}\n`);
  if (impl !== "wasm" && impl !== "js" && impl !== "tfjs") {
    try {
      return { rows: [], notes: [], tfjs: null, scenarios: await runScenario(impl, config, log) };
    } catch (e) {
      return { rows: [], notes: [`scenario ${impl} skipped: ${(e as Error).message}`], tfjs: null };
    }
  }
  if (impl === "wasm" || impl === "js") {
    if (nn.backend.name !== impl) {
      const what = impl === "js" ? "pure-TS" : "wasm";
      return { rows: [], notes: [`NNINIT_BACKEND=${impl} did not select the ${impl} backend (got ${nn.backend.name}): ${what} rows skipped`], tfjs: null };
    }
    const buf = prefaulted(Math.max(...config.sizes));
    const rows = nninitRows(nn, impl, undefined, buf, config.sizes, config, log);
    if (impl === "wasm") rows.push(...(await promisesRows(nnAsync, "wasm-workers", buf, config.sizes, config, log)));
    return { rows, notes: [], tfjs: null };
  }
  const tf = await loadTfjs();
  if ("error" in tf) return { rows: [], notes: [`tfjs rows skipped: ${tf.error}`], tfjs: null };
  const sizes = config.sizes.filter((s) => s <= config.tfjsMaxSize);
  return { rows: tfjsRows(tf.tf, sizes, config, log), notes: [], tfjs: tf.version };
}

export async function childMain(impl: ChildImpl, config: Config): Promise<void> {
  const result = await childRows(impl, config);
  await send({ type: "done", ...result });
  process.exit(0);
}
