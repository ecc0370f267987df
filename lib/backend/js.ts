/**
 * The pure-TypeScript backend: runs a FillPlan block by block on the calling thread.
 * Whole blocks of a float32 output are generated in place; partial blocks (an offset fill that
 * starts or ends mid-block) and other dtypes go through a one-block scratch buffer.
 * The matrix primitive `orthonormalize` (Backend contract, lib/backend/select.ts) is the float64
 * Householder QR of lib/linalg/householder.ts, on the calling thread; sparse's zero positions are
 * lib/stream/sparseRows.ts.
 */
import { bf16FromBits, f16FromBits } from "../math/halfFloat.js";
import type { ConstantPlan, FillPlan, RandomPlan } from "../plan/plan.js";
import type { AbortSignalLike } from "./types.js";
import { stateError } from "../plan/errors.js";
import type { DType, OutArray } from "../plan/validate.js";
import { seedBlock } from "../stream/blocks.js";
import { sparseRows } from "../stream/sparseRows.js";
import { BLOCK_SIZE } from "../stream/version.js";
import { BLOCK_KERNELS } from "./jsKernels.js";
import { orthonormalize } from "../linalg/householder.js";

const MASK32 = 0xffffffffn;
const lanes = new Int32Array(32);
const scratch = new Float32Array(BLOCK_SIZE);
const scratchBits = new Int32Array(scratch.buffer);

/** Copies scratch[from, to) into out at `at`, converting float32 to the output dtype. */
function store(plan: { dtype: RandomPlan["dtype"] }, out: OutArray, at: number, from: number, to: number): void {
  if (plan.dtype === "bfloat16" || plan.dtype === "float16") {
    const conv = plan.dtype === "bfloat16" ? bf16FromBits : f16FromBits;
    for (let i = from; i < to; i++) out[at + i - from] = conv(scratchBits[i]);
  } else {
    (out as Float32Array | Float64Array).set(scratch.subarray(from, to), at);
  }
}

function fillRandom(plan: RandomPlan, out: OutArray): void {
  const n = out.length;
  if (n === 0) return;
  const kernel = BLOCK_KERNELS[plan.kernel];
  const keyHi = Number((plan.key >> 32n) & MASK32);
  const keyLo = Number(plan.key & MASK32);
  const start = plan.offset;
  const end = start + n;
  const direct = plan.dtype === "float32";
  for (let j = Math.floor(start / BLOCK_SIZE), b = j * BLOCK_SIZE; b < end; j++, b += BLOCK_SIZE) {
    seedBlock(keyHi, keyLo, j, lanes);
    const from = Math.max(start, b) - b;
    const to = Math.min(end, b + BLOCK_SIZE) - b;
    if (direct && from === 0 && to === BLOCK_SIZE) {
      kernel(lanes, plan.params, out as Float32Array, b - start);
    } else {
      kernel(lanes, plan.params, scratch, 0);
      store(plan, out, b + from - start, from, to);
    }
  }
}

function fillConstant(plan: ConstantPlan, out: OutArray): void {
  if (plan.dtype === "bfloat16" || plan.dtype === "float16") {
    scratch[0] = plan.value;
    const conv = plan.dtype === "bfloat16" ? bf16FromBits : f16FromBits;
    out.fill(conv(scratchBits[0]));
  } else {
    out.fill(plan.value);
  }
}

/** Fills `out` according to `plan` with the pure-TypeScript reference implementation. */
export function fillJs(plan: FillPlan, out: OutArray): void {
  if (plan.kind === "constant") fillConstant(plan, out);
  else fillRandom(plan, out);
}

/** Backend.orthonormalize on the calling thread (`threads` is ignored: one thread, same result). */
export function orthonormalizeJs(a: Float32Array, m: number, n: number, gain: number, transpose: boolean, _threads: number): void {
  orthonormalize(a, m, n, gain, transpose);
}

/** Backend.orthonormalizeAsync: reads `a` now (a copy), computes and writes it in a later task. */
export function orthonormalizeJsAsync(a: Float32Array, m: number, n: number, gain: number, transpose: boolean, threads: number): Promise<void> {
  const copy = a.slice(0, m * n);
  return Promise.resolve().then(() => {
    orthonormalizeJs(copy, m, n, gain, transpose, threads);
    a.set(copy);
  });
}

/**
 * Backend.sparseZeros on the calling thread: +0 at each column's zero rows (every dtype's +0 is
 * the element value 0 of its array type). `dtype` and `threads` do not change the result.
 */
export function sparseZerosJs(out: OutArray, _dtype: DType, key: bigint, rows: number, cols: number, zeros: number, _threads: number): void {
  sparseRows(key, rows, cols, zeros, (r, c) => {
    out[r * cols + c] = 0;
  });
}

/**
 * The JS backend's async fill: the same fill on a later microtask, with the native backend's
 * semantics (native/binding/fill_async.cc). It fills exactly the elements `out` had when the call
 * was made, even if a length-tracking view has grown since; an ordinary buffer that was detached
 * or resized in between makes it reject (ERR_INVALID_STATE) and nothing is written. Shared
 * buffers cannot shrink or detach: they are filled in place.
 */
export function fillJsAsync(plan: FillPlan, out: OutArray, signal?: AbortSignalLike): Promise<void> {
  const n = out.length;
  const shared = typeof SharedArrayBuffer !== "undefined" && out.buffer instanceof SharedArrayBuffer;
  return Promise.resolve().then(() => {
    signal?.throwIfAborted(); // the fill runs in one piece: only an abort before it starts counts
    if (!shared && out.length !== n) {
      throw stateError();
    }
    fillJs(plan, out.length === n ? out : out.subarray(0, n));
  });
}
