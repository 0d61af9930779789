// dtype conversions and fills.
//
// Conversions are pure widen/narrow shuffles, so each loop is sized to fill whole
// vectors on both sides: f32<->f64 move 4 elements per iteration (one f32x4, two f64x2),
// bool->float widens 16 (or 8) bytes at a time, and float->bool packs 16 compare masks
// into one v128 of bytes. Bool inputs are read by truthiness (any non-zero byte is 1).
// f64->f32 uses the f32 demotion (round to nearest even), in the vector body and the tail.
import { loadPart32, storePart32 } from './lanes';

export function convert_f32_f64(x: usize, out: usize, n: i32): void {
  if (n <= 0) return;
  const body = n & ~3;
  let i = 0;
  for (; i < body; i += 4) {
    const v = v128.load(x + (<usize>i << 2));
    const po = out + (<usize>i << 3);
    v128.store(po, f64x2.promote_low_f32x4(v));
    v128.store(po, f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 2, 3)), 16);
  }
  for (; i < n; i++) store<f64>(out + (<usize>i << 3), <f64>load<f32>(x + (<usize>i << 2)));
}

export function convert_f64_f32(x: usize, out: usize, n: i32): void {
  if (n <= 0) return;
  const body = n & ~3;
  let i = 0;
  for (; i < body; i += 4) {
    const px = x + (<usize>i << 3);
    const d0 = f32x4.demote_f64x2_zero(v128.load(px));
    const d1 = f32x4.demote_f64x2_zero(v128.load(px, 16));
    v128.store(out + (<usize>i << 2), i32x4.shuffle(d0, d1, 0, 1, 4, 5));
  }
  for (; i < n; i++) store<f32>(out + (<usize>i << 2), <f32>load<f64>(x + (<usize>i << 3)));
}

export function convert_bool_f32(x: usize, out: usize, n: i32): void {
  if (n <= 0) return;
  const body = n & ~15;
  const one = i8x16.splat(1);
  let i = 0;
  for (; i < body; i += 16) {
    const b = i8x16.min_u(v128.load(x + <usize>i), one);
    const lo = i16x8.extend_low_i8x16_u(b), hi = i16x8.extend_high_i8x16_u(b);
    const po = out + (<usize>i << 2);
    v128.store(po, f32x4.convert_i32x4_s(i32x4.extend_low_i16x8_u(lo)));
    v128.store(po, f32x4.convert_i32x4_s(i32x4.extend_high_i16x8_u(lo)), 16);
    v128.store(po, f32x4.convert_i32x4_s(i32x4.extend_low_i16x8_u(hi)), 32);
    v128.store(po, f32x4.convert_i32x4_s(i32x4.extend_high_i16x8_u(hi)), 48);
  }
  for (; i < n; i++) store<f32>(out + (<usize>i << 2), load<u8>(x + <usize>i) != 0 ? 1 : 0);
}

export function convert_bool_f64(x: usize, out: usize, n: i32): void {
  if (n <= 0) return;
  const body = n & ~7;
  const one = i16x8.splat(1);
  let i = 0;
  for (; i < body; i += 8) {
    const w = i16x8.min_u(v128.load8x8_u(x + <usize>i), one);
    const lo = i32x4.extend_low_i16x8_u(w), hi = i32x4.extend_high_i16x8_u(w);
    const po = out + (<usize>i << 3);
    v128.store(po, f64x2.convert_low_i32x4_s(lo));
    v128.store(po, f64x2.convert_low_i32x4_s(i32x4.shuffle(lo, lo, 2, 3, 2, 3)), 16);
    v128.store(po, f64x2.convert_low_i32x4_s(hi), 32);
    v128.store(po, f64x2.convert_low_i32x4_s(i32x4.shuffle(hi, hi, 2, 3, 2, 3)), 48);
  }
  for (; i < n; i++) store<f64>(out + (<usize>i << 3), load<u8>(x + <usize>i) != 0 ? 1 : 0);
}

