// f64x2 forms of log2, cosh, asinh, acosh and atanh as the float64 kernel computes them (musl's
// table-driven log and exp as AssemblyScript ships them, with their tables gathered per lane from
// musl_tables.ts; musl's expm1 and log1p; special.ts's series for acosh near 1): the same
// operations in the same order on two lanes, so each lane gives the scalar routine's bits
// (wasm-tests/vmath64.spec.ts). Rare lanes (each function's doc says which) take the scalar
// routine behind one v128.any_true test.
import { F, I, sel, high, patch, log1p_f64x2 } from './vmath64';
import { acosh } from './special';
import { EXP_DATA_TAB, LOG_DATA_TAB1, LOG_DATA_TAB2, LOG2_DATA_TAB1, LOG2_DATA_TAB2 } from './musl_tables';

const SIGN: i64 = 0x8000000000000000;
/** Entry j (0 or 1) of the pair at index i of each lane (i: an i64 lane), as one f64x2. */
// @ts-ignore: decorator
@inline export function gather(tab: usize, i: v128, j: i32): v128 {
  const p0 = tab + (<usize>i64x2.extract_lane(i, 0) << 4) + (<usize>j << 3);
  const p1 = tab + (<usize>i64x2.extract_lane(i, 1) << 4) + (<usize>j << 3);
  return v128.load64_lane(p1, v128.load64_zero(p0), 1);
}
/** A small signed i64 lane (|k| < 2^31) as an exact f64. */
// @ts-ignore: decorator
@inline function kToF64(k: v128): v128 { return f64x2.convert_low_i32x4_s(i32x4.shuffle(k, k, 0, 2, 0, 2)); }
/** A copy of y's magnitude with x's sign (f64.copysign). */
// @ts-ignore: decorator
@inline function copysign(y: v128, x: v128): v128 { return v128.or(v128.and(y, I(~SIGN)), v128.and(x, I(SIGN))); }

// ---------------------------------------------------------------- log2 (musl's log2_lut)

const L2_INVLN2HI: f64 = reinterpret<f64>(0x3FF7154765200000), L2_INVLN2LO: f64 = reinterpret<f64>(0x3DE705FC2EEFA200);
const L2B0: f64 = reinterpret<f64>(0xBFE71547652B82FE), L2B1: f64 = reinterpret<f64>(0x3FDEC709DC3A03F7),
  L2B2: f64 = reinterpret<f64>(0xBFD71547652B7C3F), L2B3: f64 = reinterpret<f64>(0x3FD2776C50F05BE4),
  L2B4: f64 = reinterpret<f64>(0xBFCEC709DD768FE5), L2B5: f64 = reinterpret<f64>(0x3FCA61761EC4E736),
  L2B6: f64 = reinterpret<f64>(0xBFC7153FBC64A79B), L2B7: f64 = reinterpret<f64>(0x3FC484D154F01B4A),
  L2B8: f64 = reinterpret<f64>(0xBFC289E4A72C383C), L2B9: f64 = reinterpret<f64>(0x3FC0B32F285AEE66);
const L2A0: f64 = reinterpret<f64>(0xBFE71547652B8339), L2A1: f64 = reinterpret<f64>(0x3FDEC709DC3A04BE),
  L2A2: f64 = reinterpret<f64>(0xBFD7154764702FFB), L2A3: f64 = reinterpret<f64>(0x3FD2776C50034C48),
  L2A4: f64 = reinterpret<f64>(0xBFCEC7B328EA92BC), L2A5: f64 = reinterpret<f64>(0x3FCA6225E117F92E);
const HI_MASK: i64 = 0xFFFFFFFF00000000;
function log2Scalar(x: f64): f64 { return Math.log2(x); }

/** musl's log2: near 1 (1 - 0x1.5b51p-5 <= x < 1 + 0x1.6ab2p-5) a polynomial in r = x - 1 with
 *  r / ln 2 in two parts; elsewhere x = 2^k z, z / c - 1 from the 64-entry table. Rare lanes:
 *  zero, negative, subnormal, infinite, NaN. */
