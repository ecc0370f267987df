/**
 * nninit/model GGUF: the writer (lib/model/gguf.ts) checked by a minimal GGUF reader written
 * here from the spec (ggml docs/gguf.md), not by nninit's own reader; values against initModel
 * after the llama q/k row permutation (its inverse implemented here independently); Q8_0/Q4_0
 * blocks against a quantizer written here and hand-computed blocks; nninit's reader refusing
 * malformed files; atomicity; and a real client, node-llama-cpp 3.21.1 (installed by
 * scripts/install-llama.sh into .nninit-tmp/llama), loading nninit's files and generating, and
 * computing the next-token probabilities that a transformers-style forward pass written here
 * computes from initModel's tensors (the same model, for every converted architecture).
 */
import t, { type Test } from "tap";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { builtinConfig, initModel, presetFromConfig } from "../lib/model/index.js";
import { planGguf, readGgufHeader, syntheticBertVocabulary, syntheticVocabulary, writeGguf, type GgufOptions } from "../lib/model/gguf.js";
import { quantizeQ4_0, quantizeQ4_0Js, quantizeQ8_0, quantizeQ8_0Js, quantizerBackend } from "../lib/model/quant.js";
import { nativeBinding, nativeIsas } from "../lib/backend/select.js";
import { main } from "../lib/cli/main.js";
import { capturePlan } from "../lib/api/execute.js";
import { normal, truncNormal, uniform } from "../lib/index.js";
import { KERNELS, type RandomPlan } from "../lib/plan/plan.js";
import { eachIsa, sameBytes } from "./helpers.js";
import { decodeF16 } from "./fixtures/stats.js";

const root = resolve(__dirname, "..");
const work = mkdtempSync(join(tmpdir(), "nninit-gguf-"));
t.teardown(() => rmSync(work, { recursive: true, force: true }));

const TINY = {
  architectures: ["LlamaForCausalLM"], model_type: "llama", vocab_size: 512, hidden_size: 64, intermediate_size: 128,
  num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2, max_position_embeddings: 256, rms_norm_eps: 1e-5,
  rope_theta: 10000, tie_word_embeddings: false, initializer_range: 0.02,
};
const QWEN = {
  architectures: ["Qwen2ForCausalLM"], model_type: "qwen2", vocab_size: 512, hidden_size: 64, intermediate_size: 96,
  num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2, max_position_embeddings: 512, rms_norm_eps: 1e-6,
  rope_theta: 1000000, tie_word_embeddings: true, initializer_range: 0.02,
};

// --- an independent minimal GGUF reader (from the spec) -------------------------------------

type Val = number | bigint | boolean | string | Val[];
interface Parsed {
  version: number;
  kv: Map<string, { type: number; value: Val; itemType?: number }>;
  tensors: { name: string; dims: number[]; type: number; offset: number }[];
  dataStart: number;
  buf: Buffer;
}

function parseGguf(buf: Buffer): Parsed {
  let p = 0;
  const u32 = (): number => ((p += 4), buf.readUInt32LE(p - 4));
  const u64 = (): number => ((p += 8), Number(buf.readBigUInt64LE(p - 8)));
  const str = (): string => {
    const n = u64();
    p += n;
    return buf.toString("utf8", p - n, p);
  };
  const value = (type: number): Val => {
    switch (type) {
      case 0: return buf[p++];
      case 1: return ((p += 1), buf.readInt8(p - 1));
      case 2: return ((p += 2), buf.readUInt16LE(p - 2));
      case 3: return ((p += 2), buf.readInt16LE(p - 2));
      case 4: return u32();
      case 5: return ((p += 4), buf.readInt32LE(p - 4));
      case 6: return ((p += 4), buf.readFloatLE(p - 4));
      case 7: return buf[p++] !== 0;
      case 8: return str();
      case 10: return ((p += 8), buf.readBigUInt64LE(p - 8));
      case 11: return ((p += 8), buf.readBigInt64LE(p - 8));
      case 12: return ((p += 8), buf.readDoubleLE(p - 8));
      default: throw new Error(`bad type ${type}`);
    }
  };
  if (buf.toString("latin1", 0, 4) !== "GGUF") throw new Error("bad magic");
  p = 4;
  const version = u32();
  const nt = u64();
  const nkv = u64();
  const kv: Parsed["kv"] = new Map();
  for (let i = 0; i < nkv; i++) {
    const key = str();
    const type = u32();
    if (type === 9) {
      const itemType = u32();
      const n = u64();
      const items: Val[] = [];
      for (let j = 0; j < n; j++) items.push(value(itemType));
      kv.set(key, { type, itemType, value: items });
    } else {
      kv.set(key, { type, value: value(type) });
    }
  }
  const tensors: Parsed["tensors"] = [];
  for (let i = 0; i < nt; i++) {
    const name = str();
    const nd = u32();
    const dims: number[] = [];
    for (let d = 0; d < nd; d++) dims.push(u64());
    tensors.push({ name, dims, type: u32(), offset: u64() });
  }
  const align = (kv.get("general.alignment")?.value as number | undefined) ?? 32;
  return { version, kv, tensors, dataStart: Math.ceil(p / align) * align, buf };
}

const SIZES: Record<number, [number, number]> = { 0: [1, 4], 1: [1, 2], 30: [1, 2], 8: [32, 34], 2: [32, 18] };
function tensorBytes(g: Parsed, name: string): { info: Parsed["tensors"][number]; data: Buffer } {
  const info = g.tensors.find((x) => x.name === name);
  if (info === undefined) throw new Error(`no tensor ${name}`);
  const [block, size] = SIZES[info.type];
  const n = info.dims.reduce((a, b) => a * b, 1);
  const at = g.dataStart + info.offset;
  return { info, data: g.buf.subarray(at, at + (n / block) * size) };
}

/** float16 bits of a number by search over the representable values (slow, independent). */
function toHalf(x: number): number {
  const s = x < 0 || Object.is(x, -0) ? 0x8000 : 0;
  const a = Math.abs(x);
  let lo = 0, hi = 0x7c00;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (decodeF16(mid) <= a) lo = mid;
    else hi = mid - 1;
  }
  const up = lo + 1;
  const dl = a - decodeF16(lo), du = decodeF16(up) - a;
  return s | (du < dl || (du === dl && (lo & 1) === 1) ? up : lo);
}

/** The permuted tensor's source row of GGUF row r (inverse of reshape(h, 2, D/2).swapaxes(1, 2)). */
function sourceRow(r: number, rows: number, heads: number): number {
  const D = rows / heads;
  const h = Math.floor(r / D);
  const within = r % D; // = 2 * i + j in the [h, D/2, 2] layout
  const i = within >> 1, j = within & 1;
  return h * D + j * (D / 2) + i;
}

const HF: Record<string, string> = {
  "token_embd.weight": "model.embed_tokens.weight", "output_norm.weight": "model.norm.weight", "output.weight": "lm_head.weight",
  attn_q: "self_attn.q_proj", attn_k: "self_attn.k_proj", attn_v: "self_attn.v_proj", attn_output: "self_attn.o_proj",
  ffn_gate: "mlp.gate_proj", ffn_up: "mlp.up_proj", ffn_down: "mlp.down_proj", attn_norm: "input_layernorm", ffn_norm: "post_attention_layernorm",
  attn_qkv: "self_attn.qkv_proj", // phi3
};
function hfName(g: string): string {
  if (HF[g] !== undefined) return HF[g];
  const m = /^blk\.(\d+)\.(\w+)\.(weight|bias)$/.exec(g);
  if (m === null) throw new Error(`unexpected GGUF name ${g}`);
  return `model.layers.${m[1]}.${HF[m[2]]}.${m[3]}`;
}

async function write(name: string, config: object, options: GgufOptions): Promise<Parsed> {
  const path = join(work, name);
  await writeGguf(path, config, options);
  return parseGguf(readFileSync(path));
}

/** GGUF tensor `name` as source-ordered rows: element [r, c] of the HF tensor for each GGUF element. */
function compareRows(t: Test, g: Parsed, name: string, permuteHeads: number, get: (i: number) => number, want: (i: number) => number): void {
  const info = g.tensors.find((x) => x.name === name)!;
  const row = info.dims[0];
  const rows = info.dims.length > 1 ? info.dims[1] : info.dims[0];
  const inner = info.dims.length > 1 ? row : 1;
  let bad = -1;
  for (let r = 0; r < rows && bad < 0; r++) {
    const src = permuteHeads > 0 ? sourceRow(r, rows, permuteHeads) : r;
    for (let c = 0; c < inner; c++) {
      if (!Object.is(get(r * inner + c), want(src * inner + c))) {
        bad = r * inner + c;
        break;
      }
    }
  }
  t.equal(bad, -1, `${name}: every element is its source element${bad >= 0 ? ` (first mismatch at ${bad})` : ""}`);
}

const permuteHeadsOf = (name: string, cfg: { num_attention_heads: number; num_key_value_heads: number }, llama: boolean): number =>
  !llama ? 0 : /attn_q\./.test(name) ? cfg.num_attention_heads : /attn_k\./.test(name) ? cfg.num_key_value_heads : 0;

// --- tests -----------------------------------------------------------------------------------

t.test("header, metadata and tensor table (independent reader)", async (t) => {
  const g = await write("tiny-f32.gguf", TINY, { seed: 7, dtype: "f32" });
  t.equal(g.version, 3);
  const v = (k: string): unknown => g.kv.get(k)?.value;
  t.equal(v("general.architecture"), "llama");
  t.equal(v("general.alignment"), 32);
  t.equal(v("general.file_type"), 0);
  t.equal(v("llama.context_length"), 256);
  t.equal(v("llama.embedding_length"), 64);
  t.equal(v("llama.block_count"), 2);
  t.equal(v("llama.feed_forward_length"), 128);
  t.equal(v("llama.attention.head_count"), 4);
  t.equal(v("llama.attention.head_count_kv"), 2);
  t.equal(v("llama.rope.dimension_count"), 16);
  t.equal(v("llama.vocab_size"), 512);
  t.equal(v("llama.rope.freq_base"), 10000);
  t.equal(v("llama.attention.layer_norm_rms_epsilon"), Math.fround(1e-5));
  t.equal(g.kv.get("llama.attention.layer_norm_rms_epsilon")?.type, 6, "float32");
  t.equal(g.kv.get("llama.context_length")?.type, 4, "uint32");
  t.equal(v("nninit.seed"), "7");
  t.equal(v("tokenizer.ggml.model"), "llama");
  const tokens = v("tokenizer.ggml.tokens") as string[];
  t.equal(tokens.length, 512);
  t.same(tokens.slice(0, 4), ["<unk>", "<s>", "</s>", "<0x00>"]);
  t.equal(tokens[258], "<0xFF>");
  t.equal(new Set(tokens).size, 512, "tokens are unique");
  const types = v("tokenizer.ggml.token_type") as number[];
  t.same([types[0], types[1], types[2], types[3], types[258], types[259]], [2, 3, 3, 6, 6, 1]);
  t.equal(g.kv.get("tokenizer.ggml.token_type")?.itemType, 5, "int32 token types");
  t.equal((v("tokenizer.ggml.scores") as number[]).length, 512);
  t.same([v("tokenizer.ggml.bos_token_id"), v("tokenizer.ggml.eos_token_id"), v("tokenizer.ggml.unknown_token_id")], [1, 2, 0]);

  const names = g.tensors.map((x) => x.name);
  const layer = (l: number): string[] =>
    ["attn_q", "attn_k", "attn_v", "attn_output", "ffn_gate", "ffn_up", "ffn_down", "attn_norm", "ffn_norm"].map((n) => `blk.${l}.${n}.weight`);
  t.same(names, ["token_embd.weight", ...layer(0), ...layer(1), "output_norm.weight", "output.weight"]);
  const byName = new Map(g.tensors.map((x) => [x.name, x]));
  t.same(byName.get("token_embd.weight")!.dims, [64, 512], "dims innermost first");
  t.same(byName.get("blk.0.attn_k.weight")!.dims, [64, 32]);
  t.same(byName.get("blk.0.ffn_down.weight")!.dims, [128, 64]);
  t.same(byName.get("blk.1.attn_norm.weight")!.dims, [64]);
  t.ok(g.tensors.every((x) => x.type === 0), "all F32");
  t.ok(g.tensors.every((x) => x.offset % 32 === 0), "offsets aligned to 32");
  t.equal(g.dataStart % 32, 0);
  const last = g.tensors[g.tensors.length - 1];
  t.equal(g.buf.length, g.dataStart + last.offset + Math.ceil((last.dims.reduce((a, b) => a * b, 1) * 4) / 32) * 32, "file ends after the last tensor, padded");
  // The plan describes the same file.
  const plan = planGguf(TINY, { seed: 7, dtype: "f32" });
  t.equal(plan.totalBytes, g.buf.length);
  t.same(plan.tensors.map((x) => x.name), names);
  t.same(plan.tensors.map((x) => x.offset), g.tensors.map((x) => x.offset));
  // nninit's own reader agrees.
  const h = readGgufHeader(join(work, "tiny-f32.gguf"));
  t.equal(h.dataStart, g.dataStart);
  t.same(h.tensors.map((x) => [x.name, x.dims, x.type, x.offset]), g.tensors.map((x) => [x.name, x.dims, x.type, x.offset]));
  t.equal(h.metadata["llama.block_count"].value, 2);
});

t.test("F32 tensors are initModel's, q/k rows permuted as convert_hf_to_gguf.py does", async (t) => {
  const ref = initModel(presetFromConfig(TINY), { seed: 7 });
  for (const chunkBytes of [undefined, 1 << 16]) {
    const g = await write("tiny-f32b.gguf", TINY, { seed: 7, dtype: "f32", chunkBytes });
    for (const info of g.tensors) {
      const { data } = tensorBytes(g, info.name);
      const got = new Float32Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.length));
      const want = ref.get(hfName(info.name)) as Float32Array;
      t.equal(got.length, want.length);
      compareRows(t, g, info.name, permuteHeadsOf(info.name, TINY, true), (i) => got[i], (i) => want[i]);
    }
  }
  // The permutation really moves rows (the check above would not notice an identity).
  const g = await write("tiny-f32c.gguf", TINY, { seed: 7, dtype: "f32" });
  const { data } = tensorBytes(g, "blk.0.attn_q.weight");
  const q = new Float32Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.length));
  const hq = ref.get("model.layers.0.self_attn.q_proj.weight") as Float32Array;
  t.not(q[64], hq[64], "GGUF row 1 is not source row 1");
  t.equal(q[64], hq[8 * 64], "GGUF row 1 is source row D/2 = 8");
});

t.test("rows longer than a chunk, GQA, F16 and BF16, qwen2 (no permutation, biases, tied)", async (t) => {
  // hidden 8192 with head_dim 2: a q/k row pair (64 KiB in F32) does not fit a 64 KiB buffer.
  const wide = { ...TINY, vocab_size: 300, hidden_size: 8192, intermediate_size: 32, num_attention_heads: 4, num_key_value_heads: 2, head_dim: 2, num_hidden_layers: 1, tie_word_embeddings: true };
  const ref = initModel(presetFromConfig(wide), { seed: 3 });
  for (const dtype of ["f32", "q8_0"] as const) {
    const g = await write(`wide-${dtype}.gguf`, wide, { seed: 3, dtype, chunkBytes: 1 << 16 });
    t.equal(g.kv.get("llama.attention.key_length")?.value, 2);
    t.notOk(g.tensors.some((x) => x.name === "output.weight"), "tied: no output.weight");
    for (const name of ["blk.0.attn_q.weight", "blk.0.attn_k.weight"]) {
      const { info, data } = tensorBytes(g, name);
      const want = ref.get(hfName(name)) as Float32Array;
      if (dtype === "f32") {
        const got = new Float32Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.length));
        compareRows(t, g, name, permuteHeadsOf(name, wide, true), (i) => got[i], (i) => want[i]);
      } else {
        t.equal(info.type, 8);
        const deq = dequant(8, data);
        const perm = permuted(want, info.dims[0], info.dims[1], permuteHeadsOf(name, wide, true));
        t.ok(Buffer.from(quantRef(8, perm)).equals(data), `${name}: Q8_0 bytes equal the test's quantizer`);
        t.ok(maxErrRatio(deq, perm, 127) <= 0.5 + 127 * 2 ** -11 + 1e-6, "within half a step (+ the float16 scale's rounding)");
      }
    }
  }
  const f16 = initModel(presetFromConfig(TINY), { seed: 7, dtype: "float16" });
  const bf16 = initModel(presetFromConfig(TINY), { seed: 7, dtype: "bfloat16" });
  for (const [dtype, ref16, type] of [["f16", f16, 1], ["bf16", bf16, 30]] as const) {
    const g = await write(`tiny-${dtype}.gguf`, TINY, { seed: 7, dtype, chunkBytes: 1 << 16 });
    for (const info of g.tensors) {
      const { data } = tensorBytes(g, info.name);
      if (info.dims.length === 1) {
        t.equal(info.type, 0, `${info.name}: 1-D tensors are F32`);
        continue;
      }
      t.equal(info.type, type);
      const got = new Uint16Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.length));
      const want = ref16.get(hfName(info.name)) as Uint16Array;
      compareRows(t, g, info.name, permuteHeadsOf(info.name, TINY, true), (i) => got[i], (i) => want[i]);
    }
  }
  const q = await write("qwen.gguf", QWEN, { seed: 11, dtype: "f32" });
  t.equal(q.kv.get("general.architecture")?.value, "qwen2");
  t.equal(q.kv.get("qwen2.rope.freq_base")?.value, 1000000);
  t.notOk(q.kv.has("qwen2.vocab_size"), "Qwen2Model writes no vocab_size");
  t.notOk(q.tensors.some((x) => x.name === "output.weight"), "tied: no output.weight");
  t.ok(q.tensors.some((x) => x.name === "blk.0.attn_q.bias"), "q/k/v biases");
  const qref = initModel(presetFromConfig(QWEN), { seed: 11 });
  for (const info of q.tensors) {
    const { data } = tensorBytes(q, info.name);
    const got = new Float32Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.length));
    const want = qref.get(hfName(info.name)) as Float32Array;
    compareRows(t, q, info.name, 0, (i) => got[i], (i) => want[i]);
  }
});

