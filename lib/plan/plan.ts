/**
 * FillPlan: everything a backend needs to fill `out`, already validated and reduced to float32
 * parameters, so that the JS and native backends receive identical inputs.
 */
import type { DType } from "./validate.js";

/**
 * Kernel ids, in the order of native/core/types.h's KernelId enum (a kernel's code is its index
 * here: lib/backend/native.ts and wasm.ts pass it; test/validation.test.ts checks the header).
 */
export const KERNELS = ["uniform", "normal", "truncNormal"] as const;
export type KernelId = (typeof KERNELS)[number];

/** The truncated normal's lower probability clamp (docs/stream.md §7): its parameters and kernel. */
export const P_MIN = 2 ** -100;

export interface RandomPlan {
  kind: "random";
  kernel: KernelId;
  /** Float32 parameters of the kernel (docs/stream.md §4–§7 and lib/backend/jsKernels.ts list each kernel's). */
  params: Float32Array;
  /** The 64-bit stream key. */
  key: bigint;
  /** Index of out[0] in the logical tensor. */
  offset: number;
  dtype: DType;
  /** Worker threads requested (native backend only); 0 = the global default. */
  threads: number;
}

export interface ConstantPlan {
  kind: "constant";
  /** The value, rounded to float32 for float32/bfloat16/float16 outputs, exact for float64. */
  value: number;
  dtype: DType;
  /** Worker threads requested (native backend only); 0 = the global default. */
  threads: number;
}

export type FillPlan = RandomPlan | ConstantPlan;

/** A u64 stream key as two u32 numbers [hi, lo] (how the native binding and wasm module take it). */
export function keyWords(key: bigint): [number, number] {
  return [Number((key >> 32n) & 0xffffffffn), Number(key & 0xffffffffn)];
}
