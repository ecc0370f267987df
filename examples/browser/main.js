// nninit in a browser page: a small tfjs model initialized by nninit and by tfjs (timed), and
// nninit fills for fixed seeds, whose SHA-256 test/browser.test.ts compares with Node's.
// Build and serve it with esbuild (index.html loads dist/main.js; docs/browser.md):
//   npx esbuild examples/browser/main.js --bundle --format=esm --outdir=examples/browser/dist --servedir=examples/browser
// package.json's "browser" field gives the bundle nninit's browser build (wasm backend, no node: module).
import * as tf from "@tensorflow/tfjs";
import { backend, Generator, normal, orthogonal, truncNormal, uniform, xavierUniform } from "nninit";
import * as nninitTf from "nninit/tfjs";
import { kaimingNormal as kaimingNormalAsync, normal as normalAsync, truncNormal as truncNormalAsync } from "nninit/promises";

const N = 4099; // a few thousand elements, not a multiple of the stream's block

/** The fills, name -> () => the filled array (or a Promise of it). test/browser.test.ts has the same list. */
const FILLS = {
  "normal f32 seed 1": () => normal(new Float32Array(N), { std: 0.02, seed: 1 }),
  "normal f64 seed 2": () => normal(new Float64Array(N), { mean: 1, std: 3, seed: 2 }),
  "normal float16 seed 3": () => normal(new Uint16Array(N), { dtype: "float16", seed: 3 }),
  "normal bfloat16 seed 4": () => normal(new Uint16Array(N), { dtype: "bfloat16", seed: 4 }),
  "truncNormal f32 seed 5": () => truncNormal(new Float32Array(N), { std: 0.5, a: -1, b: 1, seed: 5 }),
  "uniform f32 seed 6": () => uniform(new Float32Array(N), { low: -2, high: 3, seed: 6 }),
  "uniform f32 seed 7 offset 1000": () => uniform(new Float32Array(N), { seed: 7, offset: 1000 }),
  "xavierUniform 64x64 seed 8": () => xavierUniform(new Float32Array(64 * 64), [64, 64], { seed: 8 }),
  "orthogonal 48x32 seed 9": () => orthogonal(new Float32Array(48 * 32), [48, 32], { seed: 9 }),
  "normal f32 generator 10, 2nd call": () => {
    const g = new Generator(10);
    normal(new Float32Array(16), { generator: g });
    return normal(new Float32Array(N), { generator: g });
  },
  "normal f32 300000 seed 11": () => normal(new Float32Array(300000), { seed: 11 }), // several wasm scratch chunks
  "promises kaimingNormal 128x64 seed 12": () => kaimingNormalAsync(new Float32Array(128 * 64), [128, 64], { seed: 12 }),
  // several pieces of the wasm worker pool (262144 elements each), on two workers
  "promises normal f32 1000000 seed 13": () => normalAsync(new Float32Array(1000000), { seed: 13, threads: 2 }),
  "promises truncNormal bfloat16 700001 seed 14 offset 5": () =>
    truncNormalAsync(new Uint16Array(700001), { dtype: "bfloat16", seed: 14, offset: 5 }),
};

/**
 * Turns of this page's event loop (a setTimeout(0) chain) while `fill` runs: 0 when the fill runs
 * on this thread (it then runs in one piece before any timer), more when it runs on workers.
 */
async function turnsDuring(fill) {
  let turns = 0;
  let done = false;
  const tick = () => {
    if (done) return;
    turns++;
    setTimeout(tick, 0);
  };
  setTimeout(tick, 0);
  await fill();
  done = true;
  return turns;
}

/** The model, with `init` giving each weight's initializer. test/browser.test.ts builds the same. */
function buildModel(init) {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ inputShape: [16, 16, 3], filters: 8, kernelSize: 3, activation: "relu",
    kernelInitializer: init.conv, biasInitializer: init.convBias }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 64, activation: "relu", kernelInitializer: init.dense }));
  model.add(tf.layers.dense({ units: 10, kernelInitializer: init.head }));
  return model;
}

