// argsort and searchsorted: int32 results, no derivative. Sorting's values are a gather of the
// operand by argsort's permutation (composed in TS), so they differentiate through the gather.
import { defineOp, defKernel, nondiff, neverLinear, KEY_OPERAND } from '../registry';
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

export function registerSort(): void {
  defineOp(ARGSORT, 'argsort', 1, argsortShape, false, KEY_OPERAND);
  defKernel(ARGSORT, F32, argsortKernel);
  defKernel(ARGSORT, F64, argsortKernel);
  nondiff(ARGSORT);
  neverLinear(ARGSORT);

  defineOp(SEARCHSORTED, 'searchsorted', 2, searchShape, false, KEY_OPERAND);
  defKernel(SEARCHSORTED, F32, searchKernel);
  defKernel(SEARCHSORTED, F64, searchKernel);
  nondiff(SEARCHSORTED);
  neverLinear(SEARCHSORTED);
}
