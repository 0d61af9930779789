// f64x2 forms of the scalar float64 routines behind the wider elementwise set (musl's log1p and
// expm1 as AssemblyScript ships them, special.ts's double-double expm1): the same operations in
// the same order on two lanes, so each lane gives the scalar routine's bits (and its accuracy,
// checked in ulps by tests/accuracy.test.ts; bit equality by wasm-tests/vmath64.spec.ts). Lanes
// outside a routine's main range (NaN, infinities, poles, tiny or huge arguments) go to the
// scalar routine behind a cheap v128.any_true guard, as vmath.ts does.
import { expm1, sinh } from './special';

// @ts-ignore: decorator
@inline export function F(v: f64): v128 { return f64x2.splat(v); }
// @ts-ignore: decorator
@inline export function I(v: i64): v128 { return i64x2.splat(v); }
// @ts-ignore: decorator
@inline export function sel(m: v128, a: v128, b: v128): v128 { return v128.bitselect(a, b, m); }
/** The high 32 bits of each lane, as a non-negative i64 (signed compares are then unsigned ones). */
// @ts-ignore: decorator
@inline export function high(x: v128): v128 { return i64x2.shr_u(x, 32); }
/** An integer-valued f64 (|k| < 2^51) as an i64 lane: the 1.5 * 2^52 trick. */
// @ts-ignore: decorator
@inline export function toI64(k: v128): v128 { return i64x2.sub(f64x2.add(k, F(6755399441055744.0)), I(0x4338000000000000)); }
/** A small non-negative i64 lane as an exact f64. */
// @ts-ignore: decorator
@inline export function toF64(k: v128): v128 { return f64x2.sub(v128.or(k, I(0x4330000000000000)), F(4503599627370496.0)); }

/** Replaces the lanes of res flagged in rare with the scalar routine's value. */
// @ts-ignore: decorator
@inline export function patch(x: v128, res: v128, rare: v128, f: (v: f64) => f64): v128 {
  if (!v128.any_true(rare)) return res;
  if (i64x2.extract_lane(rare, 0) != 0) res = f64x2.replace_lane(res, 0, f(f64x2.extract_lane(x, 0)));
  if (i64x2.extract_lane(rare, 1) != 0) res = f64x2.replace_lane(res, 1, f(f64x2.extract_lane(x, 1)));
  return res;
}

// ---------------------------------------------------------------- log1p (musl)

const LN2_HI: f64 = reinterpret<f64>(0x3FE62E42FEE00000);
const LN2_LO: f64 = reinterpret<f64>(0x3DEA39EF35793C76);
const LG1: f64 = reinterpret<f64>(0x3FE5555555555593), LG2: f64 = reinterpret<f64>(0x3FD999999997FA04),
  LG3: f64 = reinterpret<f64>(0x3FD2492494229359), LG4: f64 = reinterpret<f64>(0x3FCC71C51D8E78AF),
  LG5: f64 = reinterpret<f64>(0x3FC7466496CB03DE), LG6: f64 = reinterpret<f64>(0x3FC39A09D078C69F),
  LG7: f64 = reinterpret<f64>(0x3FC2F112DF3E5244);

/**
 * musl's polynomial R in log(1 + f) = f - hfsq + s (hfsq + R), s = f / (2 + f): z = s², w = z²,
 * Lg1..Lg7 in two interleaved halves summed as musl does (log1p here and log10 share it).
 */
// @ts-ignore: decorator
@inline export function logPolyR(s: v128): v128 {
  const z = f64x2.mul(s, s), w = f64x2.mul(z, z);
  const t1 = f64x2.mul(w, f64x2.add(F(LG2), f64x2.mul(w, f64x2.add(F(LG4), f64x2.mul(w, F(LG6))))));
  const t2 = f64x2.mul(z, f64x2.add(F(LG1), f64x2.mul(w, f64x2.add(F(LG3), f64x2.mul(w, f64x2.add(F(LG5), f64x2.mul(w, F(LG7))))))));
  return f64x2.add(t2, t1);
}

function log1pScalar(x: f64): f64 { return Math.log1p(x); }

/**
 * musl's log1p: 1 + x = 2^k (1 + f) with sqrt(2)/2 <= 1 + f < sqrt(2) and the rounding of 1 + x
 * carried as c / (1 + x); log(1 + f) from Lg1..Lg7 in s = f / (2 + f). Small x (-0.2929 <= x <
 * 0.4142) has k = 0, f = x. Rare lanes: x <= -1, NaN, +inf, |x| < 2^-53.
 */
