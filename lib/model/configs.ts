/**
 * Built-in configs (the architecture fields of the published config.json files), usable by name
 * wherever a config is expected: `nninit init --config tinyllama-1.1b`, `builtinConfig("gpt2")`.
 */
import { valueError } from "../plan/errors.js";
import { presetFromConfig } from "./presets.js";

const llama = (o: Record<string, unknown>) => ({ architectures: ["LlamaForCausalLM"], model_type: "llama", initializer_range: 0.02, tie_word_embeddings: false, ...o });
const gpt2 = (o: Record<string, unknown>) => ({ architectures: ["GPT2LMHeadModel"], model_type: "gpt2", vocab_size: 50257, n_positions: 1024, initializer_range: 0.02, ...o });

/** name -> [description, config]. */
export const BUILTIN_CONFIGS: Readonly<Record<string, readonly [string, Readonly<Record<string, unknown>>]>> = {
  "tinyllama-1.1b": ["TinyLlama/TinyLlama-1.1B (22 layers, GQA 32/4 heads)", llama({
    vocab_size: 32000, hidden_size: 2048, intermediate_size: 5632, num_hidden_layers: 22, num_attention_heads: 32, num_key_value_heads: 4,
  })],
  "llama-2-7b": ["meta-llama/Llama-2-7b-hf", llama({
    vocab_size: 32000, hidden_size: 4096, intermediate_size: 11008, num_hidden_layers: 32, num_attention_heads: 32, num_key_value_heads: 32,
  })],
  "llama-3-8b": ["meta-llama/Meta-Llama-3-8B (GQA 32/8 heads)", llama({
    vocab_size: 128256, hidden_size: 4096, intermediate_size: 14336, num_hidden_layers: 32, num_attention_heads: 32, num_key_value_heads: 8,
  })],
  "mistral-7b": ["mistralai/Mistral-7B-v0.1", {
    architectures: ["MistralForCausalLM"], model_type: "mistral", vocab_size: 32000, hidden_size: 4096, intermediate_size: 14336,
    num_hidden_layers: 32, num_attention_heads: 32, num_key_value_heads: 8, initializer_range: 0.02, tie_word_embeddings: false,
  }],
  gpt2: ["openai-community/gpt2 (124M, tied lm_head)", gpt2({ n_embd: 768, n_layer: 12, n_head: 12 })],
  "gpt2-medium": ["openai-community/gpt2-medium", gpt2({ n_embd: 1024, n_layer: 24, n_head: 16 })],
  "gpt2-large": ["openai-community/gpt2-large", gpt2({ n_embd: 1280, n_layer: 36, n_head: 20 })],
  "gpt2-xl": ["openai-community/gpt2-xl", gpt2({ n_embd: 1600, n_layer: 48, n_head: 25 })],
  "gemma-2b": ["google/gemma-2b (18 layers, multi-query 8/1 heads, head_dim 256, tied lm_head)", {
    architectures: ["GemmaForCausalLM"], model_type: "gemma", vocab_size: 256000, hidden_size: 2048, intermediate_size: 16384,
    num_hidden_layers: 18, num_attention_heads: 8, num_key_value_heads: 1, head_dim: 256, initializer_range: 0.02, pad_token_id: 0,
  }],
  "qwen3-0.6b": ["Qwen/Qwen3-0.6B (28 layers, GQA 16/8 heads, head_dim 128, q/k norms, tied lm_head)", {
    architectures: ["Qwen3ForCausalLM"], model_type: "qwen3", vocab_size: 151936, hidden_size: 1024, intermediate_size: 3072,
    num_hidden_layers: 28, num_attention_heads: 16, num_key_value_heads: 8, head_dim: 128, attention_bias: false,
    initializer_range: 0.02, tie_word_embeddings: true,
  }],
  "phi-3-mini-4k": ["microsoft/Phi-3-mini-4k-instruct (32 layers, fused qkv_proj and gate_up_proj)", {
    architectures: ["Phi3ForCausalLM"], model_type: "phi3", vocab_size: 32064, hidden_size: 3072, intermediate_size: 8192,
    num_hidden_layers: 32, num_attention_heads: 32, num_key_value_heads: 32, initializer_range: 0.02, pad_token_id: 32000,
    tie_word_embeddings: false,
  }],
  "mixtral-8x7b": ["mistralai/Mixtral-8x7B-v0.1 (32 layers, 8 experts, GQA 32/8 heads)", {
    architectures: ["MixtralForCausalLM"], model_type: "mixtral", vocab_size: 32000, hidden_size: 4096, intermediate_size: 14336,
    num_hidden_layers: 32, num_attention_heads: 32, num_key_value_heads: 8, num_local_experts: 8, num_experts_per_tok: 2,
    initializer_range: 0.02, tie_word_embeddings: false,
  }],
  "bert-base-uncased": ["google-bert/bert-base-uncased (BertForMaskedLM, decoder tied to the word embeddings)", {
    architectures: ["BertForMaskedLM"], model_type: "bert", vocab_size: 30522, hidden_size: 768, intermediate_size: 3072,
    num_hidden_layers: 12, num_attention_heads: 12, max_position_embeddings: 512, type_vocab_size: 2, initializer_range: 0.02,
    pad_token_id: 0, position_embedding_type: "absolute",
  }],
};

/** A copy of the built-in config called `name`. */
export function builtinConfig(name: string): Record<string, unknown> {
  if (!Object.hasOwn(BUILTIN_CONFIGS, name)) {
    throw valueError('"name" argument', `must be a built-in config (${Object.keys(BUILTIN_CONFIGS).join(", ")})`, name);
  }
  return structuredClone(BUILTIN_CONFIGS[name][1]) as Record<string, unknown>;
}

/** The built-in configs with their model type and parameter count. */
export function listPresets(): { name: string; description: string; modelType: string; parameters: number }[] {
  return Object.entries(BUILTIN_CONFIGS).map(([name, [description, config]]) => {
    const p = presetFromConfig(config);
    return { name, description, modelType: p.modelType, parameters: p.parameters };
  });
}
