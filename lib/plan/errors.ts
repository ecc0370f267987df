/**
 * Errors in Node's vocabulary: TypeError/RangeError with a `code`, and messages of the form
 * `The "std" option must be >= 0. Received -1`.
 */

export type ErrorCode = "ERR_INVALID_ARG_TYPE" | "ERR_OUT_OF_RANGE" | "ERR_INVALID_ARG_VALUE" | "ERR_INVALID_STATE" | "ERR_NNINIT_WORKER";

/** An Error subclass carrying Node's `code` property. */
function withCode<E extends Error>(err: E, code: ErrorCode): E & { code: ErrorCode } {
  Object.defineProperty(err, "code", { value: code, enumerable: true, writable: true, configurable: true });
  return err as E & { code: ErrorCode };
}

/**
 * Renders a received value for an error message: short, never throws, and never recurses into
 * the value (an array's elements are shown one level deep, nested arrays and objects by kind only),
 * so a hostile value — 20,000 nested arrays, a Proxy, a throwing getter — costs nothing to describe.
 */
export function describe(value: unknown): string {
  try {
    if (Array.isArray(value)) {
      const items: string[] = [];
      for (let i = 0; i < Math.min(value.length, 8); i++) items.push(describeFlat(value[i]));
      return `array [${items.join(", ")}${value.length > 8 ? ", ..." : ""}]`;
    }
    return describeFlat(value);
  } catch {
    return "a value that cannot be inspected";
  }
}

/** A primitive in full; an object or array by its kind (no look inside but its constructor's name). */
function describeFlat(value: unknown): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "undefined": return "undefined";
    case "bigint": return `${value}n`;
    case "number": return Object.is(value, -0) ? "-0" : String(value);
    case "string": return JSON.stringify(value.length > 40 ? value.slice(0, 37) + "..." : value);
    case "boolean": return String(value);
    case "function": return `function ${typeof value.name === "string" && value.name ? value.name : "<anonymous>"}`;
    case "symbol": return value.toString();
    default: {
      if (Array.isArray(value)) return `array (length ${value.length})`;
      const ctor = (value as object).constructor;
      return `an instance of ${typeof ctor === "function" && typeof ctor.name === "string" && ctor.name ? ctor.name : "Object"}`;
    }
  }
}

/** `The "name" argument must be <expected>. Received <value>` as a TypeError. */
export function typeError(name: string, expected: string, value: unknown): TypeError {
  return withCode(new TypeError(`The ${name} must be ${expected}. Received ${describe(value)}`), "ERR_INVALID_ARG_TYPE");
}

/** `The "name" argument must be <constraint>. Received <value>` as a RangeError. */
export function rangeError(name: string, constraint: string, value: unknown): RangeError {
  return withCode(new RangeError(`The ${name} must be ${constraint}. Received ${describe(value)}`), "ERR_OUT_OF_RANGE");
}

/** An unknown enum value or a bad combination, as a RangeError listing what is valid. */
export function valueError(name: string, message: string, value: unknown): RangeError {
  return withCode(new RangeError(`The ${name} ${message}. Received ${describe(value)}`), "ERR_INVALID_ARG_VALUE");
}

/** An async fill's `out` was detached, transferred or shrunk before it could be written (nothing was). */
export function stateError(): RangeError {
  return withCode(new RangeError('The "out" argument was detached, transferred or resized while the async fill ran; nothing was written'), "ERR_INVALID_STATE");
}

/** An async fill of the wasm backend whose worker failed or died (lib/backend/wasmPool.ts); `out` was not written. */
export function workerError(message: string): Error {
  return withCode(new Error(`${message}; the async fill did not complete (an ordinary "out" was not written)`), "ERR_NNINIT_WORKER");
}
