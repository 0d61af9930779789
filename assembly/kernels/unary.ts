// Element-wise unary kernels: (x, out, n), out may equal x.
//
// The body handles one v128 per iteration (4 f32 / 2 f64). neg and sqrt are exact
// IEEE operations, so a scalar tail gives the same bits as the vector body. The
// transcendental kernels instead feed their tail through the same SIMD routine on a
// zero-padded partial vector, so an element's result never depends on its position.
import {
  exp_f32x4, log_f32x4, sin_f32x4, cos_f32x4, tanh_f32x4,
  exp_f64x2, log_f64x2, sin_f64x2, cos_f64x2, tanh_f64x2,
} from './vmath';
import { loadPart32, storePart32 } from './lanes';


// ---- exact ops: vector body + scalar tail ----

export function neg_f32(x: usize, out: usize, n: i32): void {
  if (n <= 0) return;
  const body = <usize>(n & ~3) << 2, end = <usize>n << 2;
  let i: usize = 0;
  for (; i < body; i += 16) v128.store(out + i, f32x4.neg(v128.load(x + i)));
  for (; i < end; i += 4) store<f32>(out + i, -load<f32>(x + i));
}

export function neg_f64(x: usize, out: usize, n: i32): void {
  if (n <= 0) return;
  const body = <usize>(n & ~1) << 3;
  for (let i: usize = 0; i < body; i += 16) v128.store(out + i, f64x2.neg(v128.load(x + i)));
  if (n & 1) store<f64>(out + body, -load<f64>(x + body));
}

export function sqrt_f32(x: usize, out: usize, n: i32): void {
  if (n <= 0) return;
  const body = <usize>(n & ~3) << 2, end = <usize>n << 2;
  let i: usize = 0;
  for (; i < body; i += 16) v128.store(out + i, f32x4.sqrt(v128.load(x + i)));
  for (; i < end; i += 4) store<f32>(out + i, Mathf.sqrt(load<f32>(x + i)));
}

export function sqrt_f64(x: usize, out: usize, n: i32): void {
  if (n <= 0) return;
  const body = <usize>(n & ~1) << 3;
  for (let i: usize = 0; i < body; i += 16) v128.store(out + i, f64x2.sqrt(v128.load(x + i)));
  if (n & 1) store<f64>(out + body, Math.sqrt(load<f64>(x + body)));
}

// ---- transcendental ops: vector body + partial-vector tail through the same routine ----

export function exp_f32(x: usize, out: usize, n: i32): void {
  if (n <= 0) return;
  const body = <usize>(n & ~3) << 2, r = n & 3;
  for (let i: usize = 0; i < body; i += 16) v128.store(out + i, exp_f32x4(v128.load(x + i)));
  if (r) storePart32(out + body, exp_f32x4(loadPart32(x + body, r)), r);
}

export function log_f32(x: usize, out: usize, n: i32): void {
  if (n <= 0) return;
  const body = <usize>(n & ~3) << 2, r = n & 3;
  for (let i: usize = 0; i < body; i += 16) v128.store(out + i, log_f32x4(v128.load(x + i)));
  if (r) storePart32(out + body, log_f32x4(loadPart32(x + body, r)), r);
}

export function sin_f32(x: usize, out: usize, n: i32): void {
  if (n <= 0) return;
  const body = <usize>(n & ~3) << 2, r = n & 3;
  for (let i: usize = 0; i < body; i += 16) v128.store(out + i, sin_f32x4(v128.load(x + i)));
  if (r) storePart32(out + body, sin_f32x4(loadPart32(x + body, r)), r);
}

export function cos_f32(x: usize, out: usize, n: i32): void {
  if (n <= 0) return;
  const body = <usize>(n & ~3) << 2, r = n & 3;
  for (let i: usize = 0; i < body; i += 16) v128.store(out + i, cos_f32x4(v128.load(x + i)));
  if (r) storePart32(out + body, cos_f32x4(loadPart32(x + body, r)), r);
}

export function tanh_f32(x: usize, out: usize, n: i32): void {
  if (n <= 0) return;
  const body = <usize>(n & ~3) << 2, r = n & 3;
  for (let i: usize = 0; i < body; i += 16) v128.store(out + i, tanh_f32x4(v128.load(x + i)));
  if (r) storePart32(out + body, tanh_f32x4(loadPart32(x + body, r)), r);
}

export function exp_f64(x: usize, out: usize, n: i32): void {
  if (n <= 0) return;
  const body = <usize>(n & ~1) << 3;
  for (let i: usize = 0; i < body; i += 16) v128.store(out + i, exp_f64x2(v128.load(x + i)));
  if (n & 1) v128.store64_lane(out + body, exp_f64x2(v128.load64_zero(x + body)), 0);
}

export function log_f64(x: usize, out: usize, n: i32): void {
  if (n <= 0) return;
  const body = <usize>(n & ~1) << 3;
  for (let i: usize = 0; i < body; i += 16) v128.store(out + i, log_f64x2(v128.load(x + i)));
  if (n & 1) v128.store64_lane(out + body, log_f64x2(v128.load64_zero(x + body)), 0);
}

export function sin_f64(x: usize, out: usize, n: i32): void {
  if (n <= 0) return;
  const body = <usize>(n & ~1) << 3;
  for (let i: usize = 0; i < body; i += 16) v128.store(out + i, sin_f64x2(v128.load(x + i)));
  if (n & 1) v128.store64_lane(out + body, sin_f64x2(v128.load64_zero(x + body)), 0);
}

export function cos_f64(x: usize, out: usize, n: i32): void {
  if (n <= 0) return;
  const body = <usize>(n & ~1) << 3;
  for (let i: usize = 0; i < body; i += 16) v128.store(out + i, cos_f64x2(v128.load(x + i)));
  if (n & 1) v128.store64_lane(out + body, cos_f64x2(v128.load64_zero(x + body)), 0);
}

export function tanh_f64(x: usize, out: usize, n: i32): void {
  if (n <= 0) return;
  const body = <usize>(n & ~1) << 3;
  for (let i: usize = 0; i < body; i += 16) v128.store(out + i, tanh_f64x2(v128.load(x + i)));
  if (n & 1) v128.store64_lane(out + body, tanh_f64x2(v128.load64_zero(x + body)), 0);
}
