/**
 * The code that runs in the wasm backend's workers (lib/backend/wasmPool.ts), and the chunk loop
 * that the calling thread's sync fills share with them (lib/backend/wasm.ts fillRandom).
 *
 * The workers get this code as source text (Function.prototype.toString of the two functions
 * below), not as a file: a worker made from a string needs no file next to the bundle and no
 * bundler support for `new Worker(new URL(...))`, so the same code path serves Node
 * (worker_threads, `eval: true`) and browsers (a Blob URL); lib/backend/host.ts and host.browser.ts
 * make the worker. So both functions must be self-contained: they read only their parameters and
 * the engine's globals (WebAssembly, typed arrays), never an import or a module-level constant of
 * this file, and declare no inner named function (a bundler's keepNames option would wrap it in a
 * helper the worker does not have). test/promises.test.ts runs them in real workers.
 */

/** The exports of native/wasm/entry.cc (interface version 1). */
export interface WasmExports {
  memory: { buffer: ArrayBuffer };
  nninit_abi(): number;
  nninit_scratch(): number;
  nninit_scratch_elems(): number;
  nninit_params(): number;
  nninit_fill(dst: number, n: number, dtype: number, kernel: number, params: number, keyHi: number, keyLo: number,
    offsetHi: number, offsetLo: number): number;
  nninit_fill_constant(dst: number, n: number, dtype: number, value: number): number;
}

/** One random fill of stream elements [offset, offset + out.length): what a worker is sent per piece. */
export interface PieceFill {
  /** DTYPES index (0 float32, 1 float64, 2 bfloat16, 3 float16). */
  dt: number;
  /** KERNELS index. */
  kernel: number;
  /** The kernel's 8 float32 parameters. */
  params: Float32Array;
  keyHi: number;
  keyLo: number;
  /** Stream index of out[0] (< 2^53). */
  offset: number;
}

/**
 * Fills `out` (a Float32Array for dt 0, Float64Array for 1, Uint16Array for 2 and 3) with the
 * module `x`: chunk by chunk into its scratch area (nninit_scratch_elems() elements of any
 * dtype), each chunk copied out with TypedArray.set. Each chunk [offset + k, offset + k + m) is
 * filled exactly as a fill of that range (docs/stream.md §3: a pure function of the element
 * index); chunks after the first start on a stream-block boundary (`blockSize`), so no block is
 * generated twice. Self-contained (see the file's header).
 */
export function fillChunks(x: WasmExports, out: Float32Array | Float64Array | Uint16Array, f: PieceFill, blockSize: number): void {
  const n = out.length;
  if (n === 0) return;
  const scratch = x.nninit_scratch();
  const elems = x.nninit_scratch_elems();
  const buffer = x.memory.buffer;
  new Float32Array(buffer, x.nninit_params(), 8).set(f.params.subarray(0, 8));
  const view = f.dt === 0 ? new Float32Array(buffer, scratch, elems) : f.dt === 1 ? new Float64Array(buffer, scratch, elems)
    : new Uint16Array(buffer, scratch, elems);
  const o = out as Float32Array; // set() copies any of the three view types into its own type
  let m = Math.min(n, elems - (f.offset % blockSize));
  for (let k = 0; k < n; k += m, m = Math.min(elems, n - k)) {
    const at = f.offset + k;
    const rc = x.nninit_fill(scratch, m, f.dt, f.kernel, x.nninit_params(), f.keyHi, f.keyLo, Math.floor(at / 4294967296), at >>> 0);
    if (rc !== 0) throw new Error(`nninit_fill rejected its arguments (offset ${at}, n ${m})`);
    o.set(m === elems ? (view as Float32Array) : (view.subarray(0, m) as Float32Array), k);
  }
}

/** What the pool sends a worker: its module once, then pieces. */
export type ToWorker =
  | { type: "init"; module: object }
  | (PieceFill & {
      type: "piece";
      /** The pool's id of the piece, echoed back. */
      id: number;
      /** Elements. */
      n: number;
      /** Write in place into this SharedArrayBuffer at byteOffset; absent: into a new ArrayBuffer, transferred back. */
      target?: SharedArrayBuffer;
      byteOffset: number;
    });

/** What a worker answers for each piece: the filled ArrayBuffer (null when written in place), or the error's message. */
export type FromWorker = { id: number; buffer: ArrayBuffer | null; error?: undefined } | { id: number; buffer?: undefined; error: string };

/** The message channel a worker's body talks through (host.ts / host.browser.ts make it). */
export interface WorkerPort {
  post(message: FromWorker, transfer: ArrayBuffer[]): void;
  on(listener: (message: ToWorker) => void): void;
}

/**
 * A worker's body: instantiates the module it is sent, then fills each piece with `fill` (the
 * fillChunks above, passed in as source) and posts it back. Self-contained (see the file's header).
 */
export function workerMain(port: WorkerPort, fill: typeof fillChunks, blockSize: number): void {
  let x: WasmExports | null = null;
  port.on((m) => {
    if (m.type === "init") {
      x = new (globalThis as unknown as { WebAssembly: { Instance: new (m: object, i: object) => { exports: unknown } } })
        .WebAssembly.Instance(m.module, {}).exports as WasmExports;
      return;
    }
    try {
      if (x === null) throw new Error("the worker got a piece before its module");
      const ctor = m.dt === 0 ? Float32Array : m.dt === 1 ? Float64Array : Uint16Array;
      const buffer = m.target ?? new ArrayBuffer(m.n * ctor.BYTES_PER_ELEMENT);
      fill(x, new ctor(buffer as ArrayBuffer, m.target === undefined ? 0 : m.byteOffset, m.n), m, blockSize);
      if (m.target === undefined) port.post({ id: m.id, buffer: buffer as ArrayBuffer }, [buffer as ArrayBuffer]);
      else port.post({ id: m.id, buffer: null }, []);
    } catch (err) {
      port.post({ id: m.id, error: err instanceof Error ? err.message : String(err) }, []);
    }
  });
}

/**
 * The source of a worker's body, given `port` (an expression for a WorkerPort in the worker's
 * scope, written by the host) and the stream block size.
 */
export function workerSource(port: string, blockSize: number): string {
  return `"use strict";\n(${workerMain.toString()})(${port}, ${fillChunks.toString()}, ${blockSize});\n`;
}