// @ts-ignore: decorator
@inline export function log1p_f64x2(x: v128): v128 {
  const hx = high(x); // sign included
  const neg = i64x2.lt_s(x, I(0));
  // k = 0 where hx < 0x3FDA827A (non-negative) or -0.2929 <= x < 0 (hx <= 0xBFD2BEC4)
  const small = sel(neg, i64x2.le_s(hx, I(0xBFD2BEC4)), i64x2.lt_s(hx, I(0x3FDA827A)));
  // (+inf and NaN are positive lanes with hx >= 0x7FF00000: hx holds the sign, so every negative
  // x is at least that too, and sent every one of them to the scalar routine, 2.6x slower)
  const rare = v128.or(v128.or(i64x2.ge_s(hx, I(0xBFF00000)), v128.andnot(i64x2.ge_s(hx, I(0x7FF00000)), neg)),
    i64x2.lt_s(i64x2.shl(v128.and(hx, I(0x7FFFFFFF)), 1), I(0x3CA00000 << 1)));
  // the k path
  const u = f64x2.add(F(1), x);
  let hu = i64x2.add(high(u), I(0x3FF00000 - 0x3FE6A09E));
  const e = i64x2.shr_u(hu, 20); // k + 0x3FF
  const dkBig = f64x2.sub(toF64(e), F(1023));
  const cBig = f64x2.div(sel(i64x2.ge_s(e, I(0x3FF + 2)), f64x2.sub(F(1), f64x2.sub(u, x)), f64x2.sub(x, f64x2.sub(u, F(1)))), u);
  const c = sel(small, F(0), sel(i64x2.lt_s(e, I(0x3FF + 54)), cBig, F(0)));
  hu = i64x2.add(v128.and(hu, I(0x000FFFFF)), I(0x3FE6A09E));
  const uf = v128.or(i64x2.shl(hu, 32), v128.and(u, I(0xFFFFFFFF)));
  const f = sel(small, x, f64x2.sub(uf, F(1)));
  const dk = sel(small, F(0), dkBig);
  const hfsq = f64x2.mul(f64x2.mul(F(0.5), f), f);
  const s = f64x2.div(f, f64x2.add(F(2.0), f));
  const r = logPolyR(s);
  // s (hfsq + r) + (dk ln2_lo + c) - hfsq + f + dk ln2_hi, left to right
  let y = f64x2.add(f64x2.mul(s, f64x2.add(hfsq, r)), f64x2.add(f64x2.mul(dk, F(LN2_LO)), c));
  y = f64x2.add(f64x2.add(f64x2.sub(y, hfsq), f), f64x2.mul(dk, F(LN2_HI)));
  return patch(x, y, rare, log1pScalar);
}

// ---------------------------------------------------------------- expm1 (musl below 0.3466, double-double above 0.35)

function expm1Scalar(x: f64): f64 { return expm1(x); }

/** 1/n!, n = 2..18, as special.ts rounds them. */
const IF2: f64 = 0.5, IF3: f64 = 0.16666666666666666, IF4: f64 = 0.041666666666666664, IF5: f64 = 0.008333333333333333,
  IF6: f64 = 0.001388888888888889, IF7: f64 = 0.0001984126984126984, IF8: f64 = 2.48015873015873e-05,
  IF9: f64 = 2.7557319223985893e-06, IF10: f64 = 2.755731922398589e-07, IF11: f64 = 2.505210838544172e-08,
  IF12: f64 = 2.08767569878681e-09, IF13: f64 = 1.6059043836821613e-10, IF14: f64 = 1.1470745597729725e-11,
  IF15: f64 = 7.647163731819816e-13, IF16: f64 = 4.779477332387385e-14, IF17: f64 = 2.8114572543455206e-15,
  IF18: f64 = 1.5619206968586225e-16;
const Q1: f64 = reinterpret<f64>(0xBFA11111111110F4), Q2: f64 = reinterpret<f64>(0x3F5A01A019FE5585),
  Q3: f64 = reinterpret<f64>(0xBF14CE199EAADBB7), Q4: f64 = reinterpret<f64>(0x3ED0CFCA86E65239),
  Q5: f64 = reinterpret<f64>(0xBE8AFDB76E09C32D);
const DD_LN2_HI: f64 = 6.93147180369123816490e-01;
const DD_LN2_LO: f64 = 1.90821492927058770002e-10;

/**
 * expm1 as special.ts computes it: for 0.35 <= |x| <= 690 (x >= -37) exp(x) in double-double
 * (special.ts's expNegDD: k = round half up(x / ln 2), exp(r) = 1 + r + r^2 P(r)) minus 1 by an
 * exact two-sum; for 2^-54 <= |x| <= 0.3466 musl's k = 0 form. Other lanes: the scalar routine.
 */
