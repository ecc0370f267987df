/**
 * zeros, ones, constant: tfjs's names and config keys. float32 is filled by nninit; int32 (which
 * tfjs's Zeros/Ones/Constant also produce) by tfjs's own fill.
 */
import { constant } from "../index.js";
import { checkFloat, opt } from "../plan/validate.js";
import { checkDtype, float32Tensor, NninitInitializer, readArgs, readCompat, register, type Compat, type CompatArgs } from "./base.js";
import { tfc, type ConfigDict, type DataType, type Tensor } from "./tf.js";

/** A constant fill: float32 through nninit, int32 through tfjs. */
abstract class Filled extends NninitInitializer {
  protected abstract get fillValue(): number;

  apply(shape: number[], dtype?: DataType): Tensor {
    if (checkDtype(dtype, ["float32", "int32"]) === "int32") return tfc.fill(shape, this.fillValue, "int32");
    const value = this.fillValue;
    // A new Float32Array is already +0 everywhere: writing zeros would only fault its pages in.
    return float32Tensor(shape, Object.is(value, 0) ? () => {} : (out) => constant(out, value));
  }
}

/** Fills with 0 (tfjs `Zeros`). */
export class Zeros extends Filled {
  static className = "nninit>Zeros";
  protected get fillValue(): number { return 0; }
  getConfig(): ConfigDict { return {}; }
}

/** Fills with 1 (tfjs `Ones`). */
export class Ones extends Filled {
  static className = "nninit>Ones";
  protected get fillValue(): number { return 1; }
  getConfig(): ConfigDict { return {}; }
}

/** Arguments of `constant`. */
export interface ConstantArgs extends CompatArgs {
  /** The value of every element (finite, within float32 range; rounded to float32). Required. */
  value: number;
}

/** Fills with `value` (tfjs `Constant`). */
export class Constant extends Filled {
  static className = "nninit>Constant";
  readonly value: number;
  /** Accepted for uniformity; tfjs's Constant has no defect to reproduce. */
  readonly compat: Compat | null;

  constructor(args: ConstantArgs) {
    super();
    const bag = readArgs(args, ["value", "compat"]);
    this.value = checkFloat(opt("value"), bag.value);
    this.compat = readCompat(bag);
  }

  protected get fillValue(): number { return this.value; }

  getConfig(): ConfigDict {
    return this.compat === null ? { value: this.value } : { value: this.value, compat: this.compat };
  }
}

for (const cls of [Zeros, Ones, Constant]) register(cls);
