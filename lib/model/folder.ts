/**
 * Hugging Face model folders: what `save_pretrained` writes and `from_pretrained(dir)` opens.
 *
 *   config.json                           the input config, torch_dtype set to the dtype written
 *   model.safetensors                     when the weights fit in one shard, else
 *   model-0000i-of-0000N.safetensors      the shards, split as huggingface_hub splits a state dict
 *   model.safetensors.index.json          {"metadata": {"total_size"}, "weight_map": {name: file}}
 *
 * The split (splitShards) is huggingface_hub's split_state_dict_into_shards_factory: tensors in
 * state-dict order fill the current shard until the next one would pass maxShardSize (tensor
 * bytes, headers not counted); a tensor larger than the limit alone gets a shard of its own, placed
 * before the shard being filled. Tied aliases are not stored (as save_pretrained).
 *
 * Parts: a folder can be written by N processes on any machines that share the directory, each
 * writing the shards it owns (assignParts: largest first onto the least loaded part, a pure
 * function of the plan). The values of every tensor depend only on (seed, name), so the union of
 * the parts is byte for byte the folder one process writes; the seed must be given.
 *
 * What "finished" means, and how a failure never looks finished: from_pretrained needs config.json
 * and model.safetensors or the index. Each weight file is atomic (temp + fsync + rename, atomic.ts).
 * A write first removes the folder's config.json, index and any weight file the plan does not
 * name (a stale model.safetensors would be loaded instead of the new shards); it writes its
 * shards; then, only when every planned weight file is on disk with the planned size and header
 * bytes (verifyFolder), config.json and last the index. A part that finds shards of other parts
 * still missing writes neither; the last part to finish does (or `nninit index DIR` later).
 */
import { randomBytes } from "node:crypto";
import { mkdir, open, readdir, stat, statfs, unlink } from "node:fs/promises";
import { join, resolve } from "node:path";
import { rangeError, typeError, valueError } from "../plan/errors.js";
import { readOptions, type DType } from "../plan/validate.js";
import { createAtomic } from "./atomic.js";
import { readSafetensorsHeader } from "./read.js";
import { itemSize } from "./safetensors.js";
import { presetFromConfig, type Preset, type PresetOptions } from "./presets.js";
import { resolveDType, type DTypeName, type TensorSpec } from "./spec.js";
import { formatBytes, ioError } from "./pipe.js";
import { planSafetensors, reportDone, writeSafetensors, type WriteOptions, type WriteProgress } from "./write.js";

/** huggingface_hub's and transformers' default shard limit: 5 GB (decimal). */
export const DEFAULT_MAX_SHARD_SIZE = 5_000_000_000;
export const CONFIG_NAME = "config.json";
export const SINGLE_NAME = "model.safetensors";
export const INDEX_NAME = "model.safetensors.index.json";
/** Weight files of a folder: model.safetensors or model-00001-of-00003.safetensors. */
const WEIGHT_FILE = /^model(?:-(\d{5,})-of-(\d{5,}))?\.safetensors$/;
const MAX_PARTS = 1 << 20;

const UNITS: Record<string, number> = { B: 1, KB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12, KIB: 2 ** 10, MIB: 2 ** 20, GIB: 2 ** 30, TIB: 2 ** 40 };

/**
 * A size in bytes: a positive integer, or a string as huggingface_hub and transformers write them,
 * "5GB", "200MB", "1.5GB" (KB, MB, GB, TB: powers of 10) or "4GiB" (KiB, MiB, GiB, TiB: powers
 * of 2), case-insensitive; a fraction of a byte rounds down.
 */
export function parseSize(value: unknown, what = '"maxShardSize" option'): number {
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value) || value < 1) throw rangeError(what, "a positive integer number of bytes", value);
    return value;
  }
  if (typeof value !== "string") throw typeError(what, 'a number of bytes or a size such as "5GB", "200MB" or "4GiB"', value);
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]i?b|b)?\s*$/i.exec(value);
  if (m === null) throw valueError(what, 'must be a number of bytes or a size such as "5GB", "200MB" or "4GiB"', value);
  const bytes = Math.floor(Number(m[1]) * UNITS[(m[2] ?? "B").toUpperCase()]);
  if (!Number.isSafeInteger(bytes) || bytes < 1) throw rangeError(what, "a size of at least 1 byte and below 2^53", value);
  return bytes;
}

