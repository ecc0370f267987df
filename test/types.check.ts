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
import * as nn from "../lib/index.js";
import * as promises from "../lib/promises.js";

declare const f32: Float32Array;
declare const f64: Float64Array;
declare const u16: Uint16Array;
declare const any: nn.OutArray;
declare const signal: AbortSignal;
const shape = [4, 4] as const;

/**
 * The overloads of a function type, each as [parameters, return type] with its type parameter
 * replaced by its constraint (a generic signature cannot be compared as it stands: TypeScript
 * relates overloaded generic signatures with their type parameters erased to `any`).
 */
type Overloads<F> = F extends { (...a: infer A1): infer R1; (...a: infer A2): infer R2; (...a: infer A3): infer R3 } ? [[A1, R1], [A2, R2], [A3, R3]] : never;
type Equal<X, Y> = (<V>() => V extends X ? 1 : 2) extends (<V>() => V extends Y ? 1 : 2) ? true : false;
/** Compiles only when A and B have the same overloads. */
declare function same<A, B>(ok: Equal<Overloads<A>, Overloads<B>>): void;

// ---- each sync function has exactly the overloads of its call form (lib/api/signatures.ts), and
// its nninit/promises twin those of the same form in mode "promise", with the same options
same<typeof nn.uniform, nn.Fill<nn.UniformOptions>>(true);
same<typeof promises.uniform, nn.Fill<nn.UniformOptions, "promise">>(true);
same<typeof nn.normal, nn.Fill<nn.NormalOptions>>(true);
same<typeof promises.normal, nn.Fill<nn.NormalOptions, "promise">>(true);
same<typeof nn.truncNormal, nn.Fill<nn.TruncNormalOptions>>(true);
same<typeof promises.truncNormal, nn.Fill<nn.TruncNormalOptions, "promise">>(true);
same<typeof nn.constant, nn.ValueFill<nn.ConstantOptions>>(true);
same<typeof promises.constant, nn.ValueFill<nn.ConstantOptions, "promise">>(true);
same<typeof nn.zeros, nn.Fill<nn.ConstantOptions>>(true);
same<typeof promises.zeros, nn.Fill<nn.ConstantOptions, "promise">>(true);
same<typeof nn.ones, nn.Fill<nn.ConstantOptions>>(true);
same<typeof promises.ones, nn.Fill<nn.ConstantOptions, "promise">>(true);
same<typeof nn.varianceScaling, nn.ShapeFill<nn.VarianceScalingOptions>>(true);
same<typeof promises.varianceScaling, nn.ShapeFill<nn.VarianceScalingOptions, "promise">>(true);
same<typeof nn.xavierUniform, nn.ShapeFill<nn.XavierOptions>>(true);
same<typeof promises.xavierUniform, nn.ShapeFill<nn.XavierOptions, "promise">>(true);
same<typeof nn.xavierNormal, nn.ShapeFill<nn.XavierOptions>>(true);
same<typeof promises.xavierNormal, nn.ShapeFill<nn.XavierOptions, "promise">>(true);
same<typeof nn.kaimingUniform, nn.ShapeFill<nn.KaimingOptions>>(true);
same<typeof promises.kaimingUniform, nn.ShapeFill<nn.KaimingOptions, "promise">>(true);
same<typeof nn.kaimingNormal, nn.ShapeFill<nn.KaimingOptions>>(true);
same<typeof promises.kaimingNormal, nn.ShapeFill<nn.KaimingOptions, "promise">>(true);
same<typeof nn.lecunUniform, nn.ShapeFill<nn.FanOptions>>(true);
same<typeof promises.lecunUniform, nn.ShapeFill<nn.FanOptions, "promise">>(true);
same<typeof nn.lecunNormal, nn.ShapeFill<nn.FanOptions>>(true);
same<typeof promises.lecunNormal, nn.ShapeFill<nn.FanOptions, "promise">>(true);
same<typeof nn.orthogonal, nn.ShapeFill<nn.OrthogonalOptions>>(true);
same<typeof promises.orthogonal, nn.ShapeFill<nn.OrthogonalOptions, "promise">>(true);
same<typeof nn.eye, nn.ShapeFill<nn.EyeOptions>>(true);
same<typeof promises.eye, nn.ShapeFill<nn.EyeOptions, "promise">>(true);
same<typeof nn.identity, nn.ShapeFill<nn.EyeOptions>>(true);
same<typeof promises.identity, nn.ShapeFill<nn.EyeOptions, "promise">>(true);
same<typeof nn.dirac, nn.ShapeFill<nn.DiracOptions>>(true);
same<typeof promises.dirac, nn.ShapeFill<nn.DiracOptions, "promise">>(true);
same<typeof nn.sparse, nn.ShapeFillRequired<nn.SparseOptions>>(true);
same<typeof promises.sparse, nn.ShapeFillRequired<nn.SparseOptions, "promise">>(true);
same<typeof nn.zca, nn.DataFill<nn.ZcaOptions>>(true);
same<typeof promises.zca, nn.DataFill<nn.ZcaOptions, "promise">>(true);
// the negative controls: the promise form is not the sync one, nor is another method's options or call form
// @ts-expect-error
same<typeof nn.uniform, nn.Fill<nn.UniformOptions, "promise">>(true);
// @ts-expect-error
same<typeof nn.normal, nn.Fill<nn.UniformOptions>>(true);
// @ts-expect-error
same<typeof nn.sparse, nn.ShapeFill<nn.SparseOptions>>(true);