// @ts-ignore: decorator
@inline export function log2_f64x2(x: v128): v128 {
  const near = v128.and(i64x2.ge_s(x, I(0x3FEEA4AF00000000)), i64x2.lt_s(x, I(0x3FF0B55900000000)));
  const top = i64x2.shr_u(x, 48);
  const rare = v128.andnot(v128.or(i64x2.lt_s(top, I(0x0010)), i64x2.ge_s(top, I(0x7FF0))), near);
  let y = x;
  if (v128.any_true(near)) {
    const r = f64x2.sub(x, F(1.0));
    const rhi = v128.and(r, I(HI_MASK)), rlo = f64x2.sub(r, rhi);
    const hi = f64x2.mul(rhi, F(L2_INVLN2HI));
    let lo = f64x2.add(f64x2.mul(rlo, F(L2_INVLN2HI)), f64x2.mul(r, F(L2_INVLN2LO)));
    const r2 = f64x2.mul(r, r), r4 = f64x2.mul(r2, r2);
    const p = f64x2.mul(r2, f64x2.add(F(L2B0), f64x2.mul(r, F(L2B1))));
    const yy = f64x2.add(hi, p);
    lo = f64x2.add(lo, f64x2.add(f64x2.sub(hi, yy), p));
    const q1 = f64x2.add(f64x2.add(F(L2B2), f64x2.mul(r, F(L2B3))), f64x2.mul(r2, f64x2.add(F(L2B4), f64x2.mul(r, F(L2B5)))));
    const q2 = f64x2.add(f64x2.add(F(L2B6), f64x2.mul(r, F(L2B7))), f64x2.mul(r2, f64x2.add(F(L2B8), f64x2.mul(r, F(L2B9)))));
    lo = f64x2.add(lo, f64x2.mul(r4, f64x2.add(q1, f64x2.mul(r4, q2))));
    y = f64x2.add(yy, lo);
  }
  if (!i64x2.all_true(v128.or(near, rare))) {
    const tmp = i64x2.sub(x, I(0x3FE6000000000000));
    const i = v128.and(i64x2.shr_u(tmp, 46), I(63));
    const kd = kToF64(i64x2.shr_s(tmp, 52));
    const z = i64x2.sub(x, v128.and(tmp, I(0xFFF0000000000000)));
    const invc = gather(LOG2_DATA_TAB1, i, 0), logc = gather(LOG2_DATA_TAB1, i, 1);
    const chi = gather(LOG2_DATA_TAB2, i, 0), clo = gather(LOG2_DATA_TAB2, i, 1);
    const r = f64x2.mul(f64x2.sub(f64x2.sub(z, chi), clo), invc);
    const rhi = v128.and(r, I(HI_MASK)), rlo = f64x2.sub(r, rhi);
    const t1 = f64x2.mul(rhi, F(L2_INVLN2HI));
    const t2 = f64x2.add(f64x2.mul(rlo, F(L2_INVLN2HI)), f64x2.mul(r, F(L2_INVLN2LO)));
    const t3 = f64x2.add(kd, logc);
    const hi = f64x2.add(t3, t1);
    const lo = f64x2.add(f64x2.add(f64x2.sub(t3, hi), t1), t2);
    const r2 = f64x2.mul(r, r);
    const p = f64x2.add(f64x2.add(f64x2.add(F(L2A0), f64x2.mul(r, F(L2A1))), f64x2.mul(r2, f64x2.add(F(L2A2), f64x2.mul(r, F(L2A3))))),
      f64x2.mul(f64x2.mul(r2, r2), f64x2.add(F(L2A4), f64x2.mul(r, F(L2A5)))));
    y = sel(near, y, f64x2.add(f64x2.add(lo, f64x2.mul(r2, p)), hi));
  }
  return patch(x, y, rare, log2Scalar);
}

// ---------------------------------------------------------------- log (musl's log_lut, table path)

const LA0: f64 = reinterpret<f64>(0xBFE0000000000001), LA1: f64 = reinterpret<f64>(0x3FD555555551305B),
  LA2: f64 = reinterpret<f64>(0xBFCFFFFFFFEB4590), LA3: f64 = reinterpret<f64>(0x3FC999B324F10111),
  LA4: f64 = reinterpret<f64>(0xBFC55575E506C89F);
const LN2HI: f64 = reinterpret<f64>(0x3FE62E42FEFA3800), LN2LO: f64 = reinterpret<f64>(0x3D2EF35793C76730);
function logScalar(x: f64): f64 { return Math.log(x); }

/** musl's log for normal x outside [0.9375, 1.0645) (the callers' arguments there are >= 2):
 *  x = 2^k z, log(c) and 1/c from the 128-entry table, log1p(z / c - 1) by a polynomial. Other
 *  lanes: Math.log. */
