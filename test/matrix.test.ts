/**
 * The matrix initializers (issue #5): orthogonal, eye/identity, dirac, sparse, zca, the
 * Householder QR and the symmetric eigensolver under them (lib/linalg/), their async versions and
 * their validation. Expected values come from independent code in this file (a plain Householder
 * QR without sign correction, index loops written from PyTorch's definitions, closed-form
 * eigenvalues), never from the functions under test.
 *
 * Statistics (fixed seeds, α = 1e-6 per check as in test/fixtures/stats.ts):
 *  - Haar marginal: for Q Haar-distributed on the Stiefel manifold, each column is uniform on the
 *    sphere S^(m−1), so y = √m·Q_ij has the exact density ∝ (1 − y²/m)^((m−3)/2) (mean 0,
 *    variance 1). KS against that CDF (numerically integrated here) over 8 draws of 256×256.
 *  - sign correction: the diagonal entries have that same symmetric law, so the mean of √m·Q_jj
 *    over N = 8·256 entries is 0 ± Z* / √N (≈ ±0.108). Without the correction a Householder QR
 *    (R[j][j] = −sign(x0)·‖x‖) has Q_11 = −|G_11|/‖G_1‖ < 0 always, E[√m·Q_11] → −√(2/π) ≈ −0.80,
 *    and the later diagonal entries are biased the same way (measured: the average over all j is
 *    ≈ −0.56 at m = 256): the negative control runs the same check on the uncorrected Q (2 draws,
 *    N = 512, bound ±0.216) and asserts it is rejected.
 */
import t from "tap";
import * as nn from "../lib/index.js";
import * as promises from "../lib/promises.js";
import { jsBackend, nativeBackend, type Backend } from "../lib/backend/select.js";
import { symmetricEigen } from "../lib/linalg/symmetricEigen.js";
import { sparseRows } from "../lib/stream/sparseRows.js";
import { captureJob } from "../lib/api/execute.js";
import { covariance } from "../lib/api/zca.js";
import { KS_LAMBDA_CRIT, Z_CRIT, ksStatistic } from "./fixtures/stats.js";
import { bytes } from "./helpers.js";

const prod = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);
/** The row-major multi-index of element `flat` of an array of `shape` (the last axis fastest). */
function multiIndex(flat: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1, r = flat; d >= 0; d--) {
    idx[d] = r % shape[d];
    r = Math.floor(r / shape[d]);
  }
  return idx;
}

// --- independent references ---------------------------------------------------------------------

/** Plain Householder QR (float64, LAPACK's sign convention: R[j][j] = −sign(x0)·‖x‖), NO sign correction. */
function householderQR(g: ArrayLike<number>, m: number, n: number): { q: Float64Array; rDiag: Float64Array } {
  const a = Array.from({ length: m }, (_, i) => Array.from({ length: n }, (_, j) => g[i * n + j]));
  const q = Array.from({ length: m }, (_, i) => Array.from({ length: m }, (_, j) => (i === j ? 1 : 0)));
  const rDiag = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const x = a.slice(k).map((row) => row[k]);
    const norm = Math.hypot(...x);
    const alpha = x[0] >= 0 ? -norm : norm;
    const v = x.slice();
    v[0] -= alpha;
    const vv = v.reduce((s, e) => s + e * e, 0);
    rDiag[k] = vv === 0 ? x[0] : alpha;
    if (vv === 0) continue;
    for (let j = 0; j < n; j++) { // A ← H A
      let d = 0;
      for (let i = k; i < m; i++) d += v[i - k] * a[i][j];
      for (let i = k; i < m; i++) a[i][j] -= (2 * d / vv) * v[i - k];
    }
    for (let i = 0; i < m; i++) { // Q ← Q H
      let d = 0;
      for (let l = k; l < m; l++) d += q[i][l] * v[l - k];
      for (let l = k; l < m; l++) q[i][l] -= (2 * d / vv) * v[l - k];
    }
  }
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) out[i * n + j] = q[i][j];
  return { q: out, rDiag };
}

/** The Gaussian matrix G of docs/stream.md §12: normal stream of the seed, [max, min] row-major. */
function gaussian(seed: nn.Seed, m: number, n: number): Float32Array {
  return nn.normal(new Float32Array(m * n), { seed });
}

/** Q (m×n) of an orthogonal output: the output itself when rows >= cols, its transpose otherwise. */
function qOf(out: ArrayLike<number>, rows: number, cols: number, gain = 1): { q: Float64Array; m: number; n: number } {
  const [m, n] = [Math.max(rows, cols), Math.min(rows, cols)];
  const q = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) q[i * n + j] = (rows >= cols ? out[i * cols + j] : out[j * cols + i]) / gain;
  return { q, m, n };
}

/** max |QᵀQ − I| of an m×n row-major Q. */
function orthoError(q: ArrayLike<number>, m: number, n: number): number {
  let err = 0;
  for (let a = 0; a < n; a++) for (let b = a; b < n; b++) {
    let d = 0;
    for (let i = 0; i < m; i++) d += q[i * n + a] * q[i * n + b];
    err = Math.max(err, Math.abs(d - (a === b ? 1 : 0)));
  }
  return err;
}

/** CDF of y = √m·x₁, x uniform on S^(m−1): density ∝ (1 − y²/m)^((m−3)/2), integrated by Simpson's rule. */
function sphereMarginalCdf(m: number): (y: number) => number {
  const lim = Math.min(Math.sqrt(m), 9);
  const steps = 36_000;
  const h = (2 * lim) / steps;
  const dens = (y: number) => Math.max(0, 1 - (y * y) / m) ** ((m - 3) / 2);
  const cum = new Float64Array(steps + 1);
  for (let k = 0; k < steps; k++) {
    const a = -lim + k * h;
    cum[k + 1] = cum[k] + (h / 6) * (dens(a) + 4 * dens(a + h / 2) + dens(a + h));
  }
  const total = cum[steps];
  return (y) => {
    if (y <= -lim) return 0;
    if (y >= lim) return 1;
    const pos = (y + lim) / h;
    const k = Math.min(steps - 1, Math.floor(pos));
    return (cum[k] + (pos - k) * (cum[k + 1] - cum[k])) / total;
  };
}

// --- orthogonal ---------------------------------------------------------------------------------

const SHAPES: [number[], "torch" | "keras"][] = [
  [[1, 1], "torch"], [[1, 5], "torch"], [[5, 1], "torch"], [[7, 3], "torch"], [[3, 7], "torch"], [[64, 64], "torch"],
  [[100, 37], "torch"], [[37, 100], "keras"], [[257, 129], "torch"], [[8, 3, 5], "torch"], [[8, 3, 5], "keras"],
  [[16, 4, 3, 3], "torch"], [[3, 3, 4, 16], "keras"], [[2, 3, 4, 5, 6], "torch"], [[2, 3, 4, 5, 6], "keras"],
];

