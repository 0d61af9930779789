// Vectorized transcendental math for f32x4 / f64x2 lanes.
//
// All fast paths are branch-free SIMD: Cody-Waite argument reduction followed
// by minimax polynomials (coefficients fitted with a Remez exchange on the
// reduced interval, relative error criterion), special values patched in with
// v128.bitselect.  The only branches are cheap `v128.any_true` guards that
// send rare lanes (huge trig arguments, pow with zero/inf/nan operands) to a
// per-lane scalar fallback.
//
// Accuracy (measured by wasm-tests/vmath.spec.ts, in ulps against Math.* for
// f64 and against f32(Math.f(f64(x))) for f32):
//   f64: exp, log, sin, cos <= 1 ulp; tanh, pow <= 2 ulp
//   f32: exp, log, sin, cos, tanh <= 1 ulp; pow <= 2 ulp
//
// Notes on the f32 versions: exp/log/tanh are computed entirely in f32 lanes.
// sin/cos reduce the argument in f64 (the reduced argument is handed to f32
// polynomials as an unevaluated f32 pair hi+lo), which keeps them accurate up
// to |x| = 1e6 without a many-part f32 pi/2.  pow needs y*log(x) to ~40 bits,
// more than f32 arithmetic can give cheaply, so it runs its log/exp in f64.
//
// exp/log/sin/cos/tanh are @inline (still exported): inlined into a kernel
// loop they run ~25-30% faster than through a call.  pow stays out of line.
//
// Known caveat found while testing: AssemblyScript's scalar Mathf.sin/cos give
// wrong results for some |x| > ~6e26, so the f32 fallbacks use f64 Math.*.

import { reduceHuge, REDUCED_HI, REDUCED_LO } from './trig_reduce';

// ---------------------------------------------------------------------------
// small helpers

// @ts-ignore: decorator
@inline function F64(x: f64): v128 { return f64x2.splat(x); }
// @ts-ignore: decorator
@inline function F32(x: f32): v128 { return f32x4.splat(x); }
// @ts-ignore: decorator
@inline function I64(x: i64): v128 { return i64x2.splat(x); }
// @ts-ignore: decorator
@inline function I32(x: i32): v128 { return i32x4.splat(x); }

// 1.5 * 2^52: adding it rounds an f64 (|v| < 2^51) to an integer held in the
// low mantissa bits.
// @ts-ignore: decorator
@inline const MAGIC52: f64 = 6755399441055744.0;
// @ts-ignore: decorator
@inline const MAGIC52_BITS: i64 = 0x4338000000000000;
// 1.5 * 2^23, same trick for f32.
// @ts-ignore: decorator
@inline const MAGIC23: f32 = 12582912.0;
// @ts-ignore: decorator
@inline const MAGIC23_BITS: i32 = 0x4b400000;

// ln2 split: LN2HI has 42 significant bits so k*LN2HI is exact for |k| < 2^11.
// @ts-ignore: decorator
@inline const INV_LN2: f64 = 1.4426950408889634;
// @ts-ignore: decorator
@inline const LN2HI: f64 = 0.6931471805598903;   // 0x3fe62e42fefa3800
// @ts-ignore: decorator
@inline const LN2LO: f64 = 5.497923018708371e-14; // 0x3d2ef35793c76730
// f32: LN2HI_F has 16 significant bits.
// @ts-ignore: decorator
@inline const INV_LN2_F: f32 = 1.4426950216293335;
// @ts-ignore: decorator
@inline const LN2HI_F: f32 = 0.693145751953125;
// @ts-ignore: decorator
@inline const LN2LO_F: f32 = 1.428606765330187e-06;

// pi/2 in three parts: PIO2_1 and PIO2_2 have 33 significant bits, so n*PIO2_1
// and n*PIO2_2 are exact for |n| < 2^20; PIO2_3 is the rounded remainder
// (total representation error ~1e-37).
// @ts-ignore: decorator
@inline const TWO_OVER_PI: f64 = 0.6366197723675814;
// @ts-ignore: decorator
@inline const PIO2_1: f64 = 1.5707963267341256;     // 0x3ff921fb54400000
// @ts-ignore: decorator
@inline const PIO2_2: f64 = 6.077100506303966e-11;  // 0x3dd0b4611a600000
// @ts-ignore: decorator
@inline const PIO2_3: f64 = 2.0222662487959506e-21; // 0x3ba3198a2e037073
// pi/2 - PIO2_1 rounded to 53 bits (two-part reduction for f32 inputs)
// @ts-ignore: decorator
@inline const PIO2_2R: f64 = 6.077100506506192e-11;
// Trig fast-path limits (|n| stays below 2^20).
// @ts-ignore: decorator
@inline const TRIG_LIMIT: f64 = 1.0e6;
// @ts-ignore: decorator
@inline const TRIG_LIMIT_F: f32 = 1.0e6;

// ---------------------------------------------------------------------------
// f64 exp

