// The wider elementwise set: rounding, abs, sign, max/min (f32x4 / f64x2 bodies, scalar
// tails), and the transcendental and special functions over the f64 routines of AssemblyScript's
// musl-derived Math and of special.ts, as f64x2 ports that give those routines' bits (still a
// scalar loop: float64 hypot, slower as SIMD, see below); float32 is computed in f64 and rounded
// once, which is within 1 ulp of the correctly rounded float32.
import { reduceHuge, REDUCED_HI, REDUCED_LO } from './trig_reduce';
import { erf, erfc, erfinv, lgamma, digamma, sinh, acosh, expm1 } from './special';
import { polygamma, prepare as polygammaPrepare } from './polygamma';
import { exp_f64x2, log_f64x2, sin_f64x2, cos_f64x2, exp2_f64x2 } from './vmath';
import { loadPart32, storePart32 } from './lanes';
import { log1p_f64x2, expm1_f64x2, sinh_f64x2 } from './vmath64';
import { erf_f64x2, erfc_f64x2, erfinv_f64x2, erf32_f64x2, erfc32_f64x2 } from './vmath64_erf';
import { lgamma_f64x2, digamma_f64x2, trigamma_f64x2, polygamma_f64x2 } from './vmath64_gamma';
import { log10_f64x2, atan_f64x2, asin_f64x2, acos_f64x2, cbrt_f64x2, tan_f64x2, atan2_f64x2 } from './vmath64_musl';
import { log2_f64x2, cosh_f64x2, asinh_f64x2, acosh_f64x2, atanh_f64x2 } from './vmath64_hyp';
import { fmod_f64x2, fmod_f32x4 } from './vmath64_fmod';
import { erfinv64, erfinv64x2 } from './random';

/**
 * tan past 1e6, where Math.tan's reduction (AssemblyScript's 128-bit Payne-Hanek) loses bits:
 * our 192-bit reduction to r + y, then tan(r + y) = t + y (1 + t^2) with t = Math.tan(r)
 * (|r| <= pi/4, no reduction), or -1 / that in double-double for odd quadrants.
 */
function tanHuge(x: f64): f64 {
  if (!isFinite(x)) return NaN;
  const q = reduceHuge(Math.abs(x));
  const r = REDUCED_HI, y = REDUCED_LO;
  const t = Math.tan(r), tl = y * (1 + t * t);
  let v: f64;
  if (q & 1) {
    const c = -1 / t;
    // c (t + tl) = -1 + e: the residual by an exact product, one Newton step
    const p = c * t;
    const e = (p + 1) + twoProdErr(c, t, p) + c * tl;
    v = c - e / t;
  } else v = t + tl;
  return x < 0 ? -v : v;
}
/** The float64 tan kernel's scalar form: Math.tan, with our own reduction past 1e6. */
export function tanF64(x: f64): f64 { return Math.abs(x) > 1e6 ? tanHuge(x) : Math.tan(x); }
@inline function twoProdErr(a: f64, b: f64, p: f64): f64 {
  const ta = 134217729.0 * a, ah = ta - (ta - a), al = a - ah;
  const tb = 134217729.0 * b, bh = tb - (tb - b), bl = b - bh;
  return ((ah * bh - p) + ah * bl + al * bh) + al * bl;
}

// Function codes of the scalar loops.
export const F_EXPM1 = 0, F_LOG1P = 1, F_EXP2 = 2, F_LOG2 = 3, F_LOG10 = 4, F_CBRT = 5, F_TAN = 6,
  F_ASIN = 7, F_ACOS = 8, F_ATAN = 9, F_SINH = 10, F_COSH = 11, F_ASINH = 12, F_ACOSH = 13, F_ATANH = 14,
  F_ERF = 15, F_ERFC = 16, F_ERFINV = 17, F_LGAMMA = 18, F_DIGAMMA = 19;

@inline function fn(f: i32, x: f64): f64 {
  switch (f) {
    case F_EXPM1: return expm1(x);
    case F_LOG1P: return Math.log1p(x);
    case F_EXP2: return Math.exp2(x);
    case F_LOG2: return Math.log2(x);
    case F_LOG10: return Math.log10(x);
    case F_CBRT: return Math.cbrt(x);
    case F_TAN: return tanF64(x);
    case F_ASIN: return Math.asin(x);
    case F_ACOS: return Math.acos(x);
    case F_ATAN: return Math.atan(x);
    case F_SINH: return sinh(x);
    case F_COSH: return Math.cosh(x);
    case F_ASINH: return Math.asinh(x);
    case F_ACOSH: return acosh(x);
    case F_ATANH: return Math.atanh(x);
    case F_ERF: return erf(x);
    case F_ERFC: return erfc(x);
    case F_ERFINV: return erfinv(x);
    case F_LGAMMA: return lgamma(x);
    default: return digamma(x);
  }
}

