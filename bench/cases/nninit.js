"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.promisesRows = promisesRows;
exports.nninitRows = nninitRows;
const format_js_1 = require("../format.js");
const harness_js_1 = require("../harness.js");
const methods_js_1 = require("./methods.js");
/**
 * The wasm backend's nninit/promises rows ("wasm workers"): the random methods at every size,
 * each call awaited (its pieces run on the pool's workers, `backend.threads` of them by default);
 * constant fills are left out (they stay on the calling thread: the "wasm" row already times them).
 */
async function promisesRows(nnAsync, impl, buf, sizes, budget, log) {
    const rows = [];
    for (const m of methods_js_1.METHODS) {
        if (m.kernel === "constant")
            continue;
        let perElement;
        for (const size of sizes) {
            const a = buf.subarray(0, size);
            const t = await (0, harness_js_1.measureAsync)(() => m.nninit(nnAsync, a, undefined), budget, perElement === undefined ? undefined : perElement * size);
            perElement = t.medianS / size;
            rows.push({ method: m.id, impl, size, ...t });
            log((0, format_js_1.progress)(`${impl} ${m.id}`, size, t));
        }
    }
    return rows;
}
function nninitRows(nn, impl, threads, buf, sizes, budget, log) {
    const rows = [];
    for (const m of methods_js_1.METHODS) {
        let perElement;
        for (const size of sizes) {
            const a = buf.subarray(0, size);
            const t = (0, harness_js_1.measure)(() => m.nninit(nn, a, threads), budget, perElement === undefined ? undefined : perElement * size);
            perElement = t.medianS / size;
            rows.push({ method: m.id, impl, size, ...t });
            log((0, format_js_1.progress)(`${impl} ${m.id}`, size, t));
        }
    }
    return rows;
}
