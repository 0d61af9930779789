// Special functions in f64 (scalar; the float32 kernels evaluate these and round once).
// Methods, all written for this project (coefficients from scripts/special_coeffs.py, mpmath):
//   erf    |x| < 1/2: the alternating Maclaurin series; else 1 - erfc in double-double.
//   erfc   x < 0.375: 1 - erf; [0.375, 6.125): exp(-x^2) erfcx(x), erfcx from Taylor tables
//          around 0.5 + k/4; beyond: exp(-x^2) times the continued fraction of erfcx; both
//          factors in double-double (x^2 split exactly, a Cody-Waite exp), one final rounding.
//   expm1  x in [0.35, 709.78] or [-37, -0.35]: the double-double exp minus 1; musl's elsewhere.
//   erfinv Halley's iteration on erf (|y| <= 1/2) or erfc (1 - |y| is exact there), from
//          Winitzki's closed-form guess.
//   lgamma Taylor series at 1 and 2 (so the zeros at 1 and 2 keep relative precision),
//          upward recurrence products to [1.5, 2.5), Stirling's series from 10, reflection < 0.
//   digamma: Taylor series around 1 + k/2 up to 10.25 and around its positive root (mpmath),
//          psi(x + 1) - 1/x below 0.75, the asymptotic series above, reflection below 0 except
//          within 1/8 of the first 10 negative roots (Taylor series around each, mpmath).
//   trigamma: recurrence to >= 10, asymptotic series; reflection below 0.
//   polygamma n >= 2: polygamma.ts (Hurwitz zeta in scaled double-double).
import {
  ERFCX_TERMS, ERFCX_TAYLOR, ERFCX_C0_LO, LGAMMA_TERMS, LGAMMA_AT_1, LGAMMA_AT_2,
  DIGAMMA_ROOT_HI, DIGAMMA_ROOT_LO, DIGAMMA_TERMS, DIGAMMA_AT_ROOT, BERNOULLI_2K,
  DIGAMMA_CENTRE_TERMS, DIGAMMA_AT_CENTRES,
  DIGAMMA_NEG_ROOTS, DIGAMMA_NEG_TERMS, DIGAMMA_NEG_ROOT_HI, DIGAMMA_NEG_ROOT_LO, DIGAMMA_AT_NEG_ROOTS,
} from './special_coeffs';
import { erfinv64 } from './random';

const TWO_OVER_SQRT_PI: f64 = 1.1283791670955126;
const INV_SQRT_PI: f64 = 0.5641895835477563;
const INV_SQRT_PI_LO: f64 = 7.66772980658294e-18; // 1/sqrt(pi) - INV_SQRT_PI
const HALF_LOG_2PI: f64 = 0.9189385332046728;

/** exp(-x*x) with x*x split exactly into hi*hi + (x - hi)(x + hi). */
function expNegSquare(x: f64): f64 {
  const hi = reinterpret<f64>(reinterpret<u64>(x) & 0xFFFFFFFFF8000000);
  return Math.exp(-hi * hi) * Math.exp(-(x - hi) * (x + hi));
}

function poly(c: StaticArray<f64>, off: i32, n: i32, z: f64): f64 {
  let s = unchecked(c[off + n - 1]);
  for (let k = n - 2; k >= 0; k--) s = s * z + unchecked(c[off + k]);
  return s;
}

/** a * b = p + e exactly (Dekker's product; no FMA needed). */
@inline function twoProductErr(a: f64, b: f64, p: f64): f64 {
  const ta = 134217729.0 * a, ah = ta - (ta - a), al = a - ah;
  const tb = 134217729.0 * b, bh = tb - (tb - b), bl = b - bh;
  return ((ah * bh - p) + ah * bl + al * bh) + al * bl;
}
const TWO_OVER_SQRT_PI_LO: f64 = 1.533545961316588e-17;