// Four i32x4 masks -> 16 bytes of 0/1.
@inline function packMasks32(m0: v128, m1: v128, m2: v128, m3: v128): v128 {
  const w0 = i16x8.narrow_i32x4_s(m0, m1);
  const w1 = i16x8.narrow_i32x4_s(m2, m3);
  return v128.and(i8x16.narrow_i16x8_s(w0, w1), i8x16.splat(1));
}

// x != 0 is true for NaN and false for both zeros, exactly the truthiness we want.
export function convert_f32_bool(x: usize, out: usize, n: i32): void {
  if (n <= 0) return;
  const body = n & ~15;
  const z = f32x4.splat(0);
  let i = 0;
  for (; i < body; i += 16) {
    const px = x + (<usize>i << 2);
    v128.store(out + <usize>i, packMasks32(
      f32x4.ne(v128.load(px), z), f32x4.ne(v128.load(px, 16), z),
      f32x4.ne(v128.load(px, 32), z), f32x4.ne(v128.load(px, 48), z)));
  }
  for (; i < n; i++) store<u8>(out + <usize>i, <u8>(load<f32>(x + (<usize>i << 2)) != 0));
}

export function convert_f64_bool(x: usize, out: usize, n: i32): void {
  if (n <= 0) return;
  const body = n & ~15;
  const z = f64x2.splat(0);
  let i = 0;
  for (; i < body; i += 16) {
    const px = x + (<usize>i << 3);
    // i64x2 masks -> i32x4 masks by keeping each lane's low half.
    const m0 = i32x4.shuffle(f64x2.ne(v128.load(px), z), f64x2.ne(v128.load(px, 16), z), 0, 2, 4, 6);
    const m1 = i32x4.shuffle(f64x2.ne(v128.load(px, 32), z), f64x2.ne(v128.load(px, 48), z), 0, 2, 4, 6);
    const m2 = i32x4.shuffle(f64x2.ne(v128.load(px, 64), z), f64x2.ne(v128.load(px, 80), z), 0, 2, 4, 6);
    const m3 = i32x4.shuffle(f64x2.ne(v128.load(px, 96), z), f64x2.ne(v128.load(px, 112), z), 0, 2, 4, 6);
    v128.store(out + <usize>i, packMasks32(m0, m1, m2, m3));
  }
  for (; i < n; i++) store<u8>(out + <usize>i, <u8>(load<f64>(x + (<usize>i << 3)) != 0));
}

// ---- fills: splat once, store whole vectors, finish with scalar stores ----

export function fill_f32(out: usize, n: i32, value: f64): void {
  if (n <= 0) return;
  const v = <f32>value;
  const s = f32x4.splat(v);
  const body = <usize>(n & ~3) << 2, end = <usize>n << 2;
  let i: usize = 0;
  for (; i < body; i += 16) v128.store(out + i, s);
  for (; i < end; i += 4) store<f32>(out + i, v);
}

export function fill_f64(out: usize, n: i32, value: f64): void {
  if (n <= 0) return;
  const s = f64x2.splat(value);
  const body = <usize>(n & ~1) << 3;
  for (let i: usize = 0; i < body; i += 16) v128.store(out + i, s);
  if (n & 1) store<f64>(out + body, value);
}

// value != 0 -> 1 (NaN counts as true, like convert_*_bool).
export function fill_bool(out: usize, n: i32, value: f64): void {
  if (n <= 0) return;
  memory.fill(out, value != 0 ? 1 : 0, <usize>n);
}

// ---- int32 / uint32 conversions. Float to int saturates and sends NaN to 0 (XLA's
// convert_element_type; wasm's trunc_sat does exactly that); int32 <-> uint32 keeps the bits
// (wraps, as JAX). Tails go through the same SIMD instruction on a partial vector. ----

