"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.loadTfjs = loadTfjs;
exports.tfjsRows = tfjsRows;
const format_js_1 = require("../format.js");
const harness_js_1 = require("../harness.js");
const methods_js_1 = require("./methods.js");
/** Loads @tensorflow/tfjs on its CPU backend, or returns why it cannot. */
async function loadTfjs() {
    try {
        const tf = await import("@tensorflow/tfjs");
        await tf.setBackend("cpu");
        await tf.ready();
        return { tf, version: tf.version.tfjs };
    }
    catch (e) {
        return { error: `@tensorflow/tfjs could not be loaded (${e.message.split("\n")[0]})` };
    }
}
function tfjsRows(tf, sizes, budget, log) {
    const rows = [];
    for (const m of methods_js_1.METHODS) {
        let perElement;
        for (const size of sizes) {
            const run = () => {
                const t = m.tfjs(tf, size);
                const values = t.dataSync();
                if (!(values instanceof Float32Array) || values.length !== size)
                    throw new Error(`tfjs ${m.peer} gave no Float32Array[${size}]`);
                t.dispose();
            };
            const t = (0, harness_js_1.measure)(run, budget, perElement === undefined ? undefined : perElement * size);
            perElement = t.medianS / size;
            rows.push({ method: m.id, impl: "tfjs", size, peer: m.peer, ...t });
            log((0, format_js_1.progress)(`tfjs ${m.peer}`, size, t));
        }
    }
    return rows;
}
