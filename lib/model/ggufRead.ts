/**
 * The GGUF format (ggml's docs/gguf.md, version 3, little-endian) and a validating reader of its
 * header. A GGUF file is hostile input: every count and length is checked against the bytes left
 * in the file and a fixed limit before anything is allocated, strings must be UTF-8, keys and
 * tensor names unique, types known, and the tensor data must lie aligned inside the file without
 * overlap, so a malformed file fails with a RangeError naming what is wrong and the byte where it
 * is, never a crash or an unbounded allocation.
 *
 *   file   := "GGUF" u32:version u64:n_tensors u64:n_kv kv*n_kv info*n_tensors pad data
 *   kv     := string:key u32:type value
 *   value  := u8 | i8 | u16 | i16 | u32 | i32 | f32 | bool(u8 0/1) | string | array | u64 | i64 | f64
 *   array  := u32:item_type u64:count value*count            (nested arrays are refused, as by ggml)
 *   string := u64:length bytes(UTF-8)
 *   info   := string:name u32:n_dims u64:ne*n_dims u32:ggml_type u64:offset
 *   data starts at the header's end rounded up to general.alignment (default 32); each offset is
 *   relative to it and a multiple of the alignment.
 */
import { closeSync, readSync } from "node:fs";
import { describe, valueError } from "../plan/errors.js";
import { openRegular } from "./input.js";
import { MAX_METADATA_ENTRIES, MAX_TENSORS } from "./limits.js";

/** GGUF metadata value types (gguf_type). */
export const GGUF_TYPE = {
  UINT8: 0, INT8: 1, UINT16: 2, INT16: 3, UINT32: 4, INT32: 5, FLOAT32: 6, BOOL: 7, STRING: 8, ARRAY: 9, UINT64: 10, INT64: 11, FLOAT64: 12,
} as const;
export type GgufTypeId = (typeof GGUF_TYPE)[keyof typeof GGUF_TYPE];
const TYPE_NAMES = Object.keys(GGUF_TYPE).map((k) => k.toLowerCase());
/** Bytes of each fixed-size value type (strings and arrays: 0). */
const VALUE_SIZE = [1, 1, 2, 2, 4, 4, 4, 1, 0, 0, 8, 8, 8];

/** ggml tensor types: id -> [name, block size, bytes per block] (gguf-py constants.py GGML_QUANT_SIZES). */
export const GGML_TYPES: Readonly<Record<number, readonly [string, number, number]>> = {
  0: ["F32", 1, 4], 1: ["F16", 1, 2], 2: ["Q4_0", 32, 18], 3: ["Q4_1", 32, 20], 6: ["Q5_0", 32, 22], 7: ["Q5_1", 32, 24],
  8: ["Q8_0", 32, 34], 9: ["Q8_1", 32, 36], 10: ["Q2_K", 256, 84], 11: ["Q3_K", 256, 110], 12: ["Q4_K", 256, 144],
  13: ["Q5_K", 256, 176], 14: ["Q6_K", 256, 210], 15: ["Q8_K", 256, 292], 16: ["IQ2_XXS", 256, 66], 17: ["IQ2_XS", 256, 74],
  18: ["IQ3_XXS", 256, 98], 19: ["IQ1_S", 256, 50], 20: ["IQ4_NL", 32, 18], 21: ["IQ3_S", 256, 110], 22: ["IQ2_S", 256, 82],
  23: ["IQ4_XS", 256, 136], 24: ["I8", 1, 1], 25: ["I16", 1, 2], 26: ["I32", 1, 4], 27: ["I64", 1, 8], 28: ["F64", 1, 8],
  29: ["IQ1_M", 256, 56], 30: ["BF16", 1, 2], 34: ["TQ1_0", 256, 54], 35: ["TQ2_0", 256, 66], 39: ["MXFP4", 32, 17],
};

export const GGUF_MAGIC = "GGUF";
export const GGUF_VERSION = 3;
export const GGUF_DEFAULT_ALIGNMENT = 32;
/** ggml's GGML_MAX_DIMS. */
export const GGUF_MAX_DIMS = 4;
/** Bytes of a tensor name, its terminating NUL excluded (ggml's GGML_MAX_NAME is 64 with it). */
export const GGUF_MAX_NAME = 63;
/** Bytes of the header (everything before the data): real ones are a few MB (a 256k-token vocabulary). */
export const MAX_GGUF_HEADER = 1 << 28;
/** Elements of all metadata arrays together (a vocabulary of 256k tokens has ~1M with scores, types, merges). */
export const MAX_GGUF_ARRAY_ELEMENTS = 1 << 24;

