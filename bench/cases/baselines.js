"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.fillBaseline = fillBaseline;
exports.streamBaseline = streamBaseline;
/**
 * The memory-write baselines every row is compared with, per size:
 * - "fill": Float32Array.prototype.fill(0.5) on a preallocated, pre-faulted array — what a JS
 *   programmer gets for free. Measured first and last in a run, to show drift on a noisy host.
 * - "stream": the native streaming-store fill (non-temporal stores, all threads): the physical
 *   limit of writing memory (docs/benchmarks.md). Native only.
 * Non-zero values on purpose: zeros write about twice as fast on this host (docs/benchmarks.md).
 */
const format_js_1 = require("../format.js");
const harness_js_1 = require("../harness.js");
function fillBaseline(id, buf, sizes, budget, log) {
    return sizes.map((size) => {
        const a = buf.subarray(0, size);
        const t = (0, harness_js_1.measure)(() => a.fill(0.5), budget);
        log((0, format_js_1.progress)(`baseline ${id}`, size, t));
        return { id, size, threads: 1, ...t };
    });
}
function streamBaseline(streamFill, threads, buf, sizes, budget, log) {
    return sizes.map((size) => {
        const a = buf.subarray(0, size);
        const t = (0, harness_js_1.measure)(() => streamFill(a, 0.5, threads), budget);
        log((0, format_js_1.progress)(`baseline stream ${threads}T`, size, t));
        return { id: "stream", size, threads, ...t };
    });
}
