"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.memoryMethod = void 0;
exports.now = now;
exports.measure = measure;
exports.measureAsync = measureAsync;
exports.prefaulted = prefaulted;
/**
 * Timing and memory measurement. A cell is: a warm-up (JIT, thread pool start, page faults), then
 * samples of `k` back-to-back calls (k chosen so that a sample lasts >= sampleTargetS, which makes
 * 1 Ki fills measurable), until minSamples are taken and either maxSamples or the time budget is
 * reached. Each sample starts after a GC (when node runs with --expose-gc) and a reset of the
 * kernel's peak-RSS counter, so its peak extra memory is what the fill itself made resident.
 */
const node_fs_1 = require("node:fs");
const gc = typeof globalThis.gc === "function" ? globalThis.gc : () => { };
/** Seconds since an arbitrary origin, ns resolution. */
function now() {
    return Number(process.hrtime.bigint()) / 1e9;
}
/**
 * Linux: writing "5" to /proc/self/clear_refs resets VmHWM (the peak RSS) to the current RSS, so
 * the peak of one sample can be read afterwards without a sampling thread. Elsewhere we fall
 * back to the RSS right after the sample (which misses freed temporaries).
 */
function probeHwm() {
    try {
        (0, node_fs_1.writeFileSync)("/proc/self/clear_refs", "5");
        return readVmKiB("VmHWM") !== null;
    }
    catch {
        return false;
    }
}
function readVmKiB(field) {
    const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec((0, node_fs_1.readFileSync)("/proc/self/status", "utf8"));
    return m === null ? null : Number(m[1]) * 1024;
}
exports.memoryMethod = probeHwm() ? "vmhwm" : "rss-after";
function startPeak() {
    gc();
    if (exports.memoryMethod === "vmhwm")
        (0, node_fs_1.writeFileSync)("/proc/self/clear_refs", "5");
    return process.memoryUsage.rss();
}
function endPeak(rss0) {
    const peak = exports.memoryMethod === "vmhwm" ? (readVmKiB("VmHWM") ?? 0) : process.memoryUsage.rss();
    return Math.max(0, peak - rss0);
}
function median(xs) {
    const s = [...xs].sort((a, b) => a - b);
    const m = s.length >> 1;
    return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}
/** Seconds per call of a batch of k calls. */
function batch(fn, k) {
    const t = now();
    for (let i = 0; i < k; i++)
        fn();
    return (now() - t) / k;
}
/**
 * Times `fn`. Warm-up: at least 3 calls and 50 ms (JIT tiers, thread-pool start), then k doubles
 * until a batch of k calls lasts sampleTargetS. `estimateS` (seconds per call, e.g. from the same
 * case at a smaller size, so already JIT-warm) skips both when one call is long (> 0.25 s): at
 * 64 Mi a pure-TS truncNormal call takes seconds, and a warm-up would only repeat a sample.
 */
function measure(fn, budget, estimateS) {
    let k = 1;
    if (estimateS === undefined || estimateS < 0.25) {
        const t0 = now();
        for (let calls = 0; calls < 3 || now() - t0 < 0.05; calls++)
            fn();
        while (k < 1 << 20 && batch(fn, k) * k < budget.sampleTargetS)
            k *= 2;
    }
    const times = [];
    let peakExtra = 0;
    const start = now();
    while (times.length < budget.minSamples || (times.length < budget.maxSamples && now() - start < budget.budgetS)) {
        const rss0 = startPeak();
        const t = now();
        for (let i = 0; i < k; i++)
            fn();
        times.push((now() - t) / k);
        peakExtra = Math.max(peakExtra, endPeak(rss0));
    }
    return timing(times, k, peakExtra);
}
/**
 * measure() for a call that returns a Promise (nninit/promises): the same warm-up, batching and
 * samples, each call awaited before the next, so a sample is the latency of k calls in a row.
 */
async function measureAsync(fn, budget, estimateS) {
    const calls = async (k) => {
        const t = now();
        for (let i = 0; i < k; i++)
            await fn();
        return (now() - t) / k;
    };
    let k = 1;
    if (estimateS === undefined || estimateS < 0.25) {
        const t0 = now();
        for (let c = 0; c < 3 || now() - t0 < 0.05; c++)
            await fn();
        while (k < 1 << 20 && (await calls(k)) * k < budget.sampleTargetS)
            k *= 2;
    }
    const times = [];
    let peakExtra = 0;
    const start = now();
    while (times.length < budget.minSamples || (times.length < budget.maxSamples && now() - start < budget.budgetS)) {
        const rss0 = startPeak();
        times.push(await calls(k));
        peakExtra = Math.max(peakExtra, endPeak(rss0));
    }
    return timing(times, k, peakExtra);
}
function timing(times, k, peakExtra) {
    return { medianS: median(times), bestS: Math.min(...times), samples: times.length, callsPerSample: k, peakExtraBytes: peakExtra };
}
/** A Float32Array of n elements with every page already faulted in (so no row pays for that). */
function prefaulted(n) {
    const a = new Float32Array(n);
    a.fill(1);
    return a;
}
