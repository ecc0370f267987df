"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.rateOf = rateOf;
exports.baselineRate = baselineRate;
exports.derive = derive;
exports.find = find;
exports.distinct = distinct;
function rateOf(t, size) {
    return size / t.medianS;
}
function baselineRate(baselines, kind, size) {
    const rates = baselines
        .filter((b) => b.size === size && (kind === "stream" ? b.id === "stream" : b.id !== "stream"))
        .map((b) => rateOf(b, size));
    return rates.length === 0 ? null : Math.max(...rates);
}
function tfjsRef(rows, method, size) {
    let best = null;
    for (const r of rows) {
        if (r.impl === "tfjs" && r.method === method && r.size <= size && (best === null || r.size > best.size))
            best = r;
    }
    return best;
}
function derive(result) {
    return result.rows.map((r) => {
        const rate = rateOf(r, r.size);
        const fill = baselineRate(result.baselines, "fill", r.size);
        const stream = baselineRate(result.baselines, "stream", r.size);
        const ref = tfjsRef(result.rows, r.method, r.size);
        return {
            ...r, rate, gbps: (rate * 4) / 1e9,
            vsFill: fill === null ? null : rate / fill,
            vsStream: stream === null ? null : rate / stream,
            vsTfjs: ref === null ? null : rate / rateOf(ref, ref.size),
            tfjsSize: ref === null ? null : ref.size,
        };
    });
}
/** The row of (method, impl, size), if it ran. */
function find(rows, method, impl, size) {
    return rows.find((r) => r.method === method && r.impl === impl && r.size === size);
}
/** Distinct values in first-seen order. */
function distinct(xs) {
    return [...new Set(xs)];
}