t.test("orthogonal: orthonormal columns (rows for wide), = sign-corrected QR of G, gain, layouts", async (t) => {
  for (const [shape, layout] of SHAPES) {
    const size = prod(shape);
    const rows = layout === "torch" ? shape[0] : size / shape[shape.length - 1];
    const cols = size / rows;
    const gain = 1.5;
    const out = nn.orthogonal(new Float32Array(size), shape, { seed: 11, layout, gain });
    const { q, m, n } = qOf(out, rows, cols, gain);
    const err = orthoError(q, m, n);
    t.ok(err <= 1e-5, `[${shape}] ${layout} (${rows}×${cols}): max |QᵀQ − I| = ${err.toExponential(2)} ≤ 1e-5 (Q = out/gain)`);
    // against the independent uncorrected QR of the same G, with the signs fixed from its R
    const ref = householderQR(gaussian(11, m, n), m, n);
    let diff = 0;
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
      diff = Math.max(diff, Math.abs(q[i * n + j] - (ref.rDiag[j] < 0 ? -1 : 1) * ref.q[i * n + j]));
    }
    t.ok(diff <= 1e-5, `[${shape}] ${layout}: equals Q·diag(sign R) of G's reference QR within ${diff.toExponential(2)}`);
  }
  const plain = nn.orthogonal(new Float32Array(12), [3, 4], { seed: 2 });
  const neg = nn.orthogonal(new Float32Array(12), [3, 4], { seed: 2, gain: -2 });
  t.ok(neg.every((v, i) => v === -2 * plain[i]), "gain −2: exactly −2 × the gain-1 values (RN32(g·q) commutes with powers of 2)");
  const g3 = nn.orthogonal(new Float32Array(12), [3, 4], { seed: 2, gain: 3 });
  t.ok(g3.every((v, i) => Math.abs(v - 3 * plain[i]) <= 2 * 2 ** -24 * Math.abs(3 * plain[i])), "gain 3: within 2 float32 roundings of 3 × the gain-1 values");
  t.ok(nn.orthogonal(new Float32Array(12), [3, 4], { seed: 2, gain: 0 }).every((v) => v === 0), "gain 0 gives zeros");
  t.same(nn.orthogonal(new Float32Array(0), [0, 5], { seed: 1 }), new Float32Array(0), "zero-size shape: nothing to write");
});

t.test("orthogonal: the sign correction (statistical, with a negative control) and the Haar marginal (KS)", async (t) => {
  const m = 256;
  const draws = 8;
  const diagCorrected: number[] = [];
  const diagPlain: number[] = [];
  const entries = new Float64Array(draws * m * m);
  for (let d = 0; d < draws; d++) {
    const out = nn.orthogonal(new Float32Array(m * m), [m, m], { seed: 1000 + d });
    for (let k = 0; k < m * m; k++) entries[d * m * m + k] = Math.sqrt(m) * out[k];
    for (let j = 0; j < m; j++) diagCorrected.push(Math.sqrt(m) * out[j * m + j]);
    if (d < 2) {
      const { q } = householderQR(gaussian(1000 + d, m, m), m, m);
      for (let j = 0; j < m; j++) diagPlain.push(Math.sqrt(m) * q[j * m + j]);
    }
  }
  const z = (xs: number[]) => (xs.reduce((a, b) => a + b, 0) / xs.length) * Math.sqrt(xs.length); // variance 1 under Haar
  const zc = z(diagCorrected);
  t.ok(Math.abs(zc) <= Z_CRIT, `mean of √m·Q_jj: z = ${zc.toFixed(2)} (|z| ≤ ${Z_CRIT.toFixed(2)}; Haar: E = 0)`);
  const zp = z(diagPlain);
  t.ok(Math.abs(zp) > Z_CRIT, `negative control: the uncorrected Householder Q gives z = ${zp.toFixed(1)} (mean ${(zp / Math.sqrt(diagPlain.length)).toFixed(2)} < 0), rejected`);
  const cdf = sphereMarginalCdf(m);
  const ks = Math.sqrt(entries.length) * ksStatistic(entries, cdf);
  t.ok(ks <= KS_LAMBDA_CRIT, `√m·Q_ij vs the exact sphere marginal: √n·D = ${ks.toFixed(3)} ≤ ${KS_LAMBDA_CRIT.toFixed(3)} (n = ${entries.length})`);
  const ksWide = Math.sqrt(entries.length) * ksStatistic(entries.map((v) => v * 1.02), cdf);
  t.ok(ksWide > KS_LAMBDA_CRIT, `negative control: the same entries × 1.02 are rejected (√n·D = ${ksWide.toFixed(2)})`);
});

t.test("orthogonal: determinism, generators, dtypes, backends and thread counts", async (t) => {
  const a = nn.orthogonal(new Float32Array(40 * 30), [40, 30], { seed: 5n });
  t.ok(bytes(a).equals(bytes(nn.orthogonal(new Float32Array(40 * 30), [40, 30], { seed: 5 }))), "same seed, same bits");
  const g = new nn.Generator(77);
  const first = nn.orthogonal(new Float32Array(64), [8, 8], { generator: g });
  const second = nn.orthogonal(new Float32Array(64), [8, 8], { generator: g });
  t.notOk(bytes(first).equals(bytes(second)), "a generator advances: successive calls differ");
  const replay = new nn.Generator(77);
  t.ok(bytes(nn.orthogonal(new Float32Array(64), [8, 8], { generator: replay })).equals(bytes(first)), "and replays from its seed");
  t.ok(bytes(first).equals(bytes(nn.orthogonal(new Float32Array(64), [8, 8], { seed: new nn.Generator(77).nextKey() }))), "generator key = seed");
  const f64 = nn.orthogonal(new Float64Array(40 * 30), [40, 30], { seed: 5 });
  t.ok(f64.every((v, i) => v === a[i]), "float64 output = the float32 values widened");
  const bf = nn.orthogonal(new Uint16Array(40 * 30), [40, 30], { seed: 5, dtype: "bfloat16" });
  const f16 = nn.orthogonal(new Uint16Array(40 * 30), [40, 30], { seed: 5, dtype: "float16" });
  const bits = new Uint32Array(a.buffer);
  t.ok(bf.every((h, i) => h === ((bits[i] + 0x7fff + ((bits[i] >>> 16) & 1)) >>> 16)), "bfloat16 = RNE of the float32 values (docs/stream.md §8)");
  const f16Ref = new Uint16Array(a.length);
  for (let i = 0; i < a.length; i++) nn.constant(f16Ref.subarray(i, i + 1), a[i], { dtype: "float16" });
  t.ok(bytes(f16).equals(bytes(f16Ref)), "float16 = the float32 values converted as constant() converts them");
  // backends: the same G through the JS and the native orthonormalize (wasm's is the JS one);
  // thread counts give identical bits. Without native (NNINIT_BACKEND=js) there is nothing to compare.
  for (const [m, n] of [[300, 200], [129, 129], [500, 7]]) {
    if (nativeBackend === null) {
      t.pass(`${m}×${n}: js vs native orthonormalize`, { skip: `the native backend is not loaded (${jsBackend.info.loadError})` });
      continue;
    }
    const [js, native] = [jsBackend, nativeBackend].map((b) => {
      const x = gaussian(3, m, n);
      b.orthonormalize(x, m, n, 1, false, 0);
      return x;
    });
    let diff = 0;
    for (let i = 0; i < m * n; i++) diff = Math.max(diff, Math.abs(js[i] - native[i]));
    t.ok(diff <= 1e-5, `${m}×${n}: js vs native max |Δ| = ${diff.toExponential(2)} ≤ 1e-5`);
    const byThreads = [1, 2, 3].map((threads) => {
      const x = gaussian(3, m, n);
      nativeBackend!.orthonormalize(x, m, n, 1, false, threads);
      return x;
    });
    t.ok(byThreads.every((x) => bytes(x).equals(bytes(byThreads[0]))), `${m}×${n}: native threads 1, 2, 3 give identical bits`);
  }
  const t1 = nn.orthogonal(new Float32Array(300 * 200), [300, 200], { seed: 8, threads: 1 });
  const t2 = nn.orthogonal(new Float32Array(300 * 200), [300, 200], { seed: 8, threads: 2 });
  t.ok(bytes(t1).equals(bytes(t2)), "the API's `threads` option does not change a bit");
  // transpose flag of the primitive: Qᵀ row-major is Q column-major
  const x = gaussian(4, 6, 4), y = gaussian(4, 6, 4);
  jsBackend.orthonormalize(x, 6, 4, 1, false, 0);
  jsBackend.orthonormalize(y, 6, 4, 1, true, 0);
  t.ok(Array.from({ length: 24 }, (_, k) => y[k] === x[(k % 6) * 4 + Math.floor(k / 6)]).every(Boolean), "transpose writes Qᵀ (n×m row-major)");
});

