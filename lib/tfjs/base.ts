/**
 * The base classes of every nninit/tfjs initializer: argument reading, the `seed` and `compat`
 * options, `apply` (fill a Float32Array with nninit, wrap it in a tf.Tensor without a copy) and
 * registration with tfjs's serialization under the package name "nninit" (docs/tfjs.md).
 *
 * Class names. tfjs-layers deserializes by the static `className` alone (its classNameMap, keyed
 * by `cls.className`; the "pkg>name" key of `serialization.registerClass(cls, pkg, name)` is kept
 * but not consulted by tfjs-layers 4.22). So every class here has className "nninit>Name", which
 * cannot collide with tfjs's own "Name", and is registered as ("nninit", "Name"): its registered
 * name is then the same string, in Keras 3's "package>Name" form.
 */
import { checkEnum, checkInteger, checkShape, arg, opt, readOptions, shapeSize } from "../plan/validate.js";
import { InitializerBase, tfc, type ConfigDict, type DataType, type Serializable, type SerializableConstructor, type Tensor } from "./tf.js";

/** The package part of every registered class name. */
export const PACKAGE = "nninit";

export const COMPATS = ["tfjs"] as const;
/** `"tfjs"`: reproduce TensorFlow.js's distributions, defects included (docs/tfjs.md). */
export type Compat = (typeof COMPATS)[number];

/** The `compat` option, shared by every initializer that takes arguments. */
export interface CompatArgs {
  /**
   * `"tfjs"` draws from the distribution TensorFlow.js 4.22 would use for the same arguments,
   * defects included (uncorrected truncated normals, `minval: 0` read as -0.05, ...): for runs
   * that must match old tfjs runs statistically. The values still come from nninit's stream, so
   * they never equal tfjs's. Default: unset (the correct distributions). See docs/tfjs.md.
   */
  compat?: Compat | null;
}

/** Arguments of the initializers that only take a seed (Glorot, He, LeCun). */
export interface SeedOnlyInitializerArgs extends CompatArgs {
  /**
   * The nninit stream seed: a non-negative safe integer (`seed: 0` is a seed, unlike in tfjs).
   * Every apply with the same seed and shape gives the same values, as in tfjs. Default: unset,
   * each apply takes a fresh key from nninit's `defaultGenerator` (replayable with `manualSeed`).
   */
  seed?: number | null;
}

/** Reads an args object: unknown keys are errors (they list the valid ones); null means unset. */
export function readArgs(args: unknown, known: readonly string[]): Record<string, unknown> {
  const bag = readOptions(args, known, "args");
  for (const key of Object.keys(bag)) if (bag[key] === null) delete bag[key];
  return bag;
}

/** The `compat` option: null when unset. */
export function readCompat(bag: Record<string, unknown>): Compat | null {
  return bag.compat === undefined ? null : checkEnum(opt("compat"), bag.compat, COMPATS);
}

/** A value, or `fallback` when unset. */
export function orDefault<T>(bag: Record<string, unknown>, key: string, fallback: T): unknown {
  return bag[key] === undefined ? fallback : bag[key];
}

/** Builds a Float32 tensor of `shape` whose values `fill` writes (the array becomes the tensor's storage). */
export function float32Tensor(shape: readonly number[], fill: (out: Float32Array, shape: number[]) => void): Tensor {
  const dims = checkShape(shape, arg("shape"));
  const out = new Float32Array(shapeSize(dims));
  if (out.length > 0) fill(out, dims);
  return tfc.tensor(out, dims, "float32");
}

/** Checks apply's `dtype` against the types an initializer produces (undefined means float32). */
export function checkDtype<T extends DataType>(dtype: DataType | undefined, valid: readonly T[]): T {
  return checkEnum(arg("dtype"), dtype ?? "float32", valid);
}

/** Base of every nninit initializer: a tfjs-layers `Initializer` that tfjs can (de)serialize. */
export abstract class NninitInitializer extends InitializerBase {
  /** tfjs-layers adds `customObjects` to the config it hands to fromConfig; nninit takes none. */
  static override fromConfig<T extends Serializable>(cls: SerializableConstructor<T>, config: ConfigDict): T {
    const { customObjects: _ignored, ...rest } = config;
    return new cls(rest);
  }

  abstract override getConfig(): ConfigDict;
}

/** Base of the random initializers: the `seed` and `compat` options. */
export abstract class RandomInitializer extends NninitInitializer {
  /** The nninit seed, or null: each apply then takes a key from `defaultGenerator`. */
  readonly seed: number | null;
  /** "tfjs" to reproduce tfjs's distributions, or null. */
  readonly compat: Compat | null;

  protected constructor(bag: Record<string, unknown>) {
    super();
    this.seed = bag.seed === undefined ? null : checkInteger(opt("seed"), bag.seed, 0);
    this.compat = readCompat(bag);
  }

  /** The fill option that selects the stream: `{seed}`, or nothing (defaultGenerator). */
  protected stream(): { seed?: number } {
    return this.seed === null ? {} : { seed: this.seed };
  }

  /** `{seed, compat?}`: `seed: null` when unset (as tfjs's JSON has it); `compat` only when set. */
  protected streamConfig(): ConfigDict {
    return this.compat === null ? { seed: this.seed } : { seed: this.seed, compat: this.compat };
  }

  /** Fills `out` (float32, at least one element) for a weight of `shape`. */
  protected abstract fill(out: Float32Array, shape: number[]): void;

  apply(shape: number[], dtype?: DataType): Tensor {
    checkDtype(dtype, ["float32"]);
    return float32Tensor(shape, (out, dims) => this.fill(out, dims));
  }
}

/** Registers `cls` (className "nninit>Name") with tfjs's serialization, as ("nninit", "Name"). */
export function register<T extends Serializable>(cls: SerializableConstructor<T>): void {
  const prefix = `${PACKAGE}>`;
  if (!cls.className.startsWith(prefix)) throw new Error(`internal: className ${cls.className} lacks "${prefix}"`);
  tfc.serialization.registerClass(cls, PACKAGE, cls.className.slice(prefix.length));
}
