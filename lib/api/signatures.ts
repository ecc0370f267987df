/**
 * The public call signatures' type parts (types only: nothing here exists at run time).
 *
 * Every public fill has one overload per array type, and the overload ties the `dtype` option
 * to the array: a Float32Array takes no dtype or a float32 name, a Float64Array none or a float64
 * name, a Uint16Array requires a bfloat16 or float16 name. The method's own options interface
 * (UniformOptions, ...) has no `dtype`: each overload intersects it with one of the three
 * interfaces below (so an options object typed `NormalOptions`, without dtype, suits every array
 * type, and one typed `NormalOptions & Uint16DType` a Uint16Array). The synchronous functions write their
 * overloads out in their files in lib/api/ (readable declarations, and the emitted JavaScript is
 * untouched); lib/promises.ts types its functions with the call-form interfaces below in mode
 * "promise", which add `signal` (Abortable) and return a Promise. test/types.check.ts checks that
 * the two agree, and every accepted and rejected form.
 *
 * The run-time checks (plan/validate.ts checkOut, api/execute.ts checkSignal) stay as they are:
 * JavaScript callers, and TypeScript callers whose array type is only known at run time (an
 * `OutArray` union, which no overload takes: narrow it or cast), still get them.
 */
import type { AbortSignalLike } from "../backend/types.js";
import type { BFloat16Name, Float16Name, Float32Name, Float64Name } from "../plan/validate.js";

/** The `dtype` option of a fill into a Float32Array: omitted, or a float32 name ("float32", "F32", "f32", "fp32"). */
export interface Float32DType {
  /** Element type of `out`, a Float32Array: float32 (the default). */
  dtype?: Float32Name;
}
/** The `dtype` option of a fill into a Float64Array: omitted, or a float64 name ("float64", "F64", "f64", "fp64"). */
export interface Float64DType {
  /** Element type of `out`, a Float64Array: float64 (the default). */
  dtype?: Float64Name;
}
/** The `dtype` option of a fill into a Uint16Array: required, a bfloat16 or float16 name ("bfloat16", "BF16", "bf16", "float16", "F16", "f16", "fp16"). */
export interface Uint16DType {
  /** Element type of `out`, a Uint16Array: bfloat16 or float16 (required: the array type cannot tell). */
  dtype: BFloat16Name | Float16Name;
}

/** The option only the `nninit/promises` functions take. */
export interface Abortable {
  /**
   * Aborts the fill; the Promise rejects with `signal.reason`. What `out` holds afterwards:
   * docs/safety.md ("Aborting an async fill"). eye, identity, dirac and zca compute on the main
   * thread, so for them only a signal already aborted counts. The synchronous functions have no
   * such option (and reject it at run time with a RangeError: a synchronous fill cannot be aborted).
   */
  signal?: AbortSignalLike;
}

/** Which entry point a signature is for: "sync" (`nninit`) or "promise" (`nninit/promises`). */
export type FillMode = "sync" | "promise";
/** The options of a call: `O`, plus `signal` in mode "promise". */
export type ModeOptions<O, M extends FillMode> = M extends "promise" ? O & Abortable : O;
/** What a call returns: `out`, or in mode "promise" a Promise of it. */
export type ModeResult<T, M extends FillMode> = M extends "promise" ? Promise<T> : T;

/** `fill(out, options?)`: uniform, normal, truncNormal, zeros, ones. */
export interface Fill<O, M extends FillMode = "sync"> {
  <T extends Float32Array>(out: T, options?: ModeOptions<O, M> & Float32DType): ModeResult<T, M>;
  <T extends Float64Array>(out: T, options?: ModeOptions<O, M> & Float64DType): ModeResult<T, M>;
  <T extends Uint16Array>(out: T, options: ModeOptions<O, M> & Uint16DType): ModeResult<T, M>;
}

/** `fill(out, value, options?)`: constant. */
export interface ValueFill<O, M extends FillMode = "sync"> {
  <T extends Float32Array>(out: T, value: number, options?: ModeOptions<O, M> & Float32DType): ModeResult<T, M>;
  <T extends Float64Array>(out: T, value: number, options?: ModeOptions<O, M> & Float64DType): ModeResult<T, M>;
  <T extends Uint16Array>(out: T, value: number, options: ModeOptions<O, M> & Uint16DType): ModeResult<T, M>;
}

/** `fill(out, shape, options?)`: the fan family (varianceScaling, xavier*, kaiming*, lecun*), orthogonal, eye, identity, dirac. */
export interface ShapeFill<O, M extends FillMode = "sync"> {
  <T extends Float32Array>(out: T, shape: readonly number[], options?: ModeOptions<O, M> & Float32DType): ModeResult<T, M>;
  <T extends Float64Array>(out: T, shape: readonly number[], options?: ModeOptions<O, M> & Float64DType): ModeResult<T, M>;
  <T extends Uint16Array>(out: T, shape: readonly number[], options: ModeOptions<O, M> & Uint16DType): ModeResult<T, M>;
}

/** `fill(out, shape, options)`, options required: sparse (its `sparsity`). */
export interface ShapeFillRequired<O, M extends FillMode = "sync"> {
  <T extends Float32Array>(out: T, shape: readonly number[], options: ModeOptions<O, M> & Float32DType): ModeResult<T, M>;
  <T extends Float64Array>(out: T, shape: readonly number[], options: ModeOptions<O, M> & Float64DType): ModeResult<T, M>;
  <T extends Uint16Array>(out: T, shape: readonly number[], options: ModeOptions<O, M> & Uint16DType): ModeResult<T, M>;
}

/** `fill(out, data, options)`, options required: zca (its `rows` and `cols`). */
export interface DataFill<O, M extends FillMode = "sync"> {
  <T extends Float32Array>(out: T, data: Float32Array | Float64Array, options: ModeOptions<O, M> & Float32DType): ModeResult<T, M>;
  <T extends Float64Array>(out: T, data: Float32Array | Float64Array, options: ModeOptions<O, M> & Float64DType): ModeResult<T, M>;
  <T extends Uint16Array>(out: T, data: Float32Array | Float64Array, options: ModeOptions<O, M> & Uint16DType): ModeResult<T, M>;
}
