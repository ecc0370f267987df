"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.nativeHooks = nativeHooks;
/**
 * What the bench needs from the native backend beyond the public API, from the built
 * dist/backend/select.js: the streaming-store fill (the physical-limit baseline) and the ISAs
 * this machine runs. The public fills and their `threads` option cover everything else.
 */
const select_js_1 = require("../dist/backend/select.js");
function nativeHooks() {
    const b = select_js_1.nativeBinding;
    return {
        streamFill: b === null ? null : (out, value, threads) => b.streamFill(out, value, threads),
        isas: [...select_js_1.nativeIsas],
    };
}
