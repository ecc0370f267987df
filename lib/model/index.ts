/**
 * `nninit/model`: model-level initialization. Specs of named tensors, per-tensor stream keys
 * (docs/stream.md §11), shard fills, streaming .safetensors writer and reader, Hugging Face
 * config presets and model folders (sharded, writable in parts). See docs/models.md.
 */
export { tensorKey, fnv1a64 } from "./key.js";
export { INITS, RESERVED_NAMES, resolveDType, type InitName, type InitOptions, type DTypeName, type TensorSpec, type ModelSpec, type SpecInput, type Model, type Tensor } from "./spec.js";
export { initModel, fillTensor, defineModel, allocate, type ModelFillOptions, type FillTensorOptions } from "./fill.js";
export { shardRange, fillBlock, initShard, type FillBlockOptions, type ShardOptions, type Shard } from "./shard.js";
export { writeSafetensors, planSafetensors, type WriteOptions, type WriteProgress, type WriteResult } from "./write.js";
export {
  writeModelFolder, planModelFolder, writeFolderIndex, partFromEnvironment, parseSize, configDType, splitShards, assignParts, DEFAULT_MAX_SHARD_SIZE,
  type FolderOptions, type FolderPlan, type FolderFile, type FolderResult, type IndexResult,
} from "./folder.js";
export { readSafetensorsHeader, readTensor, readSafetensors, type LoadedTensor } from "./read.js";
export { ST_DTYPE } from "./safetensors.js";
export { parseHeader, type SafetensorsHeader, type HeaderEntry } from "./header.js";
export { MAX_HEADER, MAX_TENSORS, MAX_METADATA_ENTRIES, MAX_RANK, MAX_LAYERS, MAX_CONFIG_BYTES, MAX_CONFIG_DEPTH } from "./limits.js";
export { presetFromConfig, MODEL_TYPES, type Preset, type PresetOptions, type ModelType } from "./presets.js";
export { BUILTIN_CONFIGS, builtinConfig, listPresets } from "./configs.js";
export { removeStaleTempFiles } from "./atomic.js";
export { writeGguf, planGguf, readGgufHeader, readGgufTensorBytes, resolveGgufDType, ggufDTypeOf, syntheticVocabulary, syntheticBertVocabulary, BERT_SPECIAL_TOKENS, GGUF_DTYPES, GGUF_MODEL_TYPES, GGML_TYPES, GGUF_TYPE, type GgufOptions, type GgufPlan, type GgufResult, type GgufTensorPlan, type GgufDType, type GgufHeader, type GgufTensorInfo, type GgufValue, type GgufScalar } from "./gguf.js";
