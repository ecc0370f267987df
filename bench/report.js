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
exports.machineLines = machineLines;
exports.summaryTable = summaryTable;
exports.textReport = textReport;
exports.summaryMarkdown = summaryMarkdown;
exports.markdownReport = markdownReport;
/**
 * Renders a BenchResult: the plain-text report for stdout and the Markdown of
 * bench/results/latest.md (whose summary part is also the README's "Benchmarks" section).
 * Columns are explained in docs/benchmarks.md.
 */
const derive_js_1 = require("./derive.js");
const fmt = __importStar(require("./format.js"));
const types_js_1 = require("./types.js");
function machineLines(r) {
    const m = r.machine;
    const b = m.backend;
    const backend = b.name === "native"
        ? `native, ISA ${b.isa ?? "?"}${m.isas.length > 0 ? ` (supported here: ${m.isas.join(", ")})` : ""}, ${b.threads} threads by default`
        : `js (native not loaded: ${(b.loadError ?? "unknown reason").replace(/\s+/g, " ").trim()})`;
    return [
        `CPU: ${m.cpu}, ${m.cores} cores, ${m.totalMemGiB.toFixed(0)} GiB RAM, features ${m.cpuFeatures.join(" ") || "?"}`,
        `Node ${m.node} (${m.platform}); nninit backend ${backend}; STREAM_VERSION ${m.streamVersion}`,
        `TensorFlow.js: ${m.tfjs === null ? "not run" : `${m.tfjs} (CPU backend)`}; commit ${m.commit ?? "?"}; ${r.date}; ${r.durationS.toFixed(0)} s` +
            (r.otherCpuShare === null ? "" : `; other processes used ${(r.otherCpuShare * 100).toFixed(0)}% of the CPU meanwhile`),
        `Command: \`${r.command}\`; median of ${r.config.minSamples}–${r.config.maxSamples} samples after a warm-up; peak memory by ${r.config.memory}`,
    ];
}
function baselineTable(r) {
    const cell = (id, size) => {
        const b = r.baselines.find((x) => x.id === id && x.size === size);
        return b === undefined ? "–" : `${fmt.rate((0, derive_js_1.rateOf)(b, size))} (${(((0, derive_js_1.rateOf)(b, size) * 4) / 1e9).toFixed(1)} GB/s)`;
    };
    const sizes = (0, derive_js_1.distinct)(r.baselines.map((b) => b.size));
    const threads = r.baselines.find((b) => b.id === "stream")?.threads;
    return {
        head: ["size", "Float32Array.fill (first)", "Float32Array.fill (last)", `streaming-store fill (${threads ?? "N"}T)`],
        rows: sizes.map((s) => [fmt.size(s), cell("fill-first", s), cell("fill-last", s), cell("stream", s)]),
    };
}
function rowsTable(rows) {
    return {
        head: ["method", "size", "impl", "elements/s", "best", "GB/s", "÷ fill", "÷ stream", "vs tfjs", "+memory", "runs"],
        rows: rows.map((d) => [
            d.method, fmt.size(d.size), d.impl === "tfjs" ? `tfjs ${d.peer ?? ""}` : types_js_1.IMPL_LABELS[d.impl],
            fmt.rate(d.rate), fmt.rate(d.size / d.bestS), d.gbps.toFixed(2), fmt.ratio(d.vsFill), fmt.ratio(d.vsStream),
            d.impl === "tfjs" ? "1×" : fmt.ratio(d.vsTfjs) + (d.tfjsSize !== null && d.tfjsSize !== d.size ? "†" : ""),
            fmt.bytes(d.peakExtraBytes), `${d.samples}×${d.callsPerSample}`,
        ]),
    };
}
function sweepTable(sweep) {
    const threads = (0, derive_js_1.distinct)(sweep.map((s) => s.threads)).sort((a, b) => a - b);
    return {
        head: ["method", ...threads.map((t) => `${t}T`), "scaling"],
        rows: (0, derive_js_1.distinct)(sweep.map((s) => s.method)).map((m) => {
            const rates = threads.map((t) => sweep.find((s) => s.method === m && s.threads === t)).map((s) => (s === undefined ? null : (0, derive_js_1.rateOf)(s, s.size)));
            const first = rates[0];
            const last = rates[rates.length - 1];
            return [m, ...rates.map((x) => (x === null ? "–" : fmt.rate(x))), first && last ? fmt.ratio(last / first) : "–"];
        }),
    };
}
function scenarioTable(scenarios) {
    const secs = (x) => (x >= 10 ? `${x.toFixed(1)} s` : x >= 1 ? `${x.toFixed(2)} s` : `${(x * 1e3).toFixed(0)} ms`);
    return {
        head: ["scenario", "nninit", "peer / limit", "ratio", "target", "met"],
        rows: scenarios.map((s) => [
            s.label, `${secs(s.nninit.seconds)} ${s.nninit.label}`, s.peer === null ? "–" : `${secs(s.peer.seconds)} ${s.peer.label}`,
            s.ratio === null ? "–" : `${fmt.ratio(s.ratio)} ${s.ratioLabel}`, s.target, s.met === null ? (s.target === "–" ? "–" : "n/a (quick)") : s.met ? "yes" : "NO",
        ]),
    };
}
const scenarioDetails = (scenarios) => scenarios.map((s) => `${s.id}: ${s.details}`);
/** One line per method at the largest size: the headline numbers. */
function summaryTable(r) {
    const rows = (0, derive_js_1.derive)(r);
    const size = Math.max(...r.config.sizes);
    const tfjsSizes = rows.filter((d) => d.impl === "tfjs").map((d) => d.size);
    const tfjsSize = tfjsSizes.length === 0 ? null : Math.max(...tfjsSizes);
    const get = (m, impl) => (0, derive_js_1.find)(rows, m, impl, impl === "tfjs" ? (tfjsSize ?? size) : size);
    const r8 = (d) => (d === undefined ? "–" : fmt.rate(d.rate));
    return {
        size, tfjsSize,
        table: {
            head: ["method", "native 1T", "native NT", "wasm", "wasm workers", "pure TS", `tfjs${tfjsSize !== null && tfjsSize !== size ? ` (${fmt.size(tfjsSize)})` : ""}`,
                "NT ÷ fill", "NT ÷ stream", "NT vs tfjs", "wasm vs TS", "workers ÷ wasm", "wasm vs tfjs", "TS vs tfjs"],
            rows: (0, derive_js_1.distinct)(rows.map((d) => d.method)).map((m) => {
                const nt = get(m, "native-nt");
                const wasm = get(m, "wasm");
                const workers = get(m, "wasm-workers");
                const js = get(m, "js");
                const tf = get(m, "tfjs");
                return [
                    m, r8(get(m, "native-1t")), r8(nt), r8(wasm), r8(workers), r8(js), tf === undefined ? "–" : `${r8(tf)} ${tf.peer ?? ""}`,
                    fmt.ratio(nt?.vsFill ?? null), fmt.ratio(nt?.vsStream ?? null), fmt.ratio(nt?.vsTfjs ?? null),
                    fmt.ratio(wasm !== undefined && js !== undefined ? wasm.rate / js.rate : null),
                    fmt.ratio(wasm !== undefined && workers !== undefined ? workers.rate / wasm.rate : null),
                    fmt.ratio(wasm?.vsTfjs ?? null), fmt.ratio(js?.vsTfjs ?? null),
                ];
            }),
        },
    };
}
function ordered(r) {
    const methods = (0, derive_js_1.distinct)(r.rows.map((x) => x.method));
    return (0, derive_js_1.derive)(r).sort((a, b) => methods.indexOf(a.method) - methods.indexOf(b.method) || a.size - b.size || types_js_1.IMPLS.indexOf(a.impl) - types_js_1.IMPLS.indexOf(b.impl));
}
function textReport(r) {
    const t = (x, left = 1) => fmt.textTable(x.head, x.rows, left);
    const s = summaryTable(r);
    return [
        `nninit bench${r.config.quick ? " (--quick)" : ""}`, ...machineLines(r), "",
        "Baselines", t(baselineTable(r)), "",
        `Every row (elements/s = float32 values written per second; † = vs tfjs at its largest size)`, t(rowsTable(ordered(r)), 3), "",
        ...(r.sweep.length > 0 ? [`Thread scaling at ${fmt.size(r.config.sweepSize)}`, t(sweepTable(r.sweep)), ""] : []),
        `Summary at ${fmt.size(s.size)}`, t(s.table), "",
        ...((r.scenarios ?? []).length > 0 ? ["Scenarios", t(scenarioTable(r.scenarios ?? []), 3), ...scenarioDetails(r.scenarios ?? []), ""] : []),
        ...r.notes.map((n) => `note: ${n}`),
    ].join("\n");
}
/** The part shared by latest.md and the README: machine, summary table, chart. */
function summaryMarkdown(r, chartPath) {
    const s = summaryTable(r);
    return [
        ...machineLines(r).map((l) => `- ${l}`), "",
        `Elements/s at ${fmt.size(s.size)} float32 elements (${(s.size * 4) / 2 ** 20} MiB)${s.tfjsSize !== null && s.tfjsSize !== s.size ? `; tfjs at ${fmt.size(s.tfjsSize)}` : ""}. ` +
            "NT = all threads; ÷ fill = fraction of `Float32Array.prototype.fill`; ÷ stream = fraction of the streaming-store fill (the memory-bandwidth limit).", "",
        fmt.mdTable(s.table.head, s.table.rows), "",
        ...((r.scenarios ?? []).length > 0
            ? ["Scenarios (whole tasks; see docs/benchmarks.md):", "", fmt.mdTable(scenarioTable(r.scenarios ?? []).head, scenarioTable(r.scenarios ?? []).rows, 3), "",
                ...scenarioDetails(r.scenarios ?? []).map((d) => `- ${d}`), ""]
            : []),
        ...r.notes.map((n) => `Note: ${n}`), ...(r.notes.length > 0 ? [""] : []),
        `![chart](${chartPath})`,
    ].join("\n");
}
function markdownReport(r, chartPath) {
    const md = (x, left = 1) => fmt.mdTable(x.head, x.rows, left);
    return [
        `# nninit benchmarks${r.config.quick ? " (--quick)" : ""}`, "",
        "Generated by `npm run bench` (bench/main.ts); columns are explained in [docs/benchmarks.md](../../docs/benchmarks.md).", "",
        summaryMarkdown(r, chartPath), "",
        "## Baselines", "", md(baselineTable(r)), "",
        ...(r.sweep.length > 0 ? [`## Thread scaling at ${fmt.size(r.config.sweepSize)}`, "", md(sweepTable(r.sweep)), ""] : []),
        "## Every row", "", "† = compared with tfjs at its largest size.", "", md(rowsTable(ordered(r)), 3), "",
    ].join("\n");
}
