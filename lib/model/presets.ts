/**
 * Model specs from a Hugging Face config.json, with the tensor names and shapes of the reference
 * implementations (transformers' LlamaForCausalLM / MistralForCausalLM / Qwen2ForCausalLM /
 * Qwen3ForCausalLM / GemmaForCausalLM / Phi3ForCausalLM / MixtralForCausalLM, GPT2LMHeadModel and
 * BertModel / BertForMaskedLM / BertForPreTraining state_dicts, in their order) and their
 * `_init_weights` conventions: normal(0, initializer_range) for linear and embedding weights, zeros
 * for biases, ones for norm weights (zeros for Gemma's RMSNorm, which scales by 1 + weight), the
 * padding_idx row of the embedding zeroed, and GPT-2's c_proj weights at
 * initializer_range / sqrt(2 * n_layer) (transformers does this; `scaledResidualInit: false` skips it).
 * Missing config fields take the transformers config class's defaults. See docs/models.md.
 */
import { rangeError, typeError, valueError } from "../plan/errors.js";
import { MAX_LAYERS, MAX_TENSORS } from "./limits.js";
import type { InitOptions, ModelSpec, TensorSpec } from "./spec.js";

export const MODEL_TYPES = ["llama", "mistral", "qwen2", "gpt2", "gemma", "qwen3", "phi3", "mixtral", "bert"] as const;
export type ModelType = (typeof MODEL_TYPES)[number];
const ARCHITECTURES: Record<string, ModelType> = {
  LlamaForCausalLM: "llama", MistralForCausalLM: "mistral", Qwen2ForCausalLM: "qwen2", GPT2LMHeadModel: "gpt2",
  GemmaForCausalLM: "gemma", Qwen3ForCausalLM: "qwen3", Phi3ForCausalLM: "phi3", MixtralForCausalLM: "mixtral",
  BertModel: "bert", BertForMaskedLM: "bert", BertForPreTraining: "bert",
};
/** The BERT classes built, by `architectures[0]` (BertModel when it names none). */
const BERT_CLASSES = ["BertModel", "BertForMaskedLM", "BertForPreTraining"] as const;
type BertClass = (typeof BERT_CLASSES)[number];

/** Options of `presetFromConfig`. */
export interface PresetOptions {
  /** GPT-2: c_proj weights at initializer_range / sqrt(2 * n_layer), as transformers. Default true. */
  scaledResidualInit?: boolean;
}

/** A model spec built from a config, with its architecture and parameter count. */
export interface Preset extends ModelSpec {
  tensors: TensorSpec[];
  tied: Record<string, string>;
  modelType: ModelType;
  /** Parameters (a tied lm_head counted once, as transformers' num_parameters()). */
  parameters: number;
}

type Config = Record<string, unknown>;

/**
 * Reads config fields with transformers' defaults, naming the field in errors. Each field is read
 * from the config once (a getter cannot pass a check with one value and be used with another).
 */
function reader(c: Config, defaults: Record<string, number | boolean | null>) {
  const values = new Map<string, unknown>();
  const fromDefaults = new Set<string>();
  const get = (k: string): unknown => {
    if (!values.has(k)) {
      const v = c[k];
      if (v === undefined && Object.hasOwn(defaults, k)) fromDefaults.add(k);
      values.set(k, v === undefined && Object.hasOwn(defaults, k) ? defaults[k] : v);
    }
    return values.get(k);
  };
  return {
    /** A positive integer; `max` bounds counts of things built per unit (layers). */
    int(k: string, fallback?: number, max = Number.MAX_SAFE_INTEGER): number {
      const v = get(k) ?? fallback;
      if (typeof v !== "number" || !Number.isSafeInteger(v) || v <= 0) throw valueError(`config field "${k}"`, "must be a positive integer", v);
      if (v > max) throw rangeError(`config field "${k}"`, `an integer in [1, ${max}]`, v);
      return v;
    },
    num(k: string): number {
      const v = get(k);
      if (typeof v !== "number" || !Number.isFinite(v) || v < 0) throw valueError(`config field "${k}"`, "must be a finite number >= 0", v);
      return v;
    },
    bool(k: string): boolean {
      const v = get(k) ?? false;
      if (typeof v !== "boolean") throw valueError(`config field "${k}"`, "must be true or false", v);
      return v;
    },
    /** pad_token_id as an embedding row (negative counts from the end, as nn.Embedding), or undefined. */
    padIdx(vocab: number): number | undefined {
      const pad = get("pad_token_id");
      if (pad == null) return undefined;
      if (typeof pad !== "number" || !Number.isInteger(pad) || pad < -vocab || pad >= vocab) {
        const note = fromDefaults.has("pad_token_id") ? ` (the config sets none; its config class's default is ${String(pad)})` : "";
        throw valueError('config field "pad_token_id"', `must be null or an integer in [${-vocab}, ${vocab})${note}`, pad);
      }
      return pad < 0 ? vocab + pad : pad;
    },
    get,
  };
}

