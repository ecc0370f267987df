"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.METHODS = void 0;
exports.torchShape = torchShape;
const SEED = 1;
const FAN_IN = 1024;
/** nninit's [out, in] shape of n elements with fanIn = 1024 (n < 1024: one row of n). */
function torchShape(n) {
    return n >= FAN_IN ? [n / FAN_IN, FAN_IN] : [1, n];
}
function kerasShape(n) {
    return n >= FAN_IN ? [FAN_IN, n / FAN_IN] : [n, 1];
}
function opts(threads) {
    return threads === undefined ? { seed: SEED } : { seed: SEED, threads };
}
exports.METHODS = [
    {
        id: "uniform", kernel: "uniform", peer: "randomUniform",
        nninit: (nn, out, t) => nn.uniform(out, { low: -0.1, high: 0.1, ...opts(t) }),
        tfjs: (tf, n) => tf.randomUniform([n], -0.1, 0.1, "float32", SEED),
    },
    {
        id: "normal", kernel: "normal", peer: "randomNormal",
        nninit: (nn, out, t) => nn.normal(out, { std: 0.02, ...opts(t) }),
        tfjs: (tf, n) => tf.randomNormal([n], 0, 0.02, "float32", SEED),
    },
    {
        id: "truncNormal", kernel: "truncNormal", peer: "truncatedNormal",
        nninit: (nn, out, t) => nn.truncNormal(out, { std: 0.02, a: -0.04, b: 0.04, ...opts(t) }),
        tfjs: (tf, n) => tf.truncatedNormal([n], 0, 0.02, "float32", SEED),
    },
    {
        id: "constant", kernel: "constant", peer: "fill",
        nninit: (nn, out, t) => nn.constant(out, 0.5, t === undefined ? undefined : { threads: t }),
        tfjs: (tf, n) => tf.fill([n], 0.5),
    },
    {
        id: "xavierUniform", kernel: "uniform", peer: "glorotUniform",
        nninit: (nn, out, t) => nn.xavierUniform(out, torchShape(out.length), opts(t)),
        tfjs: (tf, n) => tf.initializers.glorotUniform({ seed: SEED }).apply(kerasShape(n), "float32"),
    },
    {
        id: "xavierNormal", kernel: "normal", peer: "glorotNormal (truncated)",
        nninit: (nn, out, t) => nn.xavierNormal(out, torchShape(out.length), opts(t)),
        tfjs: (tf, n) => tf.initializers.glorotNormal({ seed: SEED }).apply(kerasShape(n), "float32"),
    },
    {
        id: "kaimingUniform", kernel: "uniform", peer: "heUniform",
        nninit: (nn, out, t) => nn.kaimingUniform(out, torchShape(out.length), opts(t)),
        tfjs: (tf, n) => tf.initializers.heUniform({ seed: SEED }).apply(kerasShape(n), "float32"),
    },
    {
        id: "kaimingNormal", kernel: "normal", peer: "heNormal (truncated)",
        nninit: (nn, out, t) => nn.kaimingNormal(out, torchShape(out.length), opts(t)),
        tfjs: (tf, n) => tf.initializers.heNormal({ seed: SEED }).apply(kerasShape(n), "float32"),
    },
    {
        id: "lecunUniform", kernel: "uniform", peer: "leCunUniform",
        nninit: (nn, out, t) => nn.lecunUniform(out, torchShape(out.length), opts(t)),
        tfjs: (tf, n) => tf.initializers.leCunUniform({ seed: SEED }).apply(kerasShape(n), "float32"),
    },
    {
        id: "lecunNormal", kernel: "truncNormal", peer: "leCunNormal",
        nninit: (nn, out, t) => nn.lecunNormal(out, torchShape(out.length), opts(t)),
        tfjs: (tf, n) => tf.initializers.leCunNormal({ seed: SEED }).apply(kerasShape(n), "float32"),
    },
    {
        id: "varianceScaling", kernel: "truncNormal", peer: "heNormal",
        nninit: (nn, out, t) => nn.varianceScaling(out, torchShape(out.length), { scale: 2, mode: "fanIn", distribution: "truncatedNormal", ...opts(t) }),
        tfjs: (tf, n) => tf.initializers.heNormal({ seed: SEED }).apply(kerasShape(n), "float32"),
    },
];
