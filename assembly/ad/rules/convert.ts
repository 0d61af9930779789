// convert_element_type: between floats and complex it is linear (its transpose converts back;
// complex to real keeps the real part, as XLA); to or from bool or an integer it has no
// derivative (JAX's float0). Complex to bool or an integer is refused. Kernels are chosen by the output
// dtype, then by the input's. Float to int saturates, NaN to 0 (XLA); int32 <-> uint32 wraps.
import { defineOp, defKernel, defJvp, defTranspose , defBatch, nondiff, neverLinear } from '../registry';
import { batchElementwise, bdimOf, batchedAs, setBatched } from '../batching';
import { CONVERT, BITCAST_CONVERT_TYPE } from '../ops';
import { rowA, rowDtype, rowParam, rowPtr, rowSize, rowNdim, rowDim, rowImpl, setDtype, shareShape, setShape, shapeReserve, shapeAt } from '../tape';
import { emitP, setParam } from '../emit';
import { convertTo } from '../builder';
import { tangentOf, accumulate } from '../maps';
import { E_OK, E_DTYPE, E_SHAPE, E_OOM } from '../../errors';
import { F32, F64, BOOL, I32, U32, C64, C128, isFloat, itemsize } from '../../dtype';
import { isInexact } from '../shape_rules';
import * as KC from '../../kernels/complex';
import * as K from '../../kernels/convert';

const convertible = (v: i32): bool => v == F32 || v == F64 || v == BOOL || v == I32 || v == U32;

