// Leaves and identity: CONST (a value baked into the tape), INPUT (a program input, bound by the
// host per run), PLACEHOLDER (a linearization seed, never has a value), FULL, COPY, and PROJ (an
// output of a tuple row, given its value by that row's kernel).
import { defineOp, defKernel, defJvp, defTranspose, nondiff, neverLinear, defBatch } from '../registry';
import { batchElementwise, NO_OPERANDS } from '../batching';
import { CONST, PLACEHOLDER, INPUT, FULL, COPY, PROJ, IOTA } from '../ops';
import { rowA, rowParam, rowNparams, rowDtype, rowPtr, rowSize, rowNdim, rowDim, setDtype, setPtr, shareShape, isTuple } from '../tape';
import { shapeFromParams } from '../shape_rules';
import { tangentOf, accumulate } from '../maps';
import { E_OK, E_DTYPE, E_BAD_ROW, E_PARAMS } from '../../errors';
import { F32, F64, BOOL, I32, U32, C64, C128, NUM_DTYPES, itemsize } from '../../dtype';
import { fill_c64, fill_c128 } from '../../kernels/complex';
import { fill_f32, fill_f64, fill_bool } from '../../kernels/convert';
import { fill_32 } from '../../kernels/integer';

// params: dtype, shape...
function leafShape(r: i32): i32 {
  const dt = rowParam(r, 0);
  if (dt < 0 || dt >= NUM_DTYPES || rowNparams(r) < 1) return E_DTYPE;
  setDtype(r, dt);
  return shapeFromParams(r, 1, rowNparams(r) - 1);
}
/** The host writes a leaf's value (CONST, INPUT); a placeholder never has one. */
function hostFilled(r: i32): void {}

// params: dtype, value as f64 (lo, hi), shape...
function fullShape(r: i32): i32 {
  const dt = rowParam(r, 0);
  if (rowNparams(r) < 3) return E_DTYPE;
  setDtype(r, dt);
  return shapeFromParams(r, 3, rowNparams(r) - 3);
}
function fullValue(r: i32): f64 {
  return reinterpret<f64>((<u64>rowParam(r, 1) & 0xFFFFFFFF) | (<u64>rowParam(r, 2) << 32));
}
function fullF32(r: i32): void { fill_f32(rowPtr(r), rowSize(r), fullValue(r)); }
function fullF64(r: i32): void { fill_f64(rowPtr(r), rowSize(r), fullValue(r)); }
function fullC64(r: i32): void { fill_c64(rowPtr(r), rowSize(r), fullValue(r)); } // value + 0i
function fullC128(r: i32): void { fill_c128(rowPtr(r), rowSize(r), fullValue(r)); }
function fullBool(r: i32): void { fill_bool(rowPtr(r), rowSize(r), fullValue(r)); }
// The host passes an integral value in range; the f64 -> i32 cast is then exact.
function fullI32(r: i32): void { const v = fullValue(r); fill_32(rowPtr(r), rowSize(r), v != v ? 0 : <i32>(<i64>v)); }

// iota: params dtype, dimension, shape... (JAX's lax.iota with broadcasting: broadcasted_iota)
function iotaShape(r: i32): i32 {
  const dt = rowParam(r, 0), nd = rowNparams(r) - 2;
  if (nd < 1) return E_PARAMS;
  if (dt != F32 && dt != F64 && dt != I32 && dt != U32) return E_DTYPE;
  const dim = rowParam(r, 1);
  if (dim < 0 || dim >= nd) return E_PARAMS;
  setDtype(r, dt);
  return shapeFromParams(r, 2, nd);
}
function iotaKernel(r: i32): void {
  const dim = rowParam(r, 1), n = rowDim(r, dim), dt = rowDtype(r), size = rowSize(r);
  let inner = 1;
  for (let i = dim + 1; i < rowNdim(r); i++) inner *= rowDim(r, i);
  if (n == 0 || inner == 0) return;
  const w: usize = dt == F64 ? 8 : 4, block = <usize>inner * w, period = <usize>n * block;
  // One period (runs of `inner` equal values for 0..n-1) with SIMD fills, then copies of it.
  let p = rowPtr(r);
  if (inner == 1) {
    // runs of one: a vector ramp (a fill call per element cost ~15 ns: a 5e6 counter table 75 ms)
    let v = i32x4(0, 1, 2, 3), j = 0;
    const step = i32x4.splat(4);
    for (; j + 4 <= n; j += 4) {
      if (dt == F64) {
        v128.store(p, f64x2.convert_low_i32x4_s(v));
        v128.store(p, f64x2.convert_low_i32x4_s(i32x4.shuffle(v, v, 2, 3, 0, 1)), 16);
      } else if (dt == F32) v128.store(p, f32x4.convert_i32x4_s(v));
      else v128.store(p, v);
      v = i32x4.add(v, step);
      p += 4 * w;
    }
    for (; j < n; j++) {
      if (dt == F64) store<f64>(p, <f64>j);
      else if (dt == F32) store<f32>(p, <f32>j);
      else store<i32>(p, j);
      p += w;
    }
  } else {
    for (let j = 0; j < n; j++) {
      if (dt == F64) fill_f64(p, inner, <f64>j);
      else if (dt == F32) fill_f32(p, inner, <f64>j);
      else fill_32(p, inner, j);
      p += block;
    }
  }
  const end = rowPtr(r) + <usize>size * w;
  for (; p < end; p += period) memory.copy(p, rowPtr(r), period);
}

