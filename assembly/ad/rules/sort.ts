// argsort and searchsorted: int32 results, no derivative. Sorting's values are a gather of the
// operand by argsort's permutation (composed in TS), so they differentiate through the gather.
import { defineOp, defKernel, nondiff, neverLinear, defBatch, KEY_OPERAND } from '../registry';
import { bdimOf, physOf, batchedAs, batchAxisParam, setBatched } from '../batching';
import { emitP, e2, setParam } from '../emit';
import { BROADCAST_IN_DIM, CONVERT, SUM as SUM_OP, NE, LT, LE, EQ, OR, AND } from '../ops';
import { ARGSORT, SEARCHSORTED } from '../ops';
import { rowA, rowB, rowDtype, rowNdim, rowDim, rowNparams, rowParam, rowPtr, rowSize, setDtype, shareShape } from '../tape';
import { E_OK, E_DTYPE, E_PARAMS, E_SHAPE } from '../../errors';
import { F32, F64, I32, isFloat } from '../../dtype';
import * as K from '../../kernels/sort';

function argsortShape(r: i32): i32 {
  const a = rowA(r), nd = rowNdim(a);
  if (!isFloat(rowDtype(a))) return E_DTYPE;
  if (rowNparams(r) != 2) return E_PARAMS;
  const axis = rowParam(r, 0), desc = rowParam(r, 1);
  if (axis < 0 || axis >= nd || (desc & ~1) != 0) return E_PARAMS;
  setDtype(r, I32);
  shareShape(r, a);
  return E_OK;
}
function argsortKernel(r: i32): void {
  const a = rowA(r), axis = rowParam(r, 0), desc = rowParam(r, 1) == 1;
  let outer = 1, inner = 1;
  for (let i = 0; i < axis; i++) outer *= rowDim(a, i);
  for (let i = axis + 1; i < rowNdim(a); i++) inner *= rowDim(a, i);
  if (rowDtype(a) == F32) K.argsort_f32(rowPtr(a), rowPtr(r), outer, rowDim(a, axis), inner, desc);
  else K.argsort_f64(rowPtr(a), rowPtr(r), outer, rowDim(a, axis), inner, desc);
}

// searchsorted(a: sorted 1-d, v). params: side.
function searchShape(r: i32): i32 {
  const a = rowA(r), v = rowB(r);
  if (!isFloat(rowDtype(a)) || rowDtype(v) != rowDtype(a)) return E_DTYPE;
  if (rowNdim(a) != 1) return E_SHAPE;
  if (rowNparams(r) != 1 || (rowParam(r, 0) & ~1) != 0) return E_PARAMS;
  setDtype(r, I32);
  shareShape(r, v);
  return E_OK;
}
function searchKernel(r: i32): void {
  const a = rowA(r), v = rowB(r), right = rowParam(r, 0) == 1;
  if (rowDtype(a) == F32) K.searchsorted_f32(rowPtr(a), rowSize(a), rowPtr(v), rowPtr(r), rowSize(v), right);
  else K.searchsorted_f64(rowPtr(a), rowSize(a), rowPtr(v), rowPtr(r), rowSize(v), right);
}


// ---------------------------------------------------------------- batching (vmap)

function argsortBatch(r: i32): void { batchAxisParam(r, false); }

// v batched only: searchsorted is elementwise in v. a batched: each example has its own sorted
// row, so count instead, under the sort's total order (NaN largest): left = #{a < v}, right =
// #{a <= v}, with a NaN v above every number and (right) equal to a NaN a.
function searchBatch(r: i32): void {
  const a = rowA(r), v = rowB(r), ba = bdimOf(a);
  if (ba < 0) {
    setParam(0, rowParam(r, 0));
    setBatched(r, emitP(SEARCHSORTED, a, physOf(v), -1, 1), bdimOf(v));
    return;
  }
  const A = batchedAs(a, 0), V = batchedAs(v, 0), nv = rowNdim(V), n = rowDim(A, 1);
  // A -> [B, ...v, n] (dims 0 and last); V -> [B, ...v, n] (dims 0..nv-1).
  for (let i = 0; i < nv; i++) setParam(i, rowDim(V, i));
  setParam(nv, n); setParam(nv + 1, 0); setParam(nv + 2, nv);
  const Ab = emitP(BROADCAST_IN_DIM, A, -1, -1, nv + 3);
  for (let i = 0; i < nv; i++) setParam(i, rowDim(V, i));
  setParam(nv, n);
  for (let i = 0; i < nv; i++) setParam(nv + 1 + i, i);
  const Vb = emitP(BROADCAST_IN_DIM, V, -1, -1, 2 * nv + 1);
  const vNaN = e2(NE, Vb, Vb);
  const hit = rowParam(r, 0) == 1 ? e2(OR, e2(LE, Ab, Vb), vNaN) : e2(OR, e2(LT, Ab, Vb), e2(AND, vNaN, e2(EQ, Ab, Ab)));
  setParam(0, F64); // counted in float64: exact, and sum has float kernels
  const ones = emitP(CONVERT, hit, -1, -1, 1);
  setParam(0, nv);
  const count = emitP(SUM_OP, ones, -1, -1, 1);
  setParam(0, I32);
  setBatched(r, emitP(CONVERT, count, -1, -1, 1), 0);
}

export function registerSort(): void {
  defineOp(ARGSORT, 'argsort', 1, argsortShape, false, KEY_OPERAND);
  defKernel(ARGSORT, F32, argsortKernel);
  defKernel(ARGSORT, F64, argsortKernel);
  nondiff(ARGSORT);
  neverLinear(ARGSORT);
  defBatch(ARGSORT, argsortBatch);

  defineOp(SEARCHSORTED, 'searchsorted', 2, searchShape, false, KEY_OPERAND);
  defKernel(SEARCHSORTED, F32, searchKernel);
  defKernel(SEARCHSORTED, F64, searchKernel);
  nondiff(SEARCHSORTED);
  neverLinear(SEARCHSORTED);
  defBatch(SEARCHSORTED, searchBatch);
}
