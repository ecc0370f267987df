/**
 * nninit's benchmark suite, one entry (docs/benchmarks.md):
 *   npm run bench                  full run: writes bench/results/<date>.json, latest.md, latest.svg
 *   npm run bench -- --quick       smoke run (< 1 min): bench/results/quick.{json,md,svg} (git-ignored)
 *   node dist-bench/main.js --render bench/results/<date>.json [--readme]
 *                                  re-renders the Markdown and SVG of a results file; --readme also
 *                                  rewrites the README's marked "Benchmarks" block from it
 * It measures the BUILT package (dist/), as users get it. Progress goes to stderr, the report to
 * stdout.
 */
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as nn from "../dist/index.js";
import { fillBaseline, streamBaseline } from "./cases/baselines.js";
import { nninitRows } from "./cases/nninit.js";
import { orthogonalRows, orthogonalScenarios, tfjsOrthogonalRow } from "./cases/orthogonal.js";
import { sweepRows } from "./cases/sweep.js";
import { wasmScenarios } from "./cases/wasm.js";
import { chartSvg } from "./chart.js";
import { scenarioIds } from "./cases/scenarios.js";
import { CHILDREN, childMain, runChild, type ChildImpl } from "./child.js";
import { memoryMethod, now, prefaulted } from "./harness.js";
import { cpuTicks, machine, otherShare } from "./machine.js";
import { nativeHooks } from "./native.js";
import { markdownReport, summaryMarkdown, textReport } from "./report.js";
import type { BenchResult, Config, Row, Scenario } from "./types.js";

const KI = 1024;
const MI = 1024 * KI;
const ROOT = path.resolve(__dirname, "..");
const RESULTS = path.join(ROOT, "bench", "results");

function config(quick: boolean): Config {
  return quick
    ? { quick, sizes: [KI, 64 * KI, MI], tfjsMaxSize: MI, sweepSize: 4 * MI, minSamples: 3, maxSamples: 5, budgetS: 0.15, sampleTargetS: 0.002, memory: memoryMethod }
    : { quick, sizes: [KI, 64 * KI, MI, 16 * MI, 64 * MI], tfjsMaxSize: 16 * MI, sweepSize: 64 * MI, minSamples: 3, maxSamples: 9, budgetS: 1, sampleTargetS: 0.005, memory: memoryMethod };
}

function command(): string {
  const args = process.argv.slice(2).join(" ");
  const event = process.env.npm_lifecycle_event;
  if (event !== undefined && event.startsWith("bench")) return `npm run ${event}${args ? ` -- ${args}` : ""}`;
  return `node --expose-gc ${path.relative(ROOT, process.argv[1])}${args ? ` ${args}` : ""}`;
}

