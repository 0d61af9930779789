// The f64x2 ports in kernels/vmath64*.ts give the scalar routines' bits on every lane: every binade
// from 2^-60 to 2^10 of both signs, uniform draws across the ranges where the routines switch
// form, and the special values (NaN compared as NaN). Accuracy itself is tests/accuracy.test.ts's.
import { log1p_f64x2, expm1_f64x2, sinh_f64x2 } from '../assembly/kernels/vmath64';
import { erf_f64x2, erfc_f64x2 } from '../assembly/kernels/vmath64_erf';
import { log10_f64x2, atan_f64x2, asin_f64x2, acos_f64x2, cbrt_f64x2, tan_f64x2 } from '../assembly/kernels/vmath64_musl';
import { atan2_f64x2 } from '../assembly/kernels/vmath64_musl';
import { log2_f64x2, cosh_f64x2, asinh_f64x2, acosh_f64x2, atanh_f64x2 } from '../assembly/kernels/vmath64_hyp';
import { tanF64 } from '../assembly/kernels/elementwise';
import { expm1, erf, erfc, sinh, acosh } from '../assembly/kernels/special';

let state: u32 = 0x2545f491;
function rnd(): f64 {
  state ^= state << 13; state ^= state >> 17; state ^= state << 5;
  return <f64>state * (1.0 / 4294967296.0);
}
const SPECIAL: f64[] = [0, -0.0, Infinity, -Infinity, NaN, -1, 1, -0.5, 0.35, -0.35, 0.3466, 690, 700, 709.78, 709.79, -37, -38,
  5e-324, -5e-324, 1.1102230246251565e-16, 5.551115123125783e-17, 0.41421356237309503, -0.2928932188134524, 1e300, -1e300];

function points(ranges: f64[]): f64[] {
  const p = SPECIAL.slice();
  for (let e = -60; e <= 10; e++) for (let i = 0; i < 300; i++) { const v = Math.pow(2, <f64>e) * (1 + rnd()); p.push(v); p.push(-v); }
  for (let r = 0; r < ranges.length; r += 2) for (let i = 0; i < 20000; i++) p.push(ranges[r] + (ranges[r + 1] - ranges[r]) * rnd());
  return p;
}
function same(a: f64, b: f64): bool { return reinterpret<u64>(a) == reinterpret<u64>(b) || (isNaN(a) && isNaN(b)); }

/** How many lanes differ from the scalar routine (each point in lane 0 and in lane 1). */
function mismatches(fn: (x: v128) => v128, ref: (x: f64) => f64, p: f64[]): i32 {
  let bad = 0;
  for (let i = 0; i + 1 < p.length; i++) {
    const r = fn(f64x2(p[i], p[i + 1]));
    if (!same(f64x2.extract_lane(r, 0), ref(p[i]))) bad++;
    if (!same(f64x2.extract_lane(r, 1), ref(p[i + 1]))) bad++;
  }
  return bad;
}

function rlog1p(x: f64): f64 { return Math.log1p(x); }
function rexpm1(x: f64): f64 { return expm1(x); }
function vlog1p(x: v128): v128 { return log1p_f64x2(x); }
function vexpm1(x: v128): v128 { return expm1_f64x2(x); }
function rerf(x: f64): f64 { return erf(x); }
function rlog10(x: f64): f64 { return Math.log10(x); }
function vlog10(x: v128): v128 { return log10_f64x2(x); }
function ratan(x: f64): f64 { return Math.atan(x); }
function vatan(x: v128): v128 { return atan_f64x2(x); }
function rtan(x: f64): f64 { return tanF64(x); }
function vtan(x: v128): v128 { return tan_f64x2(x); }
function rcbrt(x: f64): f64 { return Math.cbrt(x); }
function vcbrt(x: v128): v128 { return cbrt_f64x2(x); }
function rasin(x: f64): f64 { return Math.asin(x); }
function vasin(x: v128): v128 { return asin_f64x2(x); }
function racos(x: f64): f64 { return Math.acos(x); }
function vacos(x: v128): v128 { return acos_f64x2(x); }
function rsinh(x: f64): f64 { return sinh(x); }
function vsinh(x: v128): v128 { return sinh_f64x2(x); }
function rerfc(x: f64): f64 { return erfc(x); }
function verf(x: v128): v128 { return erf_f64x2(x); }
function verfc(x: v128): v128 { return erfc_f64x2(x); }

function rlog2(x: f64): f64 { return Math.log2(x); }
function vlog2(x: v128): v128 { return log2_f64x2(x); }
function rcosh(x: f64): f64 { return Math.cosh(x); }
function vcosh(x: v128): v128 { return cosh_f64x2(x); }
function rasinh(x: f64): f64 { return Math.asinh(x); }
function vasinh(x: v128): v128 { return asinh_f64x2(x); }
function racosh(x: f64): f64 { return acosh(x); }
function vacosh(x: v128): v128 { return acosh_f64x2(x); }
function ratanh(x: f64): f64 { return Math.atanh(x); }
function vatanh(x: v128): v128 { return atanh_f64x2(x); }