const normal = (name: string, shape: number[], std: number): TensorSpec => ({ name, shape, init: "normal", options: { std } as InitOptions });
const zeros = (name: string, n: number): TensorSpec => ({ name, shape: [n], init: "zeros" });
const ones = (name: string, n: number): TensorSpec => ({ name, shape: [n], init: "ones" });

type Defaults = Record<string, number | boolean | null>;
/** The transformers config classes' defaults (configuration_<model_type>.py) of the fields read here. */
const DEFAULTS: Record<ModelType, Defaults> = {
  llama: { vocab_size: 32000, hidden_size: 4096, intermediate_size: 11008, num_hidden_layers: 32, num_attention_heads: 32, initializer_range: 0.02, tie_word_embeddings: false },
  mistral: { vocab_size: 32000, hidden_size: 4096, intermediate_size: 14336, num_hidden_layers: 32, num_attention_heads: 32, num_key_value_heads: 8, initializer_range: 0.02, tie_word_embeddings: false },
  qwen2: { vocab_size: 151936, hidden_size: 4096, intermediate_size: 22016, num_hidden_layers: 32, num_attention_heads: 32, initializer_range: 0.02, tie_word_embeddings: false },
  gpt2: { vocab_size: 50257, n_positions: 1024, n_embd: 768, n_layer: 12, n_head: 12, initializer_range: 0.02, tie_word_embeddings: true },
  // GemmaConfig: head_dim is its own field (256), pad_token_id 0, tied lm_head.
  gemma: { vocab_size: 256000, hidden_size: 3072, intermediate_size: 24576, num_hidden_layers: 28, num_attention_heads: 16, num_key_value_heads: 16, head_dim: 256, initializer_range: 0.02, pad_token_id: 0, tie_word_embeddings: true, attention_bias: false },
  qwen3: { vocab_size: 151936, hidden_size: 4096, intermediate_size: 22016, num_hidden_layers: 32, num_attention_heads: 32, num_key_value_heads: 32, head_dim: 128, initializer_range: 0.02, tie_word_embeddings: false, attention_bias: false },
  // Phi3Config: num_key_value_heads None (= num_attention_heads), pad_token_id 32000.
  phi3: { vocab_size: 32064, hidden_size: 3072, intermediate_size: 8192, num_hidden_layers: 32, num_attention_heads: 32, initializer_range: 0.02, pad_token_id: 32000, tie_word_embeddings: false },
  mixtral: { vocab_size: 32000, hidden_size: 4096, intermediate_size: 14336, num_hidden_layers: 32, num_attention_heads: 32, num_key_value_heads: 8, num_local_experts: 8, initializer_range: 0.02, tie_word_embeddings: false },
  // BertConfig (tie_word_embeddings: PretrainedConfig's default).
  bert: { vocab_size: 30522, hidden_size: 768, num_hidden_layers: 12, num_attention_heads: 12, intermediate_size: 3072, max_position_embeddings: 512, type_vocab_size: 2, initializer_range: 0.02, pad_token_id: 0, tie_word_embeddings: true },
};

type Built = { tensors: TensorSpec[]; tied: Record<string, string> };

