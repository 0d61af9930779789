// Comparisons (writing u8 0/1) and select.
//
// Comparisons work on 16 elements per iteration so that the lane masks (all-ones /
// all-zeros) can be narrowed down to one full v128 of bytes and stored at once; the
// narrowing keeps -1 as -1 (signed saturation), and a final `& 1` turns it into 1.
// NaN follows IEEE: every comparison is false except ne, which is true.
// select goes the other way: 16 condition bytes become a byte mask that is widened
// (sign-extended) to 32- or 64-bit lane masks for v128.bitselect.

const LT = 0, LE = 1, GT = 2, GE = 3, EQ = 4, NE = 5;

@inline function vcmp<T>(op: i32, x: v128, y: v128): v128 {
  if (op == LT) return v128.lt<T>(x, y);
  if (op == LE) return v128.le<T>(x, y);
  if (op == GT) return v128.gt<T>(x, y);
  if (op == GE) return v128.ge<T>(x, y);
  if (op == EQ) return v128.eq<T>(x, y);
  return v128.ne<T>(x, y);
}

@inline function scmp<T>(op: i32, x: T, y: T): u8 {
  if (op == LT) return <u8>(x < y);
  if (op == LE) return <u8>(x <= y);
  if (op == GT) return <u8>(x > y);
  if (op == GE) return <u8>(x >= y);
  if (op == EQ) return <u8>(x == y);
  return <u8>(x != y);
}

// Four i32x4 masks -> 16 bytes of 0/1.
@inline function packMasks32(m0: v128, m1: v128, m2: v128, m3: v128): v128 {
  const w0 = i16x8.narrow_i32x4_s(m0, m1);
  const w1 = i16x8.narrow_i32x4_s(m2, m3);
  return v128.and(i8x16.narrow_i16x8_s(w0, w1), i8x16.splat(1));
}

// Two i64x2 masks -> one i32x4 mask (lanes are all-ones or all-zeros, keep the low halves).
@inline function halve64(m0: v128, m1: v128): v128 {
  return i32x4.shuffle(m0, m1, 0, 2, 4, 6);
}

@inline function cmp32(op: i32, a: usize, b: usize, out: usize, n: i32): void {
  if (n <= 0) return;
  const body = n & ~15;
  let i = 0;
  for (; i < body; i += 16) {
    const pa = a + (<usize>i << 2), pb = b + (<usize>i << 2);
    const m0 = vcmp<f32>(op, v128.load(pa), v128.load(pb));
    const m1 = vcmp<f32>(op, v128.load(pa, 16), v128.load(pb, 16));
    const m2 = vcmp<f32>(op, v128.load(pa, 32), v128.load(pb, 32));
    const m3 = vcmp<f32>(op, v128.load(pa, 48), v128.load(pb, 48));
    v128.store(out + <usize>i, packMasks32(m0, m1, m2, m3));
  }
  for (; i < n; i++) {
    const off = <usize>i << 2;
    store<u8>(out + <usize>i, scmp<f32>(op, load<f32>(a + off), load<f32>(b + off)));
  }
}

@inline function cmp64(op: i32, a: usize, b: usize, out: usize, n: i32): void {
  if (n <= 0) return;
  const body = n & ~15;
  let i = 0;
  for (; i < body; i += 16) {
    const pa = a + (<usize>i << 3), pb = b + (<usize>i << 3);
    const m0 = vcmp<f64>(op, v128.load(pa), v128.load(pb));
    const m1 = vcmp<f64>(op, v128.load(pa, 16), v128.load(pb, 16));
    const m2 = vcmp<f64>(op, v128.load(pa, 32), v128.load(pb, 32));
    const m3 = vcmp<f64>(op, v128.load(pa, 48), v128.load(pb, 48));
    const m4 = vcmp<f64>(op, v128.load(pa, 64), v128.load(pb, 64));
    const m5 = vcmp<f64>(op, v128.load(pa, 80), v128.load(pb, 80));
    const m6 = vcmp<f64>(op, v128.load(pa, 96), v128.load(pb, 96));
    const m7 = vcmp<f64>(op, v128.load(pa, 112), v128.load(pb, 112));
    v128.store(out + <usize>i,
      packMasks32(halve64(m0, m1), halve64(m2, m3), halve64(m4, m5), halve64(m6, m7)));
  }
  for (; i < n; i++) {
    const off = <usize>i << 3;
    store<u8>(out + <usize>i, scmp<f64>(op, load<f64>(a + off), load<f64>(b + off)));
  }
}

export function lt_f32(a: usize, b: usize, out: usize, n: i32): void { cmp32(LT, a, b, out, n); }
export function le_f32(a: usize, b: usize, out: usize, n: i32): void { cmp32(LE, a, b, out, n); }
export function gt_f32(a: usize, b: usize, out: usize, n: i32): void { cmp32(GT, a, b, out, n); }
export function ge_f32(a: usize, b: usize, out: usize, n: i32): void { cmp32(GE, a, b, out, n); }
export function eq_f32(a: usize, b: usize, out: usize, n: i32): void { cmp32(EQ, a, b, out, n); }
export function ne_f32(a: usize, b: usize, out: usize, n: i32): void { cmp32(NE, a, b, out, n); }
export function lt_f64(a: usize, b: usize, out: usize, n: i32): void { cmp64(LT, a, b, out, n); }
export function le_f64(a: usize, b: usize, out: usize, n: i32): void { cmp64(LE, a, b, out, n); }
export function gt_f64(a: usize, b: usize, out: usize, n: i32): void { cmp64(GT, a, b, out, n); }
export function ge_f64(a: usize, b: usize, out: usize, n: i32): void { cmp64(GE, a, b, out, n); }
export function eq_f64(a: usize, b: usize, out: usize, n: i32): void { cmp64(EQ, a, b, out, n); }
export function ne_f64(a: usize, b: usize, out: usize, n: i32): void { cmp64(NE, a, b, out, n); }