// @ts-ignore: decorator
@inline export function expm1_f64x2(x: v128): v128 {
  const ax = f64x2.abs(x), hx = high(ax);
  const muslLane = v128.and(i64x2.le_s(hx, I(0x3FD62E42)), i64x2.ge_s(hx, I(0x3C900000)));
  const ddLane = v128.and(v128.and(f64x2.ge(ax, F(0.35)), f64x2.le(ax, F(690))), f64x2.ge(x, F(-37)));
  const rare = v128.not(v128.or(muslLane, ddLane));
  // each form only where a lane needs it (a pair of lanes often needs one)
  let y = v128.any_true(muslLane) ? expm1Small(x) : x;
  if (v128.any_true(ddLane)) y = sel(muslLane, y, expm1Big(x));
  return patch(x, y, rare, expm1Scalar);
}

/** musl's expm1 for 2^-54 <= |x| <= 0.3466 (k = 0): x - (x e - x^2/2) with e from Q1..Q5. */
// @ts-ignore: decorator
@inline function expm1Small(x: v128): v128 {
  const hfx = f64x2.mul(F(0.5), x), hxs = f64x2.mul(x, hfx), hxq = f64x2.mul(hxs, hxs);
  const r1 = f64x2.add(f64x2.add(F(1.0), f64x2.mul(hxs, F(Q1))),
    f64x2.mul(hxq, f64x2.add(f64x2.add(F(Q2), f64x2.mul(hxs, F(Q3))), f64x2.mul(hxq, f64x2.add(F(Q4), f64x2.mul(hxs, F(Q5)))))));
  const t = f64x2.sub(F(3.0), f64x2.mul(r1, hfx));
  const e = f64x2.mul(hxs, f64x2.div(f64x2.sub(r1, t), f64x2.sub(F(6.0), f64x2.mul(x, t))));
  return f64x2.sub(x, f64x2.sub(f64x2.mul(x, e), hxs));
}

/** special.ts's expm1 for 0.35 <= |x| <= 690: exp(x) = 2^k (EH + EL) in double-double, minus 1. */
// @ts-ignore: decorator
@inline function expm1Big(x: v128): v128 {
  const k = expNegDD(f64x2.neg(x), F(0));
  const sc = i64x2.shl(i64x2.add(toI64(k), I(1023)), 52);
  const h = f64x2.mul(DD_H, sc), l = f64x2.mul(DD_L, sc);
  const d = f64x2.sub(h, F(1)), bb = f64x2.sub(d, h);
  const ee = f64x2.add(f64x2.sub(h, f64x2.sub(d, bb)), f64x2.sub(F(-1), bb));
  return f64x2.add(d, f64x2.add(ee, l));
}

/** special.ts's expNegDD on two lanes: exp(-(ah + al)) = 2^k (DD_H + DD_L); returns k (as f64). */
export let DD_H: v128 = i64x2.splat(0), DD_L: v128 = i64x2.splat(0);
// @ts-ignore: decorator
@inline export function expNegDD(ah: v128, al: v128): v128 {
  const na = f64x2.neg(ah);
  const q0 = f64x2.div(na, F(Math.LN2)), up = f64x2.ceil(q0);
  const k = sel(f64x2.le(f64x2.sub(up, F(0.5)), q0), up, f64x2.sub(up, F(1.0))); // Math.round: half up
  const tt = f64x2.sub(na, f64x2.mul(k, F(DD_LN2_HI)));
  const uu = f64x2.mul(k, F(DD_LN2_LO));
  const rh0 = f64x2.sub(tt, uu), e0 = f64x2.sub(f64x2.sub(tt, rh0), uu);
  const rh = f64x2.sub(rh0, al), rl = f64x2.add(f64x2.sub(f64x2.sub(rh0, rh), al), e0);
  let p = F(IF18);
  p = f64x2.add(f64x2.mul(p, rh), F(IF17)); p = f64x2.add(f64x2.mul(p, rh), F(IF16));
  p = f64x2.add(f64x2.mul(p, rh), F(IF15)); p = f64x2.add(f64x2.mul(p, rh), F(IF14));
  p = f64x2.add(f64x2.mul(p, rh), F(IF13)); p = f64x2.add(f64x2.mul(p, rh), F(IF12));
  p = f64x2.add(f64x2.mul(p, rh), F(IF11)); p = f64x2.add(f64x2.mul(p, rh), F(IF10));
  p = f64x2.add(f64x2.mul(p, rh), F(IF9)); p = f64x2.add(f64x2.mul(p, rh), F(IF8));
  p = f64x2.add(f64x2.mul(p, rh), F(IF7)); p = f64x2.add(f64x2.mul(p, rh), F(IF6));
  p = f64x2.add(f64x2.mul(p, rh), F(IF5)); p = f64x2.add(f64x2.mul(p, rh), F(IF4));
  p = f64x2.add(f64x2.mul(p, rh), F(IF3)); p = f64x2.add(f64x2.mul(p, rh), F(IF2));
  const q = f64x2.mul(f64x2.mul(rh, rh), p);
  const s = f64x2.add(F(1), rh), se = f64x2.add(f64x2.sub(F(1), s), rh);
  const lo = f64x2.add(f64x2.add(se, q), f64x2.mul(rl, f64x2.add(f64x2.add(F(1), rh), q)));
  const eh = f64x2.add(s, lo);
  DD_H = eh;
  DD_L = f64x2.sub(lo, f64x2.sub(eh, s));
  return k;
}

