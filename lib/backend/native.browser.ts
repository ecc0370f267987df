/**
 * lib/backend/native.ts for browsers: there is no native addon to load, so loadBinding throws
 * (select.ts then picks wasm, else js) and nothing here imports node:path or node-gyp-build.
 * package.json's "browser" field maps dist/backend/native.js to this file (docs/browser.md).
 */
import type { Backend } from "./types.js";
import type { LoadedBinding, NativeBinding } from "./native.js";

export type { CancellablePromise, LoadedBinding, NativeBinding, NativeInfo } from "./native.js";

/** Why native never runs here: it is backend.loadError in a browser. */
const REASON = "the native backend does not run in a browser (nninit's browser build: docs/browser.md)";

/** No package directory in a browser. */
export const PACKAGE_ROOT = "";

export function loadBinding(_root?: string): LoadedBinding {
  throw new Error(REASON);
}

export function createNativeBackend(_binding: NativeBinding, _isa?: string, _path?: string): Backend {
  throw new Error(REASON);
}
