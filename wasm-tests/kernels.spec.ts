// Tests for the SIMD CPU kernels in assembly/kernels/*. Every kernel is checked against
// a plain scalar reference computed here (loops with Math / Mathf or index arithmetic),
// over sizes that exercise vector tails and over IEEE special values. Output buffers get
// a canary region after the last element to catch writes past n.
import {
  neg_f32, neg_f64, exp_f32, exp_f64, log_f32, log_f64, sin_f32, sin_f64, cos_f32, cos_f64,
  tanh_f32, tanh_f64, sqrt_f32, sqrt_f64,
} from '../assembly/kernels/unary';
import {
  add_f32, sub_f32, mul_f32, div_f32, pow_f32, add_f64, sub_f64, mul_f64, div_f64, pow_f64,
} from '../assembly/kernels/binary';
import {
  lt_f32, le_f32, gt_f32, ge_f32, eq_f32, ne_f32, lt_f64, le_f64, gt_f64, ge_f64, eq_f64, ne_f64,
  eq_bool, ne_bool, select_f32, select_f64, select_bool,
} from '../assembly/kernels/compare';
import {
  convert_f32_f64, convert_f64_f32, convert_bool_f32, convert_bool_f64, convert_f32_bool,
  convert_f64_bool, fill_f32, fill_f64, fill_bool,
} from '../assembly/kernels/convert';
import { sum_f32, sum_f64, sum_i32 } from '../assembly/kernels/reduce';
import {
  broadcast_in_dim_b8, broadcast_in_dim_b32, broadcast_in_dim_b64,
  transpose_b8, transpose_b32, transpose_b64,
} from '../assembly/kernels/movement';
import { dot_f32, dot_f64, dot_i32, dot_nt_i32 } from '../assembly/kernels/dot';
import { div_i32, rem_i32, div_u32, rem_u32, shl_32, shr_logical_32, shr_arith_32 } from '../assembly/kernels/integer';

// ---------------------------------------------------------------- helpers

const SIZES: i32[] = [0, 1, 3, 4, 5, 7, 8, 17, 33, 100];
const CANARY: u8 = 0xa5;
const PAD = 32; // canary bytes after every output

let rngState: u32 = 0x9e3779b9;
function rnd(): f64 { // xorshift32 in [0, 1)
  let s = rngState;
  s ^= s << 13; s ^= s >> 17; s ^= s << 5;
  rngState = s;
  return <f64>s / 4294967296.0;
}
function uniform(lo: f64, hi: f64): f64 { return lo + (hi - lo) * rnd(); }

// 16-byte aligned buffer of `bytes` plus a canary tail.
function buf(bytes: i32): usize {
  const p = heap.alloc(<usize>(bytes + PAD));
  assert((p & 15) == 0, 'heap.alloc is expected to return 16-byte aligned blocks');
  memory.fill(p + <usize>bytes, CANARY, PAD);
  return p;
}
function canaryOk(p: usize, bytes: i32): bool {
  for (let i = 0; i < PAD; i++) if (load<u8>(p + <usize>(bytes + i)) != CANARY) return false;
  return true;
}
function shapeBuf(s: i32[]): usize {
  const p = heap.alloc(<usize>(s.length * 4 + 4));
  for (let i = 0; i < s.length; i++) store<i32>(p + (<usize>i << 2), s[i]);
  return p;
}

@inline function f32at(p: usize, i: i32): f32 { return load<f32>(p + (<usize>i << 2)); }
@inline function f64at(p: usize, i: i32): f64 { return load<f64>(p + (<usize>i << 3)); }
@inline function u8at(p: usize, i: i32): u8 { return load<u8>(p + <usize>i); }

// Same value or both NaN, with the sign of zero taken into account.
function same32(a: f32, b: f32): bool {
  if (isNaN(a)) return isNaN(b);
  return reinterpret<u32>(a) == reinterpret<u32>(b);
}
function same64(a: f64, b: f64): bool {
  if (isNaN(a)) return isNaN(b);
  return reinterpret<u64>(a) == reinterpret<u64>(b);
}

// Distance in units in the last place (ordered integer representation, +0 == -0).
function ulps32(a: f32, b: f32): i64 {
  let ia = <i64>reinterpret<i32>(a), ib = <i64>reinterpret<i32>(b);
  if (ia < 0) ia = -(ia & 0x7fffffff);
  if (ib < 0) ib = -(ib & 0x7fffffff);
  return ia > ib ? ia - ib : ib - ia;
}
function ulps64(a: f64, b: f64): i64 {
  let ia = reinterpret<i64>(a), ib = reinterpret<i64>(b);
  if (ia < 0) ia = -(ia & 0x7fffffffffffffff);
  if (ib < 0) ib = -(ib & 0x7fffffffffffffff);
  return ia > ib ? ia - ib : ib - ia;
}
// Within `tol` ulps; results below the smallest normal may differ absolutely by that much
// (a SIMD routine is allowed to flush subnormal results).
function close32(got: f32, want: f32, tol: i64): bool {
  if (isNaN(want)) return isNaN(got);
  if (got == want) return true;
  if (!isFinite(got) || !isFinite(want)) return false;
  if (Mathf.abs(got - want) <= 1.1754944e-38) return true;
  return ulps32(got, want) <= tol;
}
function close64(got: f64, want: f64, tol: i64): bool {
  if (isNaN(want)) return isNaN(got);
  if (got == want) return true;
  if (!isFinite(got) || !isFinite(want)) return false;
  if (Math.abs(got - want) <= 2.2250738585072014e-308) return true;
  return ulps64(got, want) <= tol;
}

const SPECIAL32: f32[] = [0, -0, Infinity, -Infinity, NaN, 3.0e38, -3.0e38, 1e-45, -1e-40,
  1.17549435e-38, 1, -1, 0.5, 2, 1e-30];
const SPECIAL64: f64[] = [0, -0, Infinity, -Infinity, NaN, 1.7e308, -1.7e308, 5e-324, -1e-310,
  2.2250738585072014e-308, 1, -1, 0.5, 2, 1e-300];

// Every third element is a special value (when given), the rest uniform in [lo, hi).
function fill32(p: usize, n: i32, lo: f64, hi: f64, specials: f32[]): void {
  for (let i = 0; i < n; i++) {
    const v: f32 = specials.length > 0 && i % 3 == 1 ? specials[(i / 3) % specials.length] : <f32>uniform(lo, hi);
    store<f32>(p + (<usize>i << 2), v);
  }
}
function fill64(p: usize, n: i32, lo: f64, hi: f64, specials: f64[]): void {
  for (let i = 0; i < n; i++) {
    const v: f64 = specials.length > 0 && i % 3 == 1 ? specials[(i / 3) % specials.length] : uniform(lo, hi);
    store<f64>(p + (<usize>i << 3), v);
  }
}

// ---------------------------------------------------------------- unary

type Un = (x: usize, out: usize, n: i32) => void;
type Ref32 = (x: f32) => f32;
type Ref64 = (x: f64) => f64;

// Runs k on every size (out-of-place and in-place) and compares with ref; returns failures.
function checkUnary32(name: string, k: Un, ref: Ref32, lo: f64, hi: f64, specials: f32[], tol: i64): void {
  for (let s = 0; s < SIZES.length; s++) {
    const n = SIZES[s];
    const x = buf(n * 4), out = buf(n * 4), inplace = buf(n * 4);
    fill32(x, n, lo, hi, specials);
    memory.copy(inplace, x, <usize>n * 4);
    k(x, out, n);
    k(inplace, inplace, n);
    let bad = 0;
    for (let i = 0; i < n; i++) {
      const want = ref(f32at(x, i));
      if (!close32(f32at(out, i), want, tol) || !same32(f32at(inplace, i), f32at(out, i))) {
        if (bad == 0) log<string>(name + ' mismatch at ' + i.toString() + ' x=' + f32at(x, i).toString() +
          ' got=' + f32at(out, i).toString() + ' want=' + want.toString());
        bad++;
      }
    }
    expect<i32>(bad).toBe(0, name + ' n=' + n.toString());
    expect<bool>(canaryOk(out, n * 4) && canaryOk(inplace, n * 4)).toBe(true, name + ' wrote past n=' + n.toString());
    heap.free(x); heap.free(out); heap.free(inplace);
  }
}

