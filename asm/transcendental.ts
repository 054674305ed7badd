// Transcendental functions of four float32 lanes for the activation kernels (asm/elementwise.ts): exp, expm1, log,
// log1p, sigmoid, tanh, softplus, swish's derivative, and the standard normal CDF and density. NaN propagates through
// each; their error against the js reference (float64 Math rounded once) is bounded, per op and with its reasons, in
// test/backend/wasm-transcendental.test.ts.
import { madd } from './simd';

const ZERO = f32x4.splat(0);
const ONE = f32x4.splat(1);
const TWO = f32x4.splat(2);
const HALF = f32x4.splat(0.5);
const QUARTER = f32x4.splat(0.25);
const NAN = f32x4.splat(NaN);
const INFINITY = f32x4.splat(Infinity);
const NEG_INFINITY = f32x4.splat(-Infinity);
const SIGN = i32x4.splat(0x80000000);

const LOG2E = f32x4.splat(1.44269504);
// Cody–Waite split of ln 2: LN2_HI has 9 significant bits, so n·LN2_HI is exact for the |n| < 2^15 used here, and
// x − n·LN2_HI is exact too when n = round(x·log2 e) (the two are within a factor of 2); LN2_LO = ln 2 − LN2_HI.
const LN2_HI = f32x4.splat(0.693359375);
const LN2_LO = f32x4.splat(-2.12194440e-4);
const NEG_LN2_HI = f32x4.splat(-0.693359375);
const NEG_LN2_LO = f32x4.splat(2.12194440e-4);

// e^r − 1 − r ≈ r²·P(r) on |r| ≤ ln2 / 2: the minimax coefficients of Cephes expf.c (S. Moshier, 1992), whose
// single-precision exp measures a peak relative error of 7.6e-8 on [−½, ½].
const P0 = f32x4.splat(1.9875691500e-4);
const P1 = f32x4.splat(1.3981999507e-3);
const P2 = f32x4.splat(8.3334519073e-3);
const P3 = f32x4.splat(4.1665795894e-2);
const P4 = f32x4.splat(1.6666665459e-1);
const P5 = f32x4.splat(5.0000001201e-1);

// e^x rounds to +Infinity above 88.73 and to 0 below −103.98; clamping a little beyond keeps 2^n buildable.
const EXP_MAX = f32x4.splat(89);
const EXP_MIN = f32x4.splat(-110);
// e^x − 1 rounds to −1 below −17.33.
const EXPM1_MIN = f32x4.splat(-30);

/** e^r − 1 on |r| ≤ ln2 / 2, accurate relative to itself (so near r = 0 too): r + r²·P(r). */
@inline
function expm1Reduced(r: v128): v128 {
  let p = madd(P0, r, P1);
  p = madd(p, r, P2);
  p = madd(p, r, P3);
  p = madd(p, r, P4);
  p = madd(p, r, P5);
  return madd(f32x4.mul(r, r), p, r);
}

/** 2^k for integer lanes −126 ≤ k ≤ 127, built in the exponent bits. */
@inline
function pow2(k: v128): v128 {
  return i32x4.shl(i32x4.add(k, i32x4.splat(127)), 23);
}

// Adding 1.5·2^23 rounds a float below 2^22 in magnitude to an integer (round to nearest even, as nearest does),
// and leaves that integer in the low mantissa bits: subtracting the constant's bits reads it out as an i32.
const ROUNDER = f32x4.splat(12582912);
const ROUNDER_BITS = i32x4.splat(0x4b400000);

/**
 * e^(h + lo) = 2^n·e^r with n = round(s·log2 e) for s = h + lo clamped (s may differ from h + lo beyond the range,
 * where the result is 0 or +Infinity anyway): r = h − n·ln2 + lo by Cody–Waite, e^r by the polynomial, and 2^n applied
 * in two halves so that results in the subnormal range are rounded once and overflow gives +Infinity.
 */
