// f64x2 SIMD kernels of the complex elementary functions exp, log, sin, cos, tan, sinh, cosh,
// tanh, sqrt: two complex values a step, deinterleaved into x = [x0, x1] and y = [y0, y1] lanes,
// computed in f64 (complex64 widened and rounded once, as the scalar loops of complex.ts do).
// A lane the fast formulas do not cover (a NaN or infinity, |y| > 700 where cosh y would
// overflow, sqrt at 0, past 1e300 or below 1e-300) is redone by the scalar loop, which holds the
// C99 special values; an odd last element runs paired with itself. So an element's result never
// depends on its position or its neighbour (vmap and jit agree bit for bit with one call per element).
//   exp z = e^x (cos y + i sin y)             sinh z = sinh x cos y + i cosh x sin y
//   sin z = sin x cosh y + i cos x sinh y     cosh z = cosh x cos y + i sinh x sin y
//   cos z = cos x cosh y - i sin x sinh y     tan z = -i tanh(iz)
//   tanh z (Kahan, as the scalar one) = (beta cosh x sinh x + i t)/(1 + beta sinh^2 x), t = tan y,
//     beta = 1 + t^2; past |x| = 22: sign(x) + 4i sin y cos y e^(-2|x|)
//   pow(a, b) = exp(b log a), as the scalar one (a = 0 or b = 0 lanes: the scalar routine)
//   sqrt z = t + i y/(2t) for x >= 0, |y|/(2t) +- i t for x < 0, t = sqrt((|z| + |x|)/2)
//   log z = log|z| + i atan2(y, x), log|z| = log1p(M^2 + m^2 - 1)/2 for M = max(|x|, |y|) in
//     (1/4, 2) (exact squares and sum; Goldberg's log1p(u) = log(w) u/(w - 1), w = 1 + u), else
//     log(sqrt(x^2 + y^2)), where |log|z|| > 0.69 so the rounding of |z| costs under 2 ulp
// sinh and cosh of a lane share one exp: (e -+ 1/e)/2, with sinh's Taylor series below 1/2
// (no cancellation). A zero y keeps its sign through sin y (= y) and cos y (= 1) exactly.

import { exp_f64x2, sin_f64x2, cos_f64x2, log_f64x2 } from './vmath';
import { map_c64, map_c128, pow_c64 as powScalar64, pow_c128 as powScalar128, abs_c64 as absScalar64, abs_c128 as absScalar128, load64to128, store128to64, C_EXP, C_LOG, C_SIN, C_COS, C_TAN, C_SINH, C_COSH, C_TANH, C_SQRT } from './complex';

@inline function F(v: f64): v128 { return f64x2.splat(v); }
@inline function finite(v: v128): v128 { return f64x2.eq(f64x2.sub(v, v), F(0)); }
@inline function withSignOf(mag: v128, s: v128): v128 { return v128.or(mag, v128.and(s, F(-0.0))); }
// sincos and sinhcosh stay out of line: one copy of vmath's polynomials each, called once or
// twice a step (inlined into every use they added ~20 KB to the wasm for no measured gain).
/** sin and cos of y with a zero y exact (sin(-0) = -0, cos(0) = 1). */
let SY: v128 = F(0), CY: v128 = F(0);
function sincos(y: v128): void {
  const zero = f64x2.eq(y, F(0));
  SY = v128.bitselect(y, sin_f64x2(y), zero);
  CY = v128.bitselect(F(1), cos_f64x2(y), zero);
}
/** sinh, cosh and e^-|x| of the lanes of x. */
let SH: v128 = F(0), CH: v128 = F(0), IE: v128 = F(0);
function sinhcosh(x: v128): void {
  const a = f64x2.abs(x), e = exp_f64x2(a);
  IE = f64x2.div(F(1), e);
  CH = f64x2.mul(F(0.5), f64x2.add(e, IE));
  const big = withSignOf(f64x2.mul(F(0.5), f64x2.sub(e, IE)), x);
  // x + x^3/3! + ... + x^13/13!: below 1/2 the next term is under 2^-54 x
  const x2 = f64x2.mul(x, x);
  let p = F(1.6059043836821613e-10);
  p = f64x2.add(f64x2.mul(p, x2), F(2.505210838544172e-8));
  p = f64x2.add(f64x2.mul(p, x2), F(2.7557319223985893e-6));
  p = f64x2.add(f64x2.mul(p, x2), F(1.984126984126984e-4));
  p = f64x2.add(f64x2.mul(p, x2), F(8.333333333333333e-3));
  p = f64x2.add(f64x2.mul(p, x2), F(0.16666666666666666));
  const small = f64x2.add(x, f64x2.mul(f64x2.mul(x, x2), p));
  SH = v128.bitselect(small, big, f64x2.lt(a, F(0.5)));
}

