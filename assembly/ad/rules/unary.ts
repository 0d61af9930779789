// Elementwise functions of one float operand. JVPs from the closed-form derivatives:
// d exp = exp, d log = 1/x, d sin = cos, d cos = -sin, d tanh = 1 - tanh^2, d sqrt = 1/(2 sqrt).
import { defineOp, defKernel, defJvp, defTranspose, neverLinear , defBatch } from '../registry';
import { batchElementwise } from '../batching';
import { NEG, EXP, LOG, SIN, COS, TANH, COSH, SQRT, MUL, DIV, SUB } from '../ops';
import { rowA, rowOp, rowPtr, rowSize, rowDtype } from '../tape';
import { e1, e2 } from '../emit';
import { fullLike } from '../builder';
import { unaryInexactShape, unaryArithShape } from '../shape_rules';
import { tangentOf, accumulate } from '../maps';
import { F32, F64, I32, U32, C64, C128 } from '../../dtype';
import { neg_i32 } from '../../kernels/integer';
import * as K from '../../kernels/unary';
import * as KC from '../../kernels/complex';
import { vec_c64, vec_c128 } from '../../kernels/complex_vec';

function kernelF32(r: i32): void {
  const x = rowPtr(rowA(r)), out = rowPtr(r), n = rowSize(r);
  switch (rowOp(r)) {
    case NEG: K.neg_f32(x, out, n); break;
    case EXP: K.exp_f32(x, out, n); break;
    case LOG: K.log_f32(x, out, n); break;
    case SIN: K.sin_f32(x, out, n); break;
    case COS: K.cos_f32(x, out, n); break;
    case TANH: K.tanh_f32(x, out, n); break;
    case SQRT: K.sqrt_f32(x, out, n); break;
  }
}
function kernelF64(r: i32): void {
  const x = rowPtr(rowA(r)), out = rowPtr(r), n = rowSize(r);
  switch (rowOp(r)) {
    case NEG: K.neg_f64(x, out, n); break;
    case EXP: K.exp_f64(x, out, n); break;
    case LOG: K.log_f64(x, out, n); break;
    case SIN: K.sin_f64(x, out, n); break;
    case COS: K.cos_f64(x, out, n); break;
    case TANH: K.tanh_f64(x, out, n); break;
    case SQRT: K.sqrt_f64(x, out, n); break;
  }
}

// Complex: neg on the 2n interleaved parts; the rest through kernels/complex_vec.ts.
function kernelComplex(r: i32): void {
  const x = rowPtr(rowA(r)), out = rowPtr(r), n = rowSize(r), wide = rowDtype(r) == C128;
  let f = KC.C_EXP;
  switch (rowOp(r)) {
    case NEG: if (wide) K.neg_f64(x, out, 2 * n); else K.neg_f32(x, out, 2 * n); return;
    case LOG: f = KC.C_LOG; break;
    case SIN: f = KC.C_SIN; break;
    case COS: f = KC.C_COS; break;
    case TANH: f = KC.C_TANH; break;
    case SQRT: f = KC.C_SQRT; break;
  }
  if (wide) vec_c128(f, x, out, n); else vec_c64(f, x, out, n); // f64x2 SIMD
}

function negInt(r: i32): void { neg_i32(rowPtr(rowA(r)), rowPtr(r), rowSize(r)); } // wraps, as XLA

function negJvp(r: i32): i32 { return e1(NEG, tangentOf(rowA(r))); }
function negTranspose(r: i32, ct: i32): void { accumulate(rowA(r), e1(NEG, ct)); }
function expJvp(r: i32): i32 { return e2(MUL, tangentOf(rowA(r)), r); }
function logJvp(r: i32): i32 { return e2(DIV, tangentOf(rowA(r)), rowA(r)); }
function sinJvp(r: i32): i32 { return e2(MUL, tangentOf(rowA(r)), e1(COS, rowA(r))); }
function cosJvp(r: i32): i32 { return e2(MUL, tangentOf(rowA(r)), e1(NEG, e1(SIN, rowA(r)))); }
// 1 - y^2 (JAX's). Complex: 1 / cosh^2 x, as 1 - y^2 cancels where y is near +-1 and the
// derivative tiny (1e-4 relative off at 8 of 400 random points, absolute ~1e-16).
function tanhJvp(r: i32): i32 {
  const x = rowA(r), d = rowDtype(x);
  if (d == C64 || d == C128) { const c = e1(COSH, x); return e2(DIV, tangentOf(x), e2(MUL, c, c)); }
  return e2(MUL, tangentOf(x), e2(SUB, fullLike(r, 1.0), e2(MUL, r, r)));
}
function sqrtJvp(r: i32): i32 { return e2(DIV, tangentOf(rowA(r)), e2(MUL, fullLike(r, 2.0), r)); }

function unaryOp(op: i32, name: string, jvp: (r: i32) => i32): void {
  defineOp(op, name, 1, op == NEG ? unaryArithShape : unaryInexactShape);
  defKernel(op, F32, kernelF32);
  defKernel(op, F64, kernelF64);
  defKernel(op, C64, kernelComplex);
  defKernel(op, C128, kernelComplex);
  defJvp(op, jvp);
  neverLinear(op);
  defBatch(op, batchElementwise);
}

export function registerUnary(): void {
  unaryOp(NEG, 'neg', negJvp);
  defKernel(NEG, I32, negInt); defKernel(NEG, U32, negInt);
  defTranspose(NEG, negTranspose); // neg is linear
  unaryOp(EXP, 'exp', expJvp);
  unaryOp(LOG, 'log', logJvp);
  unaryOp(SIN, 'sin', sinJvp);
  unaryOp(COS, 'cos', cosJvp);
  unaryOp(TANH, 'tanh', tanhJvp);
  unaryOp(SQRT, 'sqrt', sqrtJvp);
}
