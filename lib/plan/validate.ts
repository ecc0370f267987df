/**
 * Argument validation. Every public function validates everything here before a single element
 * is written; each check throws a TypeError/RangeError naming the argument and the bad value.
 */
import { types } from "node:util";
import { rangeError, typeError, valueError } from "./errors.js";

export const DTYPES = ["float32", "float64", "bfloat16", "float16"] as const;
/** The element type written into `out`. */
export type DType = (typeof DTYPES)[number];
/** The names of float32 (a Float32Array's dtype): nninit's, safetensors' and the short ones. */
export type Float32Name = "float32" | "F32" | "f32" | "fp32";
/** The names of float64 (a Float64Array's dtype). */
export type Float64Name = "float64" | "F64" | "f64" | "fp64";
/** The names of bfloat16 (held in a Uint16Array). */
export type BFloat16Name = "bfloat16" | "BF16" | "bf16";
/** The names of float16 (held in a Uint16Array). */
export type Float16Name = "float16" | "F16" | "f16" | "fp16";
/** A dtype as any entry point takes it: nninit's names, safetensors' (F32, BF16...) and the short ones (f32, bf16, fp16...). */
export type DTypeName = Float32Name | Float64Name | BFloat16Name | Float16Name;
// `satisfies`: the table has exactly the names of the four types above, each resolving to its dtype
// (a name missing here, one too many or a wrong target does not compile), so the types of the
// public signatures (lib/api/signatures.ts) accept the names the run time accepts.
const DTYPE_ALIASES: Readonly<Record<string, DType>> = Object.assign(Object.create(null) as Record<string, DType>, {
  float32: "float32", F32: "float32", f32: "float32", fp32: "float32",
  float64: "float64", F64: "float64", f64: "float64", fp64: "float64",
  bfloat16: "bfloat16", BF16: "bfloat16", bf16: "bfloat16",
  float16: "float16", F16: "float16", f16: "float16", fp16: "float16",
} satisfies Record<Float32Name, "float32"> & Record<Float64Name, "float64"> & Record<BFloat16Name, "bfloat16"> & Record<Float16Name, "float16">);
const DTYPE_LIST = "float32, float64, bfloat16, float16 (or F32, BF16, f16, ...)";

/** Resolves a dtype name (see DTypeName) to nninit's DType: a TypeError for a non-string, a RangeError for an unknown name. */
export function resolveDType(value: unknown, what = '"dtype" option'): DType {
  if (typeof value === "string" && Object.hasOwn(DTYPE_ALIASES, value)) return DTYPE_ALIASES[value];
  if (typeof value !== "string") throw typeError(what, `one of the strings ${DTYPE_LIST}`, value);
  throw valueError(what, `must be one of ${DTYPE_LIST}`, value);
}
/** The arrays nninit fills. */
export type OutArray = Float32Array | Float64Array | Uint16Array;

export const arg = (name: string): string => `"${name}" argument`;
export const opt = (name: string): string => `"${name}" option`;

/** The largest finite float32. */
export const F32_MAX = 3.4028234663852886e38;
/**
 * The most threads a `threads` option or the CLI's `--threads` may ask for: the native bound,
 * kMaxThreads in native/core/types.h (NNINIT_THREADS has the same bound, lib/backend/select.ts).
 */
export const MAX_THREADS = 1024;

// ---- intrinsics ---------------------------------------------------------------------------------
// Captured once, when this module loads, so that no getter, method or Proxy trap that user code
// puts on an argument (its own properties, its class, its prototype) runs in a check. Replacing
// the built-ins themselves, globally, before nninit loads is out of scope.
const call = Function.prototype.call;
/** `fn` as a function of its receiver: fn.call(self, ...args), bound now (later changes to Function.prototype.call do not matter). */
export const uncurry = <A extends unknown[], R>(fn: (...args: A) => R): ((self: unknown, ...args: A) => R) =>
  call.bind(fn as (...args: unknown[]) => unknown) as unknown as (self: unknown, ...args: A) => R;
const getter = <R>(proto: object, key: PropertyKey): ((self: unknown) => R) =>
  uncurry((Reflect.getOwnPropertyDescriptor(proto, key) as PropertyDescriptor).get as () => R);
