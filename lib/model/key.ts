/**
 * Model-level stream keys (docs/stream.md §11): each tensor of a model gets its own 64-bit key,
 * a function of (seed, tensor name) only, so that adding, removing or reordering tensors changes
 * no other tensor:
 *
 *   h   = fnv1a64(utf8(name))       offset basis 0xCBF29CE484222325, prime 0x100000001B3
 *   key = mix64( mix64(seed + GAMMA) XOR h )       (all mod 2^64; mix64, GAMMA: §2)
 *
 * mix64(seed + GAMMA) is the first key of `new Generator(seed)`. For a fixed name the map
 * seed -> key is a bijection; for a fixed seed two names share a key only if their FNV-1a
 * hashes collide. BigInt is fine here: this runs once per tensor, never per element.
 */
import { checkSeed, type Seed } from "../api/generator.js";
import { typeError, valueError } from "../plan/errors.js";
import { mix64Big } from "../stream/splitmix64.js";

const MASK64 = (1n << 64n) - 1n;
const GAMMA = 0x9e3779b97f4a7c15n;
const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const encoder = new TextEncoder();

/** Checks a tensor name: a non-empty, well-formed string (it is hashed as UTF-8). */
export function checkName(name: unknown, what = '"name"'): string {
  if (typeof name !== "string") throw typeError(what, "a string", name);
  if (name.length === 0) throw valueError(what, "must not be empty", name);
  if (/\p{Cs}/u.test(name)) throw valueError(what, "must be a well-formed string (no lone surrogates)", name);
  return name;
}

/** FNV-1a, 64-bit, of a byte string. */
export function fnv1a64(bytes: Uint8Array): bigint {
  let h = FNV_OFFSET;
  for (const b of bytes) h = ((h ^ BigInt(b)) * FNV_PRIME) & MASK64;
  return h;
}

/**
 * The stream key of tensor `name` in a model initialized with `seed` (docs/stream.md §11).
 * Pass it as `seed` to any fill to reproduce (a slice of) that tensor.
 * @example normal(new Float32Array(10), { std: 0.02, seed: tensorKey(1, "lm_head.weight") })
 */
export function tensorKey(seed: Seed, name: string): bigint {
  const s = checkSeed('"seed" option', seed);
  const h = fnv1a64(encoder.encode(checkName(name)));
  return mix64Big(mix64Big((s + GAMMA) & MASK64) ^ h);
}