@inline function simd64(f: i32, x: usize, out: usize, n: i32): void {
  const end = <usize>n << 3, body = end & ~15;
  for (let i: usize = 0; i < body; i += 16) v128.store(out + i, vf64x2(f, v128.load(x + i)));
  if (body < end) v128.store64_lane(out + body, vf64x2(f, v128.load64_zero(x + body)), 0);
}
@inline function vf64x2(f: i32, x: v128): v128 {
  if (f == F_EXP2) return exp2_f64x2(x); // vmath's exp core on a double-double x ln2
  if (f == F_LOG1P) return log1p_f64x2(x);
  if (f == F_ERF) return erf_f64x2(x);
  if (f == F_SINH) return sinh_f64x2(x);
  if (f == F_LOG10) return log10_f64x2(x);
  if (f == F_ATAN) return atan_f64x2(x);
  if (f == F_ASIN) return asin_f64x2(x);
  if (f == F_ACOS) return acos_f64x2(x);
  if (f == F_CBRT) return cbrt_f64x2(x);
  if (f == F_TAN) return tan_f64x2(x);
  if (f == F_ERFC) return erfc_f64x2(x);
  if (f == F_LOG2) return log2_f64x2(x);
  if (f == F_COSH) return cosh_f64x2(x);
  if (f == F_ASINH) return asinh_f64x2(x);
  if (f == F_ACOSH) return acosh_f64x2(x);
  if (f == F_ATANH) return atanh_f64x2(x);
  if (f == F_ERFINV) return erfinv_f64x2(x);
  if (f == F_LGAMMA) return lgamma_f64x2(x);
  if (f == F_DIGAMMA) return digamma_f64x2(x);
  return expm1_f64x2(x);
}
// One function per port, each with its own locals: all ports inlined into map_f64 passed V8's
// 50000-local limit in unoptimized (as-pect, debug) builds.
function simd64_exp2(x: usize, out: usize, n: i32): void { simd64(F_EXP2, x, out, n); }
function simd64_log1p(x: usize, out: usize, n: i32): void { simd64(F_LOG1P, x, out, n); }
function simd64_expm1(x: usize, out: usize, n: i32): void { simd64(F_EXPM1, x, out, n); }
function simd64_erf(x: usize, out: usize, n: i32): void { simd64(F_ERF, x, out, n); }
function simd64_sinh(x: usize, out: usize, n: i32): void { simd64(F_SINH, x, out, n); }
function simd64_log10(x: usize, out: usize, n: i32): void { simd64(F_LOG10, x, out, n); }
function simd64_atan(x: usize, out: usize, n: i32): void { simd64(F_ATAN, x, out, n); }
function simd64_asin(x: usize, out: usize, n: i32): void { simd64(F_ASIN, x, out, n); }
function simd64_acos(x: usize, out: usize, n: i32): void { simd64(F_ACOS, x, out, n); }
function simd64_cbrt(x: usize, out: usize, n: i32): void { simd64(F_CBRT, x, out, n); }
function simd64_tan(x: usize, out: usize, n: i32): void { simd64(F_TAN, x, out, n); }
function simd64_erfc(x: usize, out: usize, n: i32): void { simd64(F_ERFC, x, out, n); }
function simd64_log2(x: usize, out: usize, n: i32): void { simd64(F_LOG2, x, out, n); }
function simd64_cosh(x: usize, out: usize, n: i32): void { simd64(F_COSH, x, out, n); }
function simd64_asinh(x: usize, out: usize, n: i32): void { simd64(F_ASINH, x, out, n); }
function simd64_acosh(x: usize, out: usize, n: i32): void { simd64(F_ACOSH, x, out, n); }
function simd64_atanh(x: usize, out: usize, n: i32): void { simd64(F_ATANH, x, out, n); }
function simd64_erfinv(x: usize, out: usize, n: i32): void { simd64(F_ERFINV, x, out, n); }
function simd64_lgamma(x: usize, out: usize, n: i32): void { simd64(F_LGAMMA, x, out, n); }
function simd64_digamma(x: usize, out: usize, n: i32): void { simd64(F_DIGAMMA, x, out, n); }
export function map_f64(f: i32, x: usize, out: usize, n: i32): void {
  switch (f) {
    case F_EXP2: simd64_exp2(x, out, n); return;
    case F_LOG1P: simd64_log1p(x, out, n); return;
    case F_EXPM1: simd64_expm1(x, out, n); return;
    case F_ERF: simd64_erf(x, out, n); return;
    case F_SINH: simd64_sinh(x, out, n); return;
    case F_LOG10: simd64_log10(x, out, n); return;
    case F_ATAN: simd64_atan(x, out, n); return;
    case F_ASIN: simd64_asin(x, out, n); return;
    case F_ACOS: simd64_acos(x, out, n); return;
    case F_CBRT: simd64_cbrt(x, out, n); return;
    case F_TAN: simd64_tan(x, out, n); return;
    case F_ERFC: simd64_erfc(x, out, n); return;
    case F_LOG2: simd64_log2(x, out, n); return;
    case F_COSH: simd64_cosh(x, out, n); return;
    case F_ASINH: simd64_asinh(x, out, n); return;
    case F_ACOSH: simd64_acosh(x, out, n); return;
    case F_ATANH: simd64_atanh(x, out, n); return;
    case F_ERFINV: simd64_erfinv(x, out, n); return;
    case F_LGAMMA: simd64_lgamma(x, out, n); return;
    case F_DIGAMMA: simd64_digamma(x, out, n); return;
  }
  for (let i: usize = 0, end = <usize>n << 3; i < end; i += 8) store<f64>(out + i, fn(f, load<f64>(x + i)));
}
// ---- float32 through float64 SIMD: two f64x2 halves of each f32x4, the f64 SIMD exp/log/sin/cos
// (1 ulp in f64) with formulas whose f64 rounding stays far below a float32 ulp, rounded once.
// Where a formula cancels (tiny arguments) a short series takes over.

