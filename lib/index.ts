/**
 * nninit: fast, deterministic neural-network weight initialization.
 * Re-exports only; see docs/architecture.md for where each piece lives. Every fill method exported
 * here is in the method table (lib/plan/methods.ts) and in lib/promises.ts; test/validation.test.ts
 * checks that the three agree (the exports stay explicit: tree-shaking and declaration types).
 */
import { active } from "./backend/select.js";

export { uniform, type UniformOptions } from "./api/uniform.js";
export { normal, type NormalOptions } from "./api/normal.js";
export { truncNormal, type TruncNormalOptions } from "./api/truncNormal.js";
export { constant, zeros, ones, type ConstantOptions } from "./api/constant.js";
export {
  varianceScaling, xavierUniform, xavierNormal, kaimingUniform, kaimingNormal, lecunUniform, lecunNormal,
  TRUNCATED_STD, type VarianceScalingOptions, type XavierOptions, type KaimingOptions, type FanOptions, type Distribution,
} from "./api/varianceScaling.js";
export { orthogonal, type OrthogonalOptions } from "./api/orthogonal.js";
export { eye, identity, type EyeOptions } from "./api/eye.js";
export { dirac, type DiracOptions } from "./api/dirac.js";
export { sparse, type SparseOptions } from "./api/sparse.js";
export { zca, type ZcaOptions } from "./api/zca.js";
export { Generator, defaultGenerator, manualSeed, type Seed } from "./api/generator.js";
export type { CommonOptions } from "./api/common.js";
export type {
  Float32DType, Float64DType, Uint16DType, Abortable, FillMode, Fill, ValueFill, ShapeFill, ShapeFillRequired, DataFill,
} from "./api/signatures.js";
export { computeFans, type Fans, type Layout } from "./plan/fans.js";
export { calculateGain, type Nonlinearity } from "./plan/gain.js";
export type { DType, DTypeName, Float32Name, Float64Name, BFloat16Name, Float16Name, OutArray } from "./plan/validate.js";
export type { BackendInfo } from "./backend/select.js";
export { STREAM_VERSION, BLOCK_SIZE } from "./stream/version.js";

/** Which backend fills arrays: {name: "native" | "wasm" | "js", isa, threads, binary?, loadError?}. */
export const backend = active.info;
