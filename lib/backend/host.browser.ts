/**
 * lib/backend/host.ts for browsers (and other hosts without `process`); package.json's
 * "browser" field puts this file in its place in a browser bundle (docs/browser.md). There are no
 * environment variables, so the backend is wasm, else js, and never forced; there is no process
 * warning to emit (the wasm backend is what a browser is expected to run).
 */

export const HOST: "node" | "browser" = "browser";

/** No environment variables in a browser: every NNINIT_* variable reads as unset. */
export function env(_name: string): string | undefined {
  return undefined;
}

/** Nothing to emit: select.ts does not warn on the browser's expected fallback. */
export function emitWarning(_message: string, _code: string, _detail: string): void {}

/** The bytes of the base64 string `s`, without Buffer. */
export function decodeBase64(s: string): Uint8Array {
  const bin = atob(s);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}
