/**
 * The elementwise methods the bench runs, each as an nninit call and as its TensorFlow.js peer.
 * Fan presets fill a 2-D weight of n = fanOut × 1024 elements with fanIn = 1024 in both
 * libraries: [n/1024, 1024] in nninit's default torch layout ([out, in]) and [1024, n/1024] in
 * tfjs's [in, out].
 *
 * Peers are the tfjs call a user would replace. Where the distributions differ this says so:
 * tfjs's glorotNormal / heNormal are truncated normals, nninit's xavierNormal / kaimingNormal
 * are untruncated (PyTorch). The varianceScaling row is Keras's heNormal (scale 2, fanIn,
 * truncated normal): the same distribution as its peer, tfjs heNormal. (tfjs 4.22's own
 * VarianceScaling would not do as the peer: it treats distribution "truncatedNormal" as uniform.)
 *
 * The rows are the elementwise, fan and constant methods of the method table
 * (lib/plan/methods.ts; zeros and ones are the constant row with another value): the bench
 * compiles on its own (rootDir bench/) against the built package, so it cannot import the table,
 * and test/validation.test.ts checks instead that these ids are exactly those methods.
 */
import type * as Nninit from "../../dist/index.js";
import type * as Tf from "@tensorflow/tfjs";

type NninitModule = typeof Nninit;
type TfModule = typeof Tf;

export interface MethodCase {
  /** Row label. */
  id: string;
  /** The nninit kernel that runs (uniform / normal / truncNormal / constant). */
  kernel: "uniform" | "normal" | "truncNormal" | "constant";
  /**
   * Fills `out` with nninit; `threads` undefined = the library default. Returns what the call
   * returns: with nninit/promises passed as `nn` (the same names), its Promise.
   */
  nninit(nn: NninitModule, out: Float32Array, threads: number | undefined): unknown;
  /** The tfjs peer's name, as shown in the table. */
  peer: string;
  /** Makes the peer's tensor of n elements (the caller reads it with dataSync and disposes it). */
  tfjs(tf: TfModule, n: number): Tf.Tensor;
}

const SEED = 1;
const FAN_IN = 1024;

/** nninit's [out, in] shape of n elements with fanIn = 1024 (n < 1024: one row of n). */
export function torchShape(n: number): number[] {
  return n >= FAN_IN ? [n / FAN_IN, FAN_IN] : [1, n];
}

function kerasShape(n: number): number[] {
  return n >= FAN_IN ? [FAN_IN, n / FAN_IN] : [n, 1];
}

function opts(threads: number | undefined): { seed: number; threads?: number } {
  return threads === undefined ? { seed: SEED } : { seed: SEED, threads };
}

export const METHODS: readonly MethodCase[] = [
  {
    id: "uniform", kernel: "uniform", peer: "randomUniform",
    nninit: (nn, out, t) => nn.uniform(out, { low: -0.1, high: 0.1, ...opts(t) }),
    tfjs: (tf, n) => tf.randomUniform([n], -0.1, 0.1, "float32", SEED),
  },
  {
    id: "normal", kernel: "normal", peer: "randomNormal",
    nninit: (nn, out, t) => nn.normal(out, { std: 0.02, ...opts(t) }),
    tfjs: (tf, n) => tf.randomNormal([n], 0, 0.02, "float32", SEED),
  },
  {
    id: "truncNormal", kernel: "truncNormal", peer: "truncatedNormal",
    nninit: (nn, out, t) => nn.truncNormal(out, { std: 0.02, a: -0.04, b: 0.04, ...opts(t) }),
    tfjs: (tf, n) => tf.truncatedNormal([n], 0, 0.02, "float32", SEED),
  },
  {
    id: "constant", kernel: "constant", peer: "fill",
    nninit: (nn, out, t) => nn.constant(out, 0.5, t === undefined ? undefined : { threads: t }),
    tfjs: (tf, n) => tf.fill([n], 0.5),
  },
  {
    id: "xavierUniform", kernel: "uniform", peer: "glorotUniform",
    nninit: (nn, out, t) => nn.xavierUniform(out, torchShape(out.length), opts(t)),
    tfjs: (tf, n) => tf.initializers.glorotUniform({ seed: SEED }).apply(kerasShape(n), "float32"),
  },
  {
    id: "xavierNormal", kernel: "normal", peer: "glorotNormal (truncated)",
    nninit: (nn, out, t) => nn.xavierNormal(out, torchShape(out.length), opts(t)),
    tfjs: (tf, n) => tf.initializers.glorotNormal({ seed: SEED }).apply(kerasShape(n), "float32"),
  },
  {
    id: "kaimingUniform", kernel: "uniform", peer: "heUniform",
    nninit: (nn, out, t) => nn.kaimingUniform(out, torchShape(out.length), opts(t)),
    tfjs: (tf, n) => tf.initializers.heUniform({ seed: SEED }).apply(kerasShape(n), "float32"),
  },
  {
    id: "kaimingNormal", kernel: "normal", peer: "heNormal (truncated)",
    nninit: (nn, out, t) => nn.kaimingNormal(out, torchShape(out.length), opts(t)),
    tfjs: (tf, n) => tf.initializers.heNormal({ seed: SEED }).apply(kerasShape(n), "float32"),
  },
  {
    id: "lecunUniform", kernel: "uniform", peer: "leCunUniform",
    nninit: (nn, out, t) => nn.lecunUniform(out, torchShape(out.length), opts(t)),
    tfjs: (tf, n) => tf.initializers.leCunUniform({ seed: SEED }).apply(kerasShape(n), "float32"),
  },
  {
    id: "lecunNormal", kernel: "truncNormal", peer: "leCunNormal",
    nninit: (nn, out, t) => nn.lecunNormal(out, torchShape(out.length), opts(t)),
    tfjs: (tf, n) => tf.initializers.leCunNormal({ seed: SEED }).apply(kerasShape(n), "float32"),
  },
  {
    id: "varianceScaling", kernel: "truncNormal", peer: "heNormal",
    nninit: (nn, out, t) =>
      nn.varianceScaling(out, torchShape(out.length), { scale: 2, mode: "fanIn", distribution: "truncatedNormal", ...opts(t) }),
    tfjs: (tf, n) => tf.initializers.heNormal({ seed: SEED }).apply(kerasShape(n), "float32"),
  },
];
