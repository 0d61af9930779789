// lgamma, digamma and trigamma on f64x2 lanes: special.ts's methods (see its header) step for
// step, each lane taking its own branch by mask, so each lane gives the scalar routine's bits
// (wasm-tests/special_simd.spec.ts, scripts/simd_bitcheck.ts). The Taylor coefficients are
// chosen per lane (lgamma: a select between the expansions at 1 and 2; digamma: a gather from its
// centre or root table); the recurrences (lgamma's product down to [1.5, 2.5), trigamma's sum up
// to 10) step only the lanes still short of their range. Rare lanes: x <= 0 (the reflection
// formulas, and the poles), +inf and NaN take the scalar routine. polygamma n >= 2: polygamma.ts's
// plain path (n <= 63, x in [XLO, XHI]), each lane summing its own terms until it reaches the
// Euler-Maclaurin tail or its terms are negligible; other lanes take the scalar routine.
import { F, sel, patch, twoProdErr } from './vmath64';
import { mathLog_f64x2 } from './vmath64_hyp';
import { lgamma, digamma, trigamma } from './special';
import { polygamma, S, YMIN, XLO, XHI, NH, NL, EMC, EMJ } from './polygamma';
import {
  LGAMMA_TERMS, LGAMMA_AT_1, LGAMMA_AT_2, DIGAMMA_ROOT_HI, DIGAMMA_ROOT_LO, DIGAMMA_TERMS, DIGAMMA_AT_ROOT,
  BERNOULLI_2K, DIGAMMA_CENTRE_TERMS, DIGAMMA_AT_CENTRES,
} from './special_coeffs';

const HALF_LOG_2PI: f64 = 0.9189385332046728;

function lgammaScalar(x: f64): f64 { return lgamma(x); }
function digammaScalar(x: f64): f64 { return digamma(x); }
function trigammaScalar(x: f64): f64 { return trigamma(x); }

/** Stirling's and digamma's asymptotic coefficients B_2k / (2k (2k - 1)) and B_2k / (2k), as
 *  special.ts's loops divide them. */
const STIRLING_C: StaticArray<f64> = asymptoticCoeffs(true);
const DIGAMMA_ASYM_C: StaticArray<f64> = asymptoticCoeffs(false);
function asymptoticCoeffs(stirling: bool): StaticArray<f64> {
  const c = new StaticArray<f64>(8);
  for (let k = 1; k <= 8; k++) c[k - 1] = unchecked(BERNOULLI_2K[k - 1]) / <f64>(stirling ? 2 * k * (2 * k - 1) : 2 * k);
  return c;
}

/** LGAMMA_AT_1[k] and LGAMMA_AT_2[k] side by side, one v128 per k: each lane swizzles out its own
 *  (V8 builds every v128 constant from immediates at each use; a load and a swizzle are cheaper). */
const LGAMMA_PAIRS: StaticArray<f64> = lgammaPairs();
function lgammaPairs(): StaticArray<f64> {
  const c = new StaticArray<f64>(2 * LGAMMA_TERMS);
  for (let k = 0; k < LGAMMA_TERMS; k++) { c[2 * k] = unchecked(LGAMMA_AT_1[k]); c[2 * k + 1] = unchecked(LGAMMA_AT_2[k]); }
  return c;
}

/** The lanes x > 0, x < inf (NaN fails both). */
// @ts-ignore: decorator
@inline function positiveFinite(x: v128): v128 { return v128.and(f64x2.gt(x, F(0)), f64x2.lt(x, F(Infinity))); }

/** lgamma: the Taylor series at 1 (below 1.5, minus log x below 1/2) or at 2 (to 2.5, and after
 *  the recurrence product below 10, plus its log), Stirling's series from 10. */
