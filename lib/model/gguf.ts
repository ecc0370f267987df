/**
 * writeGguf: streams a randomly initialized GGUF checkpoint (ggml's docs/gguf.md, version 3) of a
 * Hugging Face config.json, for llama.cpp and its bindings (node-llama-cpp, llama-cpp-python...).
 *
 * Each GGUF tensor holds nninit's streams of the Hugging Face tensors it is converted from (the
 * preset's tensors of those names, each keyed by tensorKey(seed, hfName)), laid out as llama.cpp's
 * convert_hf_to_gguf.py lays them out: dims innermost first, the rows of q_proj / k_proj (weights
 * and biases) of the llama family permuted as its LlamaModel.permute does, tied lm_head omitted,
 * Gemma's norm weights + 1 (GemmaModel), Phi-3's fused qkv_proj / gate_up_proj kept fused,
 * Mixtral's experts stacked into one 3-D tensor per layer and projection (their streams one after
 * the other), GPT-2's Conv1D weights ([in, out]) transposed as GPT2Model transposes them, BERT's pooler and
 * MLM / NSP heads dropped as BertModel drops them (a WordPiece vocabulary); llama3
 * RoPE scaling adds the computed rope_freqs.weight (llama3RopeFactors). So a
 * GGUF file and a safetensors file of the same config and seed hold the same model. Quantized
 * types (Q8_0, Q4_0) are computed from the float32 stream as ggml's reference quantizers compute
 * them (quant.ts). Memory is bounded whatever the model's size: two chunk buffers (ChunkWriter)
 * plus one scratch buffer of the same size for permuted, transposed, quantized or unaligned pieces; the file
 * appears under its name only when complete (createAtomic: temp file, fsync, rename).
 * See docs/gguf.md.
 */
import { randomBytes } from "node:crypto";
import { endianness } from "node:os";
import { BLOCK_SIZE, STREAM_VERSION, type Seed } from "../index.js";
import { describe, typeError, valueError } from "../plan/errors.js";
import { checkInteger, readOptions, type DType, type OutArray } from "../plan/validate.js";
import { defineModel, fillRange, modelOptions } from "./fill.js";
import { configDType } from "./folder.js";
import { readGgufHeader, GGML_TYPES, GGUF_DEFAULT_ALIGNMENT, GGUF_MAX_NAME, GGUF_TYPE, GGUF_VERSION, MAX_GGUF_HEADER, type GgufScalar, type GgufTypeId, type GgufValue } from "./ggufRead.js";
import { tensorKey } from "./key.js";
import { presetFromConfig, type ModelType, type Preset } from "./presets.js";
import { capturePlan } from "../api/execute.js";
import { fusedQuantizer, quantizeQ4_0, quantizeQ8_0, QK } from "./quant.js";
import { swapBytes } from "./read.js";
import type { Model, Tensor } from "./spec.js";
import { pieceLength, streamFile, type WriteProgress } from "./write.js";

export { readGgufHeader, readGgufTensorBytes, GGML_TYPES, GGUF_TYPE, type GgufHeader, type GgufTensorInfo, type GgufValue, type GgufScalar } from "./ggufRead.js";

/** The file types writeGguf writes. */
export const GGUF_DTYPES = ["f32", "f16", "bf16", "q8_0", "q4_0"] as const;
export type GgufDType = (typeof GGUF_DTYPES)[number];
/** The model types writeGguf converts (llama.cpp's architecture names: mistral and mixtral are "llama", gpt2 "gpt2", bert "bert"). */
export const GGUF_MODEL_TYPES: readonly ModelType[] = ["llama", "mistral", "qwen2", "qwen3", "gemma", "phi3", "mixtral", "gpt2", "bert"];

/** Options of `writeGguf` and `planGguf`. */
export interface GgufOptions {
  /** The model's seed; a random 64-bit seed when omitted (returned, and recorded as nninit.seed). */
  seed?: Seed;
  /** File type. Default: the config's torch_dtype (bfloat16 -> bf16, float16 -> f16, float32/float64 -> f32), else f16. */
  dtype?: GgufDType | string;
  /** Threads for the native backend. */
  threads?: number;
  /** general.name. Default: the config's _name_or_path, else "nninit <model_type>". */
  name?: string;
  /** Path of an existing .gguf whose tokenizer.* keys are copied (its vocabulary must have vocab_size tokens). Default: a synthetic tokenizer (docs/gguf.md). */
  tokenizer?: string;
  /** Bytes per buffer (two chunk buffers and one scratch buffer), >= 64 KiB. Default 32 MiB. */
  chunkBytes?: number;
  onProgress?: (progress: WriteProgress) => void;
  /** Aborting stops the write; the temp file is removed and the promise rejects. */
  signal?: AbortSignal;
  /** Refuse to start when the file system has less free space than the file needs. Default true. */
  checkSpace?: boolean;
}

/** One tensor of a planned GGUF file. */
export interface GgufTensorPlan {
  /** GGUF name, e.g. "blk.0.attn_q.weight". */
  name: string;
  /**
   * The Hugging Face tensors whose streams it holds, concatenated in this order, e.g.
   * ["model.layers.0.self_attn.q_proj.weight"]; none for a tensor computed from the config
   * (rope_freqs.weight).
   */
  sources: string[];
  /** ggml type name: F32, F16, BF16, Q8_0, Q4_0. */
  type: string;
  /** ne, innermost first. */
  dims: number[];
  /** Heads of the q/k row permutation (0: rows as in the source). */
  permuteHeads: number;
  /**
   * The source is stored [in, out] (GPT-2's Conv1D weights: c_attn, c_proj, c_fc) and written
   * transposed, as GPT2Model.modify_tensors transposes it: `dims` = [in, out], GGUF row o (in
   * elements) holds source column o, i.e. GGUF element o * in + i is source element i * out + o.
   * false: the source's row-major order. See docs/gguf.md.
   */
  transposed: boolean;
  /**
   * "stream": the sources' streams as generated; "plus-one": RN32(x + 1) for each stream value x
   * (Gemma's norm weights, which HF Gemma applies as 1 + weight); "computed": values computed
   * from the config, no stream (rope_freqs.weight). See docs/gguf.md.
   */
  values: "stream" | "plus-one" | "computed";
  /** Offset relative to the data section, and bytes. */
  offset: number;
  bytes: number;
}

/** What planGguf returns: everything about the file, computed without I/O (except reading `tokenizer`). */
export interface GgufPlan {
  modelType: ModelType;
  architecture: string;
  dtype: GgufDType;
  seed: bigint;
  parameters: number;
  tensors: GgufTensorPlan[];
  /**
   * The model's Hugging Face tensors that the file does not hold, as the converter drops them:
   * BERT's pooler (pooler.dense) and pretraining heads (cls.predictions.*, cls.seq_relationship.*),
   * which llama.cpp's bert graph does not compute. Empty for the other model types.
   */
  dropped: string[];
  /** Metadata keys in file order. */
  keys: string[];
  headerBytes: number;
  totalBytes: number;
}

/** What `writeGguf` did. */
export interface GgufResult {
  path: string;
  bytes: number;
  tensors: number;
  parameters: number;
  seed: bigint;
  dtype: GgufDType;
  seconds: number;
}

const BIG_ENDIAN = endianness() === "BE";
const T_F32 = 0, T_F16 = 1, T_Q4_0 = 2, T_Q8_0 = 8, T_BF16 = 30;
/** general.file_type (llama_ftype): ALL_F32, MOSTLY_F16, MOSTLY_BF16, MOSTLY_Q8_0, MOSTLY_Q4_0. */
const FILE_TYPE: Record<GgufDType, number> = { f32: 0, f16: 1, bf16: 32, q8_0: 7, q4_0: 2 };
const MAIN_TYPE: Record<GgufDType, number> = { f32: T_F32, f16: T_F16, bf16: T_BF16, q8_0: T_Q8_0, q4_0: T_Q4_0 };
/** The ggml quantization version of Q8_0/Q4_0 blocks (GGML_QNT_VERSION). */
const QUANTIZATION_VERSION = 2;
const DTYPE_ALIASES: Record<string, GgufDType> = {
  f32: "f32", fp32: "f32", float32: "f32", f16: "f16", fp16: "f16", float16: "f16", bf16: "bf16", bfloat16: "bf16", q8_0: "q8_0", q4_0: "q4_0",
};
const ARCH: Record<string, string> = { llama: "llama", mistral: "llama", qwen2: "qwen2", qwen3: "qwen3", gemma: "gemma", phi3: "phi3", mixtral: "llama", gpt2: "gpt2", bert: "bert" };
/** transformers' defaults of the config fields read for the metadata (configuration_<type>.py). */
const HPARAM_DEFAULTS: Record<string, { ctx: number; heads: number; eps: number; theta: number }> = {
  llama: { ctx: 2048, heads: 32, eps: 1e-6, theta: 10000 }, mistral: { ctx: 131072, heads: 32, eps: 1e-6, theta: 10000 },
  qwen2: { ctx: 32768, heads: 32, eps: 1e-6, theta: 10000 }, qwen3: { ctx: 32768, heads: 32, eps: 1e-6, theta: 10000 },
  gemma: { ctx: 8192, heads: 16, eps: 1e-6, theta: 10000 }, phi3: { ctx: 4096, heads: 32, eps: 1e-5, theta: 10000 },
  mixtral: { ctx: 131072, heads: 32, eps: 1e-5, theta: 1e6 },
};
/** llama.cpp's RoPE base when a file has no rope.freq_base (llama_hparams' rope_freq_base_train default). */
const LLAMA_CPP_FREQ_BASE = 10000;