/**
 * The dtype a config asks for: its `torch_dtype` (or `dtype`, transformers' newer name), e.g.
 * "bfloat16"; undefined when it names none. "auto" or an unknown name is an error naming the field.
 */
export function configDType(config: unknown): DType | undefined {
  if (typeof config !== "object" || config === null) return undefined;
  const c = config as Record<string, unknown>;
  for (const field of ["torch_dtype", "dtype"]) {
    const v = c[field];
    if (v === undefined || v === null) continue;
    const name = typeof v === "string" ? v.replace(/^torch\./, "") : v;
    return resolveDType(name, `config field "${field}"`);
  }
  return undefined;
}

/** One weight file of a folder plan. */
export interface FolderFile {
  /** File name inside the folder. */
  file: string;
  /** Tensor names stored in it, in state-dict order. */
  tensors: string[];
  /** Bytes of its tensors (what huggingface_hub's split and total_size count). */
  tensorBytes: number;
  /** Size of the file, header included. */
  fileBytes: number;
  /** The part (0-based) that writes it. */
  owner: number;
}

/** Options of `planModelFolder` and `writeModelFolder`. */
export interface FolderOptions extends Omit<WriteOptions, "onProgress"> {
  /** Largest shard in bytes (a tensor larger than this alone gets a shard of its own), or a size such as "5GB". Default 5GB. */
  maxShardSize?: number | string;
  /** Write only part `index` of `count` (0 <= index < count; requires `seed`). Default: the whole folder. */
  part?: { index: number; count: number };
  /** Options of the preset built from the config (presetFromConfig). */
  preset?: PresetOptions;
  /** Called after every chunk, with the totals of this part's files. */
  onProgress?: (progress: WriteProgress) => void;
}

/** A planned folder: what each file holds and which part writes it. No I/O was done. */
export interface FolderPlan {
  preset: Preset;
  seed: bigint;
  dtype: DType;
  /** Whether the weights are sharded (more than one file, and an index). */
  sharded: boolean;
  files: FolderFile[];
  /** Sum of all tensor bytes (the index's metadata.total_size). */
  totalSize: number;
  part: { index: number; count: number };
  /** config.json's bytes (the input config, keys sorted, torch_dtype set). */
  configJson: Buffer;
  /** The index's bytes, or null when the weights are one file. */
  indexJson: Buffer | null;
}

/** What `writeModelFolder` did. */
export interface FolderResult {
  dir: string;
  seed: bigint;
  dtype: DType;
  sharded: boolean;
  /** Files this call wrote (weight files, then config.json and the index when it finished the folder). */
  written: string[];
  /** Bytes this call wrote into weight files. */
  bytes: number;
  /** Whether the folder is complete: every weight file verified, config.json and (sharded) the index written. */
  complete: boolean;
  /** Weight files of other parts not (yet) there when this part finished. */
  missing: string[];
  parameters: number;
  seconds: number;
}

/** huggingface_hub's split: shards of tensor names, in its order (see the file comment). */
export function splitShards(sizes: readonly { name: string; bytes: number }[], maxShardSize: number): string[][] {
  const shards: string[][] = [];
  let current: string[] = [];
  let currentSize = 0;
  for (const { name, bytes } of sizes) {
    if (bytes > maxShardSize) {
      shards.push([name]);
      continue;
    }
    if (currentSize + bytes > maxShardSize) {
      shards.push(current);
      current = [];
      currentSize = 0;
    }
    current.push(name);
    currentSize += bytes;
  }
  if (current.length > 0) shards.push(current);
  return shards;
}

/**
 * Owners of `sizes.length` files for `count` parts: the largest file first (ties: the lower file
 * index) onto the part with the fewest bytes so far (ties: the lower part index). Deterministic.
 */
export function assignParts(sizes: readonly number[], count: number): number[] {
  const load = new Array<number>(count).fill(0);
  const owner = new Array<number>(sizes.length).fill(0);
  const order = sizes.map((_, i) => i).sort((a, b) => sizes[b] - sizes[a] || a - b);
  for (const f of order) {
    let best = 0;
    for (let p = 1; p < count; p++) if (load[p] < load[best]) best = p;
    owner[f] = best;
    load[best] += sizes[f];
  }
  return owner;
}

/** JSON laid out as save_pretrained writes it (Python's json.dumps(value, indent=2, sort_keys=True) + "\n", non-ASCII escaped). */
export function pythonJson(value: unknown): Buffer {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (typeof v !== "object" || v === null) return v;
    const out = Object.create(null) as Record<string, unknown>;
    for (const k of Object.keys(v).sort()) out[k] = sort((v as Record<string, unknown>)[k]);
    return out;
  };
  const text = JSON.stringify(sort(value), null, 2).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return Buffer.from(`${text}\n`, "utf8");
}