// --- quantization ----------------------------------------------------------------------------

const fr = Math.fround;
/** The test's own Q8_0 / Q4_0 quantizer (from ggml-quants.c's reference, in float32 via Math.fround). */
function quantRef(type: 8 | 2, x: Float32Array): Uint8Array {
  const bs = type === 8 ? 34 : 18;
  const out = new Uint8Array((x.length / 32) * bs);
  for (let b = 0; b < x.length / 32; b++) {
    const blk = x.subarray(b * 32, b * 32 + 32);
    const o = b * bs;
    if (type === 8) {
      const amax = Math.max(...Array.from(blk, Math.abs));
      const d = fr(amax / 127);
      const id = d ? fr(1 / d) : 0;
      const h = toHalf(d);
      out[o] = h & 255;
      out[o + 1] = h >> 8;
      blk.forEach((v, j) => {
        const y = fr(v * id);
        out[o + 2 + j] = (Math.sign(y) * Math.round(Math.abs(y))) & 255;
      });
    } else {
      let amax = 0, max = 0;
      for (const v of blk) if (amax < Math.abs(v)) (amax = Math.abs(v)), (max = v);
      const d = fr(max / -8);
      const id = d ? fr(1 / d) : 0;
      const h = toHalf(d);
      out[o] = h & 255;
      out[o + 1] = h >> 8;
      for (let j = 0; j < 16; j++) {
        const a = Math.min(15, Math.trunc(fr(fr(blk[j] * id) + 8.5)));
        const c = Math.min(15, Math.trunc(fr(fr(blk[j + 16] * id) + 8.5)));
        out[o + 2 + j] = a | (c << 4);
      }
    }
  }
  return out;
}

function dequant(type: number, data: Buffer): Float64Array {
  const bs = type === 8 ? 34 : 18;
  const n = (data.length / bs) * 32;
  const out = new Float64Array(n);
  for (let b = 0; b < n / 32; b++) {
    const d = decodeF16(data.readUInt16LE(b * bs));
    for (let j = 0; j < 32; j++) {
      if (type === 8) out[b * 32 + j] = d * data.readInt8(b * bs + 2 + j);
      else {
        const byte = data[b * bs + 2 + (j % 16)];
        out[b * 32 + j] = d * ((j < 16 ? byte & 15 : byte >> 4) - 8);
      }
    }
  }
  return out;
}

/** max over blocks of (max |deq - x|) / (amax / steps): the error in units of the block's step. */
function maxErrRatio(deq: Float64Array, x: Float32Array, steps: number): number {
  let worst = 0;
  for (let b = 0; b < x.length / 32; b++) {
    let amax = 0, err = 0;
    for (let j = b * 32; j < b * 32 + 32; j++) {
      amax = Math.max(amax, Math.abs(x[j]));
      err = Math.max(err, Math.abs(deq[j] - x[j]));
    }
    if (amax > 0) worst = Math.max(worst, err / (amax / steps));
  }
  return worst;
}

function permuted(x: Float32Array, row: number, rows: number, heads: number): Float32Array {
  if (heads === 0) return x;
  const out = new Float32Array(x.length);
  for (let r = 0; r < rows; r++) out.set(x.subarray(sourceRow(r, rows, heads) * row, sourceRow(r, rows, heads) * row + row), r * row);
  return out;
}

t.test("Q8_0 and Q4_0: hand-computed blocks", async (t) => {
  // Q4_0 of x_j = j - 16: max = -16 (the first of largest |x|), d = -16 / -8 = 2, id = 0.5;
  // low nibble j: trunc((j - 16) / 2 + 8.5) = trunc(j / 2 + 0.5); high nibble: min(15, trunc(j / 2 + 8.5)).
  const x = Float32Array.from({ length: 32 }, (_, j) => j - 16);
  const q4 = new Uint8Array(18);
  t.equal(quantizeQ4_0(x, 0, 32, q4, 0), 18);
  t.same([q4[0], q4[1]], [0x00, 0x40], "d = 2.0 = fp16 0x4000");
  t.equal(q4[2], 0x80, "j=0: lo trunc(0.5) = 0, hi trunc(8.5) = 8");
  t.equal(q4[3], 0x91, "j=1: lo trunc(1.0) = 1, hi trunc(9.0) = 9");
  t.equal(q4[4], 0x91, "j=2: lo trunc(1.5) = 1, hi trunc(9.5) = 9");
  t.equal(q4[17], 0xf8, "j=15: lo trunc(8.0) = 8, hi min(15, trunc(16.0)) = 15");
  // Q8_0 of x_j = (j - 16) / 4: amax = 4, d = f32(4 / 127), id = f32(1 / d) = 31.75 (rounded);
  // q_0 = round(-4 * 31.75) = -127, q_16 = 0, q_17 = round(7.9375) = 8, q_18 = round(15.875) = 16.
  const y = Float32Array.from({ length: 32 }, (_, j) => (j - 16) / 4);
  const q8 = new Uint8Array(34);
  t.equal(quantizeQ8_0(y, 0, 32, q8, 0), 34);
  t.equal(q8[0] | (q8[1] << 8), toHalf(fr(4 / 127)), "d: fp16 of f32(4/127), round to nearest even");
  t.equal(q8[0] | (q8[1] << 8), 0x2808, "fp16 0x2808 = 0.031494...");
  t.same([q8[2] << 24 >> 24, q8[18], q8[19], q8[20], q8[33]], [-127, 0, 8, 16, 119]);
  // An all-zero block: Q4_0's d is -0 (0x8000) as ggml's max / -8 gives; Q8_0's is +0.
  const z = new Float32Array(32);
  quantizeQ4_0(z, 0, 32, q4, 0);
  quantizeQ8_0(z, 0, 32, q8, 0);
  t.same([q4[0], q4[1], q4[2]], [0x00, 0x80, 0x88], "zeros: d = -0, nibbles 8");
  t.same([q8[0], q8[1], q8[2]], [0, 0, 0]);
  // Ties: roundf rounds halves away from zero.
  const tie = new Float32Array(32);
  tie[0] = 127;
  tie[1] = 2.5;
  tie[2] = -2.5;
  quantizeQ8_0(tie, 0, 32, q8, 0);
  t.same([q8[2], q8[3], q8[4] << 24 >> 24], [127, 3, -3]);
});

t.test("Q8_0 and Q4_0 files: blocks equal the test's quantizer and dequantize within the format's error", async (t) => {
  const ref = initModel(presetFromConfig(TINY), { seed: 5 });
  for (const [dtype, type] of [["q8_0", 8], ["q4_0", 2]] as const) {
    const g = await write(`tiny-${dtype}.gguf`, TINY, { seed: 5, dtype, chunkBytes: 1 << 16 });
    t.equal(g.kv.get("general.file_type")?.value, type === 8 ? 7 : 2);
    for (const info of g.tensors) {
      const { data } = tensorBytes(g, info.name);
      const src = ref.get(hfName(info.name)) as Float32Array;
      if (info.dims.length === 1) {
        t.equal(info.type, 0, `${info.name} F32`);
        continue;
      }
      const want = type === 2 && info.name === "output.weight" ? 8 : type;
      t.equal(info.type, want, `${info.name} ${want === 8 ? "Q8_0" : "Q4_0"}`);
      const x = permuted(src, info.dims[0], info.dims[1], permuteHeadsOf(info.name, TINY, true));
      t.ok(Buffer.from(quantRef(want as 8 | 2, x)).equals(data), `${info.name}: bytes equal the test's quantizer`);
      const ratio = maxErrRatio(dequant(want, data), x, want === 8 ? 127 : 8);
      // Q8_0: |err| <= d/2, plus |q| <= 127 times the float16 rounding of d (2^-11 relative);
      // Q4_0: <= |d| (the +8 side clamps at 15), plus 8 times that rounding.
      t.ok(ratio <= (want === 8 ? 0.5 + 127 * 2 ** -11 : 1 + 8 * 2 ** -11) + 1e-6, `${info.name}: max error ${ratio.toFixed(3)} steps`);
    }
  }
  // A row length that is not a multiple of 32 is stored as F16.
  const odd = { ...TINY, intermediate_size: 80 };
  const g = await write("odd-q4.gguf", odd, { seed: 1, dtype: "q4_0" });
  const types = new Map(g.tensors.map((x) => [x.name, x.type]));
  t.equal(types.get("blk.0.ffn_up.weight"), 2, "ne0 = 64: Q4_0");
  t.equal(types.get("blk.0.ffn_down.weight"), 1, "ne0 = 80: F16");
});

// --- other conversions: llama3 rope_freqs, gemma (norms + 1), phi3 (fused), mixtral (experts) ---

const LLAMA3 = {
  ...TINY, max_position_embeddings: 1024, rope_theta: 10000,
  rope_scaling: { rope_type: "llama3", factor: 8, low_freq_factor: 1, high_freq_factor: 8, original_max_position_embeddings: 256 },
};

/** The llama3 factors in float64 (exact arithmetic but for the final rounding), with the branch each takes. */
function llama3Exact(dim: number, theta: number, s: { factor: number; low_freq_factor: number; high_freq_factor: number; original_max_position_embeddings: number }): { value: number; branch: string }[] {
  const out: { value: number; branch: string }[] = [];
  const old = s.original_max_position_embeddings;
  for (let i = 0; i < dim; i += 2) {
    const wavelen = 2 * Math.PI * theta ** (i / dim);
    if (wavelen < old / s.high_freq_factor) out.push({ value: 1, branch: "high" });
    else if (wavelen > old / s.low_freq_factor) out.push({ value: s.factor, branch: "low" });
    else {
      const smooth = (old / wavelen - s.low_freq_factor) / (s.high_freq_factor - s.low_freq_factor);
      out.push({ value: 1 / ((1 - smooth) / s.factor + smooth), branch: "smooth" });
    }
  }
  return out;
}

/**
 * The same in float32 step by step, as torch's float32 tensors compute it (a Float32Array stores
 * each step): Python numbers meet tensors as float32, `number / tensor` is `reciprocal() * number`.
 */
function llama3Float32(dim: number, theta: number, s: { factor: number; low_freq_factor: number; high_freq_factor: number; original_max_position_embeddings: number }): Float32Array {
  const r = new Float32Array(12);
  const out = new Float32Array(dim / 2);
  const old = s.original_max_position_embeddings;
  for (let j = 0; j < dim / 2; j++) {
    r[0] = (2 * j) / dim; // arange(0, dim, 2, float32) / dim
    r[1] = Math.pow(theta, r[0]);
    r[2] = 1 / r[1]; // freq
    r[3] = 1 / r[2];
    r[4] = r[3] * (2 * Math.PI); // wavelen = 2 * math.pi / freq
    r[5] = old / s.high_freq_factor;
    r[6] = old / s.low_freq_factor;
    if (r[4] < r[5]) out[j] = 1;
    else if (r[4] > r[6]) out[j] = s.factor;
    else {
      r[7] = 1 / r[4];
      r[7] = r[7] * old; // old / wavelen
      r[7] = r[7] - s.low_freq_factor;
      r[8] = s.high_freq_factor - s.low_freq_factor;
      r[9] = r[7] / r[8]; // smooth
      r[10] = 1 - r[9];
      r[10] = r[10] / s.factor;
      r[10] = r[10] + r[9];
      out[j] = 1 / r[10];
    }
  }
  return out;
}

/** Distance in float32 ulps between two float32 values of the same sign. */
function ulps(a: number, b: number): number {
  const bits = new Int32Array(new Float32Array([a, b]).buffer);
  return Math.abs(bits[0] - bits[1]);
}

t.test("llama3 RoPE scaling: rope_freqs.weight, computed as LlamaModel.generate_extra_tensors does", async (t) => {
  // torch's values (the converter's loop run with torch 1.13.1, Debian's CPU build): the factors
  // other than 1 and `factor`, as float32 bits by index.
  const cases: [string, object, number, number, Record<number, number> | null][] = [
    // tiny: head_dim 16, wavelengths 6.3, 19.9, 62.8, 199, 628, ...: two of each kind with these thresholds
    ["tiny", LLAMA3, 16, 10000, null],
    // Llama 3.1 8B / 3.2's RoPE (head_dim 128, theta 500000, factor 8, 1, 4, 8192), on a tiny model
    ["llama-3.1", { ...TINY, head_dim: 128, rope_theta: 500000, max_position_embeddings: 131072,
      rope_scaling: { rope_type: "llama3", factor: 8, low_freq_factor: 1, high_freq_factor: 4, original_max_position_embeddings: 8192 } }, 128, 500000,
    { 29: 0x3f9a8ed5, 30: 0x3fc6d64a, 31: 0x4001af1d, 32: 0x402c732e, 33: 0x406bcace, 34: 0x40a83c06 }],
    // a config whose smoothed factors differ when 2*pi / freq and old / wavelen are plain float32 divisions (torch: reciprocal, then multiply)
    ["reciprocal", { ...TINY, rope_theta: 500000, max_position_embeddings: 65536,
      rope_scaling: { rope_type: "llama3", factor: 4, low_freq_factor: 1, high_freq_factor: 32, original_max_position_embeddings: 16573 } }, 16, 500000,
    { 3: 0x3fb93062, 4: 0x404a7f3b }],
  ];
  for (const [what, config, dim, theta, torchBits] of cases) {
    const s = (config as { rope_scaling: Parameters<typeof llama3Exact>[2] }).rope_scaling;
    for (const dtype of ["f32", "q4_0"] as const) {
      const g = await write(`llama3-${what}-${dtype}.gguf`, config, { seed: 4, dtype });
      t.equal(g.tensors[0].name, "rope_freqs.weight", `${what} ${dtype}: rope_freqs first, as the converter yields it`);
      const { info, data } = tensorBytes(g, "rope_freqs.weight");
      t.same(info.dims, [dim / 2], "head_dim / 2 factors");
      t.equal(info.type, 0, "F32 in every file type");
      t.equal(g.tensors.filter((x) => x.name === "rope_freqs.weight").length, 1, "one rope_freqs for all layers");
      t.notOk([...g.kv.keys()].some((k) => k.includes("rope.scaling")), "no rope.scaling keys (the converter writes none for llama3)");
      t.equal(g.kv.get("llama.rope.freq_base")?.value, theta);
      const got = new Float32Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.length));
      t.same(Array.from(got), Array.from(llama3Float32(dim, theta, s)), `${what}: the float32 steps of the test's own computation`);
      const exact = llama3Exact(dim, theta, s);
      const branches = exact.map((x) => x.branch);
      t.ok(branches.includes("high") && branches.includes("low") && branches.includes("smooth"), `${what}: every branch taken (${branches.join(" ")})`);
      // plateaus exactly 1 and factor; smoothed factors within 4 ulps of the float64 value
      const off = exact.flatMap((x, i) => (x.branch === "smooth" ? ulps(got[i], x.value) <= 4 : got[i] === Math.fround(x.value)) ? [] : [`${i}: ${got[i]} vs ${x.value}`]);
      t.same(off, [], `${what}: every factor is the float64 value's (1, factor, or within 4 ulps when smoothed)`);
      if (torchBits !== null) {
        const bits = new Uint32Array(got.buffer);
        const smoothed = Object.fromEntries(exact.flatMap((x, i) => (x.branch === "smooth" ? [[i, bits[i]]] : [])));
        t.same(smoothed, torchBits, `${what}: the smoothed factors are torch's, bit for bit`);
      }
      const plan = planGguf(config, { seed: 4, dtype });
      t.same([plan.tensors[0].sources, plan.tensors[0].values], [[], "computed"], "the plan: no source, computed");
    }
  }
  // The other tensors are the streams, as without scaling.
  const ref = initModel(presetFromConfig(LLAMA3), { seed: 4 });
  const g = await write("llama3-tiny-f32.gguf", LLAMA3, { seed: 4, dtype: "f32" });
  for (const info of g.tensors.slice(1)) {
    const { data } = tensorBytes(g, info.name);
    const got = new Float32Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.length));
    compareRows(t, g, info.name, permuteHeadsOf(info.name, TINY, true), (i) => got[i], (i) => (ref.get(hfName(info.name)) as Float32Array)[i]);
  }
  // rope_parameters (transformers 5) are read as rope_scaling is
  const rp = planGguf({ ...TINY, rope_parameters: { ...LLAMA3.rope_scaling, rope_theta: 10000 } }, { seed: 4 });
  t.equal(rp.tensors[0].name, "rope_freqs.weight", "rope_parameters with rope_type llama3");
  // Bad fields are named.
  const bad: [object, RegExp][] = [
    [{ ...LLAMA3.rope_scaling, low_freq_factor: undefined }, /"rope_scaling.low_freq_factor" must be a finite number > 0 .*Received undefined/],
    [{ ...LLAMA3.rope_scaling, factor: -1 }, /"rope_scaling.factor" must be a finite number > 0 .*Received -1/],
    [{ ...LLAMA3.rope_scaling, high_freq_factor: 1 }, /"rope_scaling.high_freq_factor" must be greater than low_freq_factor \(1\).*Received 1/],
    [{ ...LLAMA3.rope_scaling, original_max_position_embeddings: 8192.5 }, /"rope_scaling.original_max_position_embeddings" must be an integer. Received 8192.5/],
  ];
  for (const [rope_scaling, re] of bad) t.throws(() => planGguf({ ...TINY, rope_scaling }), re, re.source);
  t.throws(() => planGguf({ ...QWEN, rope_scaling: LLAMA3.rope_scaling }), /"rope_scaling" must be null or of type "linear", "yarn" for GGUF \(llama3 is converted for model types llama, mistral, mixtral\)/);
});