// @ts-ignore: decorator
@inline export function lgamma_f64x2(x: v128): v128 {
  const rare = v128.not(positiveFinite(x));
  const below05 = f64x2.lt(x, F(0.5)), at1 = f64x2.lt(x, F(1.5)), below25 = f64x2.lt(x, F(2.5));
  const series = f64x2.lt(x, F(10));
  const rec = v128.andnot(series, below25);
  let y = x, p = F(1);
  let m = v128.and(rec, f64x2.ge(y, F(2.5)));
  while (v128.any_true(m)) {
    y = sel(m, f64x2.sub(y, F(1)), y);
    p = sel(m, f64x2.mul(p, y), p);
    m = v128.and(m, f64x2.ge(y, F(2.5)));
  }
  let r = x;
  if (v128.any_true(series)) {
    const z = sel(at1, sel(below05, x, f64x2.sub(x, F(1))), f64x2.sub(y, F(2)));
    // byte indices: lane 0 takes bytes 0-7 (the expansion at 1) or 8-15, lane 1 likewise
    const pick = v128.or(i8x16(0, 1, 2, 3, 4, 5, 6, 7, 0, 1, 2, 3, 4, 5, 6, 7), v128.andnot(i8x16.splat(8), at1));
    const tab = changetype<usize>(LGAMMA_PAIRS);
    let s = i8x16.swizzle(v128.load(tab + (<usize>(LGAMMA_TERMS - 1) << 4)), pick);
    for (let k = LGAMMA_TERMS - 2; k >= 0; k--) s = f64x2.add(f64x2.mul(s, z), i8x16.swizzle(v128.load(tab + (<usize>k << 4)), pick));
    r = s;
  }
  const withLog = v128.or(below05, v128.not(below25)); // rare lanes too: harmless
  if (v128.any_true(v128.andnot(withLog, rare))) {
    const l = mathLog_f64x2(sel(rec, p, sel(v128.andnot(withLog, rare), x, F(2))));
    r = sel(below05, f64x2.sub(r, l), sel(rec, f64x2.add(r, l), r));
    if (!i64x2.all_true(v128.or(series, rare))) {
      // (x - 1/2) log x - x + log(2 pi) / 2 + s / x, s in 1 / x^2
      const z = f64x2.div(F(1), f64x2.mul(x, x));
      let s = F(0);
      for (let k = 7; k >= 0; k--) s = f64x2.add(f64x2.mul(s, z), F(unchecked(STIRLING_C[k])));
      const st = f64x2.add(f64x2.add(f64x2.sub(f64x2.mul(f64x2.sub(x, F(0.5)), l), x), F(HALF_LOG_2PI)), f64x2.div(s, x));
      r = sel(series, r, st);
    }
  }
  return patch(x, r, rare, lgammaScalar);
}

/** digamma: the Taylor series around its positive root (|x - root| < 1/4) or around 1 + k/2 (to
 *  10.25), psi(x + 1) - 1/x below 0.75, the asymptotic series above. */
// @ts-ignore: decorator
@inline export function digamma_f64x2(x: v128): v128 {
  const rare = v128.not(positiveFinite(x));
  const small = f64x2.lt(x, F(0.75));
  const u = sel(small, f64x2.add(x, F(1)), x);
  const zr = f64x2.sub(u, F(DIGAMMA_ROOT_HI));
  const root = f64x2.lt(f64x2.abs(zr), F(0.25));
  const asym = v128.not(f64x2.lt(u, F(10.25)));
  const centre = v128.andnot(v128.not(v128.or(asym, rare)), root);
  let r = u;
  if (!i64x2.all_true(v128.or(asym, rare))) {
    // each lane's Taylor table: the root's, or centre k's (lanes without one read centre 0)
    const kf = sel(centre, f64x2.floor(f64x2.mul(f64x2.sub(u, F(0.75)), F(2))), F(0));
    const z = sel(root, f64x2.sub(zr, F(DIGAMMA_ROOT_LO)), f64x2.sub(u, f64x2.add(F(1), f64x2.mul(kf, F(0.5)))));
    const rootTab = changetype<usize>(DIGAMMA_AT_ROOT), centres = changetype<usize>(DIGAMMA_AT_CENTRES);
    const p0 = f64x2.extract_lane(root, 0) != 0 ? rootTab : centres + (<usize>(<i32>f64x2.extract_lane(kf, 0) * DIGAMMA_CENTRE_TERMS) << 3);
    const p1 = f64x2.extract_lane(root, 1) != 0 ? rootTab : centres + (<usize>(<i32>f64x2.extract_lane(kf, 1) * DIGAMMA_CENTRE_TERMS) << 3);
    let s = v128.load64_lane(p1 + (<usize>(DIGAMMA_TERMS - 1) << 3), v128.load64_zero(p0 + (<usize>(DIGAMMA_TERMS - 1) << 3)), 1);
    for (let j = DIGAMMA_TERMS - 2; j >= 0; j--) {
      s = f64x2.add(f64x2.mul(s, z), v128.load64_lane(p1 + (<usize>j << 3), v128.load64_zero(p0 + (<usize>j << 3)), 1));
    }
    r = s;
  }
  if (v128.any_true(v128.andnot(asym, rare))) {
    // log x - 1/(2x) - sum B_2k / (2k x^2k)
    const w = f64x2.div(F(1), f64x2.mul(u, u));
    let s = F(0);
    for (let k = 7; k >= 0; k--) s = f64x2.add(f64x2.mul(s, w), F(unchecked(DIGAMMA_ASYM_C[k])));
    const a = f64x2.sub(f64x2.sub(mathLog_f64x2(sel(asym, u, F(2))), f64x2.div(F(0.5), u)), f64x2.mul(s, w));
    r = sel(asym, a, r);
  }
  r = sel(small, f64x2.sub(r, f64x2.div(F(1), x)), r);
  return patch(x, r, rare, digammaScalar);
}