@inline
function expReduced(h: v128, lo: v128, s: v128): v128 {
  const shifted = madd(s, LOG2E, ROUNDER);
  const n = f32x4.sub(shifted, ROUNDER);
  let r = madd(n, NEG_LN2_HI, h);
  r = f32x4.add(r, lo);
  r = madd(n, NEG_LN2_LO, r);
  const k = i32x4.sub(shifted, ROUNDER_BITS);
  const k1 = i32x4.shr_s(k, 1);
  const k2 = i32x4.sub(k, k1);
  return f32x4.mul(f32x4.mul(f32x4.add(ONE, expm1Reduced(r)), pow2(k1)), pow2(k2));
}

@inline
function clampExp(x: v128): v128 {
  return f32x4.min(f32x4.max(x, EXP_MIN), EXP_MAX);
}

/** e^(hi + lo), where |lo| ≤ 2 carries what hi could not (the rounding error of a product, or a small term). */
@inline
export function expSum(hi: v128, lo: v128): v128 {
  const h = clampExp(hi);
  return expReduced(h, lo, clampExp(f32x4.add(h, lo)));
}

/** e^x. */
@inline
export function exp(x: v128): v128 {
  const h = clampExp(x);
  return expReduced(h, ZERO, h);
}

/**
 * e^x − 1 for x ≤ 0 (positive lanes give 0), accurate near 0: e^x − 1 = 2^n·(e^r − 1) + (2^n − 1), which is the
 * polynomial alone for |x| ≤ ln2 / 2. ±0 map to themselves, as expm1 does.
 */
@inline
export function expm1NonPositive(x: v128): v128 {
  const xc = f32x4.min(f32x4.max(x, EXPM1_MIN), ZERO);
  const shifted = madd(xc, LOG2E, ROUNDER);
  const n = f32x4.sub(shifted, ROUNDER);
  const r = madd(n, NEG_LN2_LO, madd(n, NEG_LN2_HI, xc));
  const scale = pow2(i32x4.sub(shifted, ROUNDER_BITS));
  const result = madd(scale, expm1Reduced(r), f32x4.sub(scale, ONE));
  return v128.bitselect(x, result, f32x4.eq(x, ZERO));
}

/**
 * log(1 + f) for |f| ≤ 1/2 as 2·atanh(s) with s = f / (2 + f), |s| ≤ 1/5: 2s + 2s·(s²/3 + s⁴/5 + … + s¹⁰/11); the
 * first omitted term is below 2⁻³¹ of the result. 2s is formed as 2f / (2 + f), which stays exact for subnormal f.
 */
@inline
function log1pSmall(f: v128): v128 {
  const twoS = f32x4.div(f32x4.add(f, f), f32x4.add(TWO, f));
  const z = f32x4.mul(f32x4.mul(twoS, twoS), QUARTER);
  let p = madd(f32x4.splat(1.0 / 11.0), z, f32x4.splat(1.0 / 9.0));
  p = madd(p, z, f32x4.splat(1.0 / 7.0));
  p = madd(p, z, f32x4.splat(1.0 / 5.0));
  p = madd(p, z, f32x4.splat(1.0 / 3.0));
  return madd(f32x4.mul(twoS, z), p, twoS);
}

/** log(1 + u) for 0 ≤ u ≤ 1: the series on u itself below 1/2, else ln 2 + log(1 + (u − 1)/2), both exact arguments. */
@inline
export function log1pUnit(u: v128): v128 {
  const upper = f32x4.ge(u, HALF);
  const l = log1pSmall(v128.bitselect(f32x4.mul(f32x4.sub(u, ONE), HALF), u, upper));
  return v128.bitselect(f32x4.add(LN2_HI, f32x4.add(l, LN2_LO)), l, upper);
}

const MIN_NORMAL = f32x4.splat(1.17549435e-38);
const TWO_TO_23 = f32x4.splat(8388608);
const SQRT2 = f32x4.splat(1.41421356);

