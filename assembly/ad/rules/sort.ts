// argsort (of float32, float64, int32, uint32) and searchsorted: int32 results, no derivative.
// Sorting's values are a gather of the operand by argsort's permutation (composed in TS), so they
// differentiate through the gather.
import { defineOp, defKernel, nondiff, neverLinear, defBatch, KEY_OPERAND } from '../registry';
import { bdimOf, physOf, batchedAs, batchAxisParam, setBatched } from '../batching';
import { emitP, e2, setParam } from '../emit';
import { RESHAPE } from '../ops';
import { ARGSORT, SEARCHSORTED } from '../ops';
import { rowA, rowB, rowDtype, rowNdim, rowDim, rowNparams, rowParam, rowPtr, rowSize, setDtype, shareShape } from '../tape';
import { E_OK, E_DTYPE, E_PARAMS, E_SHAPE } from '../../errors';
import { F32, F64, I32, U32, isFloat } from '../../dtype';
import * as K from '../../kernels/sort';

function argsortShape(r: i32): i32 {
  const a = rowA(r), nd = rowNdim(a);
  const dt = rowDtype(a);
  if (!isFloat(dt) && dt != I32 && dt != U32) return E_DTYPE;
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
  const dt = rowDtype(a), n = rowDim(a, axis);
  if (dt == F32) K.argsort_f32(rowPtr(a), rowPtr(r), outer, n, inner, desc);
  else if (dt == F64) K.argsort_f64(rowPtr(a), rowPtr(r), outer, n, inner, desc);
  else if (dt == I32) K.argsort_i32(rowPtr(a), rowPtr(r), outer, n, inner, desc);
  else K.argsort_u32(rowPtr(a), rowPtr(r), outer, n, inner, desc);
}

// searchsorted(a: sorted 1-d, v). params: side, and optionally rows = 1 (vmap's form): a is
// [B, n], B sorted rows, and v is [B, ...], each example's values searched in its own row.
const rowsMode = (r: i32): bool => rowNparams(r) == 2 && rowParam(r, 1) == 1;
function searchShape(r: i32): i32 {
  const a = rowA(r), v = rowB(r);
  if (!isFloat(rowDtype(a)) || rowDtype(v) != rowDtype(a)) return E_DTYPE;
  if ((rowNparams(r) != 1 && rowNparams(r) != 2) || (rowParam(r, 0) & ~1) != 0) return E_PARAMS;
  if (rowNparams(r) == 2 && (rowParam(r, 1) & ~1) != 0) return E_PARAMS;
  if (rowsMode(r)) {
    if (rowNdim(a) != 2 || rowNdim(v) < 1 || rowDim(v, 0) != rowDim(a, 0)) return E_SHAPE;
  } else if (rowNdim(a) != 1) return E_SHAPE;
  setDtype(r, I32);
  shareShape(r, v);
  return E_OK;
}
function searchKernel(r: i32): void {
  const a = rowA(r), v = rowB(r), right = rowParam(r, 0) == 1, f32 = rowDtype(a) == F32;
  const rows = rowsMode(r) ? rowDim(a, 0) : 1, n = rowsMode(r) ? rowDim(a, 1) : rowSize(a), m = rows > 0 ? rowSize(v) / rows : 0;
  const sz: usize = f32 ? 4 : 8;
  for (let b = 0; b < rows; b++) {
    const ab = rowPtr(a) + <usize>b * <usize>n * sz, vb = rowPtr(v) + <usize>b * <usize>m * sz, ob = rowPtr(r) + (<usize>b * <usize>m << 2);
    if (f32) K.searchsorted_f32(ab, n, vb, ob, m, right);
    else K.searchsorted_f64(ab, n, vb, ob, m, right);
  }
}


// ---------------------------------------------------------------- batching (vmap)

function argsortBatch(r: i32): void { batchAxisParam(r, false); }

// v batched only: searchsorted is elementwise in v. a batched: each example has its own sorted
// row, searched by the rows form (counting comparisons against every element, as before, cost
// batch x values x n, and ran out of memory at rows of 1e5). A rows row batched again (vmap of
// vmap) takes the two batch axes as one.
function searchBatch(r: i32): void {
  const a = rowA(r), v = rowB(r), ba = bdimOf(a);
  if (ba < 0 && !rowsMode(r)) {
    setParam(0, rowParam(r, 0));
    setBatched(r, emitP(SEARCHSORTED, physOf(a), physOf(v), -1, 1), bdimOf(v));
    return;
  }
  const A = batchedAs(a, 0), V = batchedAs(v, 0);
  // rows form: A [B, n] (or [B2, B, n] batched again), V [B, ...] (or [B2, B, ...])
  const lead = rowsMode(r) ? 2 : 1, nv = rowNdim(V);
  let rows = 1;
  for (let i = 0; i < lead; i++) rows *= rowDim(V, i);
  const Af = lead == 1 ? A : reshapeTo2(A, rows, rowDim(A, rowNdim(A) - 1));
  let Vf = V;
  if (lead == 2) { setParam(0, rows); for (let i = 2; i < nv; i++) setParam(i - 1, rowDim(V, i)); Vf = emitP(RESHAPE, V, -1, -1, nv - 1); }
  setParam(0, rowParam(r, 0)); setParam(1, 1);
  let out = emitP(SEARCHSORTED, Af, Vf, -1, 2);
  if (lead == 2) { for (let i = 0; i < nv; i++) setParam(i, rowDim(V, i)); out = emitP(RESHAPE, out, -1, -1, nv); }
  setBatched(r, out, 0);
}
function reshapeTo2(x: i32, d0: i32, d1: i32): i32 { setParam(0, d0); setParam(1, d1); return emitP(RESHAPE, x, -1, -1, 2); }

export function registerSort(): void {
  defineOp(ARGSORT, 'argsort', 1, argsortShape, false, KEY_OPERAND);
  defKernel(ARGSORT, F32, argsortKernel);
  defKernel(ARGSORT, F64, argsortKernel);
  defKernel(ARGSORT, I32, argsortKernel);
  defKernel(ARGSORT, U32, argsortKernel);
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