function checkPart(value: unknown): { index: number; count: number } {
  if (value === undefined) return { index: 0, count: 1 };
  if (typeof value !== "object" || value === null) throw typeError('"part" option', "an object {index, count}", value);
  const { index, count } = value as { index?: unknown; count?: unknown };
  if (typeof count !== "number" || !Number.isSafeInteger(count) || count < 1 || count > MAX_PARTS) throw rangeError('"part.count" option', `an integer in [1, ${MAX_PARTS}]`, count);
  if (typeof index !== "number" || !Number.isSafeInteger(index) || index < 0 || index >= count) throw rangeError('"part.index" option', `an integer in [0, ${count - 1}]`, index);
  return { index, count };
}

/** Reads and validates every option once and plans the folder (no I/O). */
interface InternalPlan extends FolderPlan {
  writeOptions: WriteOptions;
  onProgress: FolderOptions["onProgress"];
  /** Each file's header bytes (length prefix included), in `files` order. */
  headers: Buffer[];
}

function plan(config: unknown, options: FolderOptions | undefined): InternalPlan {
  const opts = readOptions(options, ["seed", "dtype", "threads", "metadata", "chunkBytes", "onProgress", "signal", "checkSpace", "maxShardSize", "part", "preset"]);
  if (typeof config !== "object" || config === null || Array.isArray(config)) throw typeError('"config" argument', "a config.json object", config);
  let configCopy: Record<string, unknown>;
  try {
    configCopy = structuredClone(config) as Record<string, unknown>; // read once: the preset and config.json see the same values
  } catch {
    throw typeError('"config" argument', "a config.json object (JSON values only)", config);
  }
  const part = checkPart(opts.part);
  if (part.count > 1 && opts.seed === undefined) {
    throw valueError('"seed" option', "is required when the folder is written in parts (every part must use the same seed)", undefined);
  }
  const maxShardSize = opts.maxShardSize === undefined ? DEFAULT_MAX_SHARD_SIZE : parseSize(opts.maxShardSize);
  const preset = presetFromConfig(configCopy, opts.preset as PresetOptions | undefined);
  const dtype = opts.dtype === undefined ? (configDType(configCopy) ?? "float32") : resolveDType(opts.dtype);
  const seed = opts.seed === undefined ? randomBytes(8).readBigUInt64LE(0) : opts.seed;
  const writeOptions: WriteOptions = {
    seed: seed as WriteOptions["seed"], dtype, threads: opts.threads as number | undefined, metadata: opts.metadata as WriteOptions["metadata"],
    chunkBytes: opts.chunkBytes as number | undefined, signal: opts.signal as AbortSignal | undefined, checkSpace: opts.checkSpace as boolean | undefined,
  };
  // Validates the whole model once (names, inits, options, dtypes, seed) before anything is split.
  const whole = planSafetensors(preset, writeOptions);
  const dtypeOf = (t: TensorSpec): DType => (t.dtype === undefined ? dtype : resolveDType(t.dtype));
  const sizes = preset.tensors.map((t) => ({ name: t.name, bytes: whole.model.byName.get(t.name)!.size * itemSize(dtypeOf(t)) }));
  const shards = splitShards(sizes, maxShardSize);
  const sharded = shards.length > 1;
  const names = shards.map((_, i) => (sharded ? `model-${String(i + 1).padStart(5, "0")}-of-${String(shards.length).padStart(5, "0")}.safetensors` : SINGLE_NAME));
  const bytesOf = new Map(sizes.map((s) => [s.name, s.bytes]));
  const specs = shards.map((tensors) => shardSpec(preset, tensors));
  const layouts = specs.map((s) => planSafetensors(s, writeOptions).layout);
  const fileBytes = layouts.map((l) => l.totalBytes);
  const owners = assignParts(fileBytes, part.count);
  const files: FolderFile[] = shards.map((tensors, i) => ({
    file: names[i], tensors, tensorBytes: tensors.reduce((a, n) => a + bytesOf.get(n)!, 0), fileBytes: fileBytes[i], owner: owners[i],
  }));
  const totalSize = files.reduce((a, f) => a + f.tensorBytes, 0);
  const outConfig: Record<string, unknown> = { ...configCopy, torch_dtype: dtype };
  if ("dtype" in configCopy) outConfig.dtype = dtype;
  const weightMap = Object.fromEntries(files.flatMap((f) => f.tensors.map((n) => [n, f.file])));
  return {
    preset, seed: whole.seed, dtype, sharded, files, totalSize, part,
    configJson: pythonJson(outConfig),
    indexJson: sharded ? pythonJson({ metadata: { total_size: totalSize }, weight_map: weightMap }) : null,
    writeOptions, onProgress: opts.onProgress as FolderOptions["onProgress"], headers: layouts.map((l) => l.header),
  };
}

