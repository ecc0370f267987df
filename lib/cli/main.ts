#!/usr/bin/env node
/**
 * The `nninit` command: writes a randomly initialized .safetensors checkpoint, a Hugging Face
 * model folder (config.json + weights, sharded above --max-shard-size, writable in parts by
 * several processes or machines) or a GGUF file (lib/cli/gguf.ts), of a Hugging Face config (or
 * a built-in one), with bounded memory and a progress display. What the write commands share:
 * lib/cli/common.ts.
 * Exit codes: 0 success, 1 the write failed (disk full, unwritable path, interrupted), 2 bad usage
 * or bad config. A failed write never leaves a file under the output name.
 */
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { PACKAGE_ROOT } from "../backend/native.js";
import { backend, STREAM_VERSION } from "../index.js";
import { listPresets } from "../model/configs.js";
import { configDType, parseSize, partFromEnvironment, planModelFolder, writeFolderIndex, writeModelFolder, type FolderPlan } from "../model/folder.js";
import { formatBytes } from "../model/pipe.js";
import { MODEL_TYPES, presetFromConfig } from "../model/presets.js";
import { readSafetensorsHeader } from "../model/read.js";
import { resolveDType } from "../model/spec.js";
import { writeSafetensors } from "../model/write.js";
import type { DType } from "../plan/validate.js";
import { ensureParent, loadConfig, parseProgress, parseSeed, parseThreads, printable, runWrite, summaryTail, UsageError, type Io, type Values } from "./common.js";
import { ggufInfo, ggufInit, isGgufTarget } from "./gguf.js";
import { HELP } from "./help.js";

export { printable, type Io } from "./common.js";


/** `nninit --version`: the package version, then the stream version and the backend in use. */
export function versionLine(): string {
  const { version } = JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")) as { version: string };
  const isa = backend.isa === null ? "" : ` ${backend.isa}`;
  return `nninit ${version} (stream v${STREAM_VERSION}, ${backend.name} backend${isa})`;
}

/** `--dtype`, else the config's torch_dtype, else float32. */
function chooseDType(flag: unknown, config: unknown): DType {
  if (flag !== undefined) {
    try {
      return resolveDType(flag);
    } catch {
      throw new UsageError(`--dtype must be bf16, f16, f32 or f64 (or bfloat16, float16, float32, float64), got ${JSON.stringify(flag)}`);
    }
  }
  try {
    return configDType(config) ?? "float32";
  } catch (err) {
    throw new UsageError(`bad config: ${(err as Error).message} (or pass --dtype)`);
  }
}

/** `--part i/N`, `--part auto` (the scheduler's index, lib/model/folder.ts partFromEnvironment) or none. */
function parsePart(value: unknown, parts: unknown, env: Readonly<Record<string, string | undefined>>, planning = false): { index: number; count: number } | undefined {
  let count: number | undefined;
  if (parts !== undefined) {
    if (typeof parts !== "string" || !/^\d+$/.test(parts) || Number(parts) < 1) throw new UsageError(`--parts must be a positive integer, got ${JSON.stringify(parts)}`);
    count = Number(parts);
  }
  if (value === undefined) {
    if (count !== undefined && !planning) throw new UsageError("--parts needs --part (i/N or auto)");
    return count === undefined ? undefined : { index: 0, count };
  }
  if (value === "auto") {
    try {
      const { index, count: n } = partFromEnvironment(env, count);
      return { index, count: n };
    } catch (err) {
      throw new UsageError(`--part auto: ${(err as Error).message}`);
    }
  }
  const m = /^(\d+)\/(\d+)$/.exec(String(value));
  if (m === null || Number(m[2]) < 1 || Number(m[1]) >= Number(m[2])) throw new UsageError(`--part must be i/N with 0 <= i < N, or auto, got ${JSON.stringify(value)}`);
  if (count !== undefined && count !== Number(m[2])) throw new UsageError(`--parts ${count} disagrees with --part ${value}`);
  return { index: Number(m[1]), count: Number(m[2]) };
}

/** Whether `--out` names a folder: a trailing separator, or an existing directory. */
function isFolderTarget(out: string): boolean {
  try {
    return /[\\/]$/.test(out) || statSync(out, { throwIfNoEntry: false })?.isDirectory() === true;
  } catch {
    return false; // ENOTDIR, EACCES: the write names the error
  }
}