// --- eye, dirac ----------------------------------------------------------------------------------

t.test("eye / identity: gain on the main diagonal, exact", async (t) => {
  for (const [rows, cols] of [[1, 1], [3, 3], [2, 5], [5, 2], [0, 3]]) {
    const out = nn.eye(new Float32Array(rows * cols).fill(9), [rows, cols], { gain: 0.1 });
    const want = new Float32Array(rows * cols);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) want[r * cols + c] = r === c ? 0.1 : 0;
    t.same(out, want, `${rows}×${cols}`);
  }
  t.same(nn.identity(new Float64Array(4), [2, 2], { gain: 0.1 }), new Float64Array([0.1, 0, 0, 0.1]), "identity = eye; float64 keeps the gain exactly");
  t.same(nn.eye(new Uint16Array(4), [2, 2], { dtype: "bfloat16" }), new Uint16Array([0x3f80, 0, 0, 0x3f80]), "bfloat16 ones");
  t.same(nn.eye(new Uint16Array(4), [2, 2], { dtype: "float16", gain: -2 }), new Uint16Array([0xc000, 0, 0, 0xc000]), "float16 −2");
});

t.test("dirac: PyTorch's dirac_ in both layouts, exact, all groups", async (t) => {
  for (const [shape, groups] of [[[4, 4, 3], 1], [[6, 2, 5], 2], [[4, 6, 3, 3], 1], [[6, 3, 2, 4], 3], [[2, 2, 3, 3, 3], 1], [[8, 2, 1, 2, 3], 4], [[3, 5, 4, 4], 3]] as [number[], number][]) {
    const out = nn.dirac(new Float32Array(prod(shape)).fill(5), shape, { groups });
    // independent: walk every multi-index; 1 iff in-channel = out-channel mod (out/groups), in < in-channels, spatial at the centres
    const per = shape[0] / groups;
    let bad = 0, ones = 0;
    for (let flat = 0; flat < out.length; flat++) {
      const idx = multiIndex(flat, shape);
      const want = idx[1] === idx[0] % per && idx.slice(2).every((v, d) => v === Math.floor(shape[d + 2] / 2)) ? 1 : 0;
      if (out[flat] !== want) bad++;
      ones += want;
    }
    t.equal(bad, 0, `[${shape}] groups ${groups}: ${ones} ones where PyTorch puts them, zeros elsewhere`);
    // keras: the same kernel with axes [...k, in, out]
    const k = shape.length - 2;
    const kshape = [...shape.slice(2), shape[1], shape[0]];
    const kout = nn.dirac(new Float32Array(prod(shape)), kshape, { groups, layout: "keras" });
    let mismatch = 0;
    for (let flat = 0; flat < out.length; flat++) {
      const idx = multiIndex(flat, shape);
      const kidx = [...idx.slice(2), idx[1], idx[0]];
      const kflat = kidx.reduce((acc, v, d) => acc * kshape[d] + v, 0);
      if (kout[kflat] !== out[flat]) mismatch++;
    }
    t.equal(mismatch, 0, `[${kshape}] keras = the torch kernel with axes permuted (k = ${k})`);
  }
  t.same(nn.dirac(new Uint16Array(8), [2, 2, 2], { dtype: "float16" }), new Uint16Array([0, 0x3c00, 0, 0, 0, 0, 0, 0x3c00]), "float16 ones at [0,0,1] and [1,1,1]");
});

// --- sparse --------------------------------------------------------------------------------------

t.test("sparse: exact zeros per column, other values = the normal stream, std, uniform positions", async (t) => {
  for (const [rows, cols, sparsity] of [[10, 7, 0.3], [1, 4, 0.5], [100, 50, 0.9], [33, 3, 0], [5, 5, 0.99]]) {
    const std = 0.05;
    const out = nn.sparse(new Float32Array(rows * cols), [rows, cols], { sparsity, std, seed: 21 });
    const dense = nn.normal(new Float32Array(rows * cols), { std, seed: 21 });
    const zeros = Math.ceil(sparsity * rows);
    let countOk = true, valuesOk = true;
    for (let c = 0; c < cols; c++) {
      let z = 0;
      for (let r = 0; r < rows; r++) {
        const v = out[r * cols + c];
        if (Object.is(v, 0)) z++;
        else if (v !== dense[r * cols + c]) valuesOk = false;
      }
      if (z !== zeros) countOk = false;
    }
    t.ok(countOk, `${rows}×${cols}, sparsity ${sparsity}: exactly ceil(sparsity·rows) = ${zeros} +0 in every column`);
    t.ok(valuesOk, `${rows}×${cols}: every other element is the normal stream's value at its index`);
  }
  // std of the non-zeros (n ≈ 10^5: 5σ of s² is ±2.2%) and uniformity of the zero rows (χ²)
  const [rows, cols] = [10, 20_000];
  const out = nn.sparse(new Float32Array(rows * cols), [rows, cols], { sparsity: 0.25, seed: 3 });
  let s2 = 0, n = 0;
  const perRow = new Float64Array(rows);
  for (let i = 0; i < out.length; i++) {
    if (out[i] === 0) perRow[Math.floor(i / cols)]++;
    else { s2 += out[i] * out[i]; n++; }
  }
  const ratio = s2 / n / 1e-4;
  t.ok(Math.abs(ratio - 1) <= Z_CRIT * Math.sqrt(2 / n), `non-zero variance / 0.01² = ${ratio.toFixed(4)} (default std 0.01)`);
  const expect = (cols * 3) / rows; // 3 zeros per column, each row equally likely
  const chi2 = perRow.reduce((s, o) => s + (o - expect) ** 2 / expect, 0);
  t.ok(chi2 < 45, `zero rows uniform over rows: χ²(9 dof) = ${chi2.toFixed(1)} < 45 (p ≈ 1e-6)`);
  // generator, bigint seeds, 16-bit
  const g = new nn.Generator(9);
  const a = nn.sparse(new Float32Array(40), [8, 5], { sparsity: 0.5, generator: g });
  const b = nn.sparse(new Float32Array(40), [8, 5], { sparsity: 0.5, generator: g });
  t.notOk(bytes(a).equals(bytes(b)), "a generator advances");
  t.ok(bytes(a).equals(bytes(nn.sparse(new Float32Array(40), [8, 5], { sparsity: 0.5, seed: new nn.Generator(9).nextKey() }))), "the generator's key drives values and positions");
  const h = nn.sparse(new Uint16Array(40), [8, 5], { sparsity: 0.5, seed: 4, dtype: "bfloat16" });
  const hd = nn.normal(new Uint16Array(40), { std: 0.01, seed: 4, dtype: "bfloat16" });
  t.ok(Array.from(h).every((v, i) => v === 0 || v === hd[i]) && h.filter((v) => v === 0).length === 20, "bfloat16: +0 bits or the normal stream's bits");
  let calls = 0;
  sparseRows(1n, 6, 4, 6, () => calls++);
  t.equal(calls, 24, "sparseRows visits zeros × cols positions (full shuffle when zeros = rows)");
});