// atan(n/d) for 0 <= n <= d with Cephes' rational P/Q (atan t = t + t z P(z)/Q(z), z = t^2,
// within 1 ulp), past n/d = 0.66 through atan t = pi/4 + atan((n-d)/(n+d)) (one division either
// way); PI_LO carries pi's bits past the double.
const PI_LO: f64 = 1.2246467991473532e-16;
function atan01(n: v128, d: v128): v128 {
  const far = f64x2.gt(n, f64x2.mul(F(0.66), d));
  const r = f64x2.div(v128.bitselect(f64x2.sub(n, d), n, far), v128.bitselect(f64x2.add(n, d), d, far));
  const z = f64x2.mul(r, r);
  let p = F(-8.750608600031904122785e-1);
  p = f64x2.add(f64x2.mul(p, z), F(-1.615753718733365076637e1));
  p = f64x2.add(f64x2.mul(p, z), F(-7.500855792314704667340e1));
  p = f64x2.add(f64x2.mul(p, z), F(-1.228866684490136173410e2));
  p = f64x2.add(f64x2.mul(p, z), F(-6.485021904942025371773e1));
  let q = f64x2.add(z, F(2.485846490142306297962e1));
  q = f64x2.add(f64x2.mul(q, z), F(1.650270098316988542046e2));
  q = f64x2.add(f64x2.mul(q, z), F(4.328810604912902668951e2));
  q = f64x2.add(f64x2.mul(q, z), F(4.853903996359136964868e2));
  q = f64x2.add(f64x2.mul(q, z), F(1.945506571482613964425e2));
  const a = f64x2.add(r, f64x2.mul(r, f64x2.div(f64x2.mul(z, p), q)));
  return v128.bitselect(f64x2.add(F(0.7853981633974483), f64x2.add(a, F(0.25 * PI_LO))), a, far);
}
/** a^2 + b^2 - 1 as complex.ts's x2y2m1: Dekker's exact squares, Knuth's two-sum. */
@inline function sqLo(a: v128, p: v128): v128 {
  const c = f64x2.mul(F(134217729.0), a), h = f64x2.sub(c, f64x2.sub(c, a)), l = f64x2.sub(a, h);
  return f64x2.add(f64x2.add(f64x2.sub(f64x2.mul(h, h), p), f64x2.mul(f64x2.add(h, h), l)), f64x2.mul(l, l));
}
function x2y2m1(a: v128, b: v128): v128 {
  const ph = f64x2.mul(a, a), qh = f64x2.mul(b, b);
  const th = f64x2.add(ph, qh), v = f64x2.sub(th, ph);
  const tl = f64x2.add(f64x2.sub(ph, f64x2.sub(th, v)), f64x2.sub(qh, v));
  return f64x2.add(f64x2.sub(th, F(1)), f64x2.add(tl, f64x2.add(sqLo(a, ph), sqLo(b, qh))));
}
/** atan2(y, x) for lanes not both zero, all finite (within 2 ulp). */
export function atan2_f64x2(y: v128, x: v128): v128 {
  const ax = f64x2.abs(x), ay = f64x2.abs(y), steep = f64x2.gt(ay, ax);
  let r = atan01(f64x2.min(ax, ay), f64x2.max(ax, ay));
  r = v128.bitselect(f64x2.add(f64x2.sub(F(1.5707963267948966), r), F(0.5 * PI_LO)), r, steep);
  r = v128.bitselect(f64x2.add(f64x2.sub(F(3.141592653589793), r), F(PI_LO)), r, f64x2.lt(x, F(0)));
  return withSignOf(r, y);
}

// Results of one step, as [re0, re1] and [im0, im1].
let RV: v128 = F(0), IV: v128 = F(0);