// @ts-ignore: decorator
@inline export function logTable(x: v128): v128 {
  const top = i64x2.shr_u(x, 48);
  const rare = v128.or(v128.and(i64x2.ge_s(x, I(0x3FEE000000000000)), i64x2.lt_s(x, I(0x3FF1090000000000))),
    v128.or(i64x2.lt_s(top, I(0x0010)), i64x2.ge_s(top, I(0x7FF0))));
  const tmp = i64x2.sub(x, I(0x3FE6000000000000));
  const i = v128.and(i64x2.shr_u(tmp, 45), I(127));
  const kd = kToF64(i64x2.shr_s(tmp, 52));
  const z = i64x2.sub(x, v128.and(tmp, I(0xFFF0000000000000)));
  const invc = gather(LOG_DATA_TAB1, i, 0), logc = gather(LOG_DATA_TAB1, i, 1);
  const chi = gather(LOG_DATA_TAB2, i, 0), clo = gather(LOG_DATA_TAB2, i, 1);
  const r = f64x2.mul(f64x2.sub(f64x2.sub(z, chi), clo), invc);
  const w = f64x2.add(f64x2.mul(kd, F(LN2HI)), logc);
  const hi = f64x2.add(w, r);
  const lo = f64x2.add(f64x2.add(f64x2.sub(w, hi), r), f64x2.mul(kd, F(LN2LO)));
  const r2 = f64x2.mul(r, r);
  const q = f64x2.add(f64x2.add(F(LA1), f64x2.mul(r, F(LA2))), f64x2.mul(r2, f64x2.add(F(LA3), f64x2.mul(r, F(LA4)))));
  const y = f64x2.add(f64x2.add(f64x2.add(lo, f64x2.mul(r2, F(LA0))), f64x2.mul(f64x2.mul(r, r2), q)), hi);
  return patch(x, y, rare, logScalar);
}

const LB0: f64 = reinterpret<f64>(0xBFE0000000000000), LB1: f64 = reinterpret<f64>(0x3FD5555555555577),
  LB2: f64 = reinterpret<f64>(0xBFCFFFFFFFFFFDCB), LB3: f64 = reinterpret<f64>(0x3FC999999995DD0C),
  LB4: f64 = reinterpret<f64>(0xBFC55555556745A7), LB5: f64 = reinterpret<f64>(0x3FC24924A344DE30),
  LB6: f64 = reinterpret<f64>(0xBFBFFFFFA4423D65), LB7: f64 = reinterpret<f64>(0x3FBC7184282AD6CA),
  LB8: f64 = reinterpret<f64>(0xBFB999EB43B068FF), LB9: f64 = reinterpret<f64>(0x3FB78182F7AFD085),
  LB10: f64 = reinterpret<f64>(0xBFB5521375D145CD);

/** Math.log's bits (musl's log_lut): near 1 (0.9375 <= x < 1.0645) a degree-11 polynomial in
 *  r = x - 1 with r^2 / 2 split exactly, elsewhere logTable (which patches its own rare lanes). */
// @ts-ignore: decorator
@inline export function mathLog_f64x2(x: v128): v128 {
  const near = v128.and(i64x2.ge_s(x, I(0x3FEE000000000000)), i64x2.lt_s(x, I(0x3FF1090000000000)));
  let y = i64x2.all_true(near) ? x : logTable(sel(near, F(2), x));
  if (v128.any_true(near)) {
    const r = f64x2.sub(x, F(1.0)), r2 = f64x2.mul(r, r), r3 = f64x2.mul(r2, r);
    const q3 = f64x2.add(f64x2.add(f64x2.add(F(LB7), f64x2.mul(r, F(LB8))), f64x2.mul(r2, F(LB9))), f64x2.mul(r3, F(LB10)));
    const q2 = f64x2.add(f64x2.add(f64x2.add(F(LB4), f64x2.mul(r, F(LB5))), f64x2.mul(r2, F(LB6))), f64x2.mul(r3, q3));
    const q1 = f64x2.add(f64x2.add(f64x2.add(F(LB1), f64x2.mul(r, F(LB2))), f64x2.mul(r2, F(LB3))), f64x2.mul(r3, q2));
    const p = f64x2.mul(r3, q1);
    let w = f64x2.mul(r, F(134217728.0)); // 2^27
    const rhi = f64x2.sub(f64x2.add(r, w), w), rlo = f64x2.sub(r, rhi);
    w = f64x2.mul(f64x2.mul(rhi, rhi), F(LB0));
    const hi = f64x2.add(r, w);
    let lo = f64x2.add(f64x2.sub(r, hi), w);
    lo = f64x2.add(lo, f64x2.mul(f64x2.mul(F(LB0), rlo), f64x2.add(rhi, r)));
    y = sel(near, f64x2.add(f64x2.add(p, lo), hi), y);
  }
  return y;
}