t.test("sparse: the native backend writes the JS backend's bytes (sync and async, every dtype, threads)", { skip: nativeBackend === null }, async (t) => {
  const shapes: [number, number, number][] = [[1, 1, 0.5], [1, 7, 0], [9, 1, 0.9], [13, 17, 0.3], [61, 130, 0.99], [3000, 700, 0.9]];
  const make = (dtype: string, n: number) => (dtype === "float32" ? new Float32Array(n) : dtype === "float64" ? new Float64Array(n) : new Uint16Array(n));
  for (const [rows, cols, sparsity] of shapes) {
    const bad: string[] = [];
    for (const dtype of ["float32", "float64", "bfloat16", "float16"] as const) {
      for (const seed of rows * cols > 1e5 ? [7n] : [7n, 2n ** 64n - 1n, 123456789n]) {
        const opts = { sparsity, std: 0.5, seed, dtype };
        const ref = make(dtype, rows * cols);
        captureJob(() => nn.sparse(ref as never, [rows, cols], opts as never))!.run(jsBackend);
        for (const threads of [1, 2, 3, 7]) {
          const out = make(dtype, rows * cols);
          captureJob(() => nn.sparse(out as never, [rows, cols], { ...opts, threads } as never))!.run(nativeBackend!);
          const later = make(dtype, rows * cols);
          await captureJob(() => nn.sparse(later as never, [rows, cols], { ...opts, threads } as never))!.runAsync(nativeBackend!);
          if (!bytes(out).equals(bytes(ref)) || !bytes(later).equals(bytes(ref))) bad.push(`${dtype} seed ${seed} threads ${threads}`);
        }
        if (dtype === "float32" && seed === 7n) {
          const zeros = Math.ceil(sparsity * rows);
          t.equal(ref.filter((v) => Object.is(v, 0)).length, zeros * cols, `${rows}×${cols}: the JS reference has ${zeros}·${cols} +0`);
        }
      }
    }
    t.same(bad, [], `${rows}×${cols} sparsity ${sparsity}: native sync and async bytes = JS bytes`);
  }
  // the async zeroing runs over the filled elements even if a growable shared buffer grows meanwhile
  const gsab = new (SharedArrayBuffer as unknown as new (n: number, o: object) => SharedArrayBuffer)(4 * 40, { maxByteLength: 4 * 80 });
  const grow = new Float32Array(gsab);
  const p = promises.sparse(grow, [8, 5], { sparsity: 0.5, seed: 3 });
  (gsab as unknown as { grow(n: number): void }).grow(4 * 80);
  await p;
  t.ok(bytes(grow.subarray(0, 40)).equals(bytes(nn.sparse(new Float32Array(40), [8, 5], { sparsity: 0.5, seed: 3 }))), "grown view: the first rows·cols elements are sparse's");
  t.ok(grow.subarray(40).every((v) => v === 0) && grow.subarray(0, 40).some((v) => v !== 0), "nothing written past rows·cols");
});

// --- zca and the eigensolver --------------------------------------------------------------------

t.test("symmetricEigen: known spectra", async (t) => {
  const check = (name: string, a: Float64Array, n: number, want: number[], tol: number) => {
    const { values, vectors } = symmetricEigen(a, n);
    const sorted = want.slice().sort((x, y) => x - y);
    const valErr = Math.max(0, ...sorted.map((w, i) => Math.abs(values[i] - w)));
    let resid = 0, orth = 0;
    for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) {
      let s = 0, o = 0;
      for (let k = 0; k < n; k++) {
        s += a[i * n + k] * vectors[k * n + j];
        o += vectors[k * n + i] * vectors[k * n + j];
      }
      resid = Math.max(resid, Math.abs(s - values[j] * vectors[i * n + j]));
      orth = Math.max(orth, Math.abs(o - (i === j ? 1 : 0)));
    }
    t.ok(valErr <= tol && resid <= tol && orth <= 1e-12, `${name}: |λ − λ*| ${valErr.toExponential(1)}, |Av − λv| ${resid.toExponential(1)}, |VᵀV − I| ${orth.toExponential(1)}`);
  };
  check("1×1", new Float64Array([-3]), 1, [-3], 0);
  check("diagonal", Float64Array.from({ length: 16 }, (_, k) => (k % 5 === 0 ? [4, -1, 0, 2][k / 5] : 0)), 4, [4, -1, 0, 2], 1e-14);
  check("2×2 [[2,1],[1,2]]", new Float64Array([2, 1, 1, 2]), 2, [1, 3], 1e-14);
  const n = 40;
  const lap = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    lap[i * n + i] = 2;
    if (i > 0) lap[i * n + i - 1] = lap[(i - 1) * n + i] = -1;
  }
  check("1-D Laplacian (λ_k = 2 − 2cos(kπ/(n+1)))", lap, n, Array.from({ length: n }, (_, k) => 2 - 2 * Math.cos(((k + 1) * Math.PI) / (n + 1))), 1e-13);
  // H diag(λ) H with H = I − (2/n)·J (exact in binary for n a power of 2), repeated eigenvalues included
  for (const size of [8, 64]) {
    const lam = Array.from({ length: size }, (_, i) => (i % 3) - 1 + (i === 0 ? 10 : 0));
    const hm = (i: number, j: number) => (i === j ? 1 : 0) - 2 / size;
    const a = new Float64Array(size * size);
    for (let i = 0; i < size; i++) for (let j = 0; j < size; j++) {
      let s = 0;
      for (let k = 0; k < size; k++) s += hm(i, k) * lam[k] * hm(k, j);
      a[i * size + j] = s;
    }
    check(`H·diag(λ)·H, n = ${size} (repeated λ)`, a, size, lam, 1e-12);
  }
  check("zero matrix", new Float64Array(9), 3, [0, 0, 0], 0);
  // a subnormal off-diagonal next to a zero diagonal (a constant feature's covariance): the QL
  // shift (d1 − d0)/(2e) overflowed and every value became NaN before the local deflation test
  check("[[0, 1e-310], [1e-310, 2]]", new Float64Array([0, 1e-310, 1e-310, 2]), 2, [0, 2], 1e-15);
  check("3×3 with a subnormal coupling", new Float64Array([0, 0, 0, 0, 0, 8.25e-311, 0, 8.25e-311, 2.7225]), 3, [0, 0, 2.7225], 1e-15);
  const w = nn.zca(new Float64Array(9), Float64Array.from([-0, 1e-310, 3.3, -0, 0, -5e-324]), { rows: 2, cols: 3, eps: 0.5 });
  t.ok(w.every(Number.isFinite), "zca of data with subnormal values is finite");
});

