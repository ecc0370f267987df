/**
 * randomUniform, randomNormal, truncatedNormal: tfjs's names, config keys and defaults (Keras's:
 * ±0.05, stddev 0.05), filled by nninit. Where tfjs reads an argument with `args.x || DEFAULT`
 * (minval, maxval, stddev: a 0 becomes the default) nninit honours the 0; `compat: "tfjs"`
 * restores tfjs's reading. docs/tfjs.md lists each difference.
 */
import { constant, normal, truncNormal, uniform } from "../index.js";
import { rangeError } from "../plan/errors.js";
import { checkFloat, checkNonNegative, opt } from "../plan/validate.js";
import { orDefault, RandomInitializer, readArgs, register, type SeedOnlyInitializerArgs } from "./base.js";
import type { ConfigDict } from "./tf.js";

/** Keras's (and tfjs's) default bounds of RandomUniform and std of RandomNormal/TruncatedNormal. */
const DEFAULT_SPREAD = 0.05;

/** Arguments of `randomUniform`. */
export interface RandomUniformArgs extends SeedOnlyInitializerArgs {
  /** Lower bound (inclusive). Default -0.05; 0 means 0 (tfjs reads 0 as -0.05 unless `compat: "tfjs"`). */
  minval?: number;
  /** Upper bound, >= minval. Default 0.05; 0 means 0 (tfjs reads 0 as 0.05 unless `compat: "tfjs"`). */
  maxval?: number;
}

/** U(minval, maxval) (tfjs/Keras `RandomUniform`). */
export class RandomUniform extends RandomInitializer {
  static className = "nninit>RandomUniform";
  readonly minval: number;
  readonly maxval: number;

  constructor(args?: RandomUniformArgs) {
    const bag = readArgs(args, ["minval", "maxval", "seed", "compat"]);
    super(bag);
    this.minval = checkFloat(opt("minval"), orDefault(bag, "minval", -DEFAULT_SPREAD));
    this.maxval = checkFloat(opt("maxval"), orDefault(bag, "maxval", DEFAULT_SPREAD));
    const [lo, hi] = this.bounds();
    if (!(lo <= hi)) throw rangeError(opt("maxval"), `>= "minval" (${lo})`, hi);
  }

  /** The bounds drawn from: tfjs reads 0 as the default (`args.minval || -0.05`) under compat. */
  private bounds(): [number, number] {
    if (this.compat !== "tfjs") return [this.minval, this.maxval];
    return [this.minval || -DEFAULT_SPREAD, this.maxval || DEFAULT_SPREAD];
  }

  protected fill(out: Float32Array): void {
    const [low, high] = this.bounds();
    uniform(out, { low, high, ...this.stream() });
  }

  getConfig(): ConfigDict {
    return { minval: this.minval, maxval: this.maxval, ...this.streamConfig() };
  }
}

/** Arguments of `randomNormal` and `truncatedNormal`. */
export interface RandomNormalArgs extends SeedOnlyInitializerArgs {
  /** Mean. Default 0. */
  mean?: number;
  /**
   * Standard deviation (of the normal before truncation, for truncatedNormal), >= 0. Default 0.05;
   * 0 gives the constant `mean` (tfjs reads 0 as 0.05 unless `compat: "tfjs"`).
   */
  stddev?: number;
}
/** Arguments of `truncatedNormal`. */
export type TruncatedNormalArgs = RandomNormalArgs;

/** Shared by RandomNormal and TruncatedNormal. */
abstract class NormalFamily extends RandomInitializer {
  readonly mean: number;
  readonly stddev: number;

  constructor(args: RandomNormalArgs | undefined) {
    const bag = readArgs(args, ["mean", "stddev", "seed", "compat"]);
    super(bag);
    this.mean = checkFloat(opt("mean"), orDefault(bag, "mean", 0));
    this.stddev = checkNonNegative(opt("stddev"), orDefault(bag, "stddev", DEFAULT_SPREAD));
  }

  /** The std drawn with: tfjs reads 0 as 0.05 (`args.stddev || 0.05`) under compat. */
  protected std(): number {
    return this.compat === "tfjs" ? this.stddev || DEFAULT_SPREAD : this.stddev;
  }

  getConfig(): ConfigDict {
    return { mean: this.mean, stddev: this.stddev, ...this.streamConfig() };
  }
}

/** N(mean, stddev²) (tfjs/Keras `RandomNormal`). */
export class RandomNormal extends NormalFamily {
  static className = "nninit>RandomNormal";
  constructor(args?: RandomNormalArgs) { super(args); }

  protected fill(out: Float32Array): void {
    normal(out, { mean: this.mean, std: this.std(), ...this.stream() });
  }
}

/** N(mean, stddev²) restricted to mean ± 2·stddev (tfjs/Keras `TruncatedNormal`; stddev is before truncation). */
export class TruncatedNormal extends NormalFamily {
  static className = "nninit>TruncatedNormal";
  constructor(args?: TruncatedNormalArgs) { super(args); }

  protected fill(out: Float32Array): void {
    const std = this.std();
    const a = this.mean - 2 * std;
    const b = this.mean + 2 * std;
    if (!(a < b)) constant(out, this.mean); // stddev 0 (or below the mean's resolution): the constant mean
    else truncNormal(out, { mean: this.mean, std, a, b, ...this.stream() });
  }
}

for (const cls of [RandomUniform, RandomNormal, TruncatedNormal]) register(cls);