/** The decoder-only models with a model.embed_tokens / model.layers.N / model.norm / lm_head layout. */
function decoder(c: Config, type: Exclude<ModelType, "gpt2" | "bert">): Built {
  const r = reader(c, DEFAULTS[type]);
  const [V, H, I, NH] = ["vocab_size", "hidden_size", "intermediate_size", "num_attention_heads"].map((k) => r.int(k));
  const L = r.int("num_hidden_layers", undefined, MAX_LAYERS);
  const KV = r.int("num_key_value_heads", NH);
  if (NH % KV !== 0) throw valueError('config field "num_key_value_heads"', `must divide num_attention_heads (${NH})`, KV);
  if (r.get("head_dim") == null && H % NH !== 0) throw valueError('config field "hidden_size"', `must be a multiple of num_attention_heads (${NH}) when head_dim is not set`, H);
  const D = r.get("head_dim") == null ? H / NH : r.int("head_dim");
  // Mixtral: each layer is 7 tensors plus 3 per expert; bounded so the model stays within MAX_TENSORS.
  let E = 0;
  if (type === "mixtral") {
    const most = Math.floor((MAX_TENSORS - 3 - 7 * L) / (3 * L));
    E = r.int("num_local_experts");
    if (E > most) throw rangeError('config field "num_local_experts"', `an integer in [1, ${most}] (with ${L} layers; a model has at most ${MAX_TENSORS} tensors)`, E);
  }
  const std = r.num("initializer_range");
  // LlamaAttention (llama, gemma, qwen3): attention_bias on q, k, v and o; Qwen2: q, k, v always.
  const attnBias = (type === "llama" || type === "gemma" || type === "qwen3") && r.bool("attention_bias");
  const qkvBias = type === "qwen2" || attnBias;
  const mlpBias = type === "llama" && r.bool("mlp_bias");
  const pad = r.padIdx(V);
  // GemmaRMSNorm computes x * (1 + weight): its weights are initialized to zeros (GemmaPreTrainedModel._init_weights).
  const norm = type === "gemma" ? zeros : ones;
  const t: TensorSpec[] = [{ ...normal("model.embed_tokens.weight", [V, H], std), ...(pad === undefined ? {} : { paddingIdx: pad }) }];
  const linear = (name: string, out: number, inp: number, bias: boolean): void => {
    t.push(normal(`${name}.weight`, [out, inp], std));
    if (bias) t.push(zeros(`${name}.bias`, out));
  };
  for (let l = 0; l < L; l++) {
    const p = `model.layers.${l}.`;
    if (type === "phi3") {
      // Phi3Attention registers o_proj before the fused qkv_proj ([q; k; v] rows).
      linear(`${p}self_attn.o_proj`, H, NH * D, false);
      linear(`${p}self_attn.qkv_proj`, (NH + 2 * KV) * D, H, false);
    } else {
      linear(`${p}self_attn.q_proj`, NH * D, H, qkvBias);
      linear(`${p}self_attn.k_proj`, KV * D, H, qkvBias);
      linear(`${p}self_attn.v_proj`, KV * D, H, qkvBias);
      linear(`${p}self_attn.o_proj`, H, NH * D, attnBias);
      if (type === "qwen3") t.push(norm(`${p}self_attn.q_norm.weight`, D), norm(`${p}self_attn.k_norm.weight`, D));
    }
    if (type === "phi3") {
      linear(`${p}mlp.gate_up_proj`, 2 * I, H, false);
      linear(`${p}mlp.down_proj`, H, I, false);
    } else if (type === "mixtral") {
      // The Hub checkpoints' layout (transformers 4.x MixtralSparseMoeBlock): router, then w1 (gate), w2 (down), w3 (up) per expert.
      linear(`${p}block_sparse_moe.gate`, E, H, false);
      for (let e = 0; e < E; e++) {
        const x = `${p}block_sparse_moe.experts.${e}.`;
        linear(`${x}w1`, I, H, false);
        linear(`${x}w2`, H, I, false);
        linear(`${x}w3`, I, H, false);
      }
    } else {
      linear(`${p}mlp.gate_proj`, I, H, mlpBias);
      linear(`${p}mlp.up_proj`, I, H, mlpBias);
      linear(`${p}mlp.down_proj`, H, I, mlpBias);
    }
    t.push(norm(`${p}input_layernorm.weight`, H), norm(`${p}post_attention_layernorm.weight`, H));
  }
  t.push(norm("model.norm.weight", H));
  if (r.bool("tie_word_embeddings")) return { tensors: t, tied: { "lm_head.weight": "model.embed_tokens.weight" } };
  t.push(normal("lm_head.weight", [V, H], std));
  return { tensors: t, tied: {} };
}

