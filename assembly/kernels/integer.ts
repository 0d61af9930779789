// Integer (int32 / uint32) and bitwise kernels: (a, b, out, n) or (x, out, n); out may alias.
//
// add/sub/mul/neg wrap (two's complement), so int32 and uint32 share them. Every kernel is an
// i32x4 (or i8x16 for bool) body with a scalar tail, except the right shifts (see there); wasm
// has no SIMD integer division and no per-lane shift, so division goes through f64x2 and a left
// shift is a multiply by 2^s.
// Nothing traps: division and remainder follow XLA's defined results (x / 0 = -1 signed, all
// ones unsigned; x % 0 = x; INT_MIN / -1 = INT_MIN, INT_MIN % -1 = 0), and a shift count at or
// past 32 (or negative, read as unsigned) gives XLA's result, not wasm's count modulo 32.

const ADD = 0, SUB = 1, MUL = 2, AND = 3, OR = 4, XOR = 5, MAX_S = 6, MIN_S = 7, MAX_U = 8, MIN_U = 9;

@inline function vop(op: i32, x: v128, y: v128): v128 {
  if (op == ADD) return i32x4.add(x, y);
  if (op == SUB) return i32x4.sub(x, y);
  if (op == MUL) return i32x4.mul(x, y);
  if (op == AND) return v128.and(x, y);
  if (op == OR) return v128.or(x, y);
  if (op == XOR) return v128.xor(x, y);
  if (op == MAX_S) return i32x4.max_s(x, y);
  if (op == MIN_S) return i32x4.min_s(x, y);
  if (op == MAX_U) return i32x4.max_u(x, y);
  return i32x4.min_u(x, y);
}

@inline function sop(op: i32, x: i32, y: i32): i32 {
  if (op == ADD) return x + y;
  if (op == SUB) return x - y;
  if (op == MUL) return x * y;
  if (op == AND) return x & y;
  if (op == OR) return x | y;
  if (op == XOR) return x ^ y;
  if (op == MAX_S) return x > y ? x : y;
  if (op == MIN_S) return x < y ? x : y;
  if (op == MAX_U) return <u32>x > <u32>y ? x : y;
  return <u32>x < <u32>y ? x : y;
}

@inline function int32op(op: i32, a: usize, b: usize, out: usize, n: i32): void {
  if (n <= 0) return;
  const body = <usize>(n & ~3) << 2, end = <usize>n << 2;
  let i: usize = 0;
  for (; i < body; i += 16) v128.store(out + i, vop(op, v128.load(a + i), v128.load(b + i)));
  for (; i < end; i += 4) store<i32>(out + i, sop(op, load<i32>(a + i), load<i32>(b + i)));
}

export function add_i32(a: usize, b: usize, out: usize, n: i32): void { int32op(ADD, a, b, out, n); }
export function sub_i32(a: usize, b: usize, out: usize, n: i32): void { int32op(SUB, a, b, out, n); }
export function mul_i32(a: usize, b: usize, out: usize, n: i32): void { int32op(MUL, a, b, out, n); }
export function and_32(a: usize, b: usize, out: usize, n: i32): void { int32op(AND, a, b, out, n); }
export function or_32(a: usize, b: usize, out: usize, n: i32): void { int32op(OR, a, b, out, n); }
export function xor_32(a: usize, b: usize, out: usize, n: i32): void { int32op(XOR, a, b, out, n); }
export function max_i32(a: usize, b: usize, out: usize, n: i32): void { int32op(MAX_S, a, b, out, n); }
export function min_i32(a: usize, b: usize, out: usize, n: i32): void { int32op(MIN_S, a, b, out, n); }
export function max_u32(a: usize, b: usize, out: usize, n: i32): void { int32op(MAX_U, a, b, out, n); }
export function min_u32(a: usize, b: usize, out: usize, n: i32): void { int32op(MIN_U, a, b, out, n); }

// ---- bool (one byte, 0 or 1): and/or/xor/max/min on i8x16; not = xor 1 ----

@inline function boolop(op: i32, a: usize, b: usize, out: usize, n: i32): void {
  if (n <= 0) return;
  const body = <usize>(n & ~15);
  let i: usize = 0;
  for (; i < body; i += 16) {
    const x = v128.load(a + i), y = v128.load(b + i);
    v128.store(out + i, op == AND ? v128.and(x, y) : op == OR ? v128.or(x, y) : v128.xor(x, y));
  }
  for (; i < <usize>n; i++) {
    const x = load<u8>(a + i), y = load<u8>(b + i);
    store<u8>(out + i, op == AND ? x & y : op == OR ? x | y : x ^ y);
  }
}
export function and_bool(a: usize, b: usize, out: usize, n: i32): void { boolop(AND, a, b, out, n); }
export function or_bool(a: usize, b: usize, out: usize, n: i32): void { boolop(OR, a, b, out, n); }
export function xor_bool(a: usize, b: usize, out: usize, n: i32): void { boolop(XOR, a, b, out, n); }

