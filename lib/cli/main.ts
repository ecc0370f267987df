#!/usr/bin/env node
/**
 * The `nninit` command: writes a randomly initialized .safetensors checkpoint of a Hugging Face
 * config (or a built-in one), with bounded memory and a progress display.
 * Exit codes: 0 success, 1 the write failed (disk full, unwritable path, interrupted), 2 bad usage
 * or bad config. A failed write never leaves a file under the output name.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { PACKAGE_ROOT } from "../backend/native.js";
import { backend, STREAM_VERSION } from "../index.js";
import { BUILTIN_CONFIGS, builtinConfig, listPresets } from "../model/configs.js";
import { parseJsonBounded, readBounded } from "../model/input.js";
import { MAX_CONFIG_BYTES, MAX_CONFIG_DEPTH } from "../model/limits.js";
import { formatBytes } from "../model/pipe.js";
import { presetFromConfig } from "../model/presets.js";
import { readSafetensorsHeader } from "../model/read.js";
import { resolveDType } from "../model/spec.js";
import { writeSafetensors } from "../model/write.js";
import { HELP } from "./help.js";
import { createProgress, formatDuration, type ProgressMode } from "./progress.js";


class UsageError extends Error {}

/** `nninit --version`: the package version, then the stream version and the backend in use. */
export function versionLine(): string {
  const { version } = JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")) as { version: string };
  const isa = backend.isa === null ? "" : ` ${backend.isa}`;
  return `nninit ${version} (stream v${STREAM_VERSION}, ${backend.name} backend${isa})`;
}

export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
}

/**
 * A config: a built-in name, or a config.json read with bounds (a regular file of at most
 * MAX_CONFIG_BYTES, UTF-8, nested at most MAX_CONFIG_DEPTH levels; lib/model/input.ts), so that
 * `--config /dev/zero`, a FIFO or a huge file fails at once instead of reading without end.
 */
function loadConfig(value: string): unknown {
  if (!existsSync(value) && Object.hasOwn(BUILTIN_CONFIGS, value)) return builtinConfig(value);
  let bytes: Buffer;
  try {
    bytes = readBounded(value, MAX_CONFIG_BYTES, '"--config" file');
  } catch (err) {
    const code = (err as { code?: string }).code;
    const why = code === "ENOENT" ? "no such file, and not a built-in config name (see nninit --list)" : (err as Error).message;
    throw new UsageError(`cannot read config ${value}: ${why}`);
  }
  try {
    return parseJsonBounded(bytes, MAX_CONFIG_DEPTH, '"--config" file');
  } catch (err) {
    throw new UsageError(err instanceof SyntaxError ? `config ${value} is not valid JSON: ${err.message}` : `cannot read config ${value}: ${(err as Error).message}`);
  }
}

function parseSeed(value: string | undefined): bigint | undefined {
  if (value === undefined) return undefined;
  if (!/^(\d+|0x[0-9a-fA-F]+)$/.test(value) || BigInt(value) >= 1n << 64n) throw new UsageError(`--seed must be an integer in [0, 2^64), got ${JSON.stringify(value)}`);
  return BigInt(value);
}

function parseThreads(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 1024) throw new UsageError(`--threads must be an integer in [1, 1024], got ${JSON.stringify(value)}`);
  return n;
}