const GEMMA = {
  architectures: ["GemmaForCausalLM"], model_type: "gemma", vocab_size: 512, hidden_size: 64, intermediate_size: 128,
  num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 1, head_dim: 32, max_position_embeddings: 256, rms_norm_eps: 1e-6,
  rope_theta: 10000, initializer_range: 0.02, pad_token_id: 0,
};

t.test("gemma: GemmaModel's names and keys, norms + 1, no permutation, tied", async (t) => {
  const g = await write("gemma-f32.gguf", GEMMA, { seed: 8, dtype: "f32" });
  const v = (k: string): unknown => g.kv.get(k)?.value;
  t.equal(v("general.architecture"), "gemma");
  t.same(["context_length", "embedding_length", "block_count", "feed_forward_length", "attention.head_count", "attention.head_count_kv", "attention.key_length", "attention.value_length"].map((k) => v(`gemma.${k}`)),
    [256, 64, 2, 128, 4, 1, 32, 32], "context, embedding, blocks, ffn, heads, kv heads, key/value length (head_dim 32 != 64 / 4)");
  t.equal(v("gemma.attention.layer_norm_rms_epsilon"), Math.fround(1e-6));
  t.same([...g.kv.keys()].filter((k) => k.startsWith("gemma.") && (k.includes("rope") || k.includes("vocab"))), [], "no vocab_size, no rope keys (GemmaModel writes none)");
  const layer = (l: number): string[] =>
    ["attn_q", "attn_k", "attn_v", "attn_output", "ffn_gate", "ffn_up", "ffn_down", "attn_norm", "ffn_norm"].map((n) => `blk.${l}.${n}.weight`);
  t.same(g.tensors.map((x) => x.name), ["token_embd.weight", ...layer(0), ...layer(1), "output_norm.weight"], "tied: no output.weight");
  const dims = new Map(g.tensors.map((x) => [x.name, x.dims]));
  t.same([dims.get("blk.0.attn_q.weight"), dims.get("blk.0.attn_k.weight"), dims.get("blk.0.attn_output.weight")], [[64, 128], [64, 32], [128, 64]]);
  const ref = initModel(presetFromConfig(GEMMA), { seed: 8 });
  const plan = new Map(planGguf(GEMMA, { seed: 8, dtype: "f32" }).tensors.map((x) => [x.name, x.values]));
  for (const info of g.tensors) {
    const { data } = tensorBytes(g, info.name);
    const got = new Float32Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.length));
    const want = ref.get(hfName(info.name)) as Float32Array;
    const norm = info.name.endsWith("norm.weight");
    t.equal(plan.get(info.name), norm ? "plus-one" : "stream", `${info.name}: the plan says ${norm ? "plus-one" : "stream"}`);
    // HF Gemma's RMSNorm multiplies by (1 + weight); GemmaModel adds the 1: RN32(x + 1) of the stream value x
    compareRows(t, g, info.name, 0, (i) => got[i], norm ? (i) => Math.fround(want[i] + 1) : (i) => want[i]);
    if (norm) t.ok(got.every((x) => x === 1), `${info.name}: zeros + 1 (GemmaPreTrainedModel initializes its norms to 0)`);
  }
  const { data: embd } = tensorBytes(g, "token_embd.weight");
  t.ok(new Float32Array(embd.buffer.slice(embd.byteOffset, embd.byteOffset + 256)).every((x) => x === 0), "pad_token_id 0: row 0 zero");
  // F16 and Q8_0: weights are the float16 stream / the blocks of the float32 stream; norms stay F32, + 1
  const f16 = initModel(presetFromConfig(GEMMA), { seed: 8, dtype: "float16" });
  for (const dtype of ["f16", "q8_0"] as const) {
    const h = await write(`gemma-${dtype}.gguf`, GEMMA, { seed: 8, dtype, chunkBytes: 1 << 16 });
    for (const info of h.tensors) {
      const { data } = tensorBytes(h, info.name);
      if (info.dims.length === 1) {
        t.ok(info.type === 0 && new Float32Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.length)).every((x) => x === 1), `${dtype} ${info.name}: F32 ones`);
      } else if (dtype === "f16") {
        const got = new Uint16Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.length));
        const want = f16.get(hfName(info.name)) as Uint16Array;
        compareRows(t, h, info.name, 0, (i) => got[i], (i) => want[i]);
      } else {
        t.ok(Buffer.from(quantRef(8, ref.get(hfName(info.name)) as Float32Array)).equals(data), `${dtype} ${info.name}: the test's Q8_0 blocks`);
      }
    }
  }
  t.equal(planGguf({ ...GEMMA, rope_theta: 20000 }).keys.includes("gemma.rope.freq_base"), true, "another rope_theta is written (llama.cpp's default is 10000)");
  const bad: [object, RegExp][] = [
    [{ ...GEMMA, tie_word_embeddings: false }, /"tie_word_embeddings" must be true for GGUF model type gemma .*Received false/],
    [{ ...GEMMA, attention_bias: true }, /"attention_bias" must be false for GGUF model type gemma .*Received true/],
    [{ ...GEMMA, rope_scaling: { rope_type: "linear", factor: 2 } }, /"rope_scaling" must be null for GGUF model type gemma .*Received "linear"/],
  ];
  for (const [config, re] of bad) t.throws(() => planGguf(config), re, re.source);
});

const PHI3 = {
  architectures: ["Phi3ForCausalLM"], model_type: "phi3", vocab_size: 512, hidden_size: 64, intermediate_size: 128,
  num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2, max_position_embeddings: 512, original_max_position_embeddings: 256,
  rms_norm_eps: 1e-5, rope_theta: 10000, sliding_window: 255, pad_token_id: 500, tie_word_embeddings: false, initializer_range: 0.02,
};
/** phi3's GGUF names -> HF: the fused attn_qkv and ffn_up ([gate; up] rows), the rest as the llama family's. */
const phi3Hf = (g: string): string => hfName(g).replace("mlp.up_proj", "mlp.gate_up_proj");

t.test("phi3: fused attn_qkv and ffn_up, Phi3MiniModel's keys, no permutation", async (t) => {
  const g = await write("phi3-f32.gguf", PHI3, { seed: 6, dtype: "f32" });
  const v = (k: string): unknown => g.kv.get(k)?.value;
  t.equal(v("general.architecture"), "phi3");
  t.same([...g.kv.keys()].filter((k) => k.startsWith("phi3.")), [
    "phi3.context_length", "phi3.rope.scaling.original_context_length", "phi3.embedding_length", "phi3.feed_forward_length", "phi3.block_count",
    "phi3.attention.head_count", "phi3.attention.head_count_kv", "phi3.attention.layer_norm_rms_epsilon", "phi3.rope.dimension_count",
    "phi3.rope.freq_base", "phi3.attention.sliding_window",
  ], "Phi3MiniModel.set_gguf_parameters' keys, in its order");
  t.same(["context_length", "rope.scaling.original_context_length", "embedding_length", "feed_forward_length", "block_count", "attention.head_count",
    "attention.head_count_kv", "rope.dimension_count", "rope.freq_base", "attention.sliding_window"].map((k) => v(`phi3.${k}`)), [512, 256, 64, 128, 2, 4, 2, 16, 10000, 255]);
  t.equal(v("phi3.attention.layer_norm_rms_epsilon"), Math.fround(1e-5));
  const layer = (l: number): string[] => ["attn_output", "attn_qkv", "ffn_up", "ffn_down", "attn_norm", "ffn_norm"].map((n) => `blk.${l}.${n}.weight`);
  t.same(g.tensors.map((x) => x.name), ["token_embd.weight", ...layer(0), ...layer(1), "output_norm.weight", "output.weight"]);
  const dims = new Map(g.tensors.map((x) => [x.name, x.dims]));
  t.same([dims.get("blk.0.attn_qkv.weight"), dims.get("blk.0.ffn_up.weight"), dims.get("blk.0.ffn_down.weight"), dims.get("blk.0.attn_output.weight")],
    [[64, 128], [64, 256], [128, 64], [64, 64]], "qkv: (4 + 2 * 2) heads of 16 rows; gate_up: 2 * 128 rows");
  const ref = initModel(presetFromConfig(PHI3), { seed: 6 });
  for (const info of g.tensors) {
    const { data } = tensorBytes(g, info.name);
    const got = new Float32Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.length));
    const want = ref.get(phi3Hf(info.name)) as Float32Array;
    t.equal(got.length, want.length, `${info.name}: as many elements as ${phi3Hf(info.name)}`);
    compareRows(t, g, info.name, 0, (i) => got[i], (i) => want[i]);
  }
  const { data: embd } = tensorBytes(g, "token_embd.weight");
  t.ok(new Float32Array(embd.buffer.slice(embd.byteOffset + 500 * 256, embd.byteOffset + 501 * 256)).every((x) => x === 0), "pad_token_id 500: row 500 zero");
  // Q4_0: the test's blocks of the float32 streams (the padded embedding takes the unfused path)
  const q = await write("phi3-q4_0.gguf", PHI3, { seed: 6, dtype: "q4_0", chunkBytes: 1 << 16 });
  for (const info of q.tensors.filter((x) => x.dims.length > 1)) {
    const want = info.name === "output.weight" ? 8 : 2;
    t.equal(info.type, want, `${info.name} ${want === 8 ? "Q8_0" : "Q4_0"}`);
    t.ok(Buffer.from(quantRef(want, ref.get(phi3Hf(info.name)) as Float32Array)).equals(tensorBytes(q, info.name).data), `${info.name}: the test's blocks`);
  }
  // partial_rotary_factor (Phi-4-mini), no original_max_position_embeddings, no sliding_window
  const p = planGguf({ ...PHI3, partial_rotary_factor: 0.5, original_max_position_embeddings: undefined, sliding_window: null, tie_word_embeddings: true });
  t.notOk(p.keys.includes("phi3.rope.scaling.original_context_length"), "no original_context_length without original_max_position_embeddings");
  t.notOk(p.tensors.some((x) => x.name === "output.weight"), "tied: no output.weight");
  const pg = await write("phi3-partial.gguf", { ...PHI3, partial_rotary_factor: 0.5, sliding_window: null }, { seed: 6, dtype: "f16" });
  t.same([pg.kv.get("phi3.rope.dimension_count")?.value, pg.kv.get("phi3.attention.sliding_window")?.value], [8, 0], "int(0.5 * 64) // 4 = 8 RoPE dims; sliding_window 0");
  // llama.cpp looks up <unk> <s> </s> <|endoftext|> when general.name names Phi-3 (any architecture)
  const tokens = g.kv.get("tokenizer.ggml.tokens")?.value as string[];
  const types = g.kv.get("tokenizer.ggml.token_type")?.value as number[];
  t.same([tokens[511], types[511], tokens.length, new Set(tokens).size], ["<|endoftext|>", 3, 512, 512], 'name "nninit phi3": <|endoftext|> (CONTROL) as the last id');
  t.same(tokens.slice(0, 3), ["<unk>", "<s>", "</s>"]);
  t.equal((await write("phi3-named.gguf", PHI3, { seed: 6, dtype: "f16", name: "tiny" })).kv.get("tokenizer.ggml.tokens")?.value.toString().includes("<|endoftext|>"), false, "another name: the plain vocabulary");
  const named = await write("llama-named-phi3.gguf", TINY, { seed: 6, dtype: "f16", name: "My-Phi-3-Llama" });
  t.equal((named.kv.get("tokenizer.ggml.tokens")?.value as string[])[511], "<|endoftext|>", "a llama named Phi-3 too");
  await t.rejects(writeGguf(join(work, "phi3-copied.gguf"), PHI3, { seed: 6, tokenizer: join(work, "phi3-named.gguf") }),
    /the tokens <unk> <s> <\/s> <\|endoftext\|> when general.name \("nninit phi3"\) names Phi-3 .*missing: <\|endoftext\|>/);
  t.equal(syntheticVocabulary(260, ["<|endoftext|>"]).tokens.length, 260);
  t.throws(() => syntheticVocabulary(259, ["<|endoftext|>"]), /"vocab_size" must be at least 260 .*\+ <\|endoftext\|>/);
  const bad: [object, RegExp][] = [
    [{ ...PHI3, rope_scaling: { rope_type: "longrope", long_factor: [1], short_factor: [1] } }, /"rope_scaling" must be null for GGUF model type phi3 \(longrope scaling, the rope_factors_long\/short tensors .* is not converted\). Received "longrope"/],
    [{ ...PHI3, rope_scaling: { type: "su", long_factor: [1], short_factor: [1] } }, /"rope_scaling" must be null for GGUF model type phi3 \(longrope.*Received "su"/],
    [{ ...PHI3, rope_scaling: { rope_type: "linear", factor: 2 } }, /"rope_scaling" must be null for GGUF model type phi3 .*Received "linear"/],
    [{ ...PHI3, head_dim: 32 }, /"head_dim" must be hidden_size \/ num_attention_heads \(16\) for GGUF model type phi3 .*Received 32/],
    [{ ...PHI3, partial_rotary_factor: 1.5 }, /"partial_rotary_factor" must be a number in \(0, 1\]. Received 1.5/],
    [{ ...PHI3, partial_rotary_factor: 0.1 }, /"partial_rotary_factor" must give an even, non-zero number of RoPE dimensions \(int\(0.1 \* 64\) \/\/ 4 = 1\)/],
    [{ ...PHI3, sliding_window: -1 }, /"sliding_window" must be null or an integer in \[0, 2\^32\). Received -1/],
  ];
  for (const [config, re] of bad) t.throws(() => planGguf(config), re, re.source);
});

const MIXTRAL = {
  architectures: ["MixtralForCausalLM"], model_type: "mixtral", vocab_size: 512, hidden_size: 64, intermediate_size: 128,
  num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2, num_local_experts: 4, num_experts_per_tok: 2,
  max_position_embeddings: 256, rms_norm_eps: 1e-5, rope_theta: 1000000, tie_word_embeddings: false, initializer_range: 0.02,
};
const EXPS: Record<string, string> = { ffn_gate_exps: "w1", ffn_down_exps: "w2", ffn_up_exps: "w3" };
/** mixtral's GGUF tensor -> its HF sources in order: the experts of a stacked tensor, else the one tensor. */
function mixtralSources(g: string, experts: number): string[] {
  const m = /^blk\.(\d+)\.(ffn_\w+_exps)\.weight$/.exec(g);
  if (m !== null) return Array.from({ length: experts }, (_, e) => `model.layers.${m[1]}.block_sparse_moe.experts.${e}.${EXPS[m[2]]}.weight`);
  const r = /^blk\.(\d+)\.ffn_gate_inp\.weight$/.exec(g);
  return [r !== null ? `model.layers.${r[1]}.block_sparse_moe.gate.weight` : hfName(g)];
}
/** The concatenation of arrays (a stacked tensor's expected elements). */
function concat<T extends Float32Array | Uint16Array>(parts: T[]): T {
  const out = new (parts[0].constructor as new (n: number) => T)(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) (out.set(p, at), (at += p.length));
  return out;
}

