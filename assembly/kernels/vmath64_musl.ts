// f64x2 forms of musl's log10, atan, asin, acos, cbrt, tan and atan2 as AssemblyScript ships them: the
// same operations in the same order on two lanes, the branches as lane selects (atan's five
// argument ranges share one division), so each lane gives Math's bits
// (wasm-tests/vmath64.spec.ts). Rare lanes (each function's doc says which) take the scalar
// routine behind one v128.any_true test.
import { F, I, sel, high, toF64, toI64, patch, logPolyR } from './vmath64';
import { tanF64 } from './elementwise';

const IVLN10HI: f64 = reinterpret<f64>(0x3FDBCB7B15200000), IVLN10LO: f64 = reinterpret<f64>(0x3DBB9438CA9AADD5),
  LOG10_2HI: f64 = reinterpret<f64>(0x3FD34413509F6000), LOG10_2LO: f64 = reinterpret<f64>(0x3D59FEF311F12B36);

function log10Scalar(x: f64): f64 { return Math.log10(x); }
function atanScalar(x: f64): f64 { return Math.atan(x); }

/** musl's log10: x = 2^k (1 + f), log(1 + f) from Lg1..Lg7, the parts scaled by 1/ln 10 in pieces. */
// @ts-ignore: decorator
@inline export function log10_f64x2(x: v128): v128 {
  let hx = high(x);
  const rare = v128.or(i64x2.lt_s(hx, I(0x00100000)), i64x2.ge_s(hx, I(0x7FF00000))); // sign bit: hx >= 2^31
  hx = i64x2.add(hx, I(0x3FF00000 - 0x3FE6A09E));
  const dk = f64x2.sub(toF64(i64x2.shr_u(hx, 20)), F(1023));
  hx = i64x2.add(v128.and(hx, I(0x000FFFFF)), I(0x3FE6A09E));
  const m = v128.or(i64x2.shl(hx, 32), v128.and(x, I(0xFFFFFFFF)));
  const f = f64x2.sub(m, F(1.0));
  const hfsq = f64x2.mul(f64x2.mul(F(0.5), f), f);
  const s = f64x2.div(f, f64x2.add(F(2.0), f));
  const r = logPolyR(s);
  const hi = v128.and(f64x2.sub(f, hfsq), I(0xFFFFFFFF00000000));
  const lo = f64x2.add(f64x2.sub(f64x2.sub(f, hi), hfsq), f64x2.mul(s, f64x2.add(hfsq, r)));
  const valHi = f64x2.mul(hi, F(IVLN10HI));
  const y = f64x2.mul(dk, F(LOG10_2HI));
  let valLo = f64x2.add(f64x2.add(f64x2.mul(dk, F(LOG10_2LO)), f64x2.mul(f64x2.add(lo, hi), F(IVLN10LO))), f64x2.mul(lo, F(IVLN10HI)));
  const ww = f64x2.add(y, valHi);
  valLo = f64x2.add(valLo, f64x2.add(f64x2.sub(y, ww), valHi));
  return patch(x, f64x2.add(valLo, ww), rare, log10Scalar);
}

const ATANHI0: f64 = reinterpret<f64>(0x3FDDAC670561BB4F), ATANHI1: f64 = reinterpret<f64>(0x3FE921FB54442D18),
  ATANHI2: f64 = reinterpret<f64>(0x3FEF730BD281F69B), ATANHI3: f64 = reinterpret<f64>(0x3FF921FB54442D18);
const ATANLO0: f64 = reinterpret<f64>(0x3C7A2B7F222F65E2), ATANLO1: f64 = reinterpret<f64>(0x3C81A62633145C07),
  ATANLO2: f64 = reinterpret<f64>(0x3C7007887AF0CBBD), ATANLO3: f64 = reinterpret<f64>(0x3C91A62633145C07);