/** Two-argument form: p's points against a short list q of special values, and against each other. */
function mismatches2(fn: (a: v128, b: v128) => v128, ref: (a: f64, b: f64) => f64, p: f64[], q: f64[]): i32 {
  let bad = 0;
  for (let i = 0; i + 1 < p.length; i++) {
    const j = i % q.length, k = (i * 7 + 3) % q.length;
    const r = fn(f64x2(p[i], q[k]), f64x2(q[j], p[i + 1]));
    if (!same(f64x2.extract_lane(r, 0), ref(p[i], q[j]))) bad++;
    if (!same(f64x2.extract_lane(r, 1), ref(q[k], p[i + 1]))) bad++;
    const t = fn(f64x2(p[i], p[i + 1]), f64x2(p[i + 1], p[i]));
    if (!same(f64x2.extract_lane(t, 0), ref(p[i], p[i + 1]))) bad++;
    if (!same(f64x2.extract_lane(t, 1), ref(p[i + 1], p[i]))) bad++;
  }
  return bad;
}
function ratan2(y: f64, x: f64): f64 { return Math.atan2(y, x); }
function vatan2(y: v128, x: v128): v128 { return atan2_f64x2(y, x); }

describe('f64x2 ports give the scalar routines\' bits', () => {
  it('log1p (musl)', () => {
    expect(mismatches(vlog1p, rlog1p, points([-1, 1, -1, -0.25, 0.3, 0.5, 0, 1e6]))).toBe(0);
  });
  it('expm1 (musl below 0.3466, double-double above 0.35)', () => {
    expect(mismatches(vexpm1, rexpm1, points([-1, 1, -0.4, 0.4, -40, 40, 600, 720, -745, 10]))).toBe(0);
  });
  it('sinh (series below 1, double-double exp to 700)', () => {
    expect(mismatches(vsinh, rsinh, points([-1.2, 1.2, -30, 30, 690, 710, -710, -690]))).toBe(0);
  });
  it('log10 and atan (musl)', () => {
    expect(mismatches(vlog10, rlog10, points([0, 4, 0.9, 1.1, 1e-300, 1e-200, 1e300, 1.7e308]))).toBe(0);
    expect(mismatches(vatan, ratan, points([-3, 3, 0.4, 0.45, 0.65, 0.7, 1.15, 1.25, 2.3, 2.5, -1e20, 1e20]))).toBe(0);
  });
  it('asin and acos (musl)', () => {
    const p = points([-1, 1, -0.55, 0.55, 0.95, 1, -1, -0.95, 0.97, 0.98]);
    expect(mismatches(vasin, rasin, p)).toBe(0);
    expect(mismatches(vacos, racos, p)).toBe(0);
  });
  it('cbrt (musl)', () => {
    expect(mismatches(vcbrt, rcbrt, points([-8, 8, 1e-300, 1e-290, -1e300, 1e300, 2.2e-308, 3e-308]))).toBe(0);
  });
  it('tan (musl below 1e6)', () => {
    const p = points([-4, 4, -1e6, 1e6, 0.6, 0.8, 2.3, 2.4, 1.5, 1.6, 3.1, 3.2, -1.6, -1.5, 999000, 1001000]);
    for (let k = -2000; k <= 2000; k++) { const c = <f64>k * 1.5707963267948966; p.push(c); p.push(c + 1e-9); }
    expect(mismatches(vtan, rtan, p)).toBe(0);
  });
  it('erf and erfc (series, erfcx Taylor centres, continued fraction)', () => {
    const p = points([-1, 1, -0.6, 0.6, -7, 7, 0.3, 0.4, 6, 6.3, 5, 30, -6.5, -5.5, 25, 27.5]);
    expect(mismatches(verf, rerf, p)).toBe(0);
    expect(mismatches(verfc, rerfc, p)).toBe(0);
  });
  it('log2 (musl, table-driven)', () => {
    expect(mismatches(vlog2, rlog2, points([0, 4, 0.9, 1.1, 0.955, 1.07, 1e-300, 1e-200, 1e300, 1.7e308, 2.2e-308, 3e-308]))).toBe(0);
  });
  it('cosh (musl: expm1 below ln 2, table exp to 512)', () => {
    expect(mismatches(vcosh, rcosh, points([-1, 1, 0.3, 0.4, 0.65, 0.75, -30, 30, 500, 520, 700, 712, -712, -700]))).toBe(0);
  });
  it('asinh (musl) and atanh (musl)', () => {
    const p = points([-4, 4, -1, 1, 1.9, 2.1, 6.7e7, 6.8e7, -1e300, 1e300, 0.45, 0.55]);
    expect(mismatches(vasinh, rasinh, p)).toBe(0);
    expect(mismatches(vatanh, ratanh, p)).toBe(0);
  });
  it('acosh (series near 1, musl above)', () => {
    expect(mismatches(vacosh, racosh, points([1, 1.3, 1.2, 1.3, 1.9, 2.1, 0, 8, 6.7e7, 6.8e7, 1e300, 1.7e308]))).toBe(0);
  });
  it('atan2 (musl)', () => {
    const p = points([-4, 4, -1e300, 1e300, -1e-300, 1e-300]);
    const q: f64[] = [0, -0.0, 1, -1, 2, -3.5, Infinity, -Infinity, NaN, 1e-30, -1e30, 1e300, 1e-310, 0.75, -0.01, 3e19, 1e-20];
    expect(mismatches2(vatan2, ratan2, p, q)).toBe(0);
  });
});