// ---------------------------------------------------------------- asinh, acosh, atanh (musl; acosh near 1: special.ts)

const LN2: f64 = reinterpret<f64>(0x3FE62E42FEFA39EF);
function asinhScalar(x: f64): f64 { return Math.asinh(x); }
function acoshScalar(x: f64): f64 { return acosh(x); }

/** musl's asinh: log(|x|) + ln 2 from 2^26, log(2|x| + 1 / (sqrt(x^2 + 1) + |x|)) from 2,
 *  log1p(|x| + x^2 / (sqrt(x^2 + 1) + 1)) from 2^-26, x below; the sign copied back. Rare
 *  lanes: infinite, NaN. */
// @ts-ignore: decorator
@inline export function asinh_f64x2(x: v128): v128 {
  const e = v128.and(i64x2.shr_u(x, 52), I(0x7FF));
  const y = f64x2.abs(x);
  const rare = i64x2.eq(e, I(0x7FF));
  const huge = i64x2.ge_s(e, I(0x3FF + 26)), big = i64x2.ge_s(e, I(0x3FF + 1)), mid = i64x2.ge_s(e, I(0x3FF - 26));
  const sq = f64x2.sqrt(f64x2.add(f64x2.mul(y, y), F(1)));
  let r = y;
  if (v128.any_true(big)) {
    const l = logTable(sel(huge, y, f64x2.add(f64x2.mul(F(2), y), f64x2.div(F(1), f64x2.add(sq, y)))));
    r = sel(big, sel(huge, f64x2.add(l, F(LN2)), l), r);
  }
  if (v128.any_true(v128.andnot(mid, big))) {
    r = sel(big, r, sel(mid, log1p_f64x2(f64x2.add(y, f64x2.div(f64x2.mul(y, y), f64x2.add(sq, F(1))))), y));
  }
  return patch(x, copysign(r, x), rare, asinhScalar);
}

/** 1 - (2n - 1)^2 / (2n (2n + 1)) products, n = 1..23, as special.ts's acosh series rounds them. */
const ACOSH_C: StaticArray<f64> = acoshCoeffs();
function acoshCoeffs(): StaticArray<f64> {
  const c = new StaticArray<f64>(23);
  let v: f64 = 1;
  for (let n = 1; n < 24; n++) { v *= -<f64>((2 * n - 1) * (2 * n - 1)) / <f64>(2 * n * (2 * n + 1)); c[n - 1] = v; }
  return c;
}

/** special.ts's acosh: for 1 <= x < 1.25 sqrt(2t) (1 + sum c_n (t/2)^n), t = x - 1; above,
 *  musl's log1p(t + sqrt(t^2 + 2t)) below 2, log(2x - 1 / (x + sqrt(x^2 - 1))) below 2^26 and
 *  log(x) + ln 2 from there. Rare lanes: x < 1, infinite, NaN. */
