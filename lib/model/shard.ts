/**
 * Shard fills for tensor parallelism: a contiguous range of a tensor, or a row or column block of
 * a 2-D weight [rows, cols], equal bit for bit to that part of the whole tensor's init.
 *
 * A row block is contiguous: one offset fill. A column block [r0, r1) x [c0, c1) is one segment
 * per row. Every fill generates the whole 4096-element blocks it touches (docs/stream.md §3), so:
 * - when the gap between two rows' segments (cols - width) spans at least two stream blocks, each
 *   row's segment is filled directly into `out` (the gaps' blocks are never generated);
 * - otherwise bands of rows are filled as one contiguous range into a bounded scratch buffer
 *   (each stream block is generated once) and the segments copied out.
 */
import { BLOCK_SIZE } from "../index.js";
import { rangeError, valueError } from "../plan/errors.js";
import { checkInteger, naturalDType, type DType, type OutArray } from "../plan/validate.js";
import { allocate, defineModel, fillRange, findTensor, modelOptions, type ModelFillOptions } from "./fill.js";
import { tensorKey } from "./key.js";
import type { SpecInput, Tensor } from "./spec.js";

/** Elements of the scratch band of a column-block fill (16 MiB of float32). */
const BAND_ELEMENTS = 1 << 22;

/**
 * The part [start, end) of `size` items that rank `rank` of `worldSize` gets: contiguous, in rank
 * order, the first `size % worldSize` ranks one item more (numpy.array_split).
 */
export function shardRange(size: number, rank: number, worldSize: number): [number, number] {
  checkInteger('"size" argument', size, 0);
  checkInteger('"worldSize" argument', worldSize, 1);
  checkInteger('"rank" argument', rank, 0, worldSize - 1);
  const base = Math.floor(size / worldSize);
  const extra = size % worldSize;
  const start = rank * base + Math.min(rank, extra);
  return [start, start + base + (rank < extra ? 1 : 0)];
}

/** Fills `out` (row-major [r1 - r0, c1 - c0]) with the block rows [r0, r1) x cols [c0, c1) of 2-D tensor `t`. */
export function fillBlockOf(t: Tensor, out: OutArray, key: bigint, rows: readonly [number, number], cols: readonly [number, number], dtype: DType, threads?: number): OutArray {
  const width = t.shape[1];
  const [r0, r1] = rows;
  const [c0, c1] = cols;
  const w = c1 - c0;
  const h = r1 - r0;
  if (h === 0 || w === 0) return out;
  if (w === width) return fillRange(t, out, key, r0 * width, dtype, threads);
  if (width - w >= 2 * BLOCK_SIZE) {
    for (let i = 0; i < h; i++) fillRange(t, out.subarray(i * w, (i + 1) * w), key, (r0 + i) * width + c0, dtype, threads);
    return out;
  }
  const band = Math.max(1, Math.min(h, Math.floor(BAND_ELEMENTS / width)));
  const scratch = allocate(dtype, (band - 1) * width + w);
  for (let r = r0; r < r1; r += band) {
    const n = Math.min(band, r1 - r);
    const span = scratch.subarray(0, (n - 1) * width + w);
    fillRange(t, span, key, r * width + c0, dtype, threads);
    for (let i = 0; i < n; i++) out.set(span.subarray(i * width, i * width + w), (r - r0 + i) * w);
  }
  return out;
}

/** Options of `fillBlock`. */
export interface FillBlockOptions extends ModelFillOptions {
  /** Row range [r0, r1) (default: all rows). */
  rows?: readonly [number, number];
  /** Column range [c0, c1) (default: all columns). */
  cols?: readonly [number, number];
}

function checkRange(name: string, value: unknown, limit: number): [number, number] {
  if (!Array.isArray(value) || value.length !== 2) throw rangeError(`"${name}" option`, `a pair [start, end) within [0, ${limit}]`, value);
  const a = checkInteger(`"${name}[0]" option`, value[0], 0, limit);
  return [a, checkInteger(`"${name}[1]" option`, value[1], a, limit)];
}

