/**
 * writeSafetensors: streams a model's tensors into a .safetensors file with bounded memory (two
 * chunk buffers, 2 x 32 MiB by default, whatever the model's size). Each chunk is an offset fill
 * of one tensor's stream (chunks start on 4096-element stream blocks), so the file holds exactly
 * initModel's values. The file appears under its final name only when complete (temp + rename).
 */
import { randomBytes } from "node:crypto";
import { endianness } from "node:os";
import { BLOCK_SIZE, type Seed } from "../index.js";
import { rangeError, typeError, valueError } from "../plan/errors.js";
import { checkInteger, readOptions, type DType } from "../plan/validate.js";
import { defineModel, fillRange, modelOptions } from "./fill.js";
import { tensorKey } from "./key.js";
import { createAtomic } from "./atomic.js";
import { MAX_METADATA_ENTRIES } from "./limits.js";
import { ChunkWriter, ioError } from "./pipe.js";
import { swapBytes } from "./read.js";
import { itemSize, layoutFile, nninitMetadata, type FileLayout } from "./safetensors.js";
import type { DTypeName, Model, SpecInput, Tensor } from "./spec.js";

/** Progress of a write, reported after every chunk and at each phase. */
export interface WriteProgress {
  phase: "write" | "sync" | "done";
  /** Bytes whose write completed (header included). */
  bytesWritten: number;
  totalBytes: number;
  tensorsDone: number;
  tensorCount: number;
}

/** Options of `writeSafetensors`. */
export interface WriteOptions {
  /** The model's seed; a random 64-bit seed when omitted (returned, and recorded in the file). */
  seed?: Seed;
  /** dtype of tensors whose spec names none (e.g. "bfloat16" or "bf16"). Default float32. */
  dtype?: DTypeName;
  /** Threads for the native backend. */
  threads?: number;
  /** Extra `__metadata__` entries (string -> string); nninit's own keys take precedence. */
  metadata?: Readonly<Record<string, string>>;
  /** Bytes per chunk buffer (two are used), >= 64 KiB. Default 32 MiB. */
  chunkBytes?: number;
  /** Called after every chunk (from the main thread; keep it cheap). */
  onProgress?: (progress: WriteProgress) => void;
  /** Aborting stops the write; the temp file is removed and the promise rejects. */
  signal?: AbortSignal;
  /** Refuse to start when the file system has less free space than the file needs. Default true. */
  checkSpace?: boolean;
}

/** What `writeSafetensors` did. */
export interface WriteResult {
  path: string;
  bytes: number;
  tensors: number;
  parameters: number;
  seed: bigint;
  /** Wall time from opening the temp file to the rename, fsync included. */
  seconds: number;
}

const BIG_ENDIAN = endianness() === "BE";

/** A write's validated inputs: every option was read once from the caller's object. */
interface WritePlan {
  model: Model;
  seed: bigint;
  threads: number | undefined;
  layout: FileLayout;
  chunkBytes: number;
  onProgress: ((progress: WriteProgress) => void) | undefined;
  signal: AbortSignal | undefined;
  checkSpace: boolean;
}

/** The `metadata` option as a null-prototype copy (each value read once; `__proto__` stays a key). */
function copyMetadata(extra: unknown): Record<string, string> {
  const copy = Object.create(null) as Record<string, string>;
  if (extra === undefined) return copy;
  if (typeof extra !== "object" || extra === null || Array.isArray(extra)) throw typeError('"metadata" option', "an object of string values", extra);
  const keys = Object.keys(extra).length;
  if (keys > MAX_METADATA_ENTRIES) throw rangeError('"metadata" option', `at most ${MAX_METADATA_ENTRIES} entries together with nninit's own (one per tensor)`, `${keys} entries`);
  for (const [k, v] of Object.entries(extra)) {
    if (typeof v !== "string") throw typeError('"metadata" option', `an object of string values (${JSON.stringify(k.slice(0, 40))} is not)`, v);
    copy[k] = v;
  }
  return copy;
}

