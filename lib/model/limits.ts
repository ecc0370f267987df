/**
 * Limits on what nninit builds from, and reads out of, input it does not control (specs, configs,
 * checkpoint headers). Each is checked before the thing it counts is built, so hostile input costs
 * at most a bounded amount of memory and time, and fails with an error naming the field or the
 * limit (docs/safety.md §9). Everything nninit writes stays within them, so it can read it back.
 */

/** Bytes of a safetensors JSON header (the reference implementation refuses larger ones). */
export const MAX_HEADER = 100_000_000;

/**
 * Tensors of a spec or a file. DeepSeek-V3 (671B parameters, 256 experts per layer) has about
 * 92,000; 2^18 leaves room, and bounds a header's parsed entries to tens of MB.
 */
export const MAX_TENSORS = 1 << 18;

/** `__metadata__` entries of a file: nninit writes one per tensor plus a few, so twice the tensors. */
export const MAX_METADATA_ENTRIES = 2 * MAX_TENSORS;

/** Dimensions of a tensor (NumPy's NPY_MAXDIMS); the same limit as every shape argument (lib/plan/validate.ts). */
export { MAX_RANK } from "../plan/validate.js";

/**
 * Layers of a preset (`num_hidden_layers`, `n_layer`), checked before any tensor is built: the
 * deepest published transformers have a few hundred. A layer has at most 16 tensors, so every
 * preset fits in MAX_TENSORS.
 */
export const MAX_LAYERS = 4096;

/** Bytes of a config.json read by the CLI (real ones are a few KB). */
export const MAX_CONFIG_BYTES = 1 << 20;

/** Nesting depth of a config.json (real ones nest 3 or 4 levels). */
export const MAX_CONFIG_DEPTH = 64;
