/**
 * Backend selection, once, when nninit loads, best first: native, wasm, js. The native backend
 * (native/, see lib/backend/native.ts) is used when its binary loads: one built from source into
 * build/Release, else the package's prebuild for this platform (prebuilds/<platform>-<arch>/,
 * scripts/prebuilds.sh). Else the WebAssembly backend (lib/backend/wasm.ts: the same kernels
 * compiled to wasm32 + SIMD128; async fills on a worker pool) when the engine has WebAssembly SIMD128. The
 * pure-TypeScript backend is the reference and is always available. Environment variables (read
 * here, at import):
 *   NNINIT_BACKEND=native|wasm|js  forces one (forced but not available: throws with the reason)
 *   NNINIT_ISA=<id>           the native kernels' instruction set (scalar | avx2 | avx512 | neon)
 *   NNINIT_THREADS=<n>        the native backend's default thread count (1..1024)
 *   NNINIT_NO_FALLBACK_WARNING=1  silences the NNINIT_FALLBACK warning (below)
 * An unknown or unsupported value throws at import and lists the valid ones.
 *
 * Falling back to the wasm or JS backend without being asked to (no binary for this platform, or
 * one that does not load) is said once: the first fill emits a process warning with code
 * NNINIT_FALLBACK, naming the backend used, the reason and how to get the native backend.
 * `backend.loadError` keeps the reason.
 *
 * In a browser bundle (package.json "browser" field, docs/browser.md) host.ts and native.ts are
 * their .browser.ts versions: no environment variables, no native backend, so wasm, else js, and
 * no warning (wasm is the browser's expected backend).
 */
import { emitWarning, env, HOST } from "./host.js";
import { fillJs, fillJsAsync, orthonormalizeJs, orthonormalizeJsAsync, sparseZerosJs } from "./js.js";
import { createNativeBackend, loadBinding, type NativeBinding } from "./native.js";
import type { Backend } from "./types.js";
import { createWasmBackend, wasmUnavailableReason } from "./wasm.js";

// The Backend interface and BackendInfo live in ./types.ts (no backend imports them from here).
export type { Backend, BackendInfo } from "./types.js";

/** Every ISA id nninit knows (native/core/dispatch.cc); which ones a machine runs: `nativeIsas`. */
export const ISA_IDS = ["scalar", "avx2", "avx512", "neon"] as const;
export const BACKEND_IDS = ["native", "wasm", "js"] as const;

function makeJsBackend(loadError?: string): Backend {
  return {
    info: loadError === undefined ? { name: "js", isa: null, threads: 1 } : { name: "js", isa: null, threads: 1, loadError },
    fill: fillJs,
    fillAsync: fillJsAsync, // one piece in a microtask: an abort before it starts still counts
    setThreads: () => {},
    orthonormalize: orthonormalizeJs,
    orthonormalizeAsync: orthonormalizeJsAsync,
    sparseZeros: sparseZerosJs,
  };
}

const quote = (values: readonly string[]): string => values.map((v) => `"${v}"`).join(", ");

function envChoice(name: string, valid: readonly string[]): string | undefined {
  const value = env(name);
  if (value === undefined || value === "") return undefined;
  if (!valid.includes(value)) throw new Error(`${name} must be one of ${quote(valid)}. Received "${value}"`);
  return value;
}

function envThreads(): number | undefined {
  const value = env("NNINIT_THREADS");
  if (value === undefined || value === "") return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 1024) throw new Error(`NNINIT_THREADS must be an integer in 1..1024. Received "${value}"`);
  return n;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

interface Choice {
  binding: NativeBinding | null;
  path?: string;
  /** Why native is not active (wasm and js report it as `loadError`). */
  loadError?: string;
  /** Whether the wasm backend runs (else native or js). */
  wasm?: boolean;
  /** Not asked for by NNINIT_BACKEND (and on Node, where native is expected): the first fill warns. */
  fallback?: boolean;
}