function gpt2(c: Config, options: PresetOptions): Built {
  const r = reader(c, DEFAULTS.gpt2);
  const [V, P, E, NH] = ["vocab_size", "n_positions", "n_embd", "n_head"].map((k) => r.int(k));
  const L = r.int("n_layer", undefined, MAX_LAYERS);
  if (E % NH !== 0) throw valueError('config field "n_embd"', `must be a multiple of n_head (${NH})`, E);
  if (r.bool("add_cross_attention")) throw valueError('config field "add_cross_attention"', "is not supported by this preset", true);
  const inner = r.get("n_inner") == null ? 4 * E : r.int("n_inner");
  const std = r.num("initializer_range");
  const projStd = options.scaledResidualInit === false ? std : std / Math.sqrt(2 * L);
  const t: TensorSpec[] = [normal("transformer.wte.weight", [V, E], std), normal("transformer.wpe.weight", [P, E], std)];
  const norm = (name: string): void => void t.push(ones(`${name}.weight`, E), zeros(`${name}.bias`, E));
  const conv1d = (name: string, inp: number, out: number, s: number): void => void t.push(normal(`${name}.weight`, [inp, out], s), zeros(`${name}.bias`, out));
  for (let l = 0; l < L; l++) {
    const p = `transformer.h.${l}.`;
    norm(`${p}ln_1`);
    conv1d(`${p}attn.c_attn`, E, 3 * E, std);
    conv1d(`${p}attn.c_proj`, E, E, projStd);
    norm(`${p}ln_2`);
    conv1d(`${p}mlp.c_fc`, E, inner, std);
    conv1d(`${p}mlp.c_proj`, inner, E, projStd);
  }
  norm("transformer.ln_f");
  if (r.bool("tie_word_embeddings")) return { tensors: t, tied: { "lm_head.weight": "transformer.wte.weight" } };
  t.push(normal("lm_head.weight", [V, E], std));
  return { tensors: t, tied: {} };
}

/**
 * BERT (modeling_bert.py): BertModel (embeddings, encoder, pooler; no prefix), BertForMaskedLM
 * (`bert.` without the pooler, then the `cls.predictions` head) or BertForPreTraining (`bert.` with
 * the pooler, `cls.predictions` and `cls.seq_relationship`). LayerNorms are `LayerNorm.weight/bias`
 * as transformers' state_dict (the 2018 Hub checkpoint's TF names gamma/beta are renamed on load).
 */