function checkUnary64(name: string, k: Un, ref: Ref64, lo: f64, hi: f64, specials: f64[], tol: i64): void {
  for (let s = 0; s < SIZES.length; s++) {
    const n = SIZES[s];
    const x = buf(n * 8), out = buf(n * 8), inplace = buf(n * 8);
    fill64(x, n, lo, hi, specials);
    memory.copy(inplace, x, <usize>n * 8);
    k(x, out, n);
    k(inplace, inplace, n);
    let bad = 0;
    for (let i = 0; i < n; i++) {
      const want = ref(f64at(x, i));
      if (!close64(f64at(out, i), want, tol) || !same64(f64at(inplace, i), f64at(out, i))) {
        if (bad == 0) log<string>(name + ' mismatch at ' + i.toString() + ' x=' + f64at(x, i).toString() +
          ' got=' + f64at(out, i).toString() + ' want=' + want.toString());
        bad++;
      }
    }
    expect<i32>(bad).toBe(0, name + ' n=' + n.toString());
    expect<bool>(canaryOk(out, n * 8) && canaryOk(inplace, n * 8)).toBe(true, name + ' wrote past n=' + n.toString());
    heap.free(x); heap.free(out); heap.free(inplace);
  }
}

// Values safe for any reasonable transcendental routine: no huge sin/cos arguments and no
// subnormal inputs, but zeros of both signs, infinities, NaN and tiny normals.
const TSPEC32: f32[] = [0, -0, Infinity, -Infinity, NaN, 1e-30, -1e-30, 1, -1];
const TSPEC64: f64[] = [0, -0, Infinity, -Infinity, NaN, 1e-300, -1e-300, 1, -1];
const ULP_TOL: i64 = 4;

describe('unary', () => {
  it('neg (exact, sign of zero and NaN)', () => {
    checkUnary32('neg_f32', neg_f32, (x: f32): f32 => -x, -1e3, 1e3, SPECIAL32, 0);
    checkUnary64('neg_f64', neg_f64, (x: f64): f64 => -x, -1e3, 1e3, SPECIAL64, 0);
  });
  it('sqrt (exact IEEE, negative -> NaN)', () => {
    checkUnary32('sqrt_f32', sqrt_f32, (x: f32): f32 => Mathf.sqrt(x), -10, 1e6, SPECIAL32, 0);
    checkUnary64('sqrt_f64', sqrt_f64, (x: f64): f64 => Math.sqrt(x), -10, 1e6, SPECIAL64, 0);
  });
  it('exp', () => {
    checkUnary32('exp_f32', exp_f32, (x: f32): f32 => <f32>Math.exp(<f64>x), -100, 100, TSPEC32, ULP_TOL);
    checkUnary64('exp_f64', exp_f64, (x: f64): f64 => Math.exp(x), -750, 720, TSPEC64, ULP_TOL);
  });
  it('log', () => {
    const s32: f32[] = [0, -0, Infinity, -Infinity, NaN, 1e-30, -1, 1, 3e38, 1.17549435e-38];
    const s64: f64[] = [0, -0, Infinity, -Infinity, NaN, 1e-300, -1, 1, 1.7e308, 2.2250738585072014e-308];
    checkUnary32('log_f32', log_f32, (x: f32): f32 => <f32>Math.log(<f64>x), 0, 1e4, s32, ULP_TOL);
    checkUnary64('log_f64', log_f64, (x: f64): f64 => Math.log(x), 0, 1e4, s64, ULP_TOL);
    checkUnary32('log_f32 near 1', log_f32, (x: f32): f32 => <f32>Math.log(<f64>x), 0.5, 2, [], ULP_TOL);
    checkUnary64('log_f64 near 1', log_f64, (x: f64): f64 => Math.log(x), 0.5, 2, [], ULP_TOL);
  });
  it('sin / cos', () => {
    checkUnary32('sin_f32', sin_f32, (x: f32): f32 => <f32>Math.sin(<f64>x), -50, 50, TSPEC32, ULP_TOL);
    checkUnary64('sin_f64', sin_f64, (x: f64): f64 => Math.sin(x), -50, 50, TSPEC64, ULP_TOL);
    checkUnary32('cos_f32', cos_f32, (x: f32): f32 => <f32>Math.cos(<f64>x), -50, 50, TSPEC32, ULP_TOL);
    checkUnary64('cos_f64', cos_f64, (x: f64): f64 => Math.cos(x), -50, 50, TSPEC64, ULP_TOL);
  });
  it('tanh', () => {
    const s32: f32[] = [0, -0, Infinity, -Infinity, NaN, 1e-30, -1e-30, 100, -100, 9, -9];
    const s64: f64[] = [0, -0, Infinity, -Infinity, NaN, 1e-300, -1e-300, 100, -100, 20, -20];
    checkUnary32('tanh_f32', tanh_f32, (x: f32): f32 => <f32>Math.tanh(<f64>x), -5, 5, s32, ULP_TOL);
    checkUnary64('tanh_f64', tanh_f64, (x: f64): f64 => Math.tanh(x), -5, 5, s64, ULP_TOL);
    checkUnary32('tanh_f32 small', tanh_f32, (x: f32): f32 => <f32>Math.tanh(<f64>x), -0.1, 0.1, [], ULP_TOL);
    checkUnary64('tanh_f64 small', tanh_f64, (x: f64): f64 => Math.tanh(x), -0.1, 0.1, [], ULP_TOL);
  });
  it('transcendental tails match the vector body bit for bit', () => {
    // The same 3 inputs placed in a tail (n = 3) and inside a full vector (n = 8).
    const x = buf(64), a = buf(64), b = buf(64);
    for (let i = 0; i < 8; i++) store<f32>(x + (<usize>i << 2), <f32>(0.37 * <f64>(i % 3) + 0.11));
    const ks: Un[] = [exp_f32, log_f32, sin_f32, cos_f32, tanh_f32];
    for (let t = 0; t < ks.length; t++) {
      ks[t](x, a, 3);
      ks[t](x, b, 8);
      for (let i = 0; i < 3; i++) {
        expect<bool>(same32(f32at(a, i), f32at(b, i)) && same32(f32at(b, i), f32at(b, i + 3))).toBe(true);
      }
    }
    heap.free(x); heap.free(a); heap.free(b);
  });
});

// ---------------------------------------------------------------- binary

type Bin = (a: usize, b: usize, out: usize, n: i32) => void;
type BRef32 = (a: f32, b: f32) => f32;
type BRef64 = (a: f64, b: f64) => f64;

function checkBinary32(name: string, k: Bin, ref: BRef32, lo: f64, hi: f64, specials: f32[], tol: i64): void {
  for (let s = 0; s < SIZES.length; s++) {
    const n = SIZES[s];
    const a = buf(n * 4), b = buf(n * 4), out = buf(n * 4);
    fill32(a, n, lo, hi, specials);
    fill32(b, n, lo, hi, []);
    // Pair some specials with specials too (inf - inf, 0 / 0, ...).
    for (let i = 0; i < n; i += 5) store<f32>(b + (<usize>i << 2), specials.length ? specials[(i * 7) % specials.length] : 1);
    k(a, b, out, n);
    let bad = 0;
    for (let i = 0; i < n; i++) {
      const want = ref(f32at(a, i), f32at(b, i)), got = f32at(out, i);
      const ok = tol == 0 ? same32(got, want) : close32(got, want, tol);
      if (!ok) {
        if (bad == 0) log<string>(name + ' mismatch at ' + i.toString() + ' a=' + f32at(a, i).toString() +
          ' b=' + f32at(b, i).toString() + ' got=' + got.toString() + ' want=' + want.toString());
        bad++;
      }
    }
    expect<i32>(bad).toBe(0, name + ' n=' + n.toString());
    expect<bool>(canaryOk(out, n * 4)).toBe(true, name + ' wrote past n=' + n.toString());
    heap.free(a); heap.free(b); heap.free(out);
  }
}

function checkBinary64(name: string, k: Bin, ref: BRef64, lo: f64, hi: f64, specials: f64[], tol: i64): void {
  for (let s = 0; s < SIZES.length; s++) {
    const n = SIZES[s];
    const a = buf(n * 8), b = buf(n * 8), out = buf(n * 8);
    fill64(a, n, lo, hi, specials);
    fill64(b, n, lo, hi, []);
    for (let i = 0; i < n; i += 5) store<f64>(b + (<usize>i << 3), specials.length ? specials[(i * 7) % specials.length] : 1);
    k(a, b, out, n);
    let bad = 0;
    for (let i = 0; i < n; i++) {
      const want = ref(f64at(a, i), f64at(b, i)), got = f64at(out, i);
      const ok = tol == 0 ? same64(got, want) : close64(got, want, tol);
      if (!ok) {
        if (bad == 0) log<string>(name + ' mismatch at ' + i.toString() + ' a=' + f64at(a, i).toString() +
          ' b=' + f64at(b, i).toString() + ' got=' + got.toString() + ' want=' + want.toString());
        bad++;
      }
    }
    expect<i32>(bad).toBe(0, name + ' n=' + n.toString());
    expect<bool>(canaryOk(out, n * 8)).toBe(true, name + ' wrote past n=' + n.toString());
    heap.free(a); heap.free(b); heap.free(out);
  }
}