const AT0: f64 = reinterpret<f64>(0x3FD555555555550D), AT1: f64 = reinterpret<f64>(0xBFC999999998EBC4),
  AT2: f64 = reinterpret<f64>(0x3FC24924920083FF), AT3: f64 = reinterpret<f64>(0xBFBC71C6FE231671),
  AT4: f64 = reinterpret<f64>(0x3FB745CDC54C206E), AT5: f64 = reinterpret<f64>(0xBFB3B0F2AF749A6D),
  AT6: f64 = reinterpret<f64>(0x3FB10D66A0D03D51), AT7: f64 = reinterpret<f64>(0xBFADDE2D52DEFD9A),
  AT8: f64 = reinterpret<f64>(0x3FA97B4B24760DEB), AT9: f64 = reinterpret<f64>(0xBFA2B4442C6A6C2F),
  AT10: f64 = reinterpret<f64>(0x3F90AD3AE322DA11);

/** musl's atan: |x| reduced by one of atan(1/2), atan(1), atan(3/2), atan(inf) (or none below
 *  7/16), then an odd polynomial of degree 22; the reduction's quotient is one division. */
// @ts-ignore: decorator
@inline export function atan_f64x2(x: v128): v128 {
  const a = f64x2.abs(x), ix = high(a);
  const rare = v128.or(i64x2.ge_s(ix, I(0x44100000)), i64x2.lt_s(ix, I(0x3E400000)));
  const none = i64x2.lt_s(ix, I(0x3FDC0000));
  const id0 = i64x2.lt_s(ix, I(0x3FE60000)), id1 = i64x2.lt_s(ix, I(0x3FF30000)), id2 = i64x2.lt_s(ix, I(0x40038000));
  // numerator and denominator of the reduced argument, by range (x / 1 where there is none)
  const num = sel(none, x, sel(id0, f64x2.sub(f64x2.mul(F(2.0), a), F(1.0)), sel(id1, f64x2.sub(a, F(1.0)),
    sel(id2, f64x2.sub(a, F(1.5)), F(-1.0)))));
  const den = sel(none, F(1.0), sel(id0, f64x2.add(F(2.0), a), sel(id1, f64x2.add(a, F(1.0)),
    sel(id2, f64x2.add(F(1.0), f64x2.mul(F(1.5), a)), a))));
  const xr = f64x2.div(num, den);
  const z = f64x2.mul(xr, xr), w = f64x2.mul(z, z);
  let q1 = F(AT10), q2 = F(AT9); // Horner from the top, as musl nests them
  q1 = f64x2.add(F(AT8), f64x2.mul(w, q1)); q1 = f64x2.add(F(AT6), f64x2.mul(w, q1));
  q1 = f64x2.add(F(AT4), f64x2.mul(w, q1)); q1 = f64x2.add(F(AT2), f64x2.mul(w, q1));
  q1 = f64x2.add(F(AT0), f64x2.mul(w, q1));
  q2 = f64x2.add(F(AT7), f64x2.mul(w, q2)); q2 = f64x2.add(F(AT5), f64x2.mul(w, q2));
  q2 = f64x2.add(F(AT3), f64x2.mul(w, q2)); q2 = f64x2.add(F(AT1), f64x2.mul(w, q2));
  const s1 = f64x2.mul(z, q1), s2 = f64x2.mul(w, q2);
  const s3 = f64x2.mul(xr, f64x2.add(s1, s2));
  const hi = sel(id0, F(ATANHI0), sel(id1, F(ATANHI1), sel(id2, F(ATANHI2), F(ATANHI3))));
  const lo = sel(id0, F(ATANLO0), sel(id1, F(ATANLO1), sel(id2, F(ATANLO2), F(ATANLO3))));
  const reduced = f64x2.sub(hi, f64x2.sub(f64x2.sub(s3, lo), xr));
  const signed = v128.or(reduced, v128.and(x, I(0x8000000000000000)));
  return patch(x, sel(none, f64x2.sub(xr, s3), signed), rare, atanScalar);
}

