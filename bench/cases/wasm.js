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
exports.WASM_TARGETS = void 0;
exports.wasmScenarios = wasmScenarios;
/**
 * The wasm backend's targets (issue 16), as scenarios read off the rows a run already has: the
 * wasm child's rows (NNINIT_BACKEND=wasm, one thread, bench/child.ts) against the pure-TS child's
 * and tfjs's for the same method, at the largest size both ran. Nothing extra is timed here.
 *
 * Both sides are compute-bound at every size the bench runs (wasm and pure TS write well under a
 * tenth of Float32Array.fill's rate, tfjs less), so the ratio does not depend on the size and a
 * --quick run (1 Mi) tests the target as well as a full one (64 Mi; tfjs 16 Mi): `met` is set in
 * both, unlike the size-bound scenarios, which print "n/a (quick)".
 */
const fmt = __importStar(require("../format.js"));
exports.WASM_TARGETS = [
    { method: "uniform", vs: "js", min: 3 },
    { method: "normal", vs: "js", min: 8 },
    { method: "truncNormal", vs: "js", min: 8 },
    { method: "normal", vs: "tfjs", min: 10 },
    { method: "truncNormal", vs: "tfjs", min: 10 },
];
/** The largest size at which both impls have a row of `method`. */
function pair(rows, method, a, b) {
    let best = null;
    for (const x of rows) {
        if (x.method !== method || x.impl !== a)
            continue;
        const y = rows.find((r) => r.method === method && r.impl === b && r.size === x.size);
        if (y !== undefined && (best === null || x.size > best[0].size))
            best = [x, y];
    }
    return best;
}
function wasmScenarios(rows) {
    const out = [];
    for (const t of exports.WASM_TARGETS) {
        const p = pair(rows, t.method, "wasm", t.vs);
        if (p === null)
            continue;
        const [w, peer] = p;
        const ratio = peer.medianS / w.medianS;
        const peerLabel = t.vs === "js" ? "pure TS" : `tfjs ${peer.peer ?? ""}`.trim();
        out.push({
            id: `wasm-${t.method}-vs-${t.vs === "js" ? "ts" : "tfjs"}`,
            label: `wasm ${t.method} vs ${t.vs === "js" ? "pure TS" : "tfjs"}, ${fmt.size(w.size)}`,
            nninit: { label: "wasm", seconds: w.medianS },
            peer: { label: peerLabel, seconds: peer.medianS },
            ratio,
            ratioLabel: `faster than ${t.vs === "js" ? "pure TS" : "tfjs"}`,
            target: `≥ ${t.min}×`,
            met: ratio >= t.min,
            details: `${fmt.size(w.size)} elements, one thread each: wasm ${fmt.rate(w.size / w.medianS)} (best ${fmt.rate(w.size / w.bestS)}), ` +
                `${peerLabel} ${fmt.rate(peer.size / peer.medianS)} (best ${fmt.rate(peer.size / peer.bestS)}); medians of ${w.samples} and ${peer.samples} samples`,
        });
    }
    return out;
}
