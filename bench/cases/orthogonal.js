"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.orthogonalRows = orthogonalRows;
exports.tfjsOrthogonalRow = tfjsOrthogonalRow;
exports.orthogonalNotes = orthogonalNotes;
exports.orthogonalScenarios = orthogonalScenarios;
const harness_js_1 = require("../harness.js");
const tfjs_js_1 = require("./tfjs.js");
/** best/median seconds of `samples` calls of fn. */
function time(fn, samples) {
    const t = [];
    for (let i = 0; i < samples; i++) {
        const t0 = (0, harness_js_1.now)();
        fn();
        t.push((0, harness_js_1.now)() - t0);
    }
    t.sort((x, y) => x - y);
    return { bestS: t[0], medianS: t[Math.floor(t.length / 2)] };
}
const ms = (s) => `${(s * 1e3).toFixed(s < 0.1 ? 2 : 0)} ms`;
function orthogonalRows(nn, threads, cfg, log) {
    const rows = [];
    const sizes = cfg.quick ? [256, 1024] : [256, 1024, 4096];
    for (const n of sizes) {
        const a = new Float32Array(n * n);
        for (const [impl, th] of [["native-1t", 1], ["native-nt", threads]]) {
            const samples = n >= 4096 ? 3 : n >= 1024 ? 5 : 9;
            const t = time(() => nn.orthogonal(a, [n, n], { seed: 1, threads: th }), samples);
            rows.push({ n, impl, threads: th, samples, ...t });
            log(`orthogonal ${n}×${n} ${impl}: best ${ms(t.bestS)}, median ${ms(t.medianS)}`);
        }
    }
    return rows;
}
/** tfjs's orthogonal initializer at n×n (one call), or why it could not run. */
async function tfjsOrthogonalRow(n, log) {
    const loaded = await (0, tfjs_js_1.loadTfjs)();
    if ("error" in loaded)
        return loaded.error;
    const tf = loaded.tf;
    const t = time(() => {
        const x = tf.initializers.orthogonal({ gain: 1, seed: 1 }).apply([n, n], "float32");
        x.dataSync();
        x.dispose();
    }, 1);
    log(`orthogonal ${n}×${n} tfjs: ${ms(t.bestS)}`);
    return { n, impl: "tfjs", threads: 1, samples: 1, ...t };
}
/** Report lines: each native row's best time, and its ratio to tfjs at the same size. */
function orthogonalNotes(rows) {
    return rows.filter((r) => r.impl !== "tfjs").map((r) => {
        const tf = rows.find((x) => x.impl === "tfjs" && x.n === r.n);
        const ratio = tf === undefined ? "" : `, ${Math.round(tf.bestS / r.bestS)}× tfjs (${ms(tf.bestS)})`;
        return `orthogonal ${r.n}×${r.n} (draw + QR + Q, ${r.threads} thread${r.threads === 1 ? "" : "s"}): best ${ms(r.bestS)}, median ${ms(r.medianS)}${ratio}`;
    });
}
/** The issue's targets as scenarios (all threads; "met" judged on the median). */
function orthogonalScenarios(rows, quick) {
    const nt = (n) => rows.find((r) => r.impl === "native-nt" && r.n === n);
    const out = [];
    const within = (n, limitS) => {
        const r = nt(n);
        if (r === undefined)
            return;
        out.push({
            id: `orthogonal-${n}`, label: `orthogonal ${n}×${n} (draw + QR + Q)`,
            nninit: { label: `native, ${r.threads} threads (median; best ${ms(r.bestS)})`, seconds: r.medianS },
            peer: null, ratio: null, ratioLabel: "", target: `≤ ${limitS >= 1 ? `${limitS} s` : `${limitS * 1e3} ms`}`,
            met: quick ? null : r.medianS <= limitS, details: `${r.samples} calls; 1 thread: ${ms(rows.find((x) => x.impl === "native-1t" && x.n === n)?.medianS ?? NaN)} median`,
        });
    };
    const r = nt(256);
    const tf = rows.find((x) => x.impl === "tfjs" && x.n === 256);
    if (r !== undefined && tf !== undefined) {
        out.push({
            id: "orthogonal-256-tfjs", label: "orthogonal 256×256 vs tfjs",
            nninit: { label: `native, ${r.threads} threads (median)`, seconds: r.medianS },
            peer: { label: "tf.initializers.orthogonal (1 call)", seconds: tf.bestS },
            ratio: tf.bestS / r.medianS, ratioLabel: "faster than tfjs", target: "≥ 1000×", met: quick ? null : tf.bestS / r.medianS >= 1000,
            details: "tfjs warns above 2000 elements and is timed once (it takes seconds)",
        });
    }
    within(1024, 0.15);
    within(4096, 5);
    return out;
}
