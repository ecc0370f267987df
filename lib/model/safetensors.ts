/**
 * The .safetensors format (https://github.com/huggingface/safetensors): an 8-byte little-endian
 * header length N, N bytes of JSON {"__metadata__": {string: string}, name: {"dtype", "shape",
 * "data_offsets": [begin, end]}}, then the data (offsets relative to its start, contiguous, no
 * gaps). nninit pads the JSON with spaces so the data starts at a multiple of 8, and lays the
 * tensors out by decreasing element size so that every tensor is aligned to its element size.
 */
import { STREAM_VERSION } from "../index.js";
import { rangeError, valueError } from "../plan/errors.js";
import type { DType } from "../plan/validate.js";
import type { Model, Tensor } from "./spec.js";

/** safetensors dtype names and element sizes of the types nninit writes. */
export const ST_DTYPE: Record<DType, string> = { float32: "F32", float64: "F64", bfloat16: "BF16", float16: "F16" };
export const FROM_ST: Record<string, DType> = { F32: "float32", F64: "float64", BF16: "bfloat16", F16: "float16" };
/** Element sizes of every safetensors dtype (for validating files written by others). */
export const ST_SIZE: Record<string, number> = {
  BOOL: 1, U8: 1, I8: 1, F8_E5M2: 1, F8_E4M3: 1, I16: 2, U16: 2, F16: 2, BF16: 2, I32: 4, U32: 4, F32: 4, F64: 8, I64: 8, U64: 8,
};
export const itemSize = (d: DType): number => ST_SIZE[ST_DTYPE[d]];
/** The safetensors reference implementation rejects larger headers. */
export const MAX_HEADER = 100_000_000;

/** One tensor's place in a file. */
export interface Placed {
  tensor: Tensor;
  dtype: DType;
  /** Byte offsets [begin, end) relative to the start of the data. */
  begin: number;
  end: number;
}

/** A file's layout: the header bytes (length prefix included) and every tensor's place. */
export interface FileLayout {
  header: Buffer;
  /** Tensors in data order (decreasing element size, then spec order). */
  placed: Placed[];
  /** Total file size in bytes. */
  totalBytes: number;
  metadata: Record<string, string>;
}

/** The metadata nninit records: seed, stream version, key derivation, each tensor's init, ties. */
export function nninitMetadata(model: Model, seed: bigint, dtypeOf: (t: Tensor) => DType): Record<string, string> {
  const meta: Record<string, string> = {
    format: "pt", // transformers' from_pretrained requires it
    "nninit.seed": seed.toString(),
    "nninit.stream_version": String(STREAM_VERSION),
    "nninit.key": "tensorKey(seed, name) = mix64(mix64(seed + GAMMA) ^ fnv1a64(utf8(name))), docs/stream.md §11",
  };
  for (const t of model.tensors) {
    const rec: Record<string, unknown> = { init: t.init, options: t.options, dtype: dtypeOf(t) };
    if (t.paddingIdx !== undefined) rec.paddingIdx = t.paddingIdx;
    meta[`nninit.init.${t.name}`] = JSON.stringify(rec);
  }
  if (model.tied.size > 0) meta["nninit.tied"] = JSON.stringify(Object.fromEntries(model.tied));
  return meta;
}

/** Plans a file: data order, offsets and the padded header. */
export function layoutFile(model: Model, dtypeOf: (t: Tensor) => DType, metadata: Record<string, string>): FileLayout {
  const order = model.tensors.map((tensor, i) => ({ tensor, dtype: dtypeOf(tensor), i }));
  order.sort((a, b) => itemSize(b.dtype) - itemSize(a.dtype) || a.i - b.i);
  let at = 0;
  const placed = order.map(({ tensor, dtype }) => {
    const begin = at;
    at += tensor.size * itemSize(dtype);
    return { tensor, dtype, begin, end: at };
  });
  const byName = new Map(placed.map((p) => [p.tensor.name, p]));
  const parts = [`"__metadata__":${JSON.stringify(metadata)}`];
  for (const t of model.tensors) {
    const p = byName.get(t.name) as Placed;
    parts.push(`${JSON.stringify(t.name)}:${JSON.stringify({ dtype: ST_DTYPE[p.dtype], shape: t.shape, data_offsets: [p.begin, p.end] })}`);
  }
  const json = Buffer.from(`{${parts.join(",")}}`, "utf8");
  const n = Math.ceil(json.length / 8) * 8;
  if (n > MAX_HEADER) throw rangeError('"spec" argument', `a model whose safetensors header fits in ${MAX_HEADER} bytes`, `${n} bytes`);
  const header = Buffer.alloc(8 + n, 0x20);
  header.writeBigUInt64LE(BigInt(n), 0);
  json.copy(header, 8);
  return { header, placed, totalBytes: 8 + n + at, metadata };
}

