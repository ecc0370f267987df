/**
 * The pure-TypeScript block kernels: each writes one whole block (BLOCK_SIZE float32 values) of a
 * method into dst[o .. o + BLOCK_SIZE). This file is the executable form of docs/stream.md §4–§7
 * and the reference the native kernels are tested against bit for bit.
 *
 * Element mapping inside a block (lane l in 0..7, step s of that lane's xoshiro128+):
 *   uniform, truncNormal:  element 8*s + l  <- output s of lane l
 *   normal (Box–Muller):   elements 16*t + l and 16*t + 8 + l <- outputs 2t and 2t+1 of lane l
 * Every float operation is rounded to float32 (f = Math.fround) in the order written.
 * xoshiro128+ is inlined on local int32 variables (see lib/stream/xoshiro128plus.ts).
 *
 * Speed without changing a bit (issue 16): the loops read only locals and this module's own
 * bindings. Module-level `export const`s and imported constants compile (CommonJS) to property
 * loads on `exports` / the imported module object in every iteration, so the constants are
 * exported at the end of the file and the imported ones are copied into locals. The per-element
 * float32 functions of lib/math/f32.ts that V8 does not inline here (too big for its inlining
 * budget; a call also boxes its float result on the heap) are written out in the loop where it
 * pays: normal's bmRadius (its logParts) and truncNormal's ndtri32 with log32 (see the kernels).
 * Each copy is the same float32 operations in the same order as its original (and as
 * docs/stream.md), so the outputs are the same bits.
 */
import { cosPoly, ndtri32, sinPoly, ANGLE_STEP, LOG_SPLIT } from "../math/f32.js";

const f = Math.fround;
import { P_MIN as PLAN_P_MIN, type KernelId } from "../plan/plan.js";
import { LANES, STEPS_PER_BLOCK } from "../stream/version.js";

/** 2^-24: maps the top 24 bits of a word onto [0, 1). */
const U24 = 2 ** -24;
/** The truncated normal's probability clamp (docs/stream.md §7); P_MIN is lib/plan/plan.ts's, copied into a local for the loop. */
const P_MIN = PLAN_P_MIN;
const P_MAX = 1 - 2 ** -24;

/** uniform: v = RN32(lo + RN32(span * u)), u = (x >>> 8) * 2^-24. params = [lo, span]. */
function uniformBlock(lanes: Int32Array, params: Float32Array, dst: Float32Array, o: number): void {
  const lo = params[0];
  const span = params[1];
  const nl = LANES, steps = STEPS_PER_BLOCK;
  for (let l = 0; l < nl; l++) {
    let s0 = lanes[4 * l], s1 = lanes[4 * l + 1], s2 = lanes[4 * l + 2], s3 = lanes[4 * l + 3];
    for (let s = 0, i = o + l; s < steps; s++, i += nl) {
      const x = (s0 + s3) >>> 0;
      const t = s1 << 9;
      s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = (s3 << 11) | (s3 >>> 21);
      dst[i] = lo + f(span * ((x >>> 8) * U24));
    }
  }
}

// logParts's and ndtri32's constants (lib/math/f32.ts, docs/stream.md §5 and §7), for the copies
// written out in normalBlock and truncNormalBlock.
const A0 = f(3.3871327179), A1 = f(50.434271938), A2 = f(159.29113202), A3 = f(59.10937472);
const B1 = f(17.895169469), B2 = f(78.757757664), B3 = f(67.1875636);
const C0 = f(1.4234372777), C1 = f(2.75681539), C2 = f(1.3067284816), C3 = f(0.17023821103);
const D1 = f(0.7370016425), D2 = f(0.12021132975);
const SPLIT1 = f(0.425);
const CONST1 = f(0.180625);
const CONST2 = f(1.6);
const LOG_P0 = f(7.0376836292e-2), LOG_P1 = f(-1.151461031e-1), LOG_P2 = f(1.167699874e-1);
const LOG_P3 = f(-1.2420140846e-1), LOG_P4 = f(1.4249322787e-1), LOG_P5 = f(-1.6668057665e-1);
const LOG_P6 = f(2.0000714765e-1), LOG_P7 = f(-2.4999993993e-1), LOG_P8 = f(3.3333331174e-1);
const LOG_Q1 = f(-2.12194440e-4), LOG_Q2 = f(0.693359375);
/** 2^-i for i in 0..32, exact (bmRadius's scaling). */
const POW2NEG = new Float64Array(33).map((_, i) => 2 ** -i);
/** log32's bit access: a float32 and its bits. */
const bitsF = new Float32Array(1);
const bitsI = new Int32Array(bitsF.buffer);