// exp(x + xlo) for x already clamped to [-746, 710] and |xlo| << ulp-ish of x.
// Reduction x = n*ln2 + r, |r| <= ln2/2, r carried as r + rlo.
// exp(r) = 1 + r + r^2 * P(r), P of degree 10 (rel. error 2.7e-18).
// The scale 2^n is applied as two factors so that n in [-1076, 1024] never
// leaves the normal exponent range.
// @ts-ignore: decorator
@inline function exp_core_f64(x: v128, xlo: v128): v128 {
  const t = f64x2.add(f64x2.mul(x, F64(INV_LN2)), F64(MAGIC52));
  const n = f64x2.sub(t, F64(MAGIC52));
  const hi = f64x2.sub(x, f64x2.mul(n, F64(LN2HI)));          // exact
  const lo = f64x2.sub(f64x2.mul(n, F64(LN2LO)), xlo);
  const r = f64x2.sub(hi, lo);
  const rlo = f64x2.sub(f64x2.sub(hi, r), lo);
  const r2 = f64x2.mul(r, r);
  // P(r) = sum c_i r^i, i = 0..10, evaluated as (c_2j + c_2j+1 r) pairs in r^2
  let p = f64x2.add(f64x2.add(F64(2.755734974847905e-07), f64x2.mul(r, F64(2.5105287960288473e-08))),
                    f64x2.mul(r2, F64(2.0889401728019885e-09)));
  p = f64x2.add(f64x2.add(F64(2.4801587245383298e-05), f64x2.mul(r, F64(2.755725523950655e-06))), f64x2.mul(r2, p));
  p = f64x2.add(f64x2.add(F64(0.0013888888888918208), f64x2.mul(r, F64(0.00019841269874937352))), f64x2.mul(r2, p));
  p = f64x2.add(f64x2.add(F64(0.041666666666666616), f64x2.mul(r, F64(0.008333333333326106))), f64x2.mul(r2, p));
  p = f64x2.add(f64x2.add(F64(0.5), f64x2.mul(r, F64(0.1666666666666667))), f64x2.mul(r2, p));
  const q = f64x2.mul(r2, p);
  // 1 + r as an exact pair (s, e)
  const s = f64x2.add(F64(1.0), r);
  const e = f64x2.add(f64x2.sub(F64(1.0), s), r);
  const m = f64x2.add(s, f64x2.add(e, f64x2.add(q, f64x2.add(rlo, f64x2.mul(rlo, r)))));
  const ni = i64x2.sub(t, I64(MAGIC52_BITS));
  const n1 = i64x2.shr_s(ni, 1);
  const n2 = i64x2.sub(ni, n1);
  const s1 = i64x2.shl(i64x2.add(n1, I64(1023)), 52);
  const s2 = i64x2.shl(i64x2.add(n2, I64(1023)), 52);
  return f64x2.mul(f64x2.mul(m, s1), s2);
}

// @ts-ignore: decorator
@inline export function exp_f64x2(x: v128): v128 {
  // pmin/pmax keep NaN (x is the first operand); clamping makes the result
  // overflow to +inf above 709.78 and underflow to 0 below -745.13.
  const xc = f64x2.pmax(f64x2.pmin(x, F64(710.0)), F64(-746.0));
  return exp_core_f64(xc, F64(0.0));
}

// ---------------------------------------------------------------------------
// f64 log

// log(x) for positive finite normal x; kadj is subtracted from the exponent
// (used for pre-scaled subnormals).
// x = 2^k * m, m in [sqrt(1/2), sqrt(2)), f = m - 1, s = f / (2 + f),
// log(1+f) = 2s + s^3 F(s^2) = f - hfsq + s*(hfsq + z F(z)).
// @ts-ignore: decorator
@inline function log_core_f64(x: v128, kadj: v128): v128 {
  const ix = i64x2.sub(x, I64(0x3fe6a09e667f3bcd));
  const k = i64x2.shr_s(ix, 52);
  const m = i64x2.add(v128.and(ix, I64(0x000fffffffffffff)), I64(0x3fe6a09e667f3bcd));
  const kf = f64x2.sub(f64x2.sub(i64x2.add(k, I64(MAGIC52_BITS)), F64(MAGIC52)), kadj);
  const f = f64x2.sub(m, F64(1.0));
  const s = f64x2.div(f, f64x2.add(F64(2.0), f));
  const z = f64x2.mul(s, s);
  const z2 = f64x2.mul(z, z);
  const hfsq = f64x2.mul(F64(0.5), f64x2.mul(f, f));
  // F(z), 7 coefficients (rel. error 4.6e-16 on F -> ~5e-18 on the result)
  let p = f64x2.add(F64(0.15331573821575978), f64x2.mul(z, F64(0.1461823638946966)));
  p = f64x2.add(f64x2.add(F64(0.22222211070237594), f64x2.mul(z, F64(0.18182893687283505))), f64x2.mul(z2, p));
  p = f64x2.add(f64x2.add(F64(0.666666666666667), f64x2.mul(z, F64(0.39999999999898556))),
                f64x2.mul(z2, f64x2.add(F64(0.2857142862638579), f64x2.mul(z, p))));
  const R = f64x2.mul(z, p);
  const kl = f64x2.mul(kf, F64(LN2LO));
  const t = f64x2.sub(hfsq, f64x2.add(f64x2.mul(s, f64x2.add(hfsq, R)), kl));
  return f64x2.add(f64x2.mul(kf, F64(LN2HI)), f64x2.sub(f, t));
}

