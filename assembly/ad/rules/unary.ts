// Elementwise functions of one float operand. JVPs from the closed-form derivatives:
// d exp = exp, d log = 1/x, d sin = cos, d cos = -sin, d tanh = 1 - tanh^2, d sqrt = 1/(2 sqrt).
import { defineOp, NOT_LINEAR } from '../registry';
import { NEG, EXP, LOG, SIN, COS, TANH, SQRT, MUL, DIV, SUB } from '../ops';
import { rowA, rowOp, rowDtype, rowPtr, rowSize } from '../tape';
import { e1, e2 } from '../emit';
import { fullLike } from '../builder';
import { unaryFloatShape } from '../shapes';
import { tangentOf } from '../tangents';
import { accumulate } from '../cotangents';
import { F32 } from '../../dtype';
import * as K from '../../kernels/unary';

function kernel(r: i32): void {
  const x = rowPtr(rowA(r)), out = rowPtr(r), n = rowSize(r);
  const f32 = rowDtype(r) == F32;
  switch (rowOp(r)) {
    case NEG: if (f32) K.neg_f32(x, out, n); else K.neg_f64(x, out, n); break;
    case EXP: if (f32) K.exp_f32(x, out, n); else K.exp_f64(x, out, n); break;
    case LOG: if (f32) K.log_f32(x, out, n); else K.log_f64(x, out, n); break;
    case SIN: if (f32) K.sin_f32(x, out, n); else K.sin_f64(x, out, n); break;
    case COS: if (f32) K.cos_f32(x, out, n); else K.cos_f64(x, out, n); break;
    case TANH: if (f32) K.tanh_f32(x, out, n); else K.tanh_f64(x, out, n); break;
    case SQRT: if (f32) K.sqrt_f32(x, out, n); else K.sqrt_f64(x, out, n); break;
  }
}

function negJvp(r: i32): i32 { return e1(NEG, tangentOf(rowA(r))); }
function negTranspose(r: i32, ct: i32): void { accumulate(rowA(r), e1(NEG, ct)); }
function expJvp(r: i32): i32 { return e2(MUL, tangentOf(rowA(r)), r); }
function logJvp(r: i32): i32 { return e2(DIV, tangentOf(rowA(r)), rowA(r)); }
function sinJvp(r: i32): i32 { return e2(MUL, tangentOf(rowA(r)), e1(COS, rowA(r))); }
function cosJvp(r: i32): i32 { return e2(MUL, tangentOf(rowA(r)), e1(NEG, e1(SIN, rowA(r)))); }
function tanhJvp(r: i32): i32 {
  return e2(MUL, tangentOf(rowA(r)), e2(SUB, fullLike(r, 1.0), e2(MUL, r, r)));
}
function sqrtJvp(r: i32): i32 { return e2(DIV, tangentOf(rowA(r)), e2(MUL, fullLike(r, 2.0), r)); }

export function registerUnary(): void {
  defineOp(NEG, 'neg', 1, unaryFloatShape, kernel, negJvp, negTranspose);
  defineOp(EXP, 'exp', 1, unaryFloatShape, kernel, expJvp, NOT_LINEAR);
  defineOp(LOG, 'log', 1, unaryFloatShape, kernel, logJvp, NOT_LINEAR);
  defineOp(SIN, 'sin', 1, unaryFloatShape, kernel, sinJvp, NOT_LINEAR);
  defineOp(COS, 'cos', 1, unaryFloatShape, kernel, cosJvp, NOT_LINEAR);
  defineOp(TANH, 'tanh', 1, unaryFloatShape, kernel, tanhJvp, NOT_LINEAR);
  defineOp(SQRT, 'sqrt', 1, unaryFloatShape, kernel, sqrtJvp, NOT_LINEAR);
}
