// The PRNG family: threefry2x32 turns a key and counters into random bits; random_float turns
// bits into floats exactly as jax.random does (uniform on [0, 1), standard normal). No
// derivative: keys and bits are integers (JAX's float0), and a draw is constant in the float
// parameters that TS applies afterwards (minval, maxval, ...), which carry their own rules.
import { defineOp, defKernel, nondiff, neverLinear, defBatch } from '../registry';
import { bdimOf, batchedAs, batchElementwise, moveBdim, setBatched } from '../batching';
import { emitP, setParam } from '../emit';
import { THREEFRY2X32, RANDOM_FLOAT } from '../ops';
import {
  rowA, rowB, rowImpl, rowDtype, rowNdim, rowDim, rowParam, rowNparams, rowPtr, rowSize, rowShapePtr, setDtype, setShape,
  shareShape, shapeReserve, shapeAt,
} from '../tape';
import { E_OK, E_DTYPE, E_SHAPE, E_PARAMS, E_OOM } from '../../errors';
import { F32, F64, U32 } from '../../dtype';
import * as K from '../../kernels/random';

function threefryShape(r: i32): i32 {
  const key = rowA(r), counts = rowB(r);
  if (rowDtype(key) != U32 || rowDtype(counts) != U32) return E_DTYPE;
  // key [..., 2]: one key per leading index of counts (a batch of keys, as vmap makes them)
  const nk = rowNdim(key) - 1;
  if (nk < 0 || rowDim(key, nk) != 2 || rowNdim(counts) < nk) return E_SHAPE;
  for (let i = 0; i < nk; i++) if (rowDim(key, i) != rowDim(counts, i)) return E_SHAPE;
  setDtype(r, U32);
  shareShape(r, counts);
  return E_OK;
}
function threefryKernel(r: i32): void {
  const key = rowPtr(rowA(r)), nk = rowSize(rowA(r)) >> 1, m = nk == 0 ? 0 : rowSize(r) / nk;
  for (let i = 0; i < nk; i++) {
    const k = key + (<usize>i << 3), at = <usize>i * <usize>m << 2;
    K.threefry2x32(load<u32>(k), load<u32>(k, 4), rowPtr(rowB(r)) + at, rowPtr(r) + at, m);
  }
}

// ---------------------------------------------------------------- batching (vmap)

// Keys [B, 2] with the counts batched along 0, one key per example; an unbatched key or unbatched
// counts are broadcast along the batch. (Not elementwise in batched counts under one key: the
// kernel pairs count i with count i + n/2 of the flat array, which would pair words of different
// examples: vmap of fold_in(key, i) gave other examples' keys.)
function threefryBatch(r: i32): void {
  const key = rowA(r), counts = rowB(r);
  setBatched(r, emitP(THREEFRY2X32, batchedAs(key, 0), batchedAs(counts, 0), -1, 0), 0);
}
// float32 draws are elementwise; float64 ones read word pairs along axis 0, so the batch axis
// must not sit there.
function randomFloatBatch(r: i32): void {
  if (rowParam(r, 0) == F32) { batchElementwise(r); return; }
  const bits = rowA(r), b = bdimOf(bits);
  const x = b == 0 ? moveBdim(rowImpl(bits), 0, 1) : rowImpl(bits);
  setParam(0, rowParam(r, 0)); setParam(1, rowParam(r, 1));
  setBatched(r, emitP(RANDOM_FLOAT, x, -1, -1, 2), b == 0 ? 0 : b - 1);
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
  nondiff(THREEFRY2X32); neverLinear(THREEFRY2X32); defBatch(THREEFRY2X32, threefryBatch);

  defineOp(RANDOM_FLOAT, 'random_float', 1, randomFloatShape);
  defKernel(RANDOM_FLOAT, F32, floatF32);
  defKernel(RANDOM_FLOAT, F64, floatF64);
  nondiff(RANDOM_FLOAT); neverLinear(RANDOM_FLOAT); defBatch(RANDOM_FLOAT, randomFloatBatch);
}
