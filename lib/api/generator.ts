/**
 * Generator: a reproducible source of stream keys, PyTorch's `generator=` habit.
 * Its state is a SplitMix64 state; each call that uses it takes the next SplitMix64 output as its
 * 64-bit stream key (docs/stream.md §1), so successive calls get distinct, reproducible streams.
 * Calls without `seed` or `generator` use `defaultGenerator`, seeded at random when nninit loads;
 * read `defaultGenerator.initialSeed` (or call `manualSeed`) to replay a run.
 */
import { randomBytes } from "node:crypto";
import { rangeError, typeError } from "../plan/errors.js";
import { splitmixNextBig } from "../stream/splitmix64.js";

const U64_LIMIT = 1n << 64n;

/** A seed: a safe non-negative integer or a bigint in [0, 2^64). */
export type Seed = number | bigint;

/** Validates a seed and returns it as a bigint. */
export function checkSeed(name: string, seed: unknown): bigint {
  if (typeof seed === "number") {
    if (!Number.isSafeInteger(seed) || seed < 0) throw rangeError(name, "a non-negative safe integer or a bigint in [0, 2^64)", seed);
    return BigInt(seed);
  }
  if (typeof seed === "bigint") {
    if (seed < 0n || seed >= U64_LIMIT) throw rangeError(name, "a bigint in [0, 2^64)", seed);
    return seed;
  }
  throw typeError(name, "a number or a bigint", seed);
}

function randomSeed(): bigint {
  return randomBytes(8).readBigUInt64LE(0);
}

export class Generator {
  #initialSeed: bigint;
  #state: bigint;

  /** @param seed the generator's seed; a random 64-bit seed when omitted (read `initialSeed`). */
  constructor(seed?: Seed) {
    this.#initialSeed = seed === undefined ? randomSeed() : checkSeed('"seed" argument', seed);
    this.#state = this.#initialSeed;
  }

  /** The seed this generator started from (or was last reset to with manualSeed). */
  get initialSeed(): bigint {
    return this.#initialSeed;
  }

  /** The current SplitMix64 state; assigning a value saved earlier resumes from there. */
  get state(): bigint {
    return this.#state;
  }

  set state(value: bigint) {
    this.#state = checkSeed('"state" value', value);
  }

  /** Resets the generator to `seed`, as if newly constructed with it. Returns this. */
  manualSeed(seed: Seed): this {
    this.#initialSeed = checkSeed('"seed" argument', seed);
    this.#state = this.#initialSeed;
    return this;
  }

  /** Takes the next 64-bit stream key (one SplitMix64 step). */
  nextKey(): bigint {
    return Generator.takeKey(this);
  }

  /**
   * Whether `value` is a real Generator (constructed by this class or a subclass), not merely an
   * object whose prototype chain includes Generator.prototype (such an object has no state).
   */
  static isGenerator(value: unknown): value is Generator {
    return typeof value === "object" && value !== null && #state in value;
  }

  /**
   * The key-taking step the fills use (lib/api/common.ts): always this class's SplitMix64 step,
   * so a subclass overriding nextKey() cannot run code between validation and the fill (it could
   * detach or resize `out` there, or return a key that is not a u64) (issue #8).
   */
  static takeKey(g: Generator): bigint {
    const [state, key] = splitmixNextBig(g.#state);
    g.#state = state;
    return key;
  }
}

/** The generator used by calls that pass neither `seed` nor `generator`. */
export const defaultGenerator = new Generator();

/** Re-seeds the default generator (PyTorch's torch.manual_seed) and returns it. */
export function manualSeed(seed: Seed): Generator {
  return defaultGenerator.manualSeed(seed);
}