@inline function sel(small: v128, a: v128, b: v128): v128 { return v128.bitselect(a, b, small); }
@inline function splat(v: f64): v128 { return f64x2.splat(v); }

@inline function vf64(f: i32, x: v128): v128 {
  const ax = f64x2.abs(x);
  // (the double-double x ln2 core: integers give exact powers of two, so 2^-150 is the tie it is
  // and rounds to 0 in float32; the single product gave a hair more, which rounded up to 2^-149)
  if (f == F_EXP2) return exp2_f64x2(x);
  if (f == F_LOG2) return f64x2.mul(log_f64x2(x), splat(1.4426950408889634));
  if (f == F_LOG10) return f64x2.mul(log_f64x2(x), splat(0.4342944819032518));
  if (f == F_TAN) return f64x2.div(sin_f64x2(x), cos_f64x2(x));
  if (f == F_EXPM1) {
    // |x| < 2^-10: x + x^2/2 + x^3/6 + x^4/24 (next term x^5/120, relative 1e-14)
    const p = f64x2.mul(x, f64x2.add(splat(0.5), f64x2.mul(x, f64x2.add(splat(1.0 / 6), f64x2.mul(x, splat(1.0 / 24))))));
    const series = f64x2.add(x, f64x2.mul(x, p));
    const r = sel(f64x2.lt(ax, splat(0.0009765625)), series, f64x2.sub(exp_f64x2(x), splat(1)));
    return sel(f64x2.eq(x, splat(0)), x, r); // keeps -0
  }
  if (f == F_LOG1P) { // 1 + x is exact in f64 for a float32 x with |x| >= 2^-29; below, log1p(x) rounds to x
    return sel(f64x2.lt(ax, splat(1.862645149230957e-9)), x, log_f64x2(f64x2.add(splat(1), x)));
  }
  if (f == F_SINH || f == F_COSH) {
    const e = exp_f64x2(x), ie = f64x2.div(splat(1), e);
    if (f == F_COSH) return f64x2.mul(splat(0.5), f64x2.add(e, ie));
    const x2 = f64x2.mul(x, x); // |x| < 1/32: x + x^3/3! + x^5/5! + x^7/7!
    const p = f64x2.mul(x2, f64x2.add(splat(1.0 / 6), f64x2.mul(x2, f64x2.add(splat(1.0 / 120), f64x2.mul(x2, splat(1.0 / 5040))))));
    return sel(f64x2.lt(ax, splat(0.03125)), f64x2.add(x, f64x2.mul(x, p)), f64x2.mul(splat(0.5), f64x2.sub(e, ie)));
  }
  const tiny = f64x2.lt(ax, splat(0.000244140625)); // 2^-12: asinh, atanh = x to float32 precision
  if (f == F_ASINH) {
    const r = log_f64x2(f64x2.add(ax, f64x2.sqrt(f64x2.add(f64x2.mul(ax, ax), splat(1)))));
    return sel(tiny, x, v128.or(r, v128.and(x, i64x2.splat(0x8000000000000000))));
  }
  if (f == F_ACOSH) { // x^2 - 1 is exact in f64 for a float32 |x| < 2^26; NaN below 1 (past -2^26 the sum was 0: -inf)
    const r = log_f64x2(f64x2.add(x, f64x2.sqrt(f64x2.sub(f64x2.mul(x, x), splat(1)))));
    return sel(f64x2.lt(x, splat(1)), splat(NaN), r);
  }
  // F_ATANH: log((1 + x) / (1 - x)) / 2
  const r = f64x2.mul(splat(0.5), log_f64x2(f64x2.div(f64x2.add(splat(1), x), f64x2.sub(splat(1), x))));
  return sel(tiny, x, r);
}