export function not_bool(x: usize, out: usize, n: i32): void {
  if (n <= 0) return;
  const body = <usize>(n & ~15), one = i8x16.splat(1);
  let i: usize = 0;
  for (; i < body; i += 16) v128.store(out + i, v128.xor(v128.load(x + i), one));
  for (; i < <usize>n; i++) store<u8>(out + i, load<u8>(x + i) ^ 1);
}

// ---- unary int32 ----

const NEG = 0, NOT = 1, ABS = 2, SIGN_S = 3, SIGN_U = 4;

@inline function vun(op: i32, x: v128): v128 {
  if (op == NEG) return i32x4.neg(x);
  if (op == NOT) return v128.not(x);
  if (op == ABS) return i32x4.abs(x); // abs(INT_MIN) = INT_MIN, as XLA
  // sign: the masks are -1 where true, so (x < 0) - (x > 0) is -1, 0 or 1
  if (op == SIGN_S) return i32x4.sub(i32x4.lt_s(x, i32x4.splat(0)), i32x4.gt_s(x, i32x4.splat(0)));
  return v128.and(i32x4.ne(x, i32x4.splat(0)), i32x4.splat(1));
}
@inline function sun(op: i32, x: i32): i32 {
  if (op == NEG) return -x;
  if (op == NOT) return ~x;
  if (op == ABS) return x < 0 ? -x : x;
  if (op == SIGN_S) return x > 0 ? 1 : x < 0 ? -1 : 0;
  return x != 0 ? 1 : 0;
}
@inline function int32un(op: i32, x: usize, out: usize, n: i32): void {
  if (n <= 0) return;
  const body = <usize>(n & ~3) << 2, end = <usize>n << 2;
  let i: usize = 0;
  for (; i < body; i += 16) v128.store(out + i, vun(op, v128.load(x + i)));
  for (; i < end; i += 4) store<i32>(out + i, sun(op, load<i32>(x + i)));
}
export function neg_i32(x: usize, out: usize, n: i32): void { int32un(NEG, x, out, n); }
export function not_32(x: usize, out: usize, n: i32): void { int32un(NOT, x, out, n); }
export function abs_i32(x: usize, out: usize, n: i32): void { int32un(ABS, x, out, n); }
export function sign_i32(x: usize, out: usize, n: i32): void { int32un(SIGN_S, x, out, n); }
export function sign_u32(x: usize, out: usize, n: i32): void { int32un(SIGN_U, x, out, n); }

// ---- division, remainder, shifts ----
// wasm has no SIMD integer division: the quotient is trunc(f64(x) / f64(y)) in f64x2 halves,
// which is exact for 32-bit operands (if x/y is not an integer it is at least 1/|y| from one,
// while the f64 rounding error is at most |x/y| 2^-53 <= 2^-21 / |y|). XLA's results at y = 0
// and INT_MIN / -1 are selected in afterwards; the remainder is x - q y (wrapping), which gives
// XLA's x % 0 = x and INT_MIN % -1 = 0 from those quotients.
@inline function quot(x: v128, y: v128, unsigned: bool): v128 {
  let lo: v128, hi: v128;
  if (unsigned) {
    lo = i32x4.trunc_sat_f64x2_u_zero(f64x2.div(f64x2.convert_low_i32x4_u(x), f64x2.convert_low_i32x4_u(y)));
    const xh = i32x4.shuffle(x, x, 2, 3, 0, 1), yh = i32x4.shuffle(y, y, 2, 3, 0, 1);
    hi = i32x4.trunc_sat_f64x2_u_zero(f64x2.div(f64x2.convert_low_i32x4_u(xh), f64x2.convert_low_i32x4_u(yh)));
  } else {
    lo = i32x4.trunc_sat_f64x2_s_zero(f64x2.div(f64x2.convert_low_i32x4_s(x), f64x2.convert_low_i32x4_s(y)));
    const xh = i32x4.shuffle(x, x, 2, 3, 0, 1), yh = i32x4.shuffle(y, y, 2, 3, 0, 1);
    hi = i32x4.trunc_sat_f64x2_s_zero(f64x2.div(f64x2.convert_low_i32x4_s(xh), f64x2.convert_low_i32x4_s(yh)));
  }
  let q = i32x4.shuffle(lo, hi, 0, 1, 4, 5);
  if (!unsigned) q = v128.bitselect(i32x4.neg(x), q, i32x4.eq(y, i32x4.splat(-1))); // INT_MIN / -1 wraps
  return v128.or(q, i32x4.eq(y, i32x4.splat(0))); // x / 0: all ones (-1, 0xFFFFFFFF)
}
@inline function sdiv(x: i32, y: i32): i32 { return y == 0 ? -1 : (y == -1 ? -x : x / y); } // -INT_MIN wraps
@inline function udiv(x: u32, y: u32): u32 { return y == 0 ? 0xFFFFFFFF : x / y; }

