// Data movement: broadcast_in_dim, reshape, transpose. All linear.
import { defineOp } from '../registry';
import { BROADCAST_IN_DIM, RESHAPE, TRANSPOSE } from '../ops';
import {
  rowA, rowDtype, rowNdim, rowDim, rowNparams, rowParam, rowPtr, rowSize, rowShapePtr, paramAt, rowParamsOff,
  setDtype, setPtr, setShape, shapeReserve, shapeAt,
} from '../tape';
import { sumAxes, reshapeLike, transposeBy, setTmp, sameOpOn } from '../builder';
import { shapeFromParams } from '../shapes';
import { tangentOf } from '../tangents';
import { accumulate } from '../cotangents';
import { E_OK, E_SHAPE, E_PARAMS, E_OOM } from '../../errors';
import { itemsize } from '../../dtype';
import * as K from '../../kernels/shape';

// broadcast_in_dim. params: out shape (nOut), dims (nIn = operand ndim).
function bcastShape(r: i32): i32 {
  const a = rowA(r), nIn = rowNdim(a), nOut = rowNparams(r) - nIn;
  if (nOut < nIn) return E_PARAMS;
  let prev = -1;
  for (let i = 0; i < nIn; i++) {
    const d = rowParam(r, nOut + i);
    if (d <= prev || d >= nOut) return E_PARAMS;
    prev = d;
    const ai = rowDim(a, i);
    if (ai != 1 && ai != rowParam(r, d)) return E_SHAPE;
  }
  setDtype(r, rowDtype(a));
  return shapeFromParams(r, 0, nOut);
}
function bcastKernel(r: i32): void {
  const a = rowA(r), nIn = rowNdim(a), nOut = rowNdim(r);
  const dims = paramAt(rowParamsOff(r)) + (<usize>nOut << 2);
  const w = itemsize(rowDtype(r));
  const x = rowPtr(a), out = rowPtr(r), ins = rowShapePtr(a), outs = rowShapePtr(r);
  if (w == 1) K.broadcast_in_dim_b8(x, out, ins, nIn, outs, nOut, dims);
  else if (w == 4) K.broadcast_in_dim_b32(x, out, ins, nIn, outs, nOut, dims);
  else K.broadcast_in_dim_b64(x, out, ins, nIn, outs, nOut, dims);
}
function bcastJvp(r: i32): i32 { return sameOpOn(r, tangentOf(rowA(r))); }
// Sum over the new axes and the axes broadcast from size 1, then restore the operand's shape.
function bcastTranspose(r: i32, ct: i32): void {
  const a = rowA(r), nIn = rowNdim(a), nOut = rowNdim(r);
  let n = 0, j = 0;
  for (let i = 0; i < nOut; i++) {
    const mapped = j < nIn && rowParam(r, nOut + j) == i;
    if (!mapped) setTmp(n++, i);
    else { if (rowDim(a, j) == 1 && rowDim(r, i) != 1) setTmp(n++, i); j++; }
  }
  const s = n > 0 ? sumAxes(ct, n) : ct;
  accumulate(a, reshapeLike(s, a));
}

// reshape. params: new shape. The value is the operand's buffer (values are immutable).
function reshapeShape(r: i32): i32 {
  const a = rowA(r);
  setDtype(r, rowDtype(a));
  const code = shapeFromParams(r, 0, rowNparams(r));
  if (code != E_OK) return code;
  return rowSize(r) == rowSize(a) ? E_OK : E_SHAPE;
}
function reshapeKernel(r: i32): void { setPtr(r, rowPtr(rowA(r))); }
function reshapeJvp(r: i32): i32 { return sameOpOn(r, tangentOf(rowA(r))); }
function reshapeTranspose(r: i32, ct: i32): void { accumulate(rowA(r), reshapeLike(ct, rowA(r))); }

// transpose. params: perm; out.shape[i] = in.shape[perm[i]].
function transposeShape(r: i32): i32 {
  const a = rowA(r), nd = rowNdim(a);
  if (rowNparams(r) != nd || nd > 30) return E_PARAMS;
  let seen = 0;
  for (let i = 0; i < nd; i++) {
    const p = rowParam(r, i);
    if (p < 0 || p >= nd || (seen & (1 << p)) != 0) return E_PARAMS;
    seen |= 1 << p;
  }
  setDtype(r, rowDtype(a));
  const off = shapeReserve(nd);
  if (off < 0) return E_OOM;
  for (let i = 0; i < nd; i++) store<i32>(shapeAt(off) + (<usize>i << 2), rowDim(a, rowParam(r, i)));
  setShape(r, nd, off);
  return E_OK;
}
function transposeKernel(r: i32): void {
  const a = rowA(r), nd = rowNdim(a), w = itemsize(rowDtype(r));
  const x = rowPtr(a), out = rowPtr(r), shape = rowShapePtr(a), perm = paramAt(rowParamsOff(r));
  if (w == 1) K.transpose_b8(x, out, shape, nd, perm);
  else if (w == 4) K.transpose_b32(x, out, shape, nd, perm);
  else K.transpose_b64(x, out, shape, nd, perm);
}
function transposeJvp(r: i32): i32 { return sameOpOn(r, tangentOf(rowA(r))); }
function transposeTranspose(r: i32, ct: i32): void {
  const nd = rowNparams(r);
  for (let i = 0; i < nd; i++) setTmp(rowParam(r, i), i); // inverse permutation
  accumulate(rowA(r), transposeBy(ct, nd));
}

export function registerShape(): void {
  defineOp(BROADCAST_IN_DIM, 'broadcast_in_dim', 1, bcastShape, bcastKernel, bcastJvp, bcastTranspose);
  defineOp(RESHAPE, 'reshape', 1, reshapeShape, reshapeKernel, reshapeJvp, reshapeTranspose, true);
  defineOp(TRANSPOSE, 'transpose', 1, transposeShape, transposeKernel, transposeJvp, transposeTranspose);
}
