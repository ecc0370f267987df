/**
 * Bounded-memory sequential file output: two chunk buffers, one being filled on the main thread
 * while the other is written by libuv's thread pool (positioned writes), with write-behind: each
 * written chunk's writeback starts at once, and what lies more than WRITE_BEHIND_WINDOW bytes
 * behind is waited for and dropped from the page cache (native binding; docs/models.md).
 */
import type { FileHandle } from "node:fs/promises";
import { nativeBinding } from "../backend/select.js";
import type { DType, OutArray } from "../plan/validate.js";

export const noop = (): void => {};

const REASONS: Record<string, string> = {
  ENOSPC: "no space left on the device (disk full)",
  EDQUOT: "disk quota exceeded",
  EFBIG: "file too large for this file system or process limit",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "read-only file system",
  ENOENT: "no such file or directory",
  ENOTDIR: "a component of the path is not a directory",
  EISDIR: "is a directory",
};

/** An Error saying what failed and why in plain words, keeping the system error's `code`. */
export function ioError(action: string, err: unknown): Error & { code?: string } {
  const code = (err as { code?: unknown })?.code;
  const reason = typeof code === "string" && REASONS[code] ? `${REASONS[code]} (${code})` : err instanceof Error ? err.message : String(err);
  const e = new Error(`${action}: ${reason}`, { cause: err }) as Error & { code?: string };
  if (typeof code === "string") e.code = code;
  return e;
}

/** Writes all of `bytes` at `position`. */
async function writeAll(fh: FileHandle, bytes: Uint8Array, position: number): Promise<void> {
  for (let done = 0; done < bytes.length; ) {
    const { bytesWritten } = await fh.write(bytes, done, bytes.length - done, position + done);
    if (bytesWritten <= 0) throw Object.assign(new Error("write returned 0 bytes"), { code: "EIO" });
    done += bytesWritten;
  }
}

/**
 * Bytes of a streamed file allowed to sit in the page cache behind the write position (dirty or
 * not yet dropped). Measured on the development VM, TinyLlama bf16 (2.2 GB), medians of 5: a
 * constant-buffer write took 1.4 s with a 64 MiB window, 1.25 s with 128 MiB, 1.0-1.1 s with 256
 * or 512 MiB, and 1.6-7 s with plain writes (the whole file in the page cache, then fsync).
 */
export const WRITE_BEHIND_WINDOW = 256 << 20;

/** fd, start, length, dropStart, dropLength -> settles when done (NativeBinding.writeBehind). */
export type WriteBehind = (fd: number, start: number, length: number, dropStart: number, dropLength: number) => Promise<void>;

/** The native write-behind, or null (JS backend, or a binding without it). */
export const defaultWriteBehind: WriteBehind | null = nativeBinding === null ? null : nativeBinding.writeBehind.bind(nativeBinding);

/** Double-buffered chunk writer. Fill `view(...)`, `commit` the bytes, `flush` when full. */
export class ChunkWriter {
  readonly chunkBytes: number;
  #bufs: [ArrayBuffer, ArrayBuffer];
  #cur = 0;
  #used = 0;
  #pos: number;
  /** The last flushed chunk's write and write-behind step (and, through it, every earlier one's). */
  #pending: Promise<void> | null = null;
  /** The last flushed chunk's write alone: its buffer is free once it settles. */
  #lastWrite: Promise<void> | null = null;
  /** #pending of the chunk before the last. */
  #olderPending: Promise<void> | null = null;
  /** Where the page cache has been dropped up to (write-behind). */
  #behind: number;
  /** Bytes whose write has completed. */
  written = 0;

  /** Bytes left in the page cache behind the write position: at least two chunks (never a write still in flight). */
  readonly window: number;

  /** `writeBehind` null: plain writes, the final fsync flushes everything. */
  constructor(private readonly fh: FileHandle, chunkBytes: number, start: number,
    private readonly writeBehind: WriteBehind | null = defaultWriteBehind, window = WRITE_BEHIND_WINDOW) {
    this.chunkBytes = chunkBytes;
    this.window = Math.max(window, 2 * chunkBytes);
    this.#bufs = [new ArrayBuffer(chunkBytes), new ArrayBuffer(chunkBytes)];
    this.#pos = start;
    this.#behind = start;
  }

  /** After [pos, pos+n) was written: start its writeback, wait for and drop what lies a window behind. */
  async #afterWrite(pos: number, n: number): Promise<void> {
    if (this.writeBehind === null) return;
    const target = Math.max(this.#behind, pos + n - this.window);
    const drop = this.#behind;
    this.#behind = target;
    await this.writeBehind(this.fh.fd, pos, n, drop, target - drop);
  }

  get used(): number {
    return this.#used;
  }

  get free(): number {
    return this.chunkBytes - this.#used;
  }

  /** A typed view of `count` elements of `dtype` at the fill position (aligned by the caller's layout). */
  view(dtype: DType, count: number): OutArray {
    const buf = this.#bufs[this.#cur];
    if (dtype === "float32") return new Float32Array(buf, this.#used, count);
    if (dtype === "float64") return new Float64Array(buf, this.#used, count);
    return new Uint16Array(buf, this.#used, count);
  }

  /** Raw bytes of the current buffer from the fill position. */
  bytes(count: number): Uint8Array {
    return new Uint8Array(this.#bufs[this.#cur], this.#used, count);
  }

  commit(bytes: number): void {
    this.#used += bytes;
  }

  /** Starts writing the current buffer, then waits until the other one is free to fill. */
  async flush(): Promise<void> {
    if (this.#used === 0) return;
    const n = this.#used;
    const pos = this.#pos;
    const previous = this.#pending;
    const previousWrite = this.#lastWrite;
    const older = this.#olderPending;
    // Two writes may be in flight and finish in either order; the write-behind steps run in file
    // order, each after its own write and the previous chunk's steps.
    const write = writeAll(this.fh, new Uint8Array(this.#bufs[this.#cur], 0, n), pos);
    const p = write.then(async () => {
      this.written += n;
      await previous;
      await this.#afterWrite(pos, n);
    });
    write.catch(noop); // awaited below or through p; never an unhandled rejection
    p.catch(noop); // awaited by a later flush or finish
    this.#pos += n;
    this.#used = 0;
    this.#cur ^= 1;
    this.#pending = p;
    this.#lastWrite = write;
    this.#olderPending = previous;
    // The buffer filled next is the previous chunk's: its write must be done. Its write-behind step
    // may still run while that buffer fills (the step starts only once this thread, busy filling,
    // gets back to the event loop; waiting for it here stalled every chunk): the steps lag at most
    // one chunk, those of the chunk before it are awaited.
    if (previousWrite !== null) await previousWrite;
    if (older !== null) await older;
  }

  /** Flushes and waits for every write. */
  async finish(): Promise<void> {
    await this.flush();
    const p = this.#pending;
    this.#pending = null;
    if (p !== null) await p;
  }

  /** Waits for in-flight writes and write-behind steps to settle (after an error), ignoring their outcome. */
  async settle(): Promise<void> {
    await this.#pending?.catch(noop);
    await this.#olderPending?.catch(noop); // a step that a failed later write did not wait for
  }
}

/** 1536 -> "1.5 KiB". */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) (n /= 1024), i++;
  return `${i === 0 ? n : n.toFixed(n >= 100 ? 0 : n >= 10 ? 1 : 2)} ${units[i]}`;
}