const PIO2_HI: f64 = reinterpret<f64>(0x3FF921FB54442D18), PIO2_LO: f64 = reinterpret<f64>(0x3C91A62633145C07);
const PS0: f64 = reinterpret<f64>(0x3FC5555555555555), PS1: f64 = reinterpret<f64>(0xBFD4D61203EB6F7D),
  PS2: f64 = reinterpret<f64>(0x3FC9C1550E884455), PS3: f64 = reinterpret<f64>(0xBFA48228B5688F3B),
  PS4: f64 = reinterpret<f64>(0x3F49EFE07501B288), PS5: f64 = reinterpret<f64>(0x3F023DE10DFDF709),
  QS1: f64 = reinterpret<f64>(0xC0033A271C8A2D4B), QS2: f64 = reinterpret<f64>(0x40002AE59C598AC8),
  QS3: f64 = reinterpret<f64>(0xBFE6066C1B8D0159), QS4: f64 = reinterpret<f64>(0x3FB3B8C5B12E9282);

/** musl's R(z): the rational approximation of (asin(x) - x) / x^3, z = x^2. */
// @ts-ignore: decorator
@inline function asinR(z: v128): v128 {
  let p = F(PS5);
  p = f64x2.add(F(PS4), f64x2.mul(z, p)); p = f64x2.add(F(PS3), f64x2.mul(z, p));
  p = f64x2.add(F(PS2), f64x2.mul(z, p)); p = f64x2.add(F(PS1), f64x2.mul(z, p));
  p = f64x2.mul(z, f64x2.add(F(PS0), f64x2.mul(z, p)));
  let q = F(QS4);
  q = f64x2.add(F(QS3), f64x2.mul(z, q)); q = f64x2.add(F(QS2), f64x2.mul(z, q));
  q = f64x2.add(F(1.0), f64x2.mul(z, f64x2.add(F(QS1), f64x2.mul(z, q))));
  return f64x2.div(p, q);
}
function asinScalar(x: f64): f64 { return Math.asin(x); }
function acosScalar(x: f64): f64 { return Math.acos(x); }

/** musl's asin: x + x R(x^2) below 1/2; above, pi/2 - 2 asin(sqrt((1 - |x|) / 2)) with the
 *  square root split in two parts below 0.975. Rare lanes: |x| >= 1, NaN, |x| < 2^-26. */
// @ts-ignore: decorator
@inline export function asin_f64x2(x: v128): v128 {
  const a = f64x2.abs(x), ix = high(a);
  const rare = v128.or(i64x2.ge_s(ix, I(0x3FF00000)), i64x2.lt_s(ix, I(0x3E500000)));
  const small = i64x2.lt_s(ix, I(0x3FE00000));
  const z = f64x2.sub(F(0.5), f64x2.mul(a, F(0.5)));
  const r = asinR(sel(small, f64x2.mul(x, x), z));
  const s = f64x2.sqrt(z);
  const near1 = f64x2.sub(F(PIO2_HI), f64x2.sub(f64x2.mul(F(2), f64x2.add(s, f64x2.mul(s, r))), F(PIO2_LO)));
  const f = v128.and(s, I(0xFFFFFFFF00000000));
  const c = f64x2.div(f64x2.sub(z, f64x2.mul(f, f)), f64x2.add(s, f));
  const mid = f64x2.sub(F(0.5 * PIO2_HI), f64x2.sub(f64x2.sub(f64x2.mul(f64x2.mul(F(2), s), r),
    f64x2.sub(F(PIO2_LO), f64x2.mul(F(2), c))), f64x2.sub(F(0.5 * PIO2_HI), f64x2.mul(F(2), f))));
  const big = sel(i64x2.ge_s(ix, I(0x3FEF3333)), near1, mid);
  const y = sel(small, f64x2.add(x, f64x2.mul(x, r)), v128.or(big, v128.and(x, I(0x8000000000000000))));
  return patch(x, y, rare, asinScalar);
}

/** musl's acos: pi/2 - (x + x R(x^2)) below 1/2; above, 2 asin(sqrt((1 -+ x) / 2)) forms. Rare
 *  lanes: |x| >= 1, NaN, |x| <= 2^-57. */
