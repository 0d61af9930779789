// erf and erfc on f64x2 lanes: special.ts's methods (see its header) step for step, so each lane
// gives the scalar routine's bits (wasm-tests/vmath64.spec.ts). erfcx's Taylor coefficients are
// gathered per lane (each lane picks its own centre 0.5 + k/4). The Maclaurin series (|x| < 1/2
// for erf, < 0.375 for erfc) stays with the scalar routine: it is two divisions per term, and
// f64x2 divisions were no faster per element than scalar ones here, so the branch-free form lost
// (33 vs 45 M/s). Those lanes and the rare ones (NaN, erf's |x| >= 6, erfc's x < -6 or x >= 26,
// where the scalar routine switches form or scales by 2^k twice) take the scalar routine.
// erfinv runs special.ts's Halley iteration on lanes from ErfInv64's guess (random.ts) over
// erfc_f64x2 and Math.exp's lane form (vmath64_hyp.ts).
import { F, I, sel, toI64, patch, expNegDD, twoProdErr, DD_H, DD_L } from './vmath64';
import { erf, erfc, erfinv } from './special';
import { mathExp_f64x2 } from './vmath64_hyp';
import { erfinv64x2 } from './random';
import { ERFCX_TERMS, ERFCX_TAYLOR, ERFCX_C0_LO } from './special_coeffs';

const INV_SQRT_PI: f64 = 0.5641895835477563;
const INV_SQRT_PI_LO: f64 = 7.66772980658294e-18;

function erfScalar(x: f64): f64 { return erf(x); }
function erfcScalar(x: f64): f64 { return erfc(x); }

/** The low part of erfcParts' result (special.ts's ERFC_LO). */
let PARTS_LO: v128 = i64x2.splat(0);

/** erfc(x) for 0.375 <= x < 26 as the lanes returned plus PARTS_LO: exp(-x^2) erfcx(x), both
 *  factors in double-double, one rounding. */
// @ts-ignore: decorator
@inline function erfcParts(x: v128): v128 {
  const taylor = f64x2.lt(x, F(6.125));
  let ch = F(0), cl = F(0);
  if (v128.any_true(taylor)) {
    // lanes past the table read centre 0 (their result is the continued fraction's)
    const kf = sel(taylor, f64x2.floor(f64x2.mul(f64x2.sub(x, F(0.375)), F(4))), F(0));
    const z = f64x2.sub(x, f64x2.add(F(0.5), f64x2.mul(kf, F(0.25))));
    const k0 = <i32>f64x2.extract_lane(kf, 0), k1 = <i32>f64x2.extract_lane(kf, 1);
    const base = changetype<usize>(ERFCX_TAYLOR);
    const p0 = base + (<usize>(k0 * ERFCX_TERMS) << 3), p1 = base + (<usize>(k1 * ERFCX_TERMS) << 3);
    // poly over coefficients 1..ERFCX_TERMS-1, from the top
    let s1 = v128.load64_lane(p1 + (<usize>(ERFCX_TERMS - 1) << 3), v128.load64_zero(p0 + (<usize>(ERFCX_TERMS - 1) << 3)), 1);
    for (let j = ERFCX_TERMS - 2; j >= 1; j--) {
      const c = v128.load64_lane(p1 + (<usize>j << 3), v128.load64_zero(p0 + (<usize>j << 3)), 1);
      s1 = f64x2.add(f64x2.mul(s1, z), c);
    }
    const p = f64x2.mul(s1, z), pe = twoProdErr(s1, z, p);
    const c0 = v128.load64_lane(p1, v128.load64_zero(p0), 1);
    const lo0 = changetype<usize>(ERFCX_C0_LO);
    const c0lo = v128.load64_lane(lo0 + (<usize>k1 << 3), v128.load64_zero(lo0 + (<usize>k0 << 3)), 1);
    ch = f64x2.add(c0, p);
    cl = f64x2.add(f64x2.add(f64x2.add(f64x2.sub(c0, ch), p), pe), c0lo);
  }
  if (!i64x2.all_true(taylor)) {
    // erfcx by its continued fraction from the tail up; the last x + t exact
    let f = x;
    for (let n = 60; n >= 2; n--) f = f64x2.add(x, f64x2.div(F(<f64>n * 0.5), f));
    const t = f64x2.div(F(0.5), f);
    const fh = f64x2.add(x, t), fl = f64x2.add(f64x2.sub(x, fh), t);
    const h = f64x2.div(F(INV_SQRT_PI), fh);
    const hf = f64x2.mul(h, fh);
    const r = f64x2.sub(f64x2.sub(F(INV_SQRT_PI), hf), twoProdErr(h, fh, hf));
    const l = f64x2.div(f64x2.sub(f64x2.add(r, F(INV_SQRT_PI_LO)), f64x2.mul(h, fl)), fh);
    ch = sel(taylor, ch, h);
    cl = sel(taylor, cl, l);
  }
  const ah = f64x2.mul(x, x), al = twoProdErr(x, x, ah);
  const k = expNegDD(ah, al);
  const eh = DD_H, el = DD_L;
  const ph = f64x2.mul(eh, ch), pe = twoProdErr(eh, ch, ph);
  const lo = f64x2.add(f64x2.add(pe, f64x2.mul(eh, cl)), f64x2.mul(el, ch));
  const m = f64x2.add(ph, lo);
  const sc = i64x2.shl(i64x2.add(toI64(k), I(1023)), 52);
  PARTS_LO = f64x2.mul(f64x2.add(f64x2.sub(ph, m), lo), sc);
  return f64x2.mul(m, sc);
}