/** Resolves a GGUF dtype name (f32, f16, bf16, q8_0, q4_0 and their long names, any case). */
export function resolveGgufDType(name: unknown, what = '"dtype" option'): GgufDType {
  const d = typeof name === "string" ? DTYPE_ALIASES[name.toLowerCase().replace(/^torch\./, "")] : undefined;
  if (d === undefined) throw valueError(what, `must be one of ${GGUF_DTYPES.join(", ")}`, name);
  return d;
}

/** The default file type of a config: its torch_dtype (bfloat16, float16; float32 and float64 -> f32), else f16. */
export function ggufDTypeOf(config: unknown): GgufDType {
  const d: DType | undefined = configDType(config);
  return d === undefined ? "f16" : d === "bfloat16" ? "bf16" : d === "float16" ? "f16" : "f32";
}

// --- metadata encoding ---------------------------------------------------------------------

type Kv = [key: string, value: GgufValue];

/** A growing little-endian byte buffer. */
class Sink {
  buf = Buffer.alloc(1 << 16);
  len = 0;
  room(n: number): void {
    if (this.len + n > MAX_GGUF_HEADER) throw valueError("GGUF header", `must fit in ${MAX_GGUF_HEADER} bytes`, `more than ${this.len + n}`);
    if (this.len + n <= this.buf.length) return;
    const b = Buffer.alloc(Math.max(this.len + n, 2 * this.buf.length));
    this.buf.copy(b, 0, 0, this.len);
    this.buf = b;
  }
  u8(v: number): void { this.room(1); this.buf[this.len++] = v; }
  u32(v: number): void { this.room(4); this.buf.writeUInt32LE(v, this.len); this.len += 4; }
  u64(v: number | bigint): void { this.room(8); this.buf.writeBigUInt64LE(BigInt(v), this.len); this.len += 8; }
  string(s: string): void {
    const n = Buffer.byteLength(s);
    this.u64(n);
    this.room(n);
    this.len += this.buf.write(s, this.len, "utf8");
  }
  scalar(type: number, v: GgufScalar): void {
    switch (type) {
      case 0: this.u8(v as number); break;
      case 1: this.room(1); this.buf.writeInt8(v as number, this.len); this.len += 1; break;
      case 2: this.room(2); this.buf.writeUInt16LE(v as number, this.len); this.len += 2; break;
      case 3: this.room(2); this.buf.writeInt16LE(v as number, this.len); this.len += 2; break;
      case 4: this.u32(v as number); break;
      case 5: this.room(4); this.buf.writeInt32LE(v as number, this.len); this.len += 4; break;
      case 6: this.room(4); this.buf.writeFloatLE(v as number, this.len); this.len += 4; break;
      case 7: this.u8(v ? 1 : 0); break;
      case 8: this.string(v as string); break;
      case 10: this.u64(v as bigint); break;
      case 11: this.room(8); this.buf.writeBigInt64LE(BigInt(v as bigint), this.len); this.len += 8; break;
      case 12: this.room(8); this.buf.writeDoubleLE(v as number, this.len); this.len += 8; break;
      default: throw valueError("GGUF metadata value type", "must be 0..12 (nested arrays are not written)", type);
    }
  }
  kv([key, v]: Kv): void {
    this.string(key);
    this.u32(v.type);
    if (v.type !== GGUF_TYPE.ARRAY) return this.scalar(v.type, v.value as GgufScalar);
    const items = v.value as GgufScalar[];
    this.u32(v.itemType as number);
    this.u64(items.length);
    for (const x of items) this.scalar(v.itemType as number, x);
  }
}

const str = (value: string): GgufValue => ({ type: GGUF_TYPE.STRING, value });
const u32 = (value: number): GgufValue => ({ type: GGUF_TYPE.UINT32, value });
const f32 = (value: number): GgufValue => ({ type: GGUF_TYPE.FLOAT32, value });
const bool = (value: boolean): GgufValue => ({ type: GGUF_TYPE.BOOL, value });
const arr = (itemType: GgufTypeId, value: GgufScalar[]): GgufValue => ({ type: GGUF_TYPE.ARRAY, itemType, value });

/** llama.cpp's token types (llama_token_type). */
const TOKEN_NORMAL = 1, TOKEN_UNKNOWN = 2, TOKEN_CONTROL = 3, TOKEN_BYTE = 6;
/** Tokens before the fillers: <unk>, <s>, </s> and the 256 byte tokens. */
export const SYNTHETIC_BASE_TOKENS = 3 + 256;

/**
 * The synthetic SentencePiece-style ("llama") vocabulary of `vocab` tokens: 0 <unk> (UNKNOWN),
 * 1 <s> and 2 </s> (CONTROL), 3..258 the byte tokens <0x00>..<0xFF> (BYTE), then NORMAL filler
 * pieces: "▁", the printable ASCII characters, "▁" + each letter and digit, then the base-36
 * numerals from "10" on, alternately with and without "▁". Scores: 0 for the first 259, then
 * -1, -2, ... so that earlier pieces win merges. `controls` (CONTROL, score 0) take the last ids.
 */
export function syntheticVocabulary(vocab: number, controls: readonly string[] = []): { tokens: string[]; scores: number[]; types: number[] } {
  const least = SYNTHETIC_BASE_TOKENS + controls.length;
  if (vocab < least) {
    throw valueError('config field "vocab_size"', `must be at least ${least} for the synthetic GGUF tokenizer (3 special + 256 byte tokens${controls.length > 0 ? ` + ${controls.join(", ")}` : ""}), or pass a tokenizer`, vocab);
  }
  const fillers = vocab - controls.length;
  const tokens = ["<unk>", "<s>", "</s>"];
  const types = [TOKEN_UNKNOWN, TOKEN_CONTROL, TOKEN_CONTROL];
  for (let b = 0; b < 256; b++) {
    tokens.push(`<0x${b.toString(16).toUpperCase().padStart(2, "0")}>`);
    types.push(TOKEN_BYTE);
  }
  const scores = new Array<number>(SYNTHETIC_BASE_TOKENS).fill(0);
  const push = (piece: string): void => {
    if (tokens.length >= fillers) return;
    tokens.push(piece);
    types.push(TOKEN_NORMAL);
    scores.push(SYNTHETIC_BASE_TOKENS - tokens.length);
  };
  push("\u2581");
  for (let c = 0x21; c < 0x7f; c++) push(String.fromCharCode(c));
  for (const c of "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") push(`\u2581${c}`);
  for (let n = 36; tokens.length < fillers; n++) {
    const s = n.toString(36);
    push(`\u2581${s}`);
    push(s);
  }
  for (const c of controls) {
    tokens.push(c);
    types.push(TOKEN_CONTROL);
    scores.push(0);
  }
  return { tokens, scores, types };
}

/**
 * llama.cpp (llama-vocab.cpp) sets Phi-3's token attributes on a model whose general.name contains
 * "phi-3" or "phi3" (any case, whatever the architecture), looking these tokens up by text: a
 * vocabulary without them fails to load ("_Map_base::at").
 */
const PHI3_NAME = /phi-?3/i;
const PHI3_NAME_TOKENS = ["<unk>", "<s>", "</s>", "<|endoftext|>"];

function syntheticTokenizer(vocab: number, name: string): Kv[] {
  // A Phi-3 name: <|endoftext|> (Phi-3's own control token) as the last id. llama.cpp takes it as an end of generation.
  const { tokens, scores, types } = syntheticVocabulary(vocab, PHI3_NAME.test(name) ? ["<|endoftext|>"] : []);
  return [
    ["tokenizer.ggml.model", str("llama")],
    ["tokenizer.ggml.tokens", arr(GGUF_TYPE.STRING, tokens)],
    ["tokenizer.ggml.scores", arr(GGUF_TYPE.FLOAT32, scores)],
    ["tokenizer.ggml.token_type", arr(GGUF_TYPE.INT32, types)],
    ["tokenizer.ggml.unknown_token_id", u32(0)],
    ["tokenizer.ggml.bos_token_id", u32(1)],
    ["tokenizer.ggml.eos_token_id", u32(2)],
    ["tokenizer.ggml.add_bos_token", bool(true)],
    ["tokenizer.ggml.add_eos_token", bool(false)],
  ];
}