// Bool equality compares truthiness ((a != 0) == (b != 0)), so a stray non-0/1 byte
// still behaves like `true`.
@inline function cmpBool(ne: bool, a: usize, b: usize, out: usize, n: i32): void {
  if (n <= 0) return;
  const body = <usize>(n & ~15), end = <usize>n;
  const zero = i8x16.splat(0), one = i8x16.splat(1);
  let i: usize = 0;
  for (; i < body; i += 16) {
    const za = i8x16.eq(v128.load(a + i), zero);
    const zb = i8x16.eq(v128.load(b + i), zero);
    const m = ne ? i8x16.ne(za, zb) : i8x16.eq(za, zb);
    v128.store(out + i, v128.and(m, one));
  }
  for (; i < end; i++) {
    const eq = (load<u8>(a + i) != 0) == (load<u8>(b + i) != 0);
    store<u8>(out + i, <u8>(eq != ne));
  }
}

export function eq_bool(a: usize, b: usize, out: usize, n: i32): void { cmpBool(false, a, b, out, n); }
export function ne_bool(a: usize, b: usize, out: usize, n: i32): void { cmpBool(true, a, b, out, n); }

// ---- select: out[i] = c[i] != 0 ? a[i] : b[i] (values copied bit-exactly) ----

export function select_f32(c: usize, a: usize, b: usize, out: usize, n: i32): void {
  if (n <= 0) return;
  const body = n & ~15;
  const zero = i8x16.splat(0);
  let i = 0;
  for (; i < body; i += 16) {
    const m8 = i8x16.ne(v128.load(c + <usize>i), zero);
    const lo = i16x8.extend_low_i8x16_s(m8), hi = i16x8.extend_high_i8x16_s(m8);
    const off = <usize>i << 2;
    const pa = a + off, pb = b + off, po = out + off;
    v128.store(po, v128.bitselect(v128.load(pa), v128.load(pb), i32x4.extend_low_i16x8_s(lo)));
    v128.store(po, v128.bitselect(v128.load(pa, 16), v128.load(pb, 16), i32x4.extend_high_i16x8_s(lo)), 16);
    v128.store(po, v128.bitselect(v128.load(pa, 32), v128.load(pb, 32), i32x4.extend_low_i16x8_s(hi)), 32);
    v128.store(po, v128.bitselect(v128.load(pa, 48), v128.load(pb, 48), i32x4.extend_high_i16x8_s(hi)), 48);
  }
  for (; i < n; i++) {
    const off = <usize>i << 2;
    store<u32>(out + off, load<u8>(c + <usize>i) != 0 ? load<u32>(a + off) : load<u32>(b + off));
  }
}

export function select_f64(c: usize, a: usize, b: usize, out: usize, n: i32): void {
  if (n <= 0) return;
  const body = n & ~7;
  const zero = i16x8.splat(0);
  let i = 0;
  for (; i < body; i += 8) {
    // 8 condition bytes, zero-extended to i16 lanes, then compared to get 16-bit masks.
    const m16 = i16x8.ne(v128.load8x8_u(c + <usize>i), zero);
    const lo = i32x4.extend_low_i16x8_s(m16), hi = i32x4.extend_high_i16x8_s(m16);
    const off = <usize>i << 3;
    const pa = a + off, pb = b + off, po = out + off;
    v128.store(po, v128.bitselect(v128.load(pa), v128.load(pb), i64x2.extend_low_i32x4_s(lo)));
    v128.store(po, v128.bitselect(v128.load(pa, 16), v128.load(pb, 16), i64x2.extend_high_i32x4_s(lo)), 16);
    v128.store(po, v128.bitselect(v128.load(pa, 32), v128.load(pb, 32), i64x2.extend_low_i32x4_s(hi)), 32);
    v128.store(po, v128.bitselect(v128.load(pa, 48), v128.load(pb, 48), i64x2.extend_high_i32x4_s(hi)), 48);
  }
  for (; i < n; i++) {
    const off = <usize>i << 3;
    store<u64>(out + off, load<u8>(c + <usize>i) != 0 ? load<u64>(a + off) : load<u64>(b + off));
  }
}

export function select_bool(c: usize, a: usize, b: usize, out: usize, n: i32): void {
  if (n <= 0) return;
  const body = <usize>(n & ~15), end = <usize>n;
  const zero = i8x16.splat(0);
  let i: usize = 0;
  for (; i < body; i += 16) {
    const m = i8x16.ne(v128.load(c + i), zero);
    v128.store(out + i, v128.bitselect(v128.load(a + i), v128.load(b + i), m));
  }
  for (; i < end; i++) {
    store<u8>(out + i, load<u8>(c + i) != 0 ? load<u8>(a + i) : load<u8>(b + i));
  }
}