/** The sub-model a shard stores: its tensors, and the tied aliases of those tensors (recorded in its metadata). */
function shardSpec(preset: Preset, names: readonly string[]): { tensors: TensorSpec[]; tied: Record<string, string> } {
  const set = new Set(names);
  const tied = Object.fromEntries(Object.entries(preset.tied).filter(([, target]) => set.has(target)));
  return { tensors: preset.tensors.filter((t) => set.has(t.name)), tied };
}

/**
 * Plans the Hugging Face folder of `config` (a config.json object): the files, what each holds,
 * its size and which part writes it, config.json's and the index's bytes. Validates everything;
 * does no I/O. `nninit plan` prints it.
 */
export function planModelFolder(config: unknown, options?: FolderOptions): FolderPlan {
  const { writeOptions: _w, onProgress: _p, headers: _h, ...p } = plan(config, options);
  return p;
}

/** The first `n` bytes of `path`, or null when it is shorter or cannot be read. */
async function readPrefix(path: string, n: number): Promise<Buffer | null> {
  const fh = await open(path, "r").catch(() => null);
  if (fh === null) return null;
  try {
    const b = Buffer.alloc(n);
    const { bytesRead } = await fh.read(b, 0, n, 0);
    return bytesRead === n ? b : null;
  } finally {
    await fh.close();
  }
}

/**
 * The planned weight files that are not in `dir` as planned: absent, another size, or another
 * header (another seed, dtype, config or stream version). Each file was renamed into place only
 * when complete, so a file with the planned size and header bytes is the planned file.
 */
async function unverified(dir: string, p: InternalPlan): Promise<string[]> {
  const missing: string[] = [];
  for (const [i, f] of p.files.entries()) {
    const path = join(dir, f.file);
    const st = await stat(path).catch(() => null);
    const header = p.headers[i];
    if (st === null || !st.isFile() || st.size !== f.fileBytes || !header.equals((await readPrefix(path, header.length)) ?? Buffer.alloc(0))) missing.push(f.file);
  }
  return missing;
}

/** Writes `bytes` to `path` atomically (temp + fsync + rename). */
async function writeSmallFile(path: string, bytes: Buffer, checkSpace: boolean): Promise<void> {
  const file = await createAtomic(path, bytes.length, checkSpace);
  try {
    await file.fh.write(bytes, 0, bytes.length, 0).catch((err) => {
      throw ioError(`cannot write ${path}`, err);
    });
    await file.commit();
  } catch (err) {
    await file.abort();
    throw err;
  }
}

/** Removes what a new write makes stale: config.json, the index, and weight files the plan does not name. */
async function removeStale(dir: string, keep: ReadonlySet<string>): Promise<void> {
  for (const name of await readdir(dir)) {
    if (name !== CONFIG_NAME && name !== INDEX_NAME && !(WEIGHT_FILE.test(name) && !keep.has(name))) continue;
    const path = join(dir, name);
    if (!(await stat(path).catch(() => null))?.isFile()) continue;
    await unlink(path).catch((err) => {
      if (err.code !== "ENOENT") throw ioError(`cannot remove ${path} (a file the new folder replaces)`, err);
    });
  }
}

/**
 * Writes the Hugging Face model folder `dir` of `config` (a config.json object): config.json and
 * the weights as model.safetensors or shards plus model.safetensors.index.json (see the file
 * comment), creating `dir` and its parents. dtype: `options.dtype`, else the config's
 * torch_dtype, else float32. With `part`, writes only that part's shards, and finishes the folder
 * if it finds every other shard in place. Rejects on any error; what is on disk then never looks
 * like a finished folder (no config.json, or no index when sharded).
 * @example await writeModelFolder("out/llama", builtinConfig("llama-2-7b"), { seed: 1, dtype: "bf16" })
 */