/** The functions vf64 handles (float32 SIMD path). */
export function hasF32Simd(f: i32): bool {
  return f == F_EXP2 || f == F_LOG2 || f == F_LOG10 || f == F_TAN || f == F_EXPM1 || f == F_LOG1P ||
    f == F_SINH || f == F_COSH || f == F_ASINH || f == F_ACOSH || f == F_ATANH;
}

@inline function vf32(f: i32, v: v128): v128 {
  const lo = vf64(f, f64x2.promote_low_f32x4(v));
  const hi = vf64(f, f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1)));
  return i32x4.shuffle(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5);
}
@inline function simd32(f: i32, x: usize, out: usize, n: i32): void {
  const body = <usize>(n & ~3) << 2, r = n & 3;
  for (let i: usize = 0; i < body; i += 16) v128.store(out + i, vf32(f, v128.load(x + i)));
  if (r) storePart32(out + body, vf32(f, loadPart32(x + body, r)), r);
}
export function simd_f32(f: i32, x: usize, out: usize, n: i32): void {
  switch (f) {
    case F_EXP2: simd32(F_EXP2, x, out, n); break;
    case F_LOG2: simd32(F_LOG2, x, out, n); break;
    case F_LOG10: simd32(F_LOG10, x, out, n); break;
    case F_TAN: simd32(F_TAN, x, out, n); break;
    case F_EXPM1: simd32(F_EXPM1, x, out, n); break;
    case F_LOG1P: simd32(F_LOG1P, x, out, n); break;
    case F_SINH: simd32(F_SINH, x, out, n); break;
    case F_COSH: simd32(F_COSH, x, out, n); break;
    case F_ASINH: simd32(F_ASINH, x, out, n); break;
    case F_ACOSH: simd32(F_ACOSH, x, out, n); break;
    default: simd32(F_ATANH, x, out, n);
  }
}

/** float32 through the bit-identical float64 ports, <f32>fn(<f64>x), two elements per f64x2 (one
 *  inlined copy of the port; a whole f32x4 as two halves doubled the code and measured slower:
 *  cbrt 190 vs 209, erf 22 vs 28 M/s). */