// A factory per initializer set: a fresh set of initializer objects for each build.
const INITS = {
  nninit: () => ({ conv: nninitTf.heNormal({ seed: 21 }), convBias: nninitTf.randomNormal({ stddev: 0.01, seed: 22 }),
    dense: nninitTf.glorotUniform({ seed: 23 }), head: nninitTf.orthogonal({ seed: 24 }) }),
  tfjs: () => ({ conv: tf.initializers.heNormal({ seed: 21 }), convBias: tf.initializers.randomNormal({ stddev: 0.01, seed: 22 }),
    dense: tf.initializers.glorotUniform({ seed: 23 }), head: tf.initializers.orthogonal({ seed: 24 }) }),
};

function bytesOf(a) {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

async function sha256(a) {
  const digest = await crypto.subtle.digest("SHA-256", bytesOf(a));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Builds the model `runs` times; the first build's time and the best of the others, in ms. */
function time(init, runs) {
  const ms = [];
  let model = null;
  for (let i = 0; i < runs; i++) {
    if (model !== null) model.dispose();
    const t0 = performance.now();
    model = buildModel(init());
    ms.push(performance.now() - t0);
  }
  return { model, first: ms[0], best: Math.min(...ms.slice(1)) };
}

function row(table, cells, hashColumn) {
  const tr = document.createElement("tr");
  cells.forEach((text, i) => {
    const td = document.createElement("td");
    td.textContent = String(text);
    if (i === hashColumn) td.className = "hash";
    tr.append(td);
  });
  document.getElementById(table).append(tr);
}

async function main() {
  const result = { backend: { ...backend }, tfjsBackend: null, times: {}, fills: {}, weights: [], asyncTurns: null };
  document.getElementById("backend").textContent =
    `${backend.name} (isa ${backend.isa}; nninit/promises fills on up to ${backend.threads} workers)`;
  await tf.setBackend("cpu"); // the reference backend: the same everywhere, no GPU needed
  await tf.ready();
  result.tfjsBackend = tf.getBackend();

  for (const [name, fill] of Object.entries(FILLS)) {
    const a = await fill();
    const dtype = a instanceof Float64Array ? "float64" : a instanceof Float32Array ? "float32"
      : name.includes("bfloat16") ? "bfloat16" : "float16"; // a Uint16Array holds one of the half types
    result.fills[name] = { length: a.length, dtype, sha256: await sha256(a) };
    row("fills", [name, a.length, dtype, result.fills[name].sha256], 3);
  }

  result.asyncTurns = await turnsDuring(() => normalAsync(new Float32Array(4 << 20), { seed: 15 }));
  document.getElementById("turns").textContent = String(result.asyncTurns);

  // a warm-up build with zeros everywhere: tfjs's own one-time costs (layers, tensors) land on neither side
  const zeros = () => tf.initializers.zeros();
  buildModel({ conv: zeros(), convBias: zeros(), dense: zeros(), head: zeros() }).dispose();
  const runs = 3; // (the fills above compiled nninit's wasm module already)
  const tfjs = time(INITS.tfjs, runs);
  tfjs.model.dispose();
  const ours = time(INITS.nninit, runs);
  for (const [name, t] of [["nninit/tfjs", ours], ["tfjs", tfjs]]) {
    result.times[name] = { firstMs: t.first, bestMs: t.best };
    row("times", [name, t.first.toFixed(2), t.best.toFixed(2)]);
  }
  for (const [i, w] of ours.model.weights.entries()) {
    const values = w.read().dataSync();
    const entry = { index: i, shape: w.shape, sha256: await sha256(values) };
    result.weights.push(entry);
    row("weights", [i, JSON.stringify(w.shape), entry.sha256], 2);
  }
  ours.model.dispose();
  return result;
}

main().then(
  (result) => {
    document.getElementById("status").textContent = "done";
    window.nninitResult = result; // what test/browser.test.ts reads
  },
  (err) => {
    const status = document.getElementById("status");
    status.className = "error";
    status.textContent = `failed: ${err && err.stack ? err.stack : err}`;
    window.nninitResult = { error: String(err && err.stack ? err.stack : err) };
  },
);