describe('binary', () => {
  it('add / sub / mul / div are exact IEEE', () => {
    checkBinary32('add_f32', add_f32, (a: f32, b: f32): f32 => a + b, -1e3, 1e3, SPECIAL32, 0);
    checkBinary32('sub_f32', sub_f32, (a: f32, b: f32): f32 => a - b, -1e3, 1e3, SPECIAL32, 0);
    checkBinary32('mul_f32', mul_f32, (a: f32, b: f32): f32 => a * b, -1e3, 1e3, SPECIAL32, 0);
    checkBinary32('div_f32', div_f32, (a: f32, b: f32): f32 => a / b, -1e3, 1e3, SPECIAL32, 0);
    checkBinary64('add_f64', add_f64, (a: f64, b: f64): f64 => a + b, -1e3, 1e3, SPECIAL64, 0);
    checkBinary64('sub_f64', sub_f64, (a: f64, b: f64): f64 => a - b, -1e3, 1e3, SPECIAL64, 0);
    checkBinary64('mul_f64', mul_f64, (a: f64, b: f64): f64 => a * b, -1e3, 1e3, SPECIAL64, 0);
    checkBinary64('div_f64', div_f64, (a: f64, b: f64): f64 => a / b, -1e3, 1e3, SPECIAL64, 0);
  });
  it('division by zero gives inf / nan', () => {
    const a = buf(16), b = buf(16), out = buf(16);
    store<f32>(a, 1); store<f32>(a, -1, 4); store<f32>(a, 0, 8);
    memory.fill(b, 0, 12);
    div_f32(a, b, out, 3);
    expect<f32>(f32at(out, 0)).toBe(Infinity);
    expect<f32>(f32at(out, 1)).toBe(-Infinity);
    expect<bool>(isNaN(f32at(out, 2))).toBe(true);
    heap.free(a); heap.free(b); heap.free(out);
  });
  it('add works in place (out == a)', () => {
    const a = buf(400), b = buf(400);
    for (let i = 0; i < 100; i++) { store<f32>(a + (<usize>i << 2), <f32>i); store<f32>(b + (<usize>i << 2), 0.5); }
    add_f32(a, b, a, 100);
    let bad = 0;
    for (let i = 0; i < 100; i++) if (f32at(a, i) != <f32>i + 0.5) bad++;
    expect<i32>(bad).toBe(0);
    heap.free(a); heap.free(b);
  });
  it('pow', () => {
    // Positive bases with moderate exponents, plus the IEEE/JS special cases.
    const sp32: f32[] = [0, -0, Infinity, -Infinity, NaN, 1, -1, 2, -2, 0.5];
    const sp64: f64[] = [0, -0, Infinity, -Infinity, NaN, 1, -1, 2, -2, 0.5];
    checkBinary32('pow_f32', pow_f32, (a: f32, b: f32): f32 => <f32>Math.pow(<f64>a, <f64>b), 0, 10, sp32, ULP_TOL);
    checkBinary64('pow_f64', pow_f64, (a: f64, b: f64): f64 => Math.pow(a, b), 0, 10, sp64, ULP_TOL);
  });
  it('pow special cases', () => {
    const xs: f64[] = [0, 0, -2, -2, -2, 2, NaN, 1, -8, Infinity, -Infinity, 0.5, -0, -1, -1, 1, 2];
    const ys: f64[] = [0, -1, 3, 2, 0.5, -Infinity, 0, NaN, 1.0 / 3.0, -1, 3, Infinity, -3, Infinity, -Infinity, -Infinity, NaN];
    const n = xs.length;
    const a = buf(n * 8), b = buf(n * 8), o = buf(n * 8), a32 = buf(n * 4), b32 = buf(n * 4), o32 = buf(n * 4);
    for (let i = 0; i < n; i++) {
      store<f64>(a + (<usize>i << 3), xs[i]); store<f64>(b + (<usize>i << 3), ys[i]);
      store<f32>(a32 + (<usize>i << 2), <f32>xs[i]); store<f32>(b32 + (<usize>i << 2), <f32>ys[i]);
    }
    pow_f64(a, b, o, n);
    pow_f32(a32, b32, o32, n);
    for (let i = 0; i < n; i++) {
      const w = cPowRef(xs[i], ys[i]);
      expect<bool>(close64(f64at(o, i), w, ULP_TOL)).toBe(true, 'pow_f64 case ' + i.toString());
      const w32 = <f32>cPowRef(<f64><f32>xs[i], <f64><f32>ys[i]);
      expect<bool>(close32(f32at(o32, i), w32, ULP_TOL)).toBe(true, 'pow_f32 case ' + i.toString());
    }
    heap.free(a); heap.free(b); heap.free(o); heap.free(a32); heap.free(b32); heap.free(o32);
  });
});

// C99 (and NumPy): pow(1, y) = 1 for every y, NaN included, and pow(-1, +-inf) = 1, where
// JS's Math.pow gives NaN; everything else as Math.pow.
function cPowRef(x: f64, y: f64): f64 {
  if (x == 1.0) return 1.0;
  if (x == -1.0 && (y == Infinity || y == -Infinity)) return 1.0;
  return Math.pow(x, y);
}

// ---------------------------------------------------------------- compare / select

function cmpRef(op: i32, a: f64, b: f64): u8 {
  switch (op) {
    case 0: return <u8>(a < b);
    case 1: return <u8>(a <= b);
    case 2: return <u8>(a > b);
    case 3: return <u8>(a >= b);
    case 4: return <u8>(a == b);
    default: return <u8>(a != b);
  }
}