@inline function divRem(a: usize, b: usize, out: usize, n: i32, unsigned: bool, rem: bool): void {
  const end = <usize>n << 2;
  let i: usize = 0;
  for (; i + 16 <= end; i += 16) {
    const x = v128.load(a + i), y = v128.load(b + i), q = quot(x, y, unsigned);
    v128.store(out + i, rem ? i32x4.sub(x, i32x4.mul(q, y)) : q);
  }
  for (; i < end; i += 4) {
    const x = load<i32>(a + i), y = load<i32>(b + i);
    const q = unsigned ? <i32>udiv(<u32>x, <u32>y) : sdiv(x, y);
    store<i32>(out + i, rem ? x - q * y : q);
  }
}
export function div_i32(a: usize, b: usize, out: usize, n: i32): void { divRem(a, b, out, n, false, false); }
export function rem_i32(a: usize, b: usize, out: usize, n: i32): void { divRem(a, b, out, n, false, true); }
export function div_u32(a: usize, b: usize, out: usize, n: i32): void { divRem(a, b, out, n, true, false); }
export function rem_u32(a: usize, b: usize, out: usize, n: i32): void { divRem(a, b, out, n, true, true); }

// Per-lane shift counts: wasm SIMD shifts take one scalar count. A left shift is a wrapping
// multiply by 2^s, with 2^s built as a float32 exponent (s + 127) << 23 and converted (2^31
// fits trunc_sat to u32): ~1.5 G elements/s against ~0.4-0.8 scalar here. Right shifts stay
// scalar: a five-step barrel shifter (shift, mask, select per bit of the count) measured no
// faster than wasm's scalar shifts (~270 vs ~420 M elements/s, noisy machine). Counts at or past 32 (unsigned) give XLA's results: 0 for
// the left and logical shifts, the sign fill (a shift by 31) for the arithmetic one.
export function shl_32(a: usize, b: usize, out: usize, n: i32): void {
  const end = <usize>n << 2, limit = i32x4.splat(31);
  let i: usize = 0;
  for (; i + 16 <= end; i += 16) {
    const s = v128.load(b + i), big = i32x4.gt_u(s, limit);
    const p = i32x4.trunc_sat_f32x4_u(i32x4.shl(i32x4.add(v128.and(s, limit), i32x4.splat(127)), 23));
    v128.store(out + i, v128.andnot(i32x4.mul(v128.load(a + i), p), big));
  }
  for (; i < end; i += 4) {
    const x = load<u32>(a + i), s = load<u32>(b + i);
    store<u32>(out + i, s >= 32 ? 0 : x << s);
  }
}
export function shr_logical_32(a: usize, b: usize, out: usize, n: i32): void {
  for (let i: usize = 0, end = <usize>n << 2; i < end; i += 4) {
    const x = load<u32>(a + i), s = load<u32>(b + i);
    store<u32>(out + i, s >= 32 ? 0 : x >>> s);
  }
}
export function shr_arith_32(a: usize, b: usize, out: usize, n: i32): void {
  for (let i: usize = 0, end = <usize>n << 2; i < end; i += 4) {
    const x = load<i32>(a + i), s = load<u32>(b + i);
    store<i32>(out + i, x >> (s >= 32 ? 31 : <i32>s));
  }
}

// ---- comparisons of int32 / uint32 (bool out), 16 elements per iteration ----

const LT = 0, LE = 1, GT = 2, GE = 3, EQ = 4, NE = 5;