@inline function via32(f: i32, x: usize, out: usize, n: i32): void {
  const end = <usize>n << 2, body = end & ~7;
  for (let i: usize = 0; i < body; i += 8) {
    v128.store64_lane(out + i, f32x4.demote_f64x2_zero(vf64x2(f, f64x2.promote_low_f32x4(v128.load64_zero(x + i)))), 0);
  }
  if (body < end) v128.store32_lane(out + body, f32x4.demote_f64x2_zero(vf64x2(f, f64x2.promote_low_f32x4(v128.load32_zero(x + body)))), 0);
}
function via32_cbrt(x: usize, out: usize, n: i32): void { via32(F_CBRT, x, out, n); }
function via32_atan(x: usize, out: usize, n: i32): void { via32(F_ATAN, x, out, n); }
// float32 erf and erfc through erf32_f64x2 / erfc32_f64x2 (to 4e-15, then rounded once), not the
// float64 kernels' series and double-double parts.
function via32_erf(x: usize, out: usize, n: i32): void {
  const end = <usize>n << 2, body = end & ~7;
  for (let i: usize = 0; i < body; i += 8) {
    v128.store64_lane(out + i, f32x4.demote_f64x2_zero(erf32_f64x2(f64x2.promote_low_f32x4(v128.load64_zero(x + i)))), 0);
  }
  if (body < end) v128.store32_lane(out + body, f32x4.demote_f64x2_zero(erf32_f64x2(f64x2.promote_low_f32x4(v128.load32_zero(x + body)))), 0);
}
function via32_erfc(x: usize, out: usize, n: i32): void {
  const end = <usize>n << 2, body = end & ~7;
  for (let i: usize = 0; i < body; i += 8) {
    v128.store64_lane(out + i, f32x4.demote_f64x2_zero(erfc32_f64x2(f64x2.promote_low_f32x4(v128.load64_zero(x + i)))), 0);
  }
  if (body < end) v128.store32_lane(out + body, f32x4.demote_f64x2_zero(erfc32_f64x2(f64x2.promote_low_f32x4(v128.load32_zero(x + body)))), 0);
}
// float32 erfinv through XLA's ErfInv64 polynomials (relative error below 5e-16: one rounding
// to float32 gives the correctly rounded value but for ties closer than that), not the float64
// kernel's Halley steps to 1e-17 on erf, which took 180 ns an element against 15.
function via32_erfinv(x: usize, out: usize, n: i32): void {
  const end = <usize>n << 2, body = end & ~7;
  for (let i: usize = 0; i < body; i += 8) {
    v128.store64_lane(out + i, f32x4.demote_f64x2_zero(erfinv64x2(f64x2.promote_low_f32x4(v128.load64_zero(x + i)))), 0);
  }
  if (body < end) store<f32>(out + body, <f32>erfinv64(<f64>load<f32>(x + body)));
}
function via32_lgamma(x: usize, out: usize, n: i32): void { via32(F_LGAMMA, x, out, n); }
function via32_digamma(x: usize, out: usize, n: i32): void { via32(F_DIGAMMA, x, out, n); }
/** float32 functions without a vf64 formula (hasF32Simd false). asin and acos stay scalar: their
 *  ports through f64x2 measured no faster than Math's in float32 (163 vs 162, 172 vs 152 M/s). */
export function map_f32(f: i32, x: usize, out: usize, n: i32): void {
  switch (f) {
    case F_CBRT: via32_cbrt(x, out, n); return;
    case F_ATAN: via32_atan(x, out, n); return;
    case F_ERF: via32_erf(x, out, n); return;
    case F_ERFC: via32_erfc(x, out, n); return;
    case F_ERFINV: via32_erfinv(x, out, n); return;
    case F_LGAMMA: via32_lgamma(x, out, n); return;
    case F_DIGAMMA: via32_digamma(x, out, n); return;
  }
  for (let i: usize = 0, end = <usize>n << 2; i < end; i += 4) store<f32>(out + i, <f32>fn(f, <f64>load<f32>(x + i)));
}