// @ts-ignore: decorator
@inline export function acos_f64x2(x: v128): v128 {
  const a = f64x2.abs(x), ix = high(a);
  const rare = v128.or(i64x2.ge_s(ix, I(0x3FF00000)), i64x2.le_s(ix, I(0x3C600000)));
  const small = i64x2.lt_s(ix, I(0x3FE00000));
  const neg = i64x2.lt_s(x, I(0));
  const z = sel(neg, f64x2.add(F(0.5), f64x2.mul(x, F(0.5))), f64x2.sub(F(0.5), f64x2.mul(x, F(0.5))));
  const r = asinR(sel(small, f64x2.mul(x, x), z));
  const s = f64x2.sqrt(z);
  const yNeg = f64x2.mul(F(2), f64x2.sub(F(PIO2_HI), f64x2.add(s, f64x2.sub(f64x2.mul(r, s), F(PIO2_LO)))));
  const df = v128.and(s, I(0xFFFFFFFF00000000));
  const c = f64x2.div(f64x2.sub(z, f64x2.mul(df, df)), f64x2.add(s, df));
  const yPos = f64x2.mul(F(2), f64x2.add(df, f64x2.add(f64x2.mul(r, s), c)));
  const ySmall = f64x2.sub(F(PIO2_HI), f64x2.sub(x, f64x2.sub(F(PIO2_LO), f64x2.mul(x, r))));
  return patch(x, sel(small, ySmall, sel(neg, yNeg, yPos)), rare, acosScalar);
}

const CP0: f64 = reinterpret<f64>(0x3FFE03E60F61E692), CP1: f64 = reinterpret<f64>(0xBFFE28E092F02420),
  CP2: f64 = reinterpret<f64>(0x3FF9F1604A49D6C2), CP3: f64 = reinterpret<f64>(0xBFE844CBBEE751D9),
  CP4: f64 = reinterpret<f64>(0x3FC2B000D4E4EDD7);
function cbrtScalar(x: f64): f64 { return Math.cbrt(x); }

/** musl's cbrt: a first guess from the exponent bits divided by 3 (exact in f64 here: wasm has
 *  no SIMD integer division), a polynomial step to 23 bits, rounded to 22, one Newton step.
 *  Rare lanes: zero, subnormal, infinite, NaN. */
// @ts-ignore: decorator
@inline export function cbrt_f64x2(x: v128): v128 {
  const hx = high(v128.and(x, I(0x7FFFFFFFFFFFFFFF)));
  const rare = v128.or(i64x2.ge_s(hx, I(0x7FF00000)), i64x2.lt_s(hx, I(0x00100000)));
  const third = toI64(f64x2.floor(f64x2.div(toF64(hx), F(3))));
  let t = v128.or(v128.and(x, I(0x8000000000000000)), i64x2.shl(i64x2.add(third, I(715094163)), 32));
  let r = f64x2.mul(f64x2.mul(t, t), f64x2.div(t, x));
  t = f64x2.mul(t, f64x2.add(f64x2.add(F(CP0), f64x2.mul(r, f64x2.add(F(CP1), f64x2.mul(r, F(CP2))))),
    f64x2.mul(f64x2.mul(f64x2.mul(r, r), r), f64x2.add(F(CP3), f64x2.mul(r, F(CP4))))));
  t = v128.and(i64x2.add(t, I(0x80000000)), I(0xFFFFFFFFC0000000));
  const s = f64x2.mul(t, t);
  r = f64x2.div(x, s);
  r = f64x2.div(f64x2.sub(r, t), f64x2.add(f64x2.mul(F(2), t), r));
  return patch(x, f64x2.add(t, f64x2.mul(t, r)), rare, cbrtScalar);
}

const T0: f64 = reinterpret<f64>(0x3FD5555555555563), T1: f64 = reinterpret<f64>(0x3FC111111110FE7A),
  T2: f64 = reinterpret<f64>(0x3FABA1BA1BB341FE), T3: f64 = reinterpret<f64>(0x3F9664F48406D637),
  T4: f64 = reinterpret<f64>(0x3F8226E3E96E8493), T5: f64 = reinterpret<f64>(0x3F6D6D22C9560328),
  T6: f64 = reinterpret<f64>(0x3F57DBC8FEE08315), T7: f64 = reinterpret<f64>(0x3F4344D8F2F26501),
  T8: f64 = reinterpret<f64>(0x3F3026F71A8D1068), T9: f64 = reinterpret<f64>(0x3F147E88A03792A6),
  T10: f64 = reinterpret<f64>(0x3F12B80F32F0A7E9), T11: f64 = reinterpret<f64>(0xBEF375CBDB605373),
  T12: f64 = reinterpret<f64>(0x3EFB2A7074BF7AD4);