/** Correlated data with a non-zero mean: X = Z·M + μ, Z ~ N(0, 1) from nninit's stream. */
function dataset(rows: number, cols: number): Float64Array {
  const z = nn.normal(new Float64Array(rows * cols), { seed: 99 });
  const x = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) {
    let s = 3 + j; // mean
    for (let k = 0; k < cols; k++) s += z[r * cols + k] * (k === j ? 1 + k / 2 : (k + 2 * j) % 3 === 0 ? 0.4 : 0);
    x[r * cols + j] = s;
  }
  return x;
}

/** Covariance (divisor rows) of Y = (X − mean)·Wᵀ, written out independently of lib/. */
function whitenedCov(x: ArrayLike<number>, w: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const mean = new Float64Array(cols);
  for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) mean[j] += x[r * cols + j] / rows;
  const y = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let i = 0; i < cols; i++) {
    let s = 0;
    for (let j = 0; j < cols; j++) s += w[i * cols + j] * (x[r * cols + j] - mean[j]);
    y[r * cols + i] = s;
  }
  const c = new Float64Array(cols * cols);
  for (let r = 0; r < rows; r++) for (let i = 0; i < cols; i++) for (let j = 0; j < cols; j++) c[i * cols + j] += (y[r * cols + i] * y[r * cols + j]) / rows;
  return c;
}

const maxAbsFromI = (c: ArrayLike<number>, n: number): number => {
  let e = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) e = Math.max(e, Math.abs(c[i * n + j] - (i === j ? 1 : 0)));
  return e;
};

t.test("zca's covariance: bit for bit the textbook one-row-at-a-time sum, for every row count mod 4", async (t) => {
  // the reference: centre, then add x_r[i]·x_r[j] for r = 0, 1, … in order, then divide by rows
  const reference = (d: Float32Array, rows: number, cols: number): Float64Array => {
    const mean = new Float64Array(cols);
    for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) mean[j] += d[r * cols + j];
    for (let j = 0; j < cols; j++) mean[j] /= rows;
    const c = new Float64Array(cols * cols);
    for (let r = 0; r < rows; r++) {
      for (let i = 0; i < cols; i++) {
        for (let j = 0; j <= i; j++) c[i * cols + j] += (d[r * cols + i] - mean[i]) * (d[r * cols + j] - mean[j]);
      }
    }
    for (let i = 0; i < cols; i++) for (let j = 0; j <= i; j++) c[j * cols + i] = c[i * cols + j] /= rows;
    return c;
  };
  for (const [rows, cols] of [[1, 3], [2, 5], [3, 1], [4, 4], [5, 9], [6, 2], [7, 16], [13, 33], [101, 20]]) {
    const d = nn.normal(new Float32Array(rows * cols), { seed: rows * 100 + cols, mean: 2, std: 3 });
    const ours = covariance(d, rows, cols), ref = reference(d, rows, cols);
    t.ok(ours.every((v, i) => Object.is(v, ref[i])), `${rows}×${cols}`);
  }
});

t.test("zca: whitened data has covariance I, W symmetric positive definite, W² = (C + εI)⁻¹", async (t) => {
  const [rows, cols] = [4000, 8];
  const x = dataset(rows, cols);
  // Bound: W·C·W = V·diag(λ/(λ+ε))·Vᵀ exactly, so |WCW − I| ≤ ε/(λ_min + ε) (ε = 1e-6, the
  // default), plus float64 rounding (~1e-12). λ_min of C comes from the eigensolver checked above.
  const identityW = Float64Array.from({ length: cols * cols }, (_, k) => (k % (cols + 1) === 0 ? 1 : 0));
  const c = whitenedCov(x, identityW, rows, cols); // the data covariance itself (divisor rows)
  const lmin = symmetricEigen(c, cols).values[0];
  const bound = 1e-6 / (lmin + 1e-6) + 1e-10;
  const w = nn.zca(new Float64Array(cols * cols), x, { rows, cols });
  const err = maxAbsFromI(whitenedCov(x, w, rows, cols), cols);
  t.ok(err <= bound, `float64: max |cov(W(x − μ)) − I| = ${err.toExponential(2)} ≤ ε/(λ_min + ε) = ${bound.toExponential(2)} (λ_min = ${lmin.toFixed(3)})`);
  const errRows1 = maxAbsFromI(whitenedCov(x, w.map((v) => v * Math.sqrt((rows - 1) / rows)), rows, cols), cols);
  t.ok(errRows1 > bound, `negative control: the divisor rows − 1 (W·√((n−1)/n)) misses by ${errRows1.toExponential(2)}`);
  let asym = 0;
  for (let i = 0; i < cols; i++) for (let j = 0; j < cols; j++) asym = Math.max(asym, Math.abs(w[i * cols + j] - w[j * cols + i]));
  t.equal(asym, 0, "W is exactly symmetric");
  // W² (C + εI) = I with C computed here: W is the symmetric square root of (C + εI)⁻¹ (Kessy et al.'s ZCA)
  for (let i = 0; i < cols; i++) c[i * cols + i] += 1e-6;
  const w2c = new Float64Array(cols * cols);
  for (let i = 0; i < cols; i++) for (let j = 0; j < cols; j++) {
    let s = 0;
    for (let k = 0; k < cols; k++) for (let l = 0; l < cols; l++) s += w[i * cols + k] * w[k * cols + l] * c[l * cols + j];
    w2c[i * cols + j] = s;
  }
  t.ok(maxAbsFromI(w2c, cols) <= 1e-9, `W²·(C + εI) = I within ${maxAbsFromI(w2c, cols).toExponential(2)}`);
  t.ok(symmetricEigen(w, cols).values[0] > 0, "W is positive definite (the ZCA, not a sign-flipped root)");
  // float32 data and output: W rounded to float32 (relative 2^-24 per element) perturbs WCW by
  // about 2·2^-24·cond(C)·√cols, well below the 1e-5 asserted (measured ~1e-6, dominated by ε)
  const w32 = nn.zca(new Float32Array(cols * cols), Float32Array.from(x), { rows, cols });
  const err32 = maxAbsFromI(whitenedCov(Float32Array.from(x), w32, rows, cols), cols);
  t.ok(err32 <= 1e-5, `float32 data and out: max |cov − I| = ${err32.toExponential(2)} ≤ 1e-5`);
  // eps: larger eps shrinks the whitened variances to λ/(λ + ε) < 1
  const wEps = nn.zca(new Float64Array(cols * cols), x, { rows, cols, eps: 0.5 });
  const cEps = whitenedCov(x, wEps, rows, cols);
  t.ok(Array.from({ length: cols }, (_, i) => cEps[i * cols + i]).every((v) => v < 1 && v > 0.4), "eps = 0.5 shrinks each whitened variance into (0.4, 1)");
  t.same(nn.zca(new Float32Array(1), new Float32Array([5]), { rows: 1, cols: 1 }), new Float32Array([Math.fround(1 / Math.sqrt(1e-6))]), "one sample: C = 0, W = 1/√ε");
});

