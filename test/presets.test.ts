// Presets of the architectures added in issue 17 (gemma, qwen3, phi3, mixtral, bert): tensor names,
// shapes and order for tiny configs, written out by hand from transformers' modules (not derived from
// lib/model/presets.ts), parameter counts of real configs against published figures, init
// conventions, tied tensors and bad config fields.
import t from "tap";
import * as m from "../lib/model/index.js";
import { causalLmRows, llamaAttention, llamaMlp, shapes, type Row } from "./fixtures/decoderRows.js";

const find = (p: m.Preset, name: string): m.TensorSpec | undefined => p.tensors.find((s) => s.name === name);
/** name -> "normal:std" | "zeros" | "ones" (with ":pad=N" when a padding row is zeroed). */
const inits = (p: m.Preset): Record<string, string> =>
  Object.fromEntries(p.tensors.map((s) => [s.name, `${s.init}${s.init === "normal" ? `:${String(s.options?.std)}` : ""}${s.paddingIdx === undefined ? "" : `:pad=${s.paddingIdx}`}`]));
const count = (rows: Row[]): number => rows.reduce((sum, [, shape]) => sum + shape.reduce((a, b) => a * b, 1), 0);

const GEMMA_TINY = {
  model_type: "gemma", vocab_size: 64, hidden_size: 16, intermediate_size: 24, num_hidden_layers: 1,
  num_attention_heads: 2, num_key_value_heads: 1, head_dim: 4, initializer_range: 0.03,
};
const QWEN3_TINY = {
  architectures: ["Qwen3ForCausalLM"], vocab_size: 64, hidden_size: 16, intermediate_size: 24, num_hidden_layers: 2,
  num_attention_heads: 4, num_key_value_heads: 2, head_dim: 8,
};
const PHI3_TINY = {
  model_type: "phi3", vocab_size: 64, hidden_size: 16, intermediate_size: 24, num_hidden_layers: 1,
  num_attention_heads: 4, num_key_value_heads: 2, pad_token_id: 63,
};
const MIXTRAL_TINY = {
  model_type: "mixtral", vocab_size: 64, hidden_size: 16, intermediate_size: 24, num_hidden_layers: 1,
  num_attention_heads: 4, num_key_value_heads: 2, num_local_experts: 3, num_experts_per_tok: 2,
};
const BERT_TINY = {
  model_type: "bert", vocab_size: 50, hidden_size: 8, intermediate_size: 12, num_hidden_layers: 1,
  num_attention_heads: 2, max_position_embeddings: 10, type_vocab_size: 3,
};