/** erf: 1 - erfc(|x|) in double-double for 1/2 <= |x| < 6. */
// @ts-ignore: decorator
@inline export function erf_f64x2(x: v128): v128 {
  const ax = f64x2.abs(x);
  const rare = v128.or(f64x2.lt(ax, F(0.5)), v128.not(f64x2.lt(ax, F(6))));
  let y = x;
  if (!i64x2.all_true(rare)) {
    const h = erfcParts(sel(rare, F(1), ax)); // rare lanes compute a harmless erfc(1)
    const d = f64x2.sub(F(1), h), bb = f64x2.sub(d, F(1));
    const r = f64x2.add(d, f64x2.sub(f64x2.add(f64x2.sub(F(1), f64x2.sub(d, bb)), f64x2.sub(f64x2.neg(h), bb)), PARTS_LO));
    y = v128.or(r, v128.and(x, I(0x8000000000000000)));
  }
  return patch(x, y, rare, erfScalar);
}

/** erfc: erfcParts for 0.375 <= |x| < 26, 2 - erfc(-x) for negative x. */
// @ts-ignore: decorator
@inline export function erfc_f64x2(x: v128): v128 {
  const ax = f64x2.abs(x);
  const rare = v128.not(v128.and(v128.and(f64x2.ge(ax, F(0.375)), f64x2.lt(ax, F(26))), f64x2.ge(x, F(-6))));
  let y = x;
  if (!i64x2.all_true(rare)) {
    const e = erfcParts(sel(rare, F(1), ax));
    y = sel(f64x2.lt(x, F(0)), f64x2.sub(F(2), e), e);
  }
  return patch(x, y, rare, erfcScalar);
}

// ---------------------------------------------------------------- erfinv (special.ts)

const TWO_OVER_SQRT_PI: f64 = 1.1283791670955126;
function erfinvScalar(y: f64): f64 { return erfinv(y); }

/** erfinv: special.ts's method on lanes: ErfInv64's guess (erfinv64x2, the scalar bits), then
 *  Halley's steps on erf (|y| <= 1/2) or erfc (1 - |y| exact above), each lane stopping after a
 *  step of at most 1e-7 x (one step for |y| < 0.998). erf there is its Maclaurin series, taken
 *  from the scalar erf lane by lane (an f64x2 form of the series was slower). Rare lanes (y = 0,
 *  |y| >= 1, NaN): the scalar routine. */
// @ts-ignore: decorator
@inline export function erfinv_f64x2(yv: v128): v128 {
  const rare = v128.or(v128.not(f64x2.lt(f64x2.abs(yv), F(1))), f64x2.eq(yv, F(0)));
  const ay = sel(rare, F(0.75), f64x2.abs(yv));
  let x = erfinv64x2(ay);
  const tail = f64x2.gt(ay, F(0.5)), q = f64x2.sub(F(1), ay);
  let active = v128.not(rare);
  for (let i = 0; i < 6 && v128.any_true(active); i++) {
    // exp(-x^2) with x^2 split exactly (special.ts's expNegSquare)
    const hi = v128.and(x, I(0xFFFFFFFFF8000000));
    const ex = f64x2.mul(mathExp_f64x2(f64x2.mul(f64x2.neg(hi), hi)), mathExp_f64x2(f64x2.mul(f64x2.neg(f64x2.sub(x, hi)), f64x2.add(x, hi))));
    const fp = f64x2.mul(F(TWO_OVER_SQRT_PI), ex);
    let f = F(0);
    if (v128.any_true(v128.and(active, tail))) f = f64x2.sub(q, erfc_f64x2(sel(tail, x, F(1))));
    const series = v128.andnot(active, tail);
    if (v128.any_true(series)) f = sel(series, f64x2.sub(patch(x, x, series, erfScalar), ay), f);
    const d = f64x2.div(f, fp);
    const dx = f64x2.div(d, f64x2.add(F(1), f64x2.mul(x, d)));
    const xn = f64x2.sub(x, dx);
    x = sel(active, xn, x);
    active = v128.andnot(active, f64x2.le(f64x2.abs(dx), f64x2.mul(F(1e-7), xn)));
  }
  return patch(yv, sel(f64x2.lt(yv, F(0)), f64x2.neg(x), x), rare, erfinvScalar);
}

// ---------------------------------------------------------------- erf for float32 results

