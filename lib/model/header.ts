/**
 * The safetensors header parser. A header is hostile input: up to 100 MB of bytes that JSON.parse
 * would turn into anything (100 MB of nested arrays is 5 GB of heap; duplicate keys silently keep
 * the last; bytes that are not UTF-8 become U+FFFD). So it is not parsed as JSON and then
 * checked: one pass over the bytes accepts only the grammar of the format,
 *
 *   header := "{" [member ("," member)*] "}" whitespace*        (the first byte is "{")
 *   member := string ":" (metadata if the key is "__metadata__", else entry)
 *   metadata := "{" [string ":" string ("," string ":" string)*] "}"
 *   entry := "{" the fields "dtype": string, "shape": [count*], "data_offsets": [count, count], once each "}"
 *   count := a JSON integer >= 0 (no sign, fraction or exponent), at most 2^53 - 1
 *
 * and builds only the result. Its depth is fixed (three levels), every string is checked to be
 * UTF-8, every key at every level must be unique (compared after unescaping), and the counts of
 * tensors, metadata entries and dimensions are bounded (limits.ts), so a header costs at most its
 * own bytes plus the entries it is allowed to have, and a failure reports a byte position and a
 * short excerpt, never the hostile value itself.
 */
import { describe, typeError, valueError } from "../plan/errors.js";
import { MAX_METADATA_ENTRIES, MAX_RANK, MAX_TENSORS } from "./limits.js";

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
  /** `__metadata__` (string -> string), an object without prototype: every key, `__proto__` included, is its own. */
  metadata: Record<string, string>;
  /** Tensors in header order. */
  tensors: HeaderEntry[];
}

const bad = (what: string, value: unknown): RangeError => valueError("safetensors header", what, value);
const utf8 = new TextDecoder("utf-8", { fatal: true });
const QUOTE = 0x22, BACKSLASH = 0x5c, COMMA = 0x2c, COLON = 0x3a, OPEN = 0x7b, CLOSE = 0x7d, LBRACKET = 0x5b, RBRACKET = 0x5d;
const METADATA = "__metadata__";
const ENTRY_FIELDS: readonly string[] = ["dtype", "shape", "data_offsets"];
/** Element sizes of every safetensors dtype (for validating files written by others). */
export const ST_SIZE: Record<string, number> = {
  BOOL: 1, U8: 1, I8: 1, F8_E5M2: 1, F8_E4M3: 1, I16: 2, U16: 2, F16: 2, BF16: 2, I32: 4, U32: 4, F32: 4, F64: 8, I64: 8, U64: 8,
};
const DTYPES: readonly string[] = Object.keys(ST_SIZE);

/**
 * A position in the header bytes, with the scanning steps of the grammar. Messages are built only
 * on failure (a header may hold 2^18 entries): `within` names the entry being read, if any.
 */
class Cursor {
  pos = 0;
  within: string | undefined = undefined;
  constructor(readonly b: Buffer) {}

  /** Bytes [start, end) as Latin-1 (ASCII here): Node's method behind toString("latin1"), without its argument checks. */
  latin1(start: number, end: number): string {
    return (this.b as Buffer & { latin1Slice(start: number, end: number): string }).latin1Slice(start, end);
  }

  /** An error at byte `at`, naming the entry being read and showing the bytes there. */
  fail(what: string, at = this.pos): RangeError {
    const where = this.within === undefined ? "" : this.within === METADATA ? " in __metadata__" : ` in entry ${describe(this.within)}`;
    return bad(`${what}${where} (at byte ${at})`, this.b.toString("utf8", at, Math.min(this.b.length, at + 24)));
  }

  /** Skips JSON whitespace (space, tab, line feed, carriage return). */
  ws(): void {
    const b = this.b;
    let i = this.pos;
    while (i < b.length && (b[i] === 0x20 || b[i] === 0x0a || b[i] === 0x0d || b[i] === 0x09)) i++;
    this.pos = i;
  }

  /** Skips whitespace and `c`; false (nothing consumed but whitespace) when the next byte is not `c`. */
  eat(c: number): boolean {
    this.ws();
    if (this.b[this.pos] !== c) return false;
    this.pos++;
    return true;
  }

  /** Skips whitespace and `c`, or fails: "expected <token>". */
  expect(c: number, token: string): void {
    if (!this.eat(c)) throw this.fail(`is not valid JSON: expected ${token}`);
  }