describe('compare', () => {
  it('f32 and f64 comparisons write 0/1 bytes, NaN false except ne', () => {
    const k32: Bin[] = [lt_f32, le_f32, gt_f32, ge_f32, eq_f32, ne_f32];
    const k64: Bin[] = [lt_f64, le_f64, gt_f64, ge_f64, eq_f64, ne_f64];
    const names: string[] = ['lt', 'le', 'gt', 'ge', 'eq', 'ne'];
    for (let op = 0; op < 6; op++) {
      for (let s = 0; s < SIZES.length; s++) {
        const n = SIZES[s];
        const a = buf(n * 8), b = buf(n * 8), out = buf(n), a64 = buf(n * 8), b64 = buf(n * 8), out64 = buf(n);
        fill32(a, n, -3, 3, SPECIAL32);
        fill32(b, n, -3, 3, []);
        for (let i = 0; i < n; i++) {
          // Mix in equal pairs, -0 vs 0, and special vs special.
          if (i % 4 == 0) store<f32>(b + (<usize>i << 2), f32at(a, i));
          if (i % 7 == 2) store<f32>(b + (<usize>i << 2), SPECIAL32[(i / 7) % SPECIAL32.length]);
          store<f64>(a64 + (<usize>i << 3), <f64>f32at(a, i));
          store<f64>(b64 + (<usize>i << 3), <f64>f32at(b, i));
        }
        k32[op](a, b, out, n);
        k64[op](a64, b64, out64, n);
        let bad = 0;
        for (let i = 0; i < n; i++) {
          const want = cmpRef(op, <f64>f32at(a, i), <f64>f32at(b, i));
          if (u8at(out, i) != want || u8at(out64, i) != want) bad++;
        }
        expect<i32>(bad).toBe(0, names[op] + ' n=' + n.toString());
        expect<bool>(canaryOk(out, n) && canaryOk(out64, n)).toBe(true, names[op] + ' canary');
        heap.free(a); heap.free(b); heap.free(out); heap.free(a64); heap.free(b64); heap.free(out64);
      }
    }
  });
  it('NaN, zeros and infinities explicitly', () => {
    const a = buf(16), b = buf(16), o = buf(16);
    store<f32>(a, NaN); store<f32>(b, NaN);
    store<f32>(a, -0.0, 4); store<f32>(b, 0.0, 4);
    store<f32>(a, Infinity, 8); store<f32>(b, Infinity, 8);
    eq_f32(a, b, o, 3);
    expect<u8>(u8at(o, 0)).toBe(0); expect<u8>(u8at(o, 1)).toBe(1); expect<u8>(u8at(o, 2)).toBe(1);
    ne_f32(a, b, o, 3);
    expect<u8>(u8at(o, 0)).toBe(1); expect<u8>(u8at(o, 1)).toBe(0); expect<u8>(u8at(o, 2)).toBe(0);
    le_f32(a, b, o, 3);
    expect<u8>(u8at(o, 0)).toBe(0); expect<u8>(u8at(o, 1)).toBe(1); expect<u8>(u8at(o, 2)).toBe(1);
    heap.free(a); heap.free(b); heap.free(o);
  });
  it('eq_bool / ne_bool', () => {
    for (let s = 0; s < SIZES.length; s++) {
      const n = SIZES[s] + 16;
      const a = buf(n), b = buf(n), eq = buf(n), ne = buf(n);
      for (let i = 0; i < n; i++) {
        store<u8>(a + <usize>i, <u8>(rnd() < 0.5));
        store<u8>(b + <usize>i, <u8>(rnd() < 0.5));
      }
      eq_bool(a, b, eq, n);
      ne_bool(a, b, ne, n);
      let bad = 0;
      for (let i = 0; i < n; i++) {
        const e = <u8>(u8at(a, i) == u8at(b, i));
        if (u8at(eq, i) != e || u8at(ne, i) != (e ^ 1)) bad++;
      }
      expect<i32>(bad).toBe(0, 'bool n=' + n.toString());
      expect<bool>(canaryOk(eq, n) && canaryOk(ne, n)).toBe(true);
      heap.free(a); heap.free(b); heap.free(eq); heap.free(ne);
    }
  });
  it('select for f32 / f64 / bool copies the chosen values bit-exactly', () => {
    for (let s = 0; s < SIZES.length; s++) {
      const n = SIZES[s] + 1;
      const c = buf(n), a = buf(n * 8), b = buf(n * 8), o = buf(n * 8);
      const a8 = buf(n), b8 = buf(n), o8 = buf(n), o32 = buf(n * 4);
      for (let i = 0; i < n; i++) {
        store<u8>(c + <usize>i, rnd() < 0.5 ? 0 : 1);
        store<u8>(a8 + <usize>i, <u8>(rnd() * 256)); store<u8>(b8 + <usize>i, <u8>(rnd() * 256));
      }
      fill64(a, n, -1, 1, SPECIAL64);
      fill64(b, n, 10, 11, []);
      select_f64(c, a, b, o, n);
      select_f32(c, a, b, o32, n); // reinterprets the f64 buffers as 2n f32 values; uses the first n
      select_bool(c, a8, b8, o8, n);
      let bad = 0;
      for (let i = 0; i < n; i++) {
        const pick = u8at(c, i) != 0;
        const w64 = load<u64>((pick ? a : b) + (<usize>i << 3));
        const w32 = load<u32>((pick ? a : b) + (<usize>i << 2));
        const w8 = u8at(pick ? a8 : b8, i);
        if (load<u64>(o + (<usize>i << 3)) != w64 || load<u32>(o32 + (<usize>i << 2)) != w32 || u8at(o8, i) != w8) bad++;
      }
      expect<i32>(bad).toBe(0, 'select n=' + n.toString());
      expect<bool>(canaryOk(o, n * 8) && canaryOk(o32, n * 4) && canaryOk(o8, n)).toBe(true);
      heap.free(c); heap.free(a); heap.free(b); heap.free(o);
      heap.free(a8); heap.free(b8); heap.free(o8); heap.free(o32);
    }
  });
});

// ---------------------------------------------------------------- convert / fill

describe('convert', () => {
  it('f32 <-> f64 (f64 -> f32 rounds to nearest)', () => {
    for (let s = 0; s < SIZES.length; s++) {
      const n = SIZES[s];
      const x32 = buf(n * 4), y64 = buf(n * 8), x64 = buf(n * 8), y32 = buf(n * 4);
      fill32(x32, n, -1e5, 1e5, SPECIAL32);
      fill64(x64, n, -1e5, 1e5, SPECIAL64);
      for (let i = 0; i < n; i += 4) store<f64>(x64 + (<usize>i << 3), 1.0 + <f64>i * 1.1e-8); // needs rounding
      convert_f32_f64(x32, y64, n);
      convert_f64_f32(x64, y32, n);
      let bad = 0;
      for (let i = 0; i < n; i++) {
        if (!same64(f64at(y64, i), <f64>f32at(x32, i))) bad++;
        if (!same32(f32at(y32, i), <f32>f64at(x64, i))) bad++;
      }
      expect<i32>(bad).toBe(0, 'f32<->f64 n=' + n.toString());
      expect<bool>(canaryOk(y64, n * 8) && canaryOk(y32, n * 4)).toBe(true);
      heap.free(x32); heap.free(y64); heap.free(x64); heap.free(y32);
    }
  });
  it('f64 -> f32 rounding, overflow and underflow', () => {
    const x = buf(64), y = buf(32);
    const v: f64[] = [1.0 + 1.0 / 16777216.0, 1.0 + 3.0 / 16777216.0, 1e300, -1e300, 1e-300, 3.4028235163852886e38, 3.4028235677973366e38];
    for (let i = 0; i < v.length; i++) store<f64>(x + (<usize>i << 3), v[i]);
    convert_f64_f32(x, y, v.length);
    expect<f32>(f32at(y, 0)).toBe(1.0); // tie goes to even
    expect<f32>(f32at(y, 1)).toBe(<f32>(1.0 + 4.0 / 16777216.0));
    expect<f32>(f32at(y, 2)).toBe(Infinity);
    expect<f32>(f32at(y, 3)).toBe(-Infinity);
    expect<f32>(f32at(y, 4)).toBe(0);
    expect<f32>(f32at(y, 5)).toBe(<f32>3.4028234663852886e38); // below the half-ulp: max finite
    expect<f32>(f32at(y, 6)).toBe(Infinity); // exactly halfway past max finite: ties to even = inf
    heap.free(x); heap.free(y);
  });
  it('bool -> f32 / f64 and f32 / f64 -> bool (NaN -> 1, -0 -> 0)', () => {
    for (let s = 0; s < SIZES.length; s++) {
      const n = SIZES[s] + 16;
      const bIn = buf(n), f32o = buf(n * 4), f64o = buf(n * 8);
      const x32 = buf(n * 4), x64 = buf(n * 8), b32 = buf(n), b64 = buf(n);
      for (let i = 0; i < n; i++) store<u8>(bIn + <usize>i, <u8>(rnd() < 0.5));
      fill32(x32, n, -2, 2, SPECIAL32);
      fill64(x64, n, -2, 2, SPECIAL64);
      for (let i = 0; i < n; i += 4) { store<f32>(x32 + (<usize>i << 2), 0); store<f64>(x64 + (<usize>i << 3), -0.0); }
      convert_bool_f32(bIn, f32o, n);
      convert_bool_f64(bIn, f64o, n);
      convert_f32_bool(x32, b32, n);
      convert_f64_bool(x64, b64, n);
      let bad = 0;
      for (let i = 0; i < n; i++) {
        const bv = u8at(bIn, i);
        if (!same32(f32at(f32o, i), <f32>bv) || !same64(f64at(f64o, i), <f64>bv)) bad++;
        const x = f32at(x32, i), y = f64at(x64, i);
        if (u8at(b32, i) != <u8>(x != 0) || u8at(b64, i) != <u8>(y != 0)) bad++;
      }
      expect<i32>(bad).toBe(0, 'bool conversions n=' + n.toString());
      expect<bool>(canaryOk(f32o, n * 4) && canaryOk(f64o, n * 8) && canaryOk(b32, n) && canaryOk(b64, n)).toBe(true);
      heap.free(bIn); heap.free(f32o); heap.free(f64o); heap.free(x32); heap.free(x64); heap.free(b32); heap.free(b64);
    }
  });
  it('fill_f32 / fill_f64 / fill_bool', () => {
    for (let s = 0; s < SIZES.length; s++) {
      const n = SIZES[s];
      const o32 = buf(n * 4), o64 = buf(n * 8), ob = buf(n), ob2 = buf(n), ob3 = buf(n);
      fill_f32(o32, n, 0.1);
      fill_f64(o64, n, -0.1);
      fill_bool(ob, n, 2.5);
      fill_bool(ob2, n, 0);
      fill_bool(ob3, n, NaN);
      let bad = 0;
      for (let i = 0; i < n; i++) {
        if (f32at(o32, i) != <f32>0.1 || f64at(o64, i) != -0.1) bad++;
        if (u8at(ob, i) != 1 || u8at(ob2, i) != 0 || u8at(ob3, i) != 1) bad++;
      }
      expect<i32>(bad).toBe(0, 'fill n=' + n.toString());
      expect<bool>(canaryOk(o32, n * 4) && canaryOk(o64, n * 8) && canaryOk(ob, n) && canaryOk(ob2, n) && canaryOk(ob3, n)).toBe(true);
      heap.free(o32); heap.free(o64); heap.free(ob); heap.free(ob2); heap.free(ob3);
    }
  });
});