/**
 * Natural log: x = 2^e·m with m in [√2/2, √2] read from the bits (subnormals scaled by 2^23 first), then
 * e·ln 2 + log(1 + (m − 1)) with m − 1 exact. log(±0) = −Infinity, log(+Infinity) = +Infinity, log(x < 0) = NaN.
 */
@inline
export function log(x: v128): v128 {
  const tiny = f32x4.lt(x, MIN_NORMAL);
  const bits = v128.bitselect(f32x4.mul(x, TWO_TO_23), x, tiny);
  let e = i32x4.sub(i32x4.shr_u(bits, 23), i32x4.splat(127));
  e = i32x4.sub(e, v128.and(tiny, i32x4.splat(23)));
  let m = v128.or(v128.and(bits, i32x4.splat(0x007fffff)), ONE);
  const big = f32x4.gt(m, SQRT2);
  m = v128.bitselect(f32x4.mul(m, HALF), m, big);
  e = i32x4.sub(e, big); // a true mask lane is −1
  const ef = f32x4.convert_i32x4_s(e);
  let result = madd(ef, LN2_HI, madd(ef, LN2_LO, log1pSmall(f32x4.sub(m, ONE))));
  result = v128.bitselect(INFINITY, result, f32x4.eq(x, INFINITY));
  result = v128.bitselect(NEG_INFINITY, result, f32x4.eq(x, ZERO));
  return v128.bitselect(result, NAN, f32x4.ge(x, ZERO));
}

/** 1 / (1 + e^−x), formed from e^−|x| ≤ 1 so that neither side overflows: x ≥ 0: 1 / (1 + e), x < 0: e / (1 + e). */
@inline
export function sigmoid(x: v128): v128 {
  const e = exp(f32x4.neg(f32x4.abs(x)));
  return f32x4.div(v128.bitselect(ONE, e, f32x4.ge(x, ZERO)), f32x4.add(ONE, e));
}

/**
 * swish'(x) = s + x·s(1 − s) with s = σ(x), where s(1 − s) = e/(1 + e)² for e = e^−|x| on both sides: it stays accurate
 * where s rounds to 1 (1 − s would be 0 there).
 */
@inline
export function swishDerivative(x: v128): v128 {
  const e = exp(f32x4.neg(f32x4.abs(x)));
  const d = f32x4.add(ONE, e);
  const s = f32x4.div(v128.bitselect(ONE, e, f32x4.ge(x, ZERO)), d);
  return madd(x, f32x4.div(e, f32x4.mul(d, d)), s);
}

/** tanh|x| = −t / (t + 2) with t = e^(−2|x|) − 1 (no cancellation anywhere, accurate near 0), sign restored. */
@inline
export function tanh(x: v128): v128 {
  const t = expm1NonPositive(f32x4.mul(f32x4.abs(x), f32x4.splat(-2)));
  const magnitude = f32x4.div(f32x4.neg(t), f32x4.add(t, TWO));
  return v128.or(magnitude, v128.and(x, SIGN));
}

/** log(1 + e^x) = max(x, 0) + log(1 + e^−|x|). */
@inline
export function softplus(x: v128): v128 {
  return f32x4.add(f32x4.max(x, ZERO), log1pUnit(exp(f32x4.neg(f32x4.abs(x)))));
}

const NEG_HALF = f32x4.splat(-0.5);
const VELTKAMP = f32x4.splat(4097); // 2^12 + 1 splits a float32 into two 12-bit halves
const PHI_LIMIT = f32x4.splat(16); // Φ(−16) rounds to 0 and Φ(16) to 1
const INV_SQRT_2PI = f32x4.splat(0.398942280);

/** The high part of −x²/2: the rounded product. */
@inline
function negHalfSquareHi(x: v128): v128 {
  return f32x4.mul(f32x4.mul(x, x), NEG_HALF);
}