  /** A JSON string: UTF-8 checked, escapes decoded. */
  string(): string {
    this.ws();
    const b = this.b;
    const start = this.pos;
    if (b[start] !== QUOTE) throw this.fail("is not valid JSON: expected a string");
    let i = start + 1;
    while (i < b.length && b[i] >= 0x20 && b[i] < 0x80 && b[i] !== QUOTE && b[i] !== BACKSLASH) i++; // the common case
    if (b[i] === QUOTE) {
      this.pos = i + 1;
      return this.latin1(start + 1, i);
    }
    let plain = true;
    for (; ; i++) {
      if (i >= b.length) throw this.fail("is not valid JSON: a string does not end", start);
      const x = b[i];
      if (x === QUOTE) break;
      if (x === BACKSLASH) {
        plain = false;
        i++; // the escaped byte; JSON.parse checks the escape below
      } else if (x < 0x20) {
        throw this.fail("is not valid JSON: a control character in a string", i);
      } else if (x >= 0x80) {
        plain = false;
      }
    }
    this.pos = i + 1;
    if (plain) return this.latin1(start + 1, i);
    let text: string;
    try {
      text = utf8.decode(b.subarray(start, i + 1));
    } catch {
      throw this.fail("is not valid UTF-8 in a string", start);
    }
    try {
      return JSON.parse(text) as string; // one string literal: no nesting
    } catch {
      throw this.fail("is not valid JSON: a bad escape in a string", start);
    }
  }

  /** `[count, ...]` of at most `max` non-negative integers (plain digits, at most 2^53 - 1). */
  counts(field: string, max: number): number[] {
    this.expect(LBRACKET, `"[" (${field})`);
    const out: number[] = [];
    if (this.eat(RBRACKET)) return out;
    do {
      if (out.length === max) throw this.fail(`has a ${field} of more than ${max} elements`);
      out.push(this.count(field));
    } while (this.eat(COMMA));
    this.expect(RBRACKET, `"," or "]" (${field})`);
    return out;
  }

  count(field: string): number {
    this.ws();
    const b = this.b;
    const start = this.pos;
    let i = start;
    let v = 0;
    for (; i < b.length && b[i] >= 0x30 && b[i] <= 0x39; i++) v = v * 10 + (b[i] - 0x30); // exact while safe
    const next = b[i];
    if (i === start || (b[start] === 0x30 && i - start > 1) || next === 0x2e || next === 0x65 || next === 0x45) {
      throw this.fail(`has a bad ${field} (integers >= 0 in plain digits expected)`);
    }
    if (!Number.isSafeInteger(v)) throw this.fail(`has a bad ${field} (integers of at most 2^53 - 1 expected)`);
    this.pos = i;
    return v;
  }

  /** A key: one of `known` when it is spelled plainly there (then no string is made), else any string. */
  key(known: readonly string[] | undefined): string {
    this.ws();
    const b = this.b;
    const p = this.pos;
    if (known !== undefined && b[p] === QUOTE) {
      for (const k of known) {
        if (b[p + k.length + 1] !== QUOTE) continue;
        let j = 0;
        while (j < k.length && b[p + 1 + j] === k.charCodeAt(j)) j++;
        if (j === k.length) {
          this.pos = p + k.length + 2;
          return k;
        }
      }
    }
    return this.string();
  }

  /** Where the key last read by member() starts. */
  keyAt = 0;

  /**
   * The next member of an object whose "{" was consumed (`first`: none read yet): its key, the
   * cursor left on its value; undefined at the closing "}".
   */
  member(first: boolean, known?: readonly string[]): string | undefined {
    if (first) {
      if (this.eat(CLOSE)) return undefined;
    } else if (!this.eat(COMMA)) {
      this.expect(CLOSE, '"," or "}"');
      return undefined;
    }
    this.ws();
    this.keyAt = this.pos;
    const key = this.key(known);
    this.expect(COLON, '":"');
    return key;
  }
}

/** `__metadata__`: string -> string, into `into` (a null-prototype object). */
function readMetadata(c: Cursor, into: Record<string, string>): void {
  c.within = METADATA;
  c.expect(OPEN, '"{" (__metadata__ must be an object)');
  let n = 0;
  for (let key = c.member(true); key !== undefined; key = c.member(false)) {
    if (Object.hasOwn(into, key)) throw c.fail(`has a duplicate key ${describe(key)}`, c.keyAt);
    if (++n > MAX_METADATA_ENTRIES) throw c.fail(`has more than ${MAX_METADATA_ENTRIES} entries`, c.keyAt);
    c.ws();
    if (c.b[c.pos] !== QUOTE) throw c.fail(`__metadata__ values must be strings (${describe(key)} is not)`);
    into[key] = c.string();
  }
  c.within = undefined;
}

