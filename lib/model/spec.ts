/**
 * Model specs: a list of named tensors {name, shape, init, options, dtype}, validated and
 * normalized once (every check runs before anything is allocated or written).
 */
import { rangeError, typeError, valueError } from "../plan/errors.js";
import { checkInteger, checkShape, resolveDType, shapeSize, type DType, type DTypeName } from "../plan/validate.js";
import { initNames, type InitNames } from "../plan/methods.js";
import { checkName } from "./key.js";
import { MAX_RANK, MAX_TENSORS } from "./limits.js";

/**
 * Initializers a tensor can name (the nninit functions of the same name): the methods marked
 * `init` in the method table (lib/plan/methods.ts), in its order.
 */
export const INITS: Readonly<InitNames> = initNames();
export type InitName = (typeof INITS)[number];

/** A dtype: nninit's names, safetensors' names (F32, F64, BF16, F16) or short ones (f32, bf16, fp16...). */
export { resolveDType, type DTypeName } from "../plan/validate.js";

/** Option values a tensor's init may take (they are recorded in the checkpoint's metadata). */
export type InitOptions = Readonly<Record<string, number | string | boolean>>;

/** One named tensor of a model. */
export interface TensorSpec {
  /** Unique, non-empty name; the tensor's stream key is derived from (seed, name) (docs/stream.md §11). */
  name: string;
  /** Shape, row-major (PyTorch layout for fan-based inits unless options.layout says "keras"). */
  shape: readonly number[];
  /** The initializer, e.g. "normal", "zeros", "kaimingUniform". */
  init: InitName;
  /** Its options (e.g. {std: 0.02}, {value: 0.5} for "constant"), without seed/offset/dtype/threads. */
  options?: InitOptions;
  /** Element type; default: the call's `dtype` option, else float32. */
  dtype?: DTypeName;
  /** Row set to zero after the init (nn.Embedding's padding_idx); 2-D tensors only. */
  paddingIdx?: number;
}

/** A model: tensors plus tied names (an alias that shares another tensor's storage, e.g. lm_head.weight). */
export interface ModelSpec {
  tensors: readonly TensorSpec[];
  /** alias -> tensor name. Aliases are not stored in checkpoints (as Hugging Face's save_pretrained). */
  tied?: Readonly<Record<string, string>>;
}
export type SpecInput = readonly TensorSpec[] | ModelSpec;

/** A validated tensor. */
export interface Tensor {
  name: string;
  shape: readonly number[];
  size: number;
  init: InitName;
  options: InitOptions;
  dtype: DType | undefined;
  paddingIdx: number | undefined;
}

/** A validated model. */
export interface Model {
  tensors: readonly Tensor[];
  byName: ReadonlyMap<string, Tensor>;
  tied: ReadonlyMap<string, string>;
  /** Number of parameters (tied aliases counted once). */
  parameters: number;
}

/** Properties of a model spec object (modelType and parameters are a Preset's, informative). */
const MODEL_KEYS = ["tensors", "tied", "modelType", "parameters"];
const RESERVED = ["seed", "generator", "offset", "dtype", "threads"];
/** Names the safetensors format reserves (a tensor of that name would make a second `__metadata__` key). */
export const RESERVED_NAMES: readonly string[] = ["__metadata__"];
function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function checkInitOptions(options: unknown, what: string): InitOptions {
  if (options === undefined) return Object.freeze({});
  if (!isPlainObject(options)) throw typeError(what, "an object", options);
  // No prototype: an own "__proto__" key stays a key (and is refused as an unknown option by the dry run).
  const copy = Object.create(null) as Record<string, number | string | boolean>;
  for (const [k, v] of Object.entries(options)) {
    if (RESERVED.includes(k)) throw valueError(what, `must not set "${k}" (the model sets it per tensor)`, v);
    if (v === undefined) continue;
    if (typeof v !== "number" && typeof v !== "string" && typeof v !== "boolean") throw typeError(`${what}.${k}`, "a number, string or boolean", v);
    copy[k] = v;
  }
  return Object.freeze(copy);
}

/** A copy of a shape array of at most MAX_RANK dimensions (its length and each element read once). */
function copyShape(shape: unknown, what: string): unknown {
  if (!Array.isArray(shape)) return shape; // checkShape names the type
  const rank = shape.length;
  if (rank > MAX_RANK) throw rangeError(what, `at most ${MAX_RANK} dimensions`, `${rank} dimensions`);
  return Array.from({ length: rank }, (_, i) => shape[i] as unknown);
}

