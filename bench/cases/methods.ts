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

/** nninit's fan presets that have a tfjs peer (each takes only the shape and the common options here). */
type FanPreset = "xavierUniform" | "xavierNormal" | "kaimingUniform" | "kaimingNormal" | "lecunUniform" | "lecunNormal";
/** tfjs's fan presets (`tf.initializers.*`, each taking only a seed). */
type TfjsPreset = "glorotUniform" | "glorotNormal" | "heUniform" | "heNormal" | "leCunUniform" | "leCunNormal";

/** The peer: tfjs's preset `name` on the Keras shape of n elements. */
function tfjsPreset(name: TfjsPreset): MethodCase["tfjs"] {
  return (tf, n) => tf.initializers[name]({ seed: SEED }).apply(kerasShape(n), "float32");
}

/** A fan preset's row: nninit's `method` on the torch shape, against tfjs's preset `peer` (labelled `label`). */
function fanCase(method: FanPreset, kernel: MethodCase["kernel"], peer: TfjsPreset, label: string = peer): MethodCase {
  return {
    id: method, kernel, peer: label,
    nninit: (nn, out, t) => {
      // the Float32Array overload the six share (TypeScript cannot call their union of overloads)
      const fill: (out: Float32Array, shape: number[], options: ReturnType<typeof opts>) => unknown = nn[method];
      return fill(out, torchShape(out.length), opts(t));
    },
    tfjs: tfjsPreset(peer),
  };
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
  fanCase("xavierUniform", "uniform", "glorotUniform"),
  fanCase("xavierNormal", "normal", "glorotNormal", "glorotNormal (truncated)"),
  fanCase("kaimingUniform", "uniform", "heUniform"),
  fanCase("kaimingNormal", "normal", "heNormal", "heNormal (truncated)"),
  fanCase("lecunUniform", "uniform", "leCunUniform"),
  fanCase("lecunNormal", "truncNormal", "leCunNormal"),
  {
    id: "varianceScaling", kernel: "truncNormal", peer: "heNormal",
    nninit: (nn, out, t) =>
      nn.varianceScaling(out, torchShape(out.length), { scale: 2, mode: "fanIn", distribution: "truncatedNormal", ...opts(t) }),
    tfjs: tfjsPreset("heNormal"),
  },
];
