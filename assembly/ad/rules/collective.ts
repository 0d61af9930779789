// psum over a named vmap axis (JAX's psum_p under vmap's axis_name). params: the vmap level id
// the name stands for, and that level's batch size. Per example the result has the operand's
// shape: the sum of the operand over every example of that level.
//
// - Batching (the only place the sum across examples can be written: a per-example program
//   cannot express it): at the named level, a sum over the batch axis, one value for every
//   example (not mapped); at another level, psum of the batch with its batch axis kept, so the
//   named level batches it in turn (JAX's _batched_reduction_collective). A level a host batching
//   rule opened to vmap a jitted loop body or branch again counts as the level it batches.
// - A value that does not vary along the named axis sums to size * x (JAX's psum of an unmapped
//   value): that is the kernel, which runs only for such rows.
// - Linear: the JVP is psum of the tangent, and the transpose psum of the cotangent (JAX treats
//   psum as psum + pbroadcast, so its transpose sums over the named axis again). Under
//   vmap(grad(f)) an example's gradient thus holds the other examples' terms through the psum,
//   as JAX's does.
import { defineOp, defKernel, defJvp, defTranspose, defBatch } from '../registry';
import { bdimOf, physOf, setBatched, setUnbatched } from '../batching';
import { currentLevel, batchesLevel } from '../vmap';
import { emitP, setParam } from '../emit';
import { PSUM, SUM } from '../ops';
import { rowA, rowDtype, rowNparams, rowParam, rowPtr, rowSize, setDtype, shareShape } from '../tape';
import { sameOpOn } from '../builder';
import { tangentOf, accumulate } from '../maps';
import { E_OK, E_DTYPE, E_PARAMS } from '../../errors';
import { F32, F64, I32, U32, C64, C128, isFloat } from '../../dtype';

function psumShape(r: i32): i32 {
  if (rowNparams(r) != 2 || rowParam(r, 0) <= 0 || rowParam(r, 1) < 0) return E_PARAMS;
  const d = rowDtype(rowA(r));
  if (!isFloat(d) && d != I32 && d != U32 && d != C64 && d != C128) return E_DTYPE; // (bools: the TS layer converts to int32, as JAX)
  setDtype(r, d);
  shareShape(r, rowA(r));
  return E_OK;
}

// size * x, for a value that does not vary along the named axis (complex: both parts scaled)
function scaleF32(r: i32): void {
  const a = rowPtr(rowA(r)), y = rowPtr(r), s = <f32>rowParam(r, 1);
  const n = <usize>rowSize(r) * (rowDtype(r) == C64 ? 2 : 1);
  for (let i: usize = 0; i < n; i++) store<f32>(y + (i << 2), load<f32>(a + (i << 2)) * s);
}
function scaleF64(r: i32): void {
  const a = rowPtr(rowA(r)), y = rowPtr(r), s = <f64>rowParam(r, 1);
  const n = <usize>rowSize(r) * (rowDtype(r) == C128 ? 2 : 1);
  for (let i: usize = 0; i < n; i++) store<f64>(y + (i << 3), load<f64>(a + (i << 3)) * s);
}
function scaleI32(r: i32): void { // (wrapping, as XLA's int32 sum of `size` equal terms)
  const a = rowPtr(rowA(r)), y = rowPtr(r), s = rowParam(r, 1), n = <usize>rowSize(r);
  for (let i: usize = 0; i < n; i++) store<i32>(y + (i << 2), load<i32>(a + (i << 2)) * s);
}

function psumJvp(r: i32): i32 {
  const t = tangentOf(rowA(r));
  return t < 0 ? -1 : sameOpOn(r, t);
}
function psumTranspose(r: i32, ct: i32): void { accumulate(rowA(r), sameOpOn(r, ct)); }

function psumBatch(r: i32): void {
  const x = rowA(r), b = bdimOf(x);
  if (batchesLevel(currentLevel(), rowParam(r, 0))) {
    setParam(0, b);
    setUnbatched(r, emitP(SUM, physOf(x), -1, -1, 1));
    return;
  }
  setBatched(r, sameOpOn(r, physOf(x)), b);
}

export function registerCollective(): void {
  defineOp(PSUM, 'psum', 1, psumShape);
  defKernel(PSUM, F32, scaleF32);
  defKernel(PSUM, C64, scaleF32);
  defKernel(PSUM, F64, scaleF64);
  defKernel(PSUM, C128, scaleF64);
  defKernel(PSUM, I32, scaleI32);
  defKernel(PSUM, U32, scaleI32);
  defJvp(PSUM, psumJvp);
  defTranspose(PSUM, psumTranspose);
  defBatch(PSUM, psumBatch);
}