/**
 * Fills `out` with the block rows x cols of 2-D tensor `name`, row-major: the same values as
 * that block of initModel(spec, {seed}).get(name), bit for bit.
 */
export function fillBlock<T extends OutArray>(spec: SpecInput, name: string, out: T, options: FillBlockOptions): T {
  const t = findTensor(defineModel(spec), name);
  const { seed, dtype, threads, bag } = modelOptions(options, ["rows", "cols"]);
  if (t.shape.length !== 2) throw valueError('"name" argument', `must name a 2-D tensor for a block fill (shape [${t.shape.join(", ")}])`, name);
  const rows = bag.rows === undefined ? ([0, t.shape[0]] as [number, number]) : checkRange("rows", bag.rows, t.shape[0]);
  const cols = bag.cols === undefined ? ([0, t.shape[1]] as [number, number]) : checkRange("cols", bag.cols, t.shape[1]);
  const n = (rows[1] - rows[0]) * (cols[1] - cols[0]);
  if (out.length !== n) throw rangeError('"out" argument', `of length ${n} for this block`, `length ${out.length}`);
  const natural: DType | undefined = naturalDType(out);
  const dt = dtype ?? t.dtype ?? natural;
  if (dt === undefined) throw valueError('"dtype" option', `is required for a Uint16Array (tensor "${t.name}" names no dtype)`, undefined);
  if (n > 0) fillRange(t, out.subarray(0, 0), 0n, 0, dt); // checks out against dt before any work
  return fillBlockOf(t, out, tensorKey(seed, t.name), rows, cols, dt, threads) as T;
}

/** Options of `initShard`. */
export interface ShardOptions extends ModelFillOptions {
  /** This rank, in [0, worldSize). */
  rank: number;
  /** Number of ranks. */
  worldSize: number;
  /**
   * What is split: 0 = rows (dim 0; a 1-D tensor's elements), 1 = columns of a 2-D tensor,
   * "flat" (default) = a contiguous range of the flattened tensor.
   */
  dim?: 0 | 1 | "flat";
}

/** A rank's shard: its data and where it lies in the tensor. */
export interface Shard {
  data: OutArray;
  /** Shape of `data`. */
  shape: number[];
  /** Row (or, for "flat", element) range, and column range (2-D dim 1 only; else all columns). */
  rows: [number, number];
  cols: [number, number];
}

/** Allocates and fills rank `rank`'s shard of tensor `name` (Megatron-style split, numpy.array_split sizes). */
export function initShard(spec: SpecInput, name: string, options: ShardOptions): Shard {
  const t = findTensor(defineModel(spec), name);
  const { seed, dtype, threads, bag } = modelOptions(options, ["rank", "worldSize", "dim"]);
  const worldSize = checkInteger('"worldSize" option', bag.worldSize, 1);
  const rank = checkInteger('"rank" option', bag.rank, 0, worldSize - 1);
  const dim = bag.dim ?? "flat";
  if (dim !== "flat" && dim !== 0 && dim !== 1) throw valueError('"dim" option', 'must be 0, 1 or "flat"', dim);
  if (dim === 1 ? t.shape.length !== 2 : dim === 0 && t.shape.length > 2) {
    throw valueError('"dim" option', `does not fit tensor "${t.name}" of shape [${t.shape.join(", ")}]`, dim);
  }
  const dt = t.dtype ?? dtype ?? "float32";
  const key = tensorKey(seed, t.name);
  if (dim === "flat" || t.shape.length < 2) {
    const [a, b] = shardRange(t.size, rank, worldSize);
    return { data: fillRange(t, allocate(dt, b - a), key, a, dt, threads), shape: [b - a], rows: [a, b], cols: [0, 1] };
  }
  const [R, C] = t.shape;
  const rows = dim === 0 ? shardRange(R, rank, worldSize) : ([0, R] as [number, number]);
  const cols = dim === 1 ? shardRange(C, rank, worldSize) : ([0, C] as [number, number]);
  const shape = [rows[1] - rows[0], cols[1] - cols[0]];
  return { data: fillBlockOf(t, allocate(dt, shape[0] * shape[1]), key, rows, cols, dt, threads), shape, rows, cols };
}