t.test("gemma: GemmaForCausalLM names, shapes, order; zero-centred RMSNorm weights; tied lm_head", async (t) => {
  const p = m.presetFromConfig(GEMMA_TINY);
  // GemmaModel: embed_tokens; GemmaDecoderLayer: self_attn (q, k, v, o; head_dim 4, 1 KV head), mlp, 2 norms; norm.
  const expected = causalLmRows({ vocab: 64, hidden: 16, layers: 1, tied: true, layer: () => [...llamaAttention(16, 8, 4), ...llamaMlp(16, 24)] });
  t.same(shapes(p), expected);
  t.equal(p.modelType, "gemma");
  t.same(p.tied, { "lm_head.weight": "model.embed_tokens.weight" }, "GemmaConfig ties lm_head by default");
  t.equal(p.parameters, 1024 + 128 + 64 + 64 + 128 + 384 * 3 + 48);
  t.same(inits(p), {
    "model.embed_tokens.weight": "normal:0.03:pad=0", // GemmaConfig pad_token_id defaults to 0
    "model.layers.0.self_attn.q_proj.weight": "normal:0.03", "model.layers.0.self_attn.k_proj.weight": "normal:0.03",
    "model.layers.0.self_attn.v_proj.weight": "normal:0.03", "model.layers.0.self_attn.o_proj.weight": "normal:0.03",
    "model.layers.0.mlp.gate_proj.weight": "normal:0.03", "model.layers.0.mlp.up_proj.weight": "normal:0.03",
    "model.layers.0.mlp.down_proj.weight": "normal:0.03",
    // GemmaRMSNorm scales by (1 + weight): zeros is the identity scale.
    "model.layers.0.input_layernorm.weight": "zeros", "model.layers.0.post_attention_layernorm.weight": "zeros",
    "model.norm.weight": "zeros",
  });
  // head_dim is GemmaConfig's own field (default 256), not hidden_size / num_attention_heads.
  const d = m.presetFromConfig({ ...GEMMA_TINY, head_dim: undefined });
  t.same(find(d, "model.layers.0.self_attn.q_proj.weight")?.shape, [512, 16]);
  t.same(find(d, "model.layers.0.self_attn.o_proj.weight")?.shape, [16, 512]);
  const untied = m.presetFromConfig({ ...GEMMA_TINY, tie_word_embeddings: false, attention_bias: true, pad_token_id: null });
  t.same(untied.tied, {});
  t.same(shapes(untied).at(-1), ["lm_head.weight", [64, 16]]);
  t.equal(find(untied, "model.embed_tokens.weight")?.paddingIdx, undefined, "pad_token_id null: no padding row");
  t.same(untied.tensors.filter((s) => s.name.endsWith(".bias")).map((s) => `${s.name}:${s.init}`),
    ["q", "k", "v", "o"].map((x) => `model.layers.0.self_attn.${x}_proj.bias:zeros`), "attention_bias: q, k, v, o biases");
  t.equal(m.presetFromConfig({ ...GEMMA_TINY, model_type: undefined, architectures: ["GemmaForCausalLM"] }).modelType, "gemma");
  // The values written: norms exactly zero, padding row zero, weights normal(0, 0.03).
  const w = m.initModel(p, { seed: 7 });
  t.ok((w.get("model.norm.weight") as Float32Array).every((v) => v === 0), "norm weights are zeros");
  const emb = w.get("model.embed_tokens.weight") as Float32Array;
  t.ok(emb.subarray(0, 16).every((v) => v === 0) && emb.subarray(16).some((v) => v !== 0), "row 0 zero, the rest not");
  const sd = Math.sqrt(emb.subarray(16).reduce((s, v) => s + v * v, 0) / (emb.length - 16));
  t.ok(sd > 0.027 && sd < 0.033, `embedding std ${sd.toFixed(4)} ~ 0.03`);
});

t.test("qwen3: q_norm/k_norm of size head_dim after o_proj, no biases by default", async (t) => {
  const p = m.presetFromConfig(QWEN3_TINY);
  const expected = causalLmRows({ vocab: 64, hidden: 16, layers: 2, tied: false, layer: () => [
    ...llamaAttention(16, 32, 16), ["self_attn.q_norm.weight", [8]], ["self_attn.k_norm.weight", [8]], ...llamaMlp(16, 24),
  ] });
  t.same(shapes(p), expected);
  t.equal(p.modelType, "qwen3", "from architectures[0] alone");
  t.same(p.tied, {}, "Qwen3Config: tie_word_embeddings false by default");
  t.equal(p.parameters, count(expected));
  t.match(find(p, "model.layers.1.self_attn.q_norm.weight"), { init: "ones" });
  t.match(find(p, "model.layers.1.self_attn.k_norm.weight"), { init: "ones" });
  t.match(find(p, "model.layers.1.mlp.down_proj.weight"), { init: "normal", options: { std: 0.02 } });
  t.equal(find(p, "model.embed_tokens.weight")?.paddingIdx, undefined, "Qwen3Config pad_token_id defaults to None");
  t.notOk(p.tensors.some((s) => s.name.endsWith(".bias")), "attention_bias false by default");
  const biased = m.presetFromConfig({ ...QWEN3_TINY, attention_bias: true, tie_word_embeddings: true });
  t.same(shapes(biased).slice(1, 11), [
    ["model.layers.0.self_attn.q_proj.weight", [32, 16]], ["model.layers.0.self_attn.q_proj.bias", [32]],
    ["model.layers.0.self_attn.k_proj.weight", [16, 16]], ["model.layers.0.self_attn.k_proj.bias", [16]],
    ["model.layers.0.self_attn.v_proj.weight", [16, 16]], ["model.layers.0.self_attn.v_proj.bias", [16]],
    ["model.layers.0.self_attn.o_proj.weight", [16, 32]], ["model.layers.0.self_attn.o_proj.bias", [16]],
    ["model.layers.0.self_attn.q_norm.weight", [8]], ["model.layers.0.self_attn.k_norm.weight", [8]],
  ]);
  t.same(biased.tied, { "lm_head.weight": "model.embed_tokens.weight" });
  // head_dim defaults to 128 (Qwen3Config), independent of hidden_size / num_attention_heads.
  t.same(find(m.presetFromConfig({ ...QWEN3_TINY, head_dim: undefined }), "model.layers.0.self_attn.q_norm.weight")?.shape, [128]);
});

