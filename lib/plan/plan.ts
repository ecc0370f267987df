/**
 * FillPlan: everything a backend needs to fill `out`, already validated and reduced to float32
 * parameters, so that the JS and native backends receive identical inputs.
 */
import type { KernelId } from "../backend/jsKernels.js";
import type { DType } from "./validate.js";

export interface RandomPlan {
  kind: "random";
  kernel: KernelId;
  /** Float32 parameters of the kernel (see lib/backend/jsKernels.ts for each kernel's list). */
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
