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

/** A worker of the wasm backend's pool (lib/backend/wasmPool.ts), as the host makes it. */
export interface HostWorker {
  post(message: unknown, transfer: ArrayBuffer[]): void;
  /** Lets (ref) or stops (unref) the worker keep the process alive: Node's Worker.ref/unref. */
  ref(): void;
  unref(): void;
  terminate(): void;
}

/** Threads the machine offers (os.availableParallelism()). */
export function hardwareThreads(): number {
  return (require("node:os") as typeof import("node:os")).availableParallelism();
}

/**
 * A worker_threads Worker running `source(port)`, where `port` is the expression of a WorkerPort
 * (lib/backend/wasmWorker.ts) in the worker's scope. `onExit` runs once, with the reason, when
 * the worker dies (an uncaught error, or it exited); a worker that terminate() ended calls
 * nothing. The worker starts without the parent's execArgv (loaders such as ts-node would only
 * slow its start: its code is plain JavaScript) and unref'd.
 */
export function startWorker(source: (port: string) => string, onMessage: (message: unknown) => void, onExit: (reason: Error) => void): HostWorker {
  const { Worker } = require("node:worker_threads") as typeof import("node:worker_threads");
  const port = '{ post: (m, t) => require("node:worker_threads").parentPort.postMessage(m, t), ' +
    'on: (f) => require("node:worker_threads").parentPort.on("message", f) }';
  const worker = new Worker(source(port), { eval: true, execArgv: [] });
  let ended = false;
  const end = (reason: Error): void => {
    if (ended) return;
    ended = true;
    onExit(reason);
  };
  worker.on("message", onMessage);
  worker.on("error", (err) => end(err instanceof Error ? err : new Error(String(err))));
  worker.on("exit", (code) => end(new Error(`the worker exited with code ${code}`)));
  worker.unref();
  return {
    post: (message, transfer) => worker.postMessage(message, transfer),
    ref: () => worker.ref(),
    unref: () => worker.unref(),
    terminate: () => {
      ended = true;
      void worker.terminate();
    },
  };
}