/**
 * normal (Box–Muller): r = bmRadius(x1); (c, s) = cos/sin(2*pi*(x2 >>> 8)/2^24) by exact quadrant
 * reduction; elements mean + std*RN32(r*c) and mean + std*RN32(r*s). params = [mean, std].
 * bmRadius and its logParts are written out here (V8 does not inline logParts into this loop:
 * 10–15% faster); sinPoly and cosPoly are small enough for V8 to inline.
 */
function normalBlock(lanes: Int32Array, params: Float32Array, dst: Float32Array, o: number): void {
  const mean = params[0];
  const std = params[1];
  const nl = LANES, pairs = STEPS_PER_BLOCK / 2, angleStep = ANGLE_STEP, logSplit = LOG_SPLIT;
  for (let l = 0; l < nl; l++) {
    let s0 = lanes[4 * l], s1 = lanes[4 * l + 1], s2 = lanes[4 * l + 2], s3 = lanes[4 * l + 3];
    for (let g = 0, i = o + l; g < pairs; g++, i += 2 * nl) {
      const x1 = s0 + s3;
      let t = s1 << 9;
      s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = (s3 << 11) | (s3 >>> 21);
      const x2 = (s0 + s3) >>> 0;
      t = s1 << 9;
      s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = (s3 << 11) | (s3 >>> 21);

      // r = bmRadius(x1) = RN32(sqrt(RN32(-2 * logParts(m, e2 - 32))))
      const vr = (x1 | 1) >>> 0;
      let e2 = 31 - Math.clz32(vr);
      let m = f(vr) * POW2NEG[e2]; // RN32(vr) / 2^e2, exact scaling, in [1, 2]
      if (m === 2) {
        m = 1;
        e2++;
      }
      let lx: number, e: number;
      if (m < logSplit) {
        lx = f(m - 1);
        e = e2 - 32;
      } else {
        lx = f(f(m * 0.5) - 1);
        e = e2 - 31;
      }
      const lz = f(lx * lx);
      const lz2 = f(lz * lz);
      const la = f(LOG_P8 + f(LOG_P7 * lx));
      const lb = f(LOG_P6 + f(LOG_P5 * lx));
      const lc = f(LOG_P4 + f(LOG_P3 * lx));
      const ld = f(LOG_P2 + f(LOG_P1 * lx));
      const lab = f(la + f(lb * lz));
      const lcd = f(lc + f(ld * lz));
      const labcd = f(lab + f(lcd * lz2));
      const lp = f(labcd + f(LOG_P0 * f(lz2 * lz2)));
      let ly = f(f(lx * lz) * lp);
      ly = f(ly + f(e * LOG_Q1));
      ly = f(ly + f(-0.5 * lz));
      const lr = f(lx + ly);
      const ln = f(lr + f(e * LOG_Q2));
      const r = f(Math.sqrt(f(-2 * ln)));
      const kk = ((x2 >>> 8) + 0x200000) & 0xffffff;
      const phi = f(((kk & 0x3fffff) - 0x200000) * angleStep);
      const sn = sinPoly(phi);
      const cs = cosPoly(phi);
      const q = kk >>> 22;
      const c = q === 0 ? cs : q === 1 ? -sn : q === 2 ? -cs : sn;
      const sv = q === 0 ? sn : q === 1 ? cs : q === 2 ? -sn : -cs;
      dst[i] = mean + f(std * f(r * c));
      dst[i + nl] = mean + f(std * f(r * sv));
    }
  }
}

/**
 * truncNormal (inverse CDF): p = clamp(RN32(pa + RN32(u * w)), P_MIN, P_MAX); z = sgn * ndtri32(p);
 * v = RN32(mean + RN32(std * z)), then v < lo -> lo, v > hi -> hi.
 * params = [mean, std, pa, w, sgn, lo, hi].
 *
 * ndtri32 (lib/math/f32.ts) is written out here, operation for operation: the central branch
 * (|p - 0.5| <= 0.425: ~89% of the draws of a ±2σ truncation) and the t <= 5 tail with log32 and
 * logParts inlined; only the far tail (t > 5, p < ~1.4e-11) calls ndtri32 itself. As a call
 * (V8 inlines neither ndtri32 nor logParts into this loop) the same work ran 1.6–1.8× slower.
 * Two more rewrites that keep every bit: sgn is folded into std (RN32(std * -z) and
 * RN32(-std * z) are the same float32, signed zeros included), and u * w is computed as
 * (x >>> 8) * (w * 2^-24): both are the same exact float64 product (24-bit by 24-bit) before the
 * one rounding.
 */