/** One tensor entry {dtype, shape, data_offsets}. */
function readEntry(c: Cursor, name: string): HeaderEntry {
  c.within = name;
  c.expect(OPEN, '"{" (an entry is an object {dtype, shape, data_offsets})');
  let dtype: string | undefined, shape: number[] | undefined, off: number[] | undefined;
  for (let key = c.member(true, ENTRY_FIELDS); key !== undefined; key = c.member(false, ENTRY_FIELDS)) {
    const at = c.keyAt;
    if (key === "dtype" && dtype === undefined) {
      c.ws();
      if (c.b[c.pos] !== QUOTE) throw c.fail("is not valid JSON: expected a string (dtype)");
      dtype = c.key(DTYPES);
      if (!Object.hasOwn(ST_SIZE, dtype)) throw c.fail(`has no known dtype (${describe(dtype)})`, at);
    } else if (key === "shape" && shape === undefined) {
      shape = c.counts("shape", MAX_RANK);
    } else if (key === "data_offsets" && off === undefined) {
      off = c.counts("data_offsets", 2);
      if (off.length !== 2 || off[0] > off[1]) throw c.fail(`has bad data_offsets [${off.join(", ")}]`, at);
    } else {
      throw c.fail(ENTRY_FIELDS.includes(key) ? `has a duplicate field "${key}"` : `has an unknown field ${describe(key)} (only dtype, shape, data_offsets)`, at);
    }
  }
  if (dtype === undefined || shape === undefined || off === undefined) throw c.fail("lacks one of dtype, shape, data_offsets");
  const numel = shape.includes(0) ? 0 : shape.reduce((a, b) => a * b, 1);
  const bytes = numel * ST_SIZE[dtype];
  if (off[1] - off[0] !== bytes) throw c.fail(`has data_offsets spanning ${off[1] - off[0]} bytes, shape x dtype needs ${bytes}`);
  c.within = undefined;
  return { name, dtype, shape, dataOffsets: off as [number, number] };
}

/**
 * Parses and validates the JSON header (bytes 8 .. 8 + N) of a file of `fileSize` bytes: the
 * grammar above, known dtypes, offsets matching numel x element size, covering the data exactly
 * once with no gap or overlap, up to the end of the file.
 */
export function parseHeader(json: Uint8Array, fileSize: number): SafetensorsHeader {
  if (!(json instanceof Uint8Array)) throw typeError('"json" argument', "a Uint8Array", json);
  if (typeof fileSize !== "number" || !Number.isSafeInteger(fileSize) || fileSize < 0) throw typeError('"fileSize" argument', "an integer >= 0", fileSize);
  const c = new Cursor(Buffer.from(json.buffer, json.byteOffset, json.byteLength));
  if (json[0] !== OPEN) throw c.fail('must start with "{" (the format requires it)');
  c.pos = 1;
  const metadata = Object.create(null) as Record<string, string>;
  const tensors: HeaderEntry[] = [];
  const keys = new Set<string>();
  for (let key = c.member(true); key !== undefined; key = c.member(false)) {
    if (keys.has(key)) throw c.fail(`has a duplicate key ${describe(key)} (the format forbids them)`, c.keyAt);
    keys.add(key);
    if (key === METADATA) {
      readMetadata(c, metadata);
    } else {
      if (tensors.length === MAX_TENSORS) throw c.fail(`has more than ${MAX_TENSORS} tensors`, c.keyAt);
      tensors.push(readEntry(c, key));
    }
  }
  c.ws();
  if (c.pos !== json.length) throw c.fail('has something other than whitespace after its closing "}"');
  return checkCoverage(json.length, tensors, metadata, fileSize);
}

/** The tensors cover the data section exactly once, to the end of the file. */
function checkCoverage(headerLength: number, tensors: HeaderEntry[], metadata: Record<string, string>, fileSize: number): SafetensorsHeader {
  const dataStart = 8 + headerLength;
  const sorted = [...tensors].sort((a, b) => a.dataOffsets[0] - b.dataOffsets[0] || a.dataOffsets[1] - b.dataOffsets[1]);
  let at = 0;
  for (const t of sorted) {
    if (t.dataOffsets[0] !== at) throw bad(`data of ${describe(t.name)} starts at ${t.dataOffsets[0]}, expected ${at} (gap or overlap)`, t.dataOffsets);
    at = t.dataOffsets[1];
  }
  if (dataStart + at !== fileSize) throw bad(`describes ${dataStart + at} bytes but the file has ${fileSize}`, at);
  return { headerLength, dataStart, metadata, tensors };
}
