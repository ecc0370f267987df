/**
 * Argument validation. Every public function validates everything here before a single element
 * is written; each check throws a TypeError/RangeError naming the argument and the bad value.
 */
import { rangeError, typeError, valueError } from "./errors.js";

export const DTYPES = ["float32", "float64", "bfloat16", "float16"] as const;
/** The element type written into `out`. */
export type DType = (typeof DTYPES)[number];
/** The arrays nninit fills. */
export type OutArray = Float32Array | Float64Array | Uint16Array;

export const arg = (name: string): string => `"${name}" argument`;
export const opt = (name: string): string => `"${name}" option`;

/** The largest finite float32. */
export const F32_MAX = 3.4028234663852886e38;

/** Reads an options bag: undefined/null gives {}, anything but a plain object is a TypeError. */
export function readOptions(options: unknown, known: readonly string[], name = "options"): Record<string, unknown> {
  if (options === undefined || options === null) return {};
  if (typeof options !== "object" || Array.isArray(options)) throw typeError(arg(name), "an object", options);
  const bag: Record<string, unknown> = {};
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw valueError(arg(name), `has an unknown option "${key}" (valid: ${known.join(", ")})`, (options as Record<string, unknown>)[key]);
    }
    bag[key] = (options as Record<string, unknown>)[key];
  }
  return bag;
}

/** Checks `out` and the `dtype` option together; returns the dtype written. */
export function checkOut(out: unknown, dtype: unknown): DType {
  if (!(out instanceof Float32Array || out instanceof Float64Array || out instanceof Uint16Array)) {
    throw typeError(arg("out"), "a Float32Array, Float64Array or Uint16Array", out);
  }
  if (out.buffer.byteLength === 0 && out.byteLength === 0 && isDetached(out)) {
    throw rangeError(arg("out"), "backed by an attached ArrayBuffer (it was transferred or detached)", out);
  }
  const natural: DType | undefined = out instanceof Float32Array ? "float32" : out instanceof Float64Array ? "float64" : undefined;
  if (dtype === undefined) {
    if (natural === undefined) throw valueError(opt("dtype"), `is required for a Uint16Array ("bfloat16" or "float16")`, dtype);
    return natural;
  }
  checkEnum(opt("dtype"), dtype, DTYPES);
  const expected = natural ?? "bfloat16 | float16";
  if (natural !== undefined ? dtype !== natural : dtype !== "bfloat16" && dtype !== "float16") {
    throw valueError(opt("dtype"), `does not match the array type of "out" (${out.constructor.name} holds ${expected})`, dtype);
  }
  return dtype as DType;
}

function isDetached(a: ArrayBufferView): boolean {
  const buf = a.buffer as ArrayBuffer & { detached?: boolean };
  if (typeof buf.detached === "boolean") return buf.detached;
  try {
    new Uint8Array(buf);
    return false;
  } catch {
    return true;
  }
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

/** A shape: an array of safe non-negative integers whose product is a safe integer. Returns a copy. */
export function checkShape(value: unknown, name = arg("shape")): number[] {
  if (!Array.isArray(value)) throw typeError(name, "an array of non-negative integers", value);
  const shape: number[] = [];
  let size = 1;
  for (let i = 0; i < value.length; i++) {
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
