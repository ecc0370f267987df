/**
 * What every write command of `nninit` shares (lib/cli/main.ts for safetensors files and folders,
 * lib/cli/gguf.ts for GGUF): the usage error, config loading with bounds, the argument parsers,
 * terminal-safe printing, and the run of a write with progress, SIGINT/SIGTERM and exit codes.
 */
import { existsSync, mkdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { backend, STREAM_VERSION } from "../index.js";
import { BUILTIN_CONFIGS, builtinConfig } from "../model/configs.js";
import { parseJsonBounded, readBounded } from "../model/input.js";
import { MAX_CONFIG_BYTES, MAX_CONFIG_DEPTH } from "../model/limits.js";
import { formatBytes, ioError } from "../model/pipe.js";
import type { WriteProgress } from "../model/write.js";
import { MAX_THREADS } from "../plan/validate.js";
import { createProgress, formatDuration, type ProgressMode } from "./progress.js";

/** Bad usage or a bad config: exit code 2, and the hint to run --help. */
export class UsageError extends Error {}

export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
}

/** The parsed command line (node:util parseArgs values). */
export type Values = Record<string, string | boolean | undefined>;

/**
 * `s` safe to print on a terminal: control characters (C0, DEL, C1: escape sequences a hostile
 * file could plant in a tensor name) and bidirectional overrides shown as \u escapes.
 */
export function printable(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/**
 * A config: a built-in name, a config.json, or a folder holding one, read with bounds (a regular
 * file of at most MAX_CONFIG_BYTES, UTF-8, nested at most MAX_CONFIG_DEPTH levels;
 * lib/model/input.ts), so that `--config /dev/zero`, a FIFO or a huge file fails at once instead
 * of reading without end. A built-in name is taken when no regular file of that name exists
 * (`mkdir gpt2 && nninit init -c gpt2` is the preset).
 */
export function loadConfig(value: string): unknown {
  const st = statSync(value, { throwIfNoEntry: false });
  const file = st?.isDirectory() ? join(value, "config.json") : value;
  if (Object.hasOwn(BUILTIN_CONFIGS, value) && !statSync(file, { throwIfNoEntry: false })?.isFile()) return builtinConfig(value);
  let bytes: Buffer;
  try {
    bytes = readBounded(file, MAX_CONFIG_BYTES, '"--config" file');
  } catch (err) {
    const code = (err as { code?: string }).code;
    const why = code === "ENOENT" ? (file === value ? "no such file, and not a built-in config name (see nninit --list)" : "the folder has no config.json") : (err as Error).message;
    throw new UsageError(`cannot read config ${value}: ${why}`);
  }
  try {
    return parseJsonBounded(bytes, MAX_CONFIG_DEPTH, '"--config" file');
  } catch (err) {
    throw new UsageError(err instanceof SyntaxError ? `config ${value} is not valid JSON: ${err.message}` : `cannot read config ${value}: ${(err as Error).message}`);
  }
}

export function parseSeed(value: unknown): bigint | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || !/^(\d+|0x[0-9a-fA-F]+)$/.test(value) || BigInt(value) >= 1n << 64n) {
    throw new UsageError(`--seed must be an integer in [0, 2^64), got ${JSON.stringify(value)}`);
  }
  return BigInt(value);
}

export function parseThreads(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (typeof value !== "string" || !/^\d+$/.test(value) || n < 1 || n > MAX_THREADS) {
    throw new UsageError(`--threads must be an integer in [1, ${MAX_THREADS}], got ${JSON.stringify(value)}`);
  }
  return n;
}

/** --progress (or --quiet): the display mode. */
export function parseProgress(v: Values): ProgressMode | "auto" {
  const mode = (v.quiet ? "none" : (v.progress as string | undefined) ?? "auto") as ProgressMode | "auto";
  if (!["auto", "tty", "plain", "none"].includes(mode)) throw new UsageError(`--progress must be auto, tty, plain or none, got ${JSON.stringify(mode)}`);
  return mode;
}

/** Creates the parent directory of the file `out` when it is missing (an existing non-directory: the write says ENOTDIR). */
export function ensureParent(out: string): void {
  try {
    if (!existsSync(dirname(out))) mkdirSync(dirname(out), { recursive: true });
  } catch (err) {
    throw ioError(`cannot write ${out}: cannot create its directory ${dirname(out)}`, err);
  }
}

/** "476 MiB bfloat16, seed 1, in 0:02 (190 MiB/s, native backend, stream v1, peak RSS 150 MiB)". */
export function summaryTail(bytes: number, what: string, seed: bigint, seconds: number): string {
  const rss = formatBytes(process.resourceUsage().maxRSS * 1024);
  return `${formatBytes(bytes)} ${what}, seed ${seed}, in ${formatDuration(seconds)} (${formatBytes(seconds > 0 ? bytes / seconds : 0)}/s, ` +
    `${backend.name} backend, stream v${STREAM_VERSION}, peak RSS ${rss})`;
}

/**
 * Runs a write with a progress display and SIGINT/SIGTERM as an abort; resolves with the exit
 * code: 0 (the summary `write` returns is printed unless `quiet`), 1 the write failed, 130
 * interrupted (`interrupted` says what was not written).
 */
export async function runWrite(
  io: Io, mode: ProgressMode | "auto", quiet: boolean, interrupted: string,
  write: (onProgress: (p: WriteProgress) => void, signal: AbortSignal) => Promise<string>,
): Promise<number> {
  const progress = createProgress(mode === "auto" ? (io.stderr.isTTY ? "tty" : "plain") : mode, io.stderr);
  const abort = new AbortController();
  const onSignal = (): void => abort.abort(new Error("interrupted"));
  process.once("SIGINT", onSignal).once("SIGTERM", onSignal);
  try {
    const summary = await write((p) => progress.update(p), abort.signal);
    progress.end();
    if (!quiet) io.stdout.write(`${printable(summary)}\n`);
    return 0;
  } catch (err) {
    progress.end();
    const msg = abort.signal.aborted ? `interrupted; ${interrupted}` : (err as Error).message;
    io.stderr.write(`nninit: error: ${printable(msg)}\n`);
    return abort.signal.aborted ? 130 : 1;
  } finally {
    process.off("SIGINT", onSignal).off("SIGTERM", onSignal);
  }
}
