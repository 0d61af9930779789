// sum over a set of axes. Linear: its transpose broadcasts the cotangent back over the summed axes.
import { defineOp, defKernel, defJvp, defTranspose , defBatch } from '../registry';
import { batchReduceAxes } from '../batching';
import { SUM } from '../ops';
import { rowA, rowDtype, rowNdim, rowDim, rowNparams, rowParam, rowPtr, rowShapePtr, setDtype, setShape, shapeReserve, shapeAt } from '../tape';
import { broadcastLike, setTmp, sameOpOn } from '../builder';
import { tangentOf, accumulate } from '../maps';
import { E_OK, E_DTYPE, E_PARAMS, E_OOM } from '../../errors';
import { F32, F64, I32, U32, C64, C128, isFloat } from '../../dtype';
import { withPairAxis } from './movement';
import { sum_f32, sum_f64, sum_i32 } from '../../kernels/reduce';

/** Bit i set for each reduced axis i (params: the axes, sorted). */
export function axesMask(r: i32): i32 {
  let m = 0;
  for (let i = 0; i < rowNparams(r); i++) m |= 1 << rowParam(r, i);
  return m;
}

/** Shape rule of a reduction over sorted, unique axes (params): float in, the kept axes out. */
export function reduceShape(r: i32): i32 {
  if (!isFloat(rowDtype(rowA(r)))) return E_DTYPE;
  return reducedShape(r);
}

// sum also takes int32 / uint32 (wrapping, as XLA's reduce of add); bools are summed by the TS
// layer after a convert to int32, as jnp.sum does.
function sumRealShape(r: i32): i32 {
  const dt = rowDtype(rowA(r));
  if (!isFloat(dt) && dt != I32 && dt != U32) return E_DTYPE;
  return reducedShape(r);
}
function reduceAxesShape(r: i32): i32 { return reducedShape(r); }

function reducedShape(r: i32): i32 {
  const a = rowA(r), nd = rowNdim(a), na = rowNparams(r);
  if (nd > 30) return E_PARAMS;
  let prev = -1;
  for (let i = 0; i < na; i++) {
    const ax = rowParam(r, i);
    if (ax <= prev || ax >= nd) return E_PARAMS; // sorted, unique, in range
    prev = ax;
  }
  const mask = axesMask(r);
  const off = shapeReserve(nd - na);
  if (off < 0) return E_OOM;
  let j = 0;
  for (let i = 0; i < nd; i++) {
    if ((mask & (1 << i)) == 0) store<i32>(shapeAt(off) + (<usize>(j++) << 2), rowDim(a, i));
  }
  setDtype(r, rowDtype(a));
  setShape(r, nd - na, off);
  return E_OK;
}

/** sum also takes complex: a real sum over the shape with a trailing (re, im) axis kept. */
function sumShape(r: i32): i32 {
  const d = rowDtype(rowA(r));
  if (d != C64 && d != C128) return sumRealShape(r);
  return rowNdim(rowA(r)) > 29 ? E_PARAMS : reduceAxesShape(r);
}
function sumComplex(r: i32): void {
  const a = rowA(r), shape = withPairAxis(a);
  if (rowDtype(r) == C64) sum_f32(rowPtr(a), rowPtr(r), shape, rowNdim(a) + 1, axesMask(r));
  else sum_f64(rowPtr(a), rowPtr(r), shape, rowNdim(a) + 1, axesMask(r));
}

function sumF32(r: i32): void {
  const a = rowA(r);
  sum_f32(rowPtr(a), rowPtr(r), rowShapePtr(a), rowNdim(a), axesMask(r));
}
function sumF64(r: i32): void {
  const a = rowA(r);
  sum_f64(rowPtr(a), rowPtr(r), rowShapePtr(a), rowNdim(a), axesMask(r));
}

function sumI32(r: i32): void {
  const a = rowA(r);
  sum_i32(rowPtr(a), rowPtr(r), rowShapePtr(a), rowNdim(a), axesMask(r));
}

function sumJvp(r: i32): i32 { return sameOpOn(r, tangentOf(rowA(r))); }

// The kept axes of the operand are the dims of the broadcast back.
function sumTranspose(r: i32, ct: i32): void {
  const a = rowA(r), nd = rowNdim(a), mask = axesMask(r);
  let j = 0;
  for (let i = 0; i < nd; i++) if ((mask & (1 << i)) == 0) setTmp(j++, i);
  accumulate(a, broadcastLike(ct, a, j));
}

export function registerReduce(): void {
  defineOp(SUM, 'sum', 1, sumShape);
  defKernel(SUM, F32, sumF32);
  defKernel(SUM, F64, sumF64);
  defKernel(SUM, I32, sumI32);
  defKernel(SUM, U32, sumI32);
  defKernel(SUM, C64, sumComplex);
  defKernel(SUM, C128, sumComplex);
  defJvp(SUM, sumJvp);
  defTranspose(SUM, sumTranspose);
  defBatch(SUM, batchReduceAxes);
}
