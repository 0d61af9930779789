// Elementwise arithmetic of two same-shaped operands (float; add/sub/mul/div also int32 and
// uint32, wrapping, div truncating with XLA's results at 0 and INT_MIN / -1) (the numpy layer inserts explicit
// broadcast_in_dim rows, as jax.numpy does over lax). mul is linear in each operand separately
// and div in its numerator, which is all the JVP rules ever stage.
import { defineOp, defKernel, defJvp, defTranspose, neverLinear , defBatch } from '../registry';
import { batchElementwise } from '../batching';
import { ADD, SUB, MUL, DIV, POW, NEG, LOG, EQ, SELECT, AND, NOT } from '../ops';
import { rowA, rowB, rowOp, rowPtr, rowSize, rowDtype, isLinear } from '../tape';
import { e1, e2, e3 } from '../emit';
import { addT, fullLike } from '../builder';
import { binaryInexactShape, binaryArithShape } from '../shape_rules';
import { tangentOf, accumulate } from '../maps';
import { E_NOT_TRANSPOSABLE, fail } from '../../errors';
import { F32, F64, I32, U32, C64, C128 } from '../../dtype';
import * as KC from '../../kernels/complex';
import * as KV from '../../kernels/complex_vec';
import * as K from '../../kernels/binary';
import * as KI from '../../kernels/integer';

function kernelF32(r: i32): void {
  const a = rowPtr(rowA(r)), b = rowPtr(rowB(r)), out = rowPtr(r), n = rowSize(r);
  switch (rowOp(r)) {
    case ADD: K.add_f32(a, b, out, n); break;
    case SUB: K.sub_f32(a, b, out, n); break;
    case MUL: K.mul_f32(a, b, out, n); break;
    case DIV: K.div_f32(a, b, out, n); break;
    case POW: K.pow_f32(a, b, out, n); break;
  }
}
function kernelF64(r: i32): void {
  const a = rowPtr(rowA(r)), b = rowPtr(rowB(r)), out = rowPtr(r), n = rowSize(r);
  switch (rowOp(r)) {
    case ADD: K.add_f64(a, b, out, n); break;
    case SUB: K.sub_f64(a, b, out, n); break;
    case MUL: K.mul_f64(a, b, out, n); break;
    case DIV: K.div_f64(a, b, out, n); break;
    case POW: K.pow_f64(a, b, out, n); break;
  }
}

// Complex: add/sub on the 2n interleaved parts; mul/div/pow through kernels/complex.ts.
function kernelComplex(r: i32): void {
  const a = rowPtr(rowA(r)), b = rowPtr(rowB(r)), out = rowPtr(r), n = rowSize(r), wide = rowDtype(r) == C128;
  switch (rowOp(r)) {
    case ADD: if (wide) K.add_f64(a, b, out, 2 * n); else K.add_f32(a, b, out, 2 * n); break;
    case SUB: if (wide) K.sub_f64(a, b, out, 2 * n); else K.sub_f32(a, b, out, 2 * n); break;
    case MUL: if (wide) KC.mul_c128(a, b, out, n); else KC.mul_c64(a, b, out, n); break;
    case DIV: if (wide) KC.div_c128(a, b, out, n); else KC.div_c64(a, b, out, n); break;
    case POW: if (wide) KV.pow_c128(a, b, out, n); else KV.pow_c64(a, b, out, n); break; // f64x2 SIMD
  }
}

function kernelInt(r: i32): void {
  const a = rowPtr(rowA(r)), b = rowPtr(rowB(r)), out = rowPtr(r), n = rowSize(r), u = rowDtype(r) == U32;
  switch (rowOp(r)) {
    case ADD: KI.add_i32(a, b, out, n); break;
    case SUB: KI.sub_i32(a, b, out, n); break;
    case MUL: KI.mul_i32(a, b, out, n); break;
    case DIV: if (u) KI.div_u32(a, b, out, n); else KI.div_i32(a, b, out, n); break;
  }
}

function addJvp(r: i32): i32 { return addT(tangentOf(rowA(r)), tangentOf(rowB(r))); }
function addTranspose(r: i32, ct: i32): void { accumulate(rowA(r), ct); accumulate(rowB(r), ct); }

function subJvp(r: i32): i32 {
  const ta = tangentOf(rowA(r)), tb = tangentOf(rowB(r));
  if (tb < 0) return ta;
  if (ta < 0) return e1(NEG, tb);
  return e2(SUB, ta, tb);
}
function subTranspose(r: i32, ct: i32): void {
  accumulate(rowA(r), ct);
  if (isLinear(rowB(r))) accumulate(rowB(r), e1(NEG, ct));
}