function truncNormalBlock(lanes: Int32Array, params: Float32Array, dst: Float32Array, o: number): void {
  const mean = params[0], pa = params[2], lo = params[5], hi = params[6];
  const stdS = params[4] < 0 ? -params[1] : params[1];
  const wU = params[3] * U24;
  const nl = LANES, steps = STEPS_PER_BLOCK, logSplit = LOG_SPLIT;
  for (let l = 0; l < nl; l++) {
    let s0 = lanes[4 * l], s1 = lanes[4 * l + 1], s2 = lanes[4 * l + 2], s3 = lanes[4 * l + 3];
    for (let s = 0, i = o + l; s < steps; s++, i += nl) {
      const x = (s0 + s3) >>> 0;
      const t = s1 << 9;
      s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = (s3 << 11) | (s3 >>> 21);
      let p = f(pa + f((x >>> 8) * wU));
      if (p < P_MIN) p = P_MIN;
      if (p > P_MAX) p = P_MAX;
      // z = ndtri32(p)
      const q = f(p - 0.5);
      let z: number;
      if (q <= SPLIT1 && q >= -SPLIT1) {
        const r = f(CONST1 - f(q * q));
        const num = f(f(f(f(f(f(A3 * r) + A2) * r) + A1) * r) + A0);
        const den = f(f(f(f(f(f(B3 * r) + B2) * r) + B1) * r) + 1);
        z = f(f(q * num) / den);
      } else {
        // ln = log32(q < 0 ? p : 1 - p) = logParts(m, E)
        bitsF[0] = q < 0 ? p : f(1 - p);
        const bits = bitsI[0];
        const E = ((bits >>> 23) & 0xff) - 127;
        bitsI[0] = (bits & 0x7fffff) | 0x3f800000;
        const m = bitsF[0];
        let lx: number, e: number;
        if (m < logSplit) {
          lx = f(m - 1);
          e = E;
        } else {
          lx = f(f(m * 0.5) - 1);
          e = E + 1;
        }
        const lz = f(lx * lx);
        const lz2 = f(lz * lz);
        const la = f(LOG_P8 + f(LOG_P7 * lx));
        const lb = f(LOG_P6 + f(LOG_P5 * lx));
        const lc = f(LOG_P4 + f(LOG_P3 * lx));
        const ld = f(LOG_P2 + f(LOG_P1 * lx));
        const lab = f(la + f(lb * lz));
        const lcd = f(lc + f(ld * lz));
        const labcd = f(lab + f(lcd * lz2));
        const lp = f(labcd + f(LOG_P0 * f(lz2 * lz2)));
        let ly = f(f(lx * lz) * lp);
        ly = f(ly + f(e * LOG_Q1));
        ly = f(ly + f(-0.5 * lz));
        const lr = f(lx + ly);
        const ln = f(lr + f(e * LOG_Q2));
        const r = f(Math.sqrt(f(-ln)));
        if (r <= 5) {
          const tc = f(r - CONST2);
          const num = f(f(f(f(f(f(C3 * tc) + C2) * tc) + C1) * tc) + C0);
          const den = f(f(f(f(D2 * tc) + D1) * tc) + 1);
          z = f(num / den);
          if (q < 0) z = -z;
        } else {
          z = ndtri32(p);
        }
      }
      let v = f(mean + f(stdS * z));
      if (v < lo) v = lo;
      if (v > hi) v = hi;
      dst[i] = v;
    }
  }
}

export type BlockKernel = (lanes: Int32Array, params: Float32Array, dst: Float32Array, o: number) => void;

const BLOCK_KERNELS: Record<KernelId, BlockKernel> = {
  uniform: uniformBlock,
  normal: normalBlock,
  truncNormal: truncNormalBlock,
};

// Exported at the end so that, in the CommonJS output, the loops above read these as locals and
// not as `exports.x` properties (see the header).
export { P_MIN, P_MAX, BLOCK_KERNELS, uniformBlock, normalBlock, truncNormalBlock };