// @ts-ignore: decorator
@inline export function log_f64x2(x: v128): v128 {
  const tiny = f64x2.lt(x, F64(2.2250738585072014e-308));
  const xs = v128.bitselect(f64x2.mul(x, F64(18014398509481984.0)), x, tiny); // 2^54
  const kadj = v128.and(tiny, F64(54.0));
  const res = log_core_f64(xs, kadj);
  // specials: 0 -> -inf, +inf -> +inf, negative / NaN -> NaN
  const ok = v128.and(f64x2.gt(x, F64(0.0)), f64x2.lt(x, F64(Infinity)));
  let sv = v128.bitselect(F64(-Infinity), F64(NaN), f64x2.eq(x, F64(0.0)));
  sv = v128.bitselect(F64(Infinity), sv, f64x2.eq(x, F64(Infinity)));
  return v128.bitselect(res, sv, ok);
}

// ---------------------------------------------------------------------------
// f64 sin / cos

// Kernels on the reduced argument r + y (|r| <= pi/4, |y| <~ ulp(r)).
// sin(r) = r + r^3 S(r^2), cos(r) = 1 - r^2/2 + r^4 C(r^2).
// @ts-ignore: decorator
@inline function sin_kernel_f64(r: v128, y: v128, z: v128): v128 {
  const z2 = f64x2.mul(z, z);
  let p = f64x2.add(F64(-2.505112887234349e-08), f64x2.mul(z, F64(1.5917933887830697e-10)));
  p = f64x2.add(f64x2.add(F64(-0.00019841269836724175), f64x2.mul(z, F64(2.7557316086724726e-06))), f64x2.mul(z2, p));
  p = f64x2.add(f64x2.add(F64(-0.16666666666666666), f64x2.mul(z, F64(0.008333333333330922))), f64x2.mul(z2, p));
  const v = f64x2.mul(z, r);
  // sin(r + y) ~= sin(r) + y * (1 - z/2)
  const corr = f64x2.sub(y, f64x2.mul(f64x2.mul(F64(0.5), z), y));
  return f64x2.add(r, f64x2.add(f64x2.mul(v, p), corr));
}

// @ts-ignore: decorator
@inline function cos_kernel_f64(r: v128, y: v128, z: v128): v128 {
  const z2 = f64x2.mul(z, z);
  let p = f64x2.add(F64(2.0876144977840904e-09), f64x2.mul(z, F64(-1.1382547034939678e-11)));
  p = f64x2.add(f64x2.add(F64(2.480158729875096e-05), f64x2.mul(z, F64(-2.7557317264904994e-07))), f64x2.mul(z2, p));
  p = f64x2.add(f64x2.add(F64(0.041666666666666664), f64x2.mul(z, F64(-0.0013888888888887387))), f64x2.mul(z2, p));
  const hz = f64x2.mul(F64(0.5), z);
  const w = f64x2.sub(F64(1.0), hz);
  // cos(r + y) ~= cos(r) - r*y; (1 - w) - hz recovers the rounding of w
  const tail = f64x2.add(f64x2.sub(f64x2.sub(F64(1.0), w), hz),
                         f64x2.sub(f64x2.mul(z2, p), f64x2.mul(r, y)));
  return f64x2.add(w, tail);
}

// Quadrant-selected sin (cosFlag = 0) or cos (cosFlag = 1) of |x| <= TRIG_LIMIT.
// @ts-ignore: decorator
@inline function sincos_fast_f64(x: v128, cosFlag: i64): v128 {
  const t = f64x2.add(f64x2.mul(x, F64(TWO_OVER_PI)), F64(MAGIC52));
  const n = f64x2.sub(t, F64(MAGIC52));
  // r = x - n*(P1 + P2 + P3) as a double-double
  const t1 = f64x2.sub(x, f64x2.mul(n, F64(PIO2_1)));        // exact
  const t2 = f64x2.neg(f64x2.mul(n, F64(PIO2_2)));           // exact
  // TwoSum(t1, t2)
  const a = f64x2.add(t1, t2);
  const ab = f64x2.sub(a, t1);
  const e1 = f64x2.add(f64x2.sub(t1, f64x2.sub(a, ab)), f64x2.sub(t2, ab));
  const t3 = f64x2.neg(f64x2.mul(n, F64(PIO2_3)));
  // TwoSum(a, t3)
  const b = f64x2.add(a, t3);
  const bb = f64x2.sub(b, a);
  const e2 = f64x2.add(f64x2.sub(a, f64x2.sub(b, bb)), f64x2.sub(t3, bb));
  const lo = f64x2.add(e1, e2);
  const r = f64x2.add(b, lo);
  const y = f64x2.add(f64x2.sub(b, r), lo);
  const z = f64x2.mul(r, r);
  const sr = sin_kernel_f64(r, y, z);
  const cr = cos_kernel_f64(r, y, z);
  let q = i64x2.sub(t, I64(MAGIC52_BITS));
  if (cosFlag) q = i64x2.add(q, I64(1));
  const swap = i64x2.ne(v128.and(q, I64(1)), I64(0));
  const sign = i64x2.shl(v128.and(q, I64(2)), 62);
  return v128.xor(v128.bitselect(cr, sr, swap), sign);
}

// |x| > TRIG_LIMIT: Payne-Hanek reduction (trig_reduce.ts), then the same kernels; inf/NaN give NaN.
/** sin (cosFlag 0) or cos (1) of one lane past the Cody-Waite limit. */
export function sincos_huge_f64(x: f64, cosFlag: i32): f64 {
  if (!isFinite(x)) return NaN;
  const q = reduceHuge(Math.abs(x)) + cosFlag;
  const r = F64(REDUCED_HI), y = F64(REDUCED_LO), z = f64x2.mul(r, r);
  let v = f64x2.extract_lane((q & 1) ? cos_kernel_f64(r, y, z) : sin_kernel_f64(r, y, z), 0);
  if (q & 2) v = -v;
  return x < 0 && cosFlag == 0 ? -v : v;
}