export function dtypeNames(): void {
  // every alias the run time accepts (plan/validate.ts DTYPE_ALIASES; its `satisfies` keeps the two equal)
  for (const dtype of ["float32", "F32", "f32", "fp32"] as const) nn.uniform(f32, { dtype });
  for (const dtype of ["float64", "F64", "f64", "fp64"] as const) nn.uniform(f64, { dtype });
  for (const dtype of ["bfloat16", "BF16", "bf16", "float16", "F16", "f16", "fp16"] as const) nn.uniform(u16, { dtype });
  const all: nn.DTypeName[] = ["float32", "F32", "f32", "fp32", "float64", "F64", "f64", "fp64", "bfloat16", "BF16", "bf16", "float16", "F16", "f16", "fp16"];
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

export function elementwise(): void {
  const a: Float32Array = nn.uniform(f32);
  const b: Float64Array = nn.normal(f64, { std: 0.02, seed: 1 });
  const c: Uint16Array = nn.truncNormal(u16, { dtype: "bfloat16", a: -1, b: 1 });
  nn.uniform(f32, { dtype: "float32", low: -1 });
  nn.uniform(f64, { dtype: "float64" });
  nn.normal(u16, { dtype: "float16" });
  // the exact array type comes back (a SharedArrayBuffer-backed one stays one)
  const shared: Float32Array<SharedArrayBuffer> = nn.uniform(new Float32Array(new SharedArrayBuffer(16)), { seed: 1 });
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

export function constantFamily(): void {
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

export function fanFamily(): void {
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

export function matrixFamily(data: Float64Array): void {
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

export async function promiseForms(data: Float32Array): Promise<void> {
  const a: Float32Array = await promises.uniform(f32, { signal });
  const b: Promise<Float64Array> = promises.normal(f64, { std: 2, signal });
  const c: Uint16Array = await promises.truncNormal(u16, { dtype: "bf16", signal });
  const shared: Float64Array<SharedArrayBuffer> = await promises.zeros(new Float64Array(new SharedArrayBuffer(16)), { signal });
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
  const wrong: Float64Array = await promises.uniform(f32);
  void wrong;
}

export function optionObjects(): void {
  // an options object typed with a method's options interface (no dtype) suits every array type
  const o: nn.NormalOptions = { std: 0.02, seed: 1 };
  nn.normal(f32, o);
  nn.normal(f64, o);
  nn.normal(u16, { ...o, dtype: "bf16" });
  const half: nn.NormalOptions & nn.Uint16DType = { std: 0.02, dtype: "float16" };
  nn.normal(u16, half);
  void promises.normal(u16, half);
  const abortable: nn.NormalOptions & nn.Abortable = { signal };
  void promises.normal(f32, abortable);
  // @ts-expect-error a Uint16Array needs a dtype: NormalOptions has none
  nn.normal(u16, o);
  // @ts-expect-error a float16 options object on a Float32Array
  nn.normal(f32, half);
  // known limit: TypeScript checks excess properties of object literals only, so a variable that
  // holds a signal passes a synchronous fill's types; the run time rejects it (RangeError)
  nn.normal(f32, abortable);
  // @ts-expect-error dtype is not part of NormalOptions
  const bad: nn.NormalOptions = { dtype: "float32" };
  void bad;
}