t.test("mixtral: the router and the experts stacked into 3-D tensors, llama keys + expert counts", async (t) => {
  const ref = initModel(presetFromConfig(MIXTRAL), { seed: 12 });
  const f16 = initModel(presetFromConfig(MIXTRAL), { seed: 12, dtype: "float16" });
  for (const chunkBytes of [undefined, 1 << 16]) {
    const g = await write("mixtral-f32.gguf", MIXTRAL, { seed: 12, dtype: "f32", chunkBytes });
    const v = (k: string): unknown => g.kv.get(k)?.value;
    t.equal(v("general.architecture"), "llama", "mixtral is llama.cpp's llama with experts");
    t.same(["expert_count", "expert_used_count", "feed_forward_length", "rope.freq_base", "rope.dimension_count", "vocab_size"].map((k) => v(`llama.${k}`)), [4, 2, 128, 1000000, 16, 512]);
    const layer = (l: number): string[] => ["attn_q", "attn_k", "attn_v", "attn_output", "ffn_gate_inp", "ffn_gate_exps", "ffn_down_exps", "ffn_up_exps", "attn_norm", "ffn_norm"]
      .map((n) => `blk.${l}.${n}.weight`);
    t.same(g.tensors.map((x) => x.name), ["token_embd.weight", ...layer(0), ...layer(1), "output_norm.weight", "output.weight"]);
    const dims = new Map(g.tensors.map((x) => [x.name, x.dims]));
    t.same(["ffn_gate_inp", "ffn_gate_exps", "ffn_down_exps", "ffn_up_exps"].map((n) => dims.get(`blk.1.${n}.weight`)), [[64, 4], [64, 128, 4], [128, 64, 4], [64, 128, 4]],
      "dims innermost first, experts outermost");
    for (const info of g.tensors) {
      const { data } = tensorBytes(g, info.name);
      const got = new Float32Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.length));
      const want = concat(mixtralSources(info.name, 4).map((n) => ref.get(n) as Float32Array));
      t.equal(got.length, want.length, `${info.name}: ${mixtralSources(info.name, 4).length} source(s)`);
      compareRows(t, g, info.name, permuteHeadsOf(info.name, MIXTRAL, true), (i) => got[i], (i) => want[i]);
    }
  }
  const plan = planGguf(MIXTRAL, { seed: 12, dtype: "f32" });
  const up = plan.tensors.find((x) => x.name === "blk.0.ffn_up_exps.weight")!;
  t.same(up.sources, [0, 1, 2, 3].map((e) => `model.layers.0.block_sparse_moe.experts.${e}.w3.weight`), "the plan: the experts' HF tensors, in expert order");
  t.equal(plan.parameters, presetFromConfig(MIXTRAL).parameters);
  // F16: the float16 streams concatenated; Q4_0: the test's blocks of the concatenated float32 streams, the router F32
  const h = await write("mixtral-f16.gguf", MIXTRAL, { seed: 12, dtype: "f16", chunkBytes: 1 << 16 });
  for (const name of ["blk.0.ffn_gate_exps.weight", "blk.1.ffn_down_exps.weight"]) {
    const { info, data } = tensorBytes(h, name);
    t.equal(info.type, 1, `${name} F16`);
    const got = new Uint16Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.length));
    t.ok(sameBytes(got, concat(mixtralSources(name, 4).map((n) => f16.get(n) as Uint16Array))), `${name}: the float16 streams, expert after expert`);
  }
  t.equal(h.tensors.find((x) => x.name === "blk.0.ffn_gate_inp.weight")?.type, 0, "F16 file: the router F32 (as the converter writes it)");
  for (const chunkBytes of [undefined, 1 << 16]) {
    const q = await write("mixtral-q4_0.gguf", MIXTRAL, { seed: 12, dtype: "q4_0", chunkBytes });
    for (const info of q.tensors.filter((x) => x.dims.length > 1)) {
      const want = info.name.endsWith("ffn_gate_inp.weight") ? 0 : info.name === "output.weight" ? 8 : 2;
      t.equal(info.type, want, `${info.name}: type ${want}`);
      if (want === 0) continue;
      const x = permuted(concat(mixtralSources(info.name, 4).map((n) => ref.get(n) as Float32Array)), info.dims[0], info.dims.slice(1).reduce((a, b) => a * b, 1),
        permuteHeadsOf(info.name, MIXTRAL, true));
      t.ok(Buffer.from(quantRef(want as 8 | 2, x)).equals(tensorBytes(q, info.name).data), `${info.name}: the test's blocks (chunk ${chunkBytes ?? "default"})`);
    }
  }
  // MixtralConfig's defaults: rope_theta 1e6, rms_norm_eps 1e-5, num_experts_per_tok 2
  const bare = { ...MIXTRAL, rope_theta: undefined, rms_norm_eps: undefined, num_experts_per_tok: undefined };
  const b = await write("mixtral-defaults.gguf", bare, { seed: 12, dtype: "f16" });
  t.same([b.kv.get("llama.rope.freq_base")?.value, b.kv.get("llama.attention.layer_norm_rms_epsilon")?.value, b.kv.get("llama.expert_used_count")?.value],
    [1000000, Math.fround(1e-5), 2], "MixtralConfig's defaults");
  const bad: [object, RegExp][] = [
    [{ ...MIXTRAL, num_experts_per_tok: 5 }, /"num_experts_per_tok" must be an integer in \[1, num_local_experts = 4\]. Received 5/],
    [{ ...MIXTRAL, num_experts_per_tok: 0 }, /"num_experts_per_tok" must be an integer in \[1, num_local_experts = 4\]. Received 0/],
    [{ ...MIXTRAL, num_experts_per_tok: 1.5 }, /"num_experts_per_tok" must be an integer .*Received 1.5/],
  ];
  for (const [config, re] of bad) t.throws(() => planGguf(config), re, re.source);
});

const GPT2 = {
  architectures: ["GPT2LMHeadModel"], model_type: "gpt2", vocab_size: 512, n_positions: 256, n_ctx: 256, n_embd: 64, n_layer: 2, n_head: 4,
  layer_norm_epsilon: 1e-5, activation_function: "gelu_new", initializer_range: 0.02,
};
/** gpt2's GGUF names -> HF (tensor_mapping.py's gpt2 rows, written here). */
const GPT2_HF: Record<string, string> = {
  "token_embd.weight": "transformer.wte.weight", "position_embd.weight": "transformer.wpe.weight", "output.weight": "lm_head.weight",
  "output_norm.weight": "transformer.ln_f.weight", "output_norm.bias": "transformer.ln_f.bias",
  attn_norm: "ln_1", attn_qkv: "attn.c_attn", attn_output: "attn.c_proj", ffn_norm: "ln_2", ffn_up: "mlp.c_fc", ffn_down: "mlp.c_proj",
};
function gpt2Hf(g: string): string {
  if (GPT2_HF[g] !== undefined) return GPT2_HF[g];
  const m = /^blk\.(\d+)\.(\w+)\.(weight|bias)$/.exec(g);
  if (m === null || GPT2_HF[m[2]] === undefined) throw new Error(`unexpected GGUF name ${g}`);
  return `transformer.h.${m[1]}.${GPT2_HF[m[2]]}.${m[3]}`;
}
/** Whether the converter transposes it: a Conv1D weight (GPT2Model.modify_tensors' list). */
const isConv1D = (g: string): boolean => /^blk\.\d+\.(attn_qkv|attn_output|ffn_up|ffn_down)\.weight$/.test(g);
/**
 * The GGUF element order of a Conv1D weight: the HF tensor is [in, out] row-major (element (i, o)
 * at i * out + o); GGUF ne = [in, out], row o holding column o: GGUF element o * in + i.
 */
function transposedIndex(g: number, inp: number, out: number): number {
  const o = Math.floor(g / inp), i = g % inp;
  return i * out + o;
}
function transposedArray<T extends Float32Array | Uint16Array>(x: T, inp: number, out: number): T {
  const y = new (x.constructor as new (n: number) => T)(x.length);
  for (let g = 0; g < x.length; g++) y[g] = x[transposedIndex(g, inp, out)];
  return y;
}

t.test("gpt2: GPT2Model's names and keys, Conv1D weights transposed, learned positions F32", async (t) => {
  const g = await write("gpt2-f32.gguf", GPT2, { seed: 13, dtype: "f32" });
  const v = (k: string): unknown => g.kv.get(k)?.value;
  t.equal(v("general.architecture"), "gpt2");
  t.same([...g.kv.keys()].filter((k) => k.startsWith("gpt2.")), [
    "gpt2.block_count", "gpt2.context_length", "gpt2.embedding_length", "gpt2.feed_forward_length", "gpt2.attention.head_count", "gpt2.attention.layer_norm_epsilon",
  ], "GPT2Model.set_gguf_parameters' keys, in its order (no head_count_kv, no rope)");
  t.same(["block_count", "context_length", "embedding_length", "feed_forward_length", "attention.head_count"].map((k) => v(`gpt2.${k}`)), [2, 256, 64, 256, 4]);
  t.equal(v("gpt2.attention.layer_norm_epsilon"), Math.fround(1e-5));
  t.equal(g.kv.get("gpt2.attention.layer_norm_epsilon")?.type, 6, "float32");
  t.equal(v("tokenizer.ggml.model"), "llama", "the synthetic vocabulary (llama.cpp's gpt2 arch loads it)");
  const layer = (l: number): string[] => ["attn_norm", "attn_qkv", "attn_output", "ffn_norm", "ffn_up", "ffn_down"].flatMap((n) => [`blk.${l}.${n}.weight`, `blk.${l}.${n}.bias`]);
  t.same(g.tensors.map((x) => x.name), ["token_embd.weight", "position_embd.weight", ...layer(0), ...layer(1), "output_norm.weight", "output_norm.bias"], "tied: no output.weight");
  const dims = new Map(g.tensors.map((x) => [x.name, x.dims]));
  t.same(["token_embd", "position_embd", "blk.0.attn_qkv", "blk.0.attn_output", "blk.0.ffn_up", "blk.0.ffn_down"].map((n) => dims.get(`${n}.weight`)),
    [[64, 512], [64, 256], [64, 192], [64, 64], [64, 256], [256, 64]], "Conv1D [in, out] -> ne [in, out] (torch [out, in] after the transpose)");
  const plan = planGguf(GPT2, { seed: 13, dtype: "f32" });
  t.same(plan.tensors.filter((x) => x.transposed).map((x) => x.name), g.tensors.map((x) => x.name).filter(isConv1D), "the plan marks the Conv1D weights transposed");
  t.ok(plan.tensors.every((x) => x.values === "stream" && x.permuteHeads === 0));
  const ref = initModel(presetFromConfig(GPT2), { seed: 13 });
  // A few elements by hand: c_attn [64, 192]; GGUF row 1 is HF column 1.
  const qkv = tensorBytes(g, "blk.0.attn_qkv.weight").data;
  const q = new Float32Array(qkv.buffer.slice(qkv.byteOffset, qkv.byteOffset + qkv.length));
  const hq = ref.get("transformer.h.0.attn.c_attn.weight") as Float32Array;
  t.same([q[0], q[1], q[64], q[64 + 5], q[191 * 64 + 63]], [hq[0], hq[192], hq[1], hq[5 * 192 + 1], hq[63 * 192 + 191]], "(o, i) = (0, 0), (0, 1), (1, 0), (1, 5), (191, 63)");
  t.not(q[1], hq[1], "not the HF order");
  for (const chunkBytes of [undefined, 1 << 16]) {
    const h = chunkBytes === undefined ? g : await write("gpt2-f32-64k.gguf", GPT2, { seed: 13, dtype: "f32", chunkBytes });
    for (const info of h.tensors) {
      const { data } = tensorBytes(h, info.name);
      const got = new Float32Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.length));
      const want = ref.get(gpt2Hf(info.name)) as Float32Array;
      t.equal(got.length, want.length, `${info.name}: as many elements as ${gpt2Hf(info.name)}`);
      let bad = -1;
      for (let i = 0; i < got.length && bad < 0; i++) {
        const src = isConv1D(info.name) ? transposedIndex(i, info.dims[0], info.dims[1]) : i;
        if (!Object.is(got[i], want[src])) bad = i;
      }
      t.equal(bad, -1, `${info.name} (chunk ${chunkBytes ?? "default"}): every element is its source element${isConv1D(info.name) ? ", transposed" : ""}`);
    }
  }
  // Many bands, both ways of filling them (lib/model/gguf.ts): "wide", 64 KiB buffers (half the
  // scratch: 8192 float32): c_fc [128, 1024] in 16 bands of 64 GGUF rows, mlp.c_proj [1024, 128]
  // in 16 of 8, each from whole source rows; "long", 128 KiB: c_fc [32, 16384] in bands of 512
  // (F16: 1024) GGUF rows, each source row's piece filled on its own (rows of 16384 elements), and
  // mlp.c_proj [16384, 32] in 32 bands of one row. F32, F16, Q8_0, Q4_0; untied (output.weight
  // Q8_0 in Q4_0).
  const wide = { ...GPT2, vocab_size: 300, n_embd: 128, n_inner: 1024, n_layer: 1, n_positions: 64, n_ctx: 64, tie_word_embeddings: false };
  const long = { ...wide, n_embd: 32, n_head: 2, n_inner: 16384 };
  for (const [what, config, chunkBytes, dtypes] of [["wide", wide, 1 << 16, ["f32", "f16", "q8_0", "q4_0"]], ["long", long, 1 << 17, ["f32", "f16", "q8_0"]]] as const) {
    const wref = initModel(presetFromConfig(config), { seed: 2 });
    const wf16 = initModel(presetFromConfig(config), { seed: 2, dtype: "float16" });
    for (const dtype of dtypes) {
      const h = await write(`gpt2-${what}-${dtype}.gguf`, config, { seed: 2, dtype, chunkBytes });
      t.equal(h.kv.get("gpt2.feed_forward_length")?.value, config.n_inner, "n_inner");
      t.equal(h.tensors[h.tensors.length - 1].name, "output.weight", "untied: output.weight last");
      for (const info of h.tensors) {
        const { data } = tensorBytes(h, info.name);
        const hf = gpt2Hf(info.name);
        const order = <T extends Float32Array | Uint16Array>(x: T): T => (isConv1D(info.name) ? transposedArray(x, info.dims[0], info.dims[1]) : x);
        const want32 = order(wref.get(hf) as Float32Array);
        const type = info.dims.length === 1 || info.name === "position_embd.weight" ? 0
          : dtype === "f32" ? 0 : dtype === "f16" ? 1 : dtype === "q8_0" || info.name === "output.weight" ? 8 : 2;
        const label = `${what} ${dtype} ${info.name}`;
        t.equal(info.type, type, `${label}: type ${type}`);
        if (type === 0) t.ok(sameBytes(new Float32Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.length)), want32), `${label}: the float32 stream`);
        else if (type === 1) t.ok(sameBytes(new Uint16Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.length)), order(wf16.get(hf) as Uint16Array)), `${label}: the float16 stream`);
        else t.ok(Buffer.from(quantRef(type as 8 | 2, want32)).equals(data), `${label}: the test's blocks of the transposed rows`);
      }
    }
  }
  // The built-in GPT-2 XL plans as the converter's file: c_attn [1600, 4800] -> ne [1600, 4800]
  const xl = planGguf(builtinConfig("gpt2-xl"), { seed: 1, dtype: "q4_0" });
  t.same(xl.tensors.find((x) => x.name === "blk.47.attn_qkv.weight")?.dims, [1600, 4800]);
  t.same(xl.tensors.find((x) => x.name === "blk.47.ffn_down.weight")?.dims, [6400, 1600]);
  t.equal(xl.tensors.find((x) => x.name === "position_embd.weight")?.type, "F32", "position_embd F32 in every file type, as the converter writes it");
  t.equal(xl.tensors.length, 2 + 48 * 12 + 2);
  const bad: [object, GgufOptions, RegExp][] = [
    [{ ...GPT2, activation_function: "gelu" }, {}, /"activation_function" must be "gelu_new" or "gelu_pytorch_tanh" for GGUF model type gpt2 .*Received "gelu"/],
    [{ ...GPT2, activation_function: "relu" }, {}, /"activation_function" must be "gelu_new" .*Received "relu"/],
    [{ ...GPT2, scale_attn_by_inverse_layer_idx: true }, {}, /"scale_attn_by_inverse_layer_idx" must be false for GGUF model type gpt2 .*Received true/],
    [{ ...GPT2, scale_attn_weights: false }, {}, /"scale_attn_weights" must be true for GGUF model type gpt2 .*Received false/],
    [{ ...GPT2, n_ctx: 1024 }, {}, /"n_ctx" must equal n_positions \(256\) for GGUF model type gpt2 .*Received 1024/],
    [{ ...GPT2, layer_norm_epsilon: 0 }, {}, /"layer_norm_epsilon" must be a finite number > 0. Received 0/],
    [{ ...GPT2, n_inner: 16384 }, { chunkBytes: 1 << 16 }, /"chunkBytes" option must be at least 131072 for GGUF tensor blk.0.ffn_down.weight \(written transposed.*Received 65536/],
  ];
  for (const [config, options, re] of bad) t.throws(() => planGguf(config, options), re, re.source);
  t.ok(planGguf({ ...GPT2, n_ctx: undefined, activation_function: "gelu_pytorch_tanh", scale_attn_weights: true }), "n_ctx absent, gelu_pytorch_tanh");
});