function sin_f64_slow(x: v128, res: v128, big: v128): v128 {
  if (i64x2.extract_lane(big, 0) != 0) res = f64x2.replace_lane(res, 0, sincos_huge_f64(f64x2.extract_lane(x, 0), 0));
  if (i64x2.extract_lane(big, 1) != 0) res = f64x2.replace_lane(res, 1, sincos_huge_f64(f64x2.extract_lane(x, 1), 0));
  return res;
}

function cos_f64_slow(x: v128, res: v128, big: v128): v128 {
  if (i64x2.extract_lane(big, 0) != 0) res = f64x2.replace_lane(res, 0, sincos_huge_f64(f64x2.extract_lane(x, 0), 1));
  if (i64x2.extract_lane(big, 1) != 0) res = f64x2.replace_lane(res, 1, sincos_huge_f64(f64x2.extract_lane(x, 1), 1));
  return res;
}

// @ts-ignore: decorator
@inline export function sin_f64x2(x: v128): v128 {
  const ax = f64x2.abs(x);
  let res = sincos_fast_f64(x, 0);
  // |x| < 2^-26: sin(x) rounds to x (also keeps -0)
  res = v128.bitselect(x, res, f64x2.lt(ax, F64(1.4901161193847656e-08)));
  const big = v128.not(f64x2.le(ax, F64(TRIG_LIMIT))); // includes inf / NaN
  if (v128.any_true(big)) res = sin_f64_slow(x, res, big);
  return res;
}

// @ts-ignore: decorator
@inline export function cos_f64x2(x: v128): v128 {
  const ax = f64x2.abs(x);
  let res = sincos_fast_f64(x, 1);
  const big = v128.not(f64x2.le(ax, F64(TRIG_LIMIT)));
  if (v128.any_true(big)) res = cos_f64_slow(x, res, big);
  return res;
}

// ---------------------------------------------------------------------------
// double-double helper

// Rounding error of p = fl(a*b) (Dekker product; the operands are split by
// masking the low 32 bits, so all partial products except al*bl are exact).
// @ts-ignore: decorator
@inline const SPLIT_MASK: i64 = -4294967296; // 0xffffffff00000000

// @ts-ignore: decorator
@inline function two_prod_err(a: v128, b: v128, p: v128): v128 {
  const ah = v128.and(a, I64(SPLIT_MASK));
  const al = f64x2.sub(a, ah);
  const bh = v128.and(b, I64(SPLIT_MASK));
  const bl = f64x2.sub(b, bh);
  return f64x2.add(f64x2.add(f64x2.add(f64x2.sub(f64x2.mul(ah, bh), p), f64x2.mul(ah, bl)),
                             f64x2.mul(al, bh)),
                   f64x2.mul(al, bl));
}

// ---------------------------------------------------------------------------
// f64 tanh

// |x| < 0.55: tanh(x) = x + x^3 T(x^2) (degree-10 T, rel. error 2.3e-17).
// |x| >= 0.55: tanh(|x|) = 1 - 2 / (exp(2|x|) + 1), with exp(2|x|) + 1 kept
// as an exact pair; |x| is clamped to 20 (tanh(20) rounds to 1).
// @ts-ignore: decorator
@inline export function tanh_f64x2(x: v128): v128 {
  const ax = f64x2.abs(x);
  const z = f64x2.mul(x, x);
  const z2 = f64x2.mul(z, z);
  let p = f64x2.add(F64(8.511384891868643e-05), f64x2.mul(z, F64(-2.0603235412678374e-05)));
  p = f64x2.add(f64x2.add(F64(0.0005889362155215289), f64x2.mul(z, F64(-0.00023463519962814625))), f64x2.mul(z2, p));
  p = f64x2.add(f64x2.add(F64(0.0035921103833924523), f64x2.mul(z, F64(-0.0014556618653461058))), f64x2.mul(z2, p));
  p = f64x2.add(f64x2.add(F64(0.021869488493684794), f64x2.mul(z, F64(-0.008863234398196612))), f64x2.mul(z2, p));
  p = f64x2.add(f64x2.add(F64(0.13333333333332714), f64x2.mul(z, F64(-0.05396825396743444))), f64x2.mul(z2, p));
  p = f64x2.add(F64(-0.3333333333333333), f64x2.mul(z, p));
  // tanh(x) has the sign of x (this also keeps tanh(-0) = -0)
  const small = v128.or(f64x2.add(x, f64x2.mul(f64x2.mul(x, z), p)), v128.and(x, F64(-0.0)));

  const a = f64x2.pmin(ax, F64(20.0));
  const E = exp_core_f64(f64x2.add(a, a), F64(0.0));
  // s + e = E + 1 exactly
  const s = f64x2.add(E, F64(1.0));
  const e = f64x2.add(f64x2.sub(E, s), F64(1.0));
  // q0 + ql = 2 / (s + e), residual 2 - q0*s taken exactly
  const q0 = f64x2.div(F64(2.0), s);
  const qs = f64x2.mul(q0, s);
  const res = f64x2.sub(f64x2.sub(f64x2.sub(F64(2.0), qs), two_prod_err(q0, s, qs)), f64x2.mul(q0, e));
  const ql = f64x2.div(res, s);
  // 1 - q0 - ql with the rounding of 1 - q0 recovered
  const w = f64x2.sub(F64(1.0), q0);
  const big = f64x2.add(w, f64x2.sub(f64x2.sub(f64x2.sub(F64(1.0), w), q0), ql));
  const bigs = v128.or(big, v128.and(x, F64(-0.0)));
  return v128.bitselect(small, bigs, f64x2.lt(ax, F64(0.55)));
}