/** The parts of init and plan common to both: the config, dtype, seed, shard size and part. */
function folderInputs(v: Values, env: Readonly<Record<string, string | undefined>>, planning = false) {
  if (typeof v.config !== "string") throw new UsageError("needs --config <config.json | folder | name>");
  const config = loadConfig(v.config);
  const dtype = chooseDType(v.dtype, config);
  const seed = parseSeed(v.seed);
  let maxShardSize: number | undefined;
  if (v["max-shard-size"] !== undefined) {
    try {
      maxShardSize = parseSize(v["max-shard-size"], "--max-shard-size");
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
  }
  const part = parsePart(v.part, v.parts, env, planning);
  if (!planning && part !== undefined && part.count > 1 && seed === undefined) throw new UsageError("--part needs --seed: every part must write with the same seed");
  return { config, dtype, seed, maxShardSize, part, preset: { scaledResidualInit: !v["no-scaled-residual"] } };
}

async function init(v: Values, io: Io, env: Readonly<Record<string, string | undefined>>): Promise<number> {
  if (typeof v.config !== "string") throw new UsageError("init needs --config <config.json | folder | name>");
  if (typeof v.out !== "string") throw new UsageError("init needs --out <file.safetensors | folder/>");
  const out = v.out;
  const folder = isFolderTarget(out);
  if (!folder && (v["max-shard-size"] !== undefined || v.part !== undefined)) {
    throw new UsageError(`--max-shard-size and --part write a model folder: end --out with a slash (${out}/)`);
  }
  const inputs = folderInputs(v, env);
  const { dtype, seed } = inputs;
  const threads = parseThreads(v.threads);
  const mode = parseProgress(v);
  let preset;
  let folderPlan: FolderPlan | undefined;
  try {
    if (folder) folderPlan = planModelFolder(inputs.config, { seed, dtype, threads, maxShardSize: inputs.maxShardSize, part: inputs.part, preset: inputs.preset });
    preset = folderPlan?.preset ?? presetFromConfig(inputs.config, inputs.preset);
  } catch (err) {
    throw err instanceof UsageError ? err : new UsageError(`bad config ${v.config}: ${(err as Error).message}`);
  }
  const seedUsed = folderPlan?.seed ?? seed;
  const notWritten = `removed the partial file (${out} was not ${folder ? "completed" : "written"})`;
  return runWrite(io, mode, v.quiet === true, notWritten, async (onProgress, signal) => {
    const common = { seed: seedUsed, dtype, threads, onProgress, signal };
    if (folderPlan !== undefined) {
      const r = await writeModelFolder(out, inputs.config, { ...common, maxShardSize: inputs.maxShardSize, part: inputs.part, preset: inputs.preset });
      const p = folderPlan.part;
      const mine = folderPlan.files.filter((f) => f.owner === p.index).length;
      const partText = p.count > 1 ? `part ${p.index}/${p.count}: ${mine} of ${folderPlan.files.length} weight files, ` : "";
      const state = r.complete
        ? `complete (${folderPlan.sharded ? `${folderPlan.files.length} shards + index` : "model.safetensors"} + config.json)`
        : `waiting for ${r.missing.length} file(s) of other parts; the last part to finish writes config.json and the index (or run: nninit index ${out})`;
      return `wrote ${out}: ${preset.modelType}, ${partText}${preset.parameters.toLocaleString("en-US")} parameters, ${summaryTail(r.bytes, dtype, r.seed, r.seconds)}; ${state}`;
    }
    ensureParent(out);
    const r = await writeSafetensors(out, preset, common);
    return `wrote ${out}: ${preset.modelType}, ${r.tensors} tensors, ${r.parameters.toLocaleString("en-US")} parameters, ${summaryTail(r.bytes, dtype, r.seed, r.seconds)}`;
  });
}

/** `nninit plan`: the folder's files, sizes, tensors and owning part (or --json: the whole plan). */
function planCommand(v: Values, io: Io, env: Readonly<Record<string, string | undefined>>): number {
  const inputs = folderInputs(v, env, true);
  const count = inputs.part?.count ?? 1;
  let p: FolderPlan;
  try {
    p = planModelFolder(inputs.config, { seed: inputs.seed ?? 0n, dtype: inputs.dtype, maxShardSize: inputs.maxShardSize, part: { index: 0, count }, preset: inputs.preset });
  } catch (err) {
    throw new UsageError(`bad config ${v.config}: ${(err as Error).message}`);
  }
  if (v.json) {
    const files = p.files.map((f) => ({ file: f.file, owner: f.owner, fileBytes: f.fileBytes, tensorBytes: f.tensorBytes, tensors: f.tensors }));
    io.stdout.write(`${JSON.stringify({ modelType: p.preset.modelType, parameters: p.preset.parameters, dtype: p.dtype, sharded: p.sharded, totalSize: p.totalSize, parts: count, files }, null, 2)}\n`);
    return 0;
  }
  const lines = [`${p.preset.modelType}, ${p.preset.parameters.toLocaleString("en-US")} parameters, ${p.dtype}, ${formatBytes(p.totalSize)} of tensors in ${p.files.length} file(s)${p.sharded ? " + model.safetensors.index.json" : ""} + config.json, ${count} part(s)`];
  for (const f of p.files) {
    const range = f.tensors.length === 1 ? f.tensors[0] : `${f.tensors[0]} .. ${f.tensors[f.tensors.length - 1]}`;
    lines.push(`  ${f.file}  ${formatBytes(f.fileBytes).padStart(10)}  ${String(f.tensors.length).padStart(5)} tensors  part ${f.owner}  (${range})`);
  }
  if (count > 1) {
    for (let i = 0; i < count; i++) {
      const mine = p.files.filter((f) => f.owner === i);
      lines.push(`  part ${i}: ${mine.length} file(s), ${formatBytes(mine.reduce((a, f) => a + f.fileBytes, 0))}`);
    }
  }
  io.stdout.write(lines.map(printable).join("\n") + "\n");
  return 0;
}

async function indexCommand(dir: string | undefined, io: Io): Promise<number> {
  if (dir === undefined) throw new UsageError("index needs a folder: nninit index <folder>");
  const r = await writeFolderIndex(dir);
  io.stdout.write(`${printable(`wrote ${r.path}: ${r.files} shards, ${r.tensors} tensors, total_size ${r.totalSize}`)}\n`);
  return 0;
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
export async function main(argv: string[], io: Io = { stdout: process.stdout, stderr: process.stderr }, env: Readonly<Record<string, string | undefined>> = process.env): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: argv, allowPositionals: true, strict: true,
      options: {
        config: { type: "string", short: "c" }, out: { type: "string", short: "o" }, dtype: { type: "string", short: "d" },
        seed: { type: "string", short: "s" }, threads: { type: "string", short: "t" }, progress: { type: "string" },
        "no-scaled-residual": { type: "boolean" }, quiet: { type: "boolean", short: "q" },
        "max-shard-size": { type: "string" }, part: { type: "string" }, parts: { type: "string" }, json: { type: "boolean" },
        format: { type: "string" }, tokenizer: { type: "string" },
        list: { type: "boolean" }, help: { type: "boolean", short: "h" }, version: { type: "boolean", short: "v" },
      },
    });
    if (values.help) return void io.stdout.write(HELP), 0;
    if (values.version) return void io.stdout.write(`${versionLine()}\n`), 0;
    const [command, ...rest] = positionals;
    if (values.list || command === "list") {
      for (const p of listPresets()) io.stdout.write(`${p.name.padEnd(16)} ${p.modelType.padEnd(8)} ${p.parameters.toLocaleString("en-US").padStart(15)} params  ${p.description}\n`);
      io.stdout.write(`\nOr pass a config.json (or a folder holding one) of model_type ${MODEL_TYPES.join(", ")}.\n`);
      return 0;
    }
    if (command === "info") return rest[0] !== undefined && /\.gguf$/i.test(rest[0]) ? ggufInfo(rest[0], io) : info(rest[0], io);
    if (command === "index") return await indexCommand(rest[0], io);
    if (command !== "init" && command !== "plan") throw new UsageError(command === undefined ? "missing command (init, plan, index, info or --list)" : `unknown command ${JSON.stringify(command)}`);
    if (rest.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(rest[0])}`);
    if (command === "plan") return planCommand(values, io, env);
    if (values.format !== undefined && values.format !== "gguf" && values.format !== "safetensors") {
      throw new UsageError(`--format must be safetensors or gguf, got ${JSON.stringify(values.format)}`);
    }
    if (isGgufTarget(values)) return await ggufInit(values, io);
    if (values.tokenizer !== undefined) throw new UsageError("--tokenizer is for GGUF output (--format gguf or an --out ending in .gguf)");
    return await init(values, io, env);
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