/** The special tokens of the synthetic WordPiece vocabulary, ids 0..4, as BERT's tokenizer names them. */
export const BERT_SPECIAL_TOKENS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] as const;

/**
 * The synthetic WordPiece ("bert") vocabulary of `vocab` tokens, in the converter's phantom-space
 * form (BertModel.set_vocab: a word-initial piece w is written "\u2581w", a continuation "##w" as
 * "w", CONTROL tokens as they are): 0 [PAD], 1 [UNK], 2 [CLS], 3 [SEP], 4 [MASK] (CONTROL, as the
 * converter types BERT's special tokens), then NORMAL pieces: "\u2581" + each printable ASCII
 * character, each printable ASCII character (a continuation), then the base-36 numerals from "10"
 * on, alternately word-initial and continuation; cut at `vocab`. No scores (WPM has none).
 */
export function syntheticBertVocabulary(vocab: number): { tokens: string[]; types: number[] } {
  const least = BERT_SPECIAL_TOKENS.length;
  if (vocab < least) throw valueError('config field "vocab_size"', `must be at least ${least} for the synthetic GGUF WordPiece tokenizer (${BERT_SPECIAL_TOKENS.join(", ")}), or pass a tokenizer`, vocab);
  const tokens: string[] = [...BERT_SPECIAL_TOKENS];
  const types = tokens.map(() => TOKEN_CONTROL);
  const push = (piece: string): void => {
    if (tokens.length >= vocab) return;
    tokens.push(piece);
    types.push(TOKEN_NORMAL);
  };
  for (let c = 0x21; c < 0x7f; c++) push(`\u2581${String.fromCharCode(c)}`);
  for (let c = 0x21; c < 0x7f; c++) push(String.fromCharCode(c));
  for (let n = 36; tokens.length < vocab; n++) {
    const s = n.toString(36);
    push(`\u2581${s}`);
    push(s);
  }
  return { tokens, types };
}

function syntheticBertTokenizer(vocab: number): Kv[] {
  const { tokens, types } = syntheticBertVocabulary(vocab);
  const id = (t: (typeof BERT_SPECIAL_TOKENS)[number]): GgufValue => u32(BERT_SPECIAL_TOKENS.indexOf(t));
  // SpecialVocab's keys for a BERT tokenizer: [CLS] also as bos (BERT has no bos_token; llama.cpp's
  // WPM prepends bos). No eos: an encoder does not generate (llama.cpp's WPM default is none;
  // [SEP] as eos, as SpecialVocab may write it, only draws llama.cpp's "not in special_eog_ids" warning).
  return [
    ["tokenizer.ggml.model", str("bert")],
    ["tokenizer.ggml.tokens", arr(GGUF_TYPE.STRING, tokens)],
    ["tokenizer.ggml.token_type", arr(GGUF_TYPE.INT32, types)],
    ["tokenizer.ggml.bos_token_id", id("[CLS]")],
    ["tokenizer.ggml.unknown_token_id", id("[UNK]")],
    ["tokenizer.ggml.seperator_token_id", id("[SEP]")],
    ["tokenizer.ggml.padding_token_id", id("[PAD]")],
    ["tokenizer.ggml.cls_token_id", id("[CLS]")],
    ["tokenizer.ggml.mask_token_id", id("[MASK]")],
    ["tokenizer.ggml.add_bos_token", bool(true)],
    ["tokenizer.ggml.add_eos_token", bool(false)],
    ["tokenizer.ggml.add_sep_token", bool(true)],
  ];
}

/** The tokenizer.* keys of the GGUF file `path`, whose vocabulary must have `vocab` tokens. */
function copiedTokenizer(path: string, vocab: number, name: string): Kv[] {
  const h = readGgufHeader(path);
  const kvs = Object.entries(h.metadata).filter(([k]) => k.startsWith("tokenizer."));
  const tokens = h.metadata["tokenizer.ggml.tokens"];
  if (tokens === undefined || tokens.type !== GGUF_TYPE.ARRAY || tokens.itemType !== GGUF_TYPE.STRING) {
    throw valueError('"tokenizer" option', "must name a GGUF file with a tokenizer.ggml.tokens array of strings", path);
  }
  const n = (tokens.value as GgufScalar[]).length;
  if (n !== vocab) throw valueError('"tokenizer" option', `must name a GGUF file whose vocabulary has vocab_size = ${vocab} tokens (${describe(path)} has ${n})`, path);
  if (PHI3_NAME.test(name)) {
    const have = new Set(tokens.value as GgufScalar[]);
    const missing = PHI3_NAME_TOKENS.filter((x) => !have.has(x));
    if (missing.length > 0) {
      throw valueError('"tokenizer" option', `must name a GGUF file whose vocabulary has the tokens ${PHI3_NAME_TOKENS.join(" ")} when general.name (${JSON.stringify(name)}) names Phi-3 (llama.cpp looks them up; missing: ${missing.join(" ")}), or pass another "name"`, path);
    }
  }
  return kvs;
}

// --- the plan ------------------------------------------------------------------------------

/** One source of a GGUF tensor: a Hugging Face tensor's stream, or values computed from the config. */
type Part = { tensor: Tensor; values?: undefined } | { tensor?: undefined; values: Float32Array };

interface Placed extends GgufTensorPlan {
  /** Its sources in order (their elements concatenated). */
  parts: Part[];
  typeId: number;
}

interface InternalPlan {
  public: GgufPlan;
  model: Model;
  placed: Placed[];
  header: Buffer;
  threads: number | undefined;
  chunkBytes: number;
  onProgress: GgufOptions["onProgress"];
  signal: AbortSignal | undefined;
  checkSpace: boolean;
}

/** GPT-2's HF names -> GGUF (tensor_mapping.py): the embeddings and final norm, then a block's parts. */
const GPT2_NAMES: Record<string, string> = {
  "transformer.wte.weight": "token_embd.weight", "transformer.wpe.weight": "position_embd.weight",
  "transformer.ln_f.weight": "output_norm.weight", "transformer.ln_f.bias": "output_norm.bias",
};
const GPT2_PARTS: Record<string, string> = {
  ln_1: "attn_norm", "attn.c_attn": "attn_qkv", "attn.c_proj": "attn_output", ln_2: "ffn_norm", "mlp.c_fc": "ffn_up", "mlp.c_proj": "ffn_down",
};
/** GPT-2's Conv1D weights, stored [in, out]: GPT2Model.modify_tensors transposes them. */
const GPT2_CONV1D = /^transformer\.h\.\d+\.(attn\.c_attn|attn\.c_proj|mlp\.c_fc|mlp\.c_proj)\.weight$/;

/** BERT's HF names (the `bert.` prefix of BertForMaskedLM / BertForPreTraining removed) -> GGUF: the embeddings, then a layer's parts. */
const BERT_NAMES: Record<string, string> = {
  "embeddings.word_embeddings.weight": "token_embd.weight", "embeddings.position_embeddings.weight": "position_embd.weight",
  "embeddings.token_type_embeddings.weight": "token_types.weight",
  "embeddings.LayerNorm.weight": "token_embd_norm.weight", "embeddings.LayerNorm.bias": "token_embd_norm.bias",
};
const BERT_PARTS: Record<string, string> = {
  "attention.self.query": "attn_q", "attention.self.key": "attn_k", "attention.self.value": "attn_v", "attention.output.dense": "attn_output",
  "attention.output.LayerNorm": "attn_output_norm", "intermediate.dense": "ffn_up", "output.dense": "ffn_down", "output.LayerNorm": "layer_output_norm",
};
/** The BERT tensors BertModel.filter_tensors drops (the pooler, the MLM and NSP heads): llama.cpp's bert graph ends at the last layer's output. */
const BERT_DROPPED = /^(bert\.)?pooler\.|^cls\./;

