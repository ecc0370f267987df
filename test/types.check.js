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
exports.dtypeNames = dtypeNames;
exports.elementwise = elementwise;
exports.constantFamily = constantFamily;
exports.fanFamily = fanFamily;
exports.matrixFamily = matrixFamily;
exports.promiseForms = promiseForms;
exports.optionObjects = optionObjects;
/**
 * Compile-time checks of the public signatures (lib/api/signatures.ts): not a tap test (nothing
 * here runs), but part of `npm run typecheck` (tsconfig.json includes test/**). Each plain line
 * must compile; each line after `// @ts-expect-error` must not (when it does, tsc reports "Unused
 * '@ts-expect-error' directive"). The run-time side of the same rules (checkOut's dtype check,
 * checkSignal's RangeError) is tested in validation.test.ts, fuzz.test.ts and promises.test.ts.
 *
 * The rules: a Float32Array takes no dtype or a float32 name, a Float64Array none or a float64
 * name, a Uint16Array requires a bfloat16 or float16 name; `signal` only in nninit/promises.
 */
const nn = __importStar(require("../lib/index.js"));
const promises = __importStar(require("../lib/promises.js"));
const shape = [4, 4];
// ---- each sync function has exactly the overloads of its call form (lib/api/signatures.ts), and
// its nninit/promises twin those of the same form in mode "promise", with the same options
same(true);
same(true);
same(true);
same(true);
same(true);
same(true);
same(true);
same(true);
same(true);
same(true);
same(true);
same(true);
same(true);
same(true);
same(true);
same(true);
same(true);
same(true);
same(true);
same(true);
same(true);
same(true);
same(true);
same(true);
same(true);
same(true);
same(true);
same(true);
same(true);
same(true);
same(true);
same(true);
same(true);
same(true);
same(true);
same(true);
same(true);
same(true);
// the negative controls: the promise form is not the sync one, nor is another method's options or call form
// @ts-expect-error
same(true);
// @ts-expect-error
same(true);
// @ts-expect-error
same(true);
function dtypeNames() {
    // every alias the run time accepts (plan/validate.ts DTYPE_ALIASES; its `satisfies` keeps the two equal)
    for (const dtype of ["float32", "F32", "f32", "fp32"])
        nn.uniform(f32, { dtype });
    for (const dtype of ["float64", "F64", "f64", "fp64"])
        nn.uniform(f64, { dtype });
    for (const dtype of ["bfloat16", "BF16", "bf16", "float16", "F16", "f16", "fp16"])
        nn.uniform(u16, { dtype });
    const all = ["float32", "F32", "f32", "fp32", "float64", "F64", "f64", "fp64", "bfloat16", "BF16", "bf16", "float16", "F16", "f16", "fp16"];
    void all;
    // @ts-expect-error an unknown name
    nn.uniform(f32, { dtype: "float8" });
    // @ts-expect-error names are case-sensitive, as at run time
    nn.uniform(f32, { dtype: "FLOAT32" });
    // @ts-expect-error "bf16" is no Uint16Array name in upper case ("BF16" is)
    nn.uniform(u16, { dtype: "Bf16" });
    // @ts-expect-error a dtype is a string
    nn.uniform(f32, { dtype: 32 });
}
function elementwise() {
    const a = nn.uniform(f32);
    const b = nn.normal(f64, { std: 0.02, seed: 1 });
    const c = nn.truncNormal(u16, { dtype: "bfloat16", a: -1, b: 1 });
    nn.uniform(f32, { dtype: "float32", low: -1 });
    nn.uniform(f64, { dtype: "float64" });
    nn.normal(u16, { dtype: "float16" });
    // the exact array type comes back (a SharedArrayBuffer-backed one stays one)
    const shared = nn.uniform(new Float32Array(new SharedArrayBuffer(16)), { seed: 1 });
    void [a, b, c, shared];
    // @ts-expect-error a Uint16Array needs a dtype
    nn.uniform(u16);
    // @ts-expect-error a Uint16Array needs a dtype (options without one)
    nn.normal(u16, { seed: 1 });
    // @ts-expect-error bfloat16 into a Float32Array
    nn.uniform(f32, { dtype: "bfloat16" });
    // @ts-expect-error float16 into a Float32Array
    nn.truncNormal(f32, { dtype: "f16" });
    // @ts-expect-error float32 into a Float64Array
    nn.normal(f64, { dtype: "float32" });
    // @ts-expect-error float64 into a Float32Array
    nn.uniform(f32, { dtype: "F64" });
    // @ts-expect-error float32 into a Uint16Array
    nn.uniform(u16, { dtype: "float32" });
    // @ts-expect-error signal on a synchronous fill
    nn.uniform(f32, { signal });
    // @ts-expect-error signal on a synchronous fill
    nn.normal(u16, { dtype: "bf16", signal });
    // @ts-expect-error not an array nninit fills
    nn.uniform(new Int32Array(4));
    // @ts-expect-error an OutArray union matches no overload: narrow it, or cast (its dtype is checked at run time)
    nn.uniform(any);
}
function constantFamily() {
    nn.constant(f32, 0.5);
    nn.constant(f64, 0.5, { dtype: "fp64", offset: 2 });
    nn.constant(u16, 0.5, { dtype: "BF16" });
    nn.zeros(f32);
    nn.ones(u16, { dtype: "fp16", threads: 2 });
    // @ts-expect-error a Uint16Array needs a dtype
    nn.constant(u16, 1);
    // @ts-expect-error a Uint16Array needs a dtype
    nn.zeros(u16);
    // @ts-expect-error bfloat16 into a Float32Array
    nn.ones(f32, { dtype: "bf16" });
    // @ts-expect-error float32 into a Float64Array
    nn.constant(f64, 1, { dtype: "f32" });
    // @ts-expect-error signal on a synchronous fill
    nn.constant(f32, 1, { signal });
    // @ts-expect-error constant takes no seed
    nn.zeros(f32, { seed: 1 });
}
function fanFamily() {
    nn.kaimingNormal(f32, shape, { nonlinearity: "relu" });
    nn.kaimingUniform(f64, shape, { dtype: "float64", mode: "fanOut" });
    nn.xavierUniform(u16, shape, { dtype: "bf16", gain: 2 });
    nn.xavierNormal(f32, [3, 4, 5]);
    nn.lecunNormal(u16, shape, { dtype: "F16" });
    nn.lecunUniform(f64, shape);
    nn.varianceScaling(f32, shape, { scale: 2, distribution: "uniform", layout: "keras" });
    // @ts-expect-error a Uint16Array needs a dtype
    nn.kaimingNormal(u16, shape);
    // @ts-expect-error a Uint16Array needs a dtype
    nn.varianceScaling(u16, shape, { scale: 2 });
    // @ts-expect-error bfloat16 into a Float32Array
    nn.xavierUniform(f32, shape, { dtype: "bfloat16" });
    // @ts-expect-error float32 into a Float64Array
    nn.lecunUniform(f64, shape, { dtype: "float32" });
    // @ts-expect-error signal on a synchronous fill
    nn.kaimingUniform(f32, shape, { signal });
}
function matrixFamily(data) {
    nn.orthogonal(f32, shape, { gain: 2, seed: 1 });
    nn.orthogonal(u16, shape, { dtype: "bf16" });
    nn.eye(f64, [2, 3]);
    nn.identity(u16, [2, 3], { dtype: "float16", gain: 3 });
    nn.dirac(f32, [4, 4, 3, 3], { groups: 2 });
    nn.dirac(f64, [4, 4, 3], { dtype: "f64" });
    nn.sparse(f32, shape, { sparsity: 0.5 });
    nn.sparse(u16, shape, { sparsity: 0.5, dtype: "BF16" });
    nn.zca(f32, data, { rows: 4, cols: 2 });
    nn.zca(f64, new Float32Array(8), { rows: 4, cols: 2, dtype: "fp64" });
    nn.zca(u16, data, { rows: 4, cols: 2, dtype: "f16" });
    // @ts-expect-error a Uint16Array needs a dtype
    nn.orthogonal(u16, shape);
    // @ts-expect-error a Uint16Array needs a dtype
    nn.eye(u16, shape, { gain: 2 });
    // @ts-expect-error a Uint16Array needs a dtype
    nn.sparse(u16, shape, { sparsity: 0.5 });
    // @ts-expect-error a Uint16Array needs a dtype
    nn.zca(u16, data, { rows: 4, cols: 2 });
    // @ts-expect-error bfloat16 into a Float32Array
    nn.dirac(f32, [4, 4, 3], { dtype: "bf16" });
    // @ts-expect-error float32 into a Float64Array
    nn.identity(f64, shape, { dtype: "float32" });
    // @ts-expect-error float64 into a Float32Array
    nn.zca(f32, data, { rows: 4, cols: 2, dtype: "float64" });
    // @ts-expect-error signal on a synchronous fill
    nn.orthogonal(f32, shape, { signal });
    // @ts-expect-error signal on a synchronous fill
    nn.sparse(f32, shape, { sparsity: 0.5, signal });
    // @ts-expect-error signal on a synchronous fill
    nn.zca(f32, data, { rows: 4, cols: 2, signal });
    // @ts-expect-error sparse needs its options (sparsity)
    nn.sparse(f32, shape);
    // @ts-expect-error orthogonal takes no offset
    nn.orthogonal(f32, shape, { offset: 4 });
}
async function promiseForms(data) {
    const a = await promises.uniform(f32, { signal });
    const b = promises.normal(f64, { std: 2, signal });
    const c = await promises.truncNormal(u16, { dtype: "bf16", signal });
    const shared = await promises.zeros(new Float64Array(new SharedArrayBuffer(16)), { signal });
    void [a, b, c, shared];
    await promises.constant(u16, 1, { dtype: "fp16", signal });
    await promises.ones(f64);
    await promises.kaimingNormal(u16, shape, { dtype: "F16", seed: 1, signal });
    await promises.varianceScaling(f32, shape, { signal });
    await promises.orthogonal(f64, shape, { dtype: "float64", signal });
    await promises.eye(f32, shape, { signal });
    await promises.identity(u16, shape, { dtype: "bfloat16" });
    await promises.dirac(f32, [4, 4, 3], { signal });
    await promises.sparse(u16, shape, { sparsity: 0.1, dtype: "bf16", signal });
    await promises.zca(f64, data, { rows: 4, cols: 2, signal });
    // @ts-expect-error a Uint16Array needs a dtype
    await promises.uniform(u16, { signal });
    // @ts-expect-error a Uint16Array needs a dtype
    await promises.zeros(u16);
    // @ts-expect-error a Uint16Array needs a dtype
    await promises.xavierNormal(u16, shape);
    // @ts-expect-error a Uint16Array needs a dtype
    await promises.sparse(u16, shape, { sparsity: 0.5, signal });
    // @ts-expect-error bfloat16 into a Float32Array
    await promises.normal(f32, { dtype: "bf16", signal });
    // @ts-expect-error float32 into a Float64Array
    await promises.constant(f64, 1, { dtype: "float32" });
    // @ts-expect-error float64 into a Float32Array
    await promises.orthogonal(f32, shape, { dtype: "f64" });
    // @ts-expect-error an unknown dtype name
    await promises.eye(f32, shape, { dtype: "float128" });
    // @ts-expect-error float32 into a Uint16Array
    await promises.zca(u16, data, { rows: 4, cols: 2, dtype: "f32" });
    // @ts-expect-error a signal is an AbortSignal
    await promises.uniform(f32, { signal: "stop" });
    // @ts-expect-error the Promise resolves with out, not a Float64Array
    const wrong = await promises.uniform(f32);
    void wrong;
}
function optionObjects() {
    // an options object typed with a method's options interface (no dtype) suits every array type
    const o = { std: 0.02, seed: 1 };
    nn.normal(f32, o);
    nn.normal(f64, o);
    nn.normal(u16, { ...o, dtype: "bf16" });
    const half = { std: 0.02, dtype: "float16" };
    nn.normal(u16, half);
    void promises.normal(u16, half);
    const abortable = { signal };
    void promises.normal(f32, abortable);
    // @ts-expect-error a Uint16Array needs a dtype: NormalOptions has none
    nn.normal(u16, o);
    // @ts-expect-error a float16 options object on a Float32Array
    nn.normal(f32, half);
    // known limit: TypeScript checks excess properties of object literals only, so a variable that
    // holds a signal passes a synchronous fill's types; the run time rejects it (RangeError)
    nn.normal(f32, abortable);
    // @ts-expect-error dtype is not part of NormalOptions
    const bad = { dtype: "float32" };
    void bad;
}