@inline function tanhLanes(x: v128, y: v128): void {
  sincos(y); sinhcosh(x);
  const t = f64x2.div(SY, CY), beta = f64x2.add(F(1), f64x2.mul(t, t));
  const den = f64x2.add(F(1), f64x2.mul(beta, f64x2.mul(SH, SH)));
  const far = f64x2.gt(f64x2.abs(x), F(22));
  RV = v128.bitselect(withSignOf(F(1), x), f64x2.div(f64x2.mul(f64x2.mul(beta, CH), SH), den), far);
  IV = v128.bitselect(f64x2.mul(f64x2.mul(F(4), f64x2.mul(SY, CY)), f64x2.mul(IE, IE)), f64x2.div(t, den), far);
}

/** The lanes' results into RV, IV; returns the mask of lanes that need the scalar routine. */
@inline function lanes(f: i32, x: v128, y: v128): v128 {
  let bad = v128.not(v128.and(finite(x), finite(y)));
  if (f == C_EXP) {
    bad = v128.or(bad, f64x2.gt(x, F(709))); // e^x overflows before e^x cos y
    sincos(y);
    const e = exp_f64x2(x);
    RV = f64x2.mul(e, CY); IV = v128.bitselect(y, f64x2.mul(e, SY), f64x2.eq(y, F(0))); // exp(x + 0j) = e^x + 0j, also for e^x = inf
  } else if (f == C_SIN || f == C_COS) {
    bad = v128.or(bad, f64x2.gt(f64x2.abs(y), F(700)));
    sinhcosh(y); sincos(x);
    if (f == C_SIN) { RV = f64x2.mul(SY, CH); IV = f64x2.mul(CY, SH); }
    else { RV = f64x2.mul(CY, CH); IV = f64x2.neg(f64x2.mul(SY, SH)); }
  } else if (f == C_SINH || f == C_COSH) {
    bad = v128.or(bad, f64x2.gt(f64x2.abs(x), F(700)));
    sinhcosh(x); sincos(y);
    if (f == C_SINH) { RV = f64x2.mul(SH, CY); IV = f64x2.mul(CH, SY); }
    else { RV = f64x2.mul(CH, CY); IV = f64x2.mul(SH, SY); }
  } else if (f == C_TANH) {
    tanhLanes(x, y);
  } else if (f == C_TAN) { // tan z = -i tanh(-y + ix)
    tanhLanes(f64x2.neg(y), x);
    const re = RV; RV = IV; IV = f64x2.neg(re);
  } else if (f == C_LOG) {
    const ax = f64x2.abs(x), ay = f64x2.abs(y);
    const m = f64x2.max(ax, ay), s = f64x2.min(ax, ay);
    bad = v128.or(bad, v128.or(f64x2.lt(m, F(1e-150)), f64x2.gt(m, F(1e150)))); // zero (-inf, the angle's sign); x^2 + y^2 past the normals
    // one log a step: of w = 1 + (|z|^2 - 1) near |z| = 1 (log1p's trick), else of |z| itself
    const near = v128.and(f64x2.gt(m, F(0.25)), f64x2.lt(m, F(2)));
    const h = f64x2.sqrt(f64x2.add(f64x2.mul(x, x), f64x2.mul(y, y)));
    const u = x2y2m1(m, s), w = f64x2.add(F(1), u);
    const l = log_f64x2(v128.bitselect(w, h, near));
    const l1p = v128.bitselect(u, f64x2.div(f64x2.mul(l, u), f64x2.sub(w, F(1))), f64x2.eq(w, F(1)));
    RV = v128.bitselect(f64x2.mul(F(0.5), l1p), l, near);
    IV = atan2_f64x2(y, x);
  } else { // C_SQRT
    const ax = f64x2.abs(x), ay = f64x2.abs(y);
    const m = f64x2.max(ax, ay);
    bad = v128.or(bad, v128.or(f64x2.gt(m, F(1e300)), f64x2.lt(m, F(1e-300)))); // zeros too
    const q = f64x2.div(f64x2.min(ax, ay), m);
    const h = f64x2.mul(m, f64x2.sqrt(f64x2.add(F(1), f64x2.mul(q, q))));
    const t = f64x2.sqrt(f64x2.mul(F(0.5), f64x2.add(h, ax)));
    const w = f64x2.div(y, f64x2.add(t, t)), neg = f64x2.lt(x, F(0)); // y/2 first would lose a subnormal y's last bit
    RV = v128.bitselect(f64x2.abs(w), t, neg);
    IV = v128.bitselect(withSignOf(t, y), w, neg);
  }
  return bad;
}