const PIO4: f64 = reinterpret<f64>(0x3FE921FB54442D18), PIO4LO: f64 = reinterpret<f64>(0x3C81A62633145C07);
const PIO2_1: f64 = reinterpret<f64>(0x3FF921FB54400000), PIO2_1T: f64 = reinterpret<f64>(0x3DD0B4611A626331);
const INVPIO2: f64 = reinterpret<f64>(0x3FE45F306DC9C883);
function tanScalar(x: f64): f64 { return tanF64(x); }

/**
 * musl's tan as the float64 kernel computes it below 1e6: the reduction x = q pi/2 + (y0 + y1)
 * with one Cody-Waite step (lanes whose cancellation needs musl's second or third step, and
 * x at pi/2's high word, are rare), then __tan's polynomial, its pi/4 - x form above 0.6744 and
 * its -1/tan form for odd q. Rare lanes also: |x| < 2^-27, |x| > 1e6, infinite, NaN.
 */
// @ts-ignore: decorator
@inline export function tan_f64x2(x: v128): v128 {
  const ax = f64x2.abs(x), ix = high(ax);
  const small = i64x2.le_s(ix, I(0x3FE921FB));
  let rare = v128.or(v128.or(i64x2.lt_s(ix, I(0x3E400000)), v128.not(f64x2.le(ax, F(1e6)))), i64x2.eq(ix, I(0x3FF921FB)));
  // reduction (q = +-1 below 3 pi / 4 gives the same operations as musl's special case there)
  const q = sel(small, F(0), f64x2.nearest(f64x2.mul(x, F(INVPIO2))));
  const r = f64x2.sub(x, f64x2.mul(q, F(PIO2_1)));
  const w = f64x2.mul(q, F(PIO2_1T));
  const y0r = f64x2.sub(r, w);
  const i = i64x2.sub(i64x2.shr_u(ix, 20), v128.and(i64x2.shr_u(high(y0r), 20), I(0x7FF)));
  rare = v128.or(rare, v128.andnot(i64x2.gt_s(i, I(16)), v128.or(small, i64x2.lt_s(ix, I(0x4002D97C)))));
  const y0 = sel(small, x, y0r);
  const y1 = sel(small, F(0), f64x2.sub(f64x2.sub(r, y0r), w));
  const odd = i64x2.ne(v128.and(toI64(q), I(1)), I(0)); // iy = -1
  // __tan(y0, y1, iy)
  const neg = i64x2.lt_s(y0, I(0));
  const big = i64x2.ge_s(high(f64x2.abs(y0)), I(0x3FE59428));
  const xs = sel(neg, f64x2.neg(y0), y0), ys = sel(neg, f64x2.neg(y1), y1);
  const xk = sel(big, f64x2.add(f64x2.sub(F(PIO4), xs), f64x2.sub(F(PIO4LO), ys)), y0);
  const yk = sel(big, F(0), y1);
  const z = f64x2.mul(xk, xk), ww = f64x2.mul(z, z);
  let rp = F(T11), vp = F(T12);
  rp = f64x2.add(F(T9), f64x2.mul(ww, rp)); rp = f64x2.add(F(T7), f64x2.mul(ww, rp));
  rp = f64x2.add(F(T5), f64x2.mul(ww, rp)); rp = f64x2.add(F(T3), f64x2.mul(ww, rp));
  rp = f64x2.add(F(T1), f64x2.mul(ww, rp));
  vp = f64x2.add(F(T10), f64x2.mul(ww, vp)); vp = f64x2.add(F(T8), f64x2.mul(ww, vp));
  vp = f64x2.add(F(T6), f64x2.mul(ww, vp)); vp = f64x2.add(F(T4), f64x2.mul(ww, vp));
  vp = f64x2.mul(z, f64x2.add(F(T2), f64x2.mul(ww, vp)));
  const s = f64x2.mul(z, xk);
  let rr = f64x2.add(yk, f64x2.mul(z, f64x2.add(f64x2.mul(s, f64x2.add(rp, vp)), yk)));
  rr = f64x2.add(rr, f64x2.mul(F(T0), s));
  const wk = f64x2.add(xk, rr);
  // big: (1 - ((hx >> 30) & 2)) (iy - 2 (x - (w^2 / (w + iy) - r)))
  const iy = sel(odd, F(-1), F(1));
  const bigV = f64x2.mul(sel(neg, F(-1), F(1)), f64x2.sub(iy, f64x2.mul(F(2.0),
    f64x2.sub(xk, f64x2.sub(f64x2.div(f64x2.mul(wk, wk), f64x2.add(wk, iy)), rr)))));
  // odd q, not big: -1 / w in two parts
  const zh = v128.and(wk, I(0xFFFFFFFF00000000));
  const v = f64x2.sub(rr, f64x2.sub(zh, xk));
  const a = f64x2.div(F(-1.0), wk);
  const t = v128.and(a, I(0xFFFFFFFF00000000));
  const sv = f64x2.add(F(1.0), f64x2.mul(t, zh));
  const oddV = f64x2.add(t, f64x2.mul(a, f64x2.add(sv, f64x2.mul(t, v))));
  return patch(x, sel(big, bigV, sel(odd, oddV, wk)), rare, tanScalar);
}

