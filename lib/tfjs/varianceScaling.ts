/**
 * varianceScaling and its presets glorotUniform/glorotNormal, heUniform/heNormal,
 * leCunUniform/leCunNormal: one parametric class, thin presets (as tfjs-layers).
 *
 * Default (Keras semantics, docs/methods.md §3): nninit's `varianceScaling` with layout "keras"
 * (tfjs kernels are [...kernel, in, out]); s = scale / max(1, fan);
 *   "normal" | "truncatedNormal": std √s / 0.87962566103423978, truncated at ±2 std (variance s);
 *   "untruncatedNormal": N(0, s);   "uniform": U(±√(3s)).
 * "normal" is the name old Keras and tfjs give the truncated normal; modern Keras calls it
 * "truncated_normal" and corrects its std, as here.
 *
 * compat "tfjs" (tfjs-layers 4.22 initializers.ts, VarianceScaling.apply and computeFans):
 *   "normal": truncated normal of std √s cut at ±2·√s (no correction: ≈12% narrow, tfjs issue 8594);
 *   any other distribution, "truncatedNormal" included, draws U(±√(3s)) (apply tests only
 *   `=== 'normal'`); fans of shapes of rank other than 2..5 are √(size) (old Keras), not Keras's.
 */
import { computeFans, truncNormal, uniform, varianceScaling } from "../index.js";
import { valueError } from "../plan/errors.js";
import { checkEnum, checkNonNegative, opt } from "../plan/validate.js";
import { orDefault, RandomInitializer, readArgs, register, type SeedOnlyInitializerArgs } from "./base.js";
import type { ConfigDict } from "./tf.js";

export const FAN_MODES = ["fanIn", "fanOut", "fanAvg"] as const;
/** Which fan divides the scale: fan-in, fan-out or their mean. */
export type FanMode = (typeof FAN_MODES)[number];
export const DISTRIBUTIONS = ["normal", "truncatedNormal", "untruncatedNormal", "uniform"] as const;
/** "normal" and "truncatedNormal" are the same (corrected) truncated normal unless compat is "tfjs". */
export type Distribution = (typeof DISTRIBUTIONS)[number];

/** Arguments of `varianceScaling`. */
export interface VarianceScalingArgs extends SeedOnlyInitializerArgs {
  /** Scale factor, > 0. Default 1. */
  scale?: number;
  /** Fan that divides the scale: "fanIn" | "fanOut" | "fanAvg". Default "fanIn". */
  mode?: FanMode;
  /**
   * "normal" | "truncatedNormal" (the same truncated normal, variance scale/fan),
   * "untruncatedNormal" or "uniform". Default "normal" (tfjs's spelling of the truncated normal).
   */
  distribution?: Distribution;
}

/** tfjs-layers' computeFans (channelsLast): ranks 2..5 as Keras, any other rank √(size) for both. */
function tfjsFans(shape: readonly number[]): { fanIn: number; fanOut: number } {
  if (shape.length >= 2 && shape.length <= 5) return computeFans(shape, "keras");
  const root = Math.sqrt(shape.reduce((a, b) => a * b, 1));
  return { fanIn: root, fanOut: root };
}

/** Keras VarianceScaling (tfjs `VarianceScaling`), filled by nninit. */
export class VarianceScaling extends RandomInitializer {
  static className = "nninit>VarianceScaling";
  readonly scale: number;
  readonly mode: FanMode;
  readonly distribution: Distribution;

  constructor(args?: VarianceScalingArgs) {
    const bag = readArgs(args, ["scale", "mode", "distribution", "seed", "compat"]);
    super(bag);
    this.scale = checkNonNegative(opt("scale"), orDefault(bag, "scale", 1), true);
    this.mode = checkEnum(opt("mode"), orDefault(bag, "mode", "fanIn"), FAN_MODES);
    this.distribution = checkEnum(opt("distribution"), orDefault(bag, "distribution", "normal"), DISTRIBUTIONS);
    if (this.compat === "tfjs" && this.distribution === "untruncatedNormal") {
      throw valueError(opt("distribution"), 'must be one of "normal", "truncatedNormal", "uniform" with compat "tfjs" (as in tfjs)', this.distribution);
    }
  }