async function init(v: Record<string, string | boolean | undefined>, io: Io): Promise<number> {
  if (typeof v.config !== "string") throw new UsageError("init needs --config <config.json | name>");
  if (typeof v.out !== "string") throw new UsageError("init needs --out <file.safetensors>");
  let dtype;
  try {
    dtype = resolveDType(v.dtype ?? "float32");
  } catch {
    throw new UsageError(`--dtype must be bf16, f16, f32 or f64 (or bfloat16, float16, float32, float64), got ${JSON.stringify(v.dtype)}`);
  }
  const seed = parseSeed(v.seed as string | undefined);
  const threads = parseThreads(v.threads as string | undefined);
  const mode = (v.quiet ? "none" : (v.progress as string | undefined) ?? "auto") as ProgressMode | "auto";
  if (!["auto", "tty", "plain", "none"].includes(mode)) throw new UsageError(`--progress must be auto, tty, plain or none, got ${JSON.stringify(mode)}`);
  let preset;
  try {
    preset = presetFromConfig(loadConfig(v.config), { scaledResidualInit: !v["no-scaled-residual"] });
  } catch (err) {
    throw err instanceof UsageError ? err : new UsageError(`bad config ${v.config}: ${(err as Error).message}`);
  }
  const progress = createProgress(mode === "auto" ? (io.stderr.isTTY ? "tty" : "plain") : mode, io.stderr);
  const abort = new AbortController();
  const onSignal = (): void => abort.abort(new Error("interrupted"));
  process.once("SIGINT", onSignal).once("SIGTERM", onSignal);
  try {
    const r = await writeSafetensors(v.out, preset, { seed, dtype, threads, onProgress: (p) => progress.update(p), signal: abort.signal });
    progress.end();
    if (!v.quiet) {
      const rss = formatBytes(process.resourceUsage().maxRSS * 1024);
      io.stdout.write(`wrote ${v.out}: ${preset.modelType}, ${r.tensors} tensors, ${r.parameters.toLocaleString("en-US")} parameters, ` +
        `${formatBytes(r.bytes)} ${dtype}, seed ${r.seed}, in ${formatDuration(r.seconds)} (${formatBytes(r.bytes / r.seconds)}/s, ` +
        `${backend.name} backend, stream v${STREAM_VERSION}, peak RSS ${rss})\n`);
    }
    return 0;
  } catch (err) {
    progress.end();
    const msg = abort.signal.aborted ? `interrupted; removed the partial file (${v.out} was not written)` : (err as Error).message;
    io.stderr.write(`nninit: error: ${printable(msg)}\n`);
    return abort.signal.aborted ? 130 : 1;
  } finally {
    process.off("SIGINT", onSignal).off("SIGTERM", onSignal);
  }
}

/**
 * `s` safe to print on a terminal: control characters (C0, DEL, C1: escape sequences a hostile
 * file could plant in a tensor name) and bidirectional overrides shown as \u escapes.
 */
export function printable(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

function info(path: string | undefined, io: Io): number {
  if (path === undefined) throw new UsageError("info needs a file: nninit info <file.safetensors>");
  const h = readSafetensorsHeader(path);
  const meta = h.metadata;
  const lines = [`${path}: ${h.tensors.length} tensors, header ${h.headerLength} bytes` +
    (meta["nninit.seed"] !== undefined ? `, nninit seed ${meta["nninit.seed"]}, stream v${meta["nninit.stream_version"]}` : "")];
  for (const t of h.tensors) lines.push(`  ${t.name}  ${t.dtype}  [${t.shape.join(", ")}]`);
  if (meta["nninit.tied"] !== undefined) lines.push(`  tied: ${meta["nninit.tied"]}`);
  io.stdout.write(lines.map(printable).join("\n") + "\n");
  return 0;
}

/** Runs the command line `argv` (without node and the script); resolves with the exit code. */
export async function main(argv: string[], io: Io = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: argv, allowPositionals: true, strict: true,
      options: {
        config: { type: "string", short: "c" }, out: { type: "string", short: "o" }, dtype: { type: "string", short: "d" },
        seed: { type: "string", short: "s" }, threads: { type: "string", short: "t" }, progress: { type: "string" },
        "no-scaled-residual": { type: "boolean" }, quiet: { type: "boolean", short: "q" },
        list: { type: "boolean" }, help: { type: "boolean", short: "h" }, version: { type: "boolean", short: "v" },
      },
    });
    if (values.help) return void io.stdout.write(HELP), 0;
    if (values.version) return void io.stdout.write(`${versionLine()}\n`), 0;
    const [command, ...rest] = positionals;
    if (values.list || command === "list") {
      for (const p of listPresets()) io.stdout.write(`${p.name.padEnd(16)} ${p.modelType.padEnd(8)} ${p.parameters.toLocaleString("en-US").padStart(15)} params  ${p.description}\n`);
      io.stdout.write(`\nOr pass a config.json of model_type llama, mistral, qwen2 or gpt2.\n`);
      return 0;
    }
    if (command === "info") return info(rest[0], io);
    if (command !== "init") throw new UsageError(command === undefined ? "missing command (init, info or --list)" : `unknown command ${JSON.stringify(command)}`);
    if (rest.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(rest[0])}`);
    return await init(values, io);
  } catch (err) {
    const usage = err instanceof UsageError || (err as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
    io.stderr.write(`nninit: error: ${printable(String((err as Error)?.message ?? err))}\n${usage ? "Run 'nninit --help' for usage.\n" : ""}`);
    return usage ? 2 : 1;
  }
}

if (require.main === module) {
  // `nninit --list | head`: a closed pipe ends the output quietly, as other command-line tools do.
  process.stdout.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw err;
  });
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
