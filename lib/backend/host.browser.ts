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

/** A worker of the wasm backend's pool (lib/backend/wasmPool.ts), as the host makes it. */
export interface HostWorker {
  post(message: unknown, transfer: ArrayBuffer[]): void;
  /** No-ops in a browser (a page's workers never keep anything alive). */
  ref(): void;
  unref(): void;
  terminate(): void;
}

/** The parts of the DOM's worker API used here (the lib has no DOM types). */
interface DomWorker {
  postMessage(message: unknown, transfer: ArrayBuffer[]): void;
  terminate(): void;
  onmessage: ((event: { data: unknown }) => void) | null;
  onerror: ((event: { message?: string; preventDefault(): void }) => void) | null;
}
interface DomGlobals {
  Worker: new (url: string) => DomWorker;
  Blob: new (parts: string[], options: { type: string }) => object;
  URL: { createObjectURL(blob: object): string };
  navigator?: { hardwareConcurrency?: number };
}

/** Threads the machine offers (navigator.hardwareConcurrency; 1 when the browser does not say). */
export function hardwareThreads(): number {
  const n = (globalThis as unknown as DomGlobals).navigator?.hardwareConcurrency;
  return typeof n === "number" && n >= 1 ? Math.floor(n) : 1;
}

/** One Blob URL per source text: every worker of the pool loads the same script. */
const urls = new Map<string, string>();

/**
 * A Web Worker running `source(port)` from a Blob URL (no file next to the bundle, no bundler
 * support needed); `port` is the expression of a WorkerPort over the worker's global scope.
 * Throws where workers cannot be made (no Worker, or a Content-Security-Policy without
 * `worker-src blob:`); wasmPool.ts then fills on the calling thread.
 */
export function startWorker(source: (port: string) => string, onMessage: (message: unknown) => void, onExit: (reason: Error) => void): HostWorker {
  const g = globalThis as unknown as DomGlobals;
  const text = source("{ post: (m, t) => self.postMessage(m, t), on: (f) => { self.onmessage = (e) => f(e.data); } }");
  let url = urls.get(text);
  if (url === undefined) {
    url = g.URL.createObjectURL(new g.Blob([text], { type: "text/javascript" }));
    urls.set(text, url);
  }
  const worker = new g.Worker(url);
  let ended = false;
  worker.onmessage = (event) => onMessage(event.data);
  worker.onerror = (event) => {
    event.preventDefault();
    if (ended) return;
    ended = true;
    onExit(new Error(`the worker failed: ${event.message ?? "no message"}`));
  };
  return {
    post: (message, transfer) => worker.postMessage(message, transfer),
    ref: () => {},
    unref: () => {},
    terminate: () => {
      ended = true;
      worker.terminate();
    },
  };
}