/** HF tensor name -> GGUF name (llama.cpp's gguf-py TENSOR_NAMES and tensor_mapping.py, for the model types converted). */
function ggufName(hf: string, arch: string): string {
  if (arch === "bert") {
    const n = hf.startsWith("bert.") ? hf.slice(5) : hf;
    if (BERT_NAMES[n] !== undefined) return BERT_NAMES[n];
    const b = /^encoder\.layer\.(\d+)\.(.+)\.(weight|bias)$/.exec(n);
    if (b === null || BERT_PARTS[b[2]] === undefined) throw valueError("tensor name", "has no GGUF name known to nninit", hf);
    return `blk.${b[1]}.${BERT_PARTS[b[2]]}.${b[3]}`;
  }
  if (hf === "model.embed_tokens.weight") return "token_embd.weight";
  if (GPT2_NAMES[hf] !== undefined) return GPT2_NAMES[hf];
  const g = /^transformer\.h\.(\d+)\.(.+)\.(weight|bias)$/.exec(hf);
  if (g !== null && GPT2_PARTS[g[2]] !== undefined) return `blk.${g[1]}.${GPT2_PARTS[g[2]]}.${g[3]}`;
  if (hf === "model.norm.weight") return "output_norm.weight";
  if (hf === "lm_head.weight") return "output.weight";
  const m = /^model\.layers\.(\d+)\.(.+)\.(weight|bias)$/.exec(hf);
  const part = m === null ? undefined : ({
    "self_attn.q_proj": "attn_q", "self_attn.k_proj": "attn_k", "self_attn.v_proj": "attn_v", "self_attn.o_proj": "attn_output",
    "self_attn.q_norm": "attn_q_norm", "self_attn.k_norm": "attn_k_norm",
    "self_attn.qkv_proj": "attn_qkv", "mlp.gate_up_proj": "ffn_up", // phi3: fused [q; k; v] and [gate; up] rows
    "mlp.gate_proj": "ffn_gate", "mlp.up_proj": "ffn_up", "mlp.down_proj": "ffn_down",
    "block_sparse_moe.gate": "ffn_gate_inp", // mixtral's router (its experts: see expertGroup)
    "input_layernorm": "attn_norm", "post_attention_layernorm": "ffn_norm",
  } as Record<string, string>)[m[2]];
  if (m === null || part === undefined) throw valueError("tensor name", "has no GGUF name known to nninit", hf);
  return `blk.${m[1]}.${part}.${m[3]}`;
}

/**
 * Mixtral's expert weights: the 3-D GGUF tensor that stacks them (LlamaModel.modify_tensors stacks
 * block_sparse_moe.experts.E.w1/w2/w3 over E into ffn_gate_exps/ffn_down_exps/ffn_up_exps), and
 * this tensor's expert index; null for another tensor.
 */
function expertGroup(hf: string): { name: string; expert: number } | null {
  const m = /^model\.layers\.(\d+)\.block_sparse_moe\.experts\.(\d+)\.(w1|w2|w3)\.weight$/.exec(hf);
  if (m === null) return null;
  return { name: `blk.${m[1]}.${({ w1: "ffn_gate_exps", w2: "ffn_down_exps", w3: "ffn_up_exps" } as Record<string, string>)[m[3]]}.weight`, expert: Number(m[2]) };
}

const positive = (v: unknown, field: string, fallback: number): number => {
  const x = v ?? fallback;
  if (typeof x !== "number" || !Number.isFinite(x) || x <= 0) throw valueError(`config field "${field}"`, "must be a finite number > 0", x);
  return x;
};

/** The model types of llama.cpp's llama architecture, whose converter (LlamaModel) writes llama3 RoPE scaling as rope_freqs. */
const LLAMA3_TYPES = Object.keys(ARCH).filter((t) => ARCH[t] === "llama");

/** A field of a rope_scaling object: a finite number > 0 (or `fallback` when absent and one is given). */
const ropeField = (s: Record<string, unknown>, field: string): number => {
  const x = s[field];
  if (typeof x !== "number" || !Number.isFinite(x) || x <= 0) throw valueError(`config field "rope_scaling.${field}"`, 'must be a finite number > 0 for RoPE scaling of type "llama3"', x);
  return x;
};

/**
 * The rope_freqs.weight factors of llama3 RoPE scaling (Llama 3.1 / 3.2): head_dim / 2 float32
 * values, as convert_hf_to_gguf.py's LlamaModel.generate_extra_tensors computes them with torch
 * float32 tensors, each step rounded to float32 as torch rounds it:
 *
 *   freq_i  = 1 / theta^(2i / dim)                  (i < dim / 2)
 *   wavelen = 2*pi / freq_i
 *   factor  = 1                                      if wavelen < old_ctx / high_freq_factor
 *           = factor                                 if wavelen > old_ctx / low_freq_factor
 *           = 1 / ((1 - smooth) / factor + smooth)   else, smooth = (old_ctx / wavelen - low) / (high - low)
 *
 * A Python number meeting a float32 tensor is rounded to float32, and `number / tensor` is
 * torch's `tensor.reciprocal() * number` (two roundings: 2*pi / freq and old_ctx / wavelen).
 * llama.cpp divides each RoPE frequency by its factor, as transformers'
 * _compute_llama3_parameters divides inv_freq. The power is the float64 Math.pow rounded to
 * float32, where torch calls its CPU powf; see docs/gguf.md for how the two compare.
 */
export function llama3RopeFactors(dim: number, theta: number, s: Record<string, unknown>): Float32Array {
  const f = Math.fround;
  const factor = ropeField(s, "factor");
  const low = ropeField(s, "low_freq_factor");
  const high = ropeField(s, "high_freq_factor");
  const old = ropeField(s, "original_max_position_embeddings");
  if (!(high > low)) throw valueError('config field "rope_scaling.high_freq_factor"', `must be greater than low_freq_factor (${low}) for RoPE scaling of type "llama3"`, high);
  if (!Number.isInteger(old)) throw valueError('config field "rope_scaling.original_max_position_embeddings"', "must be an integer", old);
  // python floats meeting float32 tensors are rounded to float32 (torch's type promotion)
  const highWavelen = f(old / high), lowWavelen = f(old / low);
  const twoPi = f(2 * Math.PI), base = f(theta), span = f(high - low);
  const out = new Float32Array(dim / 2);
  for (let i = 0; i < dim / 2; i++) {
    const freq = f(1 / f(Math.pow(base, f((2 * i) / dim)))); // 1.0 / (base ** (arange(0, dim, 2) / dim))
    const wavelen = f(f(1 / freq) * twoPi); // 2 * math.pi / freq: freq.reciprocal() * 2pi
    if (wavelen < highWavelen) out[i] = 1;
    else if (wavelen > lowWavelen) out[i] = factor;
    else {
      const smooth = f(f(f(f(1 / wavelen) * f(old)) - f(low)) / span); // old / wavelen: wavelen.reciprocal() * old
      out[i] = f(1 / f(f(f(1 - smooth) / f(factor)) + smooth));
    }
  }
  return out;
}