export function erf(x: f64): f64 {
  const ax = Math.abs(x);
  if (x == 0) return x; // keeps -0
  if (ax >= 0.5 && ax < 6) {
    // 1 - erfc(|x|) with erfc's double-double parts: the alternating series loses up to 3 ulp
    // towards 1 (the sum of |terms| is twice the result)
    const h = erfcParts(ax), d = 1 - h, bb = d - 1;
    const r = d + (((1 - (d - bb)) + (-h - bb)) - ERFC_LO);
    return x < 0 ? -r : r;
  }
  if (ax < 1) {
    // erf = c x (1 + T), T = sum_n>=1 (-1)^n x^2n / (n! (2n+1)), c = 2/sqrt(pi) = C + C_LO; the
    // leading c x is carried as an exact product so only the final sum rounds at full size
    const x2 = x * x;
    let term: f64 = 1, tail: f64 = 0;
    for (let n = 1; n < 40; n++) {
      term *= -x2 / <f64>n;
      const t = term / <f64>(2 * n + 1);
      tail += t;
      if (Math.abs(t) < 1e-18) break;
    }
    const p = TWO_OVER_SQRT_PI * x;
    const e = twoProductErr(TWO_OVER_SQRT_PI, x, p);
    return p + (e + TWO_OVER_SQRT_PI_LO * x + TWO_OVER_SQRT_PI * x * tail);
  }
  if (ax != ax) return x;
  const r = 1 - erfc(ax);
  return x < 0 ? -r : r;
}

/** sinh: the Maclaurin series below 1, (e - 1/e) / 2 from a double-double exp up to 700 (musl's
 *  expm1 form was 2 ulp, and so was one rounded exp), Math.sinh beyond (where exp overflows). */
export function sinh(x: f64): f64 {
  const ax = Math.abs(x);
  if (ax != ax || ax > 700) return Math.sinh(x);
  if (ax >= 1) {
    // (e - 1/e) / 2 with e = exp(|x|) in double-double (one exp rounded was 2 ulp)
    const k = expNegDD(-ax, 0);
    const sc = reinterpret<f64>(<u64>(k + 1023) << 52);
    const h = EH * sc, l = EL * sc, ih = 1 / h;
    const d = h - ih, bb = d - h;
    const e = (h - (d - bb)) + (-ih - bb);
    const r = 0.5 * (d + (e + (l + l * ih * ih)));
    return x < 0 ? -r : r;
  }
  // x + x^3 (1/3! + x^2 (1/5! + ...)): the correction is < x/5, so x dominates the rounding
  const x2 = x * x;
  let s: f64 = 0, f: f64 = 1;
  for (let k = 21; k >= 3; k -= 2) {
    f = 1;
    for (let j = 2; j <= k; j++) f *= <f64>j;
    s = s * x2 + 1 / f;
  }
  return x + x * x2 * s;
}

// exp(-a) for a = ah + al (|al| <= ulp(ah) / 2, 0 < ah < 746) as 2^k (EH + EL), EH + EL within
// ~2^-56 relative: a Cody-Waite reduction by ln 2 (LN2_HI has 32 significant bits, so k LN2_HI is
// exact), then exp(r) = 1 + r + r^2 P(r) with the first two terms added exactly.
/** 1/n!, n = 0..18 (rounded). */
const INV_FACTORIAL: StaticArray<f64> = [
  1.0, 1.0, 0.5, 0.16666666666666666, 0.041666666666666664, 0.008333333333333333,
  0.001388888888888889, 0.0001984126984126984, 2.48015873015873e-05, 2.7557319223985893e-06, 2.755731922398589e-07, 2.505210838544172e-08,
  2.08767569878681e-09, 1.6059043836821613e-10, 1.1470745597729725e-11, 7.647163731819816e-13, 4.779477332387385e-14, 2.8114572543455206e-15, 1.5619206968586225e-16,
];
const LN2_HI: f64 = 6.93147180369123816490e-01;
const LN2_LO: f64 = 1.90821492927058770002e-10;
let EH: f64 = 0, EL: f64 = 0;
function expNegDD(ah: f64, al: f64): i32 {
  const k = <i32>Math.round(-ah / Math.LN2);
  const t = -ah - <f64>k * LN2_HI; // exact (Sterbenz: |k ln2_hi| is within a factor 2 of ah)
  const u = <f64>k * LN2_LO;
  // r = t - u - al in double-double
  const rh0 = t - u, e0 = (t - rh0) - u;
  const rh = rh0 - al, rl = ((rh0 - rh) - al) + e0;
  // P(r) = 1/2! + r/3! + ... (|r| <= 0.35: 18 terms reach 2^-60)
  let p = unchecked(INV_FACTORIAL[18]);
  for (let n = 17; n >= 2; n--) p = p * rh + unchecked(INV_FACTORIAL[n]);
  const q = rh * rh * p;
  // 1 + rh exactly (two-sum), then the small parts; e^(rh + rl) = e^rh (1 + rl) to 2^-100
  const s = 1 + rh, se = (1 - s) + rh;
  const lo = se + q + rl * (1 + rh + q);
  EH = s + lo;
  EL = lo - (EH - s);
  return k;
}