function bert(c: Config, arch: unknown): Built {
  const head: BertClass = arch === undefined ? "BertModel" : (BERT_CLASSES as readonly unknown[]).includes(arch) ? (arch as BertClass) : (() => {
    throw valueError('config field "architectures"', `must name one of ${BERT_CLASSES.join(", ")} for model_type bert (or none: BertModel)`, arch);
  })();
  const r = reader(c, DEFAULTS.bert);
  const [V, H, I, NH, P, T] = ["vocab_size", "hidden_size", "intermediate_size", "num_attention_heads", "max_position_embeddings", "type_vocab_size"].map((k) => r.int(k));
  const L = r.int("num_hidden_layers", undefined, MAX_LAYERS);
  if (H % NH !== 0) throw valueError('config field "hidden_size"', `must be a multiple of num_attention_heads (${NH})`, H);
  if (r.bool("add_cross_attention")) throw valueError('config field "add_cross_attention"', "is not supported by this preset", true);
  const pos = r.get("position_embedding_type");
  if (pos != null && pos !== "absolute") throw valueError('config field "position_embedding_type"', 'must be "absolute" (relative position embeddings are not supported by this preset)', pos);
  const std = r.num("initializer_range");
  const pad = r.padIdx(V);
  const b = head === "BertModel" ? "" : "bert.";
  const t: TensorSpec[] = [];
  const linear = (name: string, out: number, inp: number): void => void t.push(normal(`${name}.weight`, [out, inp], std), zeros(`${name}.bias`, out));
  const layerNorm = (name: string): void => void t.push(ones(`${name}.weight`, H), zeros(`${name}.bias`, H));
  t.push(
    { ...normal(`${b}embeddings.word_embeddings.weight`, [V, H], std), ...(pad === undefined ? {} : { paddingIdx: pad }) },
    normal(`${b}embeddings.position_embeddings.weight`, [P, H], std),
    normal(`${b}embeddings.token_type_embeddings.weight`, [T, H], std),
  );
  layerNorm(`${b}embeddings.LayerNorm`);
  for (let l = 0; l < L; l++) {
    const p = `${b}encoder.layer.${l}.`;
    linear(`${p}attention.self.query`, H, H);
    linear(`${p}attention.self.key`, H, H);
    linear(`${p}attention.self.value`, H, H);
    linear(`${p}attention.output.dense`, H, H);
    layerNorm(`${p}attention.output.LayerNorm`);
    linear(`${p}intermediate.dense`, I, H);
    linear(`${p}output.dense`, H, I);
    layerNorm(`${p}output.LayerNorm`);
  }
  if (head !== "BertForMaskedLM") linear(`${b}pooler.dense`, H, H);
  const tied: Record<string, string> = {};
  if (head !== "BertModel") {
    // BertLMPredictionHead: its own bias parameter first (zeros), then transform, then the decoder, whose
    // bias is that same parameter and whose weight is the word embeddings unless tie_word_embeddings is false.
    t.push(zeros("cls.predictions.bias", V));
    linear("cls.predictions.transform.dense", H, H);
    layerNorm("cls.predictions.transform.LayerNorm");
    if (r.bool("tie_word_embeddings")) tied["cls.predictions.decoder.weight"] = `${b}embeddings.word_embeddings.weight`;
    else t.push(normal("cls.predictions.decoder.weight", [V, H], std));
    tied["cls.predictions.decoder.bias"] = "cls.predictions.bias";
    if (head === "BertForPreTraining") linear("cls.seq_relationship", 2, H);
  }
  return { tensors: t, tied };
}

/**
 * A model spec from a Hugging Face config.json object (model_type one of MODEL_TYPES, or the
 * matching `architectures[0]` class; for bert, `architectures[0]` picks BertModel,
 * BertForMaskedLM or BertForPreTraining).
 * @example presetFromConfig(JSON.parse(fs.readFileSync("config.json", "utf8")))
 */
export function presetFromConfig(config: unknown, options: PresetOptions = {}): Preset {
  if (typeof config !== "object" || config === null || Array.isArray(config)) throw typeError('"config" argument', "a config.json object", config);
  const c = config as Config;
  const architectures = c.architectures;
  const first: unknown = Array.isArray(architectures) ? architectures[0] : undefined;
  const arch = typeof first === "string" && Object.hasOwn(ARCHITECTURES, first) ? ARCHITECTURES[first] : undefined;
  const type = c.model_type ?? arch;
  if (typeof type !== "string" || !(MODEL_TYPES as readonly string[]).includes(type)) {
    throw valueError('config field "model_type"', `must be one of ${MODEL_TYPES.join(", ")} (or architectures[0] one of ${Object.keys(ARCHITECTURES).join(", ")})`, type);
  }
  const { tensors, tied } = type === "gpt2" ? gpt2(c, options) : type === "bert" ? bert(c, first) : decoder(c, type as Exclude<ModelType, "gpt2" | "bert">);
  const parameters = tensors.reduce((sum, s) => sum + s.shape.reduce((a, b) => a * b, 1), 0);
  if (!Number.isSafeInteger(parameters)) throw valueError('"config" argument', "describes more than 2^53 parameters", parameters);
  return { tensors, tied, modelType: type as ModelType, parameters };
}