export async function writeModelFolder(dir: string, config: unknown, options?: FolderOptions): Promise<FolderResult> {
  if (typeof dir !== "string" || dir.length === 0) throw typeError('"dir" argument', "a non-empty string", dir);
  if (dir.includes("\0")) throw valueError('"dir" argument', "must not contain null bytes", dir);
  const p = plan(config, options);
  const { writeOptions, onProgress, part } = p;
  writeOptions.signal?.throwIfAborted();
  const start = performance.now();
  const path = resolve(dir);
  await mkdir(path, { recursive: true }).catch((err) => {
    throw ioError(`cannot create the folder ${dir}`, err);
  });
  const mine = p.files.filter((f) => f.owner === part.index);
  const checkSpace = writeOptions.checkSpace ?? true;
  if (checkSpace) await checkFreeSpace(path, mine.reduce((a, f) => a + f.fileBytes, 0));
  await removeStale(path, new Set(p.files.map((f) => f.file)));
  const totalBytes = mine.reduce((a, f) => a + f.fileBytes, 0);
  const tensorCount = mine.reduce((a, f) => a + f.tensors.length, 0);
  let bytesBefore = 0;
  let tensorsBefore = 0;
  const written: string[] = [];
  for (const f of mine) {
    const forward = onProgress === undefined ? undefined : (q: WriteProgress): void => {
      if (q.phase !== "done") onProgress({ ...q, bytesWritten: bytesBefore + q.bytesWritten, totalBytes, tensorsDone: tensorsBefore + q.tensorsDone, tensorCount });
    };
    await writeSafetensors(join(path, f.file), shardSpec(p.preset, f.tensors), { ...writeOptions, onProgress: forward });
    written.push(f.file);
    bytesBefore += f.fileBytes;
    tensorsBefore += f.tensors.length;
  }
  writeOptions.signal?.throwIfAborted();
  const missing = await unverified(path, p);
  if (missing.length === 0) {
    await writeSmallFile(join(path, CONFIG_NAME), p.configJson, false);
    written.push(CONFIG_NAME);
    if (p.indexJson !== null) {
      await writeSmallFile(join(path, INDEX_NAME), p.indexJson, false);
      written.push(INDEX_NAME);
    }
  }
  if (onProgress !== undefined) {
    reportDone(() => onProgress({ phase: "done", bytesWritten: totalBytes, totalBytes, tensorsDone: tensorCount, tensorCount }), path);
  }
  return {
    dir: path, seed: p.seed, dtype: p.dtype, sharded: p.sharded, written, bytes: totalBytes, complete: missing.length === 0, missing,
    parameters: p.preset.parameters, seconds: (performance.now() - start) / 1000,
  };
}

/** Refuses a write of `bytes` into `dir` that its file system has no room for (each file checks again). */
async function checkFreeSpace(dir: string, bytes: number): Promise<void> {
  const fs = await statfs(dir).catch(() => null);
  const avail = fs === null ? Infinity : fs.bavail * fs.bsize;
  if (bytes > avail) {
    throw ioError(`cannot write ${dir}: its files need ${formatBytes(bytes)} but it has ${formatBytes(avail)} free`, Object.assign(new Error(), { code: "ENOSPC" }));
  }
}

/** What `writeFolderIndex` found and wrote. */
export interface IndexResult {
  path: string;
  files: number;
  tensors: number;
  totalSize: number;
}

/**
 * Writes `dir`'s model.safetensors.index.json from the shards on disk (`nninit index DIR`): every
 * model-i-of-N.safetensors for one N, i = 1..N, each a valid, complete safetensors file, no tensor
 * in two of them, all written with the same nninit seed and stream version where they record one,
 * and config.json present. Refuses (naming what is wrong) otherwise, and then writes nothing.
 */
