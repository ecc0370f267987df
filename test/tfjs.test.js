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
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * nninit/tfjs against the real @tensorflow/tfjs 4.22 (pure-JS CPU backend): a model with dense,
 * conv2d and LSTM layers trains a step; weight statistics; every tfjs defect that nninit fixes,
 * each with the same check failing on tfjs's own initializer (negative control) and passing on
 * `compat: "tfjs"` against tfjs's own output; serialization (toJSON/modelFromJSON, save/load to a
 * directory); seeds; orthogonal and identity; validation; the main entry not loading tfjs.
 *
 * Statistics: fixed seeds, n = 2^18 per sample, every check at two-sided α = 1e-6:
 *  - KS against the exact CDF: reject when √n·D > λ*, λ* = √(ln(2/α)/2) ≈ 2.6935 (first term of
 *    the Kolmogorov series; the rest is < 1e-25). Two-sample KS: √(nm/(n+m))·D > λ*.
 *  - mean z = (x̄ − μ)/√(σ²/n), variance z = (s² − σ²)/√((μ4 − σ⁴)/n): reject when |z| > 4.8916.
 *    At n = 2^18 the variance test rejects a std off by 0.7% (a normal's s² has relative sd
 *    √(2/n) = 0.28%); tfjs's uncorrected truncated normals are 12% narrow.
 *  - support: min >= lo and max <= hi, up to float32 rounding of the bounds.
 * The helpers are self-contained (no lib/ imports); the normal CDF uses Numerical Recipes' erfcc
 * (Press et al., 2nd ed., §6.2; fractional error < 1.2e-7, far below the KS bound 5e-3).
 */
