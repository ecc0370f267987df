/**
 * Bounded-memory sequential file output: two chunk buffers, one being filled on the main thread
 * while the other is written by libuv's thread pool (positioned writes).
 */
import type { FileHandle } from "node:fs/promises";
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

/** Double-buffered chunk writer. Fill `view(...)`, `commit` the bytes, `flush` when full. */
export class ChunkWriter {
  readonly chunkBytes: number;
  #bufs: [ArrayBuffer, ArrayBuffer];
  #cur = 0;
  #used = 0;
  #pos: number;
  #pending: Promise<void> | null = null;
  /** Bytes whose write has completed. */
  written = 0;

  constructor(private readonly fh: FileHandle, chunkBytes: number, start: number) {
    this.chunkBytes = chunkBytes;
    this.#bufs = [new ArrayBuffer(chunkBytes), new ArrayBuffer(chunkBytes)];
    this.#pos = start;
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
    const p = writeAll(this.fh, new Uint8Array(this.#bufs[this.#cur], 0, n), this.#pos).then(() => {
      this.written += n;
    });
    p.catch(noop); // awaited below or by the next flush/finish; never an unhandled rejection
    this.#pos += n;
    this.#used = 0;
    this.#cur ^= 1;
    const previous = this.#pending;
    this.#pending = p;
    if (previous !== null) await previous;
  }

  /** Flushes and waits for every write. */
  async finish(): Promise<void> {
    await this.flush();
    const p = this.#pending;
    this.#pending = null;
    if (p !== null) await p;
  }

  /** Waits for in-flight writes to settle (after an error), ignoring their outcome. */
  async settle(): Promise<void> {
    await this.#pending?.catch(noop);
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
