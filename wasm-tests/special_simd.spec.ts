// The SIMD kernels of erfinv, lgamma, digamma, polygamma and fmod (float64 and float32) against
// their scalar routines, element for element: the points go through in chunks of 1 to 9
// elements, so every lane position and tail length runs. Points: every binade from 2^-60 to 2^10
// of both signs, uniform draws where the routines switch form, the poles and zeros, the special
// values (NaN compared as NaN). scripts/simd_bitcheck.ts checks millions more against the old build
// (not for polygamma n >= 2, whose scalar routine, polygamma.ts, changed with its kernel: this spec
// ties the two).
import { map_f64, map_f32, polygamma_f64, polygamma_f32, rem_f64, rem_f32, F_ERFINV, F_LGAMMA, F_DIGAMMA } from '../assembly/kernels/elementwise';
import { erfinv, lgamma, digamma } from '../assembly/kernels/special';
import { polygamma } from '../assembly/kernels/polygamma';
import { erfinv64 } from '../assembly/kernels/random';

let state: u32 = 0x2545f491;
function rnd(): f64 {
  state ^= state << 13; state ^= state >> 17; state ^= state << 5;
  return <f64>state * (1.0 / 4294967296.0);
}
const SPECIAL: f64[] = [0, -0.0, Infinity, -Infinity, NaN, -1, 1, -0.5, 0.5, 2, -2, 0.75, 1.5, 2.5, 10, 10.25, 15, -3, 5e-324,
  -5e-324, 1e-300, 1e300, -1e300, 1.7e308, 1.4616321449683622, 0.9999999999999999, -0.9999999999999999, 171.6, 172];

function points(ranges: f64[]): f64[] {
  const p = SPECIAL.slice();
  for (let e = -60; e <= 10; e++) for (let i = 0; i < 100; i++) { const v = Math.pow(2, <f64>e) * (1 + rnd()); p.push(v); p.push(-v); }
  for (let k = 0; k < 20; k++) for (let j = -3; j <= 3; j++) { p.push(-<f64>k + <f64>j * 1e-9); p.push(<f64>k + 1 + <f64>j * 1e-15); }
  for (let r = 0; r < ranges.length; r += 2) for (let i = 0; i < 4000; i++) p.push(ranges[r] + (ranges[r + 1] - ranges[r]) * rnd());
  return p;
}
function same(a: f64, b: f64): bool { return reinterpret<u64>(a) == reinterpret<u64>(b) || (isNaN(a) && isNaN(b)); }
function same32(a: f32, b: f32): bool { return reinterpret<u32>(a) == reinterpret<u32>(b) || (isNaN(a) && isNaN(b)); }

const none: f64[] = [];
const CAP = 16;
const xs = heap.alloc(CAP * 8), ys = heap.alloc(CAP * 8), out = heap.alloc(CAP * 8);
let ORDER = 0; // polygamma's n

function kernel(f: i32, w: i32, n: i32): void {
  if (f == -1) { if (w == 8) rem_f64(xs, ys, out, n); else rem_f32(xs, ys, out, n); return; }
  if (f == -2) { if (w == 8) polygamma_f64(ORDER, xs, out, n); else polygamma_f32(ORDER, xs, out, n); return; }
  if (w == 8) map_f64(f, xs, out, n); else map_f32(f, xs, out, n);
}
function ref(f: i32, x: f64, y: f64): f64 {
  if (f == -1) return x % y;
  if (f == -2) return polygamma(ORDER, x);
  if (f == F_ERFINV) return erfinv(x);
  if (f == F_LGAMMA) return lgamma(x);
  return digamma(x);
}
// (float32 erfinv rounds XLA's ErfInv64 polynomials, not the float64 kernel's Halley steps)
function ref32(f: i32, x: f32, y: f32): f32 { return f == -1 ? x % y : f == F_ERFINV ? <f32>erfinv64(<f64>x) : <f32>ref(f, <f64>x, 0); }

