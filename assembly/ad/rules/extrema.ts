// reduce_max / reduce_min over a set of axes, argmax / argmin along one axis (int32 out, no
// derivative), and stop_gradient (identity, zero derivative).
// JVP of reduce_max/min is JAX's _reduce_chooser_jvp_rule: the tangent averaged over the
// locations equal to the result, so ties split the derivative equally:
//   d max(x) = sum(t * [x == max]) / sum([x == max]).
import { defineOp, defKernel, defJvp, nondiff, neverLinear, KEY_OPERAND , defBatch } from '../registry';
import { batchElementwise, batchReduceAxes, batchAxisParam } from '../batching';
import { REDUCE_MAX, REDUCE_MIN, ARGMAX, ARGMIN, STOP_GRADIENT, EQ, MUL, DIV, SUM } from '../ops';
import {
  rowA, rowOp, rowDtype, rowNdim, rowDim, rowNparams, rowParam, rowPtr, rowShapePtr, setDtype, setShape, setPtr,
  shareShape, shapeReserve, shapeAt,
} from '../tape';
import { e2, emitP, setParam } from '../emit';
import { broadcastLike, setTmp, convertTo } from '../builder';
import { tangentOf } from '../maps';
import { E_OK, E_DTYPE, E_PARAMS, E_OOM } from '../../errors';
import { F32, F64, I32, NUM_DTYPES, itemsize, isFloat } from '../../dtype';
import * as K from '../../kernels/extrema';
import { axesMask, reduceShape } from './reduce';

function maxF32(r: i32): void { const a = rowA(r); K.reduce_max_f32(rowPtr(a), rowPtr(r), rowShapePtr(a), rowNdim(a), axesMask(r)); }
function maxF64(r: i32): void { const a = rowA(r); K.reduce_max_f64(rowPtr(a), rowPtr(r), rowShapePtr(a), rowNdim(a), axesMask(r)); }
function minF32(r: i32): void { const a = rowA(r); K.reduce_min_f32(rowPtr(a), rowPtr(r), rowShapePtr(a), rowNdim(a), axesMask(r)); }
function minF64(r: i32): void { const a = rowA(r); K.reduce_min_f64(rowPtr(a), rowPtr(r), rowShapePtr(a), rowNdim(a), axesMask(r)); }

/** sum of x over row r's axes. */
function sumOverAxes(r: i32, x: i32): i32 {
  const n = rowNparams(r);
  for (let i = 0; i < n; i++) setParam(i, rowParam(r, i));
  return emitP(SUM, x, -1, -1, n);
}

function chooserJvp(r: i32): i32 {
  const a = rowA(r), t = tangentOf(a), nd = rowNdim(a), mask = axesMask(r);
  let j = 0;
  for (let i = 0; i < nd; i++) if ((mask & (1 << i)) == 0) setTmp(j++, i);
  const where = convertTo(e2(EQ, a, broadcastLike(r, a, j)), rowDtype(a));
  return e2(DIV, sumOverAxes(r, e2(MUL, t, where)), sumOverAxes(r, where));
}

// argmax / argmin. params: axis. Output: the operand's shape without the axis, int32.
function argShape(r: i32): i32 {
  const a = rowA(r), nd = rowNdim(a);
  if (!isFloat(rowDtype(a))) return E_DTYPE;
  if (rowNparams(r) != 1) return E_PARAMS;
  const axis = rowParam(r, 0);
  if (axis < 0 || axis >= nd || rowDim(a, axis) == 0) return E_PARAMS;
  const off = shapeReserve(nd - 1);
  if (off < 0) return E_OOM;
  let j = 0;
  for (let i = 0; i < nd; i++) if (i != axis) store<i32>(shapeAt(off) + (<usize>(j++) << 2), rowDim(a, i));
  setDtype(r, I32);
  setShape(r, nd - 1, off);
  return E_OK;
}
type ArgKernel = (x: usize, out: usize, outer: i32, n: i32, inner: i32) => void;
function runArg(r: i32, k: ArgKernel): void {
  const a = rowA(r), axis = rowParam(r, 0);
  let outer = 1, inner = 1;
  for (let i = 0; i < axis; i++) outer *= rowDim(a, i);
  for (let i = axis + 1; i < rowNdim(a); i++) inner *= rowDim(a, i);
  k(rowPtr(a), rowPtr(r), outer, rowDim(a, axis), inner);
}
function argF32(r: i32): void { runArg(r, rowOp(r) == ARGMAX ? K.argmax_f32 : K.argmin_f32); }
function argF64(r: i32): void { runArg(r, rowOp(r) == ARGMAX ? K.argmax_f64 : K.argmin_f64); }

function stopShape(r: i32): i32 { setDtype(r, rowDtype(rowA(r))); shareShape(r, rowA(r)); return E_OK; }
function stopKernel(r: i32): void { setPtr(r, rowPtr(rowA(r))); } // values are immutable: alias

function argBatch(r: i32): void { batchAxisParam(r, true); } // the axis goes away

export function registerExtrema(): void {
  defineOp(REDUCE_MAX, 'reduce_max', 1, reduceShape);
  defKernel(REDUCE_MAX, F32, maxF32);
  defKernel(REDUCE_MAX, F64, maxF64);
  defJvp(REDUCE_MAX, chooserJvp);
  neverLinear(REDUCE_MAX);
  defBatch(REDUCE_MAX, batchReduceAxes);

  defineOp(REDUCE_MIN, 'reduce_min', 1, reduceShape);
  defKernel(REDUCE_MIN, F32, minF32);
  defKernel(REDUCE_MIN, F64, minF64);
  defJvp(REDUCE_MIN, chooserJvp);
  neverLinear(REDUCE_MIN);
  defBatch(REDUCE_MIN, batchReduceAxes);

  defineOp(ARGMAX, 'argmax', 1, argShape, false, KEY_OPERAND);
  defKernel(ARGMAX, F32, argF32);
  defKernel(ARGMAX, F64, argF64);
  nondiff(ARGMAX);
  neverLinear(ARGMAX);
  defBatch(ARGMAX, argBatch);

  defineOp(ARGMIN, 'argmin', 1, argShape, false, KEY_OPERAND);
  defKernel(ARGMIN, F32, argF32);
  defKernel(ARGMIN, F64, argF64);
  nondiff(ARGMIN);
  neverLinear(ARGMIN);
  defBatch(ARGMIN, argBatch);

  defineOp(STOP_GRADIENT, 'stop_gradient', 1, stopShape, true);
  for (let d = 0; d < NUM_DTYPES; d++) if (itemsize(d) > 0) defKernel(STOP_GRADIENT, d, stopKernel);
  nondiff(STOP_GRADIENT);
  neverLinear(STOP_GRADIENT);
  defBatch(STOP_GRADIENT, batchElementwise);
}