// ---------------------------------------------------------------------------
// f64 pow

// pow(|x|, y) for finite nonzero x and finite y: exp(y * log|x|) with log|x|
// in double-double (~2^-100 relative) and the product y*log|x| as a pair.
// @ts-ignore: decorator
@inline function pow_core_f64(ax: v128, y: v128): v128 {
  const tiny = f64x2.lt(ax, F64(2.2250738585072014e-308));
  const xs = v128.bitselect(f64x2.mul(ax, F64(18014398509481984.0)), ax, tiny);
  const kadj = v128.and(tiny, F64(54.0));
  const ix = i64x2.sub(xs, I64(0x3fe6a09e667f3bcd));
  const k = i64x2.shr_s(ix, 52);
  const m = i64x2.add(v128.and(ix, I64(0x000fffffffffffff)), I64(0x3fe6a09e667f3bcd));
  const kf = f64x2.sub(f64x2.sub(i64x2.add(k, I64(MAGIC52_BITS)), F64(MAGIC52)), kadj);
  const f = f64x2.sub(m, F64(1.0));                             // exact
  const dh = f64x2.add(F64(1.0), m);
  const dl = f64x2.sub(m, f64x2.sub(dh, F64(1.0)));
  // s = f / (dh + dl) as sh + sl
  const sh = f64x2.div(f, dh);
  const p0 = f64x2.mul(sh, dh);
  const p0e = two_prod_err(sh, dh, p0);
  const sl = f64x2.div(f64x2.sub(f64x2.sub(f64x2.sub(f, p0), p0e), f64x2.mul(sh, dl)), dh);
  // z = s^2
  const zh = f64x2.mul(sh, sh);
  const zl = f64x2.add(two_prod_err(sh, sh, zh), f64x2.mul(f64x2.add(sh, sh), sl));
  // s^3
  const th = f64x2.mul(zh, sh);
  const tl = f64x2.add(two_prod_err(zh, sh, th), f64x2.add(f64x2.mul(zh, sl), f64x2.mul(zl, sh)));
  // c = 2/3 + z G(z), G with 8 coefficients
  const z2 = f64x2.mul(zh, zh);
  let g = f64x2.add(F64(0.1170610178979015), f64x2.mul(zh, F64(0.11724566636635173)));
  g = f64x2.add(f64x2.add(F64(0.15384594866984386), f64x2.mul(zh, F64(0.13334809797069194))), f64x2.mul(z2, g));
  g = f64x2.add(f64x2.add(F64(0.22222222221651755), f64x2.mul(zh, F64(0.1818181833630596))), f64x2.mul(z2, g));
  g = f64x2.add(f64x2.add(F64(0.4), f64x2.mul(zh, F64(0.28571428571429375))), f64x2.mul(z2, g));
  g = f64x2.mul(zh, g);
  const ch = f64x2.add(F64(0.6666666666666666), g);
  const cl = f64x2.add(f64x2.add(f64x2.sub(F64(0.6666666666666666), ch), g), F64(3.700743415417188e-17));
  // u = s^3 * c
  const uh = f64x2.mul(th, ch);
  const ul = f64x2.add(two_prod_err(th, ch, uh), f64x2.add(f64x2.mul(th, cl), f64x2.mul(tl, ch)));
  // log(m) = 2s + u
  const s2h = f64x2.add(sh, sh);
  const vh = f64x2.add(s2h, uh);
  const vl = f64x2.add(f64x2.add(f64x2.sub(s2h, vh), uh), f64x2.add(f64x2.add(sl, sl), ul));
  // + k*ln2
  const Kh = f64x2.mul(kf, F64(LN2HI));                        // exact
  const Lh = f64x2.add(Kh, vh);
  const Ll = f64x2.add(f64x2.add(f64x2.sub(Kh, Lh), vh), f64x2.add(vl, f64x2.mul(kf, F64(LN2LO))));
  const L = f64x2.add(Lh, Ll);
  const L2 = f64x2.add(f64x2.sub(Lh, L), Ll);
  // t = y * L
  const t = f64x2.mul(y, L);
  const tlo = f64x2.add(two_prod_err(y, L, t), f64x2.mul(y, L2));
  const inr = f64x2.lt(f64x2.abs(t), F64(746.0));   // drop tlo only when t is far out of range (or inf)
  const tc = f64x2.pmax(f64x2.pmin(t, F64(710.0)), F64(-746.0));
  return exp_core_f64(tc, v128.and(tlo, inr));
}

// C99 and NumPy: pow(+1, y) = 1 for every y (NaN too) and pow(-1, +-inf) = 1; JS's Math.pow
// gives NaN for both.
function cPow(x: f64, y: f64): f64 {
  if (x == 1.0) return 1.0;
  if (x == -1.0 && (y == Infinity || y == -Infinity)) return 1.0;
  return Math.pow(x, y);
}