const BERT = {
  architectures: ["BertModel"], model_type: "bert", vocab_size: 512, hidden_size: 64, intermediate_size: 128, num_hidden_layers: 2, num_attention_heads: 4,
  max_position_embeddings: 64, type_vocab_size: 2, layer_norm_eps: 1e-12, hidden_act: "gelu", initializer_range: 0.02, pad_token_id: 0,
};
/** bert's GGUF names -> HF without the `bert.` prefix (tensor_mapping.py's bert rows, written here). */
const BERT_HF: Record<string, string> = {
  "token_embd.weight": "embeddings.word_embeddings.weight", "position_embd.weight": "embeddings.position_embeddings.weight",
  "token_types.weight": "embeddings.token_type_embeddings.weight", "token_embd_norm.weight": "embeddings.LayerNorm.weight", "token_embd_norm.bias": "embeddings.LayerNorm.bias",
  attn_q: "attention.self.query", attn_k: "attention.self.key", attn_v: "attention.self.value", attn_output: "attention.output.dense",
  attn_output_norm: "attention.output.LayerNorm", ffn_up: "intermediate.dense", ffn_down: "output.dense", layer_output_norm: "output.LayerNorm",
};
function bertHf(g: string, prefix: string): string {
  if (BERT_HF[g] !== undefined) return prefix + BERT_HF[g];
  const m = /^blk\.(\d+)\.(\w+)\.(weight|bias)$/.exec(g);
  if (m === null || BERT_HF[m[2]] === undefined) throw new Error(`unexpected GGUF name ${g}`);
  return `${prefix}encoder.layer.${m[1]}.${BERT_HF[m[2]]}.${m[3]}`;
}

t.test("bert: BertModel's names and keys, the pooler and heads dropped, a WordPiece vocabulary", async (t) => {
  const g = await write("bert-f32.gguf", BERT, { seed: 17, dtype: "f32" });
  const v = (k: string): unknown => g.kv.get(k)?.value;
  t.equal(v("general.architecture"), "bert");
  t.same([...g.kv.keys()].filter((k) => k.startsWith("bert.")), [
    "bert.block_count", "bert.context_length", "bert.embedding_length", "bert.feed_forward_length", "bert.attention.head_count",
    "bert.attention.layer_norm_epsilon", "bert.attention.causal", "bert.pooling_type",
  ], "BertModel.set_gguf_parameters' keys, in its order (no head_count_kv, no rope)");
  t.same(["block_count", "context_length", "embedding_length", "feed_forward_length", "attention.head_count"].map((k) => v(`bert.${k}`)), [2, 64, 64, 128, 4]);
  t.equal(v("bert.attention.layer_norm_epsilon"), Math.fround(1e-12));
  t.equal(v("bert.attention.causal"), false);
  t.equal(g.kv.get("bert.attention.causal")?.type, 7, "bool");
  t.equal(v("bert.pooling_type"), 1, "MEAN");
  t.equal(v("tokenizer.ggml.token_type_count"), 2, "type_vocab_size");
  t.equal(v("tokenizer.ggml.model"), "bert");
  const tokens = v("tokenizer.ggml.tokens") as string[];
  t.equal(tokens.length, 512);
  t.same(tokens.slice(0, 7), ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "\u2581!", "\u2581\""]);
  t.equal(new Set(tokens).size, 512, "distinct pieces");
  t.same((v("tokenizer.ggml.token_type") as number[]).slice(0, 6), [3, 3, 3, 3, 3, 1], "the specials CONTROL, then NORMAL");
  t.notOk(g.kv.has("tokenizer.ggml.scores"), "WPM: no scores");
  t.same(["unknown", "bos", "seperator", "padding", "cls", "mask"].map((k) => v(`tokenizer.ggml.${k}_token_id`)), [1, 2, 3, 0, 2, 4]);
  t.notOk(g.kv.has("tokenizer.ggml.eos_token_id"), "no eos");
  const layer = (l: number): string[] => ["attn_q", "attn_k", "attn_v", "attn_output", "attn_output_norm", "ffn_up", "ffn_down", "layer_output_norm"]
    .flatMap((n) => [`blk.${l}.${n}.weight`, `blk.${l}.${n}.bias`]);
  const names = ["token_embd.weight", "position_embd.weight", "token_types.weight", "token_embd_norm.weight", "token_embd_norm.bias", ...layer(0), ...layer(1)];
  t.same(g.tensors.map((x) => x.name), names, "the converter's tensors; no pooler");
  const dims = new Map(g.tensors.map((x) => [x.name, x.dims]));
  t.same(["token_embd.weight", "position_embd.weight", "token_types.weight", "blk.0.attn_q.weight", "blk.0.ffn_up.weight", "blk.0.ffn_down.weight", "blk.1.ffn_up.bias"].map((n) => dims.get(n)),
    [[64, 512], [64, 64], [64, 2], [64, 64], [64, 128], [128, 64], [128]]);
  const plan = planGguf(BERT, { seed: 17, dtype: "f32" });
  t.same(plan.dropped, ["pooler.dense.weight", "pooler.dense.bias"], "BertModel: the pooler dropped");
  t.ok(plan.tensors.every((x) => x.values === "stream" && x.permuteHeads === 0 && !x.transposed), "no transform");
  // Every element is its source's, F32 / F16 / Q8_0 / Q4_0; BertModel (no prefix) and BertForMaskedLM (bert., untied decoder dropped)
  for (const [arch, prefix] of [["BertModel", ""], ["BertForMaskedLM", "bert."]] as const) {
    const config = { ...BERT, architectures: [arch], tie_word_embeddings: arch === "BertModel" };
    const ref = initModel(presetFromConfig(config), { seed: 17 });
    const f16 = initModel(presetFromConfig(config), { seed: 17, dtype: "float16" });
    for (const dtype of ["f32", "f16", "q8_0", "q4_0"] as const) {
      const h = await write(`bert-${arch}-${dtype}.gguf`, config, { seed: 17, dtype });
      t.same(h.tensors.map((x) => x.name), names, `${arch} ${dtype}: the same tensors`);
      for (const info of h.tensors) {
        const { data } = tensorBytes(h, info.name);
        const hf = bertHf(info.name, prefix);
        const f32 = ref.get(hf) as Float32Array;
        const type = info.dims.length === 1 || info.name === "position_embd.weight" || info.name === "token_types.weight" ? 0
          : dtype === "f32" ? 0 : dtype === "f16" ? 1 : dtype === "q8_0" ? 8 : 2;
        const label = `${arch} ${dtype} ${info.name}`;
        if (info.type !== type) t.equal(info.type, type, `${label}: type ${type}`);
        const ok = type === 0 ? sameBytes(new Float32Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.length)), f32)
          : type === 1 ? sameBytes(new Uint16Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.length)), f16.get(hf) as Uint16Array)
            : Buffer.from(quantRef(type as 8 | 2, f32)).equals(data);
        if (!ok) t.fail(`${label}: the stream of ${hf}`);
      }
      t.pass(`${arch} ${dtype}: every tensor holds its source's stream, of its type`);
    }
    if (arch === "BertForMaskedLM") {
      t.same(planGguf(config, { seed: 17 }).dropped, ["cls.predictions.bias", "cls.predictions.transform.dense.weight", "cls.predictions.transform.dense.bias",
        "cls.predictions.transform.LayerNorm.weight", "cls.predictions.transform.LayerNorm.bias", "cls.predictions.decoder.weight"], "the MLM head dropped (untied decoder too)");
    }
  }
  t.same(planGguf({ ...BERT, architectures: ["BertForPreTraining"] }).dropped.filter((n) => !n.startsWith("cls.predictions")),
    ["bert.pooler.dense.weight", "bert.pooler.dense.bias", "cls.seq_relationship.weight", "cls.seq_relationship.bias"], "BertForPreTraining: pooler and NSP head dropped");
  t.equal(planGguf(builtinConfig("bert-base-uncased"), { seed: 1, dtype: "q8_0" }).tensors.length, 5 + 12 * 16, "bert-base-uncased");
  const bad: [object, RegExp][] = [
    [{ ...BERT, hidden_act: "relu" }, /"hidden_act" must be "gelu", "gelu_new" or "gelu_pytorch_tanh" for GGUF model type bert .*Received "relu"/],
    [{ ...BERT, is_decoder: true }, /"is_decoder" must be false for GGUF model type bert .*Received true/],
    [{ ...BERT, layer_norm_eps: -1 }, /"layer_norm_eps" must be a finite number > 0. Received -1/],
    [{ ...BERT, vocab_size: 4 }, /"vocab_size" must be at least 5 for the synthetic GGUF WordPiece tokenizer \(\[PAD\], \[UNK\], \[CLS\], \[SEP\], \[MASK\]\), or pass a tokenizer. Received 4/],
  ];
  for (const [config, re] of bad) t.throws(() => planGguf(config), re, re.source);
  t.equal(syntheticBertVocabulary(5).tokens.length, 5);
  // A copied tokenizer (here the bert file's own, into a model of 3 token types): its keys, this model's token_type_count
  const copied = await write("bert-copied.gguf", { ...BERT, type_vocab_size: 3 }, { seed: 1, dtype: "f16", tokenizer: join(work, "bert-f32.gguf") });
  for (const [k, x] of g.kv) if (k.startsWith("tokenizer.") && k !== "tokenizer.ggml.token_type_count") t.same(copied.kv.get(k), x, `copied ${k}`);
  t.same([...copied.kv.keys()].filter((k) => k === "tokenizer.ggml.token_type_count"), ["tokenizer.ggml.token_type_count"], "once");
  t.equal(copied.kv.get("tokenizer.ggml.token_type_count")?.value, 3, "this model's type_vocab_size");
  t.same(copied.tensors.find((x) => x.name === "token_types.weight")?.dims, [64, 3]);
});

t.test("the built-in gemma, phi3 and mixtral configs plan as their published shapes", async (t) => {
  const dimsOf = (name: string, tensor: string): number[] | undefined => planGguf(builtinConfig(name), { seed: 1, dtype: "q4_0" }).tensors.find((x) => x.name === tensor)?.dims;
  const mixtral = planGguf(builtinConfig("mixtral-8x7b"), { seed: 1, dtype: "q4_0" });
  t.equal(mixtral.tensors.length, 1 + 32 * 10 + 2, "Mixtral-8x7B: 10 tensors a layer (4 attention, router, 3 stacked experts, 2 norms)");
  t.same(mixtral.tensors.find((x) => x.name === "blk.31.ffn_down_exps.weight")?.dims, [14336, 4096, 8]);
  t.equal(mixtral.tensors.find((x) => x.name === "blk.31.ffn_down_exps.weight")?.sources.length, 8);
  t.same(dimsOf("phi-3-mini-4k", "blk.0.attn_qkv.weight"), [3072, 9216]);
  t.same(dimsOf("phi-3-mini-4k", "blk.0.ffn_up.weight"), [3072, 16384]);
  t.same(dimsOf("gemma-2b", "blk.0.attn_k.weight"), [2048, 256], "Gemma 2B: multi-query, head_dim 256");
});

// --- the native quantizers (native/core/quant.cc) against the TypeScript reference -----------

const nativeQuant = typeof nativeBinding?.quantizeQ8_0 === "function" && typeof nativeBinding?.quantizeQ4_0 === "function";
const noNativeQuant = nativeQuant ? false : "the native binding (with its quantizers) is not loaded";

/** Blocks meant to break a quantizer: every special value, scale boundary and rounding tie. */
function adversarialBlocks(seed: number, blocks: number): Float32Array {
  let s = seed >>> 0 || 1;
  const rnd = (): number => { // xorshift32
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    return s;
  };
  const x = new Float32Array(blocks * 32);
  const bits = new Uint32Array(x.buffer);
  const u = (): number => rnd() / 2 ** 32;
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
  const specials = [0, -0, NaN, Infinity, -Infinity, 1e-45, -1e-45, 1.1754942e-38, 2.9e-39, 3.4028235e38, -3.4028235e38, 65504, 65520, 8.3e6, 6e-8, 0.5, -0.5, 2.5, -2.5, 127, -127, 8, -8];
  for (let b = 0; b < blocks; b++) {
    const o = b * 32;
    const kind = b % 12;
    // a magnitude from subnormal float32 to near overflow, and float16's range edges
    const scale = [1e-42, 1e-39, 3e-38, 1e-30, 6e-8 * 127, 1e-3, 0.02, 1, 65504, 65504 * 127, 1e20, 1e37][rnd() % 12];
    for (let j = 0; j < 32; j++) {
      switch (kind) {
        case 0: bits[o + j] = rnd(); break; // any bit pattern: NaN, Inf, subnormals, every exponent
        case 1: x[o + j] = gauss() * scale; break;
        case 2: x[o + j] = j === 0 ? scale : Math.round(gauss() * 16) / 2 * (scale / 8); break; // halves: ties
        case 3: x[o + j] = scale * (rnd() & 1 ? 1 : -1); break; // all equal magnitude, both signs
        case 4: x[o + j] = j === 7 ? 127 : (rnd() % 255 - 127) + 0.5; break; // d = 1: every x * id a tie
        case 5: x[o + j] = j === 3 ? -8 : (rnd() % 17 - 8) / 2; break; // Q4_0 d = 1, x + 8.5 on .5 and integers
        case 6: x[o + j] = specials[rnd() % specials.length]; break;
        case 7: x[o + j] = rnd() % 3 === 0 ? specials[rnd() % 6] : gauss() * scale; break; // NaN/Inf/±0 among normal values
        case 8: x[o + j] = rnd() % 2 ? 0 : -0; break; // all ±0
        case 9: bits[o + j] = (rnd() & 0x807fffff) >>> 0; break; // float32 subnormals and ±0 only
        case 10: x[o + j] = (j === 5 || j === 20 ? (j === 5 ? -1 : 1) : gauss() * 0.3) * scale; break; // largest |x| twice, - first
        default: x[o + j] = scale; break; // all equal
      }
    }
  }
  return x;
}

t.test("native quantizers: the TypeScript reference's bytes on every ISA, any thread count", { skip: noNativeQuant }, async (t) => {
  const b = nativeBinding as NonNullable<typeof nativeBinding>;
  t.equal(quantizerBackend, "native", "quant.ts uses the binding's quantizers");
  const cases: [string, typeof quantizeQ8_0Js, "quantizeQ8_0" | "quantizeQ4_0", number][] = [
    ["Q8_0", quantizeQ8_0Js, "quantizeQ8_0", 34], ["Q4_0", quantizeQ4_0Js, "quantizeQ4_0", 18],
  ];
  // 9000 blocks: more than the binding's inline limit (8192), so threads > 1 really split it
  for (const seed of [1, 2, 3]) {
    const blocks = seed === 1 ? 9000 : 1500;
    const x = adversarialBlocks(seed, blocks);
    for (const [name, js, fn, bs] of cases) {
      const want = new Uint8Array(blocks * bs);
      t.equal(js(x, 0, x.length, want, 0), blocks * bs);
      for (const isa of nativeIsas) {
        for (const threads of [1, 2, 3]) {
          const got = new Uint8Array(blocks * bs).fill(0xa5);
          const n = (b[fn] as NonNullable<typeof b.quantizeQ8_0>)(x, 0, x.length, got, 0, threads, isa);
          let bad = -1;
          for (let i = 0; i < got.length && bad < 0; i++) if (got[i] !== want[i]) bad = i;
          const blk = Math.floor(Math.max(bad, 0) / bs);
          t.ok(n === blocks * bs && bad < 0, `${name} ${isa} ${threads} thread(s), seed ${seed}: ${bad < 0 ? "same bytes" : `block ${blk} differs: ` +
            `x = [${Array.from(x.subarray(blk * 32, blk * 32 + 32)).join(", ")}], byte ${bad % bs}: ${got[bad]} vs ${want[bad]}`}`);
        }
      }
    }
  }
  // the exported quantizers (native here) at offsets, and quant.ts's TS fallback for overlapping memory
  const x = adversarialBlocks(9, 40);
  for (const [name, js, , bs] of cases) {
    const exported = name === "Q8_0" ? quantizeQ8_0 : quantizeQ4_0;
    const want = new Uint8Array(7 + 39 * bs);
    js(x, 32, 39 * 32, want, 7);
    const got = new Uint8Array(want.length);
    t.equal(exported(x, 32, 39 * 32, got, 7), 39 * bs);
    t.ok(Buffer.from(got).equals(want), `${name}: offsets`);
    const shared = new ArrayBuffer(40 * 32 * 4);
    const src = new Float32Array(shared);
    src.set(x);
    const ref = new Uint8Array(40 * bs);
    js(src.slice(), 0, src.length, ref, 0);
    t.equal(exported(src, 0, src.length, new Uint8Array(shared), 0), 40 * bs, `${name}: in place (the TypeScript loop)`);
    t.ok(Buffer.from(shared, 0, 40 * bs).equals(ref), `${name}: in place, the reference's bytes`);
  }
});