// --- async ----------------------------------------------------------------------------------------

t.test("promises: every matrix method equals its sync twin and resolves with out", async (t) => {
  const x = dataset(500, 5);
  const cases: [string, () => ArrayBufferView, () => Promise<ArrayBufferView>][] = [
    ["orthogonal", () => nn.orthogonal(new Float32Array(300 * 80), [300, 80], { seed: 1 }), () => promises.orthogonal(new Float32Array(300 * 80), [300, 80], { seed: 1 })],
    ["orthogonal wide bfloat16", () => nn.orthogonal(new Uint16Array(30 * 80), [30, 80], { seed: 1, dtype: "bfloat16" }), () => promises.orthogonal(new Uint16Array(30 * 80), [30, 80], { seed: 1, dtype: "bfloat16" })],
    ["eye", () => nn.eye(new Float32Array(12), [3, 4], { gain: 2 }), () => promises.eye(new Float32Array(12), [3, 4], { gain: 2 })],
    ["identity", () => nn.identity(new Float64Array(4), [2, 2]), () => promises.identity(new Float64Array(4), [2, 2])],
    ["dirac", () => nn.dirac(new Float32Array(36), [2, 2, 3, 3]), () => promises.dirac(new Float32Array(36), [2, 2, 3, 3])],
    ["sparse", () => nn.sparse(new Float32Array(200 * 400), [200, 400], { sparsity: 0.5, seed: 2 }), () => promises.sparse(new Float32Array(200 * 400), [200, 400], { sparsity: 0.5, seed: 2 })],
    ["zca", () => nn.zca(new Float32Array(25), x, { rows: 500, cols: 5 }), () => promises.zca(new Float32Array(25), x, { rows: 500, cols: 5 })],
  ];
  for (const [name, s, a] of cases) {
    const want = s();
    const p = a();
    t.ok(p instanceof Promise, `${name} returns a Promise`);
    t.ok(bytes(await p).equals(bytes(want)), `${name}: async bytes = sync bytes`);
  }
  const shared = new Float32Array(new SharedArrayBuffer(4 * 64 * 32));
  await promises.orthogonal(shared, [64, 32], { seed: 6 });
  t.ok(bytes(shared).equals(bytes(nn.orthogonal(new Float32Array(64 * 32), [64, 32], { seed: 6 }))), "orthogonal into a SharedArrayBuffer");
  const out = new Float32Array(6).fill(7);
  await t.rejects(promises.orthogonal(out, [6], {}), { name: "RangeError" }, "orthogonal of 1-D rejects");
  await t.rejects(promises.sparse(out, [2, 3], { sparsity: 1 }), { name: "RangeError" }, "sparsity 1 rejects");
  t.ok(out.every((v) => v === 7), "out unchanged");
});

// --- validation ----------------------------------------------------------------------------------