/**
 * expm1 for x in [0.35, 709.78] and [-37, -0.35], where musl's expm1 reached 2 ulp: exp(x) in
 * double-double (expNegDD), minus 1 by an exact two-sum, one rounding. Elsewhere musl's.
 */
export function expm1(x: f64): f64 {
  const ax = Math.abs(x);
  if (!(ax >= 0.35) || ax > 709.78 || x < -37) return Math.expm1(x); // below -37: -1 + tiny
  const k = expNegDD(-x, 0);
  // 2^k, in two steps past 2^1000 (x up to the overflow at 709.78)
  const k1 = k > 1000 ? k - 1000 : k, sc = reinterpret<f64>(<u64>(k1 + 1023) << 52);
  const big = k > 1000 ? 1.0715086071862673e301 : 1.0; // 2^1000
  const h = EH * sc * big, l = EL * sc * big;
  const d = h - 1, bb = d - h;
  const e = (h - (d - bb)) + (-1 - bb);
  return d + (e + l);
}

export function erfc(x: f64): f64 {
  if (x != x) return x;
  if (x < 0.375) return x < -6 ? 2 : (x < 0 ? 2 - erfc(-x) : 1 - erf(x));
  if (x >= 27.3) return 0;
  return erfcParts(x);
}

/** erfc(x) for 0.375 <= x < 27.3 as the double returned plus ERFC_LO (below its last bit). */
let ERFC_LO: f64 = 0;
function erfcParts(x: f64): f64 {
  // erfc = exp(-x^2) erfcx(x), both factors in double-double, one rounding at the end
  let ch: f64, cl: f64;
  if (x < 6.125) {
    // erfcx's Taylor sum: the leading coefficient (with its rounding error, ERFCX_C0_LO) added exactly
    const k = <i32>Math.floor((x - 0.375) * 4), z = x - (0.5 + <f64>k * 0.25), off = k * ERFCX_TERMS;
    const s1 = poly(ERFCX_TAYLOR, off + 1, ERFCX_TERMS - 1, z);
    const p = s1 * z, pe = twoProductErr(s1, z, p);
    const c0 = unchecked(ERFCX_TAYLOR[off]);
    ch = c0 + p;
    cl = ((c0 - ch) + p) + pe + unchecked(ERFCX_C0_LO[k]);
  } else {
    // erfcx(x) = 1/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))), from the tail up;
    // the last x + t is kept exact, then (1/sqrt pi) / (fh + fl) in double-double
    let f = x;
    for (let n = 60; n >= 2; n--) f = x + (<f64>n * 0.5) / f;
    const t = 0.5 / f;
    const fh = x + t, fl = (x - fh) + t;
    ch = INV_SQRT_PI / fh;
    const r = INV_SQRT_PI - ch * fh - twoProductErr(ch, fh, ch * fh);
    cl = (r + INV_SQRT_PI_LO - ch * fl) / fh;
  }
  const ah = x * x, al = twoProductErr(x, x, ah);
  const k = expNegDD(ah, al);
  const ph = EH * ch, pe = twoProductErr(EH, ch, ph);
  const lo = pe + EH * cl + EL * ch, m = ph + lo;
  // 2^k in two steps (k reaches -1100 near the underflow): only the last product rounds
  if (k < -1000) { ERFC_LO = 0; return (m * Math.pow(2, <f64>(k + 600))) * Math.pow(2, -600); }
  const sc = Math.pow(2, <f64>k);
  ERFC_LO = ((ph - m) + lo) * sc;
  return m * sc;
}

