/**
 * The shared front half of every fill: read and validate the options that all methods take,
 * then (only after every check passed) take the stream key and hand a plan to the backend.
 */
import { checkSignal, execute, throwIfAborted, type AbortSignalLike } from "./execute.js";
import type { KernelId } from "../plan/plan.js";
import { f } from "../math/f32.js";
import { checkInteger, checkOffset, checkOut, MAX_THREADS, opt, readOptions, type DType, type OutArray } from "../plan/validate.js";
import { checkSeed, defaultGenerator, Generator, type Seed } from "./generator.js";
import { typeError, valueError } from "../plan/errors.js";

/**
 * Options every random method takes. Two more are typed apart (lib/api/signatures.ts): `dtype`,
 * whose names depend on out's array type (each function's overloads add Float32DType,
 * Float64DType or Uint16DType), and `signal`, nninit/promises only (Abortable).
 */
export interface CommonOptions {
  /** Stream seed: a non-negative safe integer or a bigint < 2^64. Exclusive with `generator`. */
  seed?: Seed;
  /** Take the stream key from this Generator (successive calls get successive keys). */
  generator?: Generator;
  /**
   * Index of out[0] in the logical tensor (a shard fill): the result equals elements
   * [offset, offset + out.length) of the whole fill. Default 0.
   */
  offset?: number;
  /** Threads for the native backend (1..1024); default: the global setting. Ignored by the JS backend. */
  threads?: number;
}

// "signal" too: the synchronous functions reject it at run time (checkSignal), whatever the types say.
export const COMMON_KEYS = ["seed", "generator", "offset", "dtype", "threads", "signal"] as const;

/** Validated common options, with the key still to be drawn. */
export interface Prepared<T extends OutArray> {
  /** The caller's array (what the call returns). */
  out: T;
  /** The view of out's memory that the fill writes (checkOut): never the caller's object. */
  view: T;
  /** Its element count, read once. */
  length: number;
  dtype: DType;
  offset: number;
  threads: number;
  seed: bigint | undefined;
  generator: Generator;
  signal: AbortSignalLike | undefined;
}

/**
 * Validates out + common options. `size` is the logical tensor's size when there is a shape.
 * Called after the method's other arguments (the options were read into `bag` already): `out`
 * is checked last among the arguments that could run user code, and nothing of the caller's runs
 * from there on (the signal is checked first, through built-in getters).
 */
export function prepare<T extends OutArray>(out: T, bag: Record<string, unknown>, size?: number): Prepared<T> {
  const signal = checkSignal(bag.signal);
  const { view, dtype, length } = checkOut(out, bag.dtype);
  const offset = checkOffset(bag.offset, length, size);
  const threads = bag.threads === undefined ? 0 : checkInteger(opt("threads"), bag.threads, 1, MAX_THREADS);
  if (bag.seed !== undefined && bag.generator !== undefined) {
    throw valueError(opt("generator"), 'cannot be combined with "seed": pass one of them', bag.generator);
  }
  const seed = bag.seed === undefined ? undefined : checkSeed(opt("seed"), bag.seed);
  if (bag.generator !== undefined && !Generator.isGenerator(bag.generator)) {
    throw typeError(opt("generator"), "an instance of nninit's Generator", bag.generator);
  }
  return { out, view, length, dtype, offset, threads, seed, generator: (bag.generator as Generator | undefined) ?? defaultGenerator, signal };
}

/**
 * The call's stream key: the seed, or the generator's next key. Taken only once every check has
 * passed (a failed call never advances a generator), and exactly once per successful call, whatever
 * out.length is (a zero-length shard on one rank must not shift the keys of the calls after it).
 */
export function takeKey(p: Prepared<OutArray>): bigint {
  return p.seed ?? Generator.takeKey(p.generator);
}

/** Takes the key and runs the kernel (an already-aborted signal throws its reason first). */
export function runRandom<T extends OutArray>(p: Prepared<T>, kernel: KernelId, params: readonly number[]): T {
  throwIfAborted(p.signal); // after every check; before the key, so a pre-aborted call takes none
  const key = takeKey(p);
  execute({ kind: "random", kernel, params: new Float32Array(params), key, offset: p.offset, dtype: p.dtype, threads: p.threads }, p.view, p.signal);
  return p.out;
}


export { readOptions, f };

/** An option's value, or `fallback` when it is undefined (null is passed on, and rejected later). */
export function num(bag: Record<string, unknown>, name: string, fallback: number): number {
  return (bag[name] === undefined ? fallback : bag[name]) as number;
}