/** trigamma: sum 1/y^2 while y < 10 (y = x, x + 1, ...), then the asymptotic series at y. */
// @ts-ignore: decorator
@inline export function trigamma_f64x2(x: v128): v128 {
  const rare = v128.not(positiveFinite(x));
  let acc = F(0), y = sel(rare, F(10), x);
  let m = f64x2.lt(y, F(10));
  while (v128.any_true(m)) {
    acc = sel(m, f64x2.add(acc, f64x2.div(F(1), f64x2.mul(y, y))), acc);
    y = sel(m, f64x2.add(y, F(1)), y);
    m = f64x2.lt(y, F(10));
  }
  const w = f64x2.div(F(1), f64x2.mul(y, y));
  let s = F(0);
  for (let k = 7; k >= 0; k--) s = f64x2.add(f64x2.mul(s, w), F(unchecked(BERNOULLI_2K[k])));
  const r = f64x2.add(acc, f64x2.add(f64x2.add(f64x2.div(F(1), y), f64x2.mul(F(0.5), w)), f64x2.div(f64x2.mul(s, w), y)));
  return patch(x, r, rare, trigammaScalar);
}

// ---------------------------------------------------------------- polygamma n >= 2 (polygamma.ts)

/** polygamma's order for its rare lanes (patch takes a function of x alone). */
let ORDER: i32 = 2;
function polygammaScalar(x: f64): f64 { return polygamma(ORDER, x); }

let BH = F(0), BL = F(0);
/** polygamma.ts's emBracket on two lanes. */
function emBracket_f64x2(yh: v128, yl: v128): void {
  const s = <f64>S, nn = <f64>(S - 1);
  const q = f64x2.div(yh, F(nn)), p = f64x2.mul(q, F(nn));
  const ql = f64x2.div(f64x2.add(f64x2.sub(f64x2.sub(yh, p), twoProdErr(q, F(nn), p)), yl), F(nn));
  const r = f64x2.div(F(s), yh), r2 = f64x2.mul(r, r);
  let u = F(unchecked(EMC[EMJ - 1]));
  for (let j = EMJ - 2; j >= 0; j--) u = f64x2.add(f64x2.mul(u, r2), F(unchecked(EMC[j])));
  u = f64x2.mul(u, r);
  const h0 = f64x2.add(q, F(0.5)), e0 = f64x2.add(f64x2.sub(q, h0), F(0.5));
  const h = f64x2.add(h0, u), v = f64x2.sub(h, h0);
  const e1 = f64x2.add(f64x2.sub(h0, f64x2.sub(h, v)), f64x2.sub(u, v));
  BH = h; BL = f64x2.add(f64x2.add(e0, e1), ql);
}

/** polygamma(n, x), n >= 2, after polygamma.ts's prepare(n): polygammaPlain on the lanes in
 *  [XLO, XHI], each summing (x+k)^-(n+1) until its y = x + k reaches YMIN (then the tail) or its
 *  term is negligible, the lanes done standing still; the scalar routine elsewhere. */