t.test("validation: RangeError/TypeError naming the argument, nothing written, no key drawn", async (t) => {
  const any = nn as unknown as Record<string, (...a: unknown[]) => unknown>;
  const x = new Float32Array(6);
  const cases: [string, unknown[], string, RegExp][] = [
    ["orthogonal", [new Float32Array(5), [5], { seed: 1 }], "ERR_OUT_OF_RANGE", /"shape" argument must be at least 2-D/],
    ["orthogonal", [new Float32Array(6), [2, 4], { seed: 1 }], "ERR_OUT_OF_RANGE", /"out" argument must be of length 8/],
    ["orthogonal", [new Float32Array(6), [2, 3], { seed: 1, offset: 0 }], "ERR_INVALID_ARG_VALUE", /unknown option "offset"/],
    ["orthogonal", [new Float32Array(6), [2, 3], { seed: 1, layout: "tf" }], "ERR_INVALID_ARG_VALUE", /"layout" option must be one of "torch", "keras"/],
    ["orthogonal", [new Float32Array(6), [2, 3], { seed: 1, gain: NaN }], "ERR_OUT_OF_RANGE", /"gain" option/],
    ["orthogonal", [new Float32Array(6), [2, 3], { seed: 1, gain: "2" }], "ERR_INVALID_ARG_TYPE", /"gain" option must be of type number/],
    ["orthogonal", [[0, 0, 0, 0, 0, 0], [2, 3], { seed: 1 }], "ERR_INVALID_ARG_TYPE", /"out" argument/],
    ["orthogonal", [new Float32Array(6), "2x3", { seed: 1 }], "ERR_INVALID_ARG_TYPE", /"shape" argument/],
    ["orthogonal", [new Float32Array(6), [2, 3], { seed: -1 }], "ERR_OUT_OF_RANGE", /"seed" option/],
    ["orthogonal", [new Float32Array(6), [2, 3], { seed: 1, threads: 0 }], "ERR_OUT_OF_RANGE", /"threads" option/],
    ["orthogonal", [new Float64Array(6), [2, 3], { seed: 1, dtype: "float32" }], "ERR_INVALID_ARG_VALUE", /"dtype" option/],
    ["eye", [new Float32Array(6), [6], {}], "ERR_OUT_OF_RANGE", /"shape" argument must be 2-D for eye/],
    ["eye", [new Float32Array(6), [1, 2, 3], {}], "ERR_OUT_OF_RANGE", /2-D for eye/],
    ["eye", [new Float32Array(6), [2, 3], { gain: Infinity }], "ERR_OUT_OF_RANGE", /"gain" option/],
    ["identity", [new Float32Array(6), [2, 2], {}], "ERR_OUT_OF_RANGE", /"out" argument must be of length 4/],
    ["dirac", [new Float32Array(6), [2, 3], {}], "ERR_OUT_OF_RANGE", /"shape" argument must be 3-D, 4-D or 5-D for dirac/],
    ["dirac", [new Float32Array(6), [1, 1, 1, 1, 1, 6], {}], "ERR_OUT_OF_RANGE", /3-D, 4-D or 5-D/],
    ["dirac", [new Float32Array(6), [3, 1, 2], { groups: 2 }], "ERR_OUT_OF_RANGE", /"groups" option must be a divisor of the output channels \(3\). Received 2/],
    ["dirac", [new Float32Array(6), [2, 1, 3], { groups: 0 }], "ERR_OUT_OF_RANGE", /"groups" option/],
    ["dirac", [new Float32Array(6), [2, 1, 3], { groups: 1.5 }], "ERR_OUT_OF_RANGE", /"groups" option/],
    ["dirac", [new Float32Array(6), [2, 1, 3], { groups: 2, layout: "keras" }], "ERR_OUT_OF_RANGE", /output channels \(3\)/],
    ["sparse", [new Float32Array(6), [2, 3], { sparsity: 1 }], "ERR_OUT_OF_RANGE", /"sparsity" option must be in \[0, 1\). Received 1/],
    ["sparse", [new Float32Array(6), [2, 3], { sparsity: -0.1 }], "ERR_OUT_OF_RANGE", /"sparsity" option/],
    ["sparse", [new Float32Array(6), [2, 3], {}], "ERR_INVALID_ARG_TYPE", /"sparsity" option must be of type number/],
    ["sparse", [new Float32Array(6), [2, 3], { sparsity: 0.5, std: -1 }], "ERR_OUT_OF_RANGE", /"std" option must be >= 0/],
    ["sparse", [new Float32Array(6), [6], { sparsity: 0.5 }], "ERR_OUT_OF_RANGE", /2-D for sparse/],
    ["sparse", [new Float32Array(6), [2, 3], { sparsity: 0.5, offset: 1 }], "ERR_INVALID_ARG_VALUE", /unknown option "offset"/],
    ["zca", [new Float32Array(4), x, { rows: 2, cols: 2 }], "ERR_OUT_OF_RANGE", /"data" argument must be of length rows·cols = 4. Received "length 6"/],
    ["zca", [new Float32Array(4), [1, 2, 3, 4], { rows: 2, cols: 2 }], "ERR_INVALID_ARG_TYPE", /"data" argument must be a Float32Array or Float64Array/],
    ["zca", [new Float32Array(4), x, { rows: 3 }], "ERR_INVALID_ARG_TYPE", /"cols" option must be of type number/],
    ["zca", [new Float32Array(4), x, { rows: 0, cols: 2 }], "ERR_OUT_OF_RANGE", /"rows" option/],
    ["zca", [new Float32Array(9), x, { rows: 3, cols: 2 }], "ERR_OUT_OF_RANGE", /"out" argument must be of length 4/],
    ["zca", [new Float32Array(4), x, { rows: 3, cols: 2, eps: 0 }], "ERR_OUT_OF_RANGE", /"eps" option must be > 0/],
    ["zca", [new Float32Array(4), Float32Array.from([1, 2, NaN, 4, 5, 6]), { rows: 3, cols: 2 }], "ERR_OUT_OF_RANGE", /"data" argument must be finite \(element 2 is not\)/],
    ["zca", [new Float32Array(4), Float64Array.from([1e200, 1, -1e200, 2]), { rows: 2, cols: 2 }], "ERR_OUT_OF_RANGE", /"data" argument must be of values whose covariance and whitening matrix are finite/],
  ];
  for (const [fn, args, code, message] of cases) {
    const out = args[0];
    if (ArrayBuffer.isView(out)) (out as Float32Array).fill(7);
    const g = new nn.Generator(1);
    const state = g.state;
    const opts = args[2] as Record<string, unknown>;
    if ((fn === "orthogonal" || fn === "sparse") && (opts.seed === undefined || opts.seed === 1)) {
      delete opts.seed; // the generator must not advance on any of these errors
      opts.generator = g;
    }
    t.throws(() => any[fn](...args), { code, message }, `${fn}(${JSON.stringify(args.slice(1)).slice(0, 70)})`);
    if (ArrayBuffer.isView(out)) t.ok((out as Float32Array).every((v) => v === 7), "  out unchanged");
    t.equal(g.state, state, "  no key drawn");
  }
  const g = new nn.Generator(1);
  t.throws(() => nn.orthogonal(new Float32Array(6), [6, 1, 1, 1, 1, 1, 0], { generator: g }), { code: "ERR_OUT_OF_RANGE" });
  t.throws(() => nn.sparse(new Float32Array(6), [2, 3], { sparsity: 2, generator: g }), RangeError);
  t.equal(g.state, 1n, "a generator is not advanced by failed calls");
});

const trueBuffer = (a: ArrayBufferView): ArrayBuffer => Reflect.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype), "buffer")!.get!.call(a) as ArrayBuffer;