/** Reads and validates every option once, and plans the file (no I/O). */
function planWrite(spec: SpecInput, options: WriteOptions | undefined): WritePlan {
  const opts = readOptions(options, ["seed", "dtype", "threads", "metadata", "chunkBytes", "onProgress", "signal", "checkSpace"]);
  const model = defineModel(spec);
  const seedIn = opts.seed === undefined ? randomBytes(8).readBigUInt64LE(0) : opts.seed;
  const { seed, dtype, threads } = modelOptions({ seed: seedIn, dtype: opts.dtype, threads: opts.threads });
  const extra = copyMetadata(opts.metadata);
  const dtypeOf = (t: Tensor): DType => t.dtype ?? dtype ?? "float32";
  const metadata = Object.assign(extra, nninitMetadata(model, seed, dtypeOf));
  const entries = Object.keys(metadata).length;
  if (entries > MAX_METADATA_ENTRIES) {
    throw rangeError('"metadata" option', `at most ${MAX_METADATA_ENTRIES} entries together with nninit's own (one per tensor)`, `${entries} entries`);
  }
  const chunkBytes = opts.chunkBytes === undefined ? 32 << 20 : checkInteger('"chunkBytes" option', opts.chunkBytes, 1 << 16, 1 << 30) & ~7;
  const { onProgress, signal, checkSpace } = opts;
  if (onProgress !== undefined && typeof onProgress !== "function") throw typeError('"onProgress" option', "a function", onProgress);
  if (signal !== undefined && !(signal instanceof AbortSignal)) throw typeError('"signal" option', "an AbortSignal", signal);
  if (checkSpace !== undefined && typeof checkSpace !== "boolean") throw typeError('"checkSpace" option', "a boolean", checkSpace);
  return {
    model, seed, threads, layout: layoutFile(model, dtypeOf, metadata), chunkBytes,
    onProgress: onProgress as WritePlan["onProgress"], signal, checkSpace: checkSpace ?? true,
  };
}

/** Validates everything and plans the file (no I/O): the model, its seed, dtypes and layout. */
export function planSafetensors(spec: SpecInput, options?: WriteOptions): { model: Model; seed: bigint; threads: number | undefined; layout: FileLayout } {
  const { model, seed, threads, layout } = planWrite(spec, options);
  return { model, seed, threads, layout };
}

/**
 * The file is in place when the last progress call ("done") runs: an exception from it cannot
 * undo the write, so it is not a rejection (a rejection means no new file) but a process warning.
 */
export function reportDone(report: () => void, path: string): void {
  try {
    report();
  } catch (err) {
    const warning = new Error(`onProgress threw in its "done" call; ${path} was written completely (${err instanceof Error ? err.message : String(err)})`, { cause: err });
    warning.name = "NninitProgressWarning";
    process.emitWarning(warning);
  }
}

/**
 * How many elements of an `n`-element tensor to fill next, from element `done`, when `room` fit
 * in the chunk: all that is left if it fits, else a piece ending on a 4096-element stream block
 * boundary (a block cut in two would be generated twice); 0 when not even one block fits and the
 * chunk already holds data (flush first). An empty chunk takes `room` elements regardless.
 */
export function pieceLength(done: number, room: number, n: number, chunkUsed: number): number {
  const k = Math.min(n - done, room);
  if (k === n - done) return k;
  const aligned = Math.floor((done + k) / BLOCK_SIZE) * BLOCK_SIZE - done;
  return aligned > 0 ? aligned : chunkUsed > 0 ? 0 : k;
}

/** What a streamed write's body writes through (streamFile). */
export interface FileStream {
  /** The chunk writer: fill `view`/`bytes`, `commit`; call `flush` when it has no room. */
  w: ChunkWriter;
  /** Writes the full chunk, then checks the signal and reports progress. */
  flush(): Promise<void>;
  /** Counts one more tensor written (for the progress reports). */
  tensorDone(): void;
}