t.test("phi3: fused qkv_proj (registered after o_proj) and gate_up_proj", async (t) => {
  const p = m.presetFromConfig(PHI3_TINY);
  // head_dim 16 / 4 = 4; qkv rows 4*4 + 2*(2*4) = 32; gate_up rows 2 * 24.
  const expected = causalLmRows({ vocab: 64, hidden: 16, layers: 1, tied: false, layer: () => [
    ["self_attn.o_proj.weight", [16, 16]], ["self_attn.qkv_proj.weight", [32, 16]],
    ["mlp.gate_up_proj.weight", [48, 16]], ["mlp.down_proj.weight", [16, 24]],
  ] });
  t.same(shapes(p), expected);
  t.equal(p.parameters, count(expected));
  t.same(p.tied, {});
  t.match(find(p, "model.embed_tokens.weight"), { init: "normal", options: { std: 0.02 }, paddingIdx: 63 });
  t.match(find(p, "model.norm.weight"), { init: "ones" });
  t.match(find(p, "lm_head.weight"), { init: "normal", options: { std: 0.02 } });
  t.equal(m.presetFromConfig({ ...PHI3_TINY, model_type: undefined, architectures: ["Phi3ForCausalLM"] }).modelType, "phi3");
  // num_key_value_heads defaults to num_attention_heads: qkv rows 3 * 16.
  t.same(find(m.presetFromConfig({ ...PHI3_TINY, num_key_value_heads: undefined }), "model.layers.0.self_attn.qkv_proj.weight")?.shape, [48, 16]);
  // Phi3Config's pad_token_id default (32000) does not fit a 64-token vocabulary: the error says where it came from.
  t.throws(() => m.presetFromConfig({ ...PHI3_TINY, pad_token_id: undefined }), { message: /config field "pad_token_id" must be null or an integer in \[-64, 64\) \(the config sets none; its config class's default is 32000\)/ });
  t.equal(find(m.presetFromConfig({ ...PHI3_TINY, pad_token_id: -1 }), "model.embed_tokens.weight")?.paddingIdx, 63, "negative padding_idx counts from the end");
});

t.test("mixtral: block_sparse_moe router and experts.N.w1/w2/w3 (the Hub checkpoint layout)", async (t) => {
  const p = m.presetFromConfig(MIXTRAL_TINY);
  const expert = (e: number): Row[] => [
    [`block_sparse_moe.experts.${e}.w1.weight`, [24, 16]],
    [`block_sparse_moe.experts.${e}.w2.weight`, [16, 24]],
    [`block_sparse_moe.experts.${e}.w3.weight`, [24, 16]],
  ];
  const expected = causalLmRows({ vocab: 64, hidden: 16, layers: 1, tied: false, layer: () => [
    ...llamaAttention(16, 16, 8), ["block_sparse_moe.gate.weight", [3, 16]], ...expert(0), ...expert(1), ...expert(2),
  ] });
  t.same(shapes(p), expected);
  t.equal(p.parameters, count(expected));
  t.same(p.tied, {});
  t.match(find(p, "model.layers.0.block_sparse_moe.gate.weight"), { init: "normal", options: { std: 0.02 } });
  t.match(find(p, "model.layers.0.block_sparse_moe.experts.2.w2.weight"), { init: "normal", options: { std: 0.02 } });
  t.match(find(p, "model.layers.0.post_attention_layernorm.weight"), { init: "ones" });
  t.notOk(p.tensors.some((s) => s.name.endsWith(".bias")), "no biases");
  // MixtralConfig defaults: 8 experts, 8 KV heads.
  const d = m.presetFromConfig({ model_type: "mixtral", vocab_size: 8, hidden_size: 64, intermediate_size: 8, num_hidden_layers: 1, num_attention_heads: 16 });
  t.same(find(d, "model.layers.0.block_sparse_moe.gate.weight")?.shape, [8, 64]);
  t.same(find(d, "model.layers.0.self_attn.k_proj.weight")?.shape, [32, 64]);
  t.ok(find(d, "model.layers.0.block_sparse_moe.experts.7.w3.weight") && !find(d, "model.layers.0.block_sparse_moe.experts.8.w1.weight"));
  // Expert count bounded so the model stays within MAX_TENSORS, before anything is built.
  const start = performance.now();
  // 4096 layers of 7 + 3E tensors, plus 3: E = 18 gives 249,859 tensors, E = 19 gives 262,147 > 262,144.
  t.throws(() => m.presetFromConfig({ ...MIXTRAL_TINY, num_hidden_layers: m.MAX_LAYERS, num_local_experts: 1e9 }), { code: "ERR_OUT_OF_RANGE", message: /config field "num_local_experts" must be an integer in \[1, 18\] \(with 4096 layers/ });
  t.ok(performance.now() - start < 200, "at once");
  t.throws(() => m.presetFromConfig({ ...MIXTRAL_TINY, num_hidden_layers: m.MAX_LAYERS, num_local_experts: 19 }), { code: "ERR_OUT_OF_RANGE" });
  t.equal(m.presetFromConfig({ ...MIXTRAL_TINY, num_hidden_layers: m.MAX_LAYERS, num_local_experts: 18 }).tensors.length, 249_859, "the bound itself fits");
});

t.test("bert: BertModel, BertForMaskedLM, BertForPreTraining", async (t) => {
  const layer = (b: string): Row[] => [
    [`${b}encoder.layer.0.attention.self.query.weight`, [8, 8]], [`${b}encoder.layer.0.attention.self.query.bias`, [8]],
    [`${b}encoder.layer.0.attention.self.key.weight`, [8, 8]], [`${b}encoder.layer.0.attention.self.key.bias`, [8]],
    [`${b}encoder.layer.0.attention.self.value.weight`, [8, 8]], [`${b}encoder.layer.0.attention.self.value.bias`, [8]],
    [`${b}encoder.layer.0.attention.output.dense.weight`, [8, 8]], [`${b}encoder.layer.0.attention.output.dense.bias`, [8]],
    [`${b}encoder.layer.0.attention.output.LayerNorm.weight`, [8]], [`${b}encoder.layer.0.attention.output.LayerNorm.bias`, [8]],
    [`${b}encoder.layer.0.intermediate.dense.weight`, [12, 8]], [`${b}encoder.layer.0.intermediate.dense.bias`, [12]],
    [`${b}encoder.layer.0.output.dense.weight`, [8, 12]], [`${b}encoder.layer.0.output.dense.bias`, [8]],
    [`${b}encoder.layer.0.output.LayerNorm.weight`, [8]], [`${b}encoder.layer.0.output.LayerNorm.bias`, [8]],
  ];
  const embeddings = (b: string): Row[] => [
    [`${b}embeddings.word_embeddings.weight`, [50, 8]], [`${b}embeddings.position_embeddings.weight`, [10, 8]],
    [`${b}embeddings.token_type_embeddings.weight`, [3, 8]],
    [`${b}embeddings.LayerNorm.weight`, [8]], [`${b}embeddings.LayerNorm.bias`, [8]],
  ];
  const pooler = (b: string): Row[] => [[`${b}pooler.dense.weight`, [8, 8]], [`${b}pooler.dense.bias`, [8]]];
  const mlm: Row[] = [
    ["cls.predictions.bias", [50]],
    ["cls.predictions.transform.dense.weight", [8, 8]], ["cls.predictions.transform.dense.bias", [8]],
    ["cls.predictions.transform.LayerNorm.weight", [8]], ["cls.predictions.transform.LayerNorm.bias", [8]],
  ];
  // No architectures: BertModel (AutoModel's class for model_type bert), names without a prefix.
  const base = m.presetFromConfig(BERT_TINY);
  const baseRows = [...embeddings(""), ...layer(""), ...pooler("")];
  t.same(shapes(base), baseRows);
  t.same(base.tied, {});
  t.equal(base.parameters, count(baseRows));
  t.same(shapes(m.presetFromConfig({ ...BERT_TINY, architectures: ["BertModel"] })), baseRows);

  const masked = m.presetFromConfig({ ...BERT_TINY, architectures: ["BertForMaskedLM"] });
  t.same(shapes(masked), [...embeddings("bert."), ...layer("bert."), ...mlm], "BertForMaskedLM: no pooler");
  t.same(masked.tied, { "cls.predictions.decoder.weight": "bert.embeddings.word_embeddings.weight", "cls.predictions.decoder.bias": "cls.predictions.bias" });
  const pre = m.presetFromConfig({ ...BERT_TINY, model_type: undefined, architectures: ["BertForPreTraining"] });
  t.equal(pre.modelType, "bert");
  t.same(shapes(pre), [...embeddings("bert."), ...layer("bert."), ...pooler("bert."), ...mlm,
    ["cls.seq_relationship.weight", [2, 8]], ["cls.seq_relationship.bias", [2]]]);
  const untied = m.presetFromConfig({ ...BERT_TINY, architectures: ["BertForMaskedLM"], tie_word_embeddings: false });
  t.same(shapes(untied).slice(-2), [["cls.predictions.transform.LayerNorm.bias", [8]], ["cls.predictions.decoder.weight", [50, 8]]]);
  t.same(untied.tied, { "cls.predictions.decoder.bias": "cls.predictions.bias" }, "the decoder's bias is always the head's bias");

  t.same(inits(pre), {
    "bert.embeddings.word_embeddings.weight": "normal:0.02:pad=0", // BertConfig pad_token_id 0
    "bert.embeddings.position_embeddings.weight": "normal:0.02", "bert.embeddings.token_type_embeddings.weight": "normal:0.02",
    "bert.embeddings.LayerNorm.weight": "ones", "bert.embeddings.LayerNorm.bias": "zeros",
    ...Object.fromEntries(layer("bert.").map(([n]) => [n, n.includes("LayerNorm.weight") ? "ones" : n.endsWith(".bias") ? "zeros" : "normal:0.02"])),
    "bert.pooler.dense.weight": "normal:0.02", "bert.pooler.dense.bias": "zeros",
    "cls.predictions.bias": "zeros",
    "cls.predictions.transform.dense.weight": "normal:0.02", "cls.predictions.transform.dense.bias": "zeros",
    "cls.predictions.transform.LayerNorm.weight": "ones", "cls.predictions.transform.LayerNorm.bias": "zeros",
    "cls.seq_relationship.weight": "normal:0.02", "cls.seq_relationship.bias": "zeros",
  });
  // Tied aliases resolve to their targets' arrays.
  const w = m.initModel(masked, { seed: 3 });
  t.equal(w.get("cls.predictions.decoder.weight"), w.get("bert.embeddings.word_embeddings.weight"));
  t.equal(w.get("cls.predictions.decoder.bias"), w.get("cls.predictions.bias"));
});

t.test("parameter counts of the built-in configs against the published figures", async (t) => {
  const n = (name: string): number => m.presetFromConfig(m.builtinConfig(name)).parameters;
  // google/gemma-2b: 2,506,172,416 (keras-team/keras-hub, keras_hub/src/models/gemma/gemma_presets.py, "gemma_2b_en" params;
  // the Hub model page rounds it to 2.51B). Tied lm_head counted once.
  t.equal(n("gemma-2b"), 2_506_172_416);
  // Qwen/Qwen3-0.6B: model card https://huggingface.co/Qwen/Qwen3-0.6B: 0.6B parameters, 0.44B non-embedding;
  // Qwen3ForCausalLM.num_parameters() = 596,049,920 (tied lm_head counted once).
  t.equal(n("qwen3-0.6b"), 596_049_920);
  t.equal(n("qwen3-0.6b") - 151_936 * 1024, 440_467_456, "non-embedding 0.44B");
  // microsoft/Phi-3-mini-4k-instruct: 3,821,079,552 (keras-hub phi3_presets.py "phi3_mini_4k_instruct_en"; the Hub's 3.82B).
  t.equal(n("phi-3-mini-4k"), 3_821_079_552);
  // mistralai/Mixtral-8x7B-v0.1: 46,702,792,704 (keras-hub mixtral_presets.py "mixtral_8_7b_en"; the Hub's 46.7B).
  t.equal(n("mixtral-8x7b"), 46_702_792_704);
  // bert-base-uncased as BertModel (with pooler): 109,482,240 (keras-hub bert_presets.py "bert_base_en_uncased").
  const bert = m.builtinConfig("bert-base-uncased");
  t.equal(m.presetFromConfig({ ...bert, architectures: ["BertModel"] }).parameters, 109_482_240);
  // Its config.json names BertForMaskedLM: no pooler (-768*768-768), the MLM head (768*768+768 + 2*768 + 30522),
  // decoder tied: 109,514,298. BertForPreTraining (what the Hub file holds) adds the pooler and NSP (2*768+2):
  // 110,106,428, the "110M" of the BERT paper and the Hub page.
  t.equal(n("bert-base-uncased"), 109_482_240 - 590_592 + 590_592 + 1_536 + 30_522);
  t.equal(m.presetFromConfig({ ...bert, architectures: ["BertForPreTraining"] }).parameters, 110_106_428);
  for (const name of ["gemma-2b", "qwen3-0.6b", "phi-3-mini-4k", "mixtral-8x7b", "bert-base-uncased"]) {
    t.ok(m.listPresets().some((p) => p.name === name), `listed: ${name}`);
  }
});

t.test("MODEL_TYPES and bad config fields name the field", async (t) => {
  t.same([...m.MODEL_TYPES], ["llama", "mistral", "qwen2", "gpt2", "gemma", "qwen3", "phi3", "mixtral", "bert"]);
  const bad: [unknown, RegExp][] = [
    [{ model_type: "t5" }, /config field "model_type" must be one of llama, .*, bert/],
    [{ ...GEMMA_TINY, head_dim: 0 }, /config field "head_dim" must be a positive integer/],
    [{ ...GEMMA_TINY, tie_word_embeddings: "yes" }, /config field "tie_word_embeddings" must be true or false/],
    [{ ...GEMMA_TINY, attention_bias: 1 }, /config field "attention_bias" must be true or false/],
    [{ ...GEMMA_TINY, pad_token_id: 64 }, /config field "pad_token_id" must be null or an integer in \[-64, 64\)\. Received 64$/],
    [{ ...QWEN3_TINY, num_key_value_heads: 3 }, /config field "num_key_value_heads" must divide num_attention_heads \(4\)/],
    [{ ...QWEN3_TINY, initializer_range: -1 }, /config field "initializer_range" must be a finite number >= 0/],
    [{ ...PHI3_TINY, hidden_size: 18 }, /config field "hidden_size" must be a multiple of num_attention_heads \(4\)/],
    [{ ...PHI3_TINY, intermediate_size: 2.5 }, /config field "intermediate_size" must be a positive integer/],
    [{ ...MIXTRAL_TINY, num_local_experts: 0 }, /config field "num_local_experts" must be a positive integer/],
    [{ ...MIXTRAL_TINY, num_hidden_layers: m.MAX_LAYERS + 1 }, /config field "num_hidden_layers" must be an integer in \[1, 4096\]/],
    [{ ...BERT_TINY, architectures: ["BertForSequenceClassification"] }, /config field "architectures" must name one of BertModel, BertForMaskedLM, BertForPreTraining/],
    [{ ...BERT_TINY, position_embedding_type: "relative_key" }, /config field "position_embedding_type" must be "absolute"/],
    [{ ...BERT_TINY, add_cross_attention: true }, /config field "add_cross_attention" is not supported/],
    [{ ...BERT_TINY, hidden_size: 9 }, /config field "hidden_size" must be a multiple of num_attention_heads \(2\)/],
    [{ ...BERT_TINY, type_vocab_size: 0 }, /config field "type_vocab_size" must be a positive integer/],
    [{ ...BERT_TINY, max_position_embeddings: "512" }, /config field "max_position_embeddings" must be a positive integer/],
  ];
  for (const [c, re] of bad) t.throws(() => m.presetFromConfig(c), { message: re }, re.source);
});
