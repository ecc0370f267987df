/**
 * `nninit/tfjs`: TensorFlow.js initializers filled by nninit, under tfjs's names and config keys.
 *
 *   const tf = require("@tensorflow/tfjs");
 *   const nninit = require("nninit/tfjs");
 *   tf.layers.dense({ units: 64, kernelInitializer: nninit.glorotUniform({ seed: 1 }) });
 *
 * Each factory returns a tfjs-layers `Initializer` whose `apply(shape, dtype)` returns a float32
 * tf.Tensor that nninit filled (layout "keras": kernels are [...kernel, in, out]). The classes are
 * registered with tfjs's serialization as "nninit>Name", so models survive `toJSON`/`modelFromJSON`
 * and `save`/`loadLayersModel` once this module has been loaded. Where tfjs 4.22 draws from a
 * wrong distribution nninit draws from the right one; `compat: "tfjs"` reproduces tfjs's
 * distributions. Every difference, and the seed semantics, are in docs/tfjs.md.
 */
import { Constant, Ones, Zeros, type ConstantArgs } from "./constant.js";
import { RandomNormal, RandomUniform, TruncatedNormal, type RandomNormalArgs, type RandomUniformArgs, type TruncatedNormalArgs } from "./random.js";
import { Identity, Orthogonal, type IdentityArgs, type OrthogonalArgs } from "./matrix.js";
import {
  GlorotNormal, GlorotUniform, HeNormal, HeUniform, LeCunNormal, LeCunUniform, VarianceScaling, type VarianceScalingArgs,
} from "./varianceScaling.js";
import type { SeedOnlyInitializerArgs } from "./base.js";

export { NninitInitializer, RandomInitializer, PACKAGE, type Compat, type CompatArgs, type SeedOnlyInitializerArgs } from "./base.js";
export { Zeros, Ones, Constant, type ConstantArgs } from "./constant.js";
export { RandomUniform, RandomNormal, TruncatedNormal, type RandomUniformArgs, type RandomNormalArgs, type TruncatedNormalArgs } from "./random.js";
export { VarianceScaling, GlorotUniform, GlorotNormal, HeUniform, HeNormal, LeCunUniform, LeCunNormal } from "./varianceScaling.js";
export type { VarianceScalingArgs, FanMode, Distribution } from "./varianceScaling.js";
export { Identity, Orthogonal, type IdentityArgs, type OrthogonalArgs } from "./matrix.js";

/** Zeros. */
export function zeros(): Zeros { return new Zeros(); }
/** Ones. */
export function ones(): Ones { return new Ones(); }
/** The constant `args.value`. */
export function constant(args: ConstantArgs): Constant { return new Constant(args); }
/** U(minval, maxval); defaults ±0.05. A 0 bound is 0 (tfjs reads it as ±0.05). */
export function randomUniform(args?: RandomUniformArgs): RandomUniform { return new RandomUniform(args); }
/** N(mean, stddev²); defaults mean 0, stddev 0.05. */
export function randomNormal(args?: RandomNormalArgs): RandomNormal { return new RandomNormal(args); }
/** N(mean, stddev²) cut at mean ± 2·stddev; defaults mean 0, stddev 0.05 (before truncation). */
export function truncatedNormal(args?: TruncatedNormalArgs): TruncatedNormal { return new TruncatedNormal(args); }
/** Keras VarianceScaling: variance scale/fan; defaults scale 1, "fanIn", "normal" (corrected truncated normal). */
export function varianceScaling(args?: VarianceScalingArgs): VarianceScaling { return new VarianceScaling(args); }
/** U(±√(6/(fanIn+fanOut))). */
export function glorotUniform(args?: SeedOnlyInitializerArgs): GlorotUniform { return new GlorotUniform(args); }
/** Truncated normal of variance 2/(fanIn+fanOut) (tfjs's is ≈12% narrow). */
export function glorotNormal(args?: SeedOnlyInitializerArgs): GlorotNormal { return new GlorotNormal(args); }
/** U(±√(6/fanIn)). */
export function heUniform(args?: SeedOnlyInitializerArgs): HeUniform { return new HeUniform(args); }
/** Truncated normal of variance 2/fanIn (tfjs's is ≈12% narrow). */
export function heNormal(args?: SeedOnlyInitializerArgs): HeNormal { return new HeNormal(args); }
/** U(±√(3/fanIn)). */
export function leCunUniform(args?: SeedOnlyInitializerArgs): LeCunUniform { return new LeCunUniform(args); }
/** Truncated normal of variance 1/fanIn (tfjs's is ≈12% narrow). */
export function leCunNormal(args?: SeedOnlyInitializerArgs): LeCunNormal { return new LeCunNormal(args); }
/** A Haar-random (semi-)orthogonal matrix times `gain` (default 1); weights of rank >= 2, flattened to [∏rest, last]. */
export function orthogonal(args?: OrthogonalArgs): Orthogonal { return new Orthogonal(args); }
/** gain · I for a 2-D weight (default gain 1). */
export function identity(args?: IdentityArgs): Identity { return new Identity(args); }