@inline function vcmp(op: i32, u: bool, x: v128, y: v128): v128 {
  if (op == EQ) return i32x4.eq(x, y);
  if (op == NE) return i32x4.ne(x, y);
  if (u) {
    if (op == LT) return i32x4.lt_u(x, y);
    if (op == LE) return i32x4.le_u(x, y);
    if (op == GT) return i32x4.gt_u(x, y);
    return i32x4.ge_u(x, y);
  }
  if (op == LT) return i32x4.lt_s(x, y);
  if (op == LE) return i32x4.le_s(x, y);
  if (op == GT) return i32x4.gt_s(x, y);
  return i32x4.ge_s(x, y);
}
@inline function scmp<T>(op: i32, x: T, y: T): u8 {
  if (op == LT) return <u8>(x < y);
  if (op == LE) return <u8>(x <= y);
  if (op == GT) return <u8>(x > y);
  if (op == GE) return <u8>(x >= y);
  if (op == EQ) return <u8>(x == y);
  return <u8>(x != y);
}
@inline function cmpInt(op: i32, u: bool, a: usize, b: usize, out: usize, n: i32): void {
  if (n <= 0) return;
  const body = n & ~15;
  let i = 0;
  for (; i < body; i += 16) {
    const pa = a + (<usize>i << 2), pb = b + (<usize>i << 2);
    const w0 = i16x8.narrow_i32x4_s(vcmp(op, u, v128.load(pa), v128.load(pb)), vcmp(op, u, v128.load(pa, 16), v128.load(pb, 16)));
    const w1 = i16x8.narrow_i32x4_s(vcmp(op, u, v128.load(pa, 32), v128.load(pb, 32)), vcmp(op, u, v128.load(pa, 48), v128.load(pb, 48)));
    v128.store(out + <usize>i, v128.and(i8x16.narrow_i16x8_s(w0, w1), i8x16.splat(1)));
  }
  for (; i < n; i++) {
    const off = <usize>i << 2;
    store<u8>(out + <usize>i, u ? scmp<u32>(op, load<u32>(a + off), load<u32>(b + off))
      : scmp<i32>(op, load<i32>(a + off), load<i32>(b + off)));
  }
}
/** op: 0 lt, 1 le, 2 gt, 3 ge, 4 eq, 5 ne (the order of assembly/ad/ops.ts from LT). */
export function compare_i32(op: i32, a: usize, b: usize, out: usize, n: i32): void {
  switch (op) {
    case LT: cmpInt(LT, false, a, b, out, n); break;
    case LE: cmpInt(LE, false, a, b, out, n); break;
    case GT: cmpInt(GT, false, a, b, out, n); break;
    case GE: cmpInt(GE, false, a, b, out, n); break;
    case EQ: cmpInt(EQ, false, a, b, out, n); break;
    default: cmpInt(NE, false, a, b, out, n);
  }
}
export function compare_u32(op: i32, a: usize, b: usize, out: usize, n: i32): void {
  switch (op) {
    case LT: cmpInt(LT, true, a, b, out, n); break;
    case LE: cmpInt(LE, true, a, b, out, n); break;
    case GT: cmpInt(GT, true, a, b, out, n); break;
    case GE: cmpInt(GE, true, a, b, out, n); break;
    case EQ: cmpInt(EQ, true, a, b, out, n); break;
    default: cmpInt(NE, true, a, b, out, n);
  }
}
/** bool order: false < true. The bytes compared as u8, 16 per i8x16, a scalar tail. */
@inline function vcmpBool(op: i32, x: v128, y: v128): v128 {
  if (op == LT) return i8x16.lt_u(x, y);
  if (op == LE) return i8x16.le_u(x, y);
  if (op == GT) return i8x16.gt_u(x, y);
  if (op == GE) return i8x16.ge_u(x, y);
  if (op == EQ) return i8x16.eq(x, y);
  return i8x16.ne(x, y);
}
@inline function cmpBool(op: i32, a: usize, b: usize, out: usize, n: i32): void {
  const body = <usize>(n & ~15);
  let i: usize = 0;
  for (; i < body; i += 16) v128.store(out + i, v128.and(vcmpBool(op, v128.load(a + i), v128.load(b + i)), i8x16.splat(1)));
  for (; i < <usize>n; i++) store<u8>(out + i, <u8>scmp<u8>(op, load<u8>(a + i), load<u8>(b + i)));
}
export function compare_bool(op: i32, a: usize, b: usize, out: usize, n: i32): void {
  switch (op) {
    case LT: cmpBool(LT, a, b, out, n); break;
    case LE: cmpBool(LE, a, b, out, n); break;
    case GT: cmpBool(GT, a, b, out, n); break;
    case GE: cmpBool(GE, a, b, out, n); break;
    case EQ: cmpBool(EQ, a, b, out, n); break;
    default: cmpBool(NE, a, b, out, n);
  }
}

export function fill_32(out: usize, n: i32, v: i32): void {
  if (n <= 0) return;
  const s = i32x4.splat(v);
  const body = <usize>(n & ~3) << 2, end = <usize>n << 2;
  let i: usize = 0;
  for (; i < body; i += 16) v128.store(out + i, s);
  for (; i < end; i += 4) store<i32>(out + i, v);
}