// ---------------------------------------------------------------- atan2

/** Replaces the lanes of res flagged in rare with the scalar routine's value of (a, b). */
// @ts-ignore: decorator
@inline export function patch2(a: v128, b: v128, res: v128, rare: v128, f: (a: f64, b: f64) => f64): v128 {
  if (!v128.any_true(rare)) return res;
  if (i64x2.extract_lane(rare, 0) != 0) res = f64x2.replace_lane(res, 0, f(f64x2.extract_lane(a, 0), f64x2.extract_lane(b, 0)));
  if (i64x2.extract_lane(rare, 1) != 0) res = f64x2.replace_lane(res, 1, f(f64x2.extract_lane(a, 1), f64x2.extract_lane(b, 1)));
  return res;
}
const PI_LO: f64 = reinterpret<f64>(0x3CA1A62633145C07);
function atan2Scalar(y: f64, x: f64): f64 { return Math.atan2(y, x); }

/** musl's atan2: atan(|y / x|) (or 0 where x < 0 and |y / x| < 2^-64) placed in y's and x's
 *  quadrant, pi - (z - pi_lo) on the left. Rare lanes: NaN, x = 1, a zero or infinite
 *  operand, |y / x| > 2^64. */
// @ts-ignore: decorator
@inline export function atan2_f64x2(y: v128, x: v128): v128 {
  const ix = high(v128.and(x, I(0x7FFFFFFFFFFFFFFF))), iy = high(v128.and(y, I(0x7FFFFFFFFFFFFFFF)));
  const xNeg = i64x2.lt_s(x, I(0)), yNeg = i64x2.lt_s(y, I(0));
  const zero = I(0);
  let rare = v128.or(v128.not(f64x2.eq(x, x)), v128.not(f64x2.eq(y, y)));
  rare = v128.or(rare, v128.or(f64x2.eq(x, F(1)), v128.or(f64x2.eq(y, F(0)), f64x2.eq(x, F(0)))));
  rare = v128.or(rare, v128.or(i64x2.eq(ix, I(0x7FF00000)), i64x2.eq(iy, I(0x7FF00000))));
  rare = v128.or(rare, i64x2.lt_s(i64x2.add(ix, I(64 << 20)), iy));
  const tiny = v128.and(xNeg, i64x2.lt_s(i64x2.add(iy, I(64 << 20)), ix));
  const z = sel(tiny, zero, atan_f64x2(sel(tiny, F(0.5), f64x2.abs(f64x2.div(y, x)))));
  const left = sel(yNeg, f64x2.sub(f64x2.sub(z, F(PI_LO)), F(Math.PI)), f64x2.sub(F(Math.PI), f64x2.sub(z, F(PI_LO))));
  return patch2(y, x, sel(xNeg, left, sel(yNeg, f64x2.neg(z), z)), rare, atan2Scalar);
}
