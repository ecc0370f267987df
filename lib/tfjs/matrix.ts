/**
 * identity and orthogonal: the matrix initializers. nninit's core has no matrix methods yet (eye,
 * orthogonal via QR: a later issue); until then both are computed here, and `Orthogonal` is TO BE
 * REPLACED by the core's orthogonal when it lands (it only needs the same Haar distribution).
 *
 * Orthogonal follows Keras/tfjs: a weight of shape [...rest, cols] is flattened to rows×cols with
 * rows = ∏rest; a normal matrix of shape [max, min] gets its sign-corrected Q; wide weights take
 * Qᵀ (orthonormal rows); the result times `gain`. Fewer than 2 dimensions is an error, as in tfjs.
 */
import { normal } from "../index.js";
import { rangeError } from "../plan/errors.js";
import { arg, checkFloat, checkShape, opt } from "../plan/validate.js";
import { checkDtype, float32Tensor, NninitInitializer, orDefault, RandomInitializer, readArgs, readCompat, register, type Compat, type CompatArgs, type SeedOnlyInitializerArgs } from "./base.js";
import { orthonormalFactor } from "./householder.js";
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
    return float32Tensor(dims, (out) => {
      const [rows, cols] = dims;
      for (let i = 0, n = Math.min(rows, cols); i < n; i++) out[i * cols + i] = this.gain;
    });
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
    const cols = shape[shape.length - 1];
    const rows = out.length / cols;
    const m = Math.max(rows, cols);
    const n = Math.min(rows, cols);
    const a = normal(new Float64Array(m * n), this.stream()); // float32 normals, widened exactly
    const q = orthonormalFactor(a, m, n); // column-major m×n
    if (rows >= cols) {
      for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[i * cols + j] = this.gain * q[j * m + i];
    } else {
      // wide: Qᵀ (rows×cols, row r = column r of Q), i.e. the column-major buffer read row-major
      for (let k = 0; k < out.length; k++) out[k] = this.gain * q[k];
    }
  }

  getConfig(): ConfigDict {
    return { gain: this.gain, ...this.streamConfig() };
  }
}

for (const cls of [Identity, Orthogonal]) register(cls);