function convertShape(r: i32): i32 {
  const to = rowParam(r, 0), from = rowDtype(rowA(r));
  const cto = to == C64 || to == C128, cfrom = from == C64 || from == C128;
  if (!(convertible(to) || cto) || !(convertible(from) || cfrom)) return E_DTYPE;
  if (cfrom && !cto && !isFloat(to)) return E_DTYPE;
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
  if (from == C64) KC.real_c64(x, out, n);
  else if (from == C128) KC.real_c128_f32(x, out, n);
  else if (from == F64) K.convert_f64_f32(x, out, n);
  else if (from == I32) K.convert_i32_f32(x, out, n);
  else if (from == U32) K.convert_u32_f32(x, out, n);
  else K.convert_bool_f32(x, out, n);
}
function toF64(r: i32): void {
  if (same(r)) return;
  const x = rowPtr(rowA(r)), out = rowPtr(r), n = rowSize(r), from = rowDtype(rowA(r));
  if (from == C128) KC.real_c128(x, out, n);
  else if (from == C64) KC.real_c64_f64(x, out, n);
  else if (from == F32) K.convert_f32_f64(x, out, n);
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

function toComplex(r: i32): void {
  if (same(r)) return;
  const x = rowPtr(rowA(r)), out = rowPtr(r), n = rowSize(r), from = rowDtype(rowA(r)), wide = rowDtype(r) == C128;
  if (from == C64) KC.convert_c64_c128(x, out, n);
  else if (from == C128) KC.convert_c128_c64(x, out, n);
  else if (from == F32) { if (wide) KC.convert_f32_c128(x, out, n); else KC.convert_f32_c64(x, out, n); }
  else if (from == F64) { if (wide) KC.convert_f64_c128(x, out, n); else KC.convert_f64_c64(x, out, n); }
  else if (from == I32) { if (wide) KC.convert_i32_c128(x, out, n); else KC.convert_i32_c64(x, out, n); }
  else if (from == U32) { if (wide) KC.convert_u32_c128(x, out, n); else KC.convert_u32_c64(x, out, n); }
  else { if (wide) KC.convert_bool_c128(x, out, n); else KC.convert_bool_c64(x, out, n); }
}

function convertJvp(r: i32): i32 {
  if (!isInexact(rowDtype(r)) || !isInexact(rowDtype(rowA(r)))) return -1;
  return convertTo(tangentOf(rowA(r)), rowDtype(r));
}
function convertTranspose(r: i32, ct: i32): void { accumulate(rowA(r), convertTo(ct, rowDtype(rowA(r)))); }

// bitcast_convert_type: the bits of float32, int32 and uint32 (4 bytes) and float64 (8 bytes),
// read as another of them. A float64 is two 32-bit words, low word first (little-endian wasm
// memory, as JAX on CPU): f64[...] -> u32[..., 2], and back from a trailing axis of 2. Between
// one dtype and itself it is refused (the TS layer returns the operand). No derivative: JAX's
// defjvp_zero; an integer output has none anyway, and a float output comes from integer bits.
const bitcastable = (v: i32): bool => v == F32 || v == F64 || v == I32 || v == U32;

function bitcastShape(r: i32): i32 {
  const a = rowA(r), to = rowParam(r, 0), from = rowDtype(a);
  if (!bitcastable(to) || !bitcastable(from) || to == from) return E_DTYPE;
  if (isFloat(to) && isFloat(from)) return E_DTYPE; // (no float-to-float pair of one width here)
  const wi = itemsize(from), wo = itemsize(to), nd = rowNdim(a);
  setDtype(r, to);
  if (wi == wo) { shareShape(r, a); return E_OK; }
  if (wi > wo) { // f64 -> two words: a trailing axis of 2
    const off = shapeReserve(nd + 1);
    if (off < 0) return E_OOM;
    for (let i = 0; i < nd; i++) store<i32>(shapeAt(off) + (<usize>i << 2), rowDim(a, i));
    store<i32>(shapeAt(off) + (<usize>nd << 2), 2);
    setShape(r, nd + 1, off);
    return E_OK;
  }
  if (nd == 0 || rowDim(a, nd - 1) != 2) return E_SHAPE; // two words -> f64: a trailing axis of 2
  const off = shapeReserve(nd - 1);
  if (off < 0) return E_OOM;
  for (let i = 0; i < nd - 1; i++) store<i32>(shapeAt(off) + (<usize>i << 2), rowDim(a, i));
  setShape(r, nd - 1, off);
  return E_OK;
}
function bitcastKernel(r: i32): void {
  memory.copy(rowPtr(r), rowPtr(rowA(r)), <usize>rowSize(r) * <usize>itemsize(rowDtype(r)));
}
/** The batch axis stays where it is, unless it is the trailing axis that two words -> f64 removes: then it goes first. */
function bitcastBatch(r: i32): void {
  const x = rowA(r), b = bdimOf(x), to = rowParam(r, 0);
  const bd = itemsize(to) > itemsize(rowDtype(x)) && b == rowNdim(rowImpl(x)) - 1 ? 0 : b;
  const xi = batchedAs(x, bd); // (before setParam: moving the axis emits rows of its own)
  setParam(0, to);
  setBatched(r, emitP(BITCAST_CONVERT_TYPE, xi, -1, -1, 1), bd);
}

export function registerConvert(): void {
  defineOp(BITCAST_CONVERT_TYPE, 'bitcast_convert_type', 1, bitcastShape);
  defKernel(BITCAST_CONVERT_TYPE, F32, bitcastKernel);
  defKernel(BITCAST_CONVERT_TYPE, F64, bitcastKernel);
  defKernel(BITCAST_CONVERT_TYPE, I32, bitcastKernel);
  defKernel(BITCAST_CONVERT_TYPE, U32, bitcastKernel);
  nondiff(BITCAST_CONVERT_TYPE);
  neverLinear(BITCAST_CONVERT_TYPE);
  defBatch(BITCAST_CONVERT_TYPE, bitcastBatch);

  defineOp(CONVERT, 'convert', 1, convertShape);
  defKernel(CONVERT, F32, toF32);
  defKernel(CONVERT, F64, toF64);
  defKernel(CONVERT, BOOL, toBool);
  defKernel(CONVERT, I32, toInt);
  defKernel(CONVERT, U32, toInt);
  defKernel(CONVERT, C64, toComplex);
  defKernel(CONVERT, C128, toComplex);
  defJvp(CONVERT, convertJvp);
  defTranspose(CONVERT, convertTranspose);
  defBatch(CONVERT, batchElementwise);
}
