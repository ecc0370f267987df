/**
 * The version of the random stream (docs/stream.md). Any change to any output bit of any method,
 * for any seed, offset or dtype, must bump it; the tap snapshot of test vectors is tied to it.
 */
export const STREAM_VERSION = 1;

/** Elements per block: the unit of seeding, threading and offset fills (docs/stream.md §3). */
export const BLOCK_SIZE = 4096;

/** Independent xoshiro128+ generators (lanes) per block. */
export const LANES = 8;

/** xoshiro128+ steps each lane takes to fill one block of a one-output-per-element method. */
export const STEPS_PER_BLOCK = BLOCK_SIZE / LANES;
