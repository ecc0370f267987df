/**
 * Filling the tensors of a model: each tensor is one logical stream keyed by tensorKey(seed, name)
 * (docs/stream.md §11); any element range of it is a plain offset fill of that stream.
 */
import {
  constant, kaimingNormal, kaimingUniform, lecunNormal, lecunUniform, normal, truncNormal, uniform,
  varianceScaling, xavierNormal, xavierUniform, type Seed,
} from "../index.js";
import { checkSeed } from "../api/generator.js";
import { valueError } from "../plan/errors.js";
import { methodInfo, type FillMethod, type MethodNamesOf } from "../plan/methods.js";
import { checkInteger, MAX_THREADS, naturalDType, readOptions, type DType, type OutArray } from "../plan/validate.js";
import { tensorKey } from "./key.js";
import { normalizeSpec, resolveDType, type DTypeName, type InitName, type Model, type SpecInput, type Tensor } from "./spec.js";

/** Options of model-level fills. */
export interface ModelFillOptions {
  /** The model's seed (a safe integer >= 0 or a bigint < 2^64); each tensor's key is tensorKey(seed, name). */
  seed: Seed;
  /** dtype of tensors whose spec names none. Default float32. */
  dtype?: DTypeName;
  /** Threads for the native backend. */
  threads?: number;
}

type Common = { seed: bigint; offset: number; dtype: DType; threads?: number };
// The public overloads tie out's array type to `dtype` when the array type is static; here both come
// from the spec at run time (resolved together, checked again by checkOut), so the records below
// take the untied form and the `constant` call casts its arguments (`as never`: a cast of the
// callee would change the emitted call).
type AnyOptions = Record<string, unknown>;
type FanInit = InitName & MethodNamesOf<"fan">;
type PlainInit = InitName & MethodNamesOf<"elementwise">;
// Which call an init makes comes from its family in the method table (lib/plan/methods.ts); these
// records name each init's function (explicit imports keep the bundle tree-shakable) and are
// checked complete by their types: an init of the table missing here does not compile. The
// constant family needs no record: it is `constant` with the table's value (zeros 0, ones 1) or
// the tensor's options.value. The init options were validated by a dry run (checkInit), so the
// casts below only widen types.
const FAN: { readonly [K in FanInit]: (out: OutArray, shape: readonly number[], o: AnyOptions) => OutArray } = {
  xavierUniform, xavierNormal, kaimingUniform, kaimingNormal, lecunUniform, lecunNormal, varianceScaling,
};
const PLAIN: { readonly [K in PlainInit]: (out: OutArray, o: AnyOptions) => OutArray } = { normal, uniform, truncNormal };
/** No matrix method is an init (a tensor's range is an offset fill of one stream): a table entry making one so does not compile. */
const NO_MATRIX_INIT: [Extract<InitName, MethodNamesOf<"matrix">>] extends [never] ? true : never = true;
void NO_MATRIX_INIT;

/** The table entry of a validated init name. */
const methodOf = (init: InitName): FillMethod => methodInfo(init) as FillMethod;

/** Fills `out` with elements [offset, offset + out.length) of tensor `t` of the model with key `key`. */
export function fillRange(t: Tensor, out: OutArray, key: bigint, offset: number, dtype: DType, threads?: number): OutArray {
  const common: Common = threads === undefined ? { seed: key, offset, dtype } : { seed: key, offset, dtype, threads };
  const m = methodOf(t.init);
  if (m.family === "constant") {
    constant(out as never, m.value ?? (t.options.value as number), { dtype, offset } as never); // untied: see AnyOptions
  } else if (m.family === "fan") {
    FAN[t.init as FanInit](out, t.shape, { ...t.options, ...common });
  } else {
    PLAIN[t.init as PlainInit](out, { ...t.options, ...common });
  }
  if (t.paddingIdx !== undefined) {
    const row = t.shape[1];
    const from = Math.max(t.paddingIdx * row, offset);
    const to = Math.min((t.paddingIdx + 1) * row, offset + out.length);
    if (from < to) out.fill(0, from - offset, to - offset); // +0 is +0 in every dtype
  }
  return out;
}