function pow_f64_slow(x: v128, y: v128, res: v128, sp: v128): v128 {
  if (i64x2.extract_lane(sp, 0) != 0) {
    res = f64x2.replace_lane(res, 0, cPow(f64x2.extract_lane(x, 0), f64x2.extract_lane(y, 0)));
  }
  if (i64x2.extract_lane(sp, 1) != 0) {
    res = f64x2.replace_lane(res, 1, cPow(f64x2.extract_lane(x, 1), f64x2.extract_lane(y, 1)));
  }
  return res;
}

export function pow_f64x2(x: v128, y: v128): v128 {
  const ax = f64x2.abs(x);
  let res = pow_core_f64(ax, y);
  // x < 0: integer y -> sign from parity, otherwise NaN
  const neg = f64x2.lt(x, F64(0.0));
  const ty = f64x2.trunc(y);
  const yint = f64x2.eq(ty, y);
  const hy = f64x2.mul(y, F64(0.5));
  const yodd = v128.and(yint, f64x2.ne(f64x2.trunc(hy), hy));
  res = v128.or(res, v128.and(v128.and(neg, yodd), F64(-0.0)));
  res = v128.bitselect(F64(NaN), res, v128.andnot(neg, yint));
  // x = 0 / inf / NaN, y = inf / NaN: scalar fallback
  const xok = v128.and(f64x2.gt(ax, F64(0.0)), f64x2.lt(ax, F64(Infinity)));
  const yok = f64x2.lt(f64x2.abs(y), F64(Infinity));
  const sp = v128.not(v128.and(xok, yok));
  if (v128.any_true(sp)) res = pow_f64_slow(x, y, res, sp);
  return res;
}

// ===========================================================================
// f32x4

// exp(x) for x clamped to [-104, 89]; exp(r) = 1 + r + r^2 P(r), P degree 4.
// @ts-ignore: decorator
@inline function exp_core_f32(x: v128): v128 {
  const t = f32x4.add(f32x4.mul(x, F32(INV_LN2_F)), F32(MAGIC23));
  const n = f32x4.sub(t, F32(MAGIC23));
  const hi = f32x4.sub(x, f32x4.mul(n, F32(LN2HI_F)));       // exact
  const lo = f32x4.mul(n, F32(LN2LO_F));
  const r = f32x4.sub(hi, lo);
  const rlo = f32x4.sub(f32x4.sub(hi, r), lo);
  const r2 = f32x4.mul(r, r);
  let p = f32x4.add(F32(0.008363205008208752), f32x4.mul(r, F32(0.001390131190419197)));
  p = f32x4.add(f32x4.add(F32(0.16666576266288757), f32x4.mul(r, F32(0.04166685417294502))), f32x4.mul(r2, p));
  p = f32x4.add(F32(0.5), f32x4.mul(r, p));
  const q = f32x4.mul(r2, p);
  const s = f32x4.add(F32(1.0), r);
  const e = f32x4.add(f32x4.sub(F32(1.0), s), r);
  const mm = f32x4.add(s, f32x4.add(e, f32x4.add(q, rlo)));
  const ni = i32x4.sub(t, I32(MAGIC23_BITS));
  const n1 = i32x4.shr_s(ni, 1);
  const n2 = i32x4.sub(ni, n1);
  const s1 = i32x4.shl(i32x4.add(n1, I32(127)), 23);
  const s2 = i32x4.shl(i32x4.add(n2, I32(127)), 23);
  return f32x4.mul(f32x4.mul(mm, s1), s2);
}

// @ts-ignore: decorator
@inline export function exp_f32x4(x: v128): v128 {
  const xc = f32x4.pmax(f32x4.pmin(x, F32(89.0)), F32(-104.0));
  return exp_core_f32(xc);
}

// @ts-ignore: decorator
@inline export function log_f32x4(x: v128): v128 {
  const tiny = f32x4.lt(x, F32(1.17549435e-38));
  const xs = v128.bitselect(f32x4.mul(x, F32(33554432.0)), x, tiny); // 2^25
  const kadj = v128.and(tiny, F32(25.0));
  const ix = i32x4.sub(xs, I32(0x3f3504f3));
  const k = i32x4.shr_s(ix, 23);
  const m = i32x4.add(v128.and(ix, I32(0x007fffff)), I32(0x3f3504f3));
  const kf = f32x4.sub(f32x4.convert_i32x4_s(k), kadj);
  const f = f32x4.sub(m, F32(1.0));
  const s = f32x4.div(f, f32x4.add(F32(2.0), f));
  const z = f32x4.mul(s, s);
  const hfsq = f32x4.mul(F32(0.5), f32x4.mul(f, f));
  let p = f32x4.add(F32(0.39988741278648376), f32x4.mul(z, F32(0.29581549763679504)));
  p = f32x4.add(F32(0.6666668653488159), f32x4.mul(z, p));
  const R = f32x4.mul(z, p);
  const kl = f32x4.mul(kf, F32(LN2LO_F));
  const t = f32x4.sub(hfsq, f32x4.add(f32x4.mul(s, f32x4.add(hfsq, R)), kl));
  const res = f32x4.add(f32x4.mul(kf, F32(LN2HI_F)), f32x4.sub(f, t));
  const ok = v128.and(f32x4.gt(x, F32(0.0)), f32x4.lt(x, F32(Infinity)));
  let sv = v128.bitselect(F32(-Infinity), F32(NaN), f32x4.eq(x, F32(0.0)));
  sv = v128.bitselect(F32(Infinity), sv, f32x4.eq(x, F32(Infinity)));
  return v128.bitselect(res, sv, ok);
}