const TypedArrayPrototype = Object.getPrototypeOf(Uint8Array.prototype) as object;
/** The [[TypedArrayName]] of a real typed array ("Float32Array", ...); undefined for anything else (a Proxy too). */
export const typedArrayName = getter<string | undefined>(TypedArrayPrototype, Symbol.toStringTag);
/** The true element count of a real typed array (0 when detached or out of bounds). */
export const typedArrayLength = getter<number>(TypedArrayPrototype, "length");
export const typedArrayBuffer = getter<ArrayBufferLike>(TypedArrayPrototype, "buffer");
export const typedArrayByteOffset = getter<number>(TypedArrayPrototype, "byteOffset");
const arrayBufferByteLength = getter<number>(ArrayBuffer.prototype, "byteLength");
const { getPrototypeOf, getOwnPropertyNames, hasOwn } = Object;
const { getOwnPropertyDescriptor } = Reflect;
const ObjectPrototype = Object.prototype;
const isPrototypeOf = uncurry(Object.prototype.isPrototypeOf as (v: unknown) => boolean);
const F32 = Float32Array;
const F64 = Float64Array;
const U16 = Uint16Array;
const U8 = Uint8Array;
/**
 * Native checks (no trap, getter or user code runs). Typed explicitly so that the declarations
 * (dist/*.d.ts) do not import node:util: a consumer without @types/node must type-check.
 */
export const isProxy: (value: unknown) => boolean = types.isProxy;
export const isSharedArrayBuffer: (value: unknown) => value is SharedArrayBuffer = types.isSharedArrayBuffer;

/** A TypeError with Node's code whose "Received" part is given as text (for values describe() would misname). */
export function lookalikeError(name: string, expected: string, received: string): TypeError {
  const err = new TypeError(`The ${name} must be ${expected}. Received ${received}`);
  Object.defineProperty(err, "code", { value: "ERR_INVALID_ARG_TYPE", enumerable: true, writable: true, configurable: true });
  return err;
}

// ---- options ------------------------------------------------------------------------------------
/**
 * Whether `proto` makes an object plain: null, Object.prototype, or another realm's Object.prototype
 * (an object literal from a vm context): the end of its chain and its own constructor's prototype.
 */
function isPlainPrototype(proto: object | null): boolean {
  if (proto === ObjectPrototype || proto === null) return true;
  if (getPrototypeOf(proto) !== null) return false;
  const ctor = getOwnPropertyDescriptor(proto, "constructor")?.value as unknown;
  return typeof ctor === "function" && getOwnPropertyDescriptor(ctor, "prototype")?.value === proto && getOwnPropertyDescriptor(ctor, "name")?.value === "Object";
}

/**
 * Reads an options bag: undefined/null gives {}. The options are the own string-keyed properties
 * of a plain object (prototype Object.prototype or null), enumerable or not, each read once here
 * (a getter runs once, before `out` is looked at). Anything else is a TypeError naming `name`: a
 * non-object, an array, and every object with another prototype (a class instance,
 * Object.create(defaults), a Map): nninit reads neither inherited properties nor map entries, and
 * refuses them rather than fill with options it silently ignored. Unknown names are a RangeError
 * listing the valid ones.
 */
export function readOptions(options: unknown, known: readonly string[], name = "options"): Record<string, unknown> {
  if (options === undefined || options === null) return {};
  if (typeof options !== "object") throw typeError(arg(name), "an object", options);
  if (isRevoked(options)) throw lookalikeError(arg(name), "a plain object", "a revoked Proxy");
  if (Array.isArray(options)) throw typeError(arg(name), "an object", options);
  if (!isPlainPrototype(getPrototypeOf(options) as object | null)) throw notPlainError(options, known, name);
  const bag: Record<string, unknown> = {};
  const keys = getOwnPropertyNames(options);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (!known.includes(key)) {
      throw valueError(arg(name), `has an unknown option "${key}" (valid: ${known.join(", ")})`, (options as Record<string, unknown>)[key]);
    }
    bag[key] = (options as Record<string, unknown>)[key];
  }
  return bag;
}

function notPlainError(options: object, known: readonly string[], name: string): TypeError {
  const inherited = options instanceof Map || options instanceof WeakMap ? undefined : known.find((k) => !hasOwn(options, k) && k in options);
  const unread = options instanceof Map || options instanceof WeakMap ? "map entries"
    : inherited !== undefined ? `inherited properties (here "${inherited}")` : "inherited properties";
  return typeError(arg(name), `a plain object (prototype Object.prototype or null): the options are its own properties, ${unread} are not read`, options);
}

// ---- out ----------------------------------------------------------------------------------------
/** `out` as validated: a fresh view of its memory (the only object a fill touches), its dtype and length. */
export interface CheckedOut<T extends OutArray = OutArray> {
  /**
   * A new Float32Array/Float64Array/Uint16Array over exactly out's elements, fixed-length, built
   * from out's internal slots: no getter, method or trap of the caller's object runs in the fill,
   * and a length-tracking `out` is filled over the elements it had when it was checked.
   */
  view: T;
  dtype: DType;
  length: number;
}