/** Dekker's exact product error: a b = p + e (special.ts's twoProductErr on two lanes). */
// @ts-ignore: decorator
@inline export function twoProdErr(a: v128, b: v128, p: v128): v128 {
  const ta = f64x2.mul(F(134217729.0), a), ah = f64x2.sub(ta, f64x2.sub(ta, a)), al = f64x2.sub(a, ah);
  const tb = f64x2.mul(F(134217729.0), b), bh = f64x2.sub(tb, f64x2.sub(tb, b)), bl = f64x2.sub(b, bh);
  return f64x2.add(f64x2.add(f64x2.add(f64x2.sub(f64x2.mul(ah, bh), p), f64x2.mul(ah, bl)), f64x2.mul(al, bh)), f64x2.mul(al, bl));
}

// ---------------------------------------------------------------- sinh (special.ts)

function sinhScalar(x: f64): f64 { return sinh(x); }

/** 1/k! for odd k = 3..21, as special.ts's loop rounds them (k! by products from 2 up, then 1/k!). */
const S3: f64 = 0.16666666666666666, S5: f64 = 0.008333333333333333, S7: f64 = 0.0001984126984126984,
  S9: f64 = 2.7557319223985893e-06, S11: f64 = 2.505210838544172e-08, S13: f64 = 1.6059043836821613e-10,
  S15: f64 = 7.647163731819816e-13, S17: f64 = 2.8114572543455206e-15, S19: f64 = 8.22063524662433e-18,
  S21: f64 = 1.9572941063391263e-20;

/**
 * special.ts's sinh: the Maclaurin series below 1, (e - 1/e) / 2 from the double-double exp up
 * to 700. Other lanes (NaN, |x| > 700): the scalar routine.
 */
// @ts-ignore: decorator
@inline export function sinh_f64x2(x: v128): v128 {
  const ax = f64x2.abs(x);
  const series = f64x2.lt(ax, F(1));
  const rare = v128.not(f64x2.le(ax, F(700)));
  let y = x;
  if (v128.any_true(series)) {
    const x2 = f64x2.mul(x, x);
    let s = F(S21);
    s = f64x2.add(f64x2.mul(s, x2), F(S19)); s = f64x2.add(f64x2.mul(s, x2), F(S17));
    s = f64x2.add(f64x2.mul(s, x2), F(S15)); s = f64x2.add(f64x2.mul(s, x2), F(S13));
    s = f64x2.add(f64x2.mul(s, x2), F(S11)); s = f64x2.add(f64x2.mul(s, x2), F(S9));
    s = f64x2.add(f64x2.mul(s, x2), F(S7)); s = f64x2.add(f64x2.mul(s, x2), F(S5));
    s = f64x2.add(f64x2.mul(s, x2), F(S3));
    y = f64x2.add(x, f64x2.mul(f64x2.mul(x, x2), s));
  }
  if (!i64x2.all_true(v128.or(series, rare))) {
    const k = expNegDD(f64x2.neg(ax), F(0));
    const sc = i64x2.shl(i64x2.add(toI64(k), I(1023)), 52);
    const h = f64x2.mul(DD_H, sc), l = f64x2.mul(DD_L, sc), ih = f64x2.div(F(1), h);
    const d = f64x2.sub(h, ih), bb = f64x2.sub(d, h);
    const e = f64x2.add(f64x2.sub(h, f64x2.sub(d, bb)), f64x2.sub(f64x2.neg(ih), bb));
    const r = f64x2.mul(F(0.5), f64x2.add(d, f64x2.add(e, f64x2.add(l, f64x2.mul(f64x2.mul(l, ih), ih)))));
    y = sel(series, y, v128.or(r, v128.and(x, I(0x8000000000000000))));
  }
  return patch(x, y, rare, sinhScalar);
}