/** Loads and configures the binding, or says why not and which backend runs instead. */
function choose(): Choice {
  const forced = envChoice("NNINIT_BACKEND", BACKEND_IDS);
  const isa = envChoice("NNINIT_ISA", ISA_IDS);
  const threads = envThreads();
  if (forced === "js") return { binding: null, loadError: "NNINIT_BACKEND=js selects the pure-TypeScript backend" };
  if (forced === "wasm") {
    const reason = wasmUnavailableReason();
    if (reason !== undefined) throw new Error(`NNINIT_BACKEND=wasm, but the WebAssembly backend is not available: ${reason}`);
    return { binding: null, loadError: "NNINIT_BACKEND=wasm selects the WebAssembly backend", wasm: true };
  }
  let binding: NativeBinding;
  let path: string;
  try {
    ({ binding, path } = loadBinding());
  } catch (err) {
    if (forced === "native") throw new Error(`NNINIT_BACKEND=native, but the native backend did not load: ${message(err)}`);
    const loadError = message(err).trim();
    const reason = wasmUnavailableReason();
    const fallback = HOST === "node";
    if (reason === undefined) return { binding: null, loadError, wasm: true, fallback };
    return { binding: null, loadError: `${loadError}; the WebAssembly backend is not available either: ${reason}`, fallback };
  }
  if (isa !== undefined) {
    const supported = binding.info().isas;
    if (!supported.includes(isa)) {
      throw new Error(`NNINIT_ISA=${isa} is not supported by this build and CPU; valid values here: ${quote(supported)}`);
    }
    binding.setIsa(isa);
  }
  if (threads !== undefined) binding.setThreads(threads);
  return { binding, path };
}

/** The NNINIT_FALLBACK warning's code; NNINIT_NO_FALLBACK_WARNING=1 (or node --disable-warning=NNINIT_FALLBACK) silences it. */
export const FALLBACK_WARNING = "NNINIT_FALLBACK";

/** What the NNINIT_FALLBACK warning says each fallback backend is. */
const FALLBACK_NAMES = {
  wasm: "the WebAssembly backend (the same bits, slower than native)",
  js: "the pure-TypeScript backend (the same bits, several times slower)",
} as const;

/**
 * Emits the NNINIT_FALLBACK warning for `reason` (once per process: see warnOnFirstUse); `used` is
 * the backend that runs instead of native.
 */
export function emitFallbackWarning(reason: string, used: "wasm" | "js" = "js"): void {
  if (env("NNINIT_NO_FALLBACK_WARNING") === "1") return;
  emitWarning(
    `nninit: the native backend did not load, so fills run on ${FALLBACK_NAMES[used]}. On a platform ` +
      "without a prebuilt binary, install a C++ toolchain (a compiler, make, Python) and run `npm rebuild nninit`. " +
      "Set NNINIT_NO_FALLBACK_WARNING=1 to silence this warning.",
    FALLBACK_WARNING,
    `Reason: ${reason.replace(/\s+/g, " ")}`,
  );
}

/** `backend` whose first fill (of any kind) calls `warn` first. */
function warnOnFirstUse(backend: Backend, warn: () => void): Backend {
  let warned = false;
  const once = (): void => {
    if (warned) return;
    warned = true;
    warn();
  };
  return {
    ...backend,
    fill: (plan, out) => (once(), backend.fill(plan, out)),
    fillAsync: (plan, out, signal) => (once(), backend.fillAsync(plan, out, signal)),
    orthonormalize: (...args) => (once(), backend.orthonormalize(...args)),
    orthonormalizeAsync: (...args) => (once(), backend.orthonormalizeAsync(...args)),
    sparseZeros: (...args) => (once(), backend.sparseZeros(...args)),
  };
}

const chosen = choose();

/** The native binding, or null when the JS backend is active. */
export const nativeBinding: NativeBinding | null = chosen.binding;
/** ISAs the native backend can run on this machine, best first ([] without native). */
export const nativeIsas: readonly string[] = chosen.binding === null ? [] : chosen.binding.info().isas;

/** The pure-TypeScript reference backend. */
export const jsBackend: Backend = makeJsBackend(chosen.loadError);

/**
 * The WebAssembly backend, or null where the engine has no WebAssembly SIMD128 (it is created
 * whatever backend is active, for tests and benches; its module is compiled on its first fill).
 */
export const wasmBackend: Backend | null =
  wasmUnavailableReason() === undefined ? createWasmBackend(chosen.wasm === true ? chosen.loadError : undefined, envThreads()) : null;

/** The native backend with the environment's default ISA, or null. */
export const nativeBackend: Backend | null = chosen.binding === null ? null : createNativeBackend(chosen.binding, undefined, chosen.path);

/** A native backend that runs every fill with `isa` (one of nativeIsas); for tests and benches. */
export function nativeBackendFor(isa: string): Backend {
  if (chosen.binding === null) throw new Error(`the native backend is not loaded: ${chosen.loadError}`);
  return createNativeBackend(chosen.binding, isa);
}

function fallbackBackend(): Backend {
  const backend = chosen.wasm === true ? (wasmBackend as Backend) : jsBackend;
  if (chosen.fallback !== true) return backend;
  return warnOnFirstUse(backend, () => emitFallbackWarning(chosen.loadError ?? "", backend.info.name === "wasm" ? "wasm" : "js"));
}

/**
 * The active backend: native, else wasm, else JS; a wasm or JS backend that nobody asked for warns
 * on its first fill (FALLBACK_WARNING).
 */
export const active: Backend = nativeBackend ?? fallbackBackend();