/** A tensor or alias name: well-formed, and not one the format reserves. */
function checkTensorName(name: unknown, what: string): string {
  const checked = checkName(name, what);
  if (RESERVED_NAMES.includes(checked)) throw valueError(what, "must not be a name the safetensors format reserves", checked);
  return checked;
}

function checkTensor(spec: unknown, i: number): Tensor {
  const what = `"spec.tensors[${i}]"`;
  if (!isPlainObject(spec)) throw typeError(what, "a tensor spec {name, shape, init, options?, dtype?}", spec);
  for (const key of Object.keys(spec)) {
    if (!["name", "shape", "init", "options", "dtype", "paddingIdx"].includes(key)) throw valueError(what, `has an unknown property "${key}"`, spec[key]);
  }
  // Each property is read once: a getter cannot pass validation with one value and be used with another.
  const { name: rawName, shape: rawShape, init, options: rawOptions, dtype: rawDType, paddingIdx: rawPadding } = spec;
  const name = checkTensorName(rawName, `${what.slice(0, -1)}.name"`);
  const at = `"${name.length > 80 ? name.slice(0, 77) + "..." : name}"`;
  const shape = Object.freeze(checkShape(copyShape(rawShape, `shape of tensor ${at}`), `shape of tensor ${at}`));
  if (typeof init !== "string" || !(INITS as readonly string[]).includes(init)) {
    throw valueError(`init of tensor ${at}`, `must be one of ${INITS.join(", ")}`, init);
  }
  const options = checkInitOptions(rawOptions, `options of tensor ${at}`);
  const dtype = rawDType === undefined ? undefined : resolveDType(rawDType, `dtype of tensor ${at}`);
  let paddingIdx: number | undefined;
  if (rawPadding !== undefined) {
    if (shape.length !== 2) throw rangeError(`paddingIdx of tensor ${at}`, "set only on a 2-D tensor", rawPadding);
    paddingIdx = checkInteger(`paddingIdx of tensor ${at}`, rawPadding, 0, Math.max(0, shape[0] - 1));
  }
  return Object.freeze({ name, shape, size: shapeSize(shape), init: init as InitName, options, dtype, paddingIdx });
}

/**
 * Validates a spec (a tensor list or {tensors, tied}). `checkInit` validates each tensor's init
 * options (a dry-run fill); it is passed in to keep this module free of fill code.
 */
export function normalizeSpec(spec: unknown, checkInit: (t: Tensor) => void): Model {
  const list = Array.isArray(spec) ? spec : isPlainObject(spec) ? spec.tensors : undefined;
  if (!Array.isArray(list)) throw typeError('"spec" argument', "an array of tensor specs or {tensors, tied?}", spec);
  const count = list.length;
  if (count > MAX_TENSORS) throw rangeError('"spec" argument', `a model of at most ${MAX_TENSORS} tensors`, `${count} tensors`);
  if (isPlainObject(spec)) {
    for (const key of Object.keys(spec)) if (!MODEL_KEYS.includes(key)) throw valueError('"spec" argument', `has an unknown property "${key}"`, spec[key]);
  }
  const byName = new Map<string, Tensor>();
  const tensors: Tensor[] = [];
  for (let i = 0; i < count; i++) {
    const t = checkTensor(list[i], i);
    if (byName.has(t.name)) throw valueError(`"spec.tensors[${i}].name"`, "must be unique", t.name);
    checkInit(t);
    byName.set(t.name, t);
    tensors.push(t);
  }
  const tied = new Map<string, string>();
  const rawTied = isPlainObject(spec) ? spec.tied : undefined;
  if (rawTied !== undefined) {
    if (!isPlainObject(rawTied)) throw typeError('"spec.tied"', "an object {alias: tensor name}", rawTied);
    for (const [alias, target] of Object.entries(rawTied)) {
      checkTensorName(alias, '"spec.tied" alias');
      if (byName.has(alias)) throw valueError('"spec.tied" alias', "must not be the name of a tensor of the spec", alias);
      if (typeof target !== "string" || !byName.has(target)) throw valueError(`"spec.tied[${JSON.stringify(alias)}]"`, "must name a tensor of the spec", target);
      tied.set(alias, target);
    }
  }
  const parameters = tensors.reduce((sum, t) => sum + t.size, 0);
  return { tensors, byName, tied, parameters };
}