// @ts-ignore: decorator
@inline export function acosh_f64x2(x: v128): v128 {
  const t = f64x2.sub(x, F(1));
  const series = v128.and(f64x2.ge(t, F(0)), f64x2.lt(t, F(0.25)));
  const e = i64x2.shr_u(x, 52); // sign included: negative x are past 0x7FF
  const rare = v128.or(v128.not(f64x2.ge(x, F(1))), i64x2.ge_s(e, I(0x7FF)));
  const below2 = i64x2.lt_s(e, I(0x3FF + 1)), huge = i64x2.ge_s(e, I(0x3FF + 26));
  let y = x;
  if (v128.any_true(series)) {
    const h = f64x2.mul(F(0.5), t);
    let p = F(1), s = F(0);
    for (let n = 0; n < 23; n++) {
      p = f64x2.mul(p, h);
      s = f64x2.add(s, f64x2.mul(F(unchecked(ACOSH_C[n])), p));
    }
    const r = f64x2.sqrt(f64x2.mul(F(2), t));
    y = f64x2.add(r, f64x2.mul(r, s));
  }
  const done = v128.or(series, rare);
  if (v128.any_true(v128.andnot(below2, done))) {
    y = sel(v128.andnot(below2, done), log1p_f64x2(f64x2.add(t, f64x2.sqrt(f64x2.add(f64x2.mul(t, t), f64x2.mul(F(2), t))))), y);
  }
  if (!i64x2.all_true(v128.or(done, below2))) {
    const a = sel(huge, x, f64x2.sub(f64x2.mul(F(2), x), f64x2.div(F(1), f64x2.add(x, f64x2.sqrt(f64x2.sub(f64x2.mul(x, x), F(1)))))));
    const l = logTable(a);
    y = sel(v128.or(done, below2), y, sel(huge, f64x2.add(l, F(LN2)), l));
  }
  return patch(x, y, rare, acoshScalar);
}

function atanhScalar(x: f64): f64 { return Math.atanh(x); }

/** musl's atanh: log1p(2|x| + 2x^2 / (1 - |x|)) / 2 below 1/2 (x itself below 2^-32),
 *  log1p(2 (|x| / (1 - |x|))) / 2 from there, the sign copied back. |x| >= 1 and NaN reach
 *  log1p's own rare lanes, as they do in the scalar routine. */
// @ts-ignore: decorator
@inline export function atanh_f64x2(x: v128): v128 {
  const e = v128.and(i64x2.shr_u(x, 52), I(0x7FF));
  const y = f64x2.abs(x);
  const small = i64x2.lt_s(e, I(0x3FF - 1)), tiny = i64x2.lt_s(e, I(0x3FF - 32));
  const d = f64x2.sub(F(1), y), y2 = f64x2.mul(F(2), y);
  const a = sel(small, f64x2.add(y2, f64x2.div(f64x2.mul(y2, y), d)), f64x2.mul(F(2), f64x2.div(y, d)));
  const r = sel(tiny, y, f64x2.mul(F(0.5), log1p_f64x2(sel(tiny, F(0.5), a))));
  return copysign(r, x);
}

// ---------------------------------------------------------------- cosh (musl: expm1 below ln 2, exp_lut to 512)

const EXP_INVLN2N: f64 = reinterpret<f64>(0x3FF71547652B82FE) * 128;
const EXP_NEGLN2HIN: f64 = reinterpret<f64>(0xBF762E42FEFA0000), EXP_NEGLN2LON: f64 = reinterpret<f64>(0xBD0CF79ABC9E3B3A);
const EXP_SHIFT: f64 = reinterpret<f64>(0x4338000000000000);
const EC2: f64 = reinterpret<f64>(0x3FDFFFFFFFFFFDBD), EC3: f64 = reinterpret<f64>(0x3FC555555555543C),
  EC4: f64 = reinterpret<f64>(0x3FA55555CF172B91), EC5: f64 = reinterpret<f64>(0x3F81111167A4D017);
const Q1: f64 = reinterpret<f64>(0xBFA11111111110F4), Q2: f64 = reinterpret<f64>(0x3F5A01A019FE5585),
  Q3: f64 = reinterpret<f64>(0xBF14CE199EAADBB7), Q4: f64 = reinterpret<f64>(0x3ED0CFCA86E65239),
  Q5: f64 = reinterpret<f64>(0xBE8AFDB76E09C32D);
const E_LN2HI: f64 = reinterpret<f64>(0x3FE62E42FEE00000), E_LN2LO: f64 = reinterpret<f64>(0x3DEA39EF35793C76);
function coshScalar(x: f64): f64 { return Math.cosh(x); }

/** musl's exp_lut for 2^-54 <= x < 512 (no special case): 2^(k/128) from the table times
 *  exp(r) by a polynomial. */
