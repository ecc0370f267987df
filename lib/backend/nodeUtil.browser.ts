/**
 * The part of node:util that the core uses (lib/plan/validate.ts: `types`), for browsers;
 * package.json's "browser" field maps "node:util" to this file (docs/browser.md).
 * No trap, getter or user code runs in these checks, as in Node.
 */

const sabByteLength: ((this: unknown) => number) | undefined = (() => {
  const SAB = (globalThis as { SharedArrayBuffer?: { prototype: object } }).SharedArrayBuffer;
  // undefined on a page that is not cross-origin isolated: then no SharedArrayBuffer can exist
  return SAB === undefined ? undefined : Object.getOwnPropertyDescriptor(SAB.prototype, "byteLength")?.get;
})();

export const types = {
  /**
   * A browser cannot tell a Proxy from its target: always false. A Proxy is still refused, as a
   * look-alike, by the built-in getters validate.ts reads through (docs/browser.md, limits).
   */
  isProxy(_value: unknown): boolean {
    return false;
  },
  /** The built-in byteLength getter's brand check: it throws for anything but a SharedArrayBuffer. */
  isSharedArrayBuffer(value: unknown): value is SharedArrayBuffer {
    if (sabByteLength === undefined || typeof value !== "object" || value === null) return false;
    try {
      sabByteLength.call(value);
      return true;
    } catch {
      return false;
    }
  },
};