const tap_1 = __importDefault(require("tap"));
const tf = __importStar(require("@tensorflow/tfjs"));
const node_child_process_1 = require("node:child_process");
const node_fs_1 = require("node:fs");
const node_path_1 = require("node:path");
const nninit = __importStar(require("../lib/tfjs/index.js"));
const index_js_1 = require("../lib/index.js");
// --- statistics ---------------------------------------------------------------------------------
const N = 1 << 18;
const ALPHA = 1e-6;
const KS_LAMBDA = Math.sqrt(Math.log(2 / ALPHA) / 2);
const Z_CRIT = 4.8916; // Φ⁻¹(1 − α/2)
function erfc(x) {
    const z = Math.abs(x);
    const u = 1 / (1 + 0.5 * z);
    const r = u * Math.exp(-z * z - 1.26551223 + u * (1.00002368 + u * (0.37409196 + u * (0.09678418 + u * (-0.18628806 +
        u * (0.27886807 + u * (-1.13520398 + u * (1.48851587 + u * (-0.82215223 + u * 0.17087277)))))))));
    return x >= 0 ? r : 2 - r;
}
const phi = (x) => 0.5 * erfc(-x / Math.SQRT2);
const uniformDist = (lo, hi) => ({
    name: `U(${lo}, ${hi})`, cdf: (x) => Math.min(1, Math.max(0, (x - lo) / (hi - lo))),
    mean: (lo + hi) / 2, variance: (hi - lo) ** 2 / 12, mu4: (hi - lo) ** 4 / 80, lo, hi,
});
const normalDist = (mean, std) => ({
    name: `N(${mean}, ${std}²)`, cdf: (x) => phi((x - mean) / std), mean, variance: std * std, mu4: 3 * std ** 4, lo: -Infinity, hi: Infinity,
});
/** N(mean, std²) cut at mean ± 2 std; moments from the truncated-normal recursion at ±2. */
function truncDist(mean, std) {
    const z = phi(2) - phi(-2);
    const d2 = Math.exp(-2) / Math.sqrt(2 * Math.PI); // φ(2)
    const m2 = 1 - (4 * d2) / z;
    const m4 = 3 * m2 - (16 * d2) / z;
    return {
        name: `TN(${mean}, ${std}², ±2σ)`, cdf: (x) => Math.min(1, Math.max(0, (phi((x - mean) / std) - phi(-2)) / z)),
        mean, variance: std * std * m2, mu4: std ** 4 * m4, lo: mean - 2 * std, hi: mean + 2 * std,
    };
}
/** The checks `x` fails against `dist` (empty: consistent), with a one-line summary. */
function check(x, dist) {
    const n = x.length;
    const s = Float64Array.from(x).sort();
    let d = 0, sum = 0;
    for (let i = 0; i < n; i++) {
        const f = dist.cdf(s[i]);
        d = Math.max(d, (i + 1) / n - f, f - i / n);
        sum += s[i];
    }
    const mean = sum / n;
    let ss = 0;
    for (let i = 0; i < n; i++)
        ss += (s[i] - mean) ** 2;
    const variance = ss / (n - 1);
    const zMean = (mean - dist.mean) / Math.sqrt(dist.variance / n);
    const zVar = (variance - dist.variance) / Math.sqrt((dist.mu4 - dist.variance ** 2) / n);
    const tol = (b) => Math.abs(b) * 2 ** -22;
    const failed = [];
    if (!(Math.sqrt(n) * d <= KS_LAMBDA))
        failed.push("ks");
    if (!(Math.abs(zMean) <= Z_CRIT))
        failed.push("mean");
    if (!(Math.abs(zVar) <= Z_CRIT))
        failed.push("variance");
    if (!(s[0] >= dist.lo - tol(dist.lo) && s[n - 1] <= dist.hi + tol(dist.hi)))
        failed.push("support");
    const summary = `${dist.name}, n=${n}: √n·D=${(Math.sqrt(n) * d).toFixed(2)} (bound ${KS_LAMBDA.toFixed(2)}), ` +
        `std ${Math.sqrt(variance).toPrecision(5)} vs ${Math.sqrt(dist.variance).toPrecision(5)} (z=${zVar.toFixed(1)}), ` +
        `mean z=${zMean.toFixed(1)}, range [${s[0].toPrecision(4)}, ${s[n - 1].toPrecision(4)}]` + (failed.length ? ` REJECTED by ${failed}` : "");
    return { failed, summary };
}
/** Two-sample KS: are `a` and `b` drawn from one distribution? */
function sameDistribution(a, b) {
    const x = Float64Array.from(a).sort(), y = Float64Array.from(b).sort();
    let i = 0, j = 0, d = 0;
    while (i < x.length && j < y.length) {
        const v = Math.min(x[i], y[j]);
        while (i < x.length && x[i] === v)
            i++;
        while (j < y.length && y[j] === v)
            j++;
        d = Math.max(d, Math.abs(i / x.length - j / y.length));
    }
    const stat = Math.sqrt((x.length * y.length) / (x.length + y.length)) * d;
    return { ok: stat <= KS_LAMBDA, summary: `two-sample √(nm/(n+m))·D = ${stat.toFixed(2)} (bound ${KS_LAMBDA.toFixed(2)})` };
}
/** Bit-for-bit equality of float arrays (tap's deep comparison is slow on 10^5 elements). */
function identical(a, b) {
    if (a.length !== b.length)
        return false;
    for (let i = 0; i < a.length; i++)
        if (!Object.is(a[i], b[i]))
            return false;
    return true;
}
const allIdentical = (a, b) => a.length === b.length && a.every((x, i) => identical(x, b[i]));
/** apply() as a Float32Array (copied out of the disposed tensor). */
function values(init, shape) {
    const tensor = init.apply(shape, "float32");
    const v = tensor.dataSync().slice();
    tensor.dispose();
    return v;
}
tap_1.default.before(async () => {
    await tf.setBackend("cpu");
});
function buildModel(bigKernel = nninit.heNormal({ seed: 5 })) {
    return tf.sequential({
        layers: [
            tf.layers.conv2d({ inputShape: [8, 8, 1], filters: 8, kernelSize: 3, activation: "relu", kernelInitializer: nninit.heNormal({ seed: 1 }), biasInitializer: nninit.zeros() }),
            tf.layers.reshape({ targetShape: [6, 48] }),
            tf.layers.lstm({ units: 16, kernelInitializer: nninit.glorotUniform({ seed: 2 }), recurrentInitializer: nninit.orthogonal({ seed: 3 }), biasInitializer: nninit.zeros() }),
            tf.layers.dense({ units: 512, activation: "relu", kernelInitializer: nninit.heUniform({ seed: 4 }), biasInitializer: nninit.constant({ value: 0.01 }) }),
            tf.layers.dense({ units: 512, activation: "relu", kernelInitializer: bigKernel, biasInitializer: nninit.zeros() }),
            tf.layers.dense({ units: 3, kernelInitializer: nninit.leCunNormal({ seed: 6 }), biasInitializer: nninit.randomUniform({ minval: 0, maxval: 0.1, seed: 7 }) }),
        ],
    });
}
const batch = () => ({ x: tf.tensor((0, index_js_1.uniform)(new Float32Array(4 * 64), { seed: 100 }), [4, 8, 8, 1]), y: tf.tensor((0, index_js_1.normal)(new Float32Array(12), { seed: 101 }), [4, 3]) });
tap_1.default.test("a sequential model with conv2d, LSTM and dense layers built with nninit initializers trains one step", async (t) => {
    const model = buildModel();
    const w = model.getWeights().map((x) => x.dataSync().slice());
    t.same(model.getWeights().map((x) => x.shape), [[3, 3, 1, 8], [8], [48, 64], [16, 64], [64], [16, 512], [512], [512, 512], [512], [512, 3], [3]]);
    // each weight is exactly its initializer's own output (keras layout, tfjs's shapes)
    t.ok(identical(w[0], values(nninit.heNormal({ seed: 1 }), [3, 3, 1, 8])), "conv2d kernel = heNormal(seed 1)");
    t.ok(identical(w[2], values(nninit.glorotUniform({ seed: 2 }), [48, 64])), "LSTM kernel = glorotUniform(seed 2)");
    t.ok(identical(w[3], values(nninit.orthogonal({ seed: 3 }), [16, 64])), "LSTM recurrent kernel = orthogonal(seed 3)");
    t.ok(w[6].every((v) => v === Math.fround(0.01)), "dense bias = constant 0.01");
    // the big kernel's statistics: heNormal on [512, 512], std √(2/512) after truncation
    const heStd = Math.sqrt(2 / 512) / 0.87962566103423978;
    const ours = check(w[7], truncDist(0, heStd));
    t.same(ours.failed, [], ours.summary);
    const tfjsModel = buildModel(tf.initializers.heNormal({ seed: 5 }));
    const theirs = check(tfjsModel.getWeights()[7].dataSync(), truncDist(0, heStd));
    t.ok(theirs.failed.includes("variance"), `negative control, tfjs's heNormal in the same model: ${theirs.summary}`);
    tfjsModel.dispose();
    model.compile({ optimizer: tf.train.sgd(0.01), loss: "meanSquaredError" });
    const { x, y } = batch();
    const before = model.evaluate(x, y).dataSync()[0];
    const loss = await model.trainOnBatch(x, y);
    const after = model.evaluate(x, y).dataSync()[0];
    t.ok(Number.isFinite(loss), `training loss ${loss}`);
    t.ok(after < before, `one SGD step lowers the loss on its batch (${before} -> ${after})`);
    t.notOk(identical(model.getWeights()[7].dataSync(), w[7]), "the weights moved");
    model.dispose();
});
// --- statistics of every random initializer ------------------------------------------------------
tap_1.default.test("every random initializer draws its distribution (KS, mean, variance, support at α = 1e-6)", async (t) => {
    const s = (fanIn, fanOut = fanIn) => ({ avg: 2 / (fanIn + fanOut), fanIn: 1 / fanIn });
    const C = 0.87962566103423978;
    const cases = [
        ["glorotUniform", nninit.glorotUniform({ seed: 11 }), [256, 1024], uniformDist(-Math.sqrt(3 * s(256, 1024).avg), Math.sqrt(3 * s(256, 1024).avg))],
        ["glorotNormal", nninit.glorotNormal({ seed: 12 }), [256, 1024], truncDist(0, Math.sqrt(s(256, 1024).avg) / C)],
        ["heUniform (conv kernel, fanIn 5·5·64)", nninit.heUniform({ seed: 13 }), [5, 5, 64, 164], uniformDist(-Math.sqrt(6 / 1600), Math.sqrt(6 / 1600))],
        ["heNormal (conv kernel, fanIn 5·5·64)", nninit.heNormal({ seed: 14 }), [5, 5, 64, 164], truncDist(0, Math.sqrt(2 / 1600) / C)],
        ["leCunUniform", nninit.leCunUniform({ seed: 15 }), [512, 512], uniformDist(-Math.sqrt(3 / 512), Math.sqrt(3 / 512))],
        ["leCunNormal", nninit.leCunNormal({ seed: 16 }), [512, 512], truncDist(0, Math.sqrt(1 / 512) / C)],
        ["varianceScaling untruncatedNormal fanOut", nninit.varianceScaling({ scale: 3, mode: "fanOut", distribution: "untruncatedNormal", seed: 17 }), [1024, 256], normalDist(0, Math.sqrt(3 / 256))],
        ["varianceScaling truncatedNormal fanAvg", nninit.varianceScaling({ scale: 0.5, mode: "fanAvg", distribution: "truncatedNormal", seed: 18 }), [256, 1024], truncDist(0, Math.sqrt(0.5 * s(256, 1024).avg) / C)],
        ["varianceScaling uniform", nninit.varianceScaling({ distribution: "uniform", seed: 19 }), [512, 512], uniformDist(-Math.sqrt(3 / 512), Math.sqrt(3 / 512))],
        ["randomUniform", nninit.randomUniform({ minval: -3, maxval: 5, seed: 20 }), [512, 512], uniformDist(-3, 5)],
        ["randomNormal", nninit.randomNormal({ mean: 1, stddev: 2, seed: 21 }), [512, 512], normalDist(1, 2)],
        ["truncatedNormal", nninit.truncatedNormal({ mean: -1, stddev: 0.5, seed: 22 }), [512, 512], truncDist(-1, 0.5)],
    ];
    for (const [name, init, shape, dist] of cases) {
        const r = check(values(init, shape), dist);
        t.same(r.failed, [], `${name}: ${r.summary}`);
    }
    const control = check(values(tf.initializers.glorotUniform({ seed: 11 }), [256, 1024]), cases[0][3]);
    t.same(control.failed, [], `positive control, tfjs's own glorotUniform passes the same check: ${control.summary}`);
});
// --- the tfjs defects nninit fixes ---------------------------------------------------------------
tap_1.default.test("each tfjs defect: nninit passes, tfjs's own initializer fails, compat 'tfjs' matches tfjs", async (t) => {
    t.test("he/glorot/leCun normal: std after truncation is √(scale/fan), not 12% less (tfjs issue 8594)", async (t) => {
        const shape = [512, 512];
        for (const [name, scale, fan] of [["heNormal", 2, 512], ["glorotNormal", 1, 512], ["leCunNormal", 1, 512]]) {
            const want = Math.sqrt(scale / fan);
            const stdOk = (x) => {
                const std = Math.sqrt(x.reduce((a, v) => a + v * v, 0) / x.length);
                return { ok: Math.abs(std / want - 1) < 0.01, msg: `std ${std.toPrecision(5)} vs ${want.toPrecision(5)} (±1%)` };
            };
            const oursValues = values(nninit[name]({ seed: 31 }), shape);
            const theirsValues = values(tf.initializers[name]({ seed: 31 }), shape);
            const ours = stdOk(oursValues), theirs = stdOk(theirsValues);
            t.ok(ours.ok, `nninit ${name}: ${ours.msg}`);
            t.notOk(theirs.ok, `tfjs ${name} fails: ${theirs.msg}`);
            const compat = sameDistribution(values(nninit[name]({ seed: 31, compat: "tfjs" }), shape), theirsValues);
            t.ok(compat.ok, `compat "tfjs" ${name} is distributed as tfjs's: ${compat.summary}`);
            const apart = sameDistribution(oursValues, theirsValues);
            t.notOk(apart.ok, `control: the two-sample test tells nninit's ${name} from tfjs's: ${apart.summary}`);
        }
    });
    t.test("randomUniform({minval: 0}) draws from 0, not -0.05 (args.minval || -0.05)", async (t) => {
        const args = { minval: 0, maxval: 1, seed: 32 };
        const ours = values(nninit.randomUniform(args), [N]);
        const theirs = values(tf.initializers.randomUniform(args), [N]);
        t.ok(ours.every((v) => v >= 0), `nninit min ${Math.min(...ours.subarray(0, 65536))} >= 0`);
        t.notOk(theirs.every((v) => v >= 0), "tfjs draws negative values");
        t.same(check(ours, uniformDist(0, 1)).failed, [], "nninit draws U(0, 1)");
        const compat = sameDistribution(values(nninit.randomUniform({ ...args, compat: "tfjs" }), [N]), theirs);
        t.ok(compat.ok, `compat "tfjs" draws U(-0.05, 1) as tfjs: ${compat.summary}`);
    });
    t.test("varianceScaling({distribution: 'truncatedNormal'}) draws a truncated normal, not a uniform", async (t) => {
        const args = { scale: 2, distribution: "truncatedNormal", seed: 33 };
        const dist = truncDist(0, Math.sqrt(2 / 512) / 0.87962566103423978);
        const ours = check(values(nninit.varianceScaling(args), [512, 512]), dist);
        const theirsValues = values(tf.initializers.varianceScaling(args), [512, 512]);
        const theirs = check(theirsValues, dist);
        t.same(ours.failed, [], `nninit: ${ours.summary}`);
        t.ok(theirs.failed.includes("ks"), `tfjs fails: ${theirs.summary}`);
        t.same(check(theirsValues, uniformDist(-Math.sqrt(6 / 512), Math.sqrt(6 / 512))).failed, [], "tfjs's is the uniform of the same variance");
        const compat = sameDistribution(values(nninit.varianceScaling({ ...args, compat: "tfjs" }), [512, 512]), theirsValues);
        t.ok(compat.ok, `compat "tfjs" draws that uniform: ${compat.summary}`);
    });
    t.test("seed: 0 is a seed (tfjs's normals treat it as no seed)", async (t) => {
        for (const name of ["randomNormal", "truncatedNormal", "heNormal", "orthogonal"]) {
            const same = (init) => {
                const a = values(init(), [16, 16]), b = values(init(), [16, 16]);
                return a.every((v, i) => v === b[i]);
            };
            t.ok(same(() => nninit[name]({ seed: 0 })), `nninit ${name}({seed: 0}) is reproducible`);
            t.notOk(same(() => tf.initializers[name]({ seed: 0 })), `tfjs ${name}({seed: 0}) is not`);
        }
    });
    t.test("stddev: 0 gives the constant mean (tfjs reads it as 0.05)", async (t) => {
        for (const name of ["randomNormal", "truncatedNormal"]) {
            const args = { mean: 0.5, stddev: 0, seed: 34 };
            t.ok(values(nninit[name](args), [1000]).every((v) => v === 0.5), `nninit ${name}`);
            const theirs = values(tf.initializers[name](args), [N]);
            t.notOk(theirs.every((v) => v === 0.5), `tfjs ${name} spreads`);
            const compat = sameDistribution(values(nninit[name]({ ...args, compat: "tfjs" }), [N]), theirs);
            t.ok(compat.ok, `compat "tfjs" ${name} draws with stddev 0.05: ${compat.summary}`);
        }
    });
    t.test("1-D weights: fans are the length (Keras), not √length", async (t) => {
        const n = N;
        const ours = values(nninit.heUniform({ seed: 35 }), [n]);
        const theirs = values(tf.initializers.heUniform({ seed: 35 }), [n]);
        t.same(check(ours, uniformDist(-Math.sqrt(6 / n), Math.sqrt(6 / n))).failed, [], "nninit: U(±√(6/n))");
        t.notOk(theirs.every((v) => Math.abs(v) <= Math.sqrt(6 / n)), "tfjs exceeds √(6/n) (it uses fan √n)");
        const compat = sameDistribution(values(nninit.heUniform({ seed: 35, compat: "tfjs" }), [n]), theirs);
        t.ok(compat.ok, `compat "tfjs" uses fan √n: ${compat.summary}`);
    });
});
// --- serialization ----------------------------------------------------------------------------------
/** A file:// router for the pure-JS tfjs (tfjs-node's format: model.json + weights.bin). */
function registerFileRouter() {
    const dirOf = (url) => (typeof url === "string" && url.startsWith("file://") ? url.slice(7) : null);
    // a router returns null for URLs it does not handle (tfjs's IORouter type omits the null)
    tf.io.registerSaveRouter((url) => {
        const dir = dirOf(url);
        return (dir === null ? null : {
            save: async (art) => {
                (0, node_fs_1.mkdirSync)(dir, { recursive: true });
                const data = Buffer.from(tf.io.concatenateArrayBuffers(art.weightData));
                (0, node_fs_1.writeFileSync)((0, node_path_1.join)(dir, "weights.bin"), data);
                (0, node_fs_1.writeFileSync)((0, node_path_1.join)(dir, "model.json"), JSON.stringify({ modelTopology: art.modelTopology, weightsManifest: [{ paths: ["./weights.bin"], weights: art.weightSpecs }] }));
                return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(art) };
            },
        });
    });
    tf.io.registerLoadRouter((url) => {
        const path = dirOf(url);
        return (path === null ? null : {
            load: async () => {
                const json = JSON.parse((0, node_fs_1.readFileSync)(path, "utf8"));
                const data = (0, node_fs_1.readFileSync)((0, node_path_1.join)(path, "..", "weights.bin"));
                return { modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) };
            },
        });
    });
}
const layerInitializers = (m) => m.layers.map((l) => {
    const c = l.getConfig();
    return [c.kernelInitializer, c.recurrentInitializer, c.biasInitializer];
});
tap_1.default.test("className and getConfig of every initializer", async (t) => {
    const cases = [
        [nninit.zeros(), "nninit>Zeros", {}],
        [nninit.ones(), "nninit>Ones", {}],
        [nninit.constant({ value: 2 }), "nninit>Constant", { value: 2 }],
        [nninit.randomUniform({ minval: 0 }), "nninit>RandomUniform", { minval: 0, maxval: 0.05, seed: null }],
        [nninit.randomNormal({ seed: 3, compat: "tfjs" }), "nninit>RandomNormal", { mean: 0, stddev: 0.05, seed: 3, compat: "tfjs" }],
        [nninit.truncatedNormal({ stddev: 1 }), "nninit>TruncatedNormal", { mean: 0, stddev: 1, seed: null }],
        [nninit.varianceScaling({ mode: "fanAvg" }), "nninit>VarianceScaling", { scale: 1, mode: "fanAvg", distribution: "normal", seed: null }],
        [nninit.glorotUniform({ seed: 1 }), "nninit>GlorotUniform", { seed: 1 }],
        [nninit.glorotNormal(), "nninit>GlorotNormal", { seed: null }],
        [nninit.heUniform(), "nninit>HeUniform", { seed: null }],
        [nninit.heNormal({ compat: "tfjs" }), "nninit>HeNormal", { seed: null, compat: "tfjs" }],
        [nninit.leCunUniform(), "nninit>LeCunUniform", { seed: null }],
        [nninit.leCunNormal(), "nninit>LeCunNormal", { seed: null }],
        [nninit.orthogonal({ gain: 2, seed: 4 }), "nninit>Orthogonal", { gain: 2, seed: 4 }],
        [nninit.identity(), "nninit>Identity", { gain: 1 }],
    ];
    for (const [init, className, config] of cases) {
        t.equal(init.getClassName(), className);
        t.strictSame(init.getConfig(), config, `${className} config`);
        t.ok(init instanceof nninit.NninitInitializer, `${className} is an nninit initializer`);
        const registered = tf.serialization.SerializationMap.getMap().classNameMap[className];
        t.equal(registered?.[0], init.constructor, `${className} is registered with tfjs`);
    }
});
tap_1.default.test("model.toJSON -> modelFromJSON keeps every initializer and, seeded, the initial weights", async (t) => {
    const model = buildModel(nninit.varianceScaling({ scale: 2, mode: "fanAvg", distribution: "truncatedNormal", seed: 9, compat: "tfjs" }));
    const json = model.toJSON(null, false);
    const text = JSON.stringify(json);
    t.match(text, /"class_name":"nninit>VarianceScaling","config":\{"scale":2,"mode":"fan_avg","distribution":"truncated_normal","seed":9,"compat":"tfjs"\}/, "snake-cased on the way out");
    const copy = await tf.models.modelFromJSON(JSON.parse(text));
    t.same(layerInitializers(copy), layerInitializers(model), "same initializers, same configs");
    const a = model.getWeights().map((w) => w.dataSync());
    const b = copy.getWeights().map((w) => w.dataSync());
    t.ok(allIdentical(b, a), "seeded initializers rebuild the same initial weights");
    model.dispose();
    copy.dispose();
});
tap_1.default.test("model.save to a directory and tf.loadLayersModel keep the configs and the weights", async (t) => {
    registerFileRouter();
    const dir = t.testdir({});
    const model = buildModel();
    model.compile({ optimizer: tf.train.sgd(0.01), loss: "meanSquaredError" });
    const { x, y } = batch();
    await model.trainOnBatch(x, y);
    await model.save(`file://${dir}`);
    const saved = JSON.parse((0, node_fs_1.readFileSync)((0, node_path_1.join)(dir, "model.json"), "utf8"));
    t.match(JSON.stringify(saved.modelTopology), /"kernel_initializer":\{"class_name":"nninit>HeNormal","config":\{"seed":1\}\}/);
    const loaded = await tf.loadLayersModel(`file://${(0, node_path_1.join)(dir, "model.json")}`);
    t.same(layerInitializers(loaded), layerInitializers(model), "initializer configs survive");
    t.ok(allIdentical(loaded.getWeights().map((w) => w.dataSync()), model.getWeights().map((w) => w.dataSync())), "trained weights survive");
    model.dispose();
    loaded.dispose();
});
// --- seeds ---------------------------------------------------------------------------------------
tap_1.default.test("seeds: a seeded apply is nninit's fill with that seed; unseeded applies follow defaultGenerator", async (t) => {
    const shape = [3, 3, 16, 32];
    const direct = (0, index_js_1.varianceScaling)(new Float32Array(4608), shape, { layout: "keras", scale: 2, mode: "fanIn", distribution: "truncatedNormal", seed: 7 });
    t.ok(identical(values(nninit.heNormal({ seed: 7 }), shape), direct), "heNormal({seed: 7}) = varianceScaling(..., {layout: 'keras', seed: 7}) bit for bit");
    t.ok(identical(values(nninit.randomUniform({ minval: -1, maxval: 2, seed: 8 }), [100]), (0, index_js_1.uniform)(new Float32Array(100), { low: -1, high: 2, seed: 8 })), "randomUniform = uniform");
    t.ok(identical(values(nninit.truncatedNormal({ stddev: 2, seed: 9 }), [100]), (0, index_js_1.truncNormal)(new Float32Array(100), { std: 2, a: -4, b: 4, seed: 9 })), "truncatedNormal = truncNormal(±2 std)");
    const init = nninit.glorotUniform({ seed: 1 });
    t.ok(identical(values(init, [64, 64]), values(init, [64, 64])), "decision: every apply of a seeded initializer gives the same values for the same shape (as tfjs)");
    const unseeded = nninit.heNormal();
    (0, index_js_1.manualSeed)(2024);
    const first = values(unseeded, [64, 64]);
    const second = values(unseeded, [64, 64]);
    (0, index_js_1.manualSeed)(2024);
    t.ok(identical(values(unseeded, [64, 64]), first), "manualSeed replays unseeded applies");
    t.notOk(identical(second, first), "successive unseeded applies differ");
});
// --- orthogonal and identity ---------------------------------------------------------------------
tap_1.default.test("orthogonal: orthonormal rows or columns, sign-corrected Q of the seed's normal matrix, gain", async (t) => {
    for (const [shape, gain] of [[[64, 16], 1], [[16, 64], 1], [[32, 32], 2], [[3, 3, 8, 16], 1], [[16, 64], -0.5]]) {
        const cols = shape[shape.length - 1];
        const rows = shape.reduce((a, b) => a * b, 1) / cols;
        const q = values(nninit.orthogonal({ gain, seed: 40 }), shape);
        const [m, n] = [Math.max(rows, cols), Math.min(rows, cols)];
        // Q as m×n with orthonormal columns (wide weights hold Qᵀ)
        const at = (i, j) => (rows >= cols ? q[i * cols + j] : q[j * cols + i]) / gain;
        let err = 0;
        for (let a = 0; a < n; a++)
            for (let b = 0; b < n; b++) {
                let dot = 0;
                for (let i = 0; i < m; i++)
                    dot += at(i, a) * at(i, b);
                err = Math.max(err, Math.abs(dot - (a === b ? 1 : 0)));
            }
        t.ok(err < 1e-5, `[${shape}] gain ${gain}: max |QᵀQ − I| = ${err.toExponential(2)}`);
        // R = QᵀA must be upper triangular with a positive diagonal (A: the seed's m×n normal matrix)
        const A = (0, index_js_1.normal)(new Float64Array(m * n), { seed: 40 });
        let below = 0, minDiag = Infinity;
        for (let a = 0; a < n; a++)
            for (let b = 0; b <= a; b++) {
                let r = 0;
                for (let i = 0; i < m; i++)
                    r += at(i, a) * A[i * n + b];
                if (a === b)
                    minDiag = Math.min(minDiag, r);
                else
                    below = Math.max(below, Math.abs(r));
            }
        t.ok(below < 1e-4 && minDiag > 0, `[${shape}]: QᵀA upper triangular (max below ${below.toExponential(2)}), diagonal > 0 (min ${minDiag.toFixed(3)})`);
    }
    t.throws(() => nninit.orthogonal().apply([5]), { code: "ERR_OUT_OF_RANGE" }, "1-D is an error, as tfjs");
});
tap_1.default.test("identity: gain · I for 2-D weights", async (t) => {
    t.same(values(nninit.identity({ gain: 2 }), [3, 3]), new Float32Array([2, 0, 0, 0, 2, 0, 0, 0, 2]));
    t.same(values(nninit.identity(), [2, 3]), new Float32Array([1, 0, 0, 0, 1, 0]), "rectangular, as Keras");
    t.throws(() => nninit.identity().apply([2, 2, 2]), { code: "ERR_OUT_OF_RANGE" });
    t.throws(() => nninit.identity().apply([2, 2], "int32"), { code: "ERR_INVALID_ARG_VALUE", message: /"float32"/ });
    t.same(nninit.zeros().apply([2], "int32").dtype, "int32", "zeros/ones/constant also give int32");
});
tap_1.default.test("zeros, ones, constant: every element, signed zeros kept (zeros skips the write: new arrays are +0)", async (t) => {
    const every = (xs, v) => xs.length > 0 && xs.every((x) => Object.is(x, v));
    for (const shape of [[1], [3, 5], [64, 1000], [2, 3, 4, 5]]) {
        t.ok(every(values(nninit.zeros(), shape), 0), `zeros [${shape}]: all +0`);
        t.ok(every(values(nninit.ones(), shape), 1), `ones [${shape}]: all 1`);
        t.ok(every(values(nninit.constant({ value: -0 }), shape), -0), `constant -0 [${shape}]: all -0`);
        t.ok(every(values(nninit.constant({ value: 0 }), shape), 0), `constant 0 [${shape}]: all +0`);
        t.ok(every(values(nninit.constant({ value: 0.1 }), shape), Math.fround(0.1)), `constant 0.1 [${shape}]: all fround(0.1)`);
    }
});
// --- validation ----------------------------------------------------------------------------------
tap_1.default.test("arguments are validated at construction; errors name the argument and list valid values", async (t) => {
    t.throws(() => nninit.glorotUniform({ sead: 1 }), { code: "ERR_INVALID_ARG_VALUE", message: /unknown option "sead" \(valid: seed, compat\)/ });
    t.throws(() => nninit.varianceScaling({ mode: "fan_in" }), { message: /"mode" option must be one of "fanIn", "fanOut", "fanAvg"/ });
    t.throws(() => nninit.varianceScaling({ distribution: "gaussian" }), { message: /"normal", "truncatedNormal", "untruncatedNormal", "uniform"/ });
    t.throws(() => nninit.varianceScaling({ distribution: "untruncatedNormal", compat: "tfjs" }), { code: "ERR_INVALID_ARG_VALUE" });
    t.throws(() => nninit.heNormal({ compat: "keras" }), { message: /"compat" option must be one of "tfjs"/ });
    for (const seed of [-1, 1.5, 2 ** 53, "1"])
        t.throws(() => nninit.heNormal({ seed: seed }), { name: /TypeError|RangeError/ }, `seed ${String(seed)}`);
    t.throws(() => nninit.randomUniform({ minval: 1, maxval: 0 }), { code: "ERR_OUT_OF_RANGE", message: /"maxval" option must be >= "minval"/ });
    t.throws(() => nninit.varianceScaling({ scale: 0 }), { code: "ERR_OUT_OF_RANGE" });
    t.throws(() => nninit.randomNormal({ stddev: -1 }), { code: "ERR_OUT_OF_RANGE" });
    t.throws(() => nninit.constant({}), { code: "ERR_INVALID_ARG_TYPE" });
    t.throws(() => nninit.heNormal().apply([2, 2], "int32"), { code: "ERR_INVALID_ARG_VALUE", message: /must be one of "float32"/ });
    t.same(values(nninit.heNormal({ seed: null }), [0, 4]), new Float32Array(0), "null means unset (JSON); zero-size shapes give empty tensors");
});
tap_1.default.test("the main entry never loads tfjs; nninit/tfjs does", async (t) => {
    // one child process (the TypeScript loader from this one's execArgv): main entry, then the adapter
    const count = `Object.keys(require.cache).filter((k) => k.includes("@tensorflow")).length`;
    const r = (0, node_child_process_1.spawnSync)(process.execPath, [...process.execArgv, "-e",
        `require("./lib/index.ts"); const main = ${count}; require("./lib/tfjs/index.ts"); console.log(main, ${count});`], { cwd: (0, node_path_1.resolve)(__dirname, ".."), encoding: "utf8" });
    const [main, adapter] = r.stdout.trim().split(" ").map(Number);
    t.equal(main, 0, `main entry: no @tensorflow module loaded ${r.stderr}`);
    t.ok(adapter > 0, `nninit/tfjs loads tfjs-core and tfjs-layers (${adapter} modules)`);
});
tap_1.default.test("the README's TensorFlow.js example runs", async (t) => {
    const readme = (0, node_fs_1.readFileSync)((0, node_path_1.resolve)(__dirname, "..", "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("## TensorFlow.js"));
    const code = /```javascript\n([\s\S]*?)```/.exec(section)?.[1];
    t.ok(code, "the section has a javascript example");
    const modules = { "@tensorflow/tfjs": tf, "nninit/tfjs": nninit };
    const AsyncFunction = Object.getPrototypeOf(async () => { }).constructor;
    await new AsyncFunction("require", `${code}\nreturn [model, copy];`)((id) => modules[id])
        .then(([model, copy]) => {
        t.same(layerInitializers(copy), layerInitializers(model));
        t.ok(allIdentical(copy.getWeights().map((w) => w.dataSync()), model.getWeights().map((w) => w.dataSync())), "same initial weights");
    });
});
