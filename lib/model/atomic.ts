/**
 * The atomic-file protocol: write under a temporary name in the target's directory, fsync, rename
 * onto the final name, fsync the directory. A failure at any point removes the temporary file, so
 * the final name only ever holds a complete file (or whatever was there before).
 */
import { randomBytes } from "node:crypto";
import { open, rename, stat, statfs, unlink, type FileHandle } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { formatBytes, ioError, noop } from "./pipe.js";

/** A file being written under a temporary name next to its final path. */
export interface AtomicFile {
  fh: FileHandle;
  path: string;
  tempPath: string;
  /** fsync, close, rename to the final name, fsync the directory. */
  commit(): Promise<void>;
  /** Closes and removes the temporary file (never throws). */
  abort(): Promise<void>;
}

/**
 * Checks the target (its directory exists, it is not a directory, `bytes` fit in the free space
 * when `checkSpace`) and creates the temp file `.<name>.<pid>-<random>.tmp` in the same directory.
 */
export async function createAtomic(target: string, bytes: number, checkSpace = true): Promise<AtomicFile> {
  const path = resolve(target);
  const dir = dirname(path);
  const what = `cannot write ${target}`;
  const dirStat = await stat(dir).catch((err) => {
    throw ioError(`${what}: directory ${dir}`, err);
  });
  if (!dirStat.isDirectory()) throw ioError(what, Object.assign(new Error(), { code: "ENOTDIR" }));
  const existing = await stat(path).catch(() => null);
  if (existing?.isDirectory()) throw ioError(what, Object.assign(new Error(), { code: "EISDIR" }));
  if (checkSpace) {
    const fs = await statfs(dir).catch(() => null);
    const avail = fs === null ? Infinity : fs.bavail * fs.bsize;
    if (bytes > avail) {
      throw ioError(`${what}: it needs ${formatBytes(bytes)} but ${dir} has ${formatBytes(avail)} free`, Object.assign(new Error(), { code: "ENOSPC" }));
    }
  }
  const tempPath = join(dir, `.${basename(path)}.${process.pid}-${randomBytes(4).toString("hex")}.tmp`);
  const fh = await open(tempPath, "wx", 0o644).catch((err) => {
    throw ioError(what, err);
  });
  let closed = false;
  return {
    fh, path, tempPath,
    async commit() {
      try {
        await fh.sync();
        closed = true;
        await fh.close();
        await rename(tempPath, path);
      } catch (err) {
        throw ioError(what, err);
      }
      const d = await open(dir, "r").catch(() => null); // durability of the rename; not on every OS
      await d?.sync().catch(noop);
      await d?.close().catch(noop);
    },
    async abort() {
      if (!closed) await fh.close().catch(noop);
      closed = true;
      await unlink(tempPath).catch(noop);
    },
  };
}