export function erfinv(y: f64): f64 {
  if (y != y || y < -1 || y > 1) return NaN;
  if (y == 1) return Infinity;
  if (y == -1) return -Infinity;
  if (y == 0) return y;
  const ay = Math.abs(y);
  // XLA's ErfInv64 (relative error ~1e-15 for |y| < 0.998; near 1 the rounding of y^2 in its
  // log1p(-y^2) leaves up to ~0.3%), then Halley's steps until one moves x by at most 1e-7 x:
  // the error left after it is ~(x^2 + 1)/3 (1e-7 x)^3, below 1e-17 x for x < 6.
  // (From Winitzki's guess, with a 1e-17 stopping test that rounding noise rarely met, it
  // took 6 steps: 4 M/s.)
  let x = erfinv64(ay);
  const tail = ay > 0.5, q = 1 - ay; // exact for ay in [0.5, 1]
  for (let i = 0; i < 6; i++) {
    // f = erf(x) - ay (or q - erfc(x)), f' = 2/sqrt(pi) e^-x^2, f''/f' = -2x: Halley's step
    const fp = TWO_OVER_SQRT_PI * expNegSquare(x);
    const f = tail ? q - erfc(x) : erf(x) - ay;
    const d = f / fp;
    const dx = d / (1 + x * d);
    x -= dx;
    if (Math.abs(dx) <= 1e-7 * x) break;
  }
  return y < 0 ? -x : x;
}

/** sin(pi x), reduced exactly first so that large and integral x are exact. */
function sinPi(x: f64): f64 {
  const n = Math.round(x * 2);        // x = n/2 + r, |r| <= 1/4
  const r = x - n * 0.5;
  const k = <i64>n & 3;
  const s = k == 0 ? Math.sin(Math.PI * r) : k == 1 ? Math.cos(Math.PI * r)
    : k == 2 ? -Math.sin(Math.PI * r) : -Math.cos(Math.PI * r);
  return s;
}

function stirlingLgamma(x: f64): f64 {
  const z = 1 / (x * x);
  let s: f64 = 0;
  for (let k = 8; k >= 1; k--) s = s * z + unchecked(BERNOULLI_2K[k - 1]) / <f64>(2 * k * (2 * k - 1));
  return (x - 0.5) * Math.log(x) - x + HALF_LOG_2PI + s / x;
}

export function lgamma(x: f64): f64 {
  if (x != x) return x;
  if (x == Infinity || x == -Infinity) return Infinity;
  if (x <= 0) {
    if (Math.floor(x) == x) return Infinity;
    // Gamma(x) = 1/x - gamma_E + O(x): pi / sin(pi x) below overflowed (inf for -1e-310)
    if (x > -1e-300) return -Math.log(-x);
    // Gamma(x) Gamma(1 - x) = pi / sin(pi x)
    return Math.log(Math.PI / Math.abs(sinPi(x))) - lgamma(1 - x);
  }
  if (x < 0.5) return poly(LGAMMA_AT_1, 0, LGAMMA_TERMS, x) - Math.log(x);
  if (x < 1.5) return poly(LGAMMA_AT_1, 0, LGAMMA_TERMS, x - 1);
  if (x < 2.5) return poly(LGAMMA_AT_2, 0, LGAMMA_TERMS, x - 2);
  if (x < 10) {
    // Gamma(x) = Gamma(y) y (y+1) ... (x-1), y in [1.5, 2.5)
    let y = x, p: f64 = 1;
    while (y >= 2.5) { y -= 1; p *= y; }
    return poly(LGAMMA_AT_2, 0, LGAMMA_TERMS, y - 2) + Math.log(p);
  }
  return stirlingLgamma(x);
}