const I2F = 0, U2F = 1, F2I = 2, F2U = 3;
@inline function cv32(op: i32, v: v128): v128 {
  if (op == I2F) return f32x4.convert_i32x4_s(v);
  if (op == U2F) return f32x4.convert_i32x4_u(v);
  if (op == F2I) return i32x4.trunc_sat_f32x4_s(v);
  return i32x4.trunc_sat_f32x4_u(v);
}
@inline function conv32(op: i32, x: usize, out: usize, n: i32): void {
  if (n <= 0) return;
  const body = <usize>(n & ~3) << 2, r = n & 3;
  for (let i: usize = 0; i < body; i += 16) v128.store(out + i, cv32(op, v128.load(x + i)));
  if (r) storePart32(out + body, cv32(op, loadPart32(x + body, r)), r);
}
export function convert_i32_f32(x: usize, out: usize, n: i32): void { conv32(I2F, x, out, n); }
export function convert_u32_f32(x: usize, out: usize, n: i32): void { conv32(U2F, x, out, n); }
export function convert_f32_i32(x: usize, out: usize, n: i32): void { conv32(F2I, x, out, n); }
export function convert_f32_u32(x: usize, out: usize, n: i32): void { conv32(F2U, x, out, n); }

// f64 <-> 32-bit ints, two lanes at a time.
export function convert_i32_f64(x: usize, out: usize, n: i32, unsigned: bool): void {
  for (let i = 0; i < n; i += 2) {
    // the last odd element: read 4 bytes only (never past the buffer)
    const v = i + 1 < n ? v128.load64_zero(x + (<usize>i << 2)) : v128.load32_zero(x + (<usize>i << 2));
    const w = unsigned ? f64x2.convert_low_i32x4_u(v) : f64x2.convert_low_i32x4_s(v);
    v128.store64_lane(out + (<usize>i << 3), w, 0);
    if (i + 1 < n) v128.store64_lane(out + (<usize>i << 3), w, 1, 8);
  }
}
export function convert_f64_i32(x: usize, out: usize, n: i32, unsigned: bool): void {
  for (let i = 0; i < n; i += 2) {
    const v = i + 1 < n ? v128.load(x + (<usize>i << 3)) : v128.load64_zero(x + (<usize>i << 3));
    const w = unsigned ? i32x4.trunc_sat_f64x2_u_zero(v) : i32x4.trunc_sat_f64x2_s_zero(v);
    v128.store32_lane(out + (<usize>i << 2), w, 0);
    if (i + 1 < n) v128.store32_lane(out + (<usize>i << 2), w, 1, 4);
  }
}
// bool <-> int32: 16 bytes widened to four i32x4 (the byte's value, as the scalar tail), or
// four i32x4 != 0 masks narrowed to 16 bytes of 0/1.
export function convert_bool_i32(x: usize, out: usize, n: i32): void {
  const body = n & ~15;
  let i = 0;
  for (; i < body; i += 16) {
    const v = v128.load(x + <usize>i), lo = i16x8.extend_low_i8x16_u(v), hi = i16x8.extend_high_i8x16_u(v);
    const p = out + (<usize>i << 2);
    v128.store(p, i32x4.extend_low_i16x8_u(lo));
    v128.store(p, i32x4.extend_high_i16x8_u(lo), 16);
    v128.store(p, i32x4.extend_low_i16x8_u(hi), 32);
    v128.store(p, i32x4.extend_high_i16x8_u(hi), 48);
  }
  for (; i < n; i++) store<i32>(out + (<usize>i << 2), <i32>load<u8>(x + <usize>i));
}
export function convert_i32_bool(x: usize, out: usize, n: i32): void {
  const body = n & ~15, zero = i32x4.splat(0);
  let i = 0;
  for (; i < body; i += 16) {
    const p = x + (<usize>i << 2);
    const m0 = i32x4.ne(v128.load(p), zero), m1 = i32x4.ne(v128.load(p, 16), zero);
    const m2 = i32x4.ne(v128.load(p, 32), zero), m3 = i32x4.ne(v128.load(p, 48), zero);
    const b = i8x16.narrow_i16x8_s(i16x8.narrow_i32x4_s(m0, m1), i16x8.narrow_i32x4_s(m2, m3));
    v128.store(out + <usize>i, v128.and(b, i8x16.splat(1)));
  }
  for (; i < n; i++) store<u8>(out + <usize>i, <u8>(load<i32>(x + (<usize>i << 2)) != 0));
}
