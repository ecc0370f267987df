/**
 * identity and orthogonal: the matrix initializers, thin wrappers over the core's `eye` and
 * `orthogonal` (lib/api/eye.ts, lib/api/orthogonal.ts).
 *
 * Orthogonal follows Keras/tfjs: a weight of shape [...rest, cols] is flattened to rows×cols with
 * rows = ∏rest (the core's layout "keras"); a normal matrix of shape [max, min] gets its
 * sign-corrected Q; wide weights take Qᵀ (orthonormal rows); the result times `gain`. Fewer than
 * 2 dimensions is an error, as in tfjs.
 */
import { eye, orthogonal } from "../index.js";
import { rangeError } from "../plan/errors.js";
import { arg, checkFloat, checkShape, opt } from "../plan/validate.js";
import { checkDtype, float32Tensor, NninitInitializer, orDefault, RandomInitializer, readArgs, readCompat, register, type Compat, type CompatArgs, type SeedOnlyInitializerArgs } from "./base.js";
import type { ConfigDict, DataType, Tensor } from "./tf.js";

/** Arguments of `identity`. */
export interface IdentityArgs extends CompatArgs {
  /** Multiplies the identity (rounded to float32). Default 1. */
  gain?: number;
}

/** gain · I for a 2-D weight [rows, cols] (ones on the main diagonal; rectangular allowed, as Keras). */
export class Identity extends NninitInitializer {
  static className = "nninit>Identity";
  readonly gain: number;
  /** Accepted for uniformity; tfjs's Identity has no defect to reproduce. */
  readonly compat: Compat | null;

  constructor(args?: IdentityArgs) {
    super();
    const bag = readArgs(args, ["gain", "compat"]);
    this.gain = checkFloat(opt("gain"), orDefault(bag, "gain", 1));
    this.compat = readCompat(bag);
  }

  apply(shape: number[], dtype?: DataType): Tensor {
    checkDtype(dtype, ["float32"]);
    const dims = checkShape(shape, arg("shape"));
    if (dims.length !== 2) throw rangeError(arg("shape"), "2-D for the identity initializer", dims);
    return float32Tensor(dims, (out) => eye(out, dims, { gain: this.gain }));
  }

  getConfig(): ConfigDict {
    return this.compat === null ? { gain: this.gain } : { gain: this.gain, compat: this.compat };
  }
}

/** Arguments of `orthogonal`. */
export interface OrthogonalArgs extends SeedOnlyInitializerArgs {
  /** Multiplies the orthogonal matrix. Default 1. */
  gain?: number;
}

/** A (semi-)orthogonal matrix times `gain`, Haar-distributed (tfjs/Keras `Orthogonal`). */
export class Orthogonal extends RandomInitializer {
  static className = "nninit>Orthogonal";
  readonly gain: number;

  constructor(args?: OrthogonalArgs) {
    const bag = readArgs(args, ["gain", "seed", "compat"]);
    super(bag);
    this.gain = checkFloat(opt("gain"), orDefault(bag, "gain", 1));
  }

  override apply(shape: number[], dtype?: DataType): Tensor {
    const dims = checkShape(shape, arg("shape"));
    if (dims.length < 2) throw rangeError(arg("shape"), "at least 2-D for the orthogonal initializer (as tfjs)", dims);
    return super.apply(dims, dtype);
  }

  protected fill(out: Float32Array, shape: number[]): void {
    orthogonal(out, shape, { gain: this.gain, layout: "keras", ...this.stream() });
  }

  getConfig(): ConfigDict {
    return { gain: this.gain, ...this.streamConfig() };
  }
}

for (const cls of [Identity, Orthogonal]) register(cls);
