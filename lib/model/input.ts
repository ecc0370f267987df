/**
 * Opening and reading files named by users (configs, checkpoints) without trusting them: only
 * regular files are opened (a FIFO would block the open or the read forever, /dev/zero never
 * ends), and every read is bounded by a limit fixed before reading.
 */
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from "node:fs";
import { rangeError, typeError, valueError } from "../plan/errors.js";

/** What a non-regular file is, for messages. */
function kindOf(st: Stats): string {
  if (st.isDirectory()) return "a directory";
  if (st.isFIFO()) return "a FIFO";
  if (st.isSocket()) return "a socket";
  if (st.isCharacterDevice()) return "a character device";
  if (st.isBlockDevice()) return "a block device";
  return "a special file";
}

function checkRegular(st: Stats, path: string, what: string): void {
  if (!st.isFile()) throw valueError(what, `must name a regular file (not ${kindOf(st)})`, path);
}

// O_NONBLOCK: should the path be swapped for a FIFO between the stat and the open, the open
// returns at once instead of waiting for a writer (it has no effect on regular files).
const READ_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);

/**
 * Opens `path` for reading if it is a regular file (checked before the open, so that no device is
 * ever opened, and again on the descriptor). Returns the descriptor and the size; the caller closes it.
 */
export function openRegular(path: unknown, what = '"path" argument'): { fd: number; size: number } {
  if (typeof path !== "string") throw typeError(what, "a string", path);
  if (path.includes("\0")) throw valueError(what, "must not contain null bytes", path);
  checkRegular(statSync(path), path, what);
  const fd = openSync(path, READ_FLAGS);
  try {
    const st = fstatSync(fd);
    checkRegular(st, path, what);
    return { fd, size: st.size };
  } catch (err) {
    closeSync(fd);
    throw err;
  }
}

/**
 * The contents of the regular file `path`, at most `maxBytes` of them: a larger file is refused
 * before reading, and one that grows meanwhile (or reports no size, as /proc files do) is read
 * only up to the limit plus one byte, then refused.
 */
export function readBounded(path: unknown, maxBytes: number, what = '"path" argument'): Buffer {
  const { fd, size } = openRegular(path, what);
  try {
    const tooBig = (received: string): RangeError => rangeError(what, `a file of at most ${maxBytes} bytes`, received);
    if (size > maxBytes) throw tooBig(`${size} bytes`);
    const chunks: Buffer[] = [];
    let total = 0;
    while (total <= maxBytes) {
      const chunk = Buffer.alloc(Math.min(1 << 16, maxBytes + 1 - total));
      const got = readSync(fd, chunk, 0, chunk.length, total);
      if (got === 0) break;
      chunks.push(chunk.subarray(0, got));
      total += got;
    }
    if (total > maxBytes) throw tooBig(`more than ${maxBytes} bytes`);
    return Buffer.concat(chunks, total);
  } finally {
    closeSync(fd);
  }
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Parses JSON text from a file of at most a bounded size, refusing bytes that are not UTF-8 and
 * nesting deeper than `maxDepth` before JSON.parse materializes anything (V8 needs about 150 bytes
 * of heap per nested array).
 */
export function parseJsonBounded(bytes: Uint8Array, maxDepth: number, what: string): unknown {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw valueError(what, "must be UTF-8 text", `${bytes.length} bytes`);
  }
  const depth = jsonDepth(text, maxDepth);
  if (depth > maxDepth) throw rangeError(what, `JSON nested at most ${maxDepth} levels deep`, `more than ${maxDepth} levels`);
  return JSON.parse(text);
}

/** The nesting depth of JSON text (strings skipped), stopping as soon as it exceeds `max`. */
export function jsonDepth(text: string, max: number): number {
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c) i++;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > deepest && (deepest = depth) > max) return deepest;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return deepest;
}