export function polygamma_f64x2(x: v128, n: i32): v128 {
  const rare = v128.not(v128.and(f64x2.ge(x, F(XLO)), f64x2.le(x, F(XHI))));
  ORDER = n;
  if (i64x2.all_true(rare)) return patch(x, x, rare, polygammaScalar);
  const xs = sel(rare, F(YMIN), x); // (done at k = 0)
  const inn = 1 / <f64>(S - 1);
  let sh = F(0), sl = F(0), active = i64x2.splat(-1);
  for (let k = 0; v128.any_true(active); k++) {
    const kf = F(<f64>k);
    const yh0 = f64x2.add(xs, kf), v = f64x2.sub(yh0, xs);
    const ye = f64x2.add(f64x2.sub(xs, f64x2.sub(yh0, v)), f64x2.sub(kf, v));
    const yh = f64x2.add(yh0, ye), yl = f64x2.sub(ye, f64x2.sub(yh, yh0));
    // polygamma.ts's powPlain: the same binary powers (S is the same in both lanes), each product
    // mulPlain's p = ah bh, e = err(p) + (ah bl + al bh), (p + e, e - ((p + e) - p))
    let bh = yh, bl = yl, m = S;
    while (!(m & 1)) {
      const p = f64x2.mul(bh, bh), e = f64x2.add(twoProdErr(bh, bh, p), f64x2.add(f64x2.mul(bh, bl), f64x2.mul(bl, bh)));
      bh = f64x2.add(p, e); bl = f64x2.sub(e, f64x2.sub(bh, p));
      m >>>= 1;
    }
    let rh = bh, rl = bl;
    m >>>= 1;
    while (m != 0) {
      const p = f64x2.mul(bh, bh), e = f64x2.add(twoProdErr(bh, bh, p), f64x2.add(f64x2.mul(bh, bl), f64x2.mul(bl, bh)));
      bh = f64x2.add(p, e); bl = f64x2.sub(e, f64x2.sub(bh, p));
      if (m & 1) {
        const p2 = f64x2.mul(rh, bh), e2 = f64x2.add(twoProdErr(rh, bh, p2), f64x2.add(f64x2.mul(rh, bl), f64x2.mul(rl, bh)));
        rh = f64x2.add(p2, e2); rl = f64x2.sub(e2, f64x2.sub(rh, p2));
      }
      m >>>= 1;
    }
    const q = f64x2.div(F(1), rh), pq = f64x2.mul(q, rh);
    const ql = f64x2.mul(f64x2.sub(f64x2.sub(f64x2.sub(F(1), pq), twoProdErr(q, rh, pq)), f64x2.mul(q, rl)), q);
    const th = f64x2.add(q, ql), tl = f64x2.sub(ql, f64x2.sub(th, q));
    const em = v128.and(active, f64x2.ge(yh, F(YMIN)));
    let ah = th, al = tl;
    if (v128.any_true(em)) {
      emBracket_f64x2(yh, yl);
      const p = f64x2.mul(th, BH), e = f64x2.add(twoProdErr(th, BH, p), f64x2.add(f64x2.mul(th, BL), f64x2.mul(tl, BH)));
      const h = f64x2.add(p, e);
      ah = sel(em, h, th); al = sel(em, f64x2.sub(e, f64x2.sub(h, p)), tl);
    }
    let add = active;
    if (k > 0) {
      const small = f64x2.lt(f64x2.mul(th, f64x2.add(F(1), f64x2.mul(yh, F(inn)))), f64x2.mul(F(8.673617379884035e-19), sh)); // 2^-60
      add = v128.andnot(active, v128.andnot(small, em));
    }
    const s = f64x2.add(sh, ah), w = f64x2.sub(s, sh);
    const e = f64x2.add(f64x2.add(f64x2.sub(sh, f64x2.sub(s, w)), f64x2.sub(ah, w)), al);
    sl = sel(add, f64x2.add(sl, e), sl);
    sh = sel(add, s, sh);
    active = v128.andnot(add, em);
  }
  const p = f64x2.mul(F(NH), sh), e = f64x2.add(twoProdErr(F(NH), sh, p), f64x2.add(f64x2.mul(F(NH), sl), f64x2.mul(F(NL), sh)));
  const h = f64x2.add(p, e);
  const r = f64x2.mul(F((n & 1) ? 1 : -1), f64x2.add(h, f64x2.sub(e, f64x2.sub(h, p))));
  return patch(x, r, rare, polygammaScalar);
}