/**
 * The write protocol of every streamed format (safetensors, GGUF): a temp file next to `path`
 * (createAtomic: space checked, stale temp files removed), `header` at byte 0, `body` streaming
 * the data through two chunk buffers, then fsync and the rename. On any error the temp file is
 * removed and the error rethrown, so a rejection means `path` was not written. Progress is
 * reported after every chunk and at each phase; "done" through reportDone (the file is in place).
 * Resolves with the final path and the seconds from the open to the rename.
 */
export async function streamFile(
  path: string, header: Uint8Array, totalBytes: number, tensorCount: number,
  o: { chunkBytes: number; checkSpace: boolean; onProgress: ((p: WriteProgress) => void) | undefined; signal: AbortSignal | undefined },
  body: (s: FileStream) => Promise<void>,
): Promise<{ path: string; seconds: number }> {
  const { onProgress, signal } = o;
  signal?.throwIfAborted();
  const start = performance.now();
  const file = await createAtomic(path, totalBytes, o.checkSpace);
  const w = new ChunkWriter(file.fh, o.chunkBytes, header.length);
  let tensorsDone = 0;
  const report = (phase: WriteProgress["phase"]): void =>
    onProgress?.({ phase, bytesWritten: header.length + w.written, totalBytes, tensorsDone, tensorCount });
  const failed = (err: unknown): never => {
    throw ioError(`cannot write ${path}`, err);
  };
  const flush = async (): Promise<void> => {
    await w.flush().catch(failed);
    signal?.throwIfAborted();
    report("write");
  };
  try {
    await file.fh.write(header, 0, header.length, 0).catch(failed);
    await body({ w, flush, tensorDone: () => void tensorsDone++ });
    await w.finish().catch(failed);
    signal?.throwIfAborted();
    report("sync");
    await file.commit();
  } catch (err) {
    await w.settle();
    await file.abort();
    throw err;
  }
  reportDone(() => report("done"), file.path);
  return { path: file.path, seconds: (performance.now() - start) / 1000 };
}

/**
 * Initializes `spec` with `seed` and streams it into the .safetensors file `path`. Resolves when
 * the file is complete under its final name; on any error (disk full, unwritable path, abort, a
 * throwing `onProgress` before the file is in place) rejects with an Error carrying the system
 * `code`, and leaves no new file behind: a rejection always means `path` was not written.
 * @example await writeSafetensors("model.safetensors", presetFromConfig(config), { seed: 1, dtype: "bf16" })
 */
export async function writeSafetensors(path: string, spec: SpecInput, options?: WriteOptions): Promise<WriteResult> {
  if (typeof path !== "string" || path.length === 0) throw typeError('"path" argument', "a non-empty string", path);
  if (path.includes("\0")) throw valueError('"path" argument', "must not contain null bytes", path);
  const { model, seed, threads, layout, chunkBytes, onProgress, signal, checkSpace } = planWrite(spec, options);
  const r = await streamFile(path, layout.header, layout.totalBytes, layout.placed.length, { chunkBytes, checkSpace, onProgress, signal }, async ({ w, flush, tensorDone }) => {
    for (const p of layout.placed) {
      const s = itemSize(p.dtype);
      const n = p.tensor.size;
      const key = tensorKey(seed, p.tensor.name);
      for (let done = 0; done < n; ) {
        const k = pieceLength(done, Math.floor(w.free / s), n, w.used);
        if (k === 0) {
          await flush();
          continue;
        }
        fillRange(p.tensor, w.view(p.dtype, k), key, done, p.dtype, threads);
        if (BIG_ENDIAN) swapBytes(w.bytes(k * s), s);
        w.commit(k * s);
        done += k;
      }
      tensorDone();
    }
  });
  return { path: r.path, bytes: layout.totalBytes, tensors: model.tensors.length, parameters: model.parameters, seed, seconds: r.seconds };
}