// @ts-ignore: decorator
@inline export function expTable(x: v128): v128 {
  let kd = f64x2.add(f64x2.mul(F(EXP_INVLN2N), x), F(EXP_SHIFT));
  const ki = kd;
  kd = f64x2.sub(kd, F(EXP_SHIFT));
  const r = f64x2.add(f64x2.add(x, f64x2.mul(kd, F(EXP_NEGLN2HIN))), f64x2.mul(kd, F(EXP_NEGLN2LON)));
  const i = v128.and(ki, I(127));
  const tail = gather(EXP_DATA_TAB, i, 0);
  const sbits = i64x2.add(gather(EXP_DATA_TAB, i, 1), i64x2.shl(ki, 45));
  const r2 = f64x2.mul(r, r);
  const tmp = f64x2.add(f64x2.add(f64x2.add(tail, r), f64x2.mul(r2, f64x2.add(F(EC2), f64x2.mul(r, F(EC3))))),
    f64x2.mul(f64x2.mul(r2, r2), f64x2.add(F(EC4), f64x2.mul(r, F(EC5)))));
  return f64x2.add(sbits, f64x2.mul(sbits, tmp));
}

function expScalar(x: f64): f64 { return Math.exp(x); }

/** Math.exp's bits (musl's exp_lut): 1 below 2^-54 in magnitude, expTable to 512; other lanes
 *  (|x| >= 512, NaN): Math.exp. */
// @ts-ignore: decorator
@inline export function mathExp_f64x2(x: v128): v128 {
  const top = v128.and(i64x2.shr_u(x, 52), I(0x7FF));
  const rare = i64x2.ge_s(top, I(0x408));
  const y = sel(i64x2.lt_s(top, I(0x3C9)), F(1), expTable(x));
  return patch(x, y, rare, expScalar);
}

/** musl's cosh: 1 + t^2 / (2 + 2t) with t = expm1(|x|) below ln 2 (expm1's k = 0 form below
 *  ln 2 / 2 and its k = 1 form above), (e + 1/e) / 2 with e = exp(|x|) to 512. Rare lanes:
 *  |x| < 2^-26, |x| >= 512, NaN. */
// @ts-ignore: decorator
@inline export function cosh_f64x2(x: v128): v128 {
  const ax = f64x2.abs(x), w = high(ax);
  const small = i64x2.lt_s(w, I(0x3FE62E42));
  const rare = v128.or(i64x2.lt_s(w, I(0x3E500000)), i64x2.ge_s(w, I(0x40800000)));
  let y = ax;
  if (v128.any_true(small)) {
    // musl's expm1 for 2^-26 <= x < ln 2: k = 1 above ln 2 / 2 (x - ln2_hi - ln2_lo carried as xr + c)
    const k1 = i64x2.gt_s(w, I(0x3FD62E42));
    const hi = f64x2.sub(ax, F(E_LN2HI));
    const xr = sel(k1, f64x2.sub(hi, F(E_LN2LO)), ax);
    const c = sel(k1, f64x2.sub(f64x2.sub(hi, xr), F(E_LN2LO)), F(0));
    const hfx = f64x2.mul(F(0.5), xr), hxs = f64x2.mul(xr, hfx), hxq = f64x2.mul(hxs, hxs);
    const r1 = f64x2.add(f64x2.add(F(1.0), f64x2.mul(hxs, F(Q1))),
      f64x2.mul(hxq, f64x2.add(f64x2.add(F(Q2), f64x2.mul(hxs, F(Q3))), f64x2.mul(hxq, f64x2.add(F(Q4), f64x2.mul(hxs, F(Q5)))))));
    const tt = f64x2.sub(F(3.0), f64x2.mul(r1, hfx));
    const e = f64x2.mul(hxs, f64x2.div(f64x2.sub(r1, tt), f64x2.sub(F(6.0), f64x2.mul(xr, tt))));
    const t0 = f64x2.sub(xr, f64x2.sub(f64x2.mul(xr, e), hxs));
    const e1 = f64x2.sub(f64x2.sub(f64x2.mul(xr, f64x2.sub(e, c)), c), hxs);
    const t1 = sel(f64x2.lt(xr, F(-0.25)), f64x2.mul(F(-2.0), f64x2.sub(e1, f64x2.add(xr, F(0.5)))),
      f64x2.add(F(1.0), f64x2.mul(F(2.0), f64x2.sub(xr, e1))));
    const t = sel(k1, t1, t0);
    y = f64x2.add(F(1), f64x2.div(f64x2.mul(t, t), f64x2.add(F(2), f64x2.mul(F(2), t))));
  }
  if (!i64x2.all_true(v128.or(small, rare))) {
    const t = expTable(ax);
    y = sel(small, y, f64x2.mul(F(0.5), f64x2.add(t, f64x2.div(F(1), t))));
  }
  return patch(x, y, rare, coshScalar);
}