function copyShape(r: i32): i32 { setDtype(r, rowDtype(rowA(r))); shareShape(r, rowA(r)); return E_OK; }
function copyKernel(r: i32): void { setPtr(r, rowPtr(rowA(r))); } // values are immutable: alias
function copyJvp(r: i32): i32 { return tangentOf(rowA(r)); }
function copyTranspose(r: i32, ct: i32): void { accumulate(rowA(r), ct); }
// A placeholder is where cotangents end up: the transpose leaves them in the map.
function placeholderTranspose(r: i32, ct: i32): void {}

// PROJ rows are made by their tuple row's shape rule (emit.ts addOutput), never emitted alone.
function projShape(r: i32): i32 { return isTuple(rowA(r)) ? E_OK : E_BAD_ROW; }

export function registerLeaves(): void {
  defineOp(CONST, 'const', 0, leafShape);
  defineOp(INPUT, 'input', 0, leafShape);
  defineOp(PLACEHOLDER, 'placeholder', 0, leafShape);
  for (let d = 0; d < NUM_DTYPES; d++) {
    defKernel(CONST, d, hostFilled);
    defKernel(INPUT, d, hostFilled);
    defKernel(PLACEHOLDER, d, hostFilled);
    defKernel(PROJ, d, hostFilled);
    if (itemsize(d) > 0) defKernel(COPY, d, copyKernel);
  }
  nondiff(CONST); neverLinear(CONST);
  for (let op = CONST; op <= FULL; op++) defBatch(op, NO_OPERANDS);
  defBatch(INPUT, NO_OPERANDS);
  nondiff(INPUT); neverLinear(INPUT);
  nondiff(PLACEHOLDER); defTranspose(PLACEHOLDER, placeholderTranspose);

  defineOp(FULL, 'full', 0, fullShape);
  defKernel(FULL, F32, fullF32);
  defKernel(FULL, F64, fullF64);
  defKernel(FULL, BOOL, fullBool);
  defKernel(FULL, I32, fullI32);
  defKernel(FULL, U32, fullI32);
  defKernel(FULL, C64, fullC64);
  defKernel(FULL, C128, fullC128);
  nondiff(FULL); neverLinear(FULL);

  defineOp(IOTA, 'iota', 0, iotaShape);
  defKernel(IOTA, F32, iotaKernel); defKernel(IOTA, F64, iotaKernel);
  defKernel(IOTA, I32, iotaKernel); defKernel(IOTA, U32, iotaKernel);
  nondiff(IOTA); neverLinear(IOTA); defBatch(IOTA, NO_OPERANDS);

  defineOp(COPY, 'copy', 1, copyShape, true);
  defJvp(COPY, copyJvp);
  defTranspose(COPY, copyTranspose);
  defBatch(COPY, batchElementwise);

  // Its tuple row's JVP and transpose rules handle it; the transforms skip it.
  defineOp(PROJ, 'proj', 1, projShape);
  nondiff(PROJ);
  defTranspose(PROJ, placeholderTranspose);
  defBatch(PROJ, NO_OPERANDS); // batched with its tuple row
}
