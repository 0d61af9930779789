// erf and erfc on f64x2 lanes: special.ts's methods (see its header) step for step, so each lane
// gives the scalar routine's bits (wasm-tests/vmath64.spec.ts). erfcx's Taylor coefficients are
// gathered per lane (each lane picks its own centre 0.5 + k/4). The Maclaurin series (|x| < 1/2
// for erf, < 0.375 for erfc) stays with the scalar routine: it is two divisions per term, and
// f64x2 divisions were no faster per element than scalar ones here, so the branch-free form lost
// (33 vs 45 M/s). Those lanes and the rare ones (NaN, erf's |x| >= 6, erfc's x < -6 or x >= 26,
// where the scalar routine switches form or scales by 2^k twice) take the scalar routine.
// erfinv runs special.ts's Halley iteration on lanes over erfc_f64x2 and Math.exp's and
// Math.log's lane forms (vmath64_hyp.ts).
import { F, I, sel, toI64, patch, expNegDD, twoProdErr, DD_H, DD_L } from './vmath64';
import { erf, erfc, erfinv } from './special';
import { mathLog_f64x2, mathExp_f64x2 } from './vmath64_hyp';
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

/** erfinv: Winitzki's guess, then Halley's steps on erf (|y| <= 1/2) or erfc (1 - |y| exact
 *  above), each lane stopping at its own step below 1e-17 x. erf there is its Maclaurin series,
 *  taken from the scalar erf lane by lane: an f64x2 form of the series (each lane stopping at its
 *  own last term) made erfinv slower, 4.8 vs 6.0 M/s for y in [0, 1/2] (6.5 M/s this way). Rare
 *  lanes (y = 0, |y| >= 1, NaN): the scalar routine. */
// @ts-ignore: decorator
@inline export function erfinv_f64x2(yv: v128): v128 {
  const rare = v128.or(v128.not(f64x2.lt(f64x2.abs(yv), F(1))), f64x2.eq(yv, F(0)));
  const ay = sel(rare, F(0.75), f64x2.abs(yv));
  const l = mathLog_f64x2(f64x2.mul(f64x2.sub(F(1), ay), f64x2.add(F(1), ay)));
  const b = f64x2.add(F(2 / (Math.PI * 0.147)), f64x2.mul(F(0.5), l));
  let x = f64x2.sqrt(f64x2.sub(f64x2.sqrt(f64x2.sub(f64x2.mul(b, b), f64x2.div(l, F(0.147)))), b));
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
    active = v128.andnot(active, f64x2.le(f64x2.abs(dx), f64x2.mul(F(1e-17), xn)));
  }
  return patch(yv, sel(f64x2.lt(yv, F(0)), f64x2.neg(x), x), rare, erfinvScalar);
}