/** The <arch>.* and general.* keys, as convert_hf_to_gguf.py writes them for this config. */
function modelKeys(c: Record<string, unknown>, preset: Preset, model: Model, dtype: GgufDType, name: string, seed: bigint): { kvs: Kv[]; heads: number; kvHeads: number; ropeFreqs: Float32Array | null } {
  const type = preset.modelType;
  const arch = ARCH[type];
  const general: Kv[] = [
    ["general.architecture", str(arch)],
    ["general.type", str("model")],
    ["general.name", str(name)],
    ["general.alignment", u32(GGUF_DEFAULT_ALIGNMENT)],
  ];
  const tail: Kv[] = [
    ["general.file_type", u32(FILE_TYPE[dtype])],
    ["general.quantization_version", u32(QUANTIZATION_VERSION)],
    ["nninit.seed", str(seed.toString())],
    ["nninit.stream_version", u32(STREAM_VERSION)],
    ["nninit.key", str("tensor = nninit streams of its Hugging Face tensors, keyed by tensorKey(seed, hf_name), as convert_hf_to_gguf.py converts them, docs/gguf.md")],
  ];
  if (type === "gpt2") {
    const heads = (c.n_head as number | undefined) ?? 12; // validated by the preset (GPT2Config's default 12)
    return { kvs: [...general, ...gpt2Keys(c, model, heads), ...tail], heads, kvHeads: heads, ropeFreqs: null };
  }
  if (type === "bert") {
    const heads = (c.num_attention_heads as number | undefined) ?? 12; // validated by the preset (BertConfig's default 12)
    return { kvs: [...general, ...bertKeys(c, model, heads), ...tail], heads, kvHeads: heads, ropeFreqs: null };
  }
  const d = HPARAM_DEFAULTS[type];
  const embd = model.byName.get("model.embed_tokens.weight") as Tensor;
  const [V, H] = embd.shape;
  const layer0 = (n: string): Tensor => model.byName.get(`model.layers.0.${n}.weight`) as Tensor;
  const L = model.tensors.filter((t) => t.name.endsWith(".input_layernorm.weight")).length;
  const NH = (c.num_attention_heads as number | undefined) ?? d.heads; // validated by the preset
  let D: number, KV: number, ff: number;
  if (type === "phi3") {
    // fused qkv_proj [(NH + 2 KV) * D, H] and gate_up_proj [2 I, H]; o_proj [H, NH * D]
    D = layer0("self_attn.o_proj").shape[1] / NH;
    KV = (layer0("self_attn.qkv_proj").shape[0] / D - NH) / 2;
    ff = layer0("mlp.gate_up_proj").shape[0] / 2;
  } else {
    D = layer0("self_attn.q_proj").shape[0] / NH;
    KV = layer0("self_attn.k_proj").shape[0] / D;
    ff = layer0(type === "mixtral" ? "block_sparse_moe.experts.0.w1" : "mlp.gate_proj").shape[0];
  }
  const rp = (typeof c.rope_parameters === "object" && c.rope_parameters !== null ? c.rope_parameters : {}) as Record<string, unknown>;
  const theta = positive(c.rope_theta ?? rp.rope_theta, "rope_theta", d.theta);
  const eps = positive(c.rms_norm_eps, "rms_norm_eps", d.eps);
  const ctxIn = c.max_position_embeddings ?? d.ctx;
  if (typeof ctxIn !== "number" || !Number.isInteger(ctxIn) || ctxIn < 1 || ctxIn > 0xffffffff) throw valueError('config field "max_position_embeddings"', "must be an integer in [1, 2^32)", ctxIn);
  const kvs: Kv[] = [...general];
  const a = (key: string, v: GgufValue): void => void kvs.push([`${arch}.${key}`, v]);
  const rpType = rp.rope_type ?? rp.type;
  const scaling = (c.rope_scaling ?? (rpType !== undefined && rpType !== "default" ? rp : null)) as Record<string, unknown> | null | undefined;
  const kind = scaling == null ? "default" : scaling.rope_type ?? scaling.type;
  let ropeFreqs: Float32Array | null = null;
  /** The size keys that GemmaModel and the llama family (TextModel) write first, in their order. */
  const sizes = (): void => {
    a("context_length", u32(ctxIn));
    a("embedding_length", u32(H));
    a("block_count", u32(L));
    a("feed_forward_length", u32(ff));
    a("attention.head_count", u32(NH));
    a("attention.head_count_kv", u32(KV));
  };
  if (arch === "phi3") {
    // Phi3MiniModel.set_gguf_parameters: no vocab_size and no key_length; the RoPE dimensions of
    // partial_rotary_factor; sliding_window (0 when unset; llama.cpp disables phi3's SWA anyway).
    if (kind === "longrope" || kind === "su") {
      throw valueError('config field "rope_scaling"', "must be null for GGUF model type phi3 (longrope scaling, the rope_factors_long/short tensors and attention factor of Phi-3's 128k models, is not converted)", kind);
    }
    if (kind !== "default") throw valueError('config field "rope_scaling"', "must be null for GGUF model type phi3 (Phi3MiniModel converts longrope only, which nninit does not)", kind);
    if (NH * D !== H) throw valueError('config field "head_dim"', `must be hidden_size / num_attention_heads (${H / NH}) for GGUF model type phi3 (llama.cpp's phi3 projects to hidden_size)`, D);
    const rot = c.partial_rotary_factor ?? rp.partial_rotary_factor ?? 1;
    if (typeof rot !== "number" || !(rot > 0 && rot <= 1)) throw valueError('config field "partial_rotary_factor"', "must be a number in (0, 1]", rot);
    const ropeDims = Math.floor(Math.floor(rot * H) / NH); // int(rot_pct * n_embd) // n_head
    if (ropeDims === 0 || ropeDims % 2 !== 0) throw valueError('config field "partial_rotary_factor"', `must give an even, non-zero number of RoPE dimensions (int(${rot} * ${H}) // ${NH} = ${ropeDims})`, rot);
    const origIn = c.original_max_position_embeddings ?? rp.original_max_position_embeddings;
    if (origIn != null && (typeof origIn !== "number" || !Number.isInteger(origIn) || origIn < 1 || origIn > 0xffffffff)) {
      throw valueError('config field "original_max_position_embeddings"', "must be null or an integer in [1, 2^32)", origIn);
    }
    const swa = c.sliding_window ?? 0;
    if (typeof swa !== "number" || !Number.isInteger(swa) || swa < 0 || swa > 0xffffffff) throw valueError('config field "sliding_window"', "must be null or an integer in [0, 2^32)", swa);
    a("context_length", u32(ctxIn));
    if (origIn != null) a("rope.scaling.original_context_length", u32(origIn as number));
    a("embedding_length", u32(H));
    a("feed_forward_length", u32(ff));
    a("block_count", u32(L));
    a("attention.head_count", u32(NH));
    a("attention.head_count_kv", u32(KV));
    a("attention.layer_norm_rms_epsilon", f32(eps));
    a("rope.dimension_count", u32(ropeDims));
    a("rope.freq_base", f32(theta));
    a("attention.sliding_window", u32(swa));
  } else if (arch === "gemma") {
    // GemmaModel.set_gguf_parameters: no vocab_size and no rope keys (llama.cpp's default RoPE base
    // is 10000, GemmaConfig's too: nninit writes rope.freq_base only for another rope_theta), and
    // key_length / value_length always (head_dim).
    if (kind !== "default") throw valueError('config field "rope_scaling"', "must be null for GGUF model type gemma (GemmaModel converts no RoPE scaling)", kind);
    sizes();
    a("attention.layer_norm_rms_epsilon", f32(eps));
    a("attention.key_length", u32(D));
    a("attention.value_length", u32(D));
    if (theta !== LLAMA_CPP_FREQ_BASE) a("rope.freq_base", f32(theta));
  } else {
    if (arch === "llama") a("vocab_size", u32(V)); // LlamaModel.set_gguf_parameters writes it; Qwen2Model does not
    sizes();
    a("rope.freq_base", f32(theta));
    a("attention.layer_norm_rms_epsilon", f32(eps));
    if (c.head_dim != null || D !== H / NH) {
      a("attention.key_length", u32(D));
      a("attention.value_length", u32(D));
    }
    if (arch === "llama") a("rope.dimension_count", u32(D));
    if (type === "mixtral") {
      // TextModel.set_gguf_parameters: num_local_experts, num_experts_per_tok (MixtralConfig's default 2)
      const E = layer0("block_sparse_moe.gate").shape[0];
      const used = c.num_experts_per_tok ?? 2;
      if (typeof used !== "number" || !Number.isInteger(used) || used < 1 || used > E) {
        throw valueError('config field "num_experts_per_tok"', `must be an integer in [1, num_local_experts = ${E}]`, used);
      }
      a("expert_count", u32(E));
      a("expert_used_count", u32(used));
    }
    if (kind === "linear" || kind === "yarn") {
      const sc = scaling as Record<string, unknown>;
      a("rope.scaling.type", str(kind));
      a("rope.scaling.factor", f32(positive(sc.factor, "rope_scaling.factor", NaN)));
      if (kind === "yarn") a("rope.scaling.original_context_length", u32(positive(sc.original_max_position_embeddings, "rope_scaling.original_max_position_embeddings", NaN)));
    } else if (kind === "llama3" && arch === "llama") {
      // LlamaModel writes no rope.scaling keys for llama3: the scaling is the rope_freqs tensor.
      ropeFreqs = llama3RopeFactors(D, theta, scaling as Record<string, unknown>);
    } else if (kind !== "default") {
      // dynamic and longrope (other keys and tensors), llama3 outside the llama architecture: not converted.
      const llama3 = kind === "llama3" ? ` (llama3 is converted for model types ${LLAMA3_TYPES.join(", ")})` : "";
      throw valueError('config field "rope_scaling"', `must be null or of type "linear", "yarn"${arch === "llama" ? ' or "llama3"' : ""} for GGUF${llama3 || " (other RoPE scalings are not converted)"}`, kind);
    }
  }
  kvs.push(...tail);
  return { kvs, heads: NH, kvHeads: KV, ropeFreqs };
}

/** The size keys TextModel.set_gguf_parameters writes first for GPT2Model and BertModel, in its order. */
function textModelKeys(arch: string, blocks: number, ctx: number, embd: number, ff: number, heads: number, eps: number): Kv[] {
  return [
    [`${arch}.block_count`, u32(blocks)],
    [`${arch}.context_length`, u32(ctx)],
    [`${arch}.embedding_length`, u32(embd)],
    [`${arch}.feed_forward_length`, u32(ff)],
    [`${arch}.attention.head_count`, u32(heads)],
    [`${arch}.attention.layer_norm_epsilon`, f32(eps)],
  ];
}

/**
 * GPT2Model.set_gguf_parameters' keys, in its order: gpt2.block_count, .context_length,
 * .embedding_length, .feed_forward_length, .attention.head_count, .attention.layer_norm_epsilon.
 * context_length is n_positions (llama.cpp's gpt2 loads position_embd as context_length rows; the
 * converter writes config.json's n_ctx, refused here when it differs), feed_forward_length the
 * MLP's width (n_inner, else 4 * n_embd; the converter writes 4 * n_embd, so its file of another
 * n_inner would not load). Configs whose model llama.cpp's gpt2 graph does not compute are refused.
 */