function trigamma64(x: usize, out: usize, n: i32): void {
  const end = <usize>n << 3, body = end & ~15;
  for (let i: usize = 0; i < body; i += 16) v128.store(out + i, trigamma_f64x2(v128.load(x + i)));
  if (body < end) v128.store64_lane(out + body, trigamma_f64x2(v128.load64_zero(x + body)), 0);
}
function trigamma32(x: usize, out: usize, n: i32): void {
  const end = <usize>n << 2, body = end & ~7;
  for (let i: usize = 0; i < body; i += 8) {
    v128.store64_lane(out + i, f32x4.demote_f64x2_zero(trigamma_f64x2(f64x2.promote_low_f32x4(v128.load64_zero(x + i)))), 0);
  }
  if (body < end) v128.store32_lane(out + body, f32x4.demote_f64x2_zero(trigamma_f64x2(f64x2.promote_low_f32x4(v128.load32_zero(x + body)))), 0);
}
// polygamma: trigamma (n = 1, the derivative of digamma) and n >= 2 (polygamma.ts; its plain
// path as f64x2) two lanes at a time, float32 through them two elements at a time.
export function polygamma_f64(k: i32, x: usize, out: usize, n: i32): void {
  if (k == 1) { trigamma64(x, out, n); return; }
  const end = <usize>n << 3;
  if (k < 1) { for (let i: usize = 0; i < end; i += 8) store<f64>(out + i, polygamma(k, load<f64>(x + i))); return; }
  polygammaPrepare(k);
  const body = end & ~15;
  for (let i: usize = 0; i < body; i += 16) v128.store(out + i, polygamma_f64x2(v128.load(x + i), k));
  if (body < end) v128.store64_lane(out + body, polygamma_f64x2(v128.load64_zero(x + body), k), 0);
}
export function polygamma_f32(k: i32, x: usize, out: usize, n: i32): void {
  if (k == 1) { trigamma32(x, out, n); return; }
  const end = <usize>n << 2;
  if (k < 1) { for (let i: usize = 0; i < end; i += 4) store<f32>(out + i, <f32>polygamma(k, <f64>load<f32>(x + i))); return; }
  polygammaPrepare(k);
  const body = end & ~7;
  for (let i: usize = 0; i < body; i += 8) {
    v128.store64_lane(out + i, f32x4.demote_f64x2_zero(polygamma_f64x2(f64x2.promote_low_f32x4(v128.load64_zero(x + i)), k)), 0);
  }
  if (body < end) v128.store32_lane(out + body, f32x4.demote_f64x2_zero(polygamma_f64x2(f64x2.promote_low_f32x4(v128.load32_zero(x + body)), k)), 0);
}

// atan2(y, x) and hypot(x, y), same layout as the binary kernels: atan2 as the f64x2 port of
// musl's routine (float32 through it, two elements per f64x2); float32 hypot as sqrt(x^2 + y^2)
// in f64 (exact but for the root's one rounding; no overflow), f32x4 halves. float64 hypot stays
// Math.hypot's scalar loop: an f64x2 port of it (bit-identical) measured slower, 238 vs 293 M/s.
@inline function hypot32(a: v128, b: v128): v128 {
  const h = f64x2.sqrt(f64x2.add(f64x2.mul(a, a), f64x2.mul(b, b)));
  return sel(v128.or(f64x2.eq(f64x2.abs(a), splat(Infinity)), f64x2.eq(f64x2.abs(b), splat(Infinity))), splat(Infinity), h);
}
export function atan2_f64(a: usize, b: usize, out: usize, n: i32): void {
  const end = <usize>n << 3, body = end & ~15;
  for (let i: usize = 0; i < body; i += 16) v128.store(out + i, atan2_f64x2(v128.load(a + i), v128.load(b + i)));
  if (body < end) v128.store64_lane(out + body, atan2_f64x2(v128.load64_zero(a + body), v128.load64_zero(b + body)), 0);
}
export function atan2_f32(a: usize, b: usize, out: usize, n: i32): void {
  const end = <usize>n << 2, body = end & ~7;
  for (let i: usize = 0; i < body; i += 8) {
    const y = f64x2.promote_low_f32x4(v128.load64_zero(a + i)), x = f64x2.promote_low_f32x4(v128.load64_zero(b + i));
    v128.store64_lane(out + i, f32x4.demote_f64x2_zero(atan2_f64x2(y, x)), 0);
  }
  if (body < end) {
    const y = f64x2.promote_low_f32x4(v128.load32_zero(a + body)), x = f64x2.promote_low_f32x4(v128.load32_zero(b + body));
    v128.store32_lane(out + body, f32x4.demote_f64x2_zero(atan2_f64x2(y, x)), 0);
  }
}
export function hypot_f64(a: usize, b: usize, out: usize, n: i32): void {
  for (let i: usize = 0, end = <usize>n << 3; i < end; i += 8) store<f64>(out + i, Math.hypot(load<f64>(a + i), load<f64>(b + i)));
}
@inline function hypotF32x4(a: v128, b: v128): v128 {
  const lo = hypot32(f64x2.promote_low_f32x4(a), f64x2.promote_low_f32x4(b));
  const hi = hypot32(f64x2.promote_low_f32x4(i32x4.shuffle(a, a, 2, 3, 0, 1)), f64x2.promote_low_f32x4(i32x4.shuffle(b, b, 2, 3, 0, 1)));
  return i32x4.shuffle(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5);
}
export function hypot_f32(a: usize, b: usize, out: usize, n: i32): void {
  const body = <usize>(n & ~3) << 2, r = n & 3;
  for (let i: usize = 0; i < body; i += 16) v128.store(out + i, hypotF32x4(v128.load(a + i), v128.load(b + i)));
  if (r) storePart32(out + body, hypotF32x4(loadPart32(a + body, r), loadPart32(b + body, r)), r);
}
// C's fmod (the sign of the dividend), exact: vmath64_fmod.ts's lanes give the scalar `%`'s bits.
export function rem_f64(a: usize, b: usize, out: usize, n: i32): void {
  const end = <usize>n << 3, body = end & ~15;
  for (let i: usize = 0; i < body; i += 16) v128.store(out + i, fmod_f64x2(v128.load(a + i), v128.load(b + i)));
  if (body < end) v128.store64_lane(out + body, fmod_f64x2(v128.load64_zero(a + body), v128.load64_zero(b + body)), 0);
}
export function rem_f32(a: usize, b: usize, out: usize, n: i32): void {
  const body = <usize>(n & ~3) << 2, r = n & 3;
  for (let i: usize = 0; i < body; i += 16) v128.store(out + i, fmod_f32x4(v128.load(a + i), v128.load(b + i)));
  if (r) storePart32(out + body, fmod_f32x4(loadPart32(a + body, r), loadPart32(b + body, r)), r);
}