/** Mismatching elements of kernel f (element width w) over p (and q, fmod's divisors). */
function mismatches(f: i32, w: i32, p: f64[], q: f64[]): i32 {
  let bad = 0, i = 0, len = 1;
  while (i < p.length) {
    const n = min(len, p.length - i);
    for (let j = 0; j < n; j++) {
      const y = q.length ? q[i + j] : 0;
      if (w == 8) { store<f64>(xs + (<usize>j << 3), p[i + j]); store<f64>(ys + (<usize>j << 3), y); }
      else { store<f32>(xs + (<usize>j << 2), <f32>p[i + j]); store<f32>(ys + (<usize>j << 2), <f32>y); }
    }
    kernel(f, w, n);
    for (let j = 0; j < n; j++) {
      const y = q.length ? q[i + j] : 0;
      if (w == 8) { if (!same(load<f64>(out + (<usize>j << 3)), ref(f, p[i + j], y))) bad++; }
      else if (!same32(load<f32>(out + (<usize>j << 2)), ref32(f, <f32>p[i + j], <f32>y))) bad++;
    }
    i += n;
    len = len == 9 ? 1 : len + 1;
  }
  return bad;
}

describe('special-function and fmod SIMD kernels give the scalar routines\' bits', () => {
  it('fmod (exact), float64 and float32', () => {
    const p = points([-8, 8, -1e6, 1e6]);
    const s: f64[] = [0, -0.0, 1, -1, 2, -3.5, Infinity, -Infinity, NaN, 1e-30, -1e30, 1e300, 1e-310, 0.75, -0.01, 3e19, 1e-20, 0.1, 1e-300];
    // a third special divisors, a third other points, a third p / n with a quotient next to an
    // integer n (up to 2^60)
    const q = new Array<f64>(p.length);
    for (let i = 0; i < p.length; i++) {
      q[i] = i % 3 == 0 ? s[i % s.length] : i % 3 == 1 ? p[(i * 7919 + 13) % p.length]
        : p[i] / Math.floor(Math.pow(2, 60 * rnd()) + 1) * (1 + (rnd() - 0.5) * 1e-15);
    }
    expect(mismatches(-1, 8, p, q)).toBe(0);
    expect(mismatches(-1, 4, p, q)).toBe(0);
  });
  it('erfinv, float64 and float32', () => {
    const p = points([-1, 1, 0.45, 0.55, -0.55, -0.45, 0.999, 1, -1, -0.999, -1e-6, 1e-6]);
    expect(mismatches(F_ERFINV, 8, p, none)).toBe(0);
    expect(mismatches(F_ERFINV, 4, p, none)).toBe(0);
  });
  it('lgamma, float64 and float32', () => {
    const p = points([-30, 0, 0, 3, 0.4, 0.6, 1.4, 1.6, 2.4, 2.6, 0.9, 1.1, 1.9, 2.1, 9, 11, 0, 1e-6, 1e3, 1e300]);
    expect(mismatches(F_LGAMMA, 8, p, none)).toBe(0);
    expect(mismatches(F_LGAMMA, 4, p, none)).toBe(0);
  });
  it('digamma, float64 and float32', () => {
    const p = points([-30, 0, 0, 3, 0.7, 0.8, 1.2, 1.75, 1.45, 1.47, 10, 10.5, 0, 1e-6, 1e3, 1e300]);
    expect(mismatches(F_DIGAMMA, 8, p, none)).toBe(0);
    expect(mismatches(F_DIGAMMA, 4, p, none)).toBe(0);
  });
  it('polygamma n = 1, 2, 3, 5, 17, 18, 40, 63, 64, float64 and float32', () => {
    const p = points([-30, 0, 0, 3, 9, 11, 14, 16, 0, 1e-6, 1e3, 1e300, 7, 70]);
    // tiny and huge x: the powers (x+k)^-(n+1) past the float64 range (polygamma.ts's scaled
    // form), and either side of the plain path's ends 2^(+-690/(n+1)) (the f64x2 lanes)
    for (let e = -330; e <= -140; e += 2) p.push(Math.pow(2, <f64>e) * (1 + rnd()));
    for (let e = 170; e <= 470; e += 2) p.push(Math.pow(2, <f64>e) * (1 + rnd()));
    for (let e = -240; e <= 240; e += 1) p.push(Math.pow(2, <f64>e) * (1 + rnd()));
    const orders: i32[] = [1, 2, 3, 5, 17, 18, 40, 63, 64];
    for (let o = 0; o < orders.length; o++) {
      const n = orders[o];
      ORDER = n;
      expect(mismatches(-2, 8, p, none)).toBe(0);
      expect(mismatches(-2, 4, p, none)).toBe(0);
    }
  });
});