/**
 * Checks `out` and the `dtype` option together. `out` is read once, through the built-in
 * typed-array getters: its true type, length, buffer and offset (a subclass's or an own
 * `length`/`buffer` getter is never called); a Proxy, or an object that only inherits from a
 * typed array's prototype, is a TypeError. Call it after every argument that can run user code
 * (options getters, shape elements, Proxies) has been read: nothing of the caller's runs after
 * it until the fill has been handed to the backend.
 */
export function checkOut<T extends OutArray>(out: T, dtype: unknown): CheckedOut<T> {
  const type = typedArrayName(out);
  const natural: DType | undefined = type === "Float32Array" ? "float32" : type === "Float64Array" ? "float64" : undefined;
  if (natural === undefined && type !== "Uint16Array") throw outTypeError(out, type, "out");
  const length = typedArrayLength(out);
  const buffer = typedArrayBuffer(out);
  if (length === 0 && isDetachedBuffer(buffer)) {
    throw rangeError(arg("out"), "backed by an attached ArrayBuffer (it was transferred or detached)", `a detached ${type}`);
  }
  let dt: DType;
  if (dtype === undefined) {
    if (natural === undefined) throw valueError(opt("dtype"), `is required for a Uint16Array ("bfloat16" or "float16")`, dtype);
    dt = natural;
  } else {
    dt = resolveDType(dtype, opt("dtype"));
    if (natural !== undefined ? dt !== natural : dt !== "bfloat16" && dt !== "float16") {
      throw valueError(opt("dtype"), `does not match the array type of "out" (${type} holds ${natural ?? "bfloat16 | float16"})`, dtype);
    }
  }
  const offset = typedArrayByteOffset(out);
  const view = natural === "float32" ? new F32(buffer, offset, length) : natural === "float64" ? new F64(buffer, offset, length) : new U16(buffer, offset, length);
  return { view: view as T, dtype: dt, length };
}

/**
 * The dtype an array's type implies: "float32" (Float32Array), "float64" (Float64Array) or
 * undefined (Uint16Array: "bfloat16"/"float16" must be given), from its internal slot; anything
 * else is the TypeError checkOut throws, naming the array that was passed. For callers that pick
 * a default dtype before the fill checks `out` (nninit/model's fillTensor and fillBlock).
 */
export function naturalDType(out: unknown, name = "out"): "float32" | "float64" | undefined {
  const type = typedArrayName(out);
  if (type === "Float32Array") return "float32";
  if (type === "Float64Array") return "float64";
  if (type === "Uint16Array") return undefined;
  throw outTypeError(out, type, name);
}

/**
 * Checks a read-only Float32Array/Float64Array argument (zca's `data`) as checkOut checks `out`
 * (`name` is the full name, e.g. '"data" argument'); returns a fresh fixed-length view of it.
 */
export function checkFloatData(value: unknown, name: string): Float32Array | Float64Array {
  const type = typedArrayName(value);
  if (type !== "Float32Array" && type !== "Float64Array") throw lookalikeTypeError(value, type, name, "a Float32Array or Float64Array");
  const length = typedArrayLength(value);
  const buffer = typedArrayBuffer(value);
  if (length === 0 && isDetachedBuffer(buffer)) throw rangeError(name, "backed by an attached ArrayBuffer (it was transferred or detached)", `a detached ${type}`);
  const offset = typedArrayByteOffset(value);
  return type === "Float32Array" ? new F32(buffer, offset, length) : new F64(buffer, offset, length);
}

/** Whether a (validated) typed array's memory is a SharedArrayBuffer. */
export function isSharedView(view: OutArray): boolean {
  return isSharedArrayBuffer(typedArrayBuffer(view));
}

/** Whether a typed array's buffer is detached (never runs user code; a SharedArrayBuffer never is). */
function isDetachedBuffer(buffer: ArrayBufferLike): boolean {
  if (isSharedArrayBuffer(buffer) || arrayBufferByteLength(buffer) !== 0) return false;
  try {
    new U8(buffer as ArrayBuffer); // throws only for a detached buffer
    return false;
  } catch {
    return true;
  }
}

function outTypeError(out: unknown, type: string | undefined, name: string): TypeError {
  return lookalikeTypeError(out, type, arg(name), "a Float32Array, Float64Array or Uint16Array");
}