// ---------------------------------------------------------------- reduce

function prod(s: i32[]): i32 { let p = 1; for (let i = 0; i < s.length; i++) p *= s[i]; return p; }

// Checks sum over axesMask against an f64 reference built by index arithmetic; the
// tolerance is relative to the sum of |x| contributing to each output.
function checkSum(shape: i32[], mask: i32): void {
  const nd = shape.length, n = prod(shape);
  let outN = 1;
  for (let i = 0; i < nd; i++) if (!((mask >> i) & 1)) outN *= shape[i];
  const x32 = buf(n * 4), x64 = buf(n * 8), o32 = buf(outN * 4), o64 = buf(outN * 8);
  const ref = buf(outN * 8), refAbs = buf(outN * 8);
  fill32(x32, n, -1, 1, []);
  for (let i = 0; i < n; i++) store<f64>(x64 + (<usize>i << 3), <f64>f32at(x32, i));
  memory.fill(ref, 0, <usize>outN * 8); memory.fill(refAbs, 0, <usize>outN * 8);
  fill_f32(o32, outN, NaN); fill_f64(o64, outN, NaN); // kernels must overwrite everything
  for (let f = 0; f < n; f++) {
    // Output flat index: walk axes from the innermost, keeping the non-reduced ones.
    let rem = f, o = 0, ostride = 1;
    for (let i = nd - 1; i >= 0; i--) {
      const idx = rem % shape[i];
      rem /= shape[i];
      if (!((mask >> i) & 1)) { o += idx * ostride; ostride *= shape[i]; }
    }
    const v = f64at(x64, f), po = <usize>o << 3;
    store<f64>(ref + po, load<f64>(ref + po) + v);
    store<f64>(refAbs + po, load<f64>(refAbs + po) + Math.abs(v));
  }
  const sp = shapeBuf(shape);
  sum_f32(x32, o32, sp, nd, mask);
  sum_f64(x64, o64, sp, nd, mask);
  let bad = 0;
  for (let j = 0; j < outN; j++) {
    const r = f64at(ref, j), tol = f64at(refAbs, j);
    if (!(Math.abs(<f64>f32at(o32, j) - r) <= 1e-5 * tol)) bad++;
    if (!(Math.abs(f64at(o64, j) - r) <= 1e-13 * tol)) bad++;
  }
  let desc = 'sum shape [';
  for (let i = 0; i < nd; i++) desc += shape[i].toString() + (i + 1 < nd ? ',' : '');
  desc += '] mask ' + mask.toString();
  expect<i32>(bad).toBe(0, desc);
  expect<bool>(canaryOk(o32, outN * 4) && canaryOk(o64, outN * 8)).toBe(true, desc + ' canary');
  heap.free(x32); heap.free(x64); heap.free(o32); heap.free(o64); heap.free(ref); heap.free(refAbs); heap.free(sp);
}

// Integer sums wrap modulo 2^32: values spread over the whole i32 range so most sums overflow;
// the reference is a sequential wrapping sum (exact: integer addition is associative mod 2^32).
function checkSumI32(shape: i32[], mask: i32): void {
  const nd = shape.length, n = prod(shape);
  let outN = 1;
  for (let i = 0; i < nd; i++) if (!((mask >> i) & 1)) outN *= shape[i];
  const x = buf(n * 4), o = buf(outN * 4), ref = buf(outN * 4);
  for (let i = 0; i < n; i++) store<i32>(x + (<usize>i << 2), <i32>(<u32>(rnd() * 4294967296.0)));
  memory.fill(ref, 0, <usize>outN * 4);
  memory.fill(o, 0x7f, <usize>outN * 4);
  for (let f = 0; f < n; f++) {
    let rem = f, oi = 0, ostride = 1;
    for (let i = nd - 1; i >= 0; i--) {
      const idx = rem % shape[i];
      rem /= shape[i];
      if (!((mask >> i) & 1)) { oi += idx * ostride; ostride *= shape[i]; }
    }
    const po = <usize>oi << 2;
    store<i32>(ref + po, load<i32>(ref + po) + load<i32>(x + (<usize>f << 2)));
  }
  const sp = shapeBuf(shape);
  sum_i32(x, o, sp, nd, mask);
  let bad = 0;
  for (let j = 0; j < outN; j++) if (load<i32>(o + (<usize>j << 2)) != load<i32>(ref + (<usize>j << 2))) bad++;
  expect<i32>(bad).toBe(0, 'sum_i32 mask ' + mask.toString());
  expect<bool>(canaryOk(o, outN * 4)).toBe(true, 'sum_i32 canary');
  heap.free(x); heap.free(o); heap.free(ref); heap.free(sp);
}

function checkAllMasks(shape: i32[]): void {
  for (let m = 0; m < (1 << shape.length); m++) { checkSum(shape, m); checkSumI32(shape, m); }
}

describe('reduce', () => {
  it('scalar, 1-d and 2-d, every axes mask', () => {
    checkSum([], 0);
    for (let s = 0; s < SIZES.length; s++) { checkSum([SIZES[s]], 0); checkSum([SIZES[s]], 1); }
    checkAllMasks([3, 4]);
    checkAllMasks([7, 33]);
    checkAllMasks([33, 17]);
    checkAllMasks([100, 3]);
    checkAllMasks([3, 100]);
    checkAllMasks([1, 5]);
    checkAllMasks([5, 1]);
  });
  it('3-d and 4-d, every axes mask (merging, size-1 axes, mixed groups)', () => {
    checkAllMasks([2, 3, 4]);
    checkAllMasks([4, 1, 3, 2]);
    checkAllMasks([2, 3, 4, 5]);
    checkAllMasks([3, 70, 20]);
    checkAllMasks([5, 2, 9, 3]);
  });
  it('blocked paths: long rows, many rows, ragged column strips', () => {
    checkAllMasks([5, 1000]);   // row sums split pairwise
    checkAllMasks([300, 9]);    // column sums over many rows, scalar columns
    checkAllMasks([70, 45]);    // column strips + single vectors + scalar columns
    checkAllMasks([129, 2, 37]);
  });
  it('zero-size inputs give zeros', () => {
    checkAllMasks([0, 3]);
    checkAllMasks([2, 0, 3]);
  });
  it('summing 1e6 ones is exact', () => {
    const n = 1000000;
    const x = buf(n * 4), o = buf(4), sp = shapeBuf([n]), sp2 = shapeBuf([1000, 1000]), o2 = buf(1000 * 4);
    fill_f32(x, n, 1.0);
    sum_f32(x, o, sp, 1, 1);
    expect<f32>(f32at(o, 0)).toBe(1000000.0);
    sum_f32(x, o, sp2, 2, 3);
    expect<f32>(f32at(o, 0)).toBe(1000000.0);
    sum_f32(x, o2, sp2, 2, 1); // outer axis: every column sums 1000 ones
    let bad = 0;
    for (let i = 0; i < 1000; i++) if (f32at(o2, i) != 1000) bad++;
    expect<i32>(bad).toBe(0);
    heap.free(x); heap.free(o); heap.free(sp); heap.free(sp2); heap.free(o2);
  });
  it('f32 sums have O(log n) error, not O(n) (inner, outer and full reductions)', () => {
    const R = 4096, C = 256, n = R * C; // 2^20 elements
    const x = buf(n * 4), o = buf(C * 4), sp = shapeBuf([R, C]), sp1 = shapeBuf([n]);
    for (let round = 0; round < 2; round++) {
      // Round 0: uniform [0, 1). Round 1: the constant 0.1, whose rounding errors all
      // point the same way, so a sequential f32 sum drifts by O(n) eps.
      if (round == 0) fill32(x, n, 0, 1, []); else fill_f32(x, n, 0.1);
      let ref: f64 = 0, naive: f32 = 0;
      for (let i = 0; i < n; i++) { ref += <f64>f32at(x, i); naive += f32at(x, i); }
      sum_f32(x, o, sp1, 1, 1);
      const err = Math.abs(<f64>f32at(o, 0) - ref) / ref;
      if (round == 1) {
        const naiveErr = Math.abs(<f64>naive - ref) / ref;
        expect<bool>(naiveErr > 1e-4).toBe(true, 'test data should defeat naive summation: ' + naiveErr.toString());
      }
      expect<bool>(err < 5e-7).toBe(true, 'full sum relative error ' + err.toString());
      // Outer axis: each column sums 4096 values with stride C.
      sum_f32(x, o, sp, 2, 1);
      let worst: f64 = 0;
      for (let j = 0; j < C; j++) {
        let r: f64 = 0;
        for (let i = 0; i < R; i++) r += <f64>f32at(x, i * C + j);
        worst = Math.max(worst, Math.abs(<f64>f32at(o, j) - r) / r);
      }
      expect<bool>(worst < 5e-7).toBe(true, 'column sum relative error ' + worst.toString());
      // Inner axis of the transposed layout: C rows of R contiguous values.
      const spT = shapeBuf([C, R]);
      sum_f32(x, o, spT, 2, 2);
      worst = 0;
      for (let j = 0; j < C; j++) {
        let r: f64 = 0;
        for (let i = 0; i < R; i++) r += <f64>f32at(x, j * R + i);
        worst = Math.max(worst, Math.abs(<f64>f32at(o, j) - r) / r);
      }
      expect<bool>(worst < 5e-7).toBe(true, 'row sum relative error ' + worst.toString());
      heap.free(spT);
    }
    heap.free(x); heap.free(o); heap.free(sp); heap.free(sp1);
  });
});

