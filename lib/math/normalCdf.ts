/**
 * The standard normal CDF Phi(x) in float64, for per-call parameters of the truncated normal
 * (never per element; the result is rounded to float32 before any kernel sees it).
 *
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
