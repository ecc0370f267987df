/**
 * Float32 elementary functions of the stream: logarithm, sine/cosine on [-pi/4, pi/4] and the
 * inverse normal CDF. Implements docs/stream.md §5–§6.
 *
 * Rounding rule: every + - * / sqrt is rounded to float32 (Math.fround) in exactly the order
 * written here; C++ reproduces it with -ffp-contract=off and no FMA. Changing the order of any
 * operation changes output bits and needs a STREAM_VERSION bump.
 *
 * Sources of the constants:
 *  - log: Cephes logf.c (S. L. Moshier), minimax polynomial on [sqrt(1/2)-1, sqrt(2)-1],
 *    evaluated here in Estrin's order (shorter dependency chains than Horner's).
 *  - sin/cos: Cephes sinf.c / cosf.c polynomials for |x| <= pi/4.
 *  - ndtri: Wichura, Algorithm AS 241 (Appl. Statist. 1988, 37(3)), PPND7, accurate to about 1e-7
 *    (checked against scipy.special.ndtri: max relative error 1.2e-7 in float64 arithmetic).
 */

const f = Math.fround;

// --- log ------------------------------------------------------------------------------------
const LOG_P0 = f(7.0376836292e-2);
const LOG_P1 = f(-1.151461031e-1);
const LOG_P2 = f(1.167699874e-1);
const LOG_P3 = f(-1.2420140846e-1);
const LOG_P4 = f(1.4249322787e-1);
const LOG_P5 = f(-1.6668057665e-1);
const LOG_P6 = f(2.0000714765e-1);
const LOG_P7 = f(-2.4999993993e-1);
const LOG_P8 = f(3.3333331174e-1);
const LOG_Q1 = f(-2.12194440e-4);
const LOG_Q2 = f(0.693359375);
/** 2 * float32(sqrt(1/2)) = 0x3FB504F3: mantissas at or above it are halved (Cephes's test). */
const LOG_SPLIT = f(1.41421353816986083984375);

/**
 * ln(m * 2^E) for m in [1, 2] (float32) and an integer E. Cephes logf with Estrin evaluation.
 */
function logParts(m: number, E: number): number {
  let x: number;
  let e: number;
  if (m < LOG_SPLIT) {
    x = f(m - 1);
    e = E;
  } else {
    x = f(f(m * 0.5) - 1);
    e = E + 1;
  }
  const z = f(x * x);
  const z2 = f(z * z);
  const a = f(LOG_P8 + f(LOG_P7 * x));
  const b = f(LOG_P6 + f(LOG_P5 * x));
  const c = f(LOG_P4 + f(LOG_P3 * x));
  const d = f(LOG_P2 + f(LOG_P1 * x));
  const ab = f(a + f(b * z));
  const cd = f(c + f(d * z));
  const abcd = f(ab + f(cd * z2));
  const p = f(abcd + f(LOG_P0 * f(z2 * z2)));
  let y = f(f(x * z) * p);
  y = f(y + f(e * LOG_Q1));
  y = f(y + f(-0.5 * z));
  const r = f(x + y);
  return f(r + f(e * LOG_Q2));
}

const scratchF = new Float32Array(1);
const scratchI = new Int32Array(scratchF.buffer);

/** ln(x) for a positive, normal float32 x. */
function log32(x: number): number {
  scratchF[0] = x;
  const bits = scratchI[0];
  const E = ((bits >>> 23) & 0xff) - 127;
  scratchI[0] = (bits & 0x7fffff) | 0x3f800000;
  return logParts(scratchF[0], E);
}

/** 2^-i for i in 0..32, exact. */
const POW2NEG = Array.from({ length: 33 }, (_, i) => 2 ** -i);

/**
 * Box–Muller radius from a raw 32-bit word w: u1 = RN32(w | 1) * 2^-32 in (0, 1],
 * r = sqrt(-2 ln u1). The 32-bit argument reaches |z| <= 6.66 (24 bits would stop at 5.77).
 */
function bmRadius(w: number): number {
  const v = (w | 1) >>> 0;
  let e2 = 31 - Math.clz32(v);
  let m = f(v) * POW2NEG[e2]; // RN32(v) / 2^e2, exact scaling, in [1, 2]
  if (m === 2) {
    m = 1;
    e2++;
  }
  const l = logParts(m, e2 - 32);
  return f(Math.sqrt(f(-2 * l)));
}

