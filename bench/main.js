"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
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
const node_fs_1 = require("node:fs");
const os = __importStar(require("node:os"));
const path = __importStar(require("node:path"));
const nn = __importStar(require("../dist/index.js"));
const baselines_js_1 = require("./cases/baselines.js");
const nninit_js_1 = require("./cases/nninit.js");
const orthogonal_js_1 = require("./cases/orthogonal.js");
const sweep_js_1 = require("./cases/sweep.js");
const wasm_js_1 = require("./cases/wasm.js");
const chart_js_1 = require("./chart.js");
const scenarios_js_1 = require("./cases/scenarios.js");
const child_js_1 = require("./child.js");
const harness_js_1 = require("./harness.js");
const machine_js_1 = require("./machine.js");
const native_js_1 = require("./native.js");
const report_js_1 = require("./report.js");
const KI = 1024;
const MI = 1024 * KI;
const ROOT = path.resolve(__dirname, "..");
const RESULTS = path.join(ROOT, "bench", "results");
function config(quick) {
    return quick
        ? { quick, sizes: [KI, 64 * KI, MI], tfjsMaxSize: MI, sweepSize: 4 * MI, minSamples: 3, maxSamples: 5, budgetS: 0.15, sampleTargetS: 0.002, memory: harness_js_1.memoryMethod }
        : { quick, sizes: [KI, 64 * KI, MI, 16 * MI, 64 * MI], tfjsMaxSize: 16 * MI, sweepSize: 64 * MI, minSamples: 3, maxSamples: 9, budgetS: 1, sampleTargetS: 0.005, memory: harness_js_1.memoryMethod };
}
function command() {
    const args = process.argv.slice(2).join(" ");
    const event = process.env.npm_lifecycle_event;
    if (event !== undefined && event.startsWith("bench"))
        return `npm run ${event}${args ? ` -- ${args}` : ""}`;
    return `node --expose-gc ${path.relative(ROOT, process.argv[1])}${args ? ` ${args}` : ""}`;
}
async function run(cfg) {
    const t0 = (0, harness_js_1.now)();
    const ticks0 = (0, machine_js_1.cpuTicks)();
    const log = (line) => void process.stderr.write(`${line}\n`);
    const hooks = (0, native_js_1.nativeHooks)();
    const threads = os.availableParallelism();
    const native = nn.backend.name === "native";
    const notes = [];
    const buf = (0, harness_js_1.prefaulted)(Math.max(...cfg.sizes, native ? cfg.sweepSize : 0));
    const baselines = (0, baselines_js_1.fillBaseline)("fill-first", buf, cfg.sizes, cfg, log);
    if (hooks.streamFill !== null)
        baselines.push(...(0, baselines_js_1.streamBaseline)(hooks.streamFill, threads, buf, cfg.sizes, cfg, log));
    else
        notes.push(`no streaming-store baseline: ${native ? "the native binding has no streamFill" : "the native backend is not loaded"}`);
    const rows = [];
    if (native) {
        rows.push(...(0, nninit_js_1.nninitRows)(nn, "native-1t", 1, buf, cfg.sizes, cfg, log));
        rows.push(...(0, nninit_js_1.nninitRows)(nn, "native-nt", threads, buf, cfg.sizes, cfg, log));
    }
    else {
        notes.push(`native rows skipped: the native backend is not loaded (${nn.backend.loadError ?? "no reason given"})`);
    }
    let tfjs = null;
    for (const impl of ["wasm", "js", "tfjs"]) {
        const child = await (0, child_js_1.runChild)(impl, cfg);
        rows.push(...child.rows);
        notes.push(...child.notes);
        tfjs ??= child.tfjs;
    }
    if (tfjs !== null)
        notes.push(`tfjs runs up to ${cfg.tfjsMaxSize / MI} Mi elements only (it is slow); larger rows compare with that size (†)`);
    const sweep = native ? (0, sweep_js_1.sweepRows)(nn, hooks.streamFill, threads, buf, cfg.sweepSize, cfg, log) : [];
    baselines.push(...(0, baselines_js_1.fillBaseline)("fill-last", buf, cfg.sizes, cfg, log));
    const orthogonal = native ? (0, orthogonal_js_1.orthogonalRows)(nn, threads, cfg, log) : [];
    if (native && !cfg.quick) {
        const tf = await (0, orthogonal_js_1.tfjsOrthogonalRow)(256, log);
        if (typeof tf === "string")
            notes.push(`no tfjs orthogonal row: ${tf}`);
        else
            orthogonal.push(tf);
    }
    const scenarios = [...(0, wasm_js_1.wasmScenarios)(rows), ...(0, orthogonal_js_1.orthogonalScenarios)(orthogonal, cfg.quick)];
    for (const id of (0, scenarios_js_1.scenarioIds)(cfg)) {
        const child = await (0, child_js_1.runChild)(id, cfg);
        scenarios.push(...(child.scenarios ?? []));
        notes.push(...child.notes);
    }
    const durationS = (0, harness_js_1.now)() - t0;
    return {
        schema: 1, date: new Date().toISOString().slice(0, 10), command: command(), durationS,
        otherCpuShare: (0, machine_js_1.otherShare)(ticks0, (0, machine_js_1.cpuTicks)(), durationS, threads),
        machine: (0, machine_js_1.machine)(hooks.isas, tfjs), config: cfg, baselines, rows, sweep, scenarios, notes, orthogonal,
    };
}
const BEGIN = "<!-- bench:begin (generated by bench/main.ts --readme; edit there) -->";
const END = "<!-- bench:end -->";
function updateReadme(r) {
    const file = path.join(ROOT, "README.md");
    const text = (0, node_fs_1.readFileSync)(file, "utf8");
    const a = text.indexOf(BEGIN);
    const b = text.indexOf(END);
    if (a < 0 || b < a)
        throw new Error(`README.md has no "${BEGIN}" ... "${END}" block`);
    (0, node_fs_1.writeFileSync)(file, `${text.slice(0, a + BEGIN.length)}\n${(0, report_js_1.summaryMarkdown)(r, "bench/results/latest.svg")}\n${text.slice(b)}`);
}
function writeOutputs(r, jsonToo, readme) {
    (0, node_fs_1.mkdirSync)(RESULTS, { recursive: true });
    const stem = r.config.quick ? "quick" : "latest";
    const written = [];
    const put = (name, data) => {
        (0, node_fs_1.writeFileSync)(path.join(RESULTS, name), data);
        written.push(path.join("bench", "results", name));
    };
    if (jsonToo)
        put(`${r.config.quick ? "quick" : r.date}.json`, `${JSON.stringify(r, null, 1)}\n`);
    put(`${stem}.md`, (0, report_js_1.markdownReport)(r, `${stem}.svg`));
    put(`${stem}.svg`, (0, chart_js_1.chartSvg)(r));
    if (readme) {
        updateReadme(r);
        written.push("README.md");
    }
    process.stderr.write(`wrote ${written.join(", ")}\n`);
}
async function main(argv) {
    const arg = (name) => {
        const i = argv.indexOf(name);
        return i >= 0 ? argv[i + 1] : undefined;
    };
    const child = arg("--child");
    if (child !== undefined && child_js_1.CHILDREN.includes(child))
        return (0, child_js_1.childMain)(child, JSON.parse(arg("--config") ?? "{}"));
    const render = arg("--render");
    if (render !== undefined) {
        const r = JSON.parse((0, node_fs_1.readFileSync)(render, "utf8"));
        process.stdout.write(`${(0, report_js_1.textReport)(r)}\n`);
        return writeOutputs(r, false, argv.includes("--readme"));
    }
    if (typeof globalThis.gc !== "function")
        process.stderr.write("note: run node with --expose-gc for steadier memory figures\n");
    const r = await run(config(argv.includes("--quick")));
    process.stdout.write(`${(0, report_js_1.textReport)(r)}\n`);
    writeOutputs(r, true, argv.includes("--readme"));
}
main(process.argv.slice(2)).catch((e) => {
    process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
});
