// Comparisons (bool out, no derivative) and select, which is linear in its two branches.
import { defineOp, ZERO_JVP, NOT_LINEAR } from '../registry';
import { LT, LE, GT, GE, EQ, NE, SELECT } from '../ops';
import { rowA, rowB, rowC, rowOp, rowDtype, rowPtr, rowSize, setDtype, shareShape, isLinear } from '../tape';
import { e3 } from '../emit';
import { fullLike } from '../builder';
import { binarySameShape, dimsEqual } from '../shapes';
import { tangentOf } from '../tangents';
import { accumulate } from '../cotangents';
import { E_OK, E_DTYPE, E_SHAPE } from '../../errors';
import { F32, F64, BOOL } from '../../dtype';
import * as K from '../../kernels/compare';

function compareShape(r: i32): i32 {
  const dt = rowDtype(rowA(r));
  const op = rowOp(r);
  if (dt != F32 && dt != F64 && !(dt == BOOL && (op == EQ || op == NE))) return E_DTYPE;
  return binarySameShape(r, BOOL);
}

function compareKernel(r: i32): void {
  const a = rowPtr(rowA(r)), b = rowPtr(rowB(r)), out = rowPtr(r), n = rowSize(r);
  const dt = rowDtype(rowA(r));
  const f32 = dt == F32;
  switch (rowOp(r)) {
    case LT: if (f32) K.lt_f32(a, b, out, n); else K.lt_f64(a, b, out, n); break;
    case LE: if (f32) K.le_f32(a, b, out, n); else K.le_f64(a, b, out, n); break;
    case GT: if (f32) K.gt_f32(a, b, out, n); else K.gt_f64(a, b, out, n); break;
    case GE: if (f32) K.ge_f32(a, b, out, n); else K.ge_f64(a, b, out, n); break;
    case EQ: if (dt == BOOL) K.eq_bool(a, b, out, n); else if (f32) K.eq_f32(a, b, out, n); else K.eq_f64(a, b, out, n); break;
    case NE: if (dt == BOOL) K.ne_bool(a, b, out, n); else if (f32) K.ne_f32(a, b, out, n); else K.ne_f64(a, b, out, n); break;
  }
}

function selectShape(r: i32): i32 {
  const c = rowA(r), a = rowB(r), b = rowC(r);
  if (rowDtype(c) != BOOL || rowDtype(a) != rowDtype(b)) return E_DTYPE;
  if (!dimsEqual(c, a) || !dimsEqual(a, b)) return E_SHAPE;
  setDtype(r, rowDtype(a));
  shareShape(r, a);
  return E_OK;
}
function selectKernel(r: i32): void {
  const c = rowPtr(rowA(r)), a = rowPtr(rowB(r)), b = rowPtr(rowC(r)), out = rowPtr(r), n = rowSize(r);
  const dt = rowDtype(r);
  if (dt == F32) K.select_f32(c, a, b, out, n);
  else if (dt == F64) K.select_f64(c, a, b, out, n);
  else K.select_bool(c, a, b, out, n);
}
function selectJvp(r: i32): i32 {
  let ta = tangentOf(rowB(r)), tb = tangentOf(rowC(r));
  if (ta < 0 && tb < 0) return -1;
  if (ta < 0) ta = fullLike(tb, 0.0);
  if (tb < 0) tb = fullLike(ta, 0.0);
  return e3(SELECT, rowA(r), ta, tb);
}
function selectTranspose(r: i32, ct: i32): void {
  const c = rowA(r), a = rowB(r), b = rowC(r);
  if (isLinear(a)) accumulate(a, e3(SELECT, c, ct, fullLike(ct, 0.0)));
  if (isLinear(b)) accumulate(b, e3(SELECT, c, fullLike(ct, 0.0), ct));
}

export function registerCompare(): void {
  defineOp(LT, 'lt', 2, compareShape, compareKernel, ZERO_JVP, NOT_LINEAR);
  defineOp(LE, 'le', 2, compareShape, compareKernel, ZERO_JVP, NOT_LINEAR);
  defineOp(GT, 'gt', 2, compareShape, compareKernel, ZERO_JVP, NOT_LINEAR);
  defineOp(GE, 'ge', 2, compareShape, compareKernel, ZERO_JVP, NOT_LINEAR);
  defineOp(EQ, 'eq', 2, compareShape, compareKernel, ZERO_JVP, NOT_LINEAR);
  defineOp(NE, 'ne', 2, compareShape, compareKernel, ZERO_JVP, NOT_LINEAR);
  defineOp(SELECT, 'select', 3, selectShape, selectKernel, selectJvp, selectTranspose);
}