// --- sin / cos --------------------------------------------------------------------------------
const SIN_S1 = f(-1.6666654611e-1);
const SIN_S2 = f(8.3321608736e-3);
const SIN_S3 = f(-1.9515295891e-4);
const COS_C1 = f(4.166664568298827e-2);
const COS_C2 = f(-1.388731625493765e-3);
const COS_C3 = f(2.443315711809948e-5);
/** RN32(pi/2) * 2^-22: maps the 22-bit in-quadrant index to radians (exact scaling). */
const ANGLE_STEP = f(Math.PI / 2) * 2 ** -22;

/** sin(x) for |x| <= pi/4 (Cephes sinf polynomial, Horner). */
function sinPoly(x: number): number {
  const z = f(x * x);
  const p = f(f(f(f(SIN_S3 * z) + SIN_S2) * z) + SIN_S1);
  return f(f(f(p * z) * x) + x);
}

/** cos(x) for |x| <= pi/4 (Cephes cosf polynomial, Horner). */
function cosPoly(x: number): number {
  const z = f(x * x);
  const p = f(f(f(f(COS_C3 * z) + COS_C2) * z) + COS_C1);
  return f(f(f(f(p * z) * z) - f(0.5 * z)) + 1);
}

/**
 * cos and sin of theta = 2*pi*k/2^24 for a 24-bit integer k, written to out[0], out[1].
 * Quadrant reduction is exact integer arithmetic: k + 2^21 = q*2^22 + (i + 2^21), i in [-2^21, 2^21),
 * theta = q*pi/2 + phi with phi = RN32(i * ANGLE_STEP), |phi| <= pi/4.
 */
function sinCos2Pi(k: number, out: Float64Array | number[]): void {
  const kk = (k + 0x200000) & 0xffffff;
  const q = kk >>> 22;
  const phi = f(((kk & 0x3fffff) - 0x200000) * ANGLE_STEP); // exact product, rounded once
  const s = sinPoly(phi);
  const c = cosPoly(phi);
  switch (q) {
    case 0: out[0] = c; out[1] = s; break;
    case 1: out[0] = -s; out[1] = c; break;
    case 2: out[0] = -c; out[1] = -s; break;
    default: out[0] = s; out[1] = -c; break;
  }
}

// --- inverse normal CDF (AS 241, PPND7) ------------------------------------------------------
const A0 = f(3.3871327179), A1 = f(50.434271938), A2 = f(159.29113202), A3 = f(59.10937472);
const B1 = f(17.895169469), B2 = f(78.757757664), B3 = f(67.1875636);
const C0 = f(1.4234372777), C1 = f(2.75681539), C2 = f(1.3067284816), C3 = f(0.17023821103);
const D1 = f(0.7370016425), D2 = f(0.12021132975);
const E0 = f(6.657905115), E1 = f(3.081226386), E2 = f(0.42868294337), E3 = f(0.017337203997);
const F1 = f(0.24197894225), F2 = f(0.012258202635);
const SPLIT1 = f(0.425);
const CONST1 = f(0.180625);
const CONST2 = f(1.6);

/** Phi^-1(p) in float32 for p in [2^-100, 1 - 2^-24] (callers clamp p into that range). */
function ndtri32(p: number): number {
  const q = f(p - 0.5);
  if (Math.abs(q) <= SPLIT1) {
    const r = f(CONST1 - f(q * q));
    const num = f(f(f(f(f(f(A3 * r) + A2) * r) + A1) * r) + A0);
    const den = f(f(f(f(f(f(B3 * r) + B2) * r) + B1) * r) + 1);
    return f(f(q * num) / den);
  }
  let r = q < 0 ? p : f(1 - p);
  r = f(Math.sqrt(f(-log32(r))));
  let z: number;
  if (r <= 5) {
    const t = f(r - CONST2);
    const num = f(f(f(f(f(f(C3 * t) + C2) * t) + C1) * t) + C0);
    const den = f(f(f(f(D2 * t) + D1) * t) + 1);
    z = f(num / den);
  } else {
    const t = f(r - 5);
    const num = f(f(f(f(f(f(E3 * t) + E2) * t) + E1) * t) + E0);
    const den = f(f(f(f(F2 * t) + F1) * t) + 1);
    z = f(num / den);
  }
  return q < 0 ? -z : z;
}

// Exported at the end so that CommonJS output calls these as locals, not `exports.x` lookups
// (which kept V8 from inlining the hot float32 helpers: 5x slower normal fills).
export { f, LOG_SPLIT, logParts, log32, bmRadius, ANGLE_STEP, sinPoly, cosPoly, sinCos2Pi, ndtri32 };
