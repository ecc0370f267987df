/**
 * The wasm backend's worker pool: the `nninit/promises` fills of the wasm backend run here, off
 * the calling thread, on workers that each instantiate the same compiled module (worker_threads
 * in Node, Web Workers in a browser: lib/backend/host.ts / host.browser.ts make them; the code
 * they run is lib/backend/wasmWorker.ts).
 *
 * A fill is cut into pieces of PIECE_ELEMENTS elements that end on stream-block boundaries (the
 * first may be shorter); each piece is a pure function of its element range (docs/stream.md §3),
 * so neither the number of workers nor the order in which they finish changes a bit. A fill uses
 * at most `threads` workers at a time; the pool holds at most hardwareThreads() workers, started
 * when first needed and then kept (unref'd in Node while idle, so they never keep a process
 * alive). Pieces are handed out in call order: a later fill's pieces wait for idle workers.
 *
 * Where the output is a SharedArrayBuffer the workers write into it in place. Otherwise each
 * piece comes back as an ArrayBuffer of its own (transferred, not copied) and the caller copies
 * them into `out` once all are there (lib/backend/wasm.ts), as the native backend copies from its
 * own memory: an abort or an error leaves an ordinary `out` unchanged.
 *
 * An abort stops the handing out of pieces; run() rejects with the signal's reason once no worker
 * works on the fill any more (so nothing writes into a shared `out` after the rejection). A
 * worker that dies (an uncaught error, terminate()) fails the fill whose piece it held with
 * ERR_NNINIT_WORKER; the pool starts a new one for the next piece.
 */
import { workerError } from "../plan/errors.js";
import { BLOCK_SIZE } from "../stream/version.js";
import { hardwareThreads, startWorker, type HostWorker } from "./host.js";
import type { AbortSignalLike } from "./types.js";
import { workerSource, type FromWorker, type PieceFill, type ToWorker } from "./wasmWorker.js";

/** Elements per piece: 64 stream blocks (1 MiB of float32), about 0.2-2 ms of work on one core. */
export const PIECE_ELEMENTS = 64 * BLOCK_SIZE;

/** A filled piece of an ordinary output: elements [start, start + length of buffer's view). */
export interface Part {
  start: number;
  buffer: ArrayBuffer;
}

/** Where the workers write: in place into a SharedArrayBuffer, or (null) into buffers of their own. */
export type Target = { buffer: SharedArrayBuffer; byteOffset: number } | null;

interface Fill {
  fill: PieceFill;
  n: number;
  bytes: number;
  target: Target;
  threads: number;
  /** The next element to hand out. */
  next: number;
  inFlight: number;
  parts: Part[];
  /** No more pieces are handed out (aborted, or a piece failed). */
  stopped: boolean;
  error?: Error;
  aborted?: { reason: unknown };
  settle(): void;
}

interface Slot {
  worker: HostWorker;
  /** The fill and element range this worker works on, or null while idle. */
  piece: { id: number; fill: Fill; start: number } | null;
}

export class WasmPool {
  private readonly slots: Slot[] = [];
  private readonly fills: Fill[] = [];
  private nextId = 0;
  /** Workers started over the pool's life (tests read it). */
  started = 0;

  /**
   * `module`: the compiled WebAssembly.Module every worker instantiates; `start` makes a worker
   * (the host's; tests pass one that fails).
   */
  constructor(private readonly module: object, private readonly start: typeof startWorker = startWorker) {}

  /** The most workers the pool holds: the hardware's threads, read once. */
  readonly limit = Math.max(1, hardwareThreads());

  /** Workers alive now. */
  get workers(): number {
    return this.slots.length;
  }

  /** Fills not settled yet. */
  get pending(): number {
    return this.fills.length;
  }

