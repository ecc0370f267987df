/**
 * What the backends need from the JavaScript host, Node's version. A browser bundle gets
 * lib/backend/host.browser.ts instead: package.json's "browser" field maps
 * dist/backend/host.js to dist/backend/host.browser.js (docs/browser.md), so that nothing in
 * the core's graph reads `process` or `Buffer` there. Both files export the same names.
 */

/** Where nninit runs: decides whether a missing native backend is worth a warning. */
export const HOST: "node" | "browser" = "node";

/** The environment variable `name` (undefined when unset). */
export function env(name: string): string | undefined {
  return process.env[name];
}

/** Emits a process warning with Node's `code` and `detail`. */
export function emitWarning(message: string, code: string, detail: string): void {
  process.emitWarning(message, { code, detail });
}

/** The bytes of the base64 string `s`. */
export function decodeBase64(s: string): Uint8Array {
  return Buffer.from(s, "base64");
}