// Two values a step (an odd last one as both lanes); a bad lane is redone by the scalar loop,
// lane by lane so that out may alias x. f is a runtime value: one copy of the inlined vmath
// polynomials per dtype (the branch on f is taken the same way at every step).
@inline function put128(f: i32, x: usize, out: usize, bad: bool, v: v128): void {
  if (bad) map_c128(f, x, out, 1); else v128.store(out, v);
}
@inline function put64(f: i32, x: usize, out: usize, bad: bool, v: v128): void {
  if (bad) map_c64(f, x, out, 1); else store128to64(out, v);
}
export function vec_c128(f: i32, x: usize, out: usize, n: i32): void {
  if (f != C_EXP && f != C_LOG && f != C_SIN && f != C_COS && f != C_TAN && f != C_SINH && f != C_COSH && f != C_TANH && f != C_SQRT) {
    map_c128(f, x, out, n);
    return;
  }
  for (let i = 0; i < n; i += 2) {
    const p = x + (<usize>i << 4), q = out + (<usize>i << 4), two = i + 1 < n;
    const a = v128.load(p), b = two ? v128.load(p, 16) : a;
    const bad = lanes(f, i64x2.shuffle(a, b, 0, 2), i64x2.shuffle(a, b, 1, 3));
    const any = v128.any_true(bad);
    put128(f, p, q, any && i64x2.extract_lane(bad, 0) != 0, i64x2.shuffle(RV, IV, 0, 2));
    if (two) put128(f, p + 16, q + 16, any && i64x2.extract_lane(bad, 1) != 0, i64x2.shuffle(RV, IV, 1, 3));
  }
}
export function vec_c64(f: i32, x: usize, out: usize, n: i32): void {
  if (f != C_EXP && f != C_LOG && f != C_SIN && f != C_COS && f != C_TAN && f != C_SINH && f != C_COSH && f != C_TANH && f != C_SQRT) {
    map_c64(f, x, out, n);
    return;
  }
  for (let i = 0; i < n; i += 2) {
    const p = x + (<usize>i << 3), q = out + (<usize>i << 3), two = i + 1 < n;
    const a = load64to128(p), b = two ? load64to128(p + 8) : a;
    const bad = lanes(f, i64x2.shuffle(a, b, 0, 2), i64x2.shuffle(a, b, 1, 3));
    const any = v128.any_true(bad);
    put64(f, p, q, any && i64x2.extract_lane(bad, 0) != 0, i64x2.shuffle(RV, IV, 0, 2));
    if (two) put64(f, p + 8, q + 8, any && i64x2.extract_lane(bad, 1) != 0, i64x2.shuffle(RV, IV, 1, 3));
  }
}

