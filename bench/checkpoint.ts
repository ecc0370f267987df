/**
 * Checkpoint write throughput against the disk's own sequential write rate, measured in the same
 * run and the same way (same directory, chunk size, double-buffered positioned writes, fsync
 * included): `await measureCheckpointWrite({ config: "tinyllama-1.1b" })` for one .safetensors
 * file, `await measureFolderWrite({ config: "llama-2-7b", parts: 3 })` for a sharded Hugging Face
 * folder written by one process and by `parts` processes (the CLI's --part i/N),
 * `await measureGgufWrite({ config: "llama-2-7b" })` for GGUF files in F16 (against the disk) and
 * Q4_0 (against a bare `normal` fill of as many elements). Bench-only: it
 * measures the built package (dist/) through its internal modules, and is not part of the API.
 */
import { spawn } from "node:child_process";
import { mkdtemp, open, rm, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { backend, normal, type Seed } from "../dist/index.js";
import { builtinConfig } from "../dist/model/configs.js";
import { createAtomic } from "../dist/model/atomic.js";
import { planModelFolder, writeModelFolder } from "../dist/model/folder.js";
import { planGguf, writeGguf } from "../dist/model/gguf.js";
import { quantizerBackend } from "../dist/model/quant.js";
import { ChunkWriter, noop } from "../dist/model/pipe.js";
import { presetFromConfig } from "../dist/model/presets.js";
import type { DTypeName } from "../dist/model/spec.js";
import { planSafetensors, writeSafetensors } from "../dist/model/write.js";

/** Options of `measureCheckpointWrite`. */
export interface CheckpointBenchOptions {
  /** A built-in config name (e.g. "tinyllama-1.1b", "llama-2-7b") or a config.json object. */
  config: string | Record<string, unknown>;
  /** Default "bfloat16". */
  dtype?: DTypeName;
  /** Default 1. */
  seed?: Seed;
  /** Where the files go (deleted afterwards). Default os.tmpdir(). */
  dir?: string;
  threads?: number;
  /** Chunk buffer size for both measurements. Default 32 MiB. */
  chunkBytes?: number;
  /**
   * Rounds; each writes a constant buffer of the checkpoint's size, then the checkpoint. The
   * figures are medians over rounds: virtual disks have slow spells (measured here: a 2.2 GB
   * write taking 4-7 s instead of 1.6-1.8 s, for either kind, about one write in five), and a
   * median of 5 keeps one or two of them out of the figure. Default 5.
   */
  repeats?: number;
  /** A warm-up round (constant buffer only) first, not counted: the first big write is often slow. Default true. */
  warmup?: boolean;
}

/** Figures of one measurement. Rates are bytes per second (medians over the rounds). */
export interface CheckpointBenchResult {
  config: string;
  backend: string;
  parameters: number;
  /** File size. */
  bytes: number;
  /** Seconds of each checkpoint write (open to rename, fsync included). */
  checkpointSeconds: number[];
  checkpointBytesPerSecond: number;
  /** Seconds of each constant-buffer write of the same size (same writer, fsync included). */
  diskSeconds: number[];
  diskBytesPerSecond: number;
  /** checkpointBytesPerSecond / diskBytesPerSecond (medians). */
  ratio: number;
  /** The same ratio for the fastest run of each kind (less sensitive to a slow mode of the device). */
  bestRatio: number;
  /** Peak resident set size of this process so far (bytes). */
  peakRssBytes: number;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/**
 * Lets the file system finish with a deleted file before the next timed write: fsyncs the directory,
 * which commits the journal transaction holding the unlink (on ext4 mounted with `discard`, the
 * commit also sends the freed blocks' discards to the device, which would otherwise land in the
 * next write's time).
 */
async function settle(dir: string): Promise<void> {
  const d = await open(dir, "r").catch(() => null);
  await d?.sync().catch(noop);
  await d?.close().catch(noop);
}

/** Seconds to write `bytes` bytes of a constant buffer to a new file in `dir` (fsync included; file deleted). */
export async function measureDiskWrite(dir: string, bytes: number, chunkBytes = 32 << 20): Promise<number> {
  const start = performance.now();
  const file = await createAtomic(join(dir, "nninit-disk-rate.bin"), bytes);
  try {
    const w = new ChunkWriter(file.fh, chunkBytes, 0);
    for (let left = bytes; left > 0; ) {
      const n = Math.min(left, w.free);
      w.bytes(n).fill(0x5a); // not zeros: some devices and file systems compress or skip them
      w.commit(n);
      left -= n;
      if (w.free === 0) await w.flush();
    }
    await w.finish();
    await file.fh.sync();
    return (performance.now() - start) / 1000;
  } finally {
    await file.abort();
  }
}

/**
 * Writes the checkpoint of `config` and constant buffers of the same size, alternately, and
 * compares the median rates. Deletes every file it wrote. Needs free space for one checkpoint.
 */
export async function measureCheckpointWrite(options: CheckpointBenchOptions): Promise<CheckpointBenchResult> {
  const { config: configIn, dtype, seed, dir = tmpdir(), threads, chunkBytes = 32 << 20, repeats = 5, warmup = true } = options; // each read once
  const config = typeof configIn === "string" ? builtinConfig(configIn) : configIn;
  const preset = presetFromConfig(config);
  const path = join(dir, `nninit-bench-${process.pid}.safetensors`);
  const writeOptions = { seed: seed ?? 1, dtype: dtype ?? "bfloat16", threads, chunkBytes };
  const bytes = planSafetensors(preset, writeOptions).layout.totalBytes;
  const diskSeconds: number[] = [];
  const checkpointSeconds: number[] = [];
  try {
    if (warmup) await measureDiskWrite(dir, bytes, chunkBytes);
    for (let i = 0; i < repeats; i++) {
      await settle(dir);
      diskSeconds.push(await measureDiskWrite(dir, bytes, chunkBytes));
      await settle(dir);
      checkpointSeconds.push((await writeSafetensors(path, preset, writeOptions)).seconds);
      await unlink(path);
    }
  } finally {
    await unlink(path).catch(() => {});
  }
  const diskBytesPerSecond = median(diskSeconds.map((s) => bytes / s));
  const checkpointBytesPerSecond = median(checkpointSeconds.map((s) => bytes / s));
  return {
    config: typeof configIn === "string" ? configIn : String(config.model_type ?? "config"),
    backend: backend.name,
    parameters: preset.parameters,
    bytes,
    checkpointSeconds,
    checkpointBytesPerSecond,
    diskSeconds,
    diskBytesPerSecond,
    ratio: checkpointBytesPerSecond / diskBytesPerSecond,
    bestRatio: Math.min(...diskSeconds) / Math.min(...checkpointSeconds),
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
  };
}

/** Options of `measureFolderWrite`. */
export interface FolderBenchOptions {
  /** A built-in config name or a config.json object. */
  config: string | Record<string, unknown>;
  /** Default "bfloat16". */
  dtype?: DTypeName;
  /** Where the folders go (deleted afterwards). Default os.tmpdir(). */
  dir?: string;
  /** Shard limit. Default 5GB. */
  maxShardSize?: number | string;
  /** Processes of the parts write (0: none). Default 3. */
  parts?: number;
}

/** Figures of `measureFolderWrite`. Rates are bytes per second. */
export interface FolderBenchResult {
  config: string;
  backend: string;
  parameters: number;
  /** Bytes of the folder's weight files. */
  bytes: number;
  shards: number;
  /** A constant-buffer write of `bytes` (one file, same writer, fsync included). */
  diskSeconds: number;
  /** writeModelFolder in this process: every shard, config.json and the index. */
  folderSeconds: number;
  /** `parts` CLI processes with --part i/N at once into one folder, from the first spawn to the last exit. */
  partsSeconds: number | null;
  parts: number;
  /** Peak RSS of this process, and the largest of the part processes' (their own report). */
  peakRssBytes: number;
  partsPeakRssBytes: number | null;
}

/** Peak RSS of a CLI run from its summary line ("peak RSS 151 MiB"). */
function parseRss(line: string): number {
  const m = /peak RSS ([\d.]+) (B|KiB|MiB|GiB)/.exec(line);
  return m === null ? NaN : Number(m[1]) * { B: 1, KiB: 2 ** 10, MiB: 2 ** 20, GiB: 2 ** 30 }[m[2] as "B"];
}

/**
 * Writes the Hugging Face folder of `config` (sharded at `maxShardSize`) once in this process and
 * once as `parts` processes of the CLI (`--part i/N`, all at once, one folder), after a
 * constant-buffer write of the same size to the same disk. Deletes everything it wrote.
 */
export async function measureFolderWrite(options: FolderBenchOptions): Promise<FolderBenchResult> {
  const { config: configIn, dtype = "bfloat16", dir = tmpdir(), maxShardSize, parts = 3 } = options;
  const config = typeof configIn === "string" ? builtinConfig(configIn) : configIn;
  const plan = planModelFolder(config, { seed: 1, dtype, maxShardSize });
  const bytes = plan.files.reduce((a, f) => a + f.fileBytes, 0);
  const root = await mkdtemp(join(dir, "nninit-bench-folder-"));
  try {
    await settle(dir);
    const diskSeconds = await measureDiskWrite(root, bytes);
    await settle(root);
    const one = await writeModelFolder(join(root, "one"), config, { seed: 1, dtype, maxShardSize });
    if (!one.complete) throw new Error("the one-process folder is not complete");
    await rm(join(root, "one"), { recursive: true });
    await settle(root);
    let partsSeconds: number | null = null;
    let partsPeakRssBytes: number | null = null;
    if (parts > 0) {
      const cli = resolve(__dirname, "..", "dist", "cli", "main.js");
      const configPath = join(root, "config.json");
      await writeFile(configPath, JSON.stringify(config));
      const start = performance.now();
      const outs = await Promise.all(Array.from({ length: parts }, (_, i) => new Promise<string>((res, rej) => {
        const args = [cli, "init", "-c", configPath, "-o", `${join(root, "parts")}/`, "-d", dtype, "-s", "1", "--part", `${i}/${parts}`, "--progress", "none"];
        if (maxShardSize !== undefined) args.push("--max-shard-size", String(maxShardSize));
        const c = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
        let out = "";
        let err = "";
        c.stdout.on("data", (d) => (out += d));
        c.stderr.on("data", (d) => (err += d));
        c.on("close", (code) => (code === 0 ? res(out) : rej(new Error(`part ${i}/${parts} exited ${code}: ${err}`))));
      })));
      partsSeconds = (performance.now() - start) / 1000;
      if (!outs.some((o) => /complete \(/.test(o))) throw new Error(`no part completed the folder:\n${outs.join("")}`);
      partsPeakRssBytes = Math.max(...outs.map(parseRss));
    }
    return {
      config: typeof configIn === "string" ? configIn : String(config.model_type ?? "config"),
      backend: backend.name, parameters: plan.preset.parameters, bytes, shards: plan.files.length,
      diskSeconds, folderSeconds: one.seconds, partsSeconds, parts,
      peakRssBytes: process.resourceUsage().maxRSS * 1024, partsPeakRssBytes,
    };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/** Options of `measureGgufWrite`. */
export interface GgufBenchOptions {
  /** A built-in config name (llama, mistral, qwen2, qwen3 only: e.g. "llama-2-7b", "tinyllama-1.1b") or a config.json object. */
  config: string | Record<string, unknown>;
  /** Where the files go (deleted afterwards). Default os.tmpdir(). */
  dir?: string;
  threads?: number;
  /** Chunk buffer size of every write and of the bare fill's buffer. Default 32 MiB (writeGguf's). */
  chunkBytes?: number;
}

/** Figures of `measureGgufWrite` (one round each; seconds). */
export interface GgufBenchResult {
  config: string;
  backend: string;
  /** What lib/model/quant.ts runs: "native" (the binding's quantizers) or "js". */
  quantizer: string;
  parameters: number;
  f16: { bytes: number; seconds: number; diskSeconds: number; /** diskSeconds / seconds: the fraction of the disk's rate */ ratio: number };
  q4: {
    bytes: number;
    seconds: number;
    /** A bare `normal` fill (std 0.02) of `parameters` elements through one chunk-sized Float32Array, before and after the Q4_0 write. */
    fillSeconds: [number, number];
    /** seconds / mean(fillSeconds): what quantizing and writing add to the generation. */
    ratio: number;
  };
  /** Peak resident set size of this process (getrusage; the scenario replaces it with VmHWM). */
  peakRssBytes: number;
}

/** Seconds of a bare `normal` fill of `count` elements, `buf.length` at a time. */
function bareNormalFill(buf: Float32Array, count: number, threads: number | undefined): number {
  const start = performance.now();
  for (let done = 0; done < count; done += buf.length) {
    const out = count - done >= buf.length ? buf : buf.subarray(0, count - done);
    normal(out, { std: 0.02, seed: done, threads });
  }
  return (performance.now() - start) / 1000;
}

/**
 * Writes the GGUF file of `config` in F16 after a constant-buffer write of the same size (the
 * disk's rate, same directory and chunk size, fsync included), then in Q4_0 between two bare
 * `normal` fills of the model's element count in this process (Q4_0 is ≈ 0.56 bytes an element,
 * so generation, not the disk, is its limit). Deletes every file it wrote. Needs free space for
 * the F16 file.
 */
export async function measureGgufWrite(options: GgufBenchOptions): Promise<GgufBenchResult> {
  const { config: configIn, dir = tmpdir(), threads, chunkBytes = 32 << 20 } = options; // each read once
  const config = typeof configIn === "string" ? builtinConfig(configIn) : configIn;
  const path = join(dir, `nninit-bench-${process.pid}.gguf`);
  const opts = (dtype: "f16" | "q4_0") => ({ seed: 1, dtype, threads, chunkBytes });
  const f16Plan = planGguf(config, opts("f16"));
  const q4Plan = planGguf(config, opts("q4_0"));
  try {
    await measureDiskWrite(dir, Math.min(f16Plan.totalBytes, 1 << 30), chunkBytes); // warm-up, not counted
    await settle(dir);
    const diskSeconds = await measureDiskWrite(dir, f16Plan.totalBytes, chunkBytes);
    await settle(dir);
    const f16Seconds = (await writeGguf(path, config, opts("f16"))).seconds;
    await unlink(path);
    await settle(dir);
    const buf = new Float32Array(chunkBytes / 4);
    bareNormalFill(buf, Math.min(f16Plan.parameters, 1 << 24), threads); // warm-up
    const fill0 = bareNormalFill(buf, q4Plan.parameters, threads);
    const q4Seconds = (await writeGguf(path, config, opts("q4_0"))).seconds;
    await unlink(path);
    const fill1 = bareNormalFill(buf, q4Plan.parameters, threads);
    return {
      config: typeof configIn === "string" ? configIn : String(config._name_or_path ?? config.model_type ?? "config"),
      backend: backend.name,
      quantizer: quantizerBackend,
      parameters: q4Plan.parameters,
      f16: { bytes: f16Plan.totalBytes, seconds: f16Seconds, diskSeconds, ratio: diskSeconds / f16Seconds },
      q4: { bytes: q4Plan.totalBytes, seconds: q4Seconds, fillSeconds: [fill0, fill1], ratio: q4Seconds / ((fill0 + fill1) / 2) },
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
    };
  } finally {
    await unlink(path).catch(() => {});
  }
}
