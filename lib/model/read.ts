/**
 * Reading .safetensors files back: the validated header, one tensor, or all of them. Tensors are
 * read with positioned reads (a tensor of a 13 GB file costs only its own bytes).
 */
import { closeSync, readSync } from "node:fs";
import { endianness } from "node:os";
import { describe, valueError } from "../plan/errors.js";
import type { DType, OutArray } from "../plan/validate.js";
import { allocate } from "./fill.js";
import { parseHeader, type HeaderEntry, type SafetensorsHeader } from "./header.js";
import { openRegular } from "./input.js";
import { FROM_ST, MAX_HEADER, ST_SIZE } from "./safetensors.js";

/** A tensor read from a file. */
export interface LoadedTensor {
  name: string;
  dtype: DType;
  shape: number[];
  /** Float32Array, Float64Array, or Uint16Array holding bfloat16/float16 bits. */
  data: OutArray;
}

const READ_CHUNK = 1 << 30;
const BIG_ENDIAN = endianness() === "BE";

function readExactly(fd: number, into: Uint8Array, position: number): void {
  for (let done = 0; done < into.length; ) {
    const n = readSync(fd, into, done, Math.min(READ_CHUNK, into.length - done), position + done);
    if (n === 0) throw valueError("safetensors file", "ends before the data its header describes", position + done);
    done += n;
  }
}

/** Runs `fn` on the regular file `path` (anything else is refused before it is opened: input.ts). */
function withFile<R>(path: string, fn: (fd: number, size: number) => R): R {
  const { fd, size } = openRegular(path);
  try {
    return fn(fd, size);
  } finally {
    closeSync(fd);
  }
}

function headerOf(fd: number, size: number): SafetensorsHeader {
  if (size < 8) throw valueError("safetensors file", "must be at least 8 bytes long", `${size} bytes`);
  const prefix = Buffer.alloc(8);
  readExactly(fd, prefix, 0);
  const n = prefix.readBigUInt64LE(0);
  if (n > BigInt(Math.min(MAX_HEADER, size - 8))) throw valueError("safetensors header length", `must be at most ${Math.min(MAX_HEADER, size - 8)} (file of ${size} bytes)`, n);
  const json = Buffer.alloc(Number(n));
  readExactly(fd, json, 8);
  return parseHeader(json, size);
}

/** Reads and validates the header of the .safetensors file at `path`. */
export function readSafetensorsHeader(path: string): SafetensorsHeader {
  return withFile(path, headerOf);
}

function find(header: SafetensorsHeader, name: string): HeaderEntry {
  const e = header.tensors.find((t) => t.name === name);
  if (e === undefined) throw valueError('"name" argument', "must name a tensor of the file", name);
  return e;
}

function load(fd: number, header: SafetensorsHeader, e: HeaderEntry): LoadedTensor {
  const name = e.name;
  const dtype = FROM_ST[e.dtype];
  if (dtype === undefined) throw valueError(`dtype of tensor ${describe(name)}`, "is not one nninit reads (F32, F64, BF16, F16)", e.dtype);
  const count = (e.dataOffsets[1] - e.dataOffsets[0]) / ST_SIZE[e.dtype];
  const data = allocate(dtype, count);
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  readExactly(fd, bytes, header.dataStart + e.dataOffsets[0]);
  if (BIG_ENDIAN) swapBytes(bytes, ST_SIZE[e.dtype]);
  return { name, dtype, shape: e.shape, data };
}

/** Reverses the bytes of each `size`-byte element (safetensors is little-endian). */
export function swapBytes(bytes: Uint8Array, size: number): void {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (size === 2) b.swap16();
  else if (size === 4) b.swap32();
  else if (size === 8) b.swap64();
}

/** Reads tensor `name` of the .safetensors file at `path`. */
export function readTensor(path: string, name: string): LoadedTensor {
  return withFile(path, (fd, size) => {
    const header = headerOf(fd, size);
    return load(fd, header, find(header, name));
  });
}

/** Reads every tensor of the file (in header order) and its metadata. Loads it all into memory. */
export function readSafetensors(path: string): { metadata: Record<string, string>; tensors: Map<string, LoadedTensor> } {
  return withFile(path, (fd, size) => {
    const header = headerOf(fd, size);
    return { metadata: header.metadata, tensors: new Map(header.tensors.map((e) => [e.name, load(fd, header, e)])) };
  });
}