// ---------------------------------------------------------------- broadcast / transpose

// Element i of a test array holds a width-dependent pattern derived from i.
function pattern(w: i32, p: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    if (w == 1) store<u8>(p + <usize>i, <u8>(i * 7 + 3));
    else if (w == 4) store<u32>(p + (<usize>i << 2), <u32>(i * 2654435761 + 1));
    else store<u64>(p + (<usize>i << 3), <u64>i * 0x9e3779b97f4a7c15 + 5);
  }
}
function sameElem(w: i32, a: usize, i: i32, b: usize, j: i32): bool {
  if (w == 1) return load<u8>(a + <usize>i) == load<u8>(b + <usize>j);
  if (w == 4) return load<u32>(a + (<usize>i << 2)) == load<u32>(b + (<usize>j << 2));
  return load<u64>(a + (<usize>i << 3)) == load<u64>(b + (<usize>j << 3));
}

function checkBroadcast(inShape: i32[], outShape: i32[], dims: i32[]): void {
  const inN = prod(inShape), outN = prod(outShape);
  const ws: i32[] = [1, 4, 8];
  for (let t = 0; t < 3; t++) {
    const w = ws[t];
    const x = buf(inN * w), o = buf(outN * w);
    pattern(w, x, inN);
    const ip = shapeBuf(inShape), op = shapeBuf(outShape), dp = shapeBuf(dims);
    if (w == 1) broadcast_in_dim_b8(x, o, ip, inShape.length, op, outShape.length, dp);
    else if (w == 4) broadcast_in_dim_b32(x, o, ip, inShape.length, op, outShape.length, dp);
    else broadcast_in_dim_b64(x, o, ip, inShape.length, op, outShape.length, dp);
    let bad = 0;
    for (let f = 0; f < outN; f++) {
      // Output multi-index -> input flat index.
      let src = 0;
      for (let i = 0; i < inShape.length; i++) {
        let stride = 1;
        for (let j = dims[i] + 1; j < outShape.length; j++) stride *= outShape[j];
        const idx = (f / stride) % outShape[dims[i]];
        src = src * inShape[i] + (inShape[i] == 1 ? 0 : idx);
      }
      if (!sameElem(w, o, f, x, src)) bad++;
    }
    expect<i32>(bad).toBe(0, 'broadcast width ' + w.toString() + ' out size ' + outN.toString());
    expect<bool>(canaryOk(o, outN * w)).toBe(true, 'broadcast canary');
    heap.free(x); heap.free(o); heap.free(ip); heap.free(op); heap.free(dp);
  }
}

function checkTranspose(shape: i32[], perm: i32[]): void {
  const nd = shape.length, n = prod(shape);
  const ws: i32[] = [1, 4, 8];
  for (let t = 0; t < 3; t++) {
    const w = ws[t];
    const x = buf(n * w), o = buf(n * w);
    pattern(w, x, n);
    const sp = shapeBuf(shape), pp = shapeBuf(perm);
    if (w == 1) transpose_b8(x, o, sp, nd, pp);
    else if (w == 4) transpose_b32(x, o, sp, nd, pp);
    else transpose_b64(x, o, sp, nd, pp);
    let bad = 0;
    for (let f = 0; f < n; f++) {
      // Output index (over out shape shape[perm[i]]) -> input index.
      let rem = f, src = 0;
      for (let i = nd - 1; i >= 0; i--) {
        const size = shape[perm[i]];
        const idx = rem % size;
        rem /= size;
        let stride = 1;
        for (let j = perm[i] + 1; j < nd; j++) stride *= shape[j];
        src += idx * stride;
      }
      if (!sameElem(w, o, f, x, src)) bad++;
    }
    let desc = 'transpose w' + w.toString() + ' shape [';
    for (let i = 0; i < nd; i++) desc += shape[i].toString() + (i + 1 < nd ? ',' : '');
    desc += '] perm [';
    for (let i = 0; i < nd; i++) desc += perm[i].toString() + (i + 1 < nd ? ',' : '');
    expect<i32>(bad).toBe(0, desc + ']');
    expect<bool>(canaryOk(o, n * w)).toBe(true, desc + '] canary');
    heap.free(x); heap.free(o); heap.free(sp); heap.free(pp);
  }
}

describe('broadcast_in_dim', () => {
  it('scalars and vectors', () => {
    checkBroadcast([], [5], []);
    checkBroadcast([], [3, 4], []);
    checkBroadcast([], [], []);
    checkBroadcast([1], [4], [0]);
    checkBroadcast([3], [2, 3], [1]);
    checkBroadcast([3], [3, 2], [0]);
    checkBroadcast([37], [5, 37], [1]);  // long contiguous runs
    checkBroadcast([5, 1], [5, 37], [0, 1]); // splat runs with tails
    checkBroadcast([5], [5, 37], [0]);
    checkBroadcast([4], [4], [0]);        // identity
  });
  it('higher rank, mixed copy and broadcast axes', () => {
    checkBroadcast([2, 1, 3], [2, 5, 3], [0, 1, 2]);
    checkBroadcast([2, 3], [2, 4, 3], [0, 2]);
    checkBroadcast([1, 3], [4, 1, 3], [1, 2]);
    checkBroadcast([5], [5, 3, 17], [0]);
    checkBroadcast([3, 1], [2, 3, 4, 6], [1, 3]);
    checkBroadcast([2, 1, 1, 9], [2, 3, 4, 9], [0, 1, 2, 3]);
    checkBroadcast([1, 1], [3, 1, 2], [0, 2]);
    checkBroadcast([5], [4000, 5], [1]);          // repeated block beyond the copy chunk
    checkBroadcast([2, 1, 7], [2, 3000, 7], [0, 1, 2]);
    checkBroadcast([300, 1], [300, 3], [0, 1]);   // short splat runs, inner 2-d loop
    checkBroadcast([3, 1, 2], [4, 3, 5, 2], [1, 2, 3]); // strided odometer + inner block
  });
  it('zero-size output writes nothing', () => {
    checkBroadcast([3], [0, 3], [1]);
    checkBroadcast([0], [2, 0], [1]);
  });
});

