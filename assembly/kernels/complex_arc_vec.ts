// f64x2 SIMD kernels of the complex inverse functions, two values a step, with the formulas of
// the scalar routines in complex_arc.ts (Hull, Fairgrieve and Tang's asin/acos; Kahan's atanh):
// each branch of theirs computed in every lane and chosen per lane, one vmath log and one atan2
// a step. Lanes outside the common range go to the scalar routine lane by lane (so a result never
// depends on its neighbours): a NaN or infinity, |z| > 1e8 for asin/acos (log 2z there), a
// nonzero |y| < 1e-140 (y^2 underflows), |z| > 2^60 or z within 1e-100 of +-1 for atanh.
// log1p(u) is Goldberg's log(w) u/(w - 1) with w = 1 + u (a few ulp from an accurate log).
import { log_f64x2 } from './vmath';
import { atan2_f64x2 } from './complex_vec';
import { load64to128, store128to64 } from './complex';
import { arc_c64, arc_c128, C_ASIN, C_ACOS, C_ATAN, C_ASINH, C_ACOSH, C_ATANH } from './complex_arc';

@inline function F(v: f64): v128 { return f64x2.splat(v); }
@inline function finite(v: v128): v128 { return f64x2.eq(f64x2.sub(v, v), F(0)); }
@inline function withSignOf(mag: v128, s: v128): v128 { return v128.or(f64x2.abs(mag), v128.and(s, F(-0.0))); }
/** log1p(u) from log(w) = L, w = 1 + u. */
@inline function log1pOf(L: v128, u: v128, w: v128): v128 {
  return v128.bitselect(u, f64x2.div(f64x2.mul(L, u), f64x2.sub(w, F(1))), f64x2.eq(w, F(1)));
}

// Results: real parts and the magnitudes (first quadrant) or signed imaginary parts.
let RV: v128 = F(0), IV: v128 = F(0);

/** HFT in the first quadrant (x, y >= 0): RV = asin's (or acos's) real part, IV = |imag|. */
function asinAcosQ1(x: v128, y: v128, acos: bool): v128 {
  const bad = v128.or(v128.or(f64x2.gt(x, F(1e8)), f64x2.gt(y, F(1e8))), v128.and(f64x2.gt(y, F(0)), f64x2.lt(y, F(1e-140))));
  const xp1 = f64x2.add(x, F(1)), xm1 = f64x2.sub(x, F(1)), yy = f64x2.mul(y, y);
  const r = f64x2.sqrt(f64x2.add(f64x2.mul(xp1, xp1), yy)), s = f64x2.sqrt(f64x2.add(f64x2.mul(xm1, xm1), yy));
  const a = f64x2.mul(F(0.5), f64x2.add(r, s)), b = f64x2.div(x, a);
  const below = f64x2.lt(x, F(1)), rp = f64x2.div(yy, f64x2.add(r, xp1));
  // imaginary part: log1p(A - 1 + sqrt((A - 1)(A + 1))) below A = 1.5, log(A + sqrt(A^2 - 1)) above
  const am1 = f64x2.mul(F(0.5), f64x2.add(rp, v128.bitselect(f64x2.div(yy, f64x2.sub(s, xm1)), f64x2.add(s, xm1), below)));
  const u = f64x2.add(am1, f64x2.sqrt(f64x2.mul(am1, f64x2.add(a, F(1))))), w = f64x2.add(F(1), u);
  const nearA = f64x2.lt(a, F(1.5));
  const L = log_f64x2(v128.bitselect(w, f64x2.add(a, f64x2.sqrt(f64x2.sub(f64x2.mul(a, a), F(1)))), nearA));
  IV = v128.bitselect(log1pOf(L, u, w), L, nearA);
  // real part: asin B = atan2(B, sqrt(1 - B^2)) up to B = 0.6417, else atan2(x, c) with
  // c = sqrt(A^2 - x^2) from R, S (acos: the arguments swapped)
  const c = v128.bitselect(
    f64x2.sqrt(f64x2.mul(f64x2.mul(F(0.5), f64x2.add(a, x)), f64x2.add(rp, f64x2.sub(s, xm1)))),
    f64x2.mul(y, f64x2.sqrt(f64x2.mul(F(0.5), f64x2.add(f64x2.div(f64x2.add(a, x), f64x2.add(r, xp1)), f64x2.div(f64x2.add(a, x), f64x2.add(s, xm1)))))),
    f64x2.le(x, F(1)));
  const lowB = f64x2.le(b, F(0.6417));
  const num = v128.bitselect(b, x, lowB), den = v128.bitselect(f64x2.sqrt(f64x2.mul(f64x2.sub(F(1), b), f64x2.add(F(1), b))), c, lowB);
  RV = acos ? atan2_f64x2(den, num) : atan2_f64x2(num, den);
  return bad;
}