/** 2/sqrt(pi) (-1)^n / (n! (2n + 1)), n = 0..18: erf's Maclaurin series as a polynomial in x^2. */
const ERF_MACLAURIN: StaticArray<f64> = [
  1.1283791670955126, -0.37612638903183754, 0.11283791670955126, -0.026866170645131252,
  0.005223977625442188, -0.0008548327023450853, 0.00012055332981789664, -1.492565035840625e-05,
  1.6462114365889248e-06, -1.6365844691234924e-07, 1.4807192815879218e-08, -1.2290555301717928e-09,
  9.422759064650411e-11, -6.7113668551641105e-12, 4.4632242632864775e-13, -2.7835162072109215e-14,
  1.6342614095367152e-15, -9.063970842808673e-17, 4.763348040515068e-18];
/** Taylor terms of erfcx kept for float32 results (truncation 4e-15 relative: exp's rounding dominates). */
const ERFCX_TERMS32 = 12;

/** erf(x) = x P(x^2) for |x| < 1 (the Maclaurin series to x^37, Horner's rule: no division per term). */
// @ts-ignore: decorator
@inline function erfSmall32(x: v128): v128 {
  const z = f64x2.mul(x, x);
  let p = F(unchecked(ERF_MACLAURIN[18]));
  for (let n = 17; n >= 0; n--) p = f64x2.add(f64x2.mul(p, z), F(unchecked(ERF_MACLAURIN[n])));
  return f64x2.mul(x, p);
}

/** erfc(a) = exp(-a^2) erfcx(a) for 1 <= a < 6.125, erfcx from 12 terms of its Taylor table (no double-double parts). */
// @ts-ignore: decorator
@inline function erfcMid32(a: v128): v128 {
  const kf = f64x2.floor(f64x2.mul(f64x2.sub(a, F(0.375)), F(4)));
  const zz = f64x2.sub(a, f64x2.add(F(0.5), f64x2.mul(kf, F(0.25))));
  const k0 = <i32>f64x2.extract_lane(kf, 0), k1 = <i32>f64x2.extract_lane(kf, 1);
  const base = changetype<usize>(ERFCX_TAYLOR);
  const p0 = base + (<usize>(k0 * ERFCX_TERMS) << 3), p1 = base + (<usize>(k1 * ERFCX_TERMS) << 3);
  let s = v128.load64_lane(p1 + (<usize>(ERFCX_TERMS32 - 1) << 3), v128.load64_zero(p0 + (<usize>(ERFCX_TERMS32 - 1) << 3)), 1);
  for (let j = ERFCX_TERMS32 - 2; j >= 0; j--) {
    s = f64x2.add(f64x2.mul(s, zz), v128.load64_lane(p1 + (<usize>j << 3), v128.load64_zero(p0 + (<usize>j << 3)), 1));
  }
  return f64x2.mul(mathExp_f64x2(f64x2.neg(f64x2.mul(a, a))), s);
}

/*
 * erf and erfc to about 4e-15 relative, for results rounded to float32 (one rounding of a value
 * that close gives the correctly rounded float but for ties nearer than that; a 27,000-point
 * mpmath sweep of erf found none): |x| < 1 from the Maclaurin series, 1 <= |x| < 6 (erfc: to
 * 6.125) from exp(-x^2) erfcx(|x|), beyond erf = +-1, erfc = 2 below -6 and the float64 kernel
 * above 6.125 (its continued fraction, down to float32's underflow near 10); NaN stays NaN.
 * 2.5-5x the float64 kernels' speed, which exact GELU (0.5 x erfc(-x / sqrt 2)) spent its time in.
 */
// @ts-ignore: decorator
@inline export function erf32_f64x2(x: v128): v128 {
  const ax = f64x2.abs(x), sign = v128.and(x, I(0x8000000000000000));
  const small = f64x2.lt(ax, F(1));
  let r = v128.or(F(1), sign); // |x| >= 6
  if (v128.any_true(small)) r = sel(small, erfSmall32(x), r);
  const mid = v128.andnot(f64x2.lt(ax, F(6)), small);
  if (v128.any_true(mid)) r = sel(mid, v128.or(f64x2.sub(F(1), erfcMid32(sel(mid, ax, F(1)))), sign), r);
  return sel(f64x2.ne(x, x), x, r);
}

// @ts-ignore: decorator
@inline export function erfc32_f64x2(x: v128): v128 {
  const ax = f64x2.abs(x), neg = f64x2.lt(x, F(0));
  const small = f64x2.lt(ax, F(1));
  let r = F(2); // x <= -6.125
  if (v128.any_true(small)) r = sel(small, f64x2.sub(F(1), erfSmall32(x)), r);
  const mid = v128.andnot(f64x2.lt(ax, F(6.125)), small);
  if (v128.any_true(mid)) {
    const t = erfcMid32(sel(mid, ax, F(1)));
    r = sel(mid, sel(neg, f64x2.sub(F(2), t), t), r);
  }
  const far = v128.andnot(f64x2.ge(x, F(6.125)), neg); // (NaN: not >=, kept below)
  if (v128.any_true(far)) r = sel(far, erfc_f64x2(sel(far, x, F(7))), r);
  return sel(f64x2.ne(x, x), x, r);
}