describe('transpose', () => {
  it('2-d, including tile edges', () => {
    checkTranspose([3, 5], [1, 0]);
    checkTranspose([4, 4], [1, 0]);
    checkTranspose([16, 16], [1, 0]);
    checkTranspose([17, 33], [1, 0]);
    checkTranspose([40, 3], [1, 0]);
    checkTranspose([1, 7], [1, 0]);
    checkTranspose([7, 1], [1, 0]);
    checkTranspose([17, 33], [0, 1]);
    checkTranspose([70, 130], [1, 0]);  // full 64x64 byte tiles plus edges
    checkTranspose([64, 128], [1, 0]);  // power-of-two strides, full tiles only
    checkTranspose([32, 2048], [1, 0]); // one side narrower than a tile: staged edge tiles
    checkTranspose([30, 70], [1, 0]);   // narrow, ragged in both directions
    checkTranspose([6, 100], [1, 0]);
    checkTranspose([100, 6], [1, 0]);
    checkTranspose([3, 129], [1, 0]);
    checkTranspose([2, 5, 66], [0, 2, 1]);
  });
  it('3-d every perm, batched last two axes, 4-d', () => {
    const perms: i32[][] = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]];
    for (let i = 0; i < perms.length; i++) checkTranspose([2, 3, 4], perms[i]);
    for (let i = 0; i < perms.length; i++) checkTranspose([5, 19, 6], perms[i]);
    checkTranspose([3, 17, 33], [0, 2, 1]);
    checkTranspose([2, 65, 64], [0, 2, 1]);
    checkTranspose([16, 8, 24], [2, 1, 0]);
    checkTranspose([3, 1, 5, 2], [2, 0, 3, 1]);
    checkTranspose([3, 1, 5, 2], [3, 2, 1, 0]);
    checkTranspose([2, 3, 4, 5], [1, 3, 0, 2]);
    checkTranspose([2, 3, 4, 5], [0, 1, 3, 2]);
    checkTranspose([4, 5, 6], [0, 1, 2]);
  });
  it('every 3-d shape up to [8,4,4] in every perm (axis merging must not depend on coincident sizes)', () => {
    // [a, b, c] with a == b * c once merged (size 4, stride 4) with (size 2, stride 1).
    const perms: i32[][] = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]];
    for (let a = 1; a <= 8; a++) for (let b = 1; b <= 4; b++) for (let c = 1; c <= 4; c++) {
      for (let p = 0; p < perms.length; p++) checkTranspose([a, b, c], perms[p]);
    }
  });
  it('scalars, vectors and zero-size', () => {
    checkTranspose([], []);
    checkTranspose([9], [0]);
    checkTranspose([0, 3], [1, 0]);
    checkTranspose([2, 0, 3], [2, 1, 0]);
  });
});

// ---------------------------------------------------------------- dot

function checkDot(batch: i32, m: i32, k: i32, n: i32): void {
  const na = batch * m * k, nb = batch * k * n, nc = batch * m * n;
  const a = buf(na * 4), b = buf(nb * 4), c = buf(nc * 4);
  const a64 = buf(na * 8), b64 = buf(nb * 8), c64 = buf(nc * 8);
  fill32(a, na, -1, 1, []);
  fill32(b, nb, -1, 1, []);
  for (let i = 0; i < na; i++) store<f64>(a64 + (<usize>i << 3), <f64>f32at(a, i));
  for (let i = 0; i < nb; i++) store<f64>(b64 + (<usize>i << 3), <f64>f32at(b, i));
  fill_f32(c, nc, NaN); fill_f64(c64, nc, NaN); // must be fully overwritten
  dot_f32(a, b, c, batch, m, k, n);
  dot_f64(a64, b64, c64, batch, m, k, n);
  let bad = 0;
  const u32: f64 = 1.2e-7, u64: f64 = 2.3e-16;
  for (let t = 0; t < batch; t++) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s: f64 = 0, sa: f64 = 0;
        for (let p = 0; p < k; p++) {
          const v = f64at(a64, (t * m + i) * k + p) * f64at(b64, (t * k + p) * n + j);
          s += v; sa += Math.abs(v);
        }
        const o = (t * m + i) * n + j;
        // Standard bound for a length-k dot product: |err| <= k * u * sum|a*b|.
        if (!(Math.abs(<f64>f32at(c, o) - s) <= <f64>(k + 2) * u32 * sa)) bad++;
        if (!(Math.abs(f64at(c64, o) - s) <= <f64>(k + 2) * u64 * sa)) bad++;
      }
    }
  }
  expect<i32>(bad).toBe(0, 'dot ' + batch.toString() + 'x' + m.toString() + 'x' + k.toString() + 'x' + n.toString());
  expect<bool>(canaryOk(c, nc * 4) && canaryOk(c64, nc * 8)).toBe(true, 'dot canary');
  heap.free(a); heap.free(b); heap.free(c); heap.free(a64); heap.free(b64); heap.free(c64);
}

// Integer products wrap modulo 2^32: exact references by wrapping i32 arithmetic, in both layouts.
function checkDotI32(batch: i32, m: i32, k: i32, n: i32, density: f64 = 1): void {
  const na = batch * m * k, nb = batch * k * n, nc = batch * m * n;
  const a = buf(na * 4), b = buf(nb * 4), bt = buf(nb * 4), c = buf(nc * 4), c2 = buf(nc * 4);
  for (let i = 0; i < na; i++) store<i32>(a + (<usize>i << 2), rnd() < density ? <i32>(<u32>(rnd() * 4294967296.0)) : 0);
  for (let i = 0; i < nb; i++) store<i32>(b + (<usize>i << 2), <i32>(rnd() * 2001.0) - 1000);
  for (let t = 0; t < batch; t++) for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) {
    store<i32>(bt + (<usize>((t * n + j) * k + p) << 2), load<i32>(b + (<usize>((t * k + p) * n + j) << 2)));
  }
  memory.fill(c, 0x7f, <usize>nc * 4); memory.fill(c2, 0x7f, <usize>nc * 4);
  dot_i32(a, b, c, batch, m, k, n);
  dot_nt_i32(a, bt, c2, batch, m, k, n);
  let bad = 0;
  for (let t = 0; t < batch; t++) for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s: i32 = 0;
    for (let p = 0; p < k; p++) s += load<i32>(a + (<usize>((t * m + i) * k + p) << 2)) * load<i32>(b + (<usize>((t * k + p) * n + j) << 2));
    const o = <usize>((t * m + i) * n + j) << 2;
    if (load<i32>(c + o) != s) bad++;
    if (load<i32>(c2 + o) != s) bad++;
  }
  expect<i32>(bad).toBe(0, 'dot_i32 ' + batch.toString() + 'x' + m.toString() + 'x' + k.toString() + 'x' + n.toString());
  expect<bool>(canaryOk(c, nc * 4) && canaryOk(c2, nc * 4)).toBe(true, 'dot_i32 canary');
  heap.free(a); heap.free(b); heap.free(bt); heap.free(c); heap.free(c2);
}

// A mostly zero (the sparse path: a basis, a mask), B with inf and NaN in some rows when
// `specials`: NaN where the dense product has 0 * inf or 0 * NaN, as a dense kernel gives.
// Odd batches are dense, so the per-batch choice of path is exercised both ways.
function checkDotSparse(batch: i32, m: i32, k: i32, n: i32, density: f64, oneHot: bool, specials: bool): void {
  const na = batch * m * k, nb = batch * k * n, nc = batch * m * n;
  const a = buf(na * 4), b = buf(nb * 4), c = buf(nc * 4);
  const a64 = buf(na * 8), b64 = buf(nb * 8), c64 = buf(nc * 8);
  for (let t = 0; t < batch; t++) for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) {
    const dense = (t & 1) == 1;
    const on = dense || (oneHot ? p == (i + t) % k : rnd() < density);
    const v: f32 = on ? (oneHot && !dense ? <f32>uniform(0.5, 1) : <f32>uniform(-1, 1)) : (rnd() < 0.5 ? -0.0 : 0.0);
    store<f32>(a + (<usize>((t * m + i) * k + p) << 2), v);
  }
  fill32(b, nb, -1, 1, []);
  if (specials) {
    for (let r = 0; r < batch * k; r += 3) store<f32>(b + (<usize>(r * n + (r * 7) % n) << 2), r % 2 == 0 ? Infinity : NaN);
  }
  for (let r = 1; r < batch * k; r += 2) store<f32>(b + (<usize>(r * n + (r * 5) % n) << 2), -0.0); // x * -0 + (+0) = +0
  for (let i = 0; i < na; i++) store<f64>(a64 + (<usize>i << 3), <f64>f32at(a, i));
  for (let i = 0; i < nb; i++) store<f64>(b64 + (<usize>i << 3), <f64>f32at(b, i));
  fill_f32(c, nc, -7); fill_f64(c64, nc, -7); // must be fully overwritten
  dot_f32(a, b, c, batch, m, k, n);
  dot_f64(a64, b64, c64, batch, m, k, n);
  let bad = 0;
  for (let t = 0; t < batch; t++) for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s: f64 = 0, sa: f64 = 0;
    for (let p = 0; p < k; p++) {
      const v = f64at(a64, (t * m + i) * k + p) * f64at(b64, (t * k + p) * n + j);
      s += v; sa += Math.abs(v);
    }
    const o = (t * m + i) * n + j, g32 = <f64>f32at(c, o), g64 = f64at(c64, o);
    if (isNaN(s)) { if (!isNaN(g32) || !isNaN(g64)) bad++; continue; }
    if (!isFinite(s)) { if (g32 != s || g64 != s) bad++; continue; }
    if (!(Math.abs(g32 - s) <= <f64>(k + 2) * 1.2e-7 * sa)) bad++;
    if (!(Math.abs(g64 - s) <= <f64>(k + 2) * 2.3e-16 * sa)) bad++;
    if (s == 0 && (1 / g32 < 0 || 1 / g64 < 0)) bad++; // a sum of zeros is +0, as the dense kernel's
  }
  expect<i32>(bad).toBe(0, 'sparse dot ' + batch.toString() + 'x' + m.toString() + 'x' + k.toString() + 'x' + n.toString() +
    ' density ' + density.toString() + (oneHot ? ' one-hot' : '') + (specials ? ' with inf/NaN' : ''));
  expect<bool>(canaryOk(c, nc * 4) && canaryOk(c64, nc * 8)).toBe(true, 'sparse dot canary');
  heap.free(a); heap.free(b); heap.free(c); heap.free(a64); heap.free(b64); heap.free(c64);
}