/** Kahan's atanh in the first quadrant: RV, IV >= 0. */
function atanhQ1(x: v128, y: v128): v128 {
  const omx = f64x2.sub(F(1), x);
  const bad = v128.or(v128.or(f64x2.gt(x, F(1.152921504606847e18)), f64x2.gt(y, F(1.152921504606847e18))),
    v128.and(f64x2.lt(f64x2.abs(omx), F(1e-100)), f64x2.lt(y, F(1e-100))));
  const v = f64x2.div(f64x2.mul(F(4), x), f64x2.add(f64x2.mul(omx, omx), f64x2.mul(y, y))), w = f64x2.add(F(1), v);
  RV = f64x2.mul(F(0.25), log1pOf(log_f64x2(w), v, w));
  IV = f64x2.mul(F(0.5), atan2_f64x2(f64x2.add(y, y), f64x2.sub(f64x2.mul(omx, f64x2.add(F(1), x)), f64x2.mul(y, y))));
  return bad;
}

/** f's lanes into RV, IV (signed); returns the lanes for the scalar routine. */
@inline function lanes(f: i32, x: v128, y: v128): v128 {
  const ax = f64x2.abs(x), ay = f64x2.abs(y);
  let bad = v128.not(v128.and(finite(x), finite(y)));
  if (f == C_ASIN) { bad = v128.or(bad, asinAcosQ1(ax, ay, false)); RV = withSignOf(RV, x); IV = withSignOf(IV, y); }
  else if (f == C_ACOS || f == C_ACOSH) {
    bad = v128.or(bad, asinAcosQ1(ax, ay, true));
    const re = v128.bitselect(f64x2.sub(F(3.141592653589793), RV), RV, i64x2.shr_s(x, 63)); // sign bit set (-0 too): acos(-z) = pi - acos z
    if (f == C_ACOS) { RV = re; IV = withSignOf(IV, f64x2.neg(y)); }
    else { RV = IV; IV = withSignOf(re, y); } // acosh z = |Im acos z| +- i Re acos z
  } else if (f == C_ASINH) { // asinh z = -i asin(iz): asin's first-quadrant parts of (y, x), swapped
    bad = v128.or(bad, asinAcosQ1(ay, ax, false));
    const re = IV; IV = withSignOf(RV, y); RV = withSignOf(re, x);
  } else if (f == C_ATANH) { bad = v128.or(bad, atanhQ1(ax, ay)); RV = withSignOf(RV, x); IV = withSignOf(IV, y); }
  else { // C_ATAN = -i atanh(iz)
    bad = v128.or(bad, atanhQ1(ay, ax));
    const re = IV; IV = withSignOf(RV, y); RV = withSignOf(re, x);
  }
  return bad;
}

export function arcv_c128(f: i32, x: usize, out: usize, n: i32): void {
  for (let i = 0; i < n; i += 2) {
    const p = x + (<usize>i << 4), q = out + (<usize>i << 4), two = i + 1 < n;
    const a = v128.load(p), b = two ? v128.load(p, 16) : a;
    const bad = lanes(f, i64x2.shuffle(a, b, 0, 2), i64x2.shuffle(a, b, 1, 3));
    const any = v128.any_true(bad);
    if (any && i64x2.extract_lane(bad, 0) != 0) arc_c128(f, p, q, 1); else v128.store(q, i64x2.shuffle(RV, IV, 0, 2));
    if (two) { if (any && i64x2.extract_lane(bad, 1) != 0) arc_c128(f, p + 16, q + 16, 1); else v128.store(q, i64x2.shuffle(RV, IV, 1, 3), 16); }
  }
}
export function arcv_c64(f: i32, x: usize, out: usize, n: i32): void {
  for (let i = 0; i < n; i += 2) {
    const p = x + (<usize>i << 3), q = out + (<usize>i << 3), two = i + 1 < n;
    const a = load64to128(p), b = two ? load64to128(p + 8) : a;
    const bad = lanes(f, i64x2.shuffle(a, b, 0, 2), i64x2.shuffle(a, b, 1, 3));
    const any = v128.any_true(bad);
    if (any && i64x2.extract_lane(bad, 0) != 0) arc_c64(f, p, q, 1); else store128to64(q, i64x2.shuffle(RV, IV, 0, 2));
    if (two) { if (any && i64x2.extract_lane(bad, 1) != 0) arc_c64(f, p + 8, q + 8, 1); else store128to64(q + 8, i64x2.shuffle(RV, IV, 1, 3)); }
  }
}
