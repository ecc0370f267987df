/**
 * Checkpoint write throughput against the disk's own sequential write rate, measured in the same
 * run and the same way (same directory, chunk size, double-buffered positioned writes, fsync
 * included), for bench/: `await measureCheckpointWrite({ config: "tinyllama-1.1b" })`.
 */
import { open, unlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { backend, type Seed } from "../index.js";
import { builtinConfig } from "./configs.js";
import { createAtomic } from "./atomic.js";
import { ChunkWriter, noop } from "./pipe.js";
import { presetFromConfig } from "./presets.js";
import type { DTypeName } from "./spec.js";
import { planSafetensors, writeSafetensors } from "./write.js";

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
