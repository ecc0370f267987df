/**
 * Errors in Node's vocabulary: TypeError/RangeError with a `code`, and messages of the form
 * `The "std" option must be >= 0. Received -1`.
 */

export type ErrorCode = "ERR_INVALID_ARG_TYPE" | "ERR_OUT_OF_RANGE" | "ERR_INVALID_ARG_VALUE" | "ERR_INVALID_STATE";

/** An Error subclass carrying Node's `code` property. */
function withCode<E extends Error>(err: E, code: ErrorCode): E & { code: ErrorCode } {
  Object.defineProperty(err, "code", { value: code, enumerable: true, writable: true, configurable: true });
  return err as E & { code: ErrorCode };
}

/** Renders a received value for an error message (short, never throws). */
export function describe(value: unknown): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "undefined": return "undefined";
    case "bigint": return `${value}n`;
    case "number": return Object.is(value, -0) ? "-0" : String(value);
    case "string": return JSON.stringify(value.length > 40 ? value.slice(0, 37) + "..." : value);
    case "boolean": return String(value);
    case "function": return `function ${value.name || "<anonymous>"}`;
    case "symbol": return value.toString();
    default: {
      const ctor = (value as object).constructor;
      if (Array.isArray(value)) return `array [${value.slice(0, 8).map(describe).join(", ")}${value.length > 8 ? ", ..." : ""}]`;
      return `an instance of ${ctor && typeof ctor.name === "string" && ctor.name ? ctor.name : "Object"}`;
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
