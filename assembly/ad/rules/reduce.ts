// sum over a set of axes, and cumsum (running sums along one axis). Both linear: sum's transpose
// broadcasts the cotangent back over the summed axes; cumsum's is the running sum from the end.
import { defineOp, defKernel, defJvp, defTranspose , defBatch } from '../registry';
import { batchReduceAxes, batchedAs, setBatched } from '../batching';
import { emitP, setParam } from '../emit';
import { SUM, CUMSUM } from '../ops';
import { rowA, rowDtype, rowNdim, rowDim, rowNparams, rowParam, rowPtr, rowShapePtr, setDtype, setShape, shapeReserve, shapeAt, shareShape } from '../tape';
import { broadcastLike, setTmp, sameOpOn } from '../builder';
import { tangentOf, accumulate } from '../maps';
import { E_OK, E_DTYPE, E_PARAMS, E_OOM } from '../../errors';
import { F32, F64, I32, U32, C64, C128, isFloat } from '../../dtype';
import { withPairAxis } from './movement';
import { sum_f32, sum_f64, sum_i32, cumsum_f32, cumsum_f64, cumsum_i32 } from '../../kernels/reduce';

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

// ---------------------------------------------------------------- cumsum

// params: axis, reverse. Any numeric dtype (int32/uint32 wrap); the TS layer turns bools to int32.
function cumsumShape(r: i32): i32 {
  const a = rowA(r), nd = rowNdim(a);
  if (rowNparams(r) != 2) return E_PARAMS;
  const ax = rowParam(r, 0), rev = rowParam(r, 1);
  if (ax < 0 || ax >= nd || (rev != 0 && rev != 1)) return E_PARAMS;
  const d = rowDtype(a);
  if (!isFloat(d) && d != I32 && d != U32 && d != C64 && d != C128) return E_DTYPE;
  setDtype(r, d);
  shareShape(r, a);
  return E_OK;
}
/** The [outer, n, inner] view of r's operand around its axis (inner doubled for complex parts). */
function cumsumRun(r: i32, k: (a: usize, out: usize, outer: i32, n: i32, inner: i32, reverse: bool) => void, parts: i32): void {
  const a = rowA(r), ax = rowParam(r, 0), nd = rowNdim(a);
  let outer = 1, inner = parts;
  for (let i = 0; i < ax; i++) outer *= rowDim(a, i);
  for (let i = ax + 1; i < nd; i++) inner *= rowDim(a, i);
  k(rowPtr(a), rowPtr(r), outer, rowDim(a, ax), inner, rowParam(r, 1) != 0);
}
function cumsumF32(r: i32): void { cumsumRun(r, cumsum_f32, 1); }
function cumsumF64(r: i32): void { cumsumRun(r, cumsum_f64, 1); }
function cumsumI32(r: i32): void { cumsumRun(r, cumsum_i32, 1); }
function cumsumC64(r: i32): void { cumsumRun(r, cumsum_f32, 2); }
function cumsumC128(r: i32): void { cumsumRun(r, cumsum_f64, 2); }

function cumsumJvp(r: i32): i32 { return sameOpOn(r, tangentOf(rowA(r))); }
// y_k = sum_{j <= k} x_j, so x_j's cotangent is sum_{k >= j} ct_k: the running sum from the other end
function cumsumTranspose(r: i32, ct: i32): void {
  setParam(0, rowParam(r, 0)); setParam(1, 1 - rowParam(r, 1));
  accumulate(rowA(r), emitP(CUMSUM, ct, -1, -1, 2));
}
// The batch axis moved to the front: the scanned axis is one further.
function cumsumBatch(r: i32): void {
  const x = batchedAs(rowA(r), 0);
  setParam(0, rowParam(r, 0) + 1); setParam(1, rowParam(r, 1));
  setBatched(r, emitP(CUMSUM, x, -1, -1, 2), 0);
}

export function registerReduce(): void {
  defineOp(CUMSUM, 'cumsum', 1, cumsumShape);
  defKernel(CUMSUM, F32, cumsumF32);
  defKernel(CUMSUM, F64, cumsumF64);
  defKernel(CUMSUM, I32, cumsumI32);
  defKernel(CUMSUM, U32, cumsumI32);
  defKernel(CUMSUM, C64, cumsumC64);
  defKernel(CUMSUM, C128, cumsumC128);
  defJvp(CUMSUM, cumsumJvp);
  defTranspose(CUMSUM, cumsumTranspose);
  defBatch(CUMSUM, cumsumBatch);

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