  /**
   * Fills stream elements [fill.offset, fill.offset + n) of `bytes`-byte elements, on at most
   * `threads` workers. Resolves with the parts (in element order) when the target is null, with []
   * when it is a SharedArrayBuffer (written in place). Throws (synchronously) when not even one
   * worker can be started: the caller then fills on its own thread.
   */
  run(fill: PieceFill, n: number, bytes: number, target: Target, threads: number, signal?: AbortSignalLike): Promise<Part[]> {
    if (this.slots.length === 0) this.spawn(); // throws where workers cannot be made
    return new Promise<Part[]>((resolve, reject) => {
      const onAbort = (): void => {
        job.stopped = true;
        job.aborted ??= { reason: signal?.reason };
        this.maybeSettle(job);
      };
      const job: Fill = {
        fill, n, bytes, target, threads: Math.max(1, threads), next: 0, inFlight: 0, parts: [], stopped: false,
        settle: () => {
          signal?.removeEventListener("abort", onAbort);
          this.fills.splice(this.fills.indexOf(job), 1);
          if (job.error !== undefined) reject(job.error);
          else if (job.aborted !== undefined) reject(job.aborted.reason);
          else resolve(job.parts.sort((a, b) => a.start - b.start));
        },
      };
      this.fills.push(job);
      signal?.addEventListener("abort", onAbort, { once: true });
      if (signal?.aborted === true) onAbort();
      this.pump();
    });
  }

  /** Ends every worker now (fills they worked on fail with ERR_NNINIT_WORKER); later fills start new ones. */
  terminate(): void {
    for (const slot of this.slots.slice()) {
      slot.worker.terminate();
      this.lost(slot, workerError("the worker was terminated"));
    }
  }

  private spawn(): Slot {
    const slot: Slot = { worker: null as unknown as HostWorker, piece: null };
    slot.worker = this.start((port) => workerSource(port, BLOCK_SIZE), (m) => this.done(slot, m as FromWorker),
      (reason) => this.lost(slot, workerError(`a wasm worker died: ${reason.message}`)));
    slot.worker.post({ type: "init", module: this.module } satisfies ToWorker, []);
    this.slots.push(slot);
    this.started++;
    return slot;
  }

  /** Hands out pieces while a fill has one to give and a worker is idle (or may be started). */
  private pump(): void {
    for (;;) {
      const job = this.fills.find((f) => !f.stopped && f.next < f.n && f.inFlight < f.threads);
      if (job === undefined) return;
      let slot = this.slots.find((s) => s.piece === null);
      if (slot === undefined) {
        if (this.slots.length >= this.limit) return;
        try {
          slot = this.spawn();
        } catch {
          if (this.slots.length === 0) {
            job.stopped = true;
            job.error = workerError("no wasm worker could be started");
            this.maybeSettle(job);
          }
          return;
        }
      }
      const start = job.next;
      const at = job.fill.offset + start;
      const end = Math.min(job.n, start + PIECE_ELEMENTS - (at % BLOCK_SIZE));
      job.next = end;
      job.inFlight++;
      const id = this.nextId++;
      slot.piece = { id, fill: job, start };
      slot.worker.ref();
      const message: ToWorker = { ...job.fill, offset: at, type: "piece", id, n: end - start, byteOffset: 0 };
      if (job.target !== null) {
        message.target = job.target.buffer;
        message.byteOffset = job.target.byteOffset + start * job.bytes;
      }
      slot.worker.post(message, []);
    }
  }

  private done(slot: Slot, m: FromWorker): void {
    const piece = slot.piece;
    if (piece === null || piece.id !== m.id) return; // not the piece it holds: ignore (cannot happen)
    slot.piece = null;
    slot.worker.unref();
    const job = piece.fill;
    job.inFlight--;
    if (m.error !== undefined) {
      job.stopped = true;
      job.error ??= workerError(`a wasm worker failed: ${m.error}`);
    } else if (m.buffer !== null) {
      job.parts.push({ start: piece.start, buffer: m.buffer });
    }
    this.maybeSettle(job);
    this.pump();
  }

  private lost(slot: Slot, reason: Error): void {
    const i = this.slots.indexOf(slot);
    if (i < 0) return;
    this.slots.splice(i, 1);
    const piece = slot.piece;
    slot.piece = null;
    if (piece !== null) {
      piece.fill.inFlight--;
      piece.fill.stopped = true;
      piece.fill.error ??= reason;
      this.maybeSettle(piece.fill);
    }
    this.pump();
  }

  /** Settles `job` once it is over: all handed out and back, or stopped with nothing in flight. */
  private maybeSettle(job: Fill): void {
    if (job.inFlight === 0 && (job.stopped || job.next === job.n) && this.fills.includes(job)) job.settle();
  }
}
