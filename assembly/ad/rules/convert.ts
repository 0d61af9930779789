// convert_element_type: between floats it is linear (its transpose converts back); to or from
// bool or an integer it has no derivative (JAX's float0). Kernels are chosen by the output
// dtype, then by the input's. Float to int saturates, NaN to 0 (XLA); int32 <-> uint32 wraps.
import { defineOp, defKernel, defJvp, defTranspose , defBatch } from '../registry';
import { batchElementwise } from '../batching';
import { CONVERT } from '../ops';
import { rowA, rowDtype, rowParam, rowPtr, rowSize, setDtype, shareShape } from '../tape';
import { convertTo } from '../builder';
import { tangentOf, accumulate } from '../maps';
import { E_OK, E_DTYPE } from '../../errors';
import { F32, F64, BOOL, I32, U32, isFloat, itemsize } from '../../dtype';
import * as K from '../../kernels/convert';

const convertible = (v: i32): bool => v == F32 || v == F64 || v == BOOL || v == I32 || v == U32;

function convertShape(r: i32): i32 {
  const to = rowParam(r, 0), from = rowDtype(rowA(r));
  if (!convertible(to) || !convertible(from)) return E_DTYPE;
  setDtype(r, to);
  shareShape(r, rowA(r));
  return E_OK;
}

function same(r: i32): bool {
  if (rowDtype(rowA(r)) != rowDtype(r)) return false;
  memory.copy(rowPtr(r), rowPtr(rowA(r)), <usize>rowSize(r) * <usize>itemsize(rowDtype(r)));
  return true;
}
function toF32(r: i32): void {
  if (same(r)) return;
  const x = rowPtr(rowA(r)), out = rowPtr(r), n = rowSize(r), from = rowDtype(rowA(r));
  if (from == F64) K.convert_f64_f32(x, out, n);
  else if (from == I32) K.convert_i32_f32(x, out, n);
  else if (from == U32) K.convert_u32_f32(x, out, n);
  else K.convert_bool_f32(x, out, n);
}
function toF64(r: i32): void {
  if (same(r)) return;
  const x = rowPtr(rowA(r)), out = rowPtr(r), n = rowSize(r), from = rowDtype(rowA(r));
  if (from == F32) K.convert_f32_f64(x, out, n);
  else if (from == I32 || from == U32) K.convert_i32_f64(x, out, n, from == U32);
  else K.convert_bool_f64(x, out, n);
}
function toBool(r: i32): void {
  if (same(r)) return;
  const x = rowPtr(rowA(r)), out = rowPtr(r), n = rowSize(r), from = rowDtype(rowA(r));
  if (from == F32) K.convert_f32_bool(x, out, n);
  else if (from == F64) K.convert_f64_bool(x, out, n);
  else K.convert_i32_bool(x, out, n);
}
/** To int32 or uint32 (the same bits between the two). */
function toInt(r: i32): void {
  const x = rowPtr(rowA(r)), out = rowPtr(r), n = rowSize(r), from = rowDtype(rowA(r)), u = rowDtype(r) == U32;
  if (from == I32 || from == U32) memory.copy(out, x, <usize>n << 2);
  else if (from == F32) { if (u) K.convert_f32_u32(x, out, n); else K.convert_f32_i32(x, out, n); }
  else if (from == F64) K.convert_f64_i32(x, out, n, u);
  else K.convert_bool_i32(x, out, n);
}

function convertJvp(r: i32): i32 {
  if (!isFloat(rowDtype(r)) || !isFloat(rowDtype(rowA(r)))) return -1;
  return convertTo(tangentOf(rowA(r)), rowDtype(r));
}
function convertTranspose(r: i32, ct: i32): void { accumulate(rowA(r), convertTo(ct, rowDtype(rowA(r)))); }

export function registerConvert(): void {
  defineOp(CONVERT, 'convert', 1, convertShape);
  defKernel(CONVERT, F32, toF32);
  defKernel(CONVERT, F64, toF64);
  defKernel(CONVERT, BOOL, toBool);
  defKernel(CONVERT, I32, toInt);
  defKernel(CONVERT, U32, toInt);
  defJvp(CONVERT, convertJvp);
  defTranspose(CONVERT, convertTranspose);
  defBatch(CONVERT, batchElementwise);
}