function mulJvp(r: i32): i32 {
  const a = rowA(r), b = rowB(r), ta = tangentOf(a), tb = tangentOf(b);
  return addT(ta >= 0 ? e2(MUL, ta, b) : -1, tb >= 0 ? e2(MUL, a, tb) : -1);
}
function mulTranspose(r: i32, ct: i32): void {
  const a = rowA(r), b = rowB(r);
  if (isLinear(a) && isLinear(b)) fail(E_NOT_TRANSPOSABLE); // bilinear in two linear values
  if (isLinear(a)) accumulate(a, e2(MUL, ct, b));
  else accumulate(b, e2(MUL, a, ct));
}

// d(a/b) = da/b - db * (a/b)/b
function divJvp(r: i32): i32 {
  const b = rowB(r), ta = tangentOf(rowA(r)), tb = tangentOf(b);
  const x = ta >= 0 ? e2(DIV, ta, b) : -1;
  if (tb < 0) return x;
  const y = e2(MUL, tb, e2(DIV, r, b));
  return x < 0 ? e1(NEG, y) : e2(SUB, x, y);
}
function divTranspose(r: i32, ct: i32): void {
  if (isLinear(rowB(r))) fail(E_NOT_TRANSPOSABLE);
  accumulate(rowA(r), e2(DIV, ct, rowB(r)));
}

// d(a^b) = da * b a^(b-1) + db * log(a) a^b, with log(a) taken as 0 where a == 0 (as JAX does),
// so that x**2 at 0 and 0**y are not poisoned by log(0) = -inf times a zero tangent; and b a^(b-1)
// taken as 0 where b == 0 and a == 0, so x**0 at 0 is not 0 * 0^-1 = NaN, nor the second
// derivative of x**1 there. Only there: a select on b == 0 alone dropped the slope's own
// derivative in b (a^(b-1) + b a^(b-1) log a, which is 1/a at b = 0), so the mixed second
// derivative of x**p at p = 0 was 0 instead of 1/x, and (x**x)''' at 1 was 2 instead of 3.
// At b == 0 and a NaN the slope is 0 too (a^0 = 1 for every a; JAX's 0): 0 / a == 0 holds for
// finite nonzero a and for inf (whose slope, 0 inf^-1, is 0 already), not for 0 or NaN.
function powJvp(r: i32): i32 {
  const a = rowA(r), b = rowB(r), ta = tangentOf(a), tb = tangentOf(b);
  let t = -1;
  if (ta >= 0) {
    // (the slope not picked reads a = 1 there: its partials at 0^-1 were 0 * inf = NaN, which a
    // zero cotangent still turned into NaN in reverse mode one order up: (x^0)'' and (x^1)''' at 0)
    const ordinary = e2(EQ, e2(DIV, fullLike(a, 0.0), a), fullLike(a, 0.0));
    const singular = e2(AND, e2(EQ, b, fullLike(b, 0.0)), e1(NOT, ordinary));
    const slope = e2(MUL, b, e2(POW, e3(SELECT, singular, fullLike(a, 1.0), a), e2(SUB, b, fullLike(b, 1.0))));
    t = e2(MUL, ta, e3(SELECT, singular, fullLike(b, 0.0), slope));
  }
  if (tb >= 0) {
    const safeA = e3(SELECT, e2(EQ, a, fullLike(a, 0.0)), fullLike(a, 1.0), a);
    t = addT(t, e2(MUL, tb, e2(MUL, e1(LOG, safeA), r)));
  }
  return t;
}

function binaryOp(op: i32, name: string, jvp: (r: i32) => i32, ints: bool = true): void {
  defineOp(op, name, 2, ints ? binaryArithShape : binaryInexactShape);
  defKernel(op, F32, kernelF32);
  defKernel(op, F64, kernelF64);
  defKernel(op, C64, kernelComplex);
  defKernel(op, C128, kernelComplex);
  if (ints) { defKernel(op, I32, kernelInt); defKernel(op, U32, kernelInt); }
  defJvp(op, jvp);
  defBatch(op, batchElementwise);
}

export function registerBinary(): void {
  binaryOp(ADD, 'add', addJvp); defTranspose(ADD, addTranspose);
  binaryOp(SUB, 'sub', subJvp); defTranspose(SUB, subTranspose);
  binaryOp(MUL, 'mul', mulJvp); defTranspose(MUL, mulTranspose);
  binaryOp(DIV, 'div', divJvp); defTranspose(DIV, divTranspose);
  binaryOp(POW, 'pow', powJvp, false); neverLinear(POW);
}