describe('dot', () => {
  it('a mostly-zero lhs (sparse path) equals the dense product, inf and NaN included', () => {
    const shapes: i32[][] = [[1, 32, 32, 2048], [2, 32, 32, 37], [1, 5, 3, 8], [3, 1, 17, 9], [2, 2, 600, 300],
      [1, 17, 5, 33], [2, 64, 256, 12], [1, 4, 4, 8], [1, 9, 8, 7]];
    for (let q = 0; q < shapes.length; q++) {
      const sh = shapes[q];
      checkDotSparse(sh[0], sh[1], sh[2], sh[3], 0, true, false);
      checkDotSparse(sh[0], sh[1], sh[2], sh[3], 0, true, true);
      checkDotSparse(sh[0], sh[1], sh[2], sh[3], 0.2, false, true);
      checkDotSparse(sh[0], sh[1], sh[2], sh[3], 0.3, false, false); // around the 1/4 threshold
      checkDotSparse(sh[0], sh[1], sh[2], sh[3], 0, false, true);    // all zeros
    }
    checkDotI32(2, 32, 32, 40, 0.1);
    checkDotI32(1, 7, 9, 20, 0.2);
    checkDotI32(1, 2, 301, 451, 0.05);
  });
  it('int32 (wrapping): every path (rows, narrow, packed with edge tiles and k blocks)', () => {
    checkDotI32(1, 1, 1, 1);
    checkDotI32(2, 7, 9, 5);
    checkDotI32(1, 2, 301, 451);
    checkDotI32(1, 9, 4, 2);
    checkDotI32(2, 13, 513, 9);
    checkDotI32(1, 130, 20, 9);
    checkDotI32(1, 33, 17, 65);
    checkDotI32(1, 2, 0, 3);
  });
  it('brief sizes', () => {
    checkDot(1, 1, 1, 1);
    checkDot(1, 3, 5, 2);
    checkDot(2, 7, 9, 5);
    checkDot(1, 33, 17, 65);
    checkDot(1, 64, 64, 64);
  });
  it('small and skinny shapes (matrix-vector, n < 8, m < 4)', () => {
    checkDot(1, 1, 300, 1);
    checkDot(3, 6, 5, 7);
    checkDot(1, 9, 4, 2);
    checkDot(2, 1, 7, 33);
    checkDot(1, 3, 4, 20);
    checkDot(1, 2, 3, 8);
    checkDot(1, 4, 1, 8);
    checkDot(1, 2, 301, 451); // large B: axpy form (f32 and f64)
    checkDot(2, 1, 1024, 130);
  });
  it('edge tiles, k blocks and m blocks of the packed path', () => {
    checkDot(1, 5, 260, 12);  // k > KC: second k block accumulates
    checkDot(2, 13, 513, 9);  // three k blocks, ragged m and n
    checkDot(1, 130, 20, 9);  // m > MC
    checkDot(1, 8, 8, 8);
    checkDot(3, 4, 2, 16);
  });
  it('k = 0 writes zeros; empty batch / m / n write nothing', () => {
    const c = buf(6 * 8);
    fill_f32(c, 6, NaN);
    dot_f32(0, 0, c, 1, 2, 0, 3);
    let bad = 0;
    for (let i = 0; i < 6; i++) if (f32at(c, i) != 0) bad++;
    fill_f64(c, 6, NaN);
    dot_f64(0, 0, c, 2, 1, 0, 3);
    for (let i = 0; i < 6; i++) if (f64at(c, i) != 0) bad++;
    expect<i32>(bad).toBe(0);
    expect<bool>(canaryOk(c, 6 * 8)).toBe(true);
    checkDot(0, 3, 3, 3);
    checkDot(1, 0, 3, 3);
    checkDot(1, 3, 3, 0);
    heap.free(c);
  });
});

// ---------------------------------------------------------------- integer division and shifts

// References written from XLA's semantics with i64 arithmetic (no wasm trap can occur there).
function refDivS(x: i32, y: i32): i32 { if (y == 0) return -1; return <i32>(<i64>x / <i64>y); }
function refRemS(x: i32, y: i32): i32 { if (y == 0) return x; return <i32>(<i64>x % <i64>y); }
function refDivU(x: u32, y: u32): u32 { if (y == 0) return 0xFFFFFFFF; return <u32>(<u64>x / <u64>y); }
function refRemU(x: u32, y: u32): u32 { if (y == 0) return x; return <u32>(<u64>x % <u64>y); }
function refShl(x: u32, s: u32): u32 { return s >= 32 ? 0 : <u32>(<u64>x << <u64>s); }
function refShrU(x: u32, s: u32): u32 { return s >= 32 ? 0 : <u32>(<u64>x >> <u64>s); }
function refShrS(x: i32, s: u32): i32 { return <i32>(<i64>x >> <i64>(s >= 32 ? 31 : s)); }

const INT_SPECIALS: i32[] = [0, 1, -1, 2, -2, 3, 7, -7, i32.MIN_VALUE, i32.MAX_VALUE, i32.MIN_VALUE + 1, 65536, -65536, 31, 32, 33, 40];
function intAt(i: i32): i32 {
  if (i % 3 == 0) return INT_SPECIALS[(i / 3) % INT_SPECIALS.length];
  if (i % 3 == 1) return <i32>(rnd() * 200.0) - 100;
  return <i32>(<u32>(rnd() * 4294967296.0));
}

describe('integer division, remainder and shifts (SIMD bodies, scalar tails)', () => {
  it('match the i64 references on every pair of specials and random values, all lengths', () => {
    const n = 1031; // not a multiple of 4: the tail runs too
    const a = buf(n * 4), b = buf(n * 4), o = buf(n * 4);
    let bad = 0, worst = '';
    for (let round = 0; round < 4; round++) {
      for (let i = 0; i < n; i++) {
        store<i32>(a + (<usize>i << 2), round == 0 ? INT_SPECIALS[i % INT_SPECIALS.length] : intAt(i * 7 + round));
        store<i32>(b + (<usize>i << 2), round == 0 ? INT_SPECIALS[(i / INT_SPECIALS.length) % INT_SPECIALS.length] : intAt(i * 5 + 2 * round + 1));
      }
      for (let k = 0; k < 7; k++) {
        if (k == 0) div_i32(a, b, o, n); else if (k == 1) rem_i32(a, b, o, n); else if (k == 2) div_u32(a, b, o, n);
        else if (k == 3) rem_u32(a, b, o, n); else if (k == 4) shl_32(a, b, o, n); else if (k == 5) shr_logical_32(a, b, o, n);
        else shr_arith_32(a, b, o, n);
        for (let i = 0; i < n; i++) {
          const x = load<i32>(a + (<usize>i << 2)), y = load<i32>(b + (<usize>i << 2)), got = load<i32>(o + (<usize>i << 2));
          const want = k == 0 ? refDivS(x, y) : k == 1 ? refRemS(x, y) : k == 2 ? <i32>refDivU(<u32>x, <u32>y)
            : k == 3 ? <i32>refRemU(<u32>x, <u32>y) : k == 4 ? <i32>refShl(<u32>x, <u32>y) : k == 5 ? <i32>refShrU(<u32>x, <u32>y)
            : refShrS(x, <u32>y);
          if (got != want) { bad++; if (worst.length == 0) worst = 'kernel ' + k.toString() + ' x=' + x.toString() + ' y=' + y.toString() + ' got ' + got.toString() + ' want ' + want.toString(); }
        }
      }
    }
    expect<i32>(bad).toBe(0, worst);
    expect<bool>(canaryOk(o, n * 4)).toBe(true);
    heap.free(a); heap.free(b); heap.free(o);
  });
});
