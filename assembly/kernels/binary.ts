// Element-wise same-shape binary kernels: (a, b, out, n); out may alias a or b.
//
// add/sub/mul/div are single IEEE-rounded operations, so the SIMD body and the scalar
// tail agree bit for bit (division by zero gives ±inf / NaN as in JS). Their loops
// handle two vectors per iteration to halve loop overhead on these memory-bound ops.
// pow goes through vmath's SIMD routine; its tail uses a zero-padded partial vector
// so that tail lanes are computed by exactly the same code as body lanes.
import { pow_f32x4, pow_f64x2 } from './vmath';
import { loadPart32, storePart32 } from './lanes';

// Operation codes for the shared loop below; always passed as constants, so after
// inlining the switch folds away and each export gets its own straight loop.
const ADD = 0, SUB = 1, MUL = 2, DIV = 3;

@inline function vop<T>(op: i32, x: v128, y: v128): v128 {
  if (op == ADD) return v128.add<T>(x, y);
  if (op == SUB) return v128.sub<T>(x, y);
  if (op == MUL) return v128.mul<T>(x, y);
  return v128.div<T>(x, y);
}

@inline function sop<T>(op: i32, x: T, y: T): T {
  if (op == ADD) return x + y;
  if (op == SUB) return x - y;
  if (op == MUL) return x * y;
  return x / y;
}

@inline function arith<T>(op: i32, a: usize, b: usize, out: usize, n: i32): void {
  if (n <= 0) return;
  const end = <usize>n * sizeof<T>();
  const body2 = end & ~31;
  let i: usize = 0;
  for (; i < body2; i += 32) {
    const r0 = vop<T>(op, v128.load(a + i), v128.load(b + i));
    const r1 = vop<T>(op, v128.load(a + i, 16), v128.load(b + i, 16));
    v128.store(out + i, r0);
    v128.store(out + i, r1, 16);
  }
  if (end - i >= 16) {
    v128.store(out + i, vop<T>(op, v128.load(a + i), v128.load(b + i)));
    i += 16;
  }
  for (; i < end; i += sizeof<T>()) {
    store<T>(out + i, sop<T>(op, load<T>(a + i), load<T>(b + i)));
  }
}

export function add_f32(a: usize, b: usize, out: usize, n: i32): void { arith<f32>(ADD, a, b, out, n); }
export function sub_f32(a: usize, b: usize, out: usize, n: i32): void { arith<f32>(SUB, a, b, out, n); }
export function mul_f32(a: usize, b: usize, out: usize, n: i32): void { arith<f32>(MUL, a, b, out, n); }
export function div_f32(a: usize, b: usize, out: usize, n: i32): void { arith<f32>(DIV, a, b, out, n); }
export function add_f64(a: usize, b: usize, out: usize, n: i32): void { arith<f64>(ADD, a, b, out, n); }
export function sub_f64(a: usize, b: usize, out: usize, n: i32): void { arith<f64>(SUB, a, b, out, n); }
export function mul_f64(a: usize, b: usize, out: usize, n: i32): void { arith<f64>(MUL, a, b, out, n); }
export function div_f64(a: usize, b: usize, out: usize, n: i32): void { arith<f64>(DIV, a, b, out, n); }

export function pow_f32(a: usize, b: usize, out: usize, n: i32): void {
  if (n <= 0) return;
  const body = <usize>(n & ~3) << 2, r = n & 3;
  for (let i: usize = 0; i < body; i += 16) {
    v128.store(out + i, pow_f32x4(v128.load(a + i), v128.load(b + i)));
  }
  if (r) storePart32(out + body, pow_f32x4(loadPart32(a + body, r), loadPart32(b + body, r)), r);
}

export function pow_f64(a: usize, b: usize, out: usize, n: i32): void {
  if (n <= 0) return;
  const body = <usize>(n & ~1) << 3;
  for (let i: usize = 0; i < body; i += 16) {
    v128.store(out + i, pow_f64x2(v128.load(a + i), v128.load(b + i)));
  }
  if (n & 1) {
    const v = pow_f64x2(v128.load64_zero(a + body), v128.load64_zero(b + body));
    v128.store64_lane(out + body, v, 0);
  }
}