// f32 sin/cos: reduce in f64 (two halves), hand r = rh + rl to f32 kernels.
// @ts-ignore: decorator
@inline function sincos_fast_f32(x: v128, cosFlag: i32): v128 {
  const d0 = f64x2.promote_low_f32x4(x);
  const d1 = f64x2.promote_low_f32x4(v128.shuffle<i64>(x, x, 1, 1));
  const t0 = f64x2.add(f64x2.mul(d0, F64(TWO_OVER_PI)), F64(MAGIC52));
  const t1 = f64x2.add(f64x2.mul(d1, F64(TWO_OVER_PI)), F64(MAGIC52));
  const n0 = f64x2.sub(t0, F64(MAGIC52));
  const n1 = f64x2.sub(t1, F64(MAGIC52));
  const r0 = f64x2.sub(f64x2.sub(d0, f64x2.mul(n0, F64(PIO2_1))), f64x2.mul(n0, F64(PIO2_2R)));
  const r1 = f64x2.sub(f64x2.sub(d1, f64x2.mul(n1, F64(PIO2_1))), f64x2.mul(n1, F64(PIO2_2R)));
  const h0 = f32x4.demote_f64x2_zero(r0);
  const h1 = f32x4.demote_f64x2_zero(r1);
  const l0 = f32x4.demote_f64x2_zero(f64x2.sub(r0, f64x2.promote_low_f32x4(h0)));
  const l1 = f32x4.demote_f64x2_zero(f64x2.sub(r1, f64x2.promote_low_f32x4(h1)));
  const r = v128.shuffle<i64>(h0, h1, 0, 2);
  const rl = v128.shuffle<i64>(l0, l1, 0, 2);
  let q = v128.shuffle<i32>(t0, t1, 0, 2, 4, 6);
  if (cosFlag) q = i32x4.add(q, I32(1));

  const z = f32x4.mul(r, r);
  // sin kernel
  let ps = f32x4.add(F32(-0.00019840081222355366), f32x4.mul(z, F32(2.7249350296187913e-06)));
  ps = f32x4.add(f32x4.add(F32(-0.1666666716337204), f32x4.mul(z, F32(0.008333331905305386))),
                 f32x4.mul(f32x4.mul(z, z), ps));
  const hz = f32x4.mul(F32(0.5), z);
  const sr = f32x4.add(r, f32x4.add(f32x4.mul(f32x4.mul(z, r), ps), f32x4.sub(rl, f32x4.mul(hz, rl))));
  // cos kernel
  let pc = f32x4.add(F32(-0.0013888300163671374), f32x4.mul(z, F32(2.4547556677134708e-05)));
  pc = f32x4.add(F32(0.0416666641831398), f32x4.mul(z, pc));
  const w = f32x4.sub(F32(1.0), hz);
  const cr = f32x4.add(w, f32x4.add(f32x4.sub(f32x4.sub(F32(1.0), w), hz),
                                    f32x4.sub(f32x4.mul(f32x4.mul(z, z), pc), f32x4.mul(r, rl))));
  const swap = i32x4.ne(v128.and(q, I32(1)), I32(0));
  const sign = i32x4.shl(v128.and(q, I32(2)), 30);
  return v128.xor(v128.bitselect(cr, sr, swap), sign);
}

// Scalar fallbacks go through the f64 Math functions: AssemblyScript's Mathf.sin/cos
// return wrong values for some |x| > ~6e26 (large-argument reduction).
function sin_f32_slow(x: v128, res: v128, big: v128): v128 {
  if (i32x4.extract_lane(big, 0) != 0) res = f32x4.replace_lane(res, 0, <f32>Math.sin(<f64>f32x4.extract_lane(x, 0)));
  if (i32x4.extract_lane(big, 1) != 0) res = f32x4.replace_lane(res, 1, <f32>Math.sin(<f64>f32x4.extract_lane(x, 1)));
  if (i32x4.extract_lane(big, 2) != 0) res = f32x4.replace_lane(res, 2, <f32>Math.sin(<f64>f32x4.extract_lane(x, 2)));
  if (i32x4.extract_lane(big, 3) != 0) res = f32x4.replace_lane(res, 3, <f32>Math.sin(<f64>f32x4.extract_lane(x, 3)));
  return res;
}

function cos_f32_slow(x: v128, res: v128, big: v128): v128 {
  if (i32x4.extract_lane(big, 0) != 0) res = f32x4.replace_lane(res, 0, <f32>Math.cos(<f64>f32x4.extract_lane(x, 0)));
  if (i32x4.extract_lane(big, 1) != 0) res = f32x4.replace_lane(res, 1, <f32>Math.cos(<f64>f32x4.extract_lane(x, 1)));
  if (i32x4.extract_lane(big, 2) != 0) res = f32x4.replace_lane(res, 2, <f32>Math.cos(<f64>f32x4.extract_lane(x, 2)));
  if (i32x4.extract_lane(big, 3) != 0) res = f32x4.replace_lane(res, 3, <f32>Math.cos(<f64>f32x4.extract_lane(x, 3)));
  return res;
}

