/**
 * Model specs from a Hugging Face config.json, with the tensor names and shapes of the reference
 * implementations (transformers' LlamaForCausalLM / MistralForCausalLM / Qwen2ForCausalLM and
 * GPT2LMHeadModel state_dicts, in their order) and their `_init_weights` conventions: normal(0,
 * initializer_range) for linear and embedding weights, zeros for biases, ones for norm weights,
 * the padding_idx row of the embedding zeroed, and GPT-2's c_proj weights at
 * initializer_range / sqrt(2 * n_layer) (transformers does this; `scaledResidualInit: false` skips it).
 * Missing config fields take the transformers config class's defaults.
 */
import { rangeError, typeError, valueError } from "../plan/errors.js";
import { MAX_LAYERS } from "./limits.js";
import type { InitOptions, ModelSpec, TensorSpec } from "./spec.js";

export const MODEL_TYPES = ["llama", "mistral", "qwen2", "gpt2"] as const;
export type ModelType = (typeof MODEL_TYPES)[number];
const ARCHITECTURES: Record<string, ModelType> = {
  LlamaForCausalLM: "llama", MistralForCausalLM: "mistral", Qwen2ForCausalLM: "qwen2", GPT2LMHeadModel: "gpt2",
};

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
  const get = (k: string): unknown => {
    if (!values.has(k)) {
      const v = c[k];
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
    get,
  };
}

const normal = (name: string, shape: number[], std: number): TensorSpec => ({ name, shape, init: "normal", options: { std } as InitOptions });
const zeros = (name: string, n: number): TensorSpec => ({ name, shape: [n], init: "zeros" });
const ones = (name: string, n: number): TensorSpec => ({ name, shape: [n], init: "ones" });

const LLAMA_DEFAULTS: Record<ModelType, Record<string, number | boolean | null>> = {
  llama: { vocab_size: 32000, hidden_size: 4096, intermediate_size: 11008, num_hidden_layers: 32, num_attention_heads: 32, initializer_range: 0.02, tie_word_embeddings: false },
  mistral: { vocab_size: 32000, hidden_size: 4096, intermediate_size: 14336, num_hidden_layers: 32, num_attention_heads: 32, num_key_value_heads: 8, initializer_range: 0.02, tie_word_embeddings: false },
  qwen2: { vocab_size: 151936, hidden_size: 4096, intermediate_size: 22016, num_hidden_layers: 32, num_attention_heads: 32, initializer_range: 0.02, tie_word_embeddings: false },
  gpt2: { vocab_size: 50257, n_positions: 1024, n_embd: 768, n_layer: 12, n_head: 12, initializer_range: 0.02, tie_word_embeddings: true },
};

function llamaLike(c: Config, type: ModelType): { tensors: TensorSpec[]; tied: Record<string, string> } {
  const r = reader(c, LLAMA_DEFAULTS[type]);
  const [V, H, I, NH] = ["vocab_size", "hidden_size", "intermediate_size", "num_attention_heads"].map((k) => r.int(k));
  const L = r.int("num_hidden_layers", undefined, MAX_LAYERS);
  const KV = r.int("num_key_value_heads", NH);
  if (NH % KV !== 0) throw valueError('config field "num_key_value_heads"', `must divide num_attention_heads (${NH})`, KV);
  if (r.get("head_dim") == null && H % NH !== 0) throw valueError('config field "hidden_size"', `must be a multiple of num_attention_heads (${NH}) when head_dim is not set`, H);
  const D = r.get("head_dim") == null ? H / NH : r.int("head_dim");
  const std = r.num("initializer_range");
  const qkvBias = type === "qwen2" || (type === "llama" && r.bool("attention_bias"));
  const oBias = type === "llama" && r.bool("attention_bias");
  const mlpBias = type === "llama" && r.bool("mlp_bias");
  const pad = r.get("pad_token_id");
  if (pad != null && (typeof pad !== "number" || !Number.isInteger(pad) || pad < -V || pad >= V)) throw valueError('config field "pad_token_id"', `must be null or an integer in [${-V}, ${V})`, pad);
  const embed: TensorSpec = { ...normal("model.embed_tokens.weight", [V, H], std), ...(pad == null ? {} : { paddingIdx: pad < 0 ? V + pad : pad }) };
  const t: TensorSpec[] = [embed];
  const linear = (name: string, out: number, inp: number, bias: boolean): void => {
    t.push(normal(`${name}.weight`, [out, inp], std));
    if (bias) t.push(zeros(`${name}.bias`, out));
  };
  for (let l = 0; l < L; l++) {
    const p = `model.layers.${l}.`;
    linear(`${p}self_attn.q_proj`, NH * D, H, qkvBias);
    linear(`${p}self_attn.k_proj`, KV * D, H, qkvBias);
    linear(`${p}self_attn.v_proj`, KV * D, H, qkvBias);
    linear(`${p}self_attn.o_proj`, H, NH * D, oBias);
    linear(`${p}mlp.gate_proj`, I, H, mlpBias);
    linear(`${p}mlp.up_proj`, I, H, mlpBias);
    linear(`${p}mlp.down_proj`, H, I, mlpBias);
    t.push(ones(`${p}input_layernorm.weight`, H), ones(`${p}post_attention_layernorm.weight`, H));
  }
  t.push(ones("model.norm.weight", H));
  if (r.bool("tie_word_embeddings")) return { tensors: t, tied: { "lm_head.weight": "model.embed_tokens.weight" } };
  t.push(normal("lm_head.weight", [V, H], std));
  return { tensors: t, tied: {} };
}

function gpt2(c: Config, options: PresetOptions): { tensors: TensorSpec[]; tied: Record<string, string> } {
  const r = reader(c, LLAMA_DEFAULTS.gpt2);
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
 * A model spec from a Hugging Face config.json object (model_type llama, mistral, qwen2 or gpt2,
 * or the matching `architectures` entry).
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
  const { tensors, tied } = type === "gpt2" ? gpt2(c, options) : llamaLike(c, type as ModelType);
  const parameters = tensors.reduce((sum, s) => sum + s.shape.reduce((a, b) => a * b, 1), 0);
  if (!Number.isSafeInteger(parameters)) throw valueError('"config" argument', "describes more than 2^53 parameters", parameters);
  return { tensors, tied, modelType: type as ModelType, parameters };
}
