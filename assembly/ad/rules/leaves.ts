// Leaves and identity: CONST (host-filled), PLACEHOLDER (a linearization seed), FULL, COPY.
import { defineOp, LEAF_KERNEL, ZERO_JVP, NOT_LINEAR } from '../registry';
import { CONST, PLACEHOLDER, FULL, COPY } from '../ops';
import { rowA, rowParam, rowNparams, rowDtype, rowPtr, rowSize, setDtype, setPtr, shareShape } from '../tape';
import { shapeFromParams } from '../shapes';
import { accumulate } from '../cotangents';
import { tangentOf } from '../tangents';
import { E_OK, E_DTYPE } from '../../errors';
import { F32, F64, BOOL, NUM_DTYPES } from '../../dtype';
import { fill_f32, fill_f64, fill_bool } from '../../kernels/convert';

// params: dtype, shape...
function leafShape(r: i32): i32 {
  const dt = rowParam(r, 0);
  if (dt < 0 || dt >= NUM_DTYPES) return E_DTYPE;
  setDtype(r, dt);
  return shapeFromParams(r, 1, rowNparams(r) - 1);
}

// params: dtype, value as f64 (lo, hi), shape...
function fullShape(r: i32): i32 {
  const dt = rowParam(r, 0);
  if (dt != F32 && dt != F64 && dt != BOOL) return E_DTYPE;
  setDtype(r, dt);
  return shapeFromParams(r, 3, rowNparams(r) - 3);
}
function fullValue(r: i32): f64 {
  return reinterpret<f64>((<u64><u32>rowParam(r, 1)) | (<u64><u32>rowParam(r, 2) << 32));
}
function fullKernel(r: i32): void {
  const v = fullValue(r), n = rowSize(r), p = rowPtr(r);
  const dt = rowDtype(r);
  if (dt == F32) fill_f32(p, n, v); else if (dt == F64) fill_f64(p, n, v); else fill_bool(p, n, v);
}

function copyShape(r: i32): i32 { setDtype(r, rowDtype(rowA(r))); shareShape(r, rowA(r)); return E_OK; }
function copyKernel(r: i32): void { setPtr(r, rowPtr(rowA(r))); } // values are immutable: alias
function copyJvp(r: i32): i32 { return tangentOf(rowA(r)); }
function copyTranspose(r: i32, ct: i32): void { accumulate(rowA(r), ct); }
// A placeholder is where cotangents end up: the transpose leaves them in the map.
function placeholderTranspose(r: i32, ct: i32): void {}

export function registerLeaves(): void {
  defineOp(CONST, 'const', 0, leafShape, LEAF_KERNEL, ZERO_JVP, NOT_LINEAR);
  defineOp(PLACEHOLDER, 'placeholder', 0, leafShape, LEAF_KERNEL, ZERO_JVP, placeholderTranspose);
  defineOp(FULL, 'full', 0, fullShape, fullKernel, ZERO_JVP, NOT_LINEAR);
  defineOp(COPY, 'copy', 1, copyShape, copyKernel, copyJvp, copyTranspose, true);
}