// @ts-ignore: decorator
@inline export function sin_f32x4(x: v128): v128 {
  const ax = f32x4.abs(x);
  let res = sincos_fast_f32(x, 0);
  // |x| < 2^-12: sin(x) rounds to x (keeps -0)
  res = v128.bitselect(x, res, f32x4.lt(ax, F32(0.000244140625)));
  const big = v128.not(f32x4.le(ax, F32(TRIG_LIMIT_F)));
  if (v128.any_true(big)) res = sin_f32_slow(x, res, big);
  return res;
}

// @ts-ignore: decorator
@inline export function cos_f32x4(x: v128): v128 {
  const ax = f32x4.abs(x);
  let res = sincos_fast_f32(x, 1);
  const big = v128.not(f32x4.le(ax, F32(TRIG_LIMIT_F)));
  if (v128.any_true(big)) res = cos_f32_slow(x, res, big);
  return res;
}

// |x| < 0.55: x + x^3 T(x^2) (T degree 5); else 1 - 2/(exp(2|x|)+1), |x|
// clamped to 10 (tanhf(10) rounds to 1).
// @ts-ignore: decorator
@inline export function tanh_f32x4(x: v128): v128 {
  const ax = f32x4.abs(x);
  const z = f32x4.mul(x, x);
  const z2 = f32x4.mul(z, z);
  let p = f32x4.add(F32(-0.008526376448571682), f32x4.mul(z, F32(0.002526448341086507)));
  p = f32x4.add(f32x4.add(F32(0.1333332359790802), f32x4.mul(z, F32(-0.05396470054984093))),
                f32x4.mul(z2, f32x4.add(F32(0.021818460896611214), f32x4.mul(z, p))));
  p = f32x4.add(F32(-0.3333333432674408), f32x4.mul(z, p));
  const small = v128.or(f32x4.add(x, f32x4.mul(f32x4.mul(x, z), p)), v128.and(x, F32(-0.0)));

  const a = f32x4.pmin(ax, F32(10.0));
  const E = exp_core_f32(f32x4.add(a, a));
  const s = f32x4.add(E, F32(1.0));
  const e = f32x4.add(f32x4.sub(E, s), F32(1.0));
  const q0 = f32x4.div(F32(2.0), s);
  const q = f32x4.sub(q0, f32x4.mul(q0, f32x4.div(e, s)));
  const big = f32x4.sub(F32(1.0), q);
  const bigs = v128.or(big, v128.and(x, F32(-0.0)));
  return v128.bitselect(small, bigs, f32x4.lt(ax, F32(0.55)));
}

function pow_f32_slow(x: v128, y: v128, res: v128, sp: v128): v128 {
  if (i32x4.extract_lane(sp, 0) != 0) res = f32x4.replace_lane(res, 0, <f32>cPow(<f64>f32x4.extract_lane(x, 0), <f64>f32x4.extract_lane(y, 0)));
  if (i32x4.extract_lane(sp, 1) != 0) res = f32x4.replace_lane(res, 1, <f32>cPow(<f64>f32x4.extract_lane(x, 1), <f64>f32x4.extract_lane(y, 1)));
  if (i32x4.extract_lane(sp, 2) != 0) res = f32x4.replace_lane(res, 2, <f32>cPow(<f64>f32x4.extract_lane(x, 2), <f64>f32x4.extract_lane(y, 2)));
  if (i32x4.extract_lane(sp, 3) != 0) res = f32x4.replace_lane(res, 3, <f32>cPow(<f64>f32x4.extract_lane(x, 3), <f64>f32x4.extract_lane(y, 3)));
  return res;
}

// @ts-ignore: decorator
@inline function pow_half_f32(ax: v128, y: v128): v128 {
  // ax, y: f64x2 (promoted f32; ax positive normal in f64)
  const L = log_core_f64(ax, F64(0.0));
  const t = f64x2.pmax(f64x2.pmin(f64x2.mul(y, L), F64(200.0)), F64(-200.0));
  return f32x4.demote_f64x2_zero(exp_core_f64(t, F64(0.0)));
}

export function pow_f32x4(x: v128, y: v128): v128 {
  const ax = f32x4.abs(x);
  const a0 = f64x2.promote_low_f32x4(ax);
  const a1 = f64x2.promote_low_f32x4(v128.shuffle<i64>(ax, ax, 1, 1));
  const y0 = f64x2.promote_low_f32x4(y);
  const y1 = f64x2.promote_low_f32x4(v128.shuffle<i64>(y, y, 1, 1));
  let res = v128.shuffle<i64>(pow_half_f32(a0, y0), pow_half_f32(a1, y1), 0, 2);
  const neg = f32x4.lt(x, F32(0.0));
  const yint = f32x4.eq(f32x4.trunc(y), y);
  const hy = f32x4.mul(y, F32(0.5));
  const yodd = v128.and(yint, f32x4.ne(f32x4.trunc(hy), hy));
  res = v128.or(res, v128.and(v128.and(neg, yodd), F32(-0.0)));
  res = v128.bitselect(F32(NaN), res, v128.andnot(neg, yint));
  const xok = v128.and(f32x4.gt(ax, F32(0.0)), f32x4.lt(ax, F32(Infinity)));
  const yok = f32x4.lt(f32x4.abs(y), F32(Infinity));
  const sp = v128.not(v128.and(xok, yok));
  if (v128.any_true(sp)) res = pow_f32_slow(x, y, res, sp);
  return res;
}
