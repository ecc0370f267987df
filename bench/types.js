"use strict";
/**
 * The shape of a bench run, as written to bench/results/<date>.json (schema 1) and read back by
 * bench/report.ts and bench/chart.ts. Times are seconds per call; rates are float32 elements per
 * second; bytes are bytes written (4 per float32 element).
 */
Object.defineProperty(exports, "__esModule", { value: true });
exports.IMPL_LABELS = exports.IMPLS = void 0;
/** Who fills the array in a row. */
exports.IMPLS = ["native-1t", "native-nt", "wasm", "wasm-workers", "js", "tfjs"];
exports.IMPL_LABELS = {
    "native-1t": "native 1T",
    "native-nt": "native NT",
    wasm: "wasm",
    "wasm-workers": "wasm workers",
    js: "pure TS",
    tfjs: "tfjs",
};