/** The low part of −x²/2 = hi + lo, exactly: Dekker's product with Veltkamp's split (plain multiplies, never fused). */
@inline
function negHalfSquareLo(x: v128): v128 {
  const c = f32x4.mul(x, VELTKAMP);
  const xh = f32x4.sub(c, f32x4.sub(c, x));
  const xl = f32x4.sub(x, xh);
  const square = f32x4.mul(x, x);
  const lo = f32x4.add(f32x4.add(f32x4.sub(f32x4.mul(xh, xh), square), f32x4.mul(f32x4.add(xh, xh), xl)),
    f32x4.mul(xl, xl));
  return f32x4.mul(lo, NEG_HALF);
}

/** x clamped to [−16, 16], where Φ and the density have reached their float32 limits (NaN stays NaN). */
@inline
export function clampNormal(x: v128): v128 {
  return f32x4.min(f32x4.max(x, f32x4.neg(PHI_LIMIT)), PHI_LIMIT);
}

/**
 * Φ(x) for x clamped by clampNormal, from two published forms, each within float32 accuracy on its side of |x| = 1:
 * - |x| < 1: the Maclaurin series Φ(x) = ½ + x/√(2π)·Σ (−x²/2)ⁿ / (n!·(2n + 1)), to n = 8 (the first omitted
 *   term is below 2⁻³¹ of the sum). Near 0, where gelu ≈ x/2, this keeps Φ's relative error at a rounding or two.
 * - |x| ≥ 1: ½·erfc(|x|/√2), or 1 minus it, with erfc(z) = t·exp(−z² + P(t)), t = 1/(1 + z/2), the Chebyshev fit
 *   of Numerical Recipes in C (2nd ed., §6.2, erfcc; fractional error below 1.2e-7 for every z ≥ 0). −z² = −x²/2 is
 *   formed exactly from x (hi + lo), so the tail keeps float32 accuracy relative to Φ itself.
 */
@inline
export function normalCdf(x: v128): v128 {
  const w = f32x4.mul(x, x);
  let s = madd(f32x4.splat(1.0 / 175472640.0), w, f32x4.splat(-1.0 / 9676800.0));
  s = madd(s, w, f32x4.splat(1.0 / 599040.0));
  s = madd(s, w, f32x4.splat(-1.0 / 42240.0));
  s = madd(s, w, f32x4.splat(1.0 / 3456.0));
  s = madd(s, w, f32x4.splat(-1.0 / 336.0));
  s = madd(s, w, f32x4.splat(1.0 / 40.0));
  s = madd(s, w, f32x4.splat(-1.0 / 6.0));
  s = madd(s, w, ONE);
  const series = madd(f32x4.mul(x, INV_SQRT_2PI), s, HALF);

  const t = f32x4.div(ONE, madd(f32x4.abs(x), f32x4.splat(0.353553391), ONE)); // 1 / (1 + |x|/(2√2))
  let p = madd(f32x4.splat(0.17087277), t, f32x4.splat(-0.82215223));
  p = madd(p, t, f32x4.splat(1.48851587));
  p = madd(p, t, f32x4.splat(-1.13520398));
  p = madd(p, t, f32x4.splat(0.27886807));
  p = madd(p, t, f32x4.splat(-0.18628806));
  p = madd(p, t, f32x4.splat(0.09678418));
  p = madd(p, t, f32x4.splat(0.37409196));
  p = madd(p, t, f32x4.splat(1.00002368));
  p = madd(p, t, f32x4.splat(-1.26551223));
  const halfErfc = f32x4.mul(f32x4.mul(t, expSum(negHalfSquareHi(x), f32x4.add(negHalfSquareLo(x), p))), HALF);
  const tail = v128.bitselect(halfErfc, f32x4.sub(ONE, halfErfc), f32x4.lt(x, ZERO));
  return v128.bitselect(series, tail, f32x4.lt(f32x4.abs(x), ONE));
}

/** The standard normal density e^(−x²/2) / √(2π), for x clamped by clampNormal. */
@inline
export function normalDensity(x: v128): v128 {
  return f32x4.mul(expSum(negHalfSquareHi(x), negHalfSquareLo(x)), INV_SQRT_2PI);
}