export function digamma(x: f64): f64 {
  if (x != x) return x;
  if (x == Infinity) return x;
  if (x <= 0) {
    if (Math.floor(x) == x) return NaN;
    // within 1/8 of one of the first negative roots the reflection below cancels to ~0 (1e-5
    // relative 1e-12 from a root): the Taylor series around that root (z - x_k is exact, Sterbenz)
    if (x > -<f64>DIGAMMA_NEG_ROOTS) {
      const k = <i32>Math.floor(-x);
      const z = x - unchecked(DIGAMMA_NEG_ROOT_HI[k]);
      if (Math.abs(z) < 0.125) {
        return poly(DIGAMMA_AT_NEG_ROOTS, k * DIGAMMA_NEG_TERMS, DIGAMMA_NEG_TERMS, z - unchecked(DIGAMMA_NEG_ROOT_LO[k]));
      }
    }
    // psi(1 - x) - psi(x) = pi cot(pi x)
    return digamma(1 - x) - Math.PI * sinPi(x + 0.5) / sinPi(x);
  }
  const z = x - DIGAMMA_ROOT_HI;
  if (Math.abs(z) < 0.25) return poly(DIGAMMA_AT_ROOT, 0, DIGAMMA_TERMS, z - DIGAMMA_ROOT_LO);
  // below 0.75: psi(x) = psi(x + 1) - 1/x (the 1/x term dominates, nothing cancels)
  if (x < 0.75) return digamma(x + 1) - 1 / x;
  if (x < 10.25) {
    // Taylor series around 1 + k/2 (mpmath's Hurwitz zeta values): no recurrence sum to cancel
    const k = <i32>Math.floor((x - 0.75) * 2);
    return poly(DIGAMMA_AT_CENTRES, k * DIGAMMA_CENTRE_TERMS, DIGAMMA_CENTRE_TERMS, x - (1 + <f64>k * 0.5));
  }
  // psi(x) ~ log x - 1/(2x) - sum B_2k / (2k x^2k)
  const w = 1 / (x * x);
  let s: f64 = 0;
  for (let k = 8; k >= 1; k--) s = s * w + unchecked(BERNOULLI_2K[k - 1]) / <f64>(2 * k);
  return Math.log(x) - 0.5 / x - s * w;
}

export function trigamma(x: f64): f64 {
  if (x != x) return x;
  if (x == Infinity) return 0;
  if (x <= 0) {
    if (Math.floor(x) == x) return Infinity;
    // psi1(1 - x) + psi1(x) = pi^2 / sin^2(pi x)
    const s = sinPi(x);
    return Math.PI * Math.PI / (s * s) - trigamma(1 - x);
  }
  let acc: f64 = 0, y = x;
  while (y < 10) { acc += 1 / (y * y); y += 1; }
  // psi1(y) ~ 1/y + 1/(2y^2) + sum B_2k / y^(2k+1)
  const w = 1 / (y * y);
  let s: f64 = 0;
  for (let k = 8; k >= 1; k--) s = s * w + unchecked(BERNOULLI_2K[k - 1]);
  return acc + (1 / y + 0.5 * w + s * w / y);
}

/** acosh: near 1, sqrt(2t) sum_n (-1)^n c_n (t/2)^n with t = x - 1 exact and
 *  c_n = (2n)! / (4^n n!^2 (2n+1)) (musl's log1p form is 2 ulp there); Math.acosh elsewhere. */
export function acosh(x: f64): f64 {
  const t = x - 1;
  if (!(t >= 0 && t < 0.25)) return Math.acosh(x);
  const h = 0.5 * t;
  let c: f64 = 1, p: f64 = 1, s: f64 = 0;
  for (let n = 1; n < 24; n++) {
    c *= -<f64>((2 * n - 1) * (2 * n - 1)) / <f64>(2 * n * (2 * n + 1));
    p *= h;
    s += c * p;
  }
  const r = Math.sqrt(2 * t);
  return r + r * s;
}