/**
 * A raw binding call that must be refused with nothing written: `dst` is filled with 0x5a, then
 * `call` must throw a TypeError (code ERR_INVALID_ARG_TYPE) or a RangeError (any other code) whose
 * message matches `re`, with that `code`, and leave every byte of `dst` as it was.
 */
function refuses(t: Test, what: string, call: () => unknown, dst: Uint8Array, re: RegExp, code: string): void {
  dst.fill(0x5a);
  let err: (Error & { code?: string }) | undefined;
  try {
    call();
  } catch (e) {
    err = e as Error & { code?: string };
  }
  t.ok(err instanceof (code === "ERR_INVALID_ARG_TYPE" ? TypeError : RangeError), `${what}: ${err?.name}`);
  t.match(err?.message ?? "", re, `${what}: message`);
  t.equal(err?.code, code, `${what}: code`);
  t.ok(dst.every((v) => v === 0x5a), `${what}: nothing written`);
}

t.test("native quantizers check every argument; nothing is written on a failed check", { skip: noNativeQuant }, async (t) => {
  const b = nativeBinding as NonNullable<typeof nativeBinding>;
  const src = Float32Array.from({ length: 128 }, (_, i) => i - 60);
  for (const fn of ["quantizeQ8_0", "quantizeQ4_0"] as const) {
    const q = b[fn] as (...a: unknown[]) => number;
    const bs = fn === "quantizeQ8_0" ? 34 : 18;
    const dst = new Uint8Array(4 * bs + 3);
    const bad: [string, unknown[], RegExp, string][] = [
      ["no arguments", [], /expects 5 to 7 arguments/, "ERR_INVALID_ARG_VALUE"],
      ["4 arguments", [src, 0, 32, dst], /expects 5 to 7 arguments/, "ERR_INVALID_ARG_VALUE"],
      ["src Float64Array", [new Float64Array(128), 0, 32, dst, 0], /"src" argument must be a Float32Array/, "ERR_INVALID_ARG_TYPE"],
      ["src array", [Array.from(src), 0, 32, dst, 0], /"src" argument must be a Float32Array/, "ERR_INVALID_ARG_TYPE"],
      ["src Buffer", [Buffer.alloc(512), 0, 32, dst, 0], /"src" argument must be a Float32Array/, "ERR_INVALID_ARG_TYPE"],
      ["srcOffset string", [src, "0", 32, dst, 0], /"srcOffset" argument must be of type number/, "ERR_INVALID_ARG_TYPE"],
      ["srcOffset -1", [src, -1, 32, dst, 0], /"srcOffset" argument must be an integer/, "ERR_OUT_OF_RANGE"],
      ["srcOffset 1.5", [src, 1.5, 32, dst, 0], /"srcOffset"/, "ERR_OUT_OF_RANGE"],
      ["srcOffset > length", [src, 129, 0, dst, 0], /"srcOffset" argument must be an integer in \[0, src.length\]/, "ERR_OUT_OF_RANGE"],
      ["n NaN", [src, 0, NaN, dst, 0], /"n"/, "ERR_OUT_OF_RANGE"],
      ["n 2^53", [src, 0, 2 ** 53, dst, 0], /"n"/, "ERR_OUT_OF_RANGE"],
      ["n not a multiple of 32", [src, 0, 48, dst, 0], /"n" argument must be a multiple of 32/, "ERR_OUT_OF_RANGE"],
      ["n past src", [src, 64, 96, dst, 0], /"n" argument must be an integer in \[0, src.length - srcOffset\]/, "ERR_OUT_OF_RANGE"],
      ["dst Uint16Array", [src, 0, 32, new Uint16Array(64), 0], /"dst" argument must be a Uint8Array/, "ERR_INVALID_ARG_TYPE"],
      ["dst Uint8ClampedArray", [src, 0, 32, new Uint8ClampedArray(64), 0], /"dst" argument must be a Uint8Array/, "ERR_INVALID_ARG_TYPE"],
      ["dst ArrayBuffer", [src, 0, 32, new ArrayBuffer(64), 0], /"dst" argument must be a Uint8Array/, "ERR_INVALID_ARG_TYPE"],
      ["dstOffset > length", [src, 0, 0, dst, dst.length + 1], /"dstOffset" argument must be an integer in \[0, dst.length\]/, "ERR_OUT_OF_RANGE"],
      ["dst one byte short", [src, 0, 128, dst, 4], /"dst" argument must be long enough/, "ERR_OUT_OF_RANGE"],
      ["dst short at the end", [src, 0, 32, dst, dst.length - bs + 1], /"dst" argument must be long enough/, "ERR_OUT_OF_RANGE"],
      ["threads -1", [src, 0, 32, dst, 0, -1], /"threads"/, "ERR_OUT_OF_RANGE"],
      ["threads 1025", [src, 0, 32, dst, 0, 1025], /"threads"/, "ERR_OUT_OF_RANGE"],
      ["isa bogus", [src, 0, 32, dst, 0, 1, "mmx"], /"isa" argument must be an instruction set/, "ERR_INVALID_ARG_VALUE"],
      ["isa number", [src, 0, 32, dst, 0, 1, 1], /"isa" argument must be a string/, "ERR_INVALID_ARG_TYPE"],
    ];
    for (const [what, args, re, code] of bad) refuses(t, `${fn} ${what}`, () => q.apply(b, args), dst, re, code);
    // src and dst sharing memory: refused (the pool's threads would race)
    const shared = new ArrayBuffer(4096);
    t.throws(() => q.call(b, new Float32Array(shared, 0, 64), 0, 64, new Uint8Array(shared, 200, 100), 0),
      { name: "RangeError", code: "ERR_INVALID_ARG_VALUE", message: /must not share memory/ });
    t.equal(q.call(b, new Float32Array(shared, 0, 64), 0, 64, new Uint8Array(shared, 256, 100), 0), 2 * bs, "adjacent, not overlapping: fine");
    // exact bounds: the last block ends on dst's last byte; the bytes around the range stay
    dst.fill(0x5a);
    t.equal(q.call(b, src, 32, 96, dst, 3), 3 * bs);
    t.ok(dst.subarray(0, 3).every((v) => v === 0x5a) && dst.subarray(3 + 3 * bs).every((v) => v === 0x5a), `${fn}: only dst[3, 3 + ${3 * bs}) written`);
    t.equal(q.call(b, src, 128, 0, dst, dst.length), 0, "n = 0 at the very end");
    t.equal(q.call(b, new Float32Array(0), 0, 0, new Uint8Array(0), 0, undefined, undefined), 0, "empty arrays");
  }
});

// --- the fused fill-and-quantize (native/core/fill.cc fill_quantize_sync) --------------------

const noFused = typeof nativeBinding?.fillQuantize === "function" ? false : "the native binding (with fillQuantize) is not loaded";

/** The element-wise plan of a public fill call with `seed` (captured, not run). */
function planOf(call: (out: Float32Array) => unknown): RandomPlan {
  const cap = capturePlan(() => call(new Float32Array(0)));
  if (cap === null || cap.plan.kind !== "random") throw new Error("no random plan captured");
  return cap.plan;
}

t.test("fillQuantize: the bytes of fill-then-quantize on every ISA, kernel, offset and thread count", { skip: noFused }, async (t) => {
  const b = nativeBinding as NonNullable<typeof nativeBinding>;
  const fq = b.fillQuantize as NonNullable<typeof b.fillQuantize>;
  const key = 0x0123456789abcdefn;
  const kernels: [string, (out: Float32Array, offset: number) => Float32Array][] = [
    ["uniform", (out, offset) => uniform(out, { low: -0.3, high: 0.7, seed: key, offset })],
    ["normal", (out, offset) => normal(out, { mean: 0.1, std: 0.02, seed: key, offset })],
    ["truncNormal", (out, offset) => truncNormal(out, { std: 1.5, a: -2, b: 3, seed: key, offset })],
  ];
  // offsets on and off stream blocks (multiples of 32), lengths from one quantization block to
  // more than the binding's inline limit (65536 for normal), so threads > 1 really split them
  const ranges: [number, number][] = [[0, 32], [0, 4096], [32, 4064], [4064, 64], [4096 * 3 + 96, 9000 * 32 - 96 * 4], [2 ** 40 + 4096 - 32, 8256], [0, 0]];
  for (const [name, fill] of kernels) {
    const plan = planOf((out) => fill(out, 0));
    const kid = KERNELS.indexOf(plan.kernel);
    for (const [offset, n] of ranges) {
      const x = fill(new Float32Array(n), offset);
      for (const [type, js, bs] of [[0, quantizeQ8_0Js, 34], [1, quantizeQ4_0Js, 18]] as const) {
        const want = new Uint8Array(3 + (n / 32) * bs + 5).fill(0x77);
        js(x, 0, n, want, 3);
        const isas = await eachIsa(t, (isa) => {
          for (const threads of [1, 2, 3]) {
            const got = new Uint8Array(want.length).fill(0x77);
            const r = fq.call(b, got, 3, type, n, kid, plan.params, Number(key >> 32n), Number(key & 0xffffffffn), offset, threads, isa);
            t.ok(r === (n / 32) * bs && sameBytes(got, want), `${name} ${type ? "Q4_0" : "Q8_0"} [${offset}, +${n}) ${isa} ${threads} thread(s)`);
          }
        });
        t.ok(isas.length > 0);
      }
    }
  }
});

t.test("fillQuantize checks every argument; nothing is written on a failed check", { skip: noFused }, async (t) => {
  const b = nativeBinding as NonNullable<typeof nativeBinding>;
  const fq = b.fillQuantize as (...a: unknown[]) => number;
  const p = new Float32Array([0, 1]);
  const dst = new Uint8Array(4 * 18 + 3);
  const ok = (over: Record<number, unknown>, cut?: number): unknown[] => {
    const a: unknown[] = [dst, 0, 1, 64, 1, p, 0, 7, 0, 1];
    for (const [i, v] of Object.entries(over)) a[Number(i)] = v;
    return cut === undefined ? a : a.slice(0, cut);
  };
  const bad: [string, unknown[], RegExp, string][] = [
    ["9 arguments", ok({}, 9), /expects 10 to 11 arguments/, "ERR_INVALID_ARG_VALUE"],
    ["dst Float32Array", ok({ 0: new Float32Array(64) }), /"dst" argument must be a Uint8Array/, "ERR_INVALID_ARG_TYPE"],
    ["dstOffset > length", ok({ 1: dst.length + 1, 3: 0 }), /"dstOffset" argument must be an integer in \[0, dst.length\]/, "ERR_OUT_OF_RANGE"],
    ["type 2", ok({ 2: 2 }), /"type" argument must be an integer in \[0, 1\]/, "ERR_OUT_OF_RANGE"],
    ["type string", ok({ 2: "q4_0" }), /"type" argument must be of type number/, "ERR_INVALID_ARG_TYPE"],
    ["n 48", ok({ 3: 48 }), /"n" argument must be a multiple of 32/, "ERR_OUT_OF_RANGE"],
    ["n -32", ok({ 3: -32 }), /"n"/, "ERR_OUT_OF_RANGE"],
    ["kernel 3", ok({ 4: 3 }), /"kernel"/, "ERR_OUT_OF_RANGE"],
    ["params Float64Array", ok({ 5: new Float64Array(2) }), /"params" argument must be a Float32Array/, "ERR_INVALID_ARG_TYPE"],
    ["params too short", ok({ 5: new Float32Array(1) }), /"params" argument must be of length 2/, "ERR_OUT_OF_RANGE"],
    ["keyHi 2^32", ok({ 6: 2 ** 32 }), /"keyHi"/, "ERR_OUT_OF_RANGE"],
    ["offset 16", ok({ 8: 16 }), /"offset" argument must be a multiple of 32/, "ERR_OUT_OF_RANGE"],
    ["offset + n > 2^53 - 1", ok({ 8: 2 ** 53 - 32 }), /"offset" argument must be such that offset \+ n <= 2\^53 - 1/, "ERR_OUT_OF_RANGE"],
    ["threads 1025", ok({ 9: 1025 }), /"threads"/, "ERR_OUT_OF_RANGE"],
    ["isa bogus", [...ok({}), "mmx"], /"isa" argument must be an instruction set/, "ERR_INVALID_ARG_VALUE"],
    ["dst one block short", ok({ 1: 3 + 18 + 1, 3: 128 }), /"dst" argument must be long enough/, "ERR_OUT_OF_RANGE"],
  ];
  for (const [what, args, re, code] of bad) refuses(t, what, () => fq.apply(b, args), dst, re, code);
  dst.fill(0x5a);
  t.equal(fq.apply(b, ok({ 1: 3, 3: 128 })), 4 * 18, "the last block ends on dst's last byte");
  t.ok(dst.subarray(0, 3).every((v) => v === 0x5a) && dst.subarray(3).some((v) => v !== 0x5a), "only dst[3 ..] written");
});

// --- nninit's reader on malformed files -----------------------------------------------------