/** A tensor entry of a safetensors header. */
export interface HeaderEntry {
  name: string;
  /** safetensors dtype name, e.g. "BF16". */
  dtype: string;
  shape: number[];
  /** Byte offsets [begin, end) relative to the start of the data. */
  dataOffsets: [number, number];
}

/** A parsed and validated safetensors header. */
export interface SafetensorsHeader {
  /** Length N of the JSON header; the data starts at byte 8 + N. */
  headerLength: number;
  dataStart: number;
  metadata: Record<string, string>;
  /** Tensors in header order. */
  tensors: HeaderEntry[];
}

const bad = (what: string, value: unknown): RangeError => valueError("safetensors header", what, value);
const isCount = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;

/**
 * Parses and validates the JSON header (bytes 8 .. 8 + N) of a file of `fileSize` bytes: known
 * dtypes, shapes of non-negative integers, offsets matching numel x element size, covering the
 * data exactly once with no gap or overlap, string-to-string metadata.
 */
export function parseHeader(json: Buffer, fileSize: number): SafetensorsHeader {
  let obj: unknown;
  try {
    obj = JSON.parse(json.toString("utf8"));
  } catch (err) {
    throw bad(`is not valid JSON (${(err as Error).message})`, json.subarray(0, 40).toString("utf8"));
  }
  if (typeof obj !== "object" || obj === null || Array.isArray(obj)) throw bad("must be a JSON object", obj);
  const metadata: Record<string, string> = {};
  const tensors: HeaderEntry[] = [];
  for (const [name, v] of Object.entries(obj as Record<string, unknown>)) {
    const e = v as Record<string, unknown>;
    if (name === "__metadata__") {
      if (typeof v !== "object" || v === null || Array.isArray(v)) throw bad("__metadata__ must be an object", v);
      for (const [k, s] of Object.entries(e)) {
        if (typeof s !== "string") throw bad(`__metadata__ values must be strings (${JSON.stringify(k)} is not)`, s);
        metadata[k] = s;
      }
      continue;
    }
    if (typeof v !== "object" || v === null || typeof e.dtype !== "string" || !Object.hasOwn(ST_SIZE, e.dtype)) throw bad(`entry ${JSON.stringify(name)} has no known dtype`, e?.dtype);
    if (!Array.isArray(e.shape) || !e.shape.every(isCount)) throw bad(`entry ${JSON.stringify(name)} has a bad shape`, e.shape);
    const off = e.data_offsets;
    if (!Array.isArray(off) || off.length !== 2 || !isCount(off[0]) || !isCount(off[1]) || off[0] > off[1]) throw bad(`entry ${JSON.stringify(name)} has bad data_offsets`, off);
    const bytes = (e.shape as number[]).reduce((a, b) => a * b, 1) * ST_SIZE[e.dtype];
    if (off[1] - off[0] !== bytes) throw bad(`entry ${JSON.stringify(name)}: data_offsets span ${off[1] - off[0]} bytes, shape x dtype needs ${bytes}`, off);
    tensors.push({ name, dtype: e.dtype, shape: e.shape as number[], dataOffsets: [off[0], off[1]] });
  }
  const dataStart = 8 + json.length;
  const sorted = [...tensors].sort((a, b) => a.dataOffsets[0] - b.dataOffsets[0] || a.dataOffsets[1] - b.dataOffsets[1]);
  let at = 0;
  for (const t of sorted) {
    if (t.dataOffsets[0] !== at) throw bad(`data of ${JSON.stringify(t.name)} starts at ${t.dataOffsets[0]}, expected ${at} (gap or overlap)`, t.dataOffsets);
    at = t.dataOffsets[1];
  }
  if (dataStart + at !== fileSize) throw bad(`describes ${dataStart + at} bytes but the file has ${fileSize}`, at);
  return { headerLength: json.length, dataStart, metadata, tensors };
}
