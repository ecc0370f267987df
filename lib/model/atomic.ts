/**
 * The atomic-file protocol: write under a temporary name in the target's directory, fsync, rename
 * onto the final name, fsync the directory. A failure at any point removes the temporary file, so
 * the final name only ever holds a complete file (or whatever was there before). A writer killed
 * outright cannot remove its temporary file; the next write into the directory does, once it can
 * prove the writer dead (removeStaleTempFiles).
 */
import { createHash, randomBytes } from "node:crypto";
import { readlinkSync } from "node:fs";
import { lstat, open, opendir, rename, stat, statfs, unlink, type FileHandle } from "node:fs/promises";
import { hostname } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { typeError } from "../plan/errors.js";
import { readBounded } from "./input.js";
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
 * Temp names: `.<name>.nninit-<host>-<pid>-<random>.tmp`, <name> the target's name (its first
 * 100 bytes), <host> 8 hex digits of this machine and pid namespace (hostTag), <pid> the writer's
 * process id, <random> 8 hex digits.
 */
export const TEMP_NAME = /^\..*\.nninit-([0-9a-f]{8})-([1-9][0-9]{0,9})-[0-9a-f]{8}\.tmp$/s;

let tag: string | undefined;

/**
 * 8 hex digits naming this machine (host name, /etc/machine-id) and pid namespace
 * (/proc/self/ns/pid): a pid in a temp name means something only where the tag is the same.
 */
export function hostTag(): string {
  if (tag === undefined) {
    const parts = [hostname()];
    try {
      parts.push(readlinkSync("/proc/self/ns/pid"));
    } catch {
      // not Linux: the host name (and machine id) only
    }
    try {
      parts.push(readBounded("/etc/machine-id", 256).toString("latin1").trim());
    } catch {
      // none
    }
    tag = createHash("sha256").update(parts.join("\0")).digest("hex").slice(0, 8);
  }
  return tag;
}

/** The temp name of a write to `path` by this process. */
function tempName(path: string): string {
  let name = "";
  let bytes = 0;
  for (const ch of basename(path)) {
    if ((bytes += Buffer.byteLength(ch)) > 100) break; // a long final name must not make the temp name too long (255 bytes)
    name += ch;
  }
  return `.${name}.nninit-${hostTag()}-${process.pid}-${randomBytes(4).toString("hex")}.tmp`;
}

/** Whether process `pid` may be running (anything but a definite "no such process" counts as running). */
function mayRun(pid: number): boolean {
  if (pid === process.pid || !Number.isSafeInteger(pid) || pid < 1 || pid > 0x7fffffff) return true;
  try {
    process.kill(pid, 0); // signal 0: only asks whether the process exists
    return true;
  } catch (err) {
    return (err as { code?: unknown }).code !== "ESRCH";
  }
}

/**
 * Removes from `dir` the temp files of nninit writes that can never complete: named as above,
 * with this host's tag, and a pid that no running process has (the writer was SIGKILLed, or the
 * machine went down). Files of other machines or pid namespaces, of running processes (a reused
 * pid included), and anything not a regular file are left alone. Never throws; returns the paths
 * removed.
 */
export async function removeStaleTempFiles(dir: string): Promise<string[]> {
  if (typeof dir !== "string") throw typeError('"dir" argument', "a string", dir);
  const removed: string[] = [];
  try {
    for await (const entry of await opendir(dir)) {
      const m = TEMP_NAME.exec(entry.name);
      if (m === null || m[1] !== hostTag() || mayRun(Number(m[2]))) continue;
      const p = join(dir, entry.name);
      if (!(await lstat(p).catch(() => null))?.isFile()) continue;
      if (await unlink(p).then(() => true, () => false)) removed.push(p);
    }
  } catch {
    // an unreadable directory: nothing removed
  }
  return removed;
}

/** `target` names a directory by its spelling: a trailing separator, or a last component "." or "..". */
function namesDirectory(target: string): boolean {
  return (process.platform === "win32" ? /(^|[\\/])(\.\.?)?$/ : /(^|\/)(\.\.?)?$/).test(target);
}

/**
 * Checks the target (its directory exists, it is not a directory nor names one, it is a regular
 * file if it exists, `bytes` fit in the free space when `checkSpace`), removes stale temp files
 * of earlier writes from the directory (removeStaleTempFiles; before the space check, so that
 * their space counts as free), and creates the temp file in the same directory.
 */
export async function createAtomic(target: string, bytes: number, checkSpace = true): Promise<AtomicFile> {
  const path = resolve(target);
  const dir = dirname(path);
  const what = `cannot write ${target}`;
  if (namesDirectory(target)) throw ioError(what, Object.assign(new Error(), { code: "EISDIR" }));
  const dirStat = await stat(dir).catch((err) => {
    throw ioError(`${what}: directory ${dir}`, err);
  });
  if (!dirStat.isDirectory()) throw ioError(what, Object.assign(new Error(), { code: "ENOTDIR" }));
  const existing = await stat(path).catch(() => null);
  if (existing?.isDirectory()) throw ioError(what, Object.assign(new Error(), { code: "EISDIR" }));
  if (existing !== null && !existing.isFile()) {
    throw ioError(what, Object.assign(new Error("it exists and is not a regular file (nninit replaces only regular files)"), { code: "EEXIST" }));
  }
  await removeStaleTempFiles(dir);
  if (checkSpace) {
    const fs = await statfs(dir).catch(() => null);
    const avail = fs === null ? Infinity : fs.bavail * fs.bsize;
    if (bytes > avail) {
      throw ioError(`${what}: it needs ${formatBytes(bytes)} but ${dir} has ${formatBytes(avail)} free`, Object.assign(new Error(), { code: "ENOSPC" }));
    }
  }
  const tempPath = join(dir, tempName(path));
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
