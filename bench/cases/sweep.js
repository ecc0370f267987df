"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.threadCounts = threadCounts;
exports.sweepRows = sweepRows;
const format_js_1 = require("../format.js");
const harness_js_1 = require("../harness.js");
const methods_js_1 = require("./methods.js");
/** 1..n, or for many cores the powers of two up to n and n itself. */
function threadCounts(n) {
    if (n <= 8)
        return Array.from({ length: n }, (_, i) => i + 1);
    const out = [];
    for (let t = 1; t < n; t *= 2)
        out.push(t);
    return [...out, n];
}
function sweepRows(nn, streamFill, maxThreads, buf, size, budget, log) {
    const a = buf.subarray(0, size);
    const rows = [];
    const fills = methods_js_1.METHODS
        .filter((m) => m.id === "uniform" || m.id === "normal")
        .map((m) => ({ method: m.id, fill: (t) => m.nninit(nn, a, t) }));
    if (streamFill !== null)
        fills.unshift({ method: "stream fill", fill: (t) => streamFill(a, 0.5, t) });
    for (const { method, fill } of fills) {
        for (const threads of threadCounts(maxThreads)) {
            const t = (0, harness_js_1.measure)(() => fill(threads), budget);
            rows.push({ method, size, threads, ...t });
            log((0, format_js_1.progress)(`sweep ${method} ${threads}T`, size, t));
        }
    }
    return rows;
}