t.test("look-alike arrays (issue 15): a lying length is refused naming out before anything is written; lying getters never run; Proxies are TypeErrors; zca's data is read the same way", async (t) => {
  type Call = (out: unknown, x: Record<string, unknown>) => unknown;
  const calls: [string, number[], Call][] = [
    ["orthogonal", [16, 16], (o, x) => nn.orthogonal(o as Float32Array, [16, 16], { seed: 1, ...x })],
    ["orthogonal (wide)", [8, 32], (o, x) => nn.orthogonal(o as Float32Array, [8, 32], { seed: 1, ...x })],
    ["sparse", [16, 16], (o, x) => nn.sparse(o as Float32Array, [16, 16], { sparsity: 0.5, seed: 1, ...x })],
    ["eye", [16, 16], (o, x) => nn.eye(o as Float32Array, [16, 16], x)],
    ["dirac", [4, 4, 4, 4], (o, x) => nn.dirac(o as Float32Array, [4, 4, 4, 4], x)],
    ["zca", [16, 16], (o, x) => nn.zca(o as Float32Array, Float64Array.from({ length: 40 * 16 }, (_, i) => Math.cos(i * 1.7)), { rows: 40, cols: 16, ...x })],
    ["xavierUniform", [16, 16], (o, x) => nn.xavierUniform(o as Float32Array, [16, 16], { seed: 1, ...x })],
  ];
  const ran: string[] = [];
  for (const [name, shape, call] of calls) {
    const n = prod(shape);
    for (const [ctor, dt] of [[Float32Array, {}], [Float64Array, {}], [Uint16Array, { dtype: "bfloat16" }]] as const) {
      const want = bytes(call(new ctor(n), dt) as Float32Array);
      // the example: 8 true elements, `length` says 256 (= 16·16)
      for (const trueLength of [8, n - 1, n + 1, 0]) {
        const Lying = class extends (ctor as Float32ArrayConstructor) {};
        Object.defineProperty(Lying.prototype, "length", { get() { ran.push("length"); return n; } });
        const out = new Lying(trueLength);
        new Uint8Array(out.buffer).fill(0x5a);
        const before = bytes(out).toString("hex");
        t.throws(() => call(out, dt), { name: "RangeError", code: "ERR_OUT_OF_RANGE", message: new RegExp(`"out" argument must be of length ${n}.*Received "length ${trueLength}"`) },
          `${name} ${ctor.name}: true length ${trueLength}, getter says ${n}: refused naming out`);
        t.equal(bytes(out).toString("hex"), before, `${name} ${ctor.name} (true length ${trueLength}): nothing written`);
      }
      // getters that detach out, and lying methods, on an array of the right true length: never run
      const Hostile = class extends (ctor as Float32ArrayConstructor) {};
      for (const k of ["length", "byteLength", "byteOffset", "buffer"]) {
        Object.defineProperty(Hostile.prototype, k, { get() { ran.push(k); structuredClone(trueBuffer(this), { transfer: [trueBuffer(this)] }); return 3; } });
      }
      for (const k of ["set", "fill", "subarray", "slice"]) Object.defineProperty(Hostile.prototype, k, { value() { ran.push(k); throw new Error(`${k} ran`); } });
      Object.defineProperty(Hostile, Symbol.species, { get() { ran.push("species"); return Object; } });
      ran.length = 0;
      const good = new Hostile(n);
      t.equal(call(good, dt), good, `${name} ${ctor.name}: a hostile subclass of the right length is filled`);
      t.ok(bytes(new ctor(trueBuffer(good))).equals(want), `${name} ${ctor.name}: with the plain array's values`);
      t.same(ran, [], `${name} ${ctor.name}: no getter or method of out ran`);
      // Proxies and prototype-only objects
      const target = new ctor(n).fill(9);
      let trapped = 0;
      const proxy = new Proxy(target, { get: (o, k) => { trapped++; return Reflect.get(o, k); }, getPrototypeOf: (o) => { trapped++; return Reflect.getPrototypeOf(o); } });
      t.throws(() => call(proxy, dt), { name: "TypeError", code: "ERR_INVALID_ARG_TYPE", message: /"out" argument must be a Float32Array, Float64Array or Uint16Array.*Received a Proxy/ }, `${name} ${ctor.name}: a Proxy`);
      t.throws(() => call(Object.create(ctor.prototype), dt), { name: "TypeError", code: "ERR_INVALID_ARG_TYPE", message: /"out" argument/ }, `${name} ${ctor.name}: Object.create(prototype)`);
      t.ok(trapped === 0 && target.every((v) => v === 9), `${name} ${ctor.name}: no trap ran, the target is unchanged`);
    }
  }
  ran.length = 0;
  // zca's data: its true type and length; a Proxy or a lying subclass cannot run code or lie
  const data = Float64Array.from({ length: 40 * 16 }, (_, i) => Math.cos(i * 1.7));
  const want = bytes(nn.zca(new Float32Array(256), data, { rows: 40, cols: 16 }));
  const LyingData = class extends Float64Array {};
  Object.defineProperty(LyingData.prototype, "length", { get() { ran.push("data length"); return 640; } });
  const short = new LyingData(data.subarray(0, 320));
  const out = new Float32Array(256).fill(7);
  t.throws(() => nn.zca(out, short, { rows: 40, cols: 16 }), { name: "RangeError", message: /"data" argument must be of length rows·cols = 640. Received "length 320"/ }, "zca: data's length getter lies: its true length is used");
  const exact = new LyingData(data);
  t.ok(bytes(nn.zca(new Float32Array(256), exact, { rows: 40, cols: 16 })).equals(want), "zca: a data subclass of the right length gives the plain data's result");
  t.same(ran, [], "zca: data's getter never ran");
  let trapped = 0;
  const proxy = new Proxy(data, { get: (o, k) => { trapped++; return Reflect.get(o, k); } });
  t.throws(() => nn.zca(out, proxy, { rows: 40, cols: 16 }), { name: "TypeError", code: "ERR_INVALID_ARG_TYPE", message: /"data" argument must be a Float32Array or Float64Array.*Received a Proxy/ }, "zca: a Proxy as data");
  const posing = new (class extends Int32Array {})(640);
  Object.setPrototypeOf(Object.getPrototypeOf(posing), Float64Array.prototype);
  t.throws(() => nn.zca(out, posing as unknown as Float64Array, { rows: 40, cols: 16 }), { name: "TypeError", message: /"data" argument.*Received an instance of Int32Array/ }, "zca: an Int32Array posing as a Float64Array");
  const detached = new Float64Array(640);
  structuredClone(detached.buffer, { transfer: [detached.buffer] });
  t.throws(() => nn.zca(out, detached, { rows: 40, cols: 16 }), { name: "RangeError", message: /"data" argument must be backed by an attached ArrayBuffer/ }, "zca: detached data");
  t.ok(trapped === 0 && out.every((v) => v === 7), "no trap ran; out unchanged");
});

t.test("async sparse and orthogonal (issue 15): out detached, shrunk or grown between the backend's steps follows the one async rule", async (t) => {
  type Resizable = ArrayBuffer & { resize(n: number): void };
  const backends: [string, Backend][] = [["js", jsBackend], ...(nativeBackend === null ? [] : [["native", nativeBackend] as [string, Backend]])];
  const n = 40 * 30;
  const want = {
    sparse: bytes(nn.sparse(new Float32Array(n), [40, 30], { sparsity: 0.5, std: 1, seed: 3 })),
    orthogonal: bytes(nn.orthogonal(new Float32Array(n), [40, 30], { seed: 3 })),
  };
  for (const [bname, backend] of backends) {
    for (const name of ["sparse", "orthogonal"] as const) {
      for (const harm of ["detach", "shrink", "grow"] as const) {
        const buffer = new (ArrayBuffer as unknown as new (n: number, o: object) => Resizable)(n * 4, { maxByteLength: 2 * n * 4 });
        const out = new Float32Array(buffer).fill(7);
        let moved: ArrayBuffer | undefined;
        const doHarm = () => {
          if (harm === "detach") moved = structuredClone(buffer, { transfer: [buffer] });
          else buffer.resize(harm === "shrink" ? n * 2 : 2 * n * 4);
        };
        // the harm lands after the backend's last async step: sparse's fill (before its zeroing), orthogonal's QR (before its store)
        const wrapped = name === "sparse"
          ? { ...backend, fillAsync: async (...a: Parameters<Backend["fillAsync"]>) => { await backend.fillAsync(...a); doHarm(); } }
          : { ...backend, orthonormalizeAsync: async (...a: Parameters<Backend["orthonormalizeAsync"]>) => { await backend.orthonormalizeAsync(...a); doHarm(); } };
        const job = captureJob(() => name === "sparse" ? nn.sparse(out, [40, 30], { sparsity: 0.5, std: 1, seed: 3 }) : nn.orthogonal(out, [40, 30], { seed: 3 }))!;
        const what = `${bname} ${name}, out ${harm === "detach" ? "detached" : harm === "shrink" ? "shrunk" : "grown"} after the last async step`;
        if (harm === "grow") {
          await job.runAsync(wrapped);
          t.ok(bytes(out.subarray(0, n)).equals(want[name]) && out.subarray(n).every((v) => v === 0), `${what}: the first ${n} elements written, the new ones untouched`);
          continue;
        }
        await t.rejects(job.runAsync(wrapped), { name: "RangeError", code: "ERR_INVALID_STATE" }, `${what}: rejects with ERR_INVALID_STATE`);
        const left = harm === "detach" ? new Float32Array(moved!) : out;
        t.ok(left.every((v) => v === 7), `${what}: nothing written (${left.length} elements checked)`);
      }
    }
  }
});