// pow(a, b) = exp(b log a): log's lanes, a complex product, exp's lanes; a lane that either
// step leaves bad, or with a = 0 or b = 0, is redone by the scalar pow.
@inline function powLanes(ar: v128, ai: v128, br: v128, bi: v128): v128 {
  const zero = F(0);
  let bad = lanes(C_LOG, ar, ai);
  bad = v128.or(bad, v128.or(v128.and(f64x2.eq(br, zero), f64x2.eq(bi, zero)), v128.not(v128.and(finite(br), finite(bi)))));
  const lr = RV, li = IV;
  return v128.or(bad, lanes(C_EXP, f64x2.sub(f64x2.mul(br, lr), f64x2.mul(bi, li)), f64x2.add(f64x2.mul(br, li), f64x2.mul(bi, lr))));
}
export function pow_c128(a: usize, b: usize, out: usize, n: i32): void {
  for (let i = 0; i < n; i += 2) {
    const o = <usize>i << 4, two = i + 1 < n;
    const a0 = v128.load(a + o), a1 = two ? v128.load(a + o, 16) : a0;
    const b0 = v128.load(b + o), b1 = two ? v128.load(b + o, 16) : b0;
    const bad = powLanes(i64x2.shuffle(a0, a1, 0, 2), i64x2.shuffle(a0, a1, 1, 3), i64x2.shuffle(b0, b1, 0, 2), i64x2.shuffle(b0, b1, 1, 3));
    const any = v128.any_true(bad);
    if (any && i64x2.extract_lane(bad, 0) != 0) powScalar128(a + o, b + o, out + o, 1); else v128.store(out + o, i64x2.shuffle(RV, IV, 0, 2));
    if (two) {
      if (any && i64x2.extract_lane(bad, 1) != 0) powScalar128(a + o + 16, b + o + 16, out + o + 16, 1);
      else v128.store(out + o, i64x2.shuffle(RV, IV, 1, 3), 16);
    }
  }
}
export function pow_c64(a: usize, b: usize, out: usize, n: i32): void {
  for (let i = 0; i < n; i += 2) {
    const o = <usize>i << 3, two = i + 1 < n;
    const a0 = load64to128(a + o), a1 = two ? load64to128(a + o + 8) : a0;
    const b0 = load64to128(b + o), b1 = two ? load64to128(b + o + 8) : b0;
    const bad = powLanes(i64x2.shuffle(a0, a1, 0, 2), i64x2.shuffle(a0, a1, 1, 3), i64x2.shuffle(b0, b1, 0, 2), i64x2.shuffle(b0, b1, 1, 3));
    const any = v128.any_true(bad);
    if (any && i64x2.extract_lane(bad, 0) != 0) powScalar64(a + o, b + o, out + o, 1); else store128to64(out + o, i64x2.shuffle(RV, IV, 0, 2));
    if (two) {
      if (any && i64x2.extract_lane(bad, 1) != 0) powScalar64(a + o + 8, b + o + 8, out + o + 8, 1);
      else store128to64(out + o + 8, i64x2.shuffle(RV, IV, 1, 3));
    }
  }
}

// |z| = sqrt(x^2 + y^2) (within 1 ulp; exact when x^2 + y^2 is, as |3+4j| = 5); a lane whose
// squares could overflow or lose bits below the normals goes to the scalar hypot.
@inline function absLanes(x: v128, y: v128): v128 {
  const m = f64x2.max(f64x2.abs(x), f64x2.abs(y));
  RV = f64x2.sqrt(f64x2.add(f64x2.mul(x, x), f64x2.mul(y, y)));
  return v128.not(v128.and(f64x2.lt(m, F(1e150)), v128.or(f64x2.gt(m, F(1e-150)), f64x2.eq(m, F(0))))); // NaN: bad
}
export function abs_c128(x: usize, out: usize, n: i32): void {
  for (let i = 0; i < n; i += 2) {
    const p = x + (<usize>i << 4), q = out + (<usize>i << 3), two = i + 1 < n;
    const a = v128.load(p), b = two ? v128.load(p, 16) : a;
    const bad = absLanes(i64x2.shuffle(a, b, 0, 2), i64x2.shuffle(a, b, 1, 3));
    if (two && !v128.any_true(bad)) { v128.store(q, RV); continue; }
    if (i64x2.extract_lane(bad, 0) != 0) absScalar128(p, q, 1); else store<f64>(q, f64x2.extract_lane(RV, 0));
    if (two) { if (i64x2.extract_lane(bad, 1) != 0) absScalar128(p + 16, q + 8, 1); else store<f64>(q + 8, f64x2.extract_lane(RV, 1)); }
  }
}
export function abs_c64(x: usize, out: usize, n: i32): void {
  for (let i = 0; i < n; i += 2) {
    const p = x + (<usize>i << 3), q = out + (<usize>i << 2), two = i + 1 < n;
    const a = load64to128(p), b = two ? load64to128(p + 8) : a;
    const bad = absLanes(i64x2.shuffle(a, b, 0, 2), i64x2.shuffle(a, b, 1, 3));
    if (two && !v128.any_true(bad)) { v128.store64_lane(q, f32x4.demote_f64x2_zero(RV), 0); continue; }
    if (i64x2.extract_lane(bad, 0) != 0) absScalar64(p, q, 1); else store<f32>(q, <f32>f64x2.extract_lane(RV, 0));
    if (two) { if (i64x2.extract_lane(bad, 1) != 0) absScalar64(p + 8, q + 4, 1); else store<f32>(q + 4, <f32>f64x2.extract_lane(RV, 1)); }
  }
}