export async function writeFolderIndex(dir: string): Promise<IndexResult> {
  if (typeof dir !== "string" || dir.length === 0) throw typeError('"dir" argument', "a non-empty string", dir);
  const path = resolve(dir);
  const names = await readdir(path).catch((err) => {
    throw ioError(`cannot read the folder ${dir}`, err);
  });
  const shards = new Map<number, string>();
  let count: number | undefined;
  for (const name of names) {
    const m = WEIGHT_FILE.exec(name);
    if (m === null) continue;
    if (m[1] === undefined) throw valueError(`folder ${dir}`, `holds ${SINGLE_NAME}, which needs no index (remove it or the shards)`, name);
    const n = Number(m[2]);
    if (count !== undefined && n !== count) throw valueError(`folder ${dir}`, `holds shards of two splits (of ${count} and of ${n} files)`, name);
    count = n;
    shards.set(Number(m[1]), name);
  }
  if (count === undefined) throw valueError(`folder ${dir}`, "holds no model-i-of-N.safetensors shards", path);
  const absent = [];
  for (let i = 1; i <= count; i++) if (!shards.has(i)) absent.push(`model-${String(i).padStart(5, "0")}-of-${String(count).padStart(5, "0")}.safetensors`);
  if (absent.length > 0) throw valueError(`folder ${dir}`, `is missing ${absent.length} of ${count} shards (${absent.slice(0, 3).join(", ")}${absent.length > 3 ? ", ..." : ""})`, absent[0]);
  if (count !== shards.size) throw valueError(`folder ${dir}`, `has shard numbers outside 1..${count}`, [...shards.keys()].find((i) => i > count!));
  if (!(await stat(join(path, CONFIG_NAME)).catch(() => null))?.isFile()) throw valueError(`folder ${dir}`, `has no ${CONFIG_NAME} (write it, or rerun any part of the init)`, join(path, CONFIG_NAME));
  const weightMap: Record<string, string> = Object.create(null);
  let totalSize = 0;
  let tensors = 0;
  let stamp: string | undefined;
  for (let i = 1; i <= count; i++) {
    const file = shards.get(i)!;
    const h = readSafetensorsHeader(join(path, file)); // complete: the header covers the file exactly (header.ts)
    const s = `${h.metadata["nninit.seed"]}/${h.metadata["nninit.stream_version"]}`;
    if (stamp !== undefined && s !== stamp) throw valueError(`shard ${file}`, `was written with another nninit seed/stream version than the others (${stamp})`, s);
    stamp = s;
    for (const t of h.tensors) {
      if (Object.hasOwn(weightMap, t.name)) throw valueError(`shard ${file}`, `holds tensor ${JSON.stringify(t.name)} that ${weightMap[t.name]} holds too`, t.name);
      weightMap[t.name] = file;
      totalSize += t.dataOffsets[1] - t.dataOffsets[0];
      tensors++;
    }
  }
  await writeSmallFile(join(path, INDEX_NAME), pythonJson({ metadata: { total_size: totalSize }, weight_map: weightMap }), false);
  return { path: join(path, INDEX_NAME), files: count, tensors, totalSize };
}

/**
 * The part this process is, from the scheduler that started it: Slurm job arrays
 * (SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN of SLURM_ARRAY_TASK_COUNT), Kubernetes Indexed Jobs
 * (JOB_COMPLETION_INDEX; the count is the Job's completions, passed as `count`), torchrun
 * (RANK of WORLD_SIZE). `count`, when given, must agree with the scheduler's.
 */
export function partFromEnvironment(env: Readonly<Record<string, string | undefined>> = process.env, count?: number): { index: number; count: number; source: string } {
  const int = (name: string): number => {
    const v = env[name];
    if (v === undefined || !/^\d+$/.test(v)) throw valueError(`environment variable ${name}`, "must be a non-negative integer", v);
    return Number(v);
  };
  let index: number;
  let n: number | undefined;
  let source: string;
  if (env.SLURM_ARRAY_TASK_ID !== undefined) {
    index = int("SLURM_ARRAY_TASK_ID") - (env.SLURM_ARRAY_TASK_MIN === undefined ? 0 : int("SLURM_ARRAY_TASK_MIN"));
    n = int("SLURM_ARRAY_TASK_COUNT");
    source = "Slurm job array";
  } else if (env.JOB_COMPLETION_INDEX !== undefined) {
    index = int("JOB_COMPLETION_INDEX");
    source = "Kubernetes Indexed Job";
    if (count === undefined) throw valueError("part count", "must be given (--parts N: the Job's completions) for a Kubernetes Indexed Job", undefined);
  } else if (env.RANK !== undefined) {
    index = int("RANK");
    n = int("WORLD_SIZE");
    source = "torchrun";
  } else {
    throw valueError("part", "auto needs SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX or RANK in the environment (none is set)", undefined);
  }
  if (count !== undefined && n !== undefined && count !== n) throw valueError("part count", `must match the ${source}'s count (${n})`, count);
  const total = n ?? count!;
  if (total < 1 || index >= total || index < 0) throw rangeError(`part index from the ${source}`, `an integer in [0, ${total - 1}]`, index);
  return { index, count: total, source };
}
