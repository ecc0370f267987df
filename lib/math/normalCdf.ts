/**
 * The standard normal CDF for the truncated normal's per-call parameters (never per element):
 * `normalCdf` in float64 (the fast path), and `normalCdfFixed` in 448-bit fixed point for the
 * rare parameters whose float32 rounding the float64 value cannot decide (lib/api/truncNormal.ts
 * truncatedMass; docs/stream.md §7 pins the exactly rounded values).
 *
 * normalCdf:
 * |x| <= 3: Phi = (1 + erf(x/sqrt2)) / 2 with the all-positive series
 *   erf(y) = 2/sqrt(pi) * exp(-y^2) * sum_n 2^n y^(2n+1) / (1*3*...*(2n+1))   (no cancellation)
 * |x| > 3: the tail 0.5 * erfc(|x|/sqrt2) from the Laplace continued fraction
 *   erfc(y) = exp(-y^2)/sqrt(pi) * 1/(y + (1/2)/(y + 1/(y + (3/2)/(y + ...)))), Lentz's method.
 * Agrees with Python's math.erfc to about 1e-15 relative (test/formulas.test.ts).
 */

const INV_SQRT_PI = 0.5641895835477563;

function erfSeries(y: number): number {
  let term = y;
  let sum = y;
  for (let n = 1; n < 200 && Math.abs(term) > 1e-17 * Math.abs(sum); n++) {
    term *= (2 * y * y) / (2 * n + 1);
    sum += term;
  }
  return 2 * INV_SQRT_PI * Math.exp(-y * y) * sum;
}

function erfcFraction(y: number): number {
  // Lentz evaluation of y + a1/(y + a2/(y + ...)) with a_k = k/2
  const tiny = 1e-300;
  let fr = y;
  let c = y;
  let d = 0;
  for (let k = 1; k < 500; k++) {
    const a = k / 2;
    d = y + a * d;
    d = Math.abs(d) < tiny ? tiny : d;
    c = y + a / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    fr *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return (Math.exp(-y * y) * INV_SQRT_PI) / fr;
}

/** Phi(x), the standard normal CDF, to about 1e-15 relative accuracy (also in the far tails). */
export function normalCdf(x: number): number {
  if (x === -Infinity) return 0;
  if (x === Infinity) return 1;
  const y = Math.abs(x) / Math.SQRT2;
  if (Math.abs(x) <= 3) return 0.5 * (1 + Math.sign(x) * erfSeries(y));
  const tail = 0.5 * erfcFraction(y);
  return x < 0 ? tail : 1 - tail;
}

// ---- exact: Phi in 448-bit fixed point, for the correctly rounded float32 parameters ----------

/** Fraction bits of the fixed-point values below: a value v is the bigint v * 2^FRAC. */
export const CDF_FRAC = 448n;
const ONE = 1n << CDF_FRAC;
/** sqrt(2/pi) to 140 digits (mpmath), in fixed point. */
const SQRT_2_OVER_PI = (BigInt("79788456080286535587989211986876373695171726232986931533185165934131585179860367700250466781461387286060511772527036537102198390911167448599") << CDF_FRAC) / 10n ** 140n;

/** |x| * 2^FRAC, truncated: exact for every double at or above 2^-448. */
function fixedAbs(x: number): bigint {
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, Math.abs(x));
  const hi = dv.getUint32(0);
  const bexp = hi >>> 20;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(dv.getUint32(4));
  let e = -1074;
  if (bexp !== 0) {
    mant |= 1n << 52n;
    e = bexp - 1075;
  }
  const s = BigInt(e) + CDF_FRAC;
  return s >= 0n ? mant << s : mant >> -s;
}

/**
 * Phi(x) * 2^448 for a finite double x, within 2^-430 of the exact value:
 *   Phi(x) = (1 + sign(x) erf(|x|/sqrt2)) / 2,  erf(|x|/sqrt2) = sqrt(2/pi) * S / E,
 *   S = sum_n |x|^(2n+1) / (1*3*...*(2n+1)),  E = exp(x^2/2) = sum_k (x^2/2)^k / k!
 * (both series all-positive: no cancellation; each term is truncated once, at most ~2000 terms).
 * Beyond |x| >= 27 Phi is within 2^-530 of 0 or 1 and that is returned.
 */
export function normalCdfFixed(x: number): bigint {
  if (x === 0) return ONE >> 1n;
  if (x <= -27) return 0n;
  if (x >= 27) return ONE;
  const X = fixedAbs(x);
  const X2 = (X * X) >> CDF_FRAC;
  let t = X;
  let sum = X;
  for (let n = 1n; t !== 0n; n++) {
    t = ((t * X2) >> CDF_FRAC) / (2n * n + 1n);
    sum += t;
  }
  const h = X2 >> 1n;
  let u = ONE;
  let e = ONE;
  for (let k = 1n; u !== 0n; k++) {
    u = ((u * h) >> CDF_FRAC) / k;
    e += u;
  }
  let erf = (SQRT_2_OVER_PI * sum) / e;
  if (erf > ONE) erf = ONE;
  return x > 0 ? (ONE + erf) >> 1n : (ONE - erf) >> 1n;
}

/** RN32 (nearest float32, ties to even; subnormals included) of the fixed-point value v * 2^-448. */
export function fixedToFloat32(v: bigint): number {
  if (v === 0n) return 0;
  const a = v < 0n ? -v : v;
  const exp = a.toString(2).length - 1 - Number(CDF_FRAC); // floor(log2 |value|)
  const q = Math.max(exp, -126) - 23; // the float32 quantum at that magnitude is 2^q
  const shift = BigInt(q) + CDF_FRAC;
  let m: bigint;
  if (shift <= 0n) {
    m = a << -shift;
  } else {
    m = a >> shift;
    const rem = a - (m << shift);
    const half = 1n << (shift - 1n);
    if (rem > half || (rem === half && (m & 1n) === 1n)) m += 1n;
  }
  const r = Number(m) * 2 ** q; // exact: m <= 2^24, q >= -149
  return v < 0n ? -r : r;
}
