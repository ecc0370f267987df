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
 * Formulas: computeFans (both layouts), calculateGain, and the bound / std every preset uses,
 * verified through its output (KS + mean + variance + range at α = 1e-6 from
 * test/fixtures/stats.ts, and max|x| against the uniform bound), plus negative controls showing
 * that the wrong formulas of the seed documents are rejected by the same checks.
 *
 * Fans, derived by hand from the reference implementations:
 *
 * PyTorch torch.nn.init._calculate_fan_in_and_fan_out(tensor), shape [out, in, *kernel]:
 *     if tensor.dim() < 2: raise ValueError("Fan in and fan out can not be computed for tensor
 *                                            with fewer than 2 dimensions")
 *     num_input_fmaps = size(1); num_output_fmaps = size(0)
 *     receptive_field_size = prod(shape[2:])         (1 for a 2-D tensor)
 *     fan_in = size(1) * receptive; fan_out = size(0) * receptive
 *   e.g. [64, 3, 7, 7]: receptive = 49, fan_in = 3·49 = 147, fan_out = 64·49 = 3136.
 *   Zero-size dims just multiply in (fans 0), nothing raises.
 *
 * Keras keras.src.initializers.random_initializers.compute_fans(shape), shape [*kernel, in, out]:
 *     len 0: fan_in = fan_out = 1          ("just to avoid errors for constants")
 *     len 1: fan_in = fan_out = shape[0]
 *     len 2: fan_in = shape[0]; fan_out = shape[1]
 *     else:  receptive = prod(shape[:-2]); fan_in = shape[-2]·receptive; fan_out = shape[-1]·receptive
 *   e.g. [7, 7, 3, 64]: receptive = 49, fan_in = 147, fan_out = 3136 (the same layer as above).
 *
 * Presets (PyTorch nn.init / Keras initializers), with g = gain:
 *   xavier_uniform_: U(−a, a), a = g·sqrt(6/(fan_in + fan_out));  xavier_normal_: std = g·sqrt(2/(fan_in + fan_out))
 *   kaiming_uniform_: bound = sqrt(3)·g/sqrt(fan), g = calculate_gain(nonlinearity, a);  kaiming_normal_: std = g/sqrt(fan)
 *   Keras VarianceScaling: scale /= max(1, fan) (fan per mode; fan_avg = (fan_in + fan_out)/2);
 *     truncated_normal: std = sqrt(scale)/0.87962566103423978, cut at ±2 std;
 *     untruncated_normal: std = sqrt(scale);  uniform: limit = sqrt(3·scale)
 *   LecunUniform / LecunNormal = VarianceScaling(scale 1, fan_in, uniform / truncated_normal).
 */
const tap_1 = __importDefault(require("tap"));
const nn = __importStar(require("../lib/index.js"));
const stats_js_1 = require("./fixtures/stats.js");
const helpers_js_1 = require("./helpers.js");
const KERAS_TRUNC = 0.87962566103423978;
const N = 1_000_000;
const fns = nn;
/**
 * At least N samples of a fan-based method on `shape`: whole-tensor fills concatenated, each call
 * taking the next key of Generator(seed).
 */
function draw(fn, shape, options, seed) {
    const size = shape.reduce((a, b) => a * b, 1);
    const calls = Math.ceil(N / size);
    const all = new Float32Array(calls * size);
    const generator = new nn.Generator(seed);
    for (let c = 0; c < calls; c++)
        fns[fn](all.subarray(c * size, (c + 1) * size), shape, { ...options, generator });
    return all;
}
function maxAbs(x) {
    let m = 0;
    for (let i = 0; i < x.length; i++)
        if (Math.abs(x[i]) > m)
            m = Math.abs(x[i]);
    return m;
}
/** max|x| ≤ bound (up to one float32 ulp: the library rounds the bound to float32) and ≥ 0.999·bound. */
function boundOk(x, bound) {
    const max = maxAbs(x);
    return { ok: max <= bound + (0, stats_js_1.ulp32)(bound) && max >= 0.999 * bound, max };
}
function expectDist(t, x, dist, what) {
    const r = (0, stats_js_1.checkSample)(x, dist);
    t.same(r.failed, [], `${what}: ${r.summary}`);
}
function expectRejected(t, x, dist, checks, what) {
    const r = (0, stats_js_1.checkSample)(x, dist);
    t.same(checks.filter((c) => !r.failed.includes(c)), [], `negative control ${what} is rejected by ${checks.join(", ")}: ${r.summary}`);
}
const uniformBound = (b) => (0, stats_js_1.uniformDist)(-b, b);
const keras = (s) => (0, stats_js_1.truncNormalDist)(0, s, -2 * s, 2 * s);
tap_1.default.test("computeFans: PyTorch layout [out, in, ...kernel]", async (t) => {
    const cases = [
        [[3, 5], 5, 3], // Linear(5 -> 3): weight [3, 5]
        [[64, 3, 7], 21, 448], // Conv1d: receptive 7
        [[64, 3, 7, 7], 147, 3136], // Conv2d: receptive 49
        [[8, 4, 3, 3, 3], 108, 216], // Conv3d: receptive 27
        [[2, 3, 1, 1, 1, 5], 15, 10], // 6-D: receptive 5
        [[16, 0], 0, 16], // zero-size dims give zero fans
        [[0, 5, 3], 15, 0],
        [[4, 4, 0, 3], 0, 0],
    ];
    for (const [shape, fanIn, fanOut] of cases) {
        t.same(nn.computeFans(shape, "torch"), { fanIn, fanOut }, `torch [${shape}] -> fanIn ${fanIn}, fanOut ${fanOut}`);
    }
    t.same(nn.computeFans([64, 3, 7, 7]), { fanIn: 147, fanOut: 3136 }, "the default layout is torch");
    for (const shape of [[], [7]]) {
        t.throws(() => nn.computeFans(shape, "torch"), RangeError, `torch [${shape}] (fewer than 2 dims) throws RangeError, as PyTorch raises`);
    }
});
tap_1.default.test("computeFans: Keras layout [...kernel, in, out]", async (t) => {
    const cases = [
        [[], 1, 1], // 0-D: 1, 1
        [[7], 7, 7], // 1-D: n, n
        [[0], 0, 0],
        [[5, 3], 5, 3], // Dense(5 -> 3): kernel [5, 3]
        [[7, 3, 64], 21, 448],
        [[7, 7, 3, 64], 147, 3136],
        [[3, 3, 3, 4, 8], 108, 216],
        [[3, 0, 5], 0, 15],
    ];
    for (const [shape, fanIn, fanOut] of cases) {
        t.same(nn.computeFans(shape, "keras"), { fanIn, fanOut }, `keras [${shape}] -> fanIn ${fanIn}, fanOut ${fanOut}`);
    }
    // the same layer in both conventions: torch [o, i, ...k] is keras [...k, i, o]
    for (const torch of [[3, 5], [64, 3, 7], [64, 3, 7, 7], [8, 4, 3, 3, 3], [16, 0]]) {
        const kerasShape = [...torch.slice(2), torch[1], torch[0]];
        t.same(nn.computeFans(kerasShape, "keras"), nn.computeFans(torch, "torch"), `keras [${kerasShape}] has the fans of torch [${torch}]`);
    }
});
tap_1.default.test("calculateGain: PyTorch's table", async (t) => {
    for (const nl of ["linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d", "sigmoid"]) {
        t.equal(nn.calculateGain(nl), 1, `${nl}: 1`);
    }
    t.equal(nn.calculateGain("tanh"), 5 / 3, "tanh: 5/3");
    t.equal(nn.calculateGain("relu"), Math.sqrt(2), "relu: sqrt(2)");
    t.equal(nn.calculateGain("relu", 0.5), Math.sqrt(2), "relu ignores param");
    t.equal(nn.calculateGain("selu"), 3 / 4, "selu: 3/4");
    t.equal(nn.calculateGain("leaky_relu"), Math.sqrt(2 / (1 + 0.01 ** 2)), "leaky_relu default slope 0.01: sqrt(2/(1+0.0001))");
    t.equal(nn.calculateGain("leaky_relu", 0.2), Math.sqrt(2 / 1.04), "leaky_relu slope 0.2: sqrt(2/1.04)");
    t.equal(nn.calculateGain("leaky_relu", 0), Math.sqrt(2), "leaky_relu slope 0: sqrt(2)");
    t.equal(nn.calculateGain("leaky_relu", Math.sqrt(5)), Math.sqrt(1 / 3), "leaky_relu slope sqrt(5) (nn.Linear's default): sqrt(1/3)");
    t.throws(() => nn.calculateGain("gelu"), { name: "RangeError", message: /gelu/ }, "unknown name: RangeError naming it");
    t.throws(() => nn.calculateGain("Tanh"), RangeError, "names are case-sensitive, as PyTorch's");
});
tap_1.default.test("Xavier / Glorot bounds and stds through the output", async (t) => {
    const shape = [256, 128]; // fanIn 128, fanOut 256
    for (const gain of [1, 5 / 3]) {
        const a = gain * Math.sqrt(6 / (128 + 256));
        const x = draw("xavierUniform", shape, { gain }, 11);
        const b = boundOk(x, a);
        t.ok(b.ok, `xavierUniform gain ${gain} seed 11: max|x| = ${b.max} in [0.999, 1]·${a}`);
        expectDist(t, x, uniformBound(a), `xavierUniform [256,128] gain ${gain} seed 11`);
        if (gain === 1) {
            // the seed documents' Xavier bound 2/sqrt(n_in + n_out) is rejected by the max|x| check
            const wrong = 2 / Math.sqrt(128 + 256);
            t.notOk(boundOk(x, wrong).ok, `negative control: the seed bound 2/sqrt(n_in+n_out) = ${wrong} is rejected (max|x| = ${b.max})`);
            expectRejected(t, x, uniformBound(wrong), ["ks", "variance", "min", "max"], "xavierUniform against U(±2/sqrt(n_in+n_out))");
        }
    }
    const std = 2 * Math.sqrt(2 / 384);
    const xn = draw("xavierNormal", shape, { gain: 2 }, 12);
    expectDist(t, xn, (0, stats_js_1.normalDist)(0, std), "xavierNormal [256,128] gain 2 seed 12");
    expectRejected(t, xn, (0, stats_js_1.normalDist)(0, 2 * Math.sqrt(2 / 128)), ["ks", "variance"], "xavierNormal against std from fanIn only");
    const keras = draw("xavierNormal", [3, 3, 64, 128], { layout: "keras" }, 13); // fans 576, 1152
    expectDist(t, keras, (0, stats_js_1.normalDist)(0, Math.sqrt(2 / (576 + 1152))), "xavierNormal keras [3,3,64,128] seed 13");
});
tap_1.default.test("Kaiming / He bounds and stds through the output", async (t) => {
    const shape = [256, 128]; // fanIn 128, fanOut 256
    const bound = Math.sqrt(6 / 128); // sqrt(3)·sqrt(2)/sqrt(128)
    const x = draw("kaimingUniform", shape, {}, 21);
    const b = boundOk(x, bound);
    t.ok(b.ok, `kaimingUniform [256,128] seed 21: max|x| = ${b.max} in [0.999, 1]·sqrt(6/128) = ${bound}`);
    expectDist(t, x, uniformBound(bound), "kaimingUniform [256,128] seed 21 (std sqrt(2/128))");
    const heWrong = 2 / Math.sqrt(128) - 2 / Math.sqrt(256);
    t.notOk(boundOk(x, heWrong).ok, `negative control: the seed He bound 2/sqrt(n_in) - 2/sqrt(n_out) = ${heWrong} is rejected`);
    expectRejected(t, x, uniformBound(Math.sqrt(2 / 128)), ["ks", "variance", "min", "max"], "kaimingUniform against the bound sqrt(2/n_in) (std formula used as a bound)");
    const cases = [
        ["kaimingUniform fanOut relu", { mode: "fanOut", nonlinearity: "relu" }, uniformBound(Math.sqrt(3) * Math.SQRT2 / Math.sqrt(256))],
        ["kaimingUniform a=sqrt(5) (nn.Linear default: U(±1/sqrt(fanIn)))", { a: Math.sqrt(5) }, uniformBound(1 / Math.sqrt(128))],
        ["kaimingNormal default (fanIn, leaky_relu a=0)", {}, (0, stats_js_1.normalDist)(0, Math.sqrt(2 / 128))],
        ["kaimingNormal fanOut", { mode: "fanOut" }, (0, stats_js_1.normalDist)(0, Math.sqrt(2 / 256))],
        ["kaimingNormal leaky_relu a=0.2", { a: 0.2, nonlinearity: "leaky_relu" }, (0, stats_js_1.normalDist)(0, Math.sqrt(2 / 1.04) / Math.sqrt(128))],
        ["kaimingNormal selu fanOut", { nonlinearity: "selu", mode: "fanOut" }, (0, stats_js_1.normalDist)(0, 0.75 / Math.sqrt(256))],
        ["kaimingNormal linear", { nonlinearity: "linear" }, (0, stats_js_1.normalDist)(0, 1 / Math.sqrt(128))],
    ];
    let seed = 22;
    for (const [name, opts, dist] of cases) {
        const fn = name.startsWith("kaimingUniform") ? "kaimingUniform" : "kaimingNormal";
        const y = draw(fn, shape, opts, seed);
        expectDist(t, y, dist, `${name} [256,128] seed ${seed}`);
        if (fn === "kaimingUniform") {
            const c = boundOk(y, dist.hi);
            t.ok(c.ok, `${name}: max|x| = ${c.max} in [0.999, 1]·${dist.hi}`);
        }
        seed++;
    }
    const fo = draw("kaimingNormal", shape, { mode: "fanOut" }, 40);
    expectRejected(t, fo, (0, stats_js_1.normalDist)(0, Math.sqrt(2 / 128)), ["ks", "variance"], "kaimingNormal fanOut against the fanIn std");
});
tap_1.default.test("LeCun (Keras semantics)", async (t) => {
    const lu = draw("lecunUniform", [256, 128], {}, 31);
    const b = boundOk(lu, Math.sqrt(3 / 128));
    t.ok(b.ok, `lecunUniform [256,128] seed 31: max|x| = ${b.max} in [0.999, 1]·sqrt(3/128)`);
    expectDist(t, lu, uniformBound(Math.sqrt(3 / 128)), "lecunUniform [256,128] seed 31");
    const s = Math.sqrt(1 / 128) / KERAS_TRUNC;
    const ln = draw("lecunNormal", [256, 128], {}, 32);
    expectDist(t, ln, keras(s), "lecunNormal [256,128] seed 32: TN(0, (sqrt(1/128)/0.8796)^2, ±2 std)");
    const bn = boundOk(ln, 2 * s);
    t.ok(bn.ok, `lecunNormal: max|x| = ${bn.max} in [0.999, 1]·2·std = ${2 * s}`);
    // the 0.8796 factor makes the variance exactly 1/fanIn: only the shape (KS) tells them apart
    expectRejected(t, ln, (0, stats_js_1.normalDist)(0, Math.sqrt(1 / 128)), ["ks"], "lecunNormal against an untruncated N(0, 1/fanIn)");
    const lk = draw("lecunNormal", [3, 3, 64, 128], { layout: "keras" }, 33);
    const sk = Math.sqrt(1 / 576) / KERAS_TRUNC;
    expectDist(t, lk, keras(sk), "lecunNormal keras [3,3,64,128] seed 33 (fanIn 576)");
});
tap_1.default.test("varianceScaling: 3 modes x 3 distributions, scale / max(1, fan)", async (t) => {
    const shape = [3, 3, 64, 128]; // keras: fanIn 576, fanOut 1152, fanAvg 864
    const fans = { fanIn: 576, fanOut: 1152, fanAvg: 864 };
    const scale = 1.5;
    let seed = 50;
    for (const mode of ["fanIn", "fanOut", "fanAvg"]) {
        const s = scale / fans[mode];
        for (const distribution of ["truncatedNormal", "untruncatedNormal", "uniform"]) {
            const dist = distribution === "uniform" ? uniformBound(Math.sqrt(3 * s)) : distribution === "untruncatedNormal" ? (0, stats_js_1.normalDist)(0, Math.sqrt(s)) : keras(Math.sqrt(s) / KERAS_TRUNC);
            const x = draw("varianceScaling", shape, { layout: "keras", scale, mode, distribution }, seed);
            expectDist(t, x, dist, `varianceScaling keras [3,3,64,128] scale 1.5 ${mode} ${distribution} seed ${seed}`);
            if (distribution === "uniform") {
                const b = boundOk(x, Math.sqrt(3 * s));
                t.ok(b.ok, `${mode} uniform: max|x| = ${b.max} in [0.999, 1]·sqrt(3·scale/fan)`);
            }
            seed++;
        }
    }
    const dflt = draw("varianceScaling", [256, 128], {}, 60);
    expectDist(t, dflt, keras(Math.sqrt(1 / 128) / KERAS_TRUNC), "varianceScaling defaults (scale 1, fanIn, truncatedNormal, torch) seed 60");
    // max(1, fan): a fan below 1 (only reachable through overrides) divides by 1
    const small = draw("varianceScaling", [64, 64], { scale: 2, fanIn: 0.5, distribution: "untruncatedNormal" }, 61);
    expectDist(t, small, (0, stats_js_1.normalDist)(0, Math.SQRT2), "varianceScaling scale 2, fanIn 0.5 -> std sqrt(2/max(1, 0.5)) = sqrt(2), seed 61");
    expectRejected(t, small, (0, stats_js_1.normalDist)(0, 2), ["ks", "variance"], "without max(1, fan): std sqrt(2/0.5) = 2");
    const avg = draw("varianceScaling", [64, 64], { scale: 2, fanIn: 1.5, fanOut: 0.1, mode: "fanAvg", distribution: "uniform" }, 62);
    expectDist(t, avg, uniformBound(Math.sqrt(6)), "varianceScaling scale 2, fanAvg (1.5 + 0.1)/2 = 0.8 -> limit sqrt(3·2/1), seed 62");
    const tr = draw("varianceScaling", [64, 64], { scale: 2, fanOut: 0.25, mode: "fanOut" }, 63);
    expectDist(t, tr, keras(Math.SQRT2 / KERAS_TRUNC), "varianceScaling scale 2, fanOut 0.25, truncated -> std sqrt(2)/0.8796, seed 63");
});
tap_1.default.test("fanIn / fanOut overrides", async (t) => {
    const k = draw("kaimingUniform", [256, 128], { fanIn: 512 }, 70);
    expectDist(t, k, uniformBound(Math.sqrt(6 / 512)), "kaimingUniform [256,128] fanIn 512 -> bound sqrt(6/512), seed 70");
    const x = draw("xavierNormal", [256, 128], { fanIn: 100, fanOut: 300 }, 71);
    expectDist(t, x, (0, stats_js_1.normalDist)(0, Math.sqrt(2 / 400)), "xavierNormal fanIn 100, fanOut 300 -> std sqrt(2/400), seed 71");
    const y = draw("xavierUniform", [256, 128], { fanOut: 1000 }, 72);
    expectDist(t, y, uniformBound(Math.sqrt(6 / (128 + 1000))), "xavierUniform fanOut 1000 (fanIn 128 from the shape), seed 72");
    const z = draw("kaimingNormal", [256, 128], { fanOut: 64, mode: "fanOut" }, 73);
    expectDist(t, z, (0, stats_js_1.normalDist)(0, Math.sqrt(2 / 64)), "kaimingNormal fanOut override 64, mode fanOut, seed 73");
});
tap_1.default.test("layouts: the same layer in torch and keras layout gives the same output", async (t) => {
    const torch = [64, 3, 7, 7];
    const kerasShape = [7, 7, 3, 64];
    const size = 64 * 3 * 7 * 7;
    for (const fn of ["xavierUniform", "xavierNormal", "kaimingUniform", "kaimingNormal", "lecunUniform", "lecunNormal", "varianceScaling"]) {
        const a = fns[fn](new Float32Array(size), torch, { seed: 9 });
        const b = fns[fn](new Float32Array(size), kerasShape, { seed: 9, layout: "keras" });
        const c = fns[fn](new Float32Array(size), torch, { seed: 9, layout: "torch" });
        const d = fns[fn](new Float32Array(size), torch, { seed: 9, layout: "keras" });
        t.ok((0, helpers_js_1.bytes)(b).equals((0, helpers_js_1.bytes)(a)), `${fn}: keras [7,7,3,64] = torch [64,3,7,7] (fans 147, 3136), seed 9`);
        t.ok((0, helpers_js_1.bytes)(c).equals((0, helpers_js_1.bytes)(a)), `${fn}: layout defaults to torch`);
        t.notOk((0, helpers_js_1.bytes)(d).equals((0, helpers_js_1.bytes)(a)), `${fn}: reading the torch shape as keras changes the fans and the output`);
    }
    // keras 0-D and 1-D shapes work; torch refuses them (as PyTorch)
    const one = nn.lecunUniform(new Float32Array(1), [], { layout: "keras", seed: 3 });
    t.ok(Math.abs(one[0]) <= Math.sqrt(3), `keras 0-D shape: fans 1, 1, lecunUniform |x| <= sqrt(3) (${one[0]})`);
    const vec = nn.kaimingNormal(new Float32Array(7), [7], { layout: "keras", seed: 3 });
    t.equal(vec.length, 7, "keras 1-D shape [7] fills 7 elements");
    t.throws(() => nn.kaimingNormal(new Float32Array(7), [7], { seed: 3 }), RangeError, "torch 1-D shape throws RangeError");
    // zero-size tensors: nothing to fill, no error (PyTorch warns and returns)
    for (const shape of [[0, 5], [5, 0], [4, 0, 3, 3]]) {
        const out = new Float32Array(0);
        t.equal(nn.kaimingUniform(out, shape, { seed: 1 }), out, `kaimingUniform on [${shape}] returns the empty out`);
        t.equal(nn.xavierNormal(out, shape, { seed: 1 }), out, `xavierNormal on [${shape}] returns the empty out`);
    }
});
tap_1.default.test("constant, zeros, ones in every dtype", async (t) => {
    const f32 = nn.constant(new Float32Array(5), 0.1);
    t.ok(f32.every((v) => v === Math.fround(0.1)), "constant 0.1 in float32 is RN32(0.1)");
    const f64 = nn.constant(new Float64Array(5), 0.1);
    t.ok(f64.every((v) => v === 0.1), "constant 0.1 in float64 is exact (docs/stream.md §8)");
    // 0.1 = 0x3DCCCCCD in float32 -> bfloat16 0x3DCD (low half 0xCCCD > 0x8000 rounds up); float16 0x2E66
    t.same(Array.from(nn.constant(new Uint16Array(3), 0.1, { dtype: "bfloat16" })), [0x3dcd, 0x3dcd, 0x3dcd], "constant 0.1 bfloat16 bits 0x3dcd");
    t.same(Array.from(nn.constant(new Uint16Array(3), 0.1, { dtype: "float16" })), [0x2e66, 0x2e66, 0x2e66], "constant 0.1 float16 bits 0x2e66");
    t.same(Array.from(nn.ones(new Uint16Array(2), { dtype: "bfloat16" })), [0x3f80, 0x3f80], "ones bfloat16 0x3f80");
    t.same(Array.from(nn.ones(new Uint16Array(2), { dtype: "float16" })), [0x3c00, 0x3c00], "ones float16 0x3c00");
    t.same(Array.from(nn.zeros(new Float32Array([1, 2, -3]))), [0, 0, 0], "zeros float32");
    t.ok(Object.is(nn.zeros(new Float64Array([-1]))[0], 0), "zeros writes +0");
    t.same(Array.from(nn.ones(new Float64Array(2))), [1, 1], "ones float64");
    t.same(Array.from(nn.constant(new Uint16Array(1), 65504, { dtype: "float16" })), [0x7bff], "65504 is float16's largest finite value");
    t.same(Array.from(nn.constant(new Uint16Array(1), 65520, { dtype: "float16" })), [0x7c00], "65520 overflows float16 to +Infinity (IEEE)");
    t.same(Array.from(nn.constant(new Uint16Array(1), -(2 ** -24), { dtype: "float16" })), [0x8001], "-2^-24 is float16's smallest subnormal");
    t.same(Array.from(nn.constant(new Uint16Array(1), 1e-8, { dtype: "float16" })), [0x0000], "1e-8 rounds to +0 in float16");
    t.same(Array.from(nn.constant(new Uint16Array(1), 1 + 2 ** -8, { dtype: "bfloat16" })), [0x3f80], "1 + 2^-8 ties to even (1.0) in bfloat16");
    t.same(Array.from(nn.constant(new Uint16Array(1), 1 + 3 * 2 ** -8, { dtype: "bfloat16" })), [0x3f82], "1 + 3·2^-8 ties to even (1 + 2^-6) in bfloat16");
});
tap_1.default.test("truncNormal bounds are absolute (PyTorch trunc_normal_)", async (t) => {
    const x = nn.truncNormal(new Float32Array(N), { mean: 5, std: 2, a: 4, b: 10, seed: 81 });
    expectDist(t, x, (0, stats_js_1.truncNormalDist)(5, 2, 4, 10), "truncNormal(mean 5, std 2, a 4, b 10) seed 81 lies in [4, 10]");
    expectRejected(t, x, (0, stats_js_1.truncNormalDist)(5, 2, 5 + 4 * 2, 5 + 10 * 2), ["ks", "mean", "min"], "the same sample against bounds read as multiples of std");
});