async function run(cfg: Config): Promise<BenchResult> {
  const t0 = now();
  const ticks0 = cpuTicks();
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  const hooks = nativeHooks();
  const threads = os.availableParallelism();
  const native = nn.backend.name === "native";
  const notes: string[] = [];
  const buf = prefaulted(Math.max(...cfg.sizes, native ? cfg.sweepSize : 0));
  const baselines = fillBaseline("fill-first", buf, cfg.sizes, cfg, log);
  if (hooks.streamFill !== null) baselines.push(...streamBaseline(hooks.streamFill, threads, buf, cfg.sizes, cfg, log));
  else notes.push(`no streaming-store baseline: ${native ? "the native binding has no streamFill" : "the native backend is not loaded"}`);
  const rows: Row[] = [];
  if (native) {
    rows.push(...nninitRows(nn, "native-1t", 1, buf, cfg.sizes, cfg, log));
    rows.push(...nninitRows(nn, "native-nt", threads, buf, cfg.sizes, cfg, log));
  } else {
    notes.push(`native rows skipped: the native backend is not loaded (${nn.backend.loadError ?? "no reason given"})`);
  }
  let tfjs: string | null = null;
  for (const impl of ["wasm", "js", "tfjs"] as ChildImpl[]) {
    const child = await runChild(impl, cfg);
    rows.push(...child.rows);
    notes.push(...child.notes);
    tfjs ??= child.tfjs;
  }
  if (tfjs !== null) notes.push(`tfjs runs up to ${cfg.tfjsMaxSize / MI} Mi elements only (it is slow); larger rows compare with that size (†)`);
  const sweep = native ? sweepRows(nn, hooks.streamFill, threads, buf, cfg.sweepSize, cfg, log) : [];
  baselines.push(...fillBaseline("fill-last", buf, cfg.sizes, cfg, log));
  const orthogonal = native ? orthogonalRows(nn, threads, cfg, log) : [];
  if (native && !cfg.quick) {
    const tf = await tfjsOrthogonalRow(256, log);
    if (typeof tf === "string") notes.push(`no tfjs orthogonal row: ${tf}`);
    else orthogonal.push(tf);
  }
  const scenarios: Scenario[] = [...wasmScenarios(rows), ...orthogonalScenarios(orthogonal, cfg.quick)];
  for (const id of scenarioIds(cfg)) {
    const child = await runChild(id, cfg);
    scenarios.push(...(child.scenarios ?? []));
    notes.push(...child.notes);
  }
  const durationS = now() - t0;
  return {
    schema: 1, date: new Date().toISOString().slice(0, 10), command: command(), durationS,
    otherCpuShare: otherShare(ticks0, cpuTicks(), durationS, threads),
    machine: machine(hooks.isas, tfjs), config: cfg, baselines, rows, sweep, scenarios, notes, orthogonal,
  };
}

const BEGIN = "<!-- bench:begin (generated by bench/main.ts --readme; edit there) -->";
const END = "<!-- bench:end -->";

function updateReadme(r: BenchResult): void {
  const file = path.join(ROOT, "README.md");
  const text = readFileSync(file, "utf8");
  const a = text.indexOf(BEGIN);
  const b = text.indexOf(END);
  if (a < 0 || b < a) throw new Error(`README.md has no "${BEGIN}" ... "${END}" block`);
  writeFileSync(file, `${text.slice(0, a + BEGIN.length)}\n${summaryMarkdown(r, "bench/results/latest.svg")}\n${text.slice(b)}`);
}

function writeOutputs(r: BenchResult, jsonToo: boolean, readme: boolean): void {
  mkdirSync(RESULTS, { recursive: true });
  const stem = r.config.quick ? "quick" : "latest";
  const written: string[] = [];
  const put = (name: string, data: string): void => {
    writeFileSync(path.join(RESULTS, name), data);
    written.push(path.join("bench", "results", name));
  };
  if (jsonToo) put(`${r.config.quick ? "quick" : r.date}.json`, `${JSON.stringify(r, null, 1)}\n`);
  put(`${stem}.md`, markdownReport(r, `${stem}.svg`));
  put(`${stem}.svg`, chartSvg(r));
  if (readme) {
    updateReadme(r);
    written.push("README.md");
  }
  process.stderr.write(`wrote ${written.join(", ")}\n`);
}

async function main(argv: string[]): Promise<void> {
  const arg = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const child = arg("--child");
  if (child !== undefined && CHILDREN.includes(child)) return childMain(child as ChildImpl, JSON.parse(arg("--config") ?? "{}") as Config);
  const render = arg("--render");
  if (render !== undefined) {
    const r = JSON.parse(readFileSync(render, "utf8")) as BenchResult;
    process.stdout.write(`${textReport(r)}\n`);
    return writeOutputs(r, false, argv.includes("--readme"));
  }
  if (typeof globalThis.gc !== "function") process.stderr.write("note: run node with --expose-gc for steadier memory figures\n");
  const r = await run(config(argv.includes("--quick")));
  process.stdout.write(`${textReport(r)}\n`);
  writeOutputs(r, true, argv.includes("--readme"));
}

main(process.argv.slice(2)).catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