t.test("readGgufHeader refuses malformed files with clear errors", async (t) => {
  const good = readFileSync(join(work, "tiny-f32.gguf"));
  const g = parseGguf(good);
  const bad = (name: string, bytes: Buffer, pattern: RegExp): void => {
    const p = join(work, `bad-${name}.gguf`);
    writeFileSync(p, bytes);
    t.throws(() => readGgufHeader(p), pattern, name);
  };
  const patch = (at: number, fn: (b: Buffer) => void): Buffer => {
    const b = Buffer.from(good);
    fn(b.subarray(at));
    return b;
  };
  bad("magic", patch(0, (b) => b.write("GGML", "latin1")), /does not start with the magic "GGUF"/);
  bad("version", patch(4, (b) => b.writeUInt32LE(4)), /has version 4/);
  bad("big-endian", patch(4, (b) => b.writeUInt32BE(3)), /big-endian/);
  bad("tensors", patch(8, (b) => b.writeBigUInt64LE(1n << 40n)), /tensor count/);
  bad("kv", patch(16, (b) => b.writeBigUInt64LE(0xffffffffffffffffn)), /metadata count/);
  bad("kv-fit", patch(16, (b) => b.writeBigUInt64LE(100000n)), /more than its .* bytes can hold/);
  bad("keylen", patch(24, (b) => b.writeBigUInt64LE(1n << 50n)), /length of key 0/);
  const firstKeyLen = Number(good.readBigUInt64LE(24));
  bad("valtype", patch(32 + firstKeyLen, (b) => b.writeUInt32LE(13)), /unknown value type 13/);
  bad("utf8", patch(32, (b) => (b[0] = 0xff)), /not UTF-8/);
  for (const cut of [3, 20, 200, g.dataStart - 8, g.dataStart + 100, good.length - 1]) bad(`truncated-${cut}`, good.subarray(0, cut), /ends|truncated|past the end/);
  // Tensor infos: find the first one's fields by the test reader's layout (name, n_dims, dims, type, offset).
  const nameBytes = Buffer.from("token_embd.weight");
  const at = good.indexOf(Buffer.concat([Buffer.from([nameBytes.length, 0, 0, 0, 0, 0, 0, 0]), nameBytes]));
  t.ok(at > 0);
  const nd = at + 8 + nameBytes.length;
  bad("ndims", patch(nd, (b) => b.writeUInt32LE(5)), /n_dims 5/);
  bad("ggmltype", patch(nd + 4 + 16, (b) => b.writeUInt32LE(99)), /unknown ggml type 99/);
  bad("blocksize", patch(nd + 4 + 16, (b) => b.writeUInt32LE(10)), /ne\[0\] = 64, not a multiple of Q2_K's block size 256/);
  bad("misaligned", patch(nd + 4 + 16 + 4, (b) => b.writeBigUInt64LE(4n)), /not a multiple of the alignment 32/);
  bad("overlap", patch(good.indexOf(Buffer.from("blk.0.attn_q.weight")) + 19 + 4 + 16 + 4, (b) => b.writeBigUInt64LE(0n)), /overlapping/);
  bad("hugedim", patch(nd + 4, (b) => b.writeBigUInt64LE(1n << 60n)), /dimension/);
  bad("dup", patch(good.indexOf(Buffer.from("blk.0.attn_k.weight")), (b) => b.write("blk.0.attn_q.weight")), /duplicate tensor/);
  // A huge array length.
  const tokensKey = Buffer.from("tokenizer.ggml.tokens");
  const tk = good.indexOf(tokensKey) + tokensKey.length;
  bad("array", patch(tk + 8, (b) => b.writeBigUInt64LE(1n << 40n)), /length of array "tokenizer.ggml.tokens"/);
  bad("nested", patch(tk + 4, (b) => b.writeUInt32LE(9)), /nested array/);
  // Not a regular file.
  t.throws(() => readGgufHeader(work), /regular file/);
  t.throws(() => readGgufHeader("/dev/zero"), /regular file/);
});

// --- atomicity, options, tokenizer copy, CLI -------------------------------------------------

t.test("a failed write leaves no file; options are checked", async (t) => {
  const path = join(work, "fail.gguf");
  await t.rejects(writeGguf(path, TINY, { seed: 1, chunkBytes: 1 << 16, onProgress: (p) => { if (p.phase === "write") throw new Error("stop here"); } }), /stop here/);
  const ac = new AbortController();
  await t.rejects(writeGguf(path, TINY, { seed: 1, chunkBytes: 1 << 16, signal: ac.signal, onProgress: () => ac.abort(new Error("aborted")) }), /aborted/);
  t.notOk(existsSync(path), "no file");
  t.same(readdirSync(work).filter((f) => f.includes("fail.gguf")), [], "no temp file");
  await t.rejects(writeGguf(join(work, "no-such-dir", "x.gguf"), TINY, { seed: 1 }), /cannot write/);
  t.throws(() => planGguf(TINY, { dtype: "q5_k" as "f16" }), /must be one of f32, f16, bf16, q8_0, q4_0/);

  t.throws(() => planGguf({ ...TINY, vocab_size: 100 }), /at least 259/);
  t.throws(() => planGguf({ ...TINY, rope_scaling: { rope_type: "dynamic", factor: 2 } }), /"rope_scaling" must be null or of type "linear", "yarn" or "llama3" for GGUF \(other RoPE scalings are not converted\). Received "dynamic"/);
  t.throws(() => planGguf(TINY, { bogus: 1 } as GgufOptions), /unknown option "bogus"/);
  t.equal(planGguf({ ...TINY, torch_dtype: "bfloat16" }).dtype, "bf16", "default: the config's torch_dtype");
  t.equal(planGguf(TINY).dtype, "f16", "default without torch_dtype: f16");
  t.equal(planGguf({ ...TINY, model_type: "mistral", architectures: ["MistralForCausalLM"] }).architecture, "llama", "mistral is written as llama");
  t.equal(syntheticVocabulary(259).tokens.length, 259);
});

t.test("tokenizer copied from another GGUF", async (t) => {
  const src = join(work, "tiny-f32.gguf");
  const g = await write("copied.gguf", QWEN, { seed: 2, dtype: "f16", tokenizer: src });
  const a = parseGguf(readFileSync(src));
  for (const [k, v] of a.kv) if (k.startsWith("tokenizer.")) t.same(g.kv.get(k), v, k);
  t.throws(() => planGguf({ ...QWEN, vocab_size: 600 }, { tokenizer: src }), /vocab_size = 600 tokens/);
});

t.test("CLI: nninit init -o x.gguf, --format gguf, nninit info x.gguf", async (t) => {
  let out = "", err = "";
  const io = { stdout: { write: (s: string) => ((out += s), true) }, stderr: { write: (s: string) => ((err += s), true) } } as never;
  const cfg = join(work, "config.json");
  writeFileSync(cfg, JSON.stringify(TINY));
  const path = join(work, "cli.gguf");
  t.equal(await main(["init", "-c", cfg, "-o", path, "-d", "q8_0", "-s", "9", "--progress", "none"], io), 0, err);
  t.match(out, /wrote .*cli\.gguf: llama, 21 tensors/);
  out = "";
  t.equal(await main(["info", path], io), 0);
  t.match(out, /GGUF v3, 21 tensors/);
  t.match(out, /blk\.0\.attn_q\.weight\s+Q8_0\s+ne \[64, 64\]/);
  t.match(out, /nninit seed 9/);
  const other = join(work, "cli-format.bin");
  t.equal(await main(["init", "-c", cfg, "-o", other, "--format", "gguf", "-d", "q8_0", "-s", "9", "-q"], io), 0, err);
  t.ok(readFileSync(other).equals(readFileSync(path)), "--format gguf with another name: the same bytes");
  const cases: [string[], RegExp][] = [
    [["init", "-c", cfg, "-o", path, "-d", "q3_k"], /--dtype must be one of/],
    [["init", "-c", cfg, "-o", path, "--format", "onnx"], /--format must be safetensors or gguf/],
    [["init", "-c", cfg, "-o", join(work, "x.safetensors"), "--tokenizer", path], /--tokenizer is for GGUF output/],
    [["init", "-c", cfg, "-o", path, "--part", "0/2", "-s", "1"], /--max-shard-size and --part write safetensors folders/],
  ];
  for (const [args, re] of cases) {
    err = "";
    t.equal(await main(args, io), 2, args.join(" "));
    t.match(err, re);
  }
});

// --- a reference forward pass: transformers' modeling_<type>.py semantics on initModel's tensors ---

type Cfg = Record<string, unknown>;
/**
 * Next-token log-probabilities after `tokens`, in float64, from the HF tensors `w` (initModel's
 * arrays) as transformers computes the model: HF names and layouts (no permutation, norms as HF
 * applies them: Gemma's 1 + weight), rotate_half RoPE, causal GQA attention, SwiGLU / GELU-tanh
 * MLPs, Phi-3's fused projections chunked as Phi3Attention / Phi3MLP split them, Mixtral's
 * softmax router with its top-k weights renormalized. Written here from the papers' and
 * transformers' definitions, sharing no code with the writer.
 */
function referenceLogProbs(c: Cfg, w: Map<string, unknown>, tokens: number[]): Float64Array {
  const type = c.model_type as string;
  const num = (k: string, d?: number): number => (c[k] as number | undefined) ?? (d as number);
  const H = num("hidden_size"), NH = num("num_attention_heads"), KV = num("num_key_value_heads", NH), L = num("num_hidden_layers");
  const D = num("head_dim", H / NH), V = num("vocab_size"), eps = num("rms_norm_eps"), theta = num("rope_theta", 10000);
  const get = (n: string): Float32Array => {
    const x = w.get(n) as Float32Array | undefined;
    if (x === undefined) throw new Error(`no tensor ${n}`);
    return x;
  };
  const has = (n: string): boolean => w.has(n);
  /** y = W x (+ b), W [out, in] row-major. */
  const linear = (W: Float32Array, x: Float64Array, out: number, b?: Float32Array, rowFrom = 0): Float64Array => {
    const inp = x.length;
    const y = new Float64Array(out);
    for (let r = 0; r < out; r++) {
      let s = b === undefined ? 0 : b[r + rowFrom];
      const o = (r + rowFrom) * inp;
      for (let i = 0; i < inp; i++) s += W[o + i] * x[i];
      y[r] = s;
    }
    return y;
  };
  const lin = (name: string, x: Float64Array, out: number, rowFrom = 0): Float64Array =>
    linear(get(`${name}.weight`), x, out, has(`${name}.bias`) ? get(`${name}.bias`) : undefined, rowFrom);
  const rms = (x: Float64Array, g: Float32Array, from = 0, n = x.length): Float64Array => {
    let ms = 0;
    for (let i = 0; i < n; i++) ms += x[from + i] ** 2;
    const r = 1 / Math.sqrt(ms / n + eps);
    return Float64Array.from({ length: n }, (_, i) => x[from + i] * r * (type === "gemma" ? 1 + g[i] : g[i]));
  };
  const silu = (z: number): number => z / (1 + Math.exp(-z));
  const geluTanh = (z: number): number => 0.5 * z * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (z + 0.044715 * z ** 3)));
  // RoPE: inv_freq over the rotary dims (Phi-3's partial_rotary_factor), llama3-scaled when configured
  const rotDims = type === "phi3" ? Math.floor(Math.floor(num("partial_rotary_factor", 1) * H) / NH) : D;
  const invFreq = Float64Array.from({ length: rotDims / 2 }, (_, i) => theta ** (-(2 * i) / rotDims));
  const rs = c.rope_scaling as Record<string, number> | undefined;
  if (rs !== undefined && rs !== null && (rs as unknown as Record<string, unknown>).rope_type === "llama3") {
    const old = rs.original_max_position_embeddings, lo = old / rs.low_freq_factor, hi = old / rs.high_freq_factor;
    invFreq.forEach((f, i) => {
      const wl = (2 * Math.PI) / f;
      if (wl > lo) invFreq[i] = f / rs.factor;
      else if (wl >= hi) {
        const smooth = (old / wl - rs.low_freq_factor) / (rs.high_freq_factor - rs.low_freq_factor);
        invFreq[i] = (1 - smooth) * (f / rs.factor) + smooth * f;
      }
    });
  }
  const rope = (x: Float64Array, pos: number): void => { // rotate_half on each head's first rotDims dims
    for (let h = 0; h < x.length / D; h++) {
      const o = h * D, half = rotDims / 2;
      for (let i = 0; i < half; i++) {
        const a = x[o + i], b = x[o + half + i], ang = pos * invFreq[i];
        x[o + i] = a * Math.cos(ang) - b * Math.sin(ang);
        x[o + half + i] = b * Math.cos(ang) + a * Math.sin(ang);
      }
    }
  };
  const T = tokens.length;
  const embd = get("model.embed_tokens.weight");
  let xs = tokens.map((tok) => Float64Array.from(embd.subarray(tok * H, (tok + 1) * H), (v) => (type === "gemma" ? v * Math.sqrt(H) : v)));
  for (let l = 0; l < L; l++) {
    const p = `model.layers.${l}.`;
    const qs: Float64Array[] = [], ks: Float64Array[] = [], vs: Float64Array[] = [];
    xs.forEach((x, pos) => {
      const h = rms(x, get(`${p}input_layernorm.weight`));
      let q: Float64Array, k: Float64Array, v: Float64Array;
      if (type === "phi3") {
        const qkv = lin(`${p}self_attn.qkv_proj`, h, (NH + 2 * KV) * D);
        [q, k, v] = [qkv.slice(0, NH * D), qkv.slice(NH * D, (NH + KV) * D), qkv.slice((NH + KV) * D)];
      } else {
        [q, k, v] = [lin(`${p}self_attn.q_proj`, h, NH * D), lin(`${p}self_attn.k_proj`, h, KV * D), lin(`${p}self_attn.v_proj`, h, KV * D)];
      }
      if (type === "qwen3") {
        for (const [x2, n, g] of [[q, NH, "q_norm"], [k, KV, "k_norm"]] as const) {
          for (let hh = 0; hh < n; hh++) x2.set(rms(x2, get(`${p}self_attn.${g}.weight`), hh * D, D), hh * D);
        }
      }
      rope(q, pos);
      rope(k, pos);
      qs.push(q), ks.push(k), vs.push(v);
    });
    xs = xs.map((x, pos) => {
      const att = new Float64Array(NH * D);
      for (let hh = 0; hh < NH; hh++) {
        const kh = Math.floor(hh / (NH / KV));
        const sc = Array.from({ length: pos + 1 }, (_, s) => {
          let d = 0;
          for (let i = 0; i < D; i++) d += qs[pos][hh * D + i] * ks[s][kh * D + i];
          return d / Math.sqrt(D);
        });
        const m = Math.max(...sc), e = sc.map((z) => Math.exp(z - m)), z = e.reduce((a, b) => a + b, 0);
        for (let s = 0; s <= pos; s++) for (let i = 0; i < D; i++) att[hh * D + i] += (e[s] / z) * vs[s][kh * D + i];
      }
      const y = Float64Array.from(x);
      lin(`${p}self_attn.o_proj`, att, H).forEach((o, i) => (y[i] += o));
      const h2 = rms(y, get(`${p}post_attention_layernorm.weight`));
      const mlp = (gate: Float64Array, up: Float64Array, down: (a: Float64Array) => Float64Array): Float64Array =>
        down(gate.map((g, i) => (type === "gemma" ? geluTanh(g) : silu(g)) * up[i]));
      let out: Float64Array;
      if (type === "phi3") {
        const I = get(`${p}mlp.gate_up_proj.weight`).length / H / 2;
        const gu = lin(`${p}mlp.gate_up_proj`, h2, 2 * I);
        out = mlp(gu.slice(0, I), gu.slice(I), (a) => lin(`${p}mlp.down_proj`, a, H));
      } else if (type === "mixtral") {
        const E = num("num_local_experts"), K = num("num_experts_per_tok", 2), I = num("intermediate_size");
        const logits = lin(`${p}block_sparse_moe.gate`, h2, E);
        const m = Math.max(...logits), pr = Array.from(logits, (z) => Math.exp(z - m)), z = pr.reduce((a, b) => a + b, 0);
        const top = pr.map((v, e) => [v / z, e]).sort((a, b) => b[0] - a[0]).slice(0, K);
        const sum = top.reduce((a, [v]) => a + v, 0);
        out = new Float64Array(H);
        for (const [wt, e] of top) {
          const x3 = `${p}block_sparse_moe.experts.${e}.`;
          const y3 = mlp(lin(`${x3}w1`, h2, I), lin(`${x3}w3`, h2, I), (a) => lin(`${x3}w2`, a, H));
          y3.forEach((v, i) => (out[i] += (wt / sum) * v));
        }
      } else {
        const I = num("intermediate_size");
        out = mlp(lin(`${p}mlp.gate_proj`, h2, I), lin(`${p}mlp.up_proj`, h2, I), (a) => lin(`${p}mlp.down_proj`, a, H));
      }
      out.forEach((o, i) => (y[i] += o));
      return y;
    });
  }
  const hf = rms(xs[T - 1], get("model.norm.weight"));
  const logits = linear(has("lm_head.weight") ? get("lm_head.weight") : embd, hf, V);
  const m = Math.max(...logits);
  const lse = m + Math.log(logits.reduce((a, z) => a + Math.exp(z - m), 0));
  return logits.map((z) => z - lse);
}

/** LayerNorm with weight g and bias b over x (float64 reference; GPT-2 and BERT). */
function layerNormRef(x: Float64Array, g: Float32Array, b: Float32Array, eps: number): Float64Array {
  const mean = x.reduce((a, v) => a + v, 0) / x.length;
  const variance = x.reduce((a, v) => a + (v - mean) ** 2, 0) / x.length;
  const r = 1 / Math.sqrt(variance + eps);
  return x.map((v, i) => (v - mean) * r * g[i] + b[i]);
}

/**
 * GPT-2's next-token log-probabilities in float64, as transformers' modeling_gpt2.py computes them
 * from the HF tensors: token + learned position embeddings, pre-LayerNorm blocks (weight and bias),
 * Conv1D layers y = x W + b with W stored [in, out], c_attn's output split [q; k; v] into heads of
 * n_embd / n_head, causal attention scaled by 1 / sqrt(head size), GELU's tanh approximation
 * (gelu_new), ln_f, then the tied wte (or lm_head). Shares no code with the writer.
 */
function gpt2ReferenceLogProbs(c: Cfg, w: Map<string, unknown>, tokens: number[]): Float64Array {
  const E = c.n_embd as number, NH = c.n_head as number, L = c.n_layer as number, V = c.vocab_size as number;
  const eps = (c.layer_norm_epsilon as number | undefined) ?? 1e-5, D = E / NH;
  const get = (n: string): Float32Array => {
    const x = w.get(n) as Float32Array | undefined;
    if (x === undefined) throw new Error(`no tensor ${n}`);
    return x;
  };
  /** Conv1D: y[o] = b[o] + sum_i x[i] W[i, o], W [in, out] row-major. */
  const conv1d = (name: string, x: Float64Array): Float64Array => {
    const W = get(`${name}.weight`), b = get(`${name}.bias`);
    const out = b.length;
    const y = Float64Array.from(b);
    for (let i = 0; i < x.length; i++) for (let o = 0; o < out; o++) y[o] += x[i] * W[i * out + o];
    return y;
  };
  const layerNorm = (x: Float64Array, name: string): Float64Array => layerNormRef(x, get(`${name}.weight`), get(`${name}.bias`), eps);
  const geluNew = (z: number): number => 0.5 * z * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (z + 0.044715 * z ** 3)));
  const wte = get("transformer.wte.weight"), wpe = get("transformer.wpe.weight");
  let xs = tokens.map((tok, pos) => Float64Array.from({ length: E }, (_, i) => wte[tok * E + i] + wpe[pos * E + i]));
  for (let l = 0; l < L; l++) {
    const p = `transformer.h.${l}.`;
    const qkv = xs.map((x) => conv1d(`${p}attn.c_attn`, layerNorm(x, `${p}ln_1`)));
    xs = xs.map((x, pos) => {
      const att = new Float64Array(E);
      for (let h = 0; h < NH; h++) {
        const sc = Array.from({ length: pos + 1 }, (_, s) => {
          let d = 0;
          for (let i = 0; i < D; i++) d += qkv[pos][h * D + i] * qkv[s][E + h * D + i];
          return d / Math.sqrt(D);
        });
        const m = Math.max(...sc), e = sc.map((z) => Math.exp(z - m)), z = e.reduce((a, b) => a + b, 0);
        for (let s = 0; s <= pos; s++) for (let i = 0; i < D; i++) att[h * D + i] += (e[s] / z) * qkv[s][2 * E + h * D + i];
      }
      const y = Float64Array.from(x);
      conv1d(`${p}attn.c_proj`, att).forEach((o, i) => (y[i] += o));
      const up = conv1d(`${p}mlp.c_fc`, layerNorm(y, `${p}ln_2`)).map(geluNew);
      conv1d(`${p}mlp.c_proj`, up).forEach((o, i) => (y[i] += o));
      return y;
    });
  }
  const hf = layerNorm(xs[tokens.length - 1], "transformer.ln_f");
  const head = w.has("lm_head.weight") ? get("lm_head.weight") : wte; // [V, E], as nn.Linear
  const logits = Float64Array.from({ length: V }, (_, v) => hf.reduce((a, x, i) => a + x * head[v * E + i], 0));
  const m = Math.max(...logits);
  const lse = m + Math.log(logits.reduce((a, z) => a + Math.exp(z - m), 0));
  return logits.map((z) => z - lse);
}

