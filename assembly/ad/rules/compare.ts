// Comparisons (bool out, no derivative) and select, which is linear in its two branches.
// A comparison's kernel is chosen by its operands' dtype; select moves bits, so one kernel per
// element width serves every dtype of that width.
import { defineOp, defKernel, defJvp, defTranspose, nondiff, neverLinear, KEY_OPERAND , defBatch } from '../registry';
import { batchElementwise } from '../batching';
import { LT, LE, GT, GE, EQ, NE, SELECT } from '../ops';
import { rowA, rowB, rowC, rowOp, rowDtype, rowPtr, rowSize, setDtype, shareShape, isLinear, sameDims } from '../tape';
import { e3 } from '../emit';
import { fullLike } from '../builder';
import { binarySameShape } from '../shape_rules';
import { tangentOf, accumulate } from '../maps';
import { E_OK, E_DTYPE, E_SHAPE } from '../../errors';
import { F32, F64, BOOL, I32, U32, C64, C128, itemsize } from '../../dtype';
import * as KC from '../../kernels/complex';
import * as K from '../../kernels/compare';
import { compare_i32, compare_u32, compare_bool } from '../../kernels/integer';

// Every real dtype compares (bool: false < true, as numpy); complex values only for equality
// (JAX refuses lt/le/gt/ge on complex).
function compareShape(r: i32): i32 {
  const dt = rowDtype(rowA(r));
  if ((dt == C64 || dt == C128) && (rowOp(r) == EQ || rowOp(r) == NE)) return binarySameShape(r, BOOL);
  if (dt != F32 && dt != F64 && dt != I32 && dt != U32 && dt != BOOL) return E_DTYPE;
  return binarySameShape(r, BOOL);
}

function compareComplex(r: i32): void {
  const a = rowPtr(rowA(r)), b = rowPtr(rowB(r)), out = rowPtr(r), n = rowSize(r), ne = rowOp(r) == NE;
  if (rowDtype(rowA(r)) == C128) KC.eq_c128(ne, a, b, out, n); else KC.eq_c64(ne, a, b, out, n);
}
function selectC128(r: i32): void { KC.select_c128(rowPtr(rowA(r)), rowPtr(rowB(r)), rowPtr(rowC(r)), rowPtr(r), rowSize(r)); }

function compareF32(r: i32): void {
  const a = rowPtr(rowA(r)), b = rowPtr(rowB(r)), out = rowPtr(r), n = rowSize(r);
  switch (rowOp(r)) {
    case LT: K.lt_f32(a, b, out, n); break;
    case LE: K.le_f32(a, b, out, n); break;
    case GT: K.gt_f32(a, b, out, n); break;
    case GE: K.ge_f32(a, b, out, n); break;
    case EQ: K.eq_f32(a, b, out, n); break;
    case NE: K.ne_f32(a, b, out, n); break;
  }
}
function compareF64(r: i32): void {
  const a = rowPtr(rowA(r)), b = rowPtr(rowB(r)), out = rowPtr(r), n = rowSize(r);
  switch (rowOp(r)) {
    case LT: K.lt_f64(a, b, out, n); break;
    case LE: K.le_f64(a, b, out, n); break;
    case GT: K.gt_f64(a, b, out, n); break;
    case GE: K.ge_f64(a, b, out, n); break;
    case EQ: K.eq_f64(a, b, out, n); break;
    case NE: K.ne_f64(a, b, out, n); break;
  }
}
function compareBool(r: i32): void {
  const a = rowPtr(rowA(r)), b = rowPtr(rowB(r)), out = rowPtr(r), n = rowSize(r);
  if (rowOp(r) == EQ) K.eq_bool(a, b, out, n); else K.ne_bool(a, b, out, n);
}

// The ops are numbered LT..NE in one run, the order the integer kernels take.
function compareI32(r: i32): void { compare_i32(rowOp(r) - LT, rowPtr(rowA(r)), rowPtr(rowB(r)), rowPtr(r), rowSize(r)); }
function compareU32(r: i32): void { compare_u32(rowOp(r) - LT, rowPtr(rowA(r)), rowPtr(rowB(r)), rowPtr(r), rowSize(r)); }
function compareBoolOrder(r: i32): void { compare_bool(rowOp(r) - LT, rowPtr(rowA(r)), rowPtr(rowB(r)), rowPtr(r), rowSize(r)); }

function selectShape(r: i32): i32 {
  const c = rowA(r), a = rowB(r), b = rowC(r);
  if (rowDtype(c) != BOOL || rowDtype(a) != rowDtype(b) || itemsize(rowDtype(a)) > 16) return E_DTYPE;
  if (!sameDims(c, a) || !sameDims(a, b)) return E_SHAPE;
  setDtype(r, rowDtype(a));
  shareShape(r, a);
  return E_OK;
}
function select32(r: i32): void {
  K.select_f32(rowPtr(rowA(r)), rowPtr(rowB(r)), rowPtr(rowC(r)), rowPtr(r), rowSize(r));
}
function select64(r: i32): void {
  K.select_f64(rowPtr(rowA(r)), rowPtr(rowB(r)), rowPtr(rowC(r)), rowPtr(r), rowSize(r));
}
function select8(r: i32): void {
  K.select_bool(rowPtr(rowA(r)), rowPtr(rowB(r)), rowPtr(rowC(r)), rowPtr(r), rowSize(r));
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

function comparison(op: i32, name: string): void {
  defineOp(op, name, 2, compareShape, false, KEY_OPERAND);
  defKernel(op, F32, compareF32);
  defKernel(op, F64, compareF64);
  defKernel(op, I32, compareI32);
  defKernel(op, U32, compareU32);
  defKernel(op, BOOL, compareBoolOrder); // false < true, as numpy
  nondiff(op);
  neverLinear(op);
  defBatch(op, batchElementwise);
}

export function registerCompare(): void {
  comparison(LT, 'lt');
  comparison(LE, 'le');
  comparison(GT, 'gt');
  comparison(GE, 'ge');
  comparison(EQ, 'eq'); defKernel(EQ, BOOL, compareBool);
  comparison(NE, 'ne'); defKernel(NE, BOOL, compareBool);
  defKernel(EQ, C64, compareComplex); defKernel(EQ, C128, compareComplex);
  defKernel(NE, C64, compareComplex); defKernel(NE, C128, compareComplex);

  defineOp(SELECT, 'select', 3, selectShape);
  defKernel(SELECT, F32, select32); defKernel(SELECT, I32, select32); defKernel(SELECT, U32, select32);
  defKernel(SELECT, F64, select64); defKernel(SELECT, C64, select64); defKernel(SELECT, C128, selectC128);
  defKernel(SELECT, BOOL, select8);
  defJvp(SELECT, selectJvp);
  defTranspose(SELECT, selectTranspose);
  defBatch(SELECT, batchElementwise);
}
