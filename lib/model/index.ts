/**
 * `nninit/model`: model-level initialization. Specs of named tensors, per-tensor stream keys
 * (docs/stream.md §11), shard fills, streaming .safetensors writer and reader, Hugging Face
 * config presets. See docs/models.md.
 */
export { tensorKey, fnv1a64 } from "./key.js";
export { INITS, resolveDType, type InitName, type InitOptions, type DTypeName, type TensorSpec, type ModelSpec, type SpecInput, type Model, type Tensor } from "./spec.js";
export { initModel, fillTensor, defineModel, allocate, type ModelFillOptions, type FillTensorOptions } from "./fill.js";
export { shardRange, fillBlock, initShard, type FillBlockOptions, type ShardOptions, type Shard } from "./shard.js";
export { writeSafetensors, planSafetensors, type WriteOptions, type WriteProgress, type WriteResult } from "./write.js";
export { readSafetensorsHeader, readTensor, readSafetensors, type LoadedTensor } from "./read.js";
export { parseHeader, ST_DTYPE, type SafetensorsHeader, type HeaderEntry } from "./safetensors.js";
export { presetFromConfig, MODEL_TYPES, type Preset, type PresetOptions, type ModelType } from "./presets.js";
export { BUILTIN_CONFIGS, builtinConfig, listPresets } from "./configs.js";
export { measureCheckpointWrite, measureDiskWrite, type CheckpointBenchOptions, type CheckpointBenchResult } from "./bench.js";
export { formatBytes } from "./pipe.js";