function gpt2Keys(c: Record<string, unknown>, model: Model, heads: number): Kv[] {
  const [, E] = (model.byName.get("transformer.wte.weight") as Tensor).shape;
  const P = (model.byName.get("transformer.wpe.weight") as Tensor).shape[0];
  const L = model.tensors.filter((t) => t.name.endsWith(".ln_1.weight")).length;
  const inner = (model.byName.get("transformer.h.0.mlp.c_fc.weight") as Tensor | undefined)?.shape[1] ?? 4 * E;
  const act = c.activation_function ?? "gelu_new";
  if (act !== "gelu_new" && act !== "gelu_pytorch_tanh") {
    throw valueError('config field "activation_function"', 'must be "gelu_new" or "gelu_pytorch_tanh" for GGUF model type gpt2 (llama.cpp\'s gpt2 graph applies GELU\'s tanh approximation)', act);
  }
  if (c.scale_attn_weights !== undefined && c.scale_attn_weights !== true) {
    throw valueError('config field "scale_attn_weights"', "must be true for GGUF model type gpt2 (llama.cpp's gpt2 graph scales the attention scores by 1 / sqrt(head size))", c.scale_attn_weights);
  }
  if (c.scale_attn_by_inverse_layer_idx !== undefined && c.scale_attn_by_inverse_layer_idx !== false) {
    throw valueError('config field "scale_attn_by_inverse_layer_idx"', "must be false for GGUF model type gpt2 (llama.cpp's gpt2 graph does not scale by the layer index)", c.scale_attn_by_inverse_layer_idx);
  }
  if (c.n_ctx != null && c.n_ctx !== P) {
    throw valueError('config field "n_ctx"', `must equal n_positions (${P}) for GGUF model type gpt2 (llama.cpp's gpt2 reads context_length rows of position_embd)`, c.n_ctx);
  }
  const eps = positive(c.layer_norm_epsilon, "layer_norm_epsilon", 1e-5);
  if (P > 0xffffffff) throw valueError('config field "n_positions"', "must be less than 2^32", P);
  return textModelKeys("gpt2", L, P, E, inner, heads, eps);
}

/** BERT's tensor `n` (a name without the `bert.` prefix) as the model names it. */
const bertName = (model: Model, n: string): string => (model.byName.has(n) ? n : `bert.${n}`);
/** The HF name of the token embeddings (vocab_size rows). */
const embeddingName = (type: ModelType, model: Model): string =>
  type === "gpt2" ? "transformer.wte.weight" : type === "bert" ? bertName(model, "embeddings.word_embeddings.weight") : "model.embed_tokens.weight";

/** llama.cpp's pooling types (llama_pooling_type): the one written for BERT. */
const POOLING_MEAN = 1;

/**
 * BertModel.set_gguf_parameters' keys (TextModel's, then its own), in its order: bert.block_count,
 * .context_length (max_position_embeddings: llama.cpp's bert loads position_embd as context_length
 * rows), .embedding_length, .feed_forward_length, .attention.head_count,
 * .attention.layer_norm_epsilon (layer_norm_eps; BertConfig's default 1e-12 when absent, which
 * the converter would not write and llama.cpp requires), .attention.causal = false, .pooling_type.
 * The converter writes pooling_type from a sentence-transformers modules.json, which a config has
 * not: nninit writes MEAN (1), sentence-transformers' default pooling mode. llama.cpp's bert
 * graph applies GELU to the intermediate layer and absolute learned positions (the preset refuses
 * other position_embedding_type): other hidden_act values are refused.
 */
function bertKeys(c: Record<string, unknown>, model: Model, heads: number): Kv[] {
  const [P, H] = (model.byName.get(bertName(model, "embeddings.position_embeddings.weight")) as Tensor).shape;
  const ffn = model.tensors.filter((t) => t.name.endsWith(".intermediate.dense.weight"));
  const L = ffn.length;
  const I = ffn[0].shape[0];
  const act = c.hidden_act ?? "gelu";
  if (act !== "gelu" && act !== "gelu_new" && act !== "gelu_pytorch_tanh") {
    throw valueError('config field "hidden_act"', 'must be "gelu", "gelu_new" or "gelu_pytorch_tanh" for GGUF model type bert (llama.cpp\'s bert graph applies GELU)', act);
  }
  if (c.is_decoder === true) throw valueError('config field "is_decoder"', "must be false for GGUF model type bert (llama.cpp's bert attends both ways)", c.is_decoder);
  const eps = positive(c.layer_norm_eps, "layer_norm_eps", 1e-12);
  if (P > 0xffffffff) throw valueError('config field "max_position_embeddings"', "must be less than 2^32", P);
  return [...textModelKeys("bert", L, P, H, I, heads, eps), ["bert.attention.causal", bool(false)], ["bert.pooling_type", u32(POOLING_MEAN)]];
}

/** The ggml type of a tensor (dims innermost first): 1-D tensors F32; quantized types need ne0 % 32 == 0 (else F16). */
function tensorType(dims: readonly number[], gname: string, dtype: GgufDType, tied: boolean): number {
  // 1-D tensors, the MoE router, learned positions and BERT's token types as the converter (and llama-quantize) keep them: F32
  if (dims.length === 1 || gname.endsWith(".ffn_gate_inp.weight") || gname === "position_embd.weight" || gname === "token_types.weight") return T_F32;
  const main = MAIN_TYPE[dtype];
  if (main !== T_Q8_0 && main !== T_Q4_0) return main;
  if (dims[0] % QK !== 0) return T_F16;
  // Q4_0 files: the output projection (output.weight, or token_embd.weight when tied) in Q8_0,
  // standing in for the Q6_K that llama-quantize uses there.
  if (main === T_Q4_0 && (gname === "output.weight" || (tied && gname === "token_embd.weight"))) return T_Q8_0;
  return main;
}