/** Validates a tensor's init and options with a zero-length dry run. */
export function checkInit(t: Tensor): void {
  // A constant-family init takes only its value (constant: options.value; zeros/ones: nothing);
  // the others' options are checked by the dry run below.
  const m = methodOf(t.init);
  const allowed = m.family !== "constant" ? null : m.operand === "value" ? ["value"] : [];
  const bad = allowed === null ? undefined : Object.keys(t.options).find((k) => !allowed.includes(k));
  if (bad !== undefined) throw valueError(`options of tensor "${t.name}"`, `has an unknown option "${bad}" for init "${t.init}"`, t.options[bad]);
  if (m.operand === "value" && t.options.value === undefined) throw valueError(`options of tensor "${t.name}"`, `must set "value" for init "${t.init}"`, undefined);
  try {
    fillRange({ ...t, paddingIdx: undefined }, new Float32Array(0), 0n, 0, "float32");
  } catch (err) {
    if (err instanceof Error) err.message = `Tensor "${t.name}" (init ${t.init}): ${err.message}`;
    throw err;
  }
}

/** Validates and normalizes a spec (see spec.ts). */
export function defineModel(spec: SpecInput): Model {
  return normalizeSpec(spec, checkInit);
}

/** A new zeroed array for `n` elements of `dtype`. */
export function allocate(dtype: DType, n: number): OutArray {
  return dtype === "float32" ? new Float32Array(n) : dtype === "float64" ? new Float64Array(n) : new Uint16Array(n);
}

/** The tensor called `name`, or a RangeError listing a few names. Follows `tied` aliases. */
export function findTensor(model: Model, name: unknown): Tensor {
  const key = typeof name === "string" ? model.tied.get(name) ?? name : undefined;
  const t = key === undefined ? undefined : model.byName.get(key);
  if (t === undefined) {
    const some = model.tensors.slice(0, 3).map((x) => x.name).join(", ");
    throw valueError('"name" argument', `must name a tensor of the spec (e.g. ${some})`, name);
  }
  return t;
}

/** Reads the common options of model-level calls. */
export function modelOptions(options: unknown, extra: readonly string[] = []): { seed: bigint; dtype: DType | undefined; threads: number | undefined; bag: Record<string, unknown> } {
  const bag = readOptions(options, ["seed", "dtype", "threads", ...extra]);
  if (bag.seed === undefined) throw valueError('"seed" option', "is required for a model (each tensor's key is derived from it)", undefined);
  const seed = checkSeed('"seed" option', bag.seed);
  const dtype = bag.dtype === undefined ? undefined : resolveDType(bag.dtype);
  const threads = bag.threads === undefined ? undefined : checkInteger('"threads" option', bag.threads, 1, MAX_THREADS);
  return { seed, dtype, threads, bag };
}

/**
 * Initializes every tensor of `spec`: returns a Map name -> array (Float32Array, Float64Array,
 * or Uint16Array for bfloat16/float16), in spec order; a tied alias maps to its target's array.
 * @example initModel([{ name: "w", shape: [4, 3], init: "normal", options: { std: 0.02 } }], { seed: 1 })
 */
export function initModel(spec: SpecInput, options: ModelFillOptions): Map<string, OutArray> {
  const model = defineModel(spec);
  const { seed, dtype, threads } = modelOptions(options);
  const out = new Map<string, OutArray>();
  for (const t of model.tensors) {
    const dt = t.dtype ?? dtype ?? "float32";
    out.set(t.name, fillRange(t, allocate(dt, t.size), tensorKey(seed, t.name), 0, dt, threads));
  }
  for (const [alias, target] of model.tied) out.set(alias, out.get(target) as OutArray);
  return out;
}

/** Options of `fillTensor`. */
export interface FillTensorOptions extends ModelFillOptions {
  /** Index of out[0] in the flattened tensor. Default 0. */
  offset?: number;
}

/**
 * Fills `out` with elements [offset, offset + out.length) of tensor `name` of the model — the same
 * values as that slice of initModel(spec, {seed}).get(name), bit for bit.
 */
export function fillTensor<T extends OutArray>(spec: SpecInput, name: string, out: T, options: FillTensorOptions): T {
  const model = defineModel(spec);
  const t = findTensor(model, name);
  const { seed, dtype, threads, bag } = modelOptions(options, ["offset"]);
  const offset = bag.offset === undefined ? 0 : checkInteger('"offset" option', bag.offset, 0, t.size);
  if (offset + out.length > t.size) throw valueError('"out" argument', `must fit in tensor "${t.name}" (${t.size} elements) from offset ${offset}`, `length ${out.length}`);
  const natural: DType | undefined = naturalDType(out);
  const dt = dtype ?? t.dtype ?? natural;
  if (dt === undefined) throw valueError('"dtype" option', `is required for a Uint16Array (tensor "${t.name}" names no dtype)`, undefined);
  return fillRange(t, out, tensorKey(seed, t.name), offset, dt, threads) as T;
}