/** A scalar metadata value: numbers, bigint for 64-bit integers, booleans, strings. */
export type GgufScalar = number | bigint | boolean | string;
/** A metadata value with its GGUF type (`itemType` for arrays). */
export interface GgufValue {
  type: GgufTypeId;
  itemType?: GgufTypeId;
  value: GgufScalar | GgufScalar[];
}

/** One tensor of a GGUF file. */
export interface GgufTensorInfo {
  name: string;
  /** ne: dimensions innermost first (a PyTorch [out, in] weight is [in, out]). */
  dims: number[];
  /** ggml type id and name (e.g. 8, "Q8_0"). */
  type: number;
  typeName: string;
  /** Byte offset relative to the start of the data. */
  offset: number;
  bytes: number;
}

/** A parsed and validated GGUF header. */
export interface GgufHeader {
  version: number;
  alignment: number;
  /** key -> value, in file order; an object without prototype. */
  metadata: Record<string, GgufValue>;
  tensors: GgufTensorInfo[];
  /** Where the data starts (the header's end rounded up to the alignment). */
  dataStart: number;
  fileSize: number;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Positioned, buffered, bounded reads of an open file. */
class Reader {
  pos = 0;
  #buf = Buffer.alloc(1 << 16);
  #start = 0;
  #end = 0;
  elements = 0;
  context = "";
  constructor(readonly fd: number, readonly size: number, readonly path: string) {}

  fail(what: string, at = this.pos, value: unknown = undefined): RangeError {
    return valueError(`GGUF file ${describe(this.path)}`, `${what}${this.context} (at byte ${at})`, value);
  }