function plan(config: unknown, options: GgufOptions | undefined): InternalPlan {
  const opts = readOptions(options, ["seed", "dtype", "threads", "name", "tokenizer", "chunkBytes", "onProgress", "signal", "checkSpace"]);
  if (typeof config !== "object" || config === null || Array.isArray(config)) throw typeError('"config" argument', "a config.json object", config);
  let c: Record<string, unknown>;
  try {
    c = structuredClone(config) as Record<string, unknown>; // read once
  } catch {
    throw typeError('"config" argument', "a config.json object (JSON values only)", config);
  }
  const preset = presetFromConfig(c);
  if (!GGUF_MODEL_TYPES.includes(preset.modelType)) {
    throw valueError('config field "model_type"', `must be one of ${GGUF_MODEL_TYPES.join(", ")} for GGUF`, preset.modelType);
  }
  const model = defineModel(preset);
  const seedIn = opts.seed === undefined ? randomBytes(8).readBigUInt64LE(0) : opts.seed;
  const { seed, threads } = modelOptions({ seed: seedIn, threads: opts.threads });
  const dtype = opts.dtype === undefined ? ggufDTypeOf(c) : resolveGgufDType(opts.dtype);
  const nameIn = opts.name ?? (typeof c._name_or_path === "string" && c._name_or_path !== "" ? c._name_or_path : `nninit ${preset.modelType}`);
  if (typeof nameIn !== "string") throw typeError('"name" option', "a string", nameIn);
  const chunkBytes = opts.chunkBytes === undefined ? 32 << 20 : checkInteger('"chunkBytes" option', opts.chunkBytes, 1 << 16, 1 << 30) & ~7;
  const { onProgress, signal, checkSpace, tokenizer } = opts;
  if (onProgress !== undefined && typeof onProgress !== "function") throw typeError('"onProgress" option', "a function", onProgress);
  if (signal !== undefined && !(signal instanceof AbortSignal)) throw typeError('"signal" option', "an AbortSignal", signal);
  if (checkSpace !== undefined && typeof checkSpace !== "boolean") throw typeError('"checkSpace" option', "a boolean", checkSpace);
  if (tokenizer !== undefined && typeof tokenizer !== "string") throw typeError('"tokenizer" option', "a path (string)", tokenizer);

  const { kvs, heads, kvHeads, ropeFreqs } = modelKeys(c, preset, model, dtype, nameIn, seed);
  const V = (model.byName.get(embeddingName(preset.modelType, model)) as Tensor).shape[0];
  let tok = tokenizer === undefined ? (preset.modelType === "bert" ? syntheticBertTokenizer(V) : syntheticTokenizer(V, nameIn)) : copiedTokenizer(tokenizer, V, nameIn);
  if (preset.modelType === "bert") {
    // BertModel.set_vocab: type_vocab_size, this model's (a copied file's count is replaced: llama.cpp
    // loads token_types with this many rows and refuses a bert file without the key)
    tok = tok.filter(([k]) => k !== "tokenizer.ggml.token_type_count");
    kvs.push(["tokenizer.ggml.token_type_count", u32((model.byName.get(bertName(model, "embeddings.token_type_embeddings.weight")) as Tensor).shape[0])]);
  }
  kvs.push(...tok);
  const tied = model.tied.has("lm_head.weight");
  const arch = ARCH[preset.modelType];
  const isLlama = arch === "llama";
  if (arch === "gemma") {
    // llama.cpp's gemma graph uses token_embd.weight as the output projection and the converter
    // drops lm_head.weight, so an untied Gemma would lose its lm_head; the graph has no o_proj bias.
    if (!tied) throw valueError('config field "tie_word_embeddings"', "must be true for GGUF model type gemma (llama.cpp's gemma uses token_embd.weight as the output projection; an untied lm_head.weight would be lost)", c.tie_word_embeddings);
    if (model.byName.has("model.layers.0.self_attn.o_proj.bias")) throw valueError('config field "attention_bias"', "must be false for GGUF model type gemma (llama.cpp's gemma graph has no attention biases)", c.attention_bias);
  }

  // The GGUF tensors in file order: the computed rope_freqs first (the converter yields its
  // generated tensors before the checkpoint's), then one per HF tensor in the preset's order, a
  // layer's experts stacked into one 3-D tensor where its first expert stands.
  const entries: { name: string; parts: Part[]; dims: number[]; permuteHeads: number; transposed: boolean; values: GgufTensorPlan["values"] }[] = [];
  if (ropeFreqs !== null) entries.push({ name: "rope_freqs.weight", parts: [{ values: ropeFreqs }], dims: [ropeFreqs.length], permuteHeads: 0, transposed: false, values: "computed" });
  const groups = new Map<string, (typeof entries)[number]>();
  const dropped: string[] = [];
  for (const t of model.tensors) {
    if (arch === "bert" && BERT_DROPPED.test(t.name)) {
      dropped.push(t.name);
      continue;
    }
    const group = expertGroup(t.name);
    if (group !== null) {
      // experts stacked outermost: ne = [in, out, n_expert], expert e's elements at e * size
      let g = groups.get(group.name);
      if (g === undefined) {
        g = { name: group.name, parts: [], dims: [...[...t.shape].reverse(), 0], permuteHeads: 0, transposed: false, values: "stream" };
        groups.set(group.name, g);
        entries.push(g);
      }
      if (group.expert !== g.parts.length || t.shape.some((x, i) => x !== (g as (typeof entries)[number]).dims[1 - i])) {
        throw new Error(`internal: expert ${t.name} out of order or of another shape`);
      }
      g.parts.push({ tensor: t });
      g.dims[2] = g.parts.length;
      continue;
    }
    // LlamaModel.modify_tensors: q_proj with n_head, k_proj with n_head_kv (weights and biases).
    const permuteHeads = !isLlama ? 0 : /\.self_attn\.q_proj\./.test(t.name) ? heads : /\.self_attn\.k_proj\./.test(t.name) ? kvHeads : 0;
    if (permuteHeads > 0 && (t.shape[0] % permuteHeads !== 0 || (t.shape[0] / permuteHeads) % 2 !== 0)) {
      throw valueError(`tensor "${t.name}"`, `must have rows in ${permuteHeads} heads of an even size to be permuted for llama.cpp`, t.shape);
    }
    // GemmaModel.modify_tensors adds 1 to every *norm.weight (HF's GemmaRMSNorm scales by 1 + weight).
    const values = arch === "gemma" && t.name.endsWith("norm.weight") ? "plus-one" : "stream";
    // GPT2Model.modify_tensors transposes the Conv1D weights ([in, out] -> [out, in]): ne = [in, out].
    const transposed = arch === "gpt2" && GPT2_CONV1D.test(t.name);
    const name = ggufName(t.name, arch);
    if (transposed && 8 * t.shape[0] > chunkBytes) {
      // each half of the scratch (chunkBytes) holds a band of at least one GGUF row of `in` elements (float32 at most)
      throw valueError('"chunkBytes" option', `must be at least ${8 * t.shape[0]} for GGUF tensor ${name} (written transposed: each half of the scratch buffer holds one of its rows of ${t.shape[0]} elements)`, chunkBytes);
    }
    entries.push({ name, parts: [{ tensor: t }], dims: transposed ? [...t.shape] : [...t.shape].reverse(), permuteHeads, transposed, values });
  }
  let at = 0;
  const placed: Placed[] = entries.map(({ name, parts, dims, permuteHeads, transposed, values }) => {
    if (Buffer.byteLength(name) > GGUF_MAX_NAME) throw valueError("GGUF tensor name", `must be at most ${GGUF_MAX_NAME} bytes`, name);
    const typeId = tensorType(dims, name, dtype, tied);
    const [typeName, block, size] = GGML_TYPES[typeId];
    const offset = at;
    const bytes = (dims.reduce((x, y) => x * y, 1) / block) * size;
    at = Math.ceil((at + bytes) / GGUF_DEFAULT_ALIGNMENT) * GGUF_DEFAULT_ALIGNMENT;
    const sources = parts.flatMap((p) => (p.tensor === undefined ? [] : [p.tensor.name]));
    if (values === "plus-one" && typeId !== T_F32) throw new Error(`internal: ${name} plus-one is written in F32 only`);
    return { name, sources, type: typeName, dims, permuteHeads, transposed, values, offset, bytes, parts, typeId };
  });

  const s = new Sink();
  for (const b of Buffer.from("GGUF", "latin1")) s.u8(b);
  s.u32(GGUF_VERSION);
  s.u64(placed.length);
  s.u64(kvs.length);
  for (const kv of kvs) s.kv(kv);
  for (const p of placed) {
    s.string(p.name);
    s.u32(p.dims.length);
    for (const d of p.dims) s.u64(d);
    s.u32(p.typeId);
    s.u64(p.offset);
  }
  const headerBytes = Math.ceil(s.len / GGUF_DEFAULT_ALIGNMENT) * GGUF_DEFAULT_ALIGNMENT;
  const header = Buffer.alloc(headerBytes); // zero padding up to the data
  s.buf.copy(header, 0, 0, s.len);
  const pub: GgufPlan = {
    modelType: preset.modelType, architecture: ARCH[preset.modelType], dtype, seed, parameters: model.parameters,
    tensors: placed.map(({ parts: _p, typeId: _i, ...rest }) => rest), dropped, keys: kvs.map(([k]) => k), headerBytes, totalBytes: headerBytes + at,
  };
  return {
    public: pub, model, placed, header, threads, chunkBytes, onProgress: onProgress as GgufOptions["onProgress"], signal, checkSpace: checkSpace ?? true,
  };
}

/** Validates everything and plans the GGUF file (no I/O but reading the `tokenizer` file). */
export function planGguf(config: unknown, options?: GgufOptions): GgufPlan {
  return plan(config, options).public;
}

// --- the write -----------------------------------------------------------------------------

/** The fill dtype of a ggml type: quantized types are computed from float32. */
const fillDType = (typeId: number): DType => (typeId === T_F16 ? "float16" : typeId === T_BF16 ? "bfloat16" : "float32");

/**
 * Initializes the model of `config` (GGUF_MODEL_TYPES) with `seed` and streams it into
 * the GGUF file `path`. Resolves when the file is complete under its final name; on any error
 * (disk full, unwritable path, abort, a throwing onProgress before the end) rejects and leaves no
 * new file behind.
 * @example await writeGguf("tiny.gguf", config, { seed: 1, dtype: "q8_0" })
 */