/** The TypeError for a value that is not one of the typed arrays `expected` lists, naming what it is. */
function lookalikeTypeError(value: unknown, type: string | undefined, name: string, expected: string): TypeError {
  if (type !== undefined) return lookalikeError(name, expected, `an instance of ${type}`);
  if (isProxy(value)) return lookalikeError(name, `${expected} (a Proxy is not one, whatever its target)`, "a Proxy");
  if (typeof value === "object" && value !== null && isPrototypeOf(TypedArrayPrototype, value)) {
    return lookalikeError(name, `${expected} (an object that only inherits from a typed array's prototype is not one)`, "an object inheriting from a typed array prototype");
  }
  return typeError(name, expected, value);
}

/** A finite number that float32 can hold (|x| <= FLT_MAX). */
export function checkFloat(name: string, value: unknown): number {
  if (typeof value !== "number") throw typeError(name, "of type number", value);
  if (!Number.isFinite(value) || Math.abs(value) > F32_MAX) throw rangeError(name, "a finite number within the float32 range", value);
  return value;
}

/** A finite number >= 0 (> 0 when `strict`). */
export function checkNonNegative(name: string, value: unknown, strict = false): number {
  const v = checkFloat(name, value);
  if (strict ? !(v > 0) : !(v >= 0)) throw rangeError(name, strict ? "> 0" : ">= 0", value);
  return v;
}

/** A safe integer in [min, max]. */
export function checkInteger(name: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== "number") throw typeError(name, "of type number", value);
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw rangeError(name, max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer in [${min}, ${max}]`, value);
  }
  return value;
}

/** One of a fixed list of strings. */
export function checkEnum<T extends string>(name: string, value: unknown, valid: readonly T[]): T {
  if (typeof value !== "string") throw typeError(name, `one of the strings ${valid.map((v) => `"${v}"`).join(", ")}`, value);
  if (!(valid as readonly string[]).includes(value)) {
    throw valueError(name, `must be one of ${valid.map((v) => `"${v}"`).join(", ")}`, value);
  }
  return value as T;
}

/** The most dimensions a shape may have (NumPy's limit). */
export const MAX_RANK = 64;

/**
 * Whether `value` is a revoked Proxy: every operation on it throws V8's uncoded TypeError, so
 * the checks ask first and name the argument instead.
 */
function isRevoked(value: object): boolean {
  if (!isProxy(value)) return false;
  try {
    Array.isArray(value);
    return false;
  } catch {
    return true;
  }
}

/**
 * A shape: an array of at most MAX_RANK safe non-negative integers whose product is a safe
 * integer. Its length and each element are read once (a Proxy or a getter cannot grow it while
 * it is checked). Returns a copy.
 */
export function checkShape(value: unknown, name = arg("shape")): number[] {
  if (typeof value === "object" && value !== null && isRevoked(value)) throw lookalikeError(name, "an array of non-negative integers", "a revoked Proxy");
  if (!Array.isArray(value)) throw typeError(name, "an array of non-negative integers", value);
  const rank: unknown = value.length;
  if (typeof rank !== "number" || !Number.isSafeInteger(rank) || rank < 0 || rank > MAX_RANK) {
    throw rangeError(name, `an array of at most ${MAX_RANK} dimensions`, typeof rank === "number" ? `${rank} dimensions` : rank);
  }
  const shape: number[] = [];
  let size = 1;
  for (let i = 0; i < rank; i++) {
    const d = checkInteger(`${name.replace(/ argument| option/, "")}[${i}] dimension`, value[i], 0);
    shape.push(d);
    size *= d;
  }
  if (!Number.isSafeInteger(size)) throw rangeError(name, "a shape of at most 2^53 - 1 elements", value);
  return shape;
}

/** Number of elements of a validated shape. */
export function shapeSize(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * The index of out[0] in the logical tensor. Without a shape the tensor is unbounded (2^53 - 1
 * elements); with one, offset + out.length must fit and, when no offset is given, out.length must
 * equal the shape's size.
 */
export function checkOffset(offset: unknown, length: number, size?: number): number {
  if (offset === undefined) {
    if (size !== undefined && length !== size) {
      throw rangeError(arg("out"), `of length ${size} to hold shape's elements (or pass "offset" for a shard fill)`, `length ${length}`);
    }
    return 0;
  }
  const limit = (size ?? Number.MAX_SAFE_INTEGER) - length;
  if (limit < 0) throw rangeError(arg("out"), `at most ${size} elements long for this shape`, `length ${length}`);
  return checkInteger(opt("offset"), offset, 0, limit);
}