// --- a real client -----------------------------------------------------------------------------

const LLAMA_DIR = process.env.NNINIT_LLAMA_DIR ?? join(root, ".nninit-tmp", "llama");
const LLAMA_ENTRY = join(LLAMA_DIR, "node_modules", "node-llama-cpp", "dist", "index.js");
const required = process.env.NNINIT_REQUIRE_SHIP === "1";
const absent = !existsSync(LLAMA_ENTRY);

// Under the sanitizers (.ci/sanitizers asan: libasan preloaded) llama.cpp's own uninstrumented
// native code would run in the instrumented process and test nothing of nninit's: skipped there.
const sanitizer = process.env.NNINIT_SANITIZER;
const llamaSkip = sanitizer !== undefined && sanitizer !== "" ? `NNINIT_SANITIZER=${sanitizer}: llama.cpp's native code is not nninit's`
  : absent && !required ? `node-llama-cpp is not installed in ${LLAMA_DIR} (run scripts/install-llama.sh)` : false;

t.test("node-llama-cpp 3.21.1 loads nninit's GGUF files and generates", { skip: llamaSkip }, async (t) => {
  if (absent) return void t.fail(`NNINIT_REQUIRE_SHIP=1 but node-llama-cpp is not installed in ${LLAMA_DIR} (run scripts/install-llama.sh)`);
  // ESM: a real dynamic import (not turned into require by the TypeScript loader).
  const dynamicImport = new Function("u", "return import(u)") as (u: string) => Promise<Record<string, any>>;
  const lib = await dynamicImport(pathToFileURL(LLAMA_ENTRY).href);
  t.equal(JSON.parse(readFileSync(join(LLAMA_DIR, "node_modules", "node-llama-cpp", "package.json"), "utf8")).version, "3.21.1");
  const llama = await lib.getLlama({ gpu: false, build: "never", usePrebuiltBinaries: true, progressLogs: false, logLevel: lib.LlamaLogLevel.error });
  t.teardown(() => llama.dispose());
  const cases: [string, object, GgufOptions][] = [
    ["llama-f16", TINY, { seed: 1, dtype: "f16" }],
    ["llama-q4_0", TINY, { seed: 1, dtype: "q4_0" }],
    ["llama-q8_0", TINY, { seed: 1, dtype: "q8_0" }],
    ["qwen2-f16", QWEN, { seed: 1, dtype: "f16" }],
    ["llama3-rope-q4_0", LLAMA3, { seed: 1, dtype: "q4_0" }],
    ["gemma-f16", GEMMA, { seed: 1, dtype: "f16" }],
    ["phi3-q4_0", PHI3, { seed: 1, dtype: "q4_0" }],
    ["mixtral-q4_0", MIXTRAL, { seed: 1, dtype: "q4_0" }],
    ["mixtral-f16", MIXTRAL, { seed: 1, dtype: "f16" }],
    ["gpt2-f16", GPT2, { seed: 1, dtype: "f16" }],
    ["gpt2-q4_0", GPT2, { seed: 1, dtype: "q4_0" }],
  ];
  for (const [name, config, options] of cases) {
    const path = join(work, `${name}.gguf`);
    await writeGguf(path, config, options);
    const model = await llama.loadModel({ modelPath: path });
    t.equal(model.tokens.bos, 1, `${name}: bos token`);
    const ctx = await model.createContext({ contextSize: 64, threads: 2 });
    const completion = new lib.LlamaCompletion({ contextSequence: ctx.getSequence() });
    const tokens: number[] = [];
    const text: string = await completion.generateCompletion("Hello", { maxTokens: 6, temperature: 0, onToken: (ts: number[]) => tokens.push(...ts) });
    // maxTokens bounds the tokens generated; onToken may also see the one that ended generation.
    t.ok(tokens.length >= 6 && tokens.length <= 7, `${name}: generated ${tokens.length} tokens`);
    t.ok(tokens.every((x) => Number.isInteger(x) && x >= 0 && x < 512), `${name}: token ids in the vocabulary (${tokens.join(" ")})`);
    t.comment(`${name}: "Hello" -> ${JSON.stringify(text)} [${tokens.join(" ")}]`);
    // Greedy decoding of the same file is deterministic.
    await ctx.dispose();
    const ctx2 = await model.createContext({ contextSize: 64, threads: 2 });
    const again: number[] = [];
    await new lib.LlamaCompletion({ contextSequence: ctx2.getSequence() }).generateCompletion("Hello", { maxTokens: 6, temperature: 0, onToken: (ts: number[]) => again.push(...ts) });
    t.same(again, tokens, `${name}: greedy generation repeats`);
    await ctx2.dispose();
    await model.dispose();
  }
});

t.test("node-llama-cpp computes the model of a transformers-style forward pass over initModel's tensors (bert: its embeddings)", { skip: llamaSkip }, async (t) => {
  if (absent) return void t.fail(`NNINIT_REQUIRE_SHIP=1 but node-llama-cpp is not installed in ${LLAMA_DIR}`);
  const dynamicImport = new Function("u", "return import(u)") as (u: string) => Promise<Record<string, any>>;
  const lib = await dynamicImport(pathToFileURL(LLAMA_ENTRY).href);
  const llama = await lib.getLlama({ gpu: false, build: "never", usePrebuiltBinaries: true, progressLogs: false, logLevel: lib.LlamaLogLevel.error });
  t.teardown(() => llama.dispose());
  const big = { initializer_range: 0.5 };
  const cases: [string, Cfg][] = [
    ["llama", { ...TINY, ...big }],
    ["llama3-rope", { ...LLAMA3, ...big }],
    ["qwen2", { ...QWEN, ...big }],
    ["qwen3", { architectures: ["Qwen3ForCausalLM"], model_type: "qwen3", vocab_size: 512, hidden_size: 64, intermediate_size: 128, num_hidden_layers: 2,
      num_attention_heads: 4, num_key_value_heads: 2, head_dim: 16, max_position_embeddings: 256, rms_norm_eps: 1e-6, rope_theta: 1000000, tie_word_embeddings: true, ...big }],
    ["gemma", { ...GEMMA, ...big }],
    ["phi3", { ...PHI3, ...big, partial_rotary_factor: 0.5 }],
    ["mixtral", { ...MIXTRAL, ...big }],
    ["gpt2", { ...GPT2, ...big }],
    ["gpt2-untied", { ...GPT2, ...big, tie_word_embeddings: false, n_inner: 96 }],
  ];
  const tokens = Array.from({ length: 24 }, (_, i) => (i === 0 ? 1 : 260 + ((i * 37) % 240)));
  for (const [name, config] of cases) {
    const path = join(work, `ref-${name}.gguf`);
    await writeGguf(path, config, { seed: 21, dtype: "f32" });
    const model = await llama.loadModel({ modelPath: path });
    const ctx = await model.createContext({ contextSize: 64, threads: 2 });
    let probs: Map<number, number> | undefined;
    for await (const out of ctx.getSequence().evaluateWithMetadata(tokens, { probabilities: true }, { temperature: 0 })) {
      probs = out.probabilities;
      break;
    }
    await ctx.dispose();
    await model.dispose();
    const reference = config.model_type === "gpt2" ? gpt2ReferenceLogProbs : referenceLogProbs;
    const ref = reference(config, initModel(presetFromConfig(config), { seed: 21 }), tokens);
    const noScale = name === "llama3-rope" ? referenceLogProbs({ ...config, rope_scaling: null }, initModel(presetFromConfig(config), { seed: 21 }), tokens) : null;
    let worst = 0, worstNo = 0, top = -1, topP = -Infinity;
    ref.forEach((lp, tok) => {
      if (lp > topP) (topP = lp), (top = tok);
      if (lp > Math.log(1e-3)) {
        worst = Math.max(worst, Math.abs(lp - Math.log(probs!.get(tok) ?? 0)));
        if (noScale) worstNo = Math.max(worstNo, Math.abs(noScale[tok] - Math.log(probs!.get(tok) ?? 0)));
      }
    });
    const cppTop = [...probs!.entries()].sort((a, b) => b[1] - a[1])[0][0];
    t.comment(`${name}: top ${top} (p ${Math.exp(topP).toFixed(4)}) vs ${cppTop}; worst |dlogp| ${worst.toExponential(3)}${noScale ? `, without the llama3 scaling ${worstNo.toExponential(3)}` : ""}`);
    t.equal(cppTop, top, `${name}: the same most likely next token`);
    // llama.cpp computes in float32 with a float16 KV cache: about 1e-2 here; a wrong layout or transform is off by units
    t.ok(worst < 0.1, `${name}: log-probabilities of the tokens with p > 0.001 within 0.1 (${worst.toExponential(2)})`);
    if (noScale) t.ok(worstNo > 1, `${name}: without rope_freqs the reference is another model (${worstNo.toFixed(2)})`);
  }
  await t.test("bert: embeddings, those of a transformers-style forward pass", (t) => bertClientChecks(t, llama));
});

/**
 * BERT's mean-pooled last hidden states in float64, as transformers' modeling_bert.py computes
 * them from the HF tensors (BertModel without its pooler): word + position + token type 0
 * embeddings, LayerNorm; per layer, bidirectional attention scaled by 1 / sqrt(head size), the
 * output dense + residual, LayerNorm, GELU (erf: hidden_act "gelu") intermediate, output dense +
 * residual, LayerNorm; then the mean over the tokens (the file's pooling_type MEAN). Shares no
 * code with the writer.
 */
function bertReferenceEmbedding(c: Cfg, w: Map<string, unknown>, tokens: number[], prefix: string): Float64Array {
  const H = c.hidden_size as number, NH = c.num_attention_heads as number, L = c.num_hidden_layers as number, eps = c.layer_norm_eps as number, D = H / NH;
  const get = (n: string): Float32Array => {
    const x = w.get(prefix + n) as Float32Array | undefined;
    if (x === undefined) throw new Error(`no tensor ${prefix + n}`);
    return x;
  };
  /** nn.Linear: y = W x + b, W [out, in] row-major. */
  const linear = (name: string, x: Float64Array): Float64Array => {
    const W = get(`${name}.weight`), b = get(`${name}.bias`);
    return Float64Array.from(b, (bo, o) => {
      let s = bo;
      for (let i = 0; i < x.length; i++) s += W[o * x.length + i] * x[i];
      return s;
    });
  };
  const layerNorm = (x: Float64Array, name: string): Float64Array => layerNormRef(x, get(`${name}.weight`), get(`${name}.bias`), eps);
  // erf by Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7)
  const erf = (z: number): number => {
    const s = Math.sign(z), a = Math.abs(z), u = 1 / (1 + 0.3275911 * a);
    return s * (1 - (((((1.061405429 * u - 1.453152027) * u + 1.421413741) * u - 0.284496736) * u + 0.254829592) * u) * Math.exp(-a * a));
  };
  const gelu = (z: number): number => 0.5 * z * (1 + erf(z / Math.SQRT2));
  const we = get("embeddings.word_embeddings.weight"), pe = get("embeddings.position_embeddings.weight"), te = get("embeddings.token_type_embeddings.weight");
  let xs = tokens.map((tok, pos) => layerNorm(Float64Array.from({ length: H }, (_, i) => we[tok * H + i] + pe[pos * H + i] + te[i]), "embeddings.LayerNorm"));
  for (let l = 0; l < L; l++) {
    const p = `encoder.layer.${l}.`;
    const q = xs.map((x) => linear(`${p}attention.self.query`, x)), k = xs.map((x) => linear(`${p}attention.self.key`, x)), v = xs.map((x) => linear(`${p}attention.self.value`, x));
    xs = xs.map((x, pos) => {
      const att = new Float64Array(H);
      for (let h = 0; h < NH; h++) {
        const sc = k.map((ks) => {
          let d = 0;
          for (let i = 0; i < D; i++) d += q[pos][h * D + i] * ks[h * D + i];
          return d / Math.sqrt(D);
        });
        const m = Math.max(...sc), e = sc.map((z) => Math.exp(z - m)), z = e.reduce((a, b) => a + b, 0);
        for (let s = 0; s < xs.length; s++) for (let i = 0; i < D; i++) att[h * D + i] += (e[s] / z) * v[s][h * D + i];
      }
      const o = linear(`${p}attention.output.dense`, att).map((y, i) => y + x[i]);
      const a = layerNorm(o, `${p}attention.output.LayerNorm`);
      const f = linear(`${p}output.dense`, linear(`${p}intermediate.dense`, a).map(gelu)).map((y, i) => y + a[i]);
      return layerNorm(f, `${p}output.LayerNorm`);
    });
  }
  return Float64Array.from({ length: H }, (_, i) => xs.reduce((s, x) => s + x[i], 0) / xs.length);
}

/**
 * node-llama-cpp (`llama`, its getLlama()) loads bert files (F16; BertForMaskedLM Q4_0) and
 * computes embeddings (createEmbeddingContext, getEmbeddingFor) of hidden_size finite values, and
 * those of F32 files are the float64 forward pass's (bertReferenceEmbedding). Run by the
 * forward-pass test, whose llama it shares (getLlama costs about 2 s).
 */
async function bertClientChecks(t: Test, llama: any): Promise<void> {
  const embed = async (path: string, input: string | number[]): Promise<{ vector: number[]; tokens: number[] }> => {
    const model = await llama.loadModel({ modelPath: path });
    const ctx = await model.createEmbeddingContext({ contextSize: 64, threads: 2 });
    const { vector } = await ctx.getEmbeddingFor(input);
    const tokens: number[] = typeof input === "string" ? model.tokenize(input) : input;
    await ctx.dispose();
    await model.dispose();
    return { vector: [...vector], tokens };
  };
  for (const [name, config, dtype] of [["bert-f16", BERT, "f16"], ["bert-mlm-q4_0", { ...BERT, architectures: ["BertForMaskedLM"] }, "q4_0"]] as const) {
    const path = join(work, `client-${name}.gguf`);
    await writeGguf(path, config, { seed: 1, dtype });
    const { vector, tokens } = await embed(path, "Hello");
    t.comment(`${name}: "Hello" -> tokens [${tokens.join(" ")}], embedding [${vector.slice(0, 3).map((x) => x.toFixed(4)).join(", ")}, ...]`);
    t.equal(vector.length, 64, `${name}: hidden_size values`);
    t.ok(vector.every(Number.isFinite) && vector.some((x) => x !== 0), `${name}: finite, not all zero`);
  }
  // The float64 reference: [CLS] pieces [SEP], mean-pooled; F32 files, wide weights so that every layer matters.
  const tokens = [2, ...Array.from({ length: 14 }, (_, i) => 5 + ((i * 53) % 500)), 3];
  for (const [name, config, prefix] of [["BertModel", { ...BERT, initializer_range: 0.5 }, ""], ["BertForMaskedLM", { ...BERT, architectures: ["BertForMaskedLM"], initializer_range: 0.5 }, "bert."]] as const) {
    const path = join(work, `ref-bert-${name}.gguf`);
    await writeGguf(path, config, { seed: 21, dtype: "f32" });
    const { vector } = await embed(path, tokens);
    const ref = bertReferenceEmbedding(config, initModel(presetFromConfig(config), { seed: 21 }), tokens, prefix);
    const norm = Math.sqrt(ref.reduce((a, x) => a + x * x, 0));
    const err = Math.sqrt(ref.reduce((a, x, i) => a + (x - vector[i]) ** 2, 0)) / norm;
    // another model (seed 22) for scale: a wrong layout or transform is off by about sqrt(2)
    const other = bertReferenceEmbedding(config, initModel(presetFromConfig(config), { seed: 22 }), tokens, prefix);
    const otherErr = Math.sqrt(other.reduce((a, x, i) => a + (x - vector[i]) ** 2, 0)) / norm;
    t.comment(`${name}: |llama.cpp - reference| / |reference| = ${err.toExponential(3)} (another seed's model: ${otherErr.toFixed(3)})`);
    t.ok(err < 5e-3, `${name}: llama.cpp's mean-pooled embedding within 0.5% of the float64 forward pass (${err.toExponential(2)})`);
    t.ok(otherErr > 0.5, `${name}: another seed's model is far (${otherErr.toFixed(2)})`);
  }
}