export async function writeGguf(path: string, config: unknown, options?: GgufOptions): Promise<GgufResult> {
  if (typeof path !== "string" || path.length === 0) throw typeError('"path" argument', "a non-empty string", path);
  if (path.includes("\0")) throw valueError('"path" argument', "must not contain null bytes", path);
  const p = plan(config, options);
  const { placed, header, threads, chunkBytes, onProgress, signal } = p;
  const { seed, totalBytes } = p.public;
  let scratch: ArrayBuffer | null = null;
  const r = await streamFile(path, header, totalBytes, placed.length, { chunkBytes, checkSpace: p.checkSpace, onProgress, signal }, async ({ w, flush, tensorDone }) => {
    for (const t of placed) {
      const typeId = t.typeId;
      const [, block, bsize] = GGML_TYPES[typeId];
      const quant = block > 1;
      const fd = fillDType(typeId);
      const s = fd === "float32" ? 4 : 2;
      const scratchElems = Math.floor(chunkBytes / s);
      const row = t.dims[0];
      const plusOne = t.values === "plus-one"; // F32 (1-D) tensors only: checked by the plan
      const scratchView = (n: number): OutArray => {
        scratch ??= new ArrayBuffer(chunkBytes);
        return fd === "float32" ? new Float32Array(scratch, 0, n) : new Uint16Array(scratch, 0, n);
      };
      /** Appends src[from .. from + n) to the chunk (copied, or quantized into blocks). */
      const emit = (src: OutArray, from: number, n: number): void => {
        if (quant) {
          const dst = w.bytes((n / block) * bsize);
          w.commit((typeId === T_Q8_0 ? quantizeQ8_0 : quantizeQ4_0)(src as Float32Array, from, n, dst, 0));
          return;
        }
        const dst = w.bytes(n * s);
        dst.set(new Uint8Array(src.buffer, src.byteOffset + from * s, n * s));
        if (BIG_ENDIAN) swapBytes(dst, s);
        w.commit(n * s);
      };
      // The sources one after the other: each a whole number of rows, so quantization blocks never
      // straddle two of them and each is written as a tensor of its own would be.
      for (const part of t.parts) {
        const tensor = part.tensor;
        const values = part.values;
        const n = tensor === undefined ? (values as Float32Array).length : tensor.size;
        const key = tensor === undefined ? 0n : tensorKey(seed, tensor.name);
        /** Elements [offset, offset + out.length) of the source, in the fill dtype (computed values are float32: 1-D, F32). */
        const fill = (out: OutArray, offset: number): void => {
          if (tensor === undefined) return void out.set((values as Float32Array).subarray(offset, offset + out.length));
          fillRange(tensor, out, key, offset, fd, threads);
          if (plusOne) for (let i = 0; i < out.length; i++) out[i] += 1; // a Float32Array: RN32(x + 1)
        };
        // Quantized without a padding row, with the native backend: fill and quantize in one native
        // pass (fusedQuantizer: the floats never leave the cache); else fill a float piece, then emit it.
        const plan = quant && tensor !== undefined && tensor.paddingIdx === undefined && !t.transposed
          ? capturePlan(() => fillRange(tensor, new Float32Array(0), key, 0, "float32", threads))?.plan : undefined;
        const fused = plan === undefined ? null : fusedQuantizer(plan, typeId === T_Q8_0 ? "q8_0" : "q4_0");
        if (t.transposed) {
          // GGUF row o (`inp` elements) is source column o. Bands of c GGUF rows (source columns
          // [o0, o0 + c)), assembled in GGUF order in the second half of the scratch, then emitted
          // (copied or quantized) in pieces. The first half takes the band's source values, the
          // cheaper of two ways: whole source rows, a rows at a time (one contiguous fill of a * out
          // elements per group: the band costs the tensor's generation), or, for a band much
          // narrower than a row, each source row's c elements (a fill of its own each, which
          // generates the 4096-element stream blocks it touches). The plan checked that half the
          // scratch holds a GGUF row (c >= 1). Copies go in 32-row blocks (cache-friendly).
          const inp = t.dims[0], out = t.dims[1];
          const half = Math.floor(scratchElems / 2);
          const all = scratchView(2 * half);
          const stage = all.subarray(0, half);
          const r = Math.min(out, Math.floor(half / inp));
          const a = Math.min(inp, Math.floor(half / out));
          const B = 32;
          for (let o0 = 0; o0 < out; o0 += r) {
            const c = Math.min(r, out - o0);
            const rows = all.subarray(half, half + inp * c);
            if (a > 0 && out <= c + 2 * BLOCK_SIZE) {
              for (let i0 = 0; i0 < inp; i0 += a) {
                const n = Math.min(a, inp - i0);
                fill(stage.subarray(0, n * out), i0 * out);
                for (let jb = 0; jb < c; jb += B) {
                  const je = Math.min(c, jb + B);
                  for (let i = 0; i < n; i++) for (let j = jb, at = i * out + o0 + jb; j < je; j++, at++) rows[j * inp + i0 + i] = stage[at];
                }
              }
            } else {
              for (let i = 0; i < inp; i++) fill(stage.subarray(i * c, (i + 1) * c), i * out + o0);
              for (let jb = 0; jb < c; jb += B) {
                const je = Math.min(c, jb + B);
                for (let i = 0; i < inp; i++) for (let j = jb; j < je; j++) rows[j * inp + i] = stage[i * c + j];
              }
            }
            for (let done = 0; done < inp * c; ) {
              const k = Math.min(inp * c - done, Math.floor(w.free / bsize) * block);
              if (k === 0) {
                await flush();
                continue;
              }
              emit(rows, done, k);
              done += k;
            }
          }
        } else if (fused !== null && t.permuteHeads === 0) {
          for (let done = 0; done < n; ) {
            const k = pieceLength(done, Math.floor(w.free / bsize) * block, n, w.used);
            if (k === 0) {
              await flush();
              continue;
            }
            w.commit(fused(done, k, w.bytes((k / block) * bsize)));
            done += k;
          }
        } else if (t.permuteHeads === 0) {
          for (let done = 0; done < n; ) {
            const direct = !quant && w.used % s === 0;
            const room = Math.min(Math.floor(w.free / bsize) * block, direct ? Infinity : scratchElems - (scratchElems % block));
            const k = pieceLength(done, room, n, w.used);
            if (k === 0) {
              await flush();
              continue;
            }
            if (direct) {
              fill(w.view(fd, k), done);
              if (BIG_ENDIAN) swapBytes(w.bytes(k * s), s);
              w.commit(k * s);
            } else {
              const src = scratchView(k);
              fill(src, done);
              emit(src, 0, k);
            }
            done += k;
          }
        } else {
          // GGUF row h*D + 2i + j holds source row h*D + j*D/2 + i (LlamaModel.permute): pieces of
          // c row pairs fill source rows [h*D + a, +c) and [h*D + D/2 + a, +c), then interleave.
          const heads = t.permuteHeads;
          const D = n / row / heads;
          const half = D / 2;
          const pairBytes = ((2 * row) / block) * bsize;
          for (let h = 0; h < heads; h++) {
            for (let a = 0; a < half; ) {
              const c = Math.min(half - a, Math.floor(w.free / pairBytes), Math.floor(scratchElems / (2 * row)));
              if (c === 0 && w.used > 0) {
                await flush();
                continue;
              }
              if (c > 0 && fused !== null) {
                // the two source row ranges quantized into the scratch, then interleaved by rows
                const rowBytes = (row / block) * bsize;
                scratch ??= new ArrayBuffer(chunkBytes);
                const q = new Uint8Array(scratch, 0, 2 * c * rowBytes);
                fused((h * D + a) * row, c * row, q.subarray(0, c * rowBytes));
                fused((h * D + half + a) * row, c * row, q.subarray(c * rowBytes));
                const dst = w.bytes(2 * c * rowBytes);
                for (let i = 0; i < c; i++) {
                  dst.set(q.subarray(i * rowBytes, (i + 1) * rowBytes), 2 * i * rowBytes);
                  dst.set(q.subarray((c + i) * rowBytes, (c + i + 1) * rowBytes), (2 * i + 1) * rowBytes);
                }
                w.commit(2 * c * rowBytes);
                a += c;
                continue;
              }
              if (c > 0) {
                const src = scratchView(2 * c * row);
                fill(src.subarray(0, c * row), (h * D + a) * row);
                fill(src.subarray(c * row, 2 * c * row), (h * D + half + a) * row);
                for (let i = 0; i < c; i++) {
                  emit(src, i * row, row);
                  emit(src, (c + i) * row, row);
                }
                a += c;
                continue;
              }
              // A pair of rows exceeds an empty buffer: one row at a time, in pieces.
              for (const srcRow of [h * D + a, h * D + half + a]) {
                for (let col = 0; col < row; ) {
                  const k = Math.min(row - col, Math.floor(w.free / bsize) * block, scratchElems - (scratchElems % block));
                  if (k === 0) {
                    await flush();
                    continue;
                  }
                  const src = scratchView(k);
                  fill(src, srcRow * row + col);
                  emit(src, 0, k);
                  col += k;
                }
              }
              a += 1;
            }
          }
        }
      }
      const pad = Math.ceil(t.bytes / GGUF_DEFAULT_ALIGNMENT) * GGUF_DEFAULT_ALIGNMENT - t.bytes;
      if (pad > 0) {
        if (w.free < pad) await flush();
        w.bytes(pad).fill(0);
        w.commit(pad);
      }
      tensorDone();
    }
  });
  return { path: r.path, bytes: totalBytes, tensors: placed.length, parameters: p.model.parameters, seed, dtype: p.public.dtype, seconds: r.seconds };
}