// ---- exact ops, SIMD ----

export const R_FLOOR = 0, R_CEIL = 1, R_ROUND = 2, R_TRUNC = 3, R_ABS = 4, R_SIGN = 5;

@inline function v32(f: i32, x: v128): v128 {
  if (f == R_FLOOR) return f32x4.floor(x);
  if (f == R_CEIL) return f32x4.ceil(x);
  if (f == R_ROUND) return f32x4.nearest(x); // half to even
  if (f == R_TRUNC) return f32x4.trunc(x);
  if (f == R_ABS) return f32x4.abs(x);
  // sign: +-1 with x's sign bit where x is nonzero and not NaN, else x itself (+-0, NaN)
  const one = v128.or(v128.and(x, i32x4.splat(0x80000000)), f32x4.splat(1));
  return v128.bitselect(one, x, v128.and(f32x4.ne(x, f32x4.splat(0)), f32x4.eq(x, x)));
}
@inline function v64(f: i32, x: v128): v128 {
  if (f == R_FLOOR) return f64x2.floor(x);
  if (f == R_CEIL) return f64x2.ceil(x);
  if (f == R_ROUND) return f64x2.nearest(x);
  if (f == R_TRUNC) return f64x2.trunc(x);
  if (f == R_ABS) return f64x2.abs(x);
  const one = v128.or(v128.and(x, i64x2.splat(0x8000000000000000)), f64x2.splat(1));
  return v128.bitselect(one, x, v128.and(f64x2.ne(x, f64x2.splat(0)), f64x2.eq(x, x)));
}
@inline function exact32(f: i32, x: usize, out: usize, n: i32): void {
  const body = <usize>(n & ~3) << 2, end = <usize>n << 2;
  let i: usize = 0;
  for (; i < body; i += 16) v128.store(out + i, v32(f, v128.load(x + i)));
  for (; i < end; i += 4) v128.store32_lane(out + i, v32(f, v128.load32_zero(x + i)), 0);
}
@inline function exact64(f: i32, x: usize, out: usize, n: i32): void {
  const body = <usize>(n & ~1) << 3;
  for (let i: usize = 0; i < body; i += 16) v128.store(out + i, v64(f, v128.load(x + i)));
  if (n & 1) v128.store64_lane(out + body, v64(f, v128.load64_zero(x + body)), 0);
}
export function exact_f32(f: i32, x: usize, out: usize, n: i32): void {
  switch (f) {
    case R_FLOOR: exact32(R_FLOOR, x, out, n); break;
    case R_CEIL: exact32(R_CEIL, x, out, n); break;
    case R_ROUND: exact32(R_ROUND, x, out, n); break;
    case R_TRUNC: exact32(R_TRUNC, x, out, n); break;
    case R_ABS: exact32(R_ABS, x, out, n); break;
    default: exact32(R_SIGN, x, out, n);
  }
}
export function exact_f64(f: i32, x: usize, out: usize, n: i32): void {
  switch (f) {
    case R_FLOOR: exact64(R_FLOOR, x, out, n); break;
    case R_CEIL: exact64(R_CEIL, x, out, n); break;
    case R_ROUND: exact64(R_ROUND, x, out, n); break;
    case R_TRUNC: exact64(R_TRUNC, x, out, n); break;
    case R_ABS: exact64(R_ABS, x, out, n); break;
    default: exact64(R_SIGN, x, out, n);
  }
}