  protected fill(out: Float32Array, shape: number[]): void {
    if (this.compat === "tfjs") return this.fillTfjs(out, shape);
    const distribution = this.distribution === "normal" ? "truncatedNormal" : this.distribution;
    varianceScaling(out, shape, { layout: "keras", scale: this.scale, mode: this.mode, distribution, ...this.stream() });
  }

  /** tfjs 4.22's VarianceScaling.apply, distribution for distribution. */
  private fillTfjs(out: Float32Array, shape: number[]): void {
    const { fanIn, fanOut } = tfjsFans(shape);
    const fan = this.mode === "fanIn" ? fanIn : this.mode === "fanOut" ? fanOut : (fanIn + fanOut) / 2;
    const s = this.scale / Math.max(1, fan);
    if (this.distribution === "normal") {
      const std = Math.sqrt(s);
      truncNormal(out, { std, a: -2 * std, b: 2 * std, ...this.stream() });
    } else {
      const limit = Math.sqrt(3 * s);
      uniform(out, { low: -limit, high: limit, ...this.stream() });
    }
  }

  getConfig(): ConfigDict {
    return { scale: this.scale, mode: this.mode, distribution: this.distribution, ...this.streamConfig() };
  }
}

/** A preset: fixed scale, mode and distribution; its config holds only `seed` (and `compat`). */
abstract class Preset extends VarianceScaling {
  protected constructor(args: SeedOnlyInitializerArgs | undefined, scale: number, mode: FanMode, distribution: Distribution) {
    super({ ...readArgs(args, ["seed", "compat"]), scale, mode, distribution });
  }

  override getConfig(): ConfigDict {
    return this.streamConfig();
  }
}

/** Glorot/Xavier uniform: U(±√(6/(fanIn+fanOut))) (tfjs `GlorotUniform`). */
export class GlorotUniform extends Preset {
  static override className = "nninit>GlorotUniform";
  constructor(args?: SeedOnlyInitializerArgs) { super(args, 1, "fanAvg", "uniform"); }
}

/** Glorot/Xavier normal: truncated normal of variance 2/(fanIn+fanOut) (Keras `GlorotNormal`). */
export class GlorotNormal extends Preset {
  static override className = "nninit>GlorotNormal";
  constructor(args?: SeedOnlyInitializerArgs) { super(args, 1, "fanAvg", "normal"); }
}

/** He uniform: U(±√(6/fanIn)) (tfjs `HeUniform`). */
export class HeUniform extends Preset {
  static override className = "nninit>HeUniform";
  constructor(args?: SeedOnlyInitializerArgs) { super(args, 2, "fanIn", "uniform"); }
}

/** He normal: truncated normal of variance 2/fanIn (Keras `HeNormal`). */
export class HeNormal extends Preset {
  static override className = "nninit>HeNormal";
  constructor(args?: SeedOnlyInitializerArgs) { super(args, 2, "fanIn", "normal"); }
}

/** LeCun uniform: U(±√(3/fanIn)) (tfjs `LeCunUniform`). */
export class LeCunUniform extends Preset {
  static override className = "nninit>LeCunUniform";
  constructor(args?: SeedOnlyInitializerArgs) { super(args, 1, "fanIn", "uniform"); }
}

/** LeCun normal: truncated normal of variance 1/fanIn (Keras `LecunNormal`). */
export class LeCunNormal extends Preset {
  static override className = "nninit>LeCunNormal";
  constructor(args?: SeedOnlyInitializerArgs) { super(args, 1, "fanIn", "normal"); }
}

for (const cls of [VarianceScaling, GlorotUniform, GlorotNormal, HeUniform, HeNormal, LeCunUniform, LeCunNormal]) register(cls);