  /** Makes bytes [pos, pos + n) available; fails when the file (or the header limit) ends first. */
  need(n: number, what: string): Buffer {
    if (this.pos + n > this.size) throw this.fail(`ends inside ${what} (${n} bytes needed, ${Math.max(0, this.size - this.pos)} left: truncated?)`);
    if (this.pos + n > MAX_GGUF_HEADER) throw this.fail(`has a header larger than ${MAX_GGUF_HEADER} bytes`);
    if (this.pos < this.#start || this.pos + n > this.#end) {
      if (n > this.#buf.length) this.#buf = Buffer.alloc(Math.max(n, 2 * this.#buf.length));
      const want = Math.min(this.#buf.length, this.size - this.pos);
      let got = 0;
      while (got < want) {
        const k = readSync(this.fd, this.#buf, got, want - got, this.pos + got);
        if (k === 0) break;
        got += k;
      }
      if (got < n) throw this.fail(`ends inside ${what} (the file shrank while being read)`);
      this.#start = this.pos;
      this.#end = this.pos + got;
    }
    const b = this.#buf;
    const at = this.pos - this.#start;
    this.pos += n;
    return b.subarray(at, at + n);
  }

  u32(what: string): number {
    return this.need(4, what).readUInt32LE(0);
  }

  /** A u64 that must be at most `max` (a safe integer). */
  u64(what: string, max = Number.MAX_SAFE_INTEGER): number {
    const at = this.pos;
    const v = this.need(8, what).readBigUInt64LE(0);
    if (v > BigInt(max)) throw this.fail(`has ${what} ${v}, more than ${max}`, at, v);
    return Number(v);
  }

  string(what: string): string {
    const at = this.pos;
    const n = this.u64(`the length of ${what}`, Math.max(0, Math.min(this.size - this.pos - 8, MAX_GGUF_HEADER)));
    const bytes = this.need(n, what);
    try {
      return utf8.decode(bytes);
    } catch {
      throw this.fail(`has ${what} that is not UTF-8`, at);
    }
  }

  scalar(type: number, what: string): GgufScalar {
    switch (type) {
      case 0: return this.need(1, what)[0];
      case 1: return this.need(1, what).readInt8(0);
      case 2: return this.need(2, what).readUInt16LE(0);
      case 3: return this.need(2, what).readInt16LE(0);
      case 4: return this.need(4, what).readUInt32LE(0);
      case 5: return this.need(4, what).readInt32LE(0);
      case 6: return this.need(4, what).readFloatLE(0);
      case 7: {
        const at = this.pos;
        const b = this.need(1, what)[0];
        if (b > 1) throw this.fail(`has a bool ${what} of ${b} (0 or 1 expected)`, at);
        return b === 1;
      }
      case 8: return this.string(what);
      case 10: return this.need(8, what).readBigUInt64LE(0);
      case 11: return this.need(8, what).readBigInt64LE(0);
      case 12: return this.need(8, what).readDoubleLE(0);
      default: throw this.fail(`has an unknown value type ${type}`);
    }
  }

  valueType(what: string): GgufTypeId {
    const at = this.pos;
    const t = this.u32(what);
    if (t > 12) throw this.fail(`has an unknown value type ${t} (0..12)`, at);
    return t as GgufTypeId;
  }
}

function readValue(r: Reader, key: string): GgufValue {
  const type = r.valueType(`the type of ${describe(key)}`);
  if (type !== GGUF_TYPE.ARRAY) return { type, value: r.scalar(type, `the value of ${describe(key)}`) };
  const at = r.pos;
  const itemType = r.valueType(`the item type of ${describe(key)}`);
  if (itemType === GGUF_TYPE.ARRAY) throw r.fail(`has a nested array ${describe(key)} (not supported, as by ggml)`, at);
  const itemBytes = itemType === GGUF_TYPE.STRING ? 8 : VALUE_SIZE[itemType];
  const count = r.u64(`the length of array ${describe(key)}`, Math.floor(Math.max(0, r.size - r.pos - 8) / itemBytes));
  if ((r.elements += count) > MAX_GGUF_ARRAY_ELEMENTS) throw r.fail(`has more than ${MAX_GGUF_ARRAY_ELEMENTS} array elements in all`, at);
  const value: GgufScalar[] = new Array(count);
  const what = `an element of ${describe(key)}`;
  for (let i = 0; i < count; i++) value[i] = r.scalar(itemType, what);
  return { type, itemType, value };
}

/** The number of bytes of a tensor of ggml type `type` and dims `ne`, or a reason it is invalid. */
export function ggmlTensorBytes(type: number, ne: readonly number[]): number | string {
  const t = GGML_TYPES[type];
  if (t === undefined) return `an unknown ggml type ${type}`;
  const [name, block, size] = t;
  if (ne[0] % block !== 0) return `ne[0] = ${ne[0]}, not a multiple of ${name}'s block size ${block}`;
  let n = 1;
  for (const d of ne) n *= d;
  if (!Number.isSafeInteger(n)) return `more than 2^53 elements`;
  const bytes = (n / block) * size;
  if (!Number.isSafeInteger(bytes)) return `more than 2^53 bytes`;
  return bytes;
}

function headerOf(fd: number, size: number, path: string): GgufHeader {
  const r = new Reader(fd, size, path);
  const magic = r.need(4, "the magic");
  if (magic.toString("latin1") !== GGUF_MAGIC) throw r.fail('does not start with the magic "GGUF" (not a GGUF file)', 0, magic.toString("latin1"));
  const version = r.u32("the version");
  if (version !== 3 && version !== 2) {
    const swapped = ((version & 0xff) << 24 | (version & 0xff00) << 8 | (version >>> 8) & 0xff00 | version >>> 24) >>> 0;
    throw r.fail(`has version ${version}; versions 2 and 3 (little-endian) are read${swapped === 3 || swapped === 2 ? " (this one is big-endian)" : ""}`, 4, version);
  }
  const nTensors = r.u64("a tensor count", MAX_TENSORS);
  const nKv = r.u64("a metadata count", MAX_METADATA_ENTRIES);
  // Each key-value pair takes at least 13 bytes and each tensor info at least 25 + 8 bytes.
  if (nKv * 13 + nTensors * 33 > size - r.pos) throw r.fail(`announces ${nKv} key-value pairs and ${nTensors} tensors, more than its ${size} bytes can hold`, 8);
  const metadata = Object.create(null) as Record<string, GgufValue>;
  for (let i = 0; i < nKv; i++) {
    const at = r.pos;
    const key = r.string(`key ${i}`);
    if (key.length === 0) throw r.fail(`has an empty key (pair ${i})`, at);
    if (Object.hasOwn(metadata, key)) throw r.fail(`has a duplicate key ${describe(key)}`, at);
    metadata[key] = readValue(r, key);
  }
  let alignment = GGUF_DEFAULT_ALIGNMENT;
  const al = metadata["general.alignment"];
  if (al !== undefined) {
    if (al.type !== GGUF_TYPE.UINT32) throw r.fail(`has general.alignment of type ${TYPE_NAMES[al.type]} (uint32 expected)`, r.pos, al.value);
    const a = al.value as number;
    if (a === 0 || (a & (a - 1)) !== 0) throw r.fail("has a general.alignment that is not a power of two", r.pos, a);
    alignment = a;
  }
  const tensors: GgufTensorInfo[] = [];
  const names = new Set<string>();
  for (let i = 0; i < nTensors; i++) {
    const at = r.pos;
    const name = r.string(`the name of tensor ${i}`);
    if (Buffer.byteLength(name) > GGUF_MAX_NAME || name.length === 0) throw r.fail(`has a tensor name of ${Buffer.byteLength(name)} bytes (1..${GGUF_MAX_NAME})`, at, name);
    if (names.has(name)) throw r.fail(`has a duplicate tensor ${describe(name)}`, at);
    names.add(name);
    r.context = ` in tensor ${describe(name)}`;
    const nDimsAt = r.pos;
    const nDims = r.u32("n_dims");
    if (nDims < 1 || nDims > GGUF_MAX_DIMS) throw r.fail(`has n_dims ${nDims} (1..${GGUF_MAX_DIMS})`, nDimsAt, nDims);
    const dims: number[] = [];
    for (let d = 0; d < nDims; d++) dims.push(r.u64("a dimension"));
    const typeAt = r.pos;
    const type = r.u32("the ggml type");
    const bytes = ggmlTensorBytes(type, dims);
    if (typeof bytes === "string") throw r.fail(`has ${bytes}`, typeAt, dims);
    const offAt = r.pos;
    const offset = r.u64("an offset");
    if (offset % alignment !== 0) throw r.fail(`has an offset ${offset} that is not a multiple of the alignment ${alignment}`, offAt, offset);
    r.context = "";
    tensors.push({ name, dims, type, typeName: GGML_TYPES[type][0], offset, bytes });
  }
  const dataStart = Math.ceil(r.pos / alignment) * alignment;
  if (tensors.length > 0 && dataStart > size) throw r.fail(`ends before its data section (which starts at byte ${dataStart})`, size);
  const sorted = [...tensors].sort((a, b) => a.offset - b.offset);
  let end = 0;
  for (const t of sorted) {
    if (t.offset < end) throw r.fail(`has tensor ${describe(t.name)} at data offset ${t.offset}, overlapping the previous tensor (which ends at ${end})`, dataStart);
    end = t.offset + t.bytes;
    if (dataStart + end > size) throw r.fail(`has tensor ${describe(t.name)} ending at byte ${dataStart + end}, past the end of the file (${size} bytes: truncated?)`, dataStart);
  }
  return { version, alignment, metadata, tensors, dataStart, fileSize: size };
}

/** Reads and validates the header of the GGUF file at `path` (a regular file: lib/model/input.ts). */
export function readGgufHeader(path: string): GgufHeader {
  const { fd, size } = openRegular(path);
  try {
    return headerOf(fd, size, path);
  } finally {
    closeSync(fd);
  }
}

/** Reads the raw bytes of tensor `name` of a GGUF file (positioned reads: only its own bytes). */
export function readGgufTensorBytes(path: string, name: string): { info: GgufTensorInfo; bytes: Buffer } {
  const { fd, size } = openRegular(path);
  try {
    const h = headerOf(fd, size, path);
    const info = h.tensors.find((t) => t.name === name);
    if (info === undefined) throw valueError('"name" argument', `must name a tensor of ${describe(path)}`, name);
    const bytes = Buffer.alloc(info.bytes);
    for (let done = 0; done < bytes.length; ) {
      const k = readSync(fd, bytes, done, Math.min(1 << 30, bytes.length - done), h.dataStart + info.offset + done);
      if (k === 0) throw valueError(`GGUF file ${describe(path)}`, "ends before the data of its tensor (it shrank?)", name);
      done += k;
    }
    return { info, bytes };
  } finally {
    closeSync(fd);
  }
}