// max / min: NaN-propagating, -0 < +0 (wasm's f32x4.max / min are IEEE 754-2019 maximum).
@inline function mm32(isMax: bool, a: usize, b: usize, out: usize, n: i32): void {
  const body = <usize>(n & ~3) << 2, end = <usize>n << 2;
  let i: usize = 0;
  for (; i < body; i += 16) {
    const x = v128.load(a + i), y = v128.load(b + i);
    v128.store(out + i, isMax ? f32x4.max(x, y) : f32x4.min(x, y));
  }
  for (; i < end; i += 4) {
    const x = v128.load32_zero(a + i), y = v128.load32_zero(b + i);
    v128.store32_lane(out + i, isMax ? f32x4.max(x, y) : f32x4.min(x, y), 0);
  }
}
@inline function mm64(isMax: bool, a: usize, b: usize, out: usize, n: i32): void {
  const body = <usize>(n & ~1) << 3;
  for (let i: usize = 0; i < body; i += 16) {
    const x = v128.load(a + i), y = v128.load(b + i);
    v128.store(out + i, isMax ? f64x2.max(x, y) : f64x2.min(x, y));
  }
  if (n & 1) {
    const x = v128.load64_zero(a + body), y = v128.load64_zero(b + body);
    v128.store64_lane(out + body, isMax ? f64x2.max(x, y) : f64x2.min(x, y), 0);
  }
}
export function max_f32(a: usize, b: usize, out: usize, n: i32): void { mm32(true, a, b, out, n); }
export function min_f32(a: usize, b: usize, out: usize, n: i32): void { mm32(false, a, b, out, n); }
export function max_f64(a: usize, b: usize, out: usize, n: i32): void { mm64(true, a, b, out, n); }
export function min_f64(a: usize, b: usize, out: usize, n: i32): void { mm64(false, a, b, out, n); }

/** isfinite: |x| < inf (false for NaN); 16 elements per iteration, the lane masks narrowed to
 *  bytes (as the comparison kernels do), a scalar tail. */
@inline function finite32(v: v128): v128 { return f32x4.lt(f32x4.abs(v), f32x4.splat(Infinity)); }
@inline function finite64(v: v128): v128 { return f64x2.lt(f64x2.abs(v), f64x2.splat(Infinity)); }
@inline function bytes(m0: v128, m1: v128, m2: v128, m3: v128): v128 {
  return v128.and(i8x16.narrow_i16x8_s(i16x8.narrow_i32x4_s(m0, m1), i16x8.narrow_i32x4_s(m2, m3)), i8x16.splat(1));
}
@inline function halve(a: v128, b: v128): v128 { return i32x4.shuffle(a, b, 0, 2, 4, 6); }
export function isfinite_f32(x: usize, out: usize, n: i32): void {
  const body = n & ~15;
  let i = 0;
  for (; i < body; i += 16) {
    const p = x + (<usize>i << 2);
    v128.store(out + <usize>i, bytes(finite32(v128.load(p)), finite32(v128.load(p, 16)), finite32(v128.load(p, 32)), finite32(v128.load(p, 48))));
  }
  for (; i < n; i++) store<u8>(out + <usize>i, <u8>(Mathf.abs(load<f32>(x + (<usize>i << 2))) < Infinity));
}
export function isfinite_f64(x: usize, out: usize, n: i32): void {
  const body = n & ~15;
  let i = 0;
  for (; i < body; i += 16) {
    const p = x + (<usize>i << 3);
    v128.store(out + <usize>i, bytes(
      halve(finite64(v128.load(p)), finite64(v128.load(p, 16))), halve(finite64(v128.load(p, 32)), finite64(v128.load(p, 48))),
      halve(finite64(v128.load(p, 64)), finite64(v128.load(p, 80))), halve(finite64(v128.load(p, 96)), finite64(v128.load(p, 112)))));
  }
  for (; i < n; i++) store<u8>(out + <usize>i, <u8>(Math.abs(load<f64>(x + (<usize>i << 3))) < Infinity));
}
