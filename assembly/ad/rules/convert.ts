// convert_element_type: between floats it is linear (its transpose converts back); to or from
// bool it has no derivative.
import { defineOp } from '../registry';
import { CONVERT } from '../ops';
import { rowA, rowDtype, rowParam, rowPtr, rowSize, setDtype, shareShape } from '../tape';
import { convertTo } from '../builder';
import { tangentOf } from '../tangents';
import { accumulate } from '../cotangents';
import { E_OK, E_DTYPE } from '../../errors';
import { F32, F64, BOOL, isFloat } from '../../dtype';
import * as K from '../../kernels/convert';

function convertShape(r: i32): i32 {
  const to = rowParam(r, 0), from = rowDtype(rowA(r));
  const ok = (v: i32): bool => v == F32 || v == F64 || v == BOOL;
  if (!ok(to) || !ok(from)) return E_DTYPE;
  setDtype(r, to);
  shareShape(r, rowA(r));
  return E_OK;
}

function convertKernel(r: i32): void {
  const x = rowPtr(rowA(r)), out = rowPtr(r), n = rowSize(r);
  const from = rowDtype(rowA(r)), to = rowDtype(r);
  if (from == to) { memory.copy(out, x, <usize>n * (to == F64 ? 8 : to == F32 ? 4 : 1)); return; }
  if (from == F32 && to == F64) K.convert_f32_f64(x, out, n);
  else if (from == F64 && to == F32) K.convert_f64_f32(x, out, n);
  else if (from == BOOL && to == F32) K.convert_bool_f32(x, out, n);
  else if (from == BOOL && to == F64) K.convert_bool_f64(x, out, n);
  else if (from == F32 && to == BOOL) K.convert_f32_bool(x, out, n);
  else K.convert_f64_bool(x, out, n);
}

function convertJvp(r: i32): i32 {
  if (!isFloat(rowDtype(r)) || !isFloat(rowDtype(rowA(r)))) return -1;
  return convertTo(tangentOf(rowA(r)), rowDtype(r));
}
function convertTranspose(r: i32, ct: i32): void { accumulate(rowA(r), convertTo(ct, rowDtype(rowA(r)))); }

export function registerConvert(): void {
  defineOp(CONVERT, 'convert', 1, convertShape, convertKernel, convertJvp, convertTranspose);
}
