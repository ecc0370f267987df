/**
 * The .safetensors format (https://github.com/huggingface/safetensors): an 8-byte little-endian
 * header length N, N bytes of JSON {"__metadata__": {string: string}, name: {"dtype", "shape",
 * "data_offsets": [begin, end]}}, then the data (offsets relative to its start, contiguous, no
 * gaps). nninit pads the JSON with spaces so the data starts at a multiple of 8, and lays the
 * tensors out by decreasing element size so that every tensor is aligned to its element size.
 */
import { STREAM_VERSION } from "../index.js";
import { rangeError } from "../plan/errors.js";
import type { DType } from "../plan/validate.js";
import { ST_SIZE } from "./header.js";
import { MAX_HEADER } from "./limits.js";
import type { Model, Tensor } from "./spec.js";

/** safetensors dtype names and element sizes of the types nninit writes. */
export const ST_DTYPE: Record<DType, string> = { float32: "F32", float64: "F64", bfloat16: "BF16", float16: "F16" };
export const FROM_ST: Record<string, DType> = { F32: "float32", F64: "float64", BF16: "bfloat16", F16: "float16" };
export const itemSize = (d: DType): number => ST_SIZE[ST_DTYPE[d]];
export { MAX_HEADER, ST_SIZE };

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

/** A lower bound of the header's JSON bytes, checked before the JSON is built (names and values as UTF-8). */
function headerBytesAtLeast(model: Model, metadata: Record<string, string>): number {
  let bytes = 2;
  for (const t of model.tensors) bytes += Buffer.byteLength(t.name) + 52; // "name":{"dtype":"F32","shape":[],"data_offsets":[0,0]},
  for (const [k, v] of Object.entries(metadata)) bytes += Buffer.byteLength(k) + Buffer.byteLength(v) + 6; // "k":"v",
  return bytes;
}

/** The metadata nninit records: seed, stream version, key derivation, each tensor's init, ties. */
export function nninitMetadata(model: Model, seed: bigint, dtypeOf: (t: Tensor) => DType): Record<string, string> {
  const meta: Record<string, string> = Object.assign(Object.create(null) as Record<string, string>, {
    format: "pt", // transformers' from_pretrained requires it
    "nninit.seed": seed.toString(),
    "nninit.stream_version": String(STREAM_VERSION),
    "nninit.key": "tensorKey(seed, name) = mix64(mix64(seed + GAMMA) ^ fnv1a64(utf8(name))), docs/stream.md §11",
  });
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
  const atLeast = headerBytesAtLeast(model, metadata);
  if (atLeast > MAX_HEADER) throw rangeError('"spec" argument', `a model whose safetensors header fits in ${MAX_HEADER} bytes`, `at least ${atLeast} bytes`);
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

export type { HeaderEntry, SafetensorsHeader } from "./header.js";
