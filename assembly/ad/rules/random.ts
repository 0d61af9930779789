// The PRNG family: threefry2x32 turns a key and counters into random bits; random_float turns
// bits into floats exactly as jax.random does (uniform on [0, 1), standard normal). No
// derivative: keys and bits are integers (JAX's float0), and a draw is constant in the float
// parameters that TS applies afterwards (minval, maxval, ...), which carry their own rules.
import { defineOp, defKernel, nondiff, neverLinear } from '../registry';
import { THREEFRY2X32, RANDOM_FLOAT } from '../ops';
import {
  rowA, rowB, rowDtype, rowNdim, rowDim, rowParam, rowNparams, rowPtr, rowSize, rowShapePtr, setDtype, setShape,
  shareShape, shapeReserve, shapeAt,
} from '../tape';
import { E_OK, E_DTYPE, E_SHAPE, E_PARAMS, E_OOM } from '../../errors';
import { F32, F64, U32 } from '../../dtype';
import * as K from '../../kernels/random';

function threefryShape(r: i32): i32 {
  const key = rowA(r), counts = rowB(r);
  if (rowDtype(key) != U32 || rowDtype(counts) != U32) return E_DTYPE;
  if (rowNdim(key) != 1 || rowDim(key, 0) != 2) return E_SHAPE;
  setDtype(r, U32);
  shareShape(r, counts);
  return E_OK;
}
function threefryKernel(r: i32): void {
  const key = rowPtr(rowA(r));
  K.threefry2x32(load<u32>(key), load<u32>(key, 4), rowPtr(rowB(r)), rowPtr(r), rowSize(r));
}

export const UNIFORM = 0, NORMAL = 1;

// float32: one word per value, same shape. float64: bits [2, ...shape], the two
// words of value i at [0, i] and [1, i], as JAX splits its 2n draws.
function randomFloatShape(r: i32): i32 {
  const bits = rowA(r);
  if (rowDtype(bits) != U32 || rowNparams(r) != 2) return E_DTYPE;
  const dt = rowParam(r, 0), dist = rowParam(r, 1);
  if (dist != UNIFORM && dist != NORMAL) return E_PARAMS;
  if (dt == F32) { setDtype(r, F32); shareShape(r, bits); return E_OK; }
  if (dt != F64) return E_DTYPE;
  const nd = rowNdim(bits);
  if (nd < 1 || rowDim(bits, 0) != 2) return E_SHAPE;
  const off = shapeReserve(nd - 1);
  if (off < 0) return E_OOM;
  memory.copy(shapeAt(off), rowShapePtr(bits) + 4, <usize>(nd - 1) << 2);
  setDtype(r, F64);
  setShape(r, nd - 1, off);
  return E_OK;
}
function floatF32(r: i32): void {
  const bits = rowPtr(rowA(r)), out = rowPtr(r), n = rowSize(r);
  if (rowParam(r, 1) == UNIFORM) K.uniform_f32(bits, out, n); else K.normal_f32(bits, out, n);
}
function floatF64(r: i32): void {
  const bits = rowPtr(rowA(r)), out = rowPtr(r), n = rowSize(r);
  if (rowParam(r, 1) == UNIFORM) K.uniform_f64(bits, out, n); else K.normal_f64(bits, out, n);
}

export function registerRandom(): void {
  defineOp(THREEFRY2X32, 'threefry2x32', 2, threefryShape);
  defKernel(THREEFRY2X32, U32, threefryKernel);
  nondiff(THREEFRY2X32); neverLinear(THREEFRY2X32);

  defineOp(RANDOM_FLOAT, 'random_float', 1, randomFloatShape);
  defKernel(RANDOM_FLOAT, F32, floatF32);
  defKernel(RANDOM_FLOAT, F64, floatF64);
  nondiff(RANDOM_FLOAT); neverLinear(RANDOM_FLOAT);
}
